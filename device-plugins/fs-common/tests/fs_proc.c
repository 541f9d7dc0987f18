/* The fs plugins as processes (see fs_proc.h). Every wait is bounded. */
#define _GNU_SOURCE
#include "fs_proc.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fs_client.h"
#include "fs_tmp.h"
#include "outboard/errno.h"
#include "outboard/ipc.h"

#define WAIT_MS 10000 /* never reached when things work */
#define MAX_ARGS 16

static const char *proc_binary;
static const char *const *proc_extra;

struct proc {
	char *dir;  /* the "{dir}" of the options */
	char *sock; /* holds the endpoint */
	char url[4200];
	pid_t pid;
	ob_conn *conn;
};

struct box {
	bool done;
	int status;
	Ob__Reply *copy;
};

static void on_reply(void *arg, int status, const Ob__Reply *reply)
{
	struct box *b = arg;

	b->status = status;
	if (reply) {
		size_t len = ob__reply__get_packed_size(reply);
		uint8_t *buf = malloc(len ? len : 1);
		assert_non_null(buf);
		ob__reply__pack(reply, buf);
		b->copy = ob__reply__unpack(NULL, len, buf);
		free(buf);
	}
	b->done = true;
}

static void spawn(struct proc *p, bool read_only)
{
	const char *argv[MAX_ARGS];
	int n = 0;

	argv[n++] = proc_binary;
	argv[n++] = "--listen";
	argv[n++] = p->url;
	if (read_only)
		argv[n++] = "--read-only";
	for (const char *const *e = proc_extra; e && *e && n < MAX_ARGS - 1; e++)
		argv[n++] = strcmp(*e, "{dir}") == 0 ? p->dir : *e;
	argv[n] = NULL;
	p->pid = fork();
	assert_true(p->pid >= 0);
	if (p->pid == 0) {
		execv(proc_binary, (char **)(uintptr_t)argv);
		_exit(127);
	}
}

/* The plugin has bound its endpoint once the socket file exists. */
static void wait_ready(const struct proc *p)
{
	char path[4200];
	struct stat st;
	int64_t end = ob_now_ms() + WAIT_MS;

	snprintf(path, sizeof(path), "%s/fs.sock", p->sock);
	while (stat(path, &st) != 0) {
		assert_true(ob_now_ms() < end);
		assert_int_equal(waitpid(p->pid, NULL, WNOHANG), 0); /* still running */
		usleep(2000);
	}
}

static void start(struct proc *p, bool read_only)
{
	Ob__Hello hello;

	spawn(p, read_only);
	wait_ready(p);
	assert_int_equal(ob_conn_dial(p->url, NULL, &(struct ob_conn_callbacks){ 0 }, NULL,
				      &p->conn),
			 0);
	ob__hello__init(&hello);
	hello.role = (char *)(uintptr_t)"test";
	assert_int_equal(ob_conn_handshake(p->conn, &hello, WAIT_MS, NULL), 0);
}

static int setup(void **state)
{
	struct proc *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	p->dir = tt_mkdtemp("fsproc-dir");
	p->sock = tt_mkdtemp("fsproc-sock");
	p->pid = -1;
	snprintf(p->url, sizeof(p->url), "ipc://%s/fs.sock", p->sock);
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	struct proc *p = *state;

	ob_conn_close(p->conn, 0);
	if (p->pid > 0) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
	}
	tt_rm_rf(p->dir);
	tt_rm_rf(p->sock);
	free(p->dir);
	free(p->sock);
	free(p);
	return 0;
}

/* One call over the wire: the reply (caller frees it with
 * ob__reply__free_unpacked). msg is the call's message for call_case. */
static Ob__Reply *call(struct proc *p, Ob__Request__CallCase call_case, void *msg)
{
	Ob__Request req;
	struct box b = { 0 };

	ob__request__init(&req);
	req.call_case = call_case;
	req.fs_open = msg; /* every arm is a message pointer: one store serves all */
	assert_int_equal(ob_conn_call(p->conn, &req, on_reply, &b, NULL), 0);
	assert_int_equal(ob_conn_run(p->conn, WAIT_MS, &b.done), 0);
	assert_true(b.done);
	assert_non_null(b.copy); /* a reply came: b.status is its own status */
	return b.copy;
}

/* A call that should fail: its status as sent, in the ABI numbering. */
static uint32_t status_of(struct proc *p, Ob__Request__CallCase call_case, void *msg)
{
	Ob__Reply *r = call(p, call_case, msg);
	uint32_t st = r->status;

	assert_int_equal(r->result_case, st ? OB__REPLY__RESULT__NOT_SET : (int)call_case);
	ob__reply__free_unpacked(r, NULL);
	return st;
}

static int64_t open_fd(struct proc *p, const char *path, uint32_t flags)
{
	Ob__FsOpen o;
	Ob__Reply *r;
	int64_t fd;

	ob__fs_open__init(&o);
	o.path = (char *)(uintptr_t)path;
	o.flags = flags;
	o.mode = 0644;
	r = call(p, OB__REQUEST__CALL_FS_OPEN, &o);
	assert_int_equal(r->status, 0);
	fd = r->fs_open->ret;
	ob__reply__free_unpacked(r, NULL);
	assert_true(fd > 0);
	return fd;
}

static void hello_lists_every_call(void **state)
{
	struct proc *p = *state;
	Ob__Hello hello, *answer = NULL;

	spawn(p, false);
	wait_ready(p);
	assert_int_equal(ob_conn_dial(p->url, NULL, &(struct ob_conn_callbacks){ 0 }, NULL,
				      &p->conn),
			 0);
	ob__hello__init(&hello);
	hello.role = (char *)(uintptr_t)"test";
	assert_int_equal(ob_conn_handshake(p->conn, &hello, WAIT_MS, &answer), 0);
	assert_non_null(answer);
	assert_int_equal(answer->n_domains, 1);
	assert_int_equal(answer->domains[0], OB__DOMAIN__DOMAIN_FS);
	for (uint32_t c = OB__REQUEST__CALL_FS_OPEN; c <= OB__REQUEST__CALL_FS_STATVFS; c++) {
		bool found = false;
		for (size_t i = 0; i < answer->n_calls; i++)
			found = found || answer->calls[i] == c;
		assert_true(found);
	}
	ob__hello__free_unpacked(answer, NULL);
}

static void round_trip(void **state)
{
	struct proc *p = *state;
	Ob__FsWrite w;
	Ob__FsPread rd;
	Ob__FsClose c;
	Ob__FsOpendir od;
	Ob__FsReaddir rdd;
	Ob__Reply *r;
	int64_t fd;

	start(p, false);
	fd = open_fd(p, "/greeting", T_RDWR | T_CREAT);
	ob__fs_write__init(&w);
	w.fd = (uint32_t)fd;
	w.buf.data = (uint8_t *)(uintptr_t)"hello";
	w.buf.len = w.count = 5;
	r = call(p, OB__REQUEST__CALL_FS_WRITE, &w);
	assert_int_equal(r->status, 0);
	assert_int_equal(r->fs_write->ret, 5);
	ob__reply__free_unpacked(r, NULL);
	ob__fs_pread__init(&rd);
	rd.fd = (uint32_t)fd;
	rd.count = 100;
	rd.offset = 1;
	r = call(p, OB__REQUEST__CALL_FS_PREAD, &rd);
	assert_int_equal(r->fs_pread->buf.len, 4);
	assert_memory_equal(r->fs_pread->buf.data, "ello", 4);
	ob__reply__free_unpacked(r, NULL);
	ob__fs_close__init(&c);
	c.fd = (uint32_t)fd;
	assert_int_equal(status_of(p, OB__REQUEST__CALL_FS_CLOSE, &c), 0);
	/* The listing. */
	ob__fs_opendir__init(&od);
	od.path = (char *)(uintptr_t)"/";
	r = call(p, OB__REQUEST__CALL_FS_OPENDIR, &od);
	assert_true(r->fs_opendir->ret > 0);
	ob__fs_readdir__init(&rdd);
	rdd.dir = (uint32_t)r->fs_opendir->ret;
	rdd.name_len = 256;
	ob__reply__free_unpacked(r, NULL);
	r = call(p, OB__REQUEST__CALL_FS_READDIR, &rdd);
	assert_int_equal(r->fs_readdir->ret, OB__FILE_TYPE__FILE_TYPE_REGULAR);
	assert_string_equal(r->fs_readdir->name, "greeting");
	ob__reply__free_unpacked(r, NULL);
	r = call(p, OB__REQUEST__CALL_FS_READDIR, &rdd);
	assert_int_equal(r->fs_readdir->ret, 0);
	ob__reply__free_unpacked(r, NULL);
}

static void errno_on_the_wire(void **state)
{
	struct proc *p = *state;
	char longname[300];
	Ob__FsOpen o;
	Ob__FsMkdir m;
	Ob__FsRmdir rm;
	Ob__FsRead rd;

	start(p, false);
	ob__fs_open__init(&o);
	o.path = (char *)(uintptr_t)"missing";
	assert_int_equal(status_of(p, OB__REQUEST__CALL_FS_OPEN, &o), OB_ABI_ENOENT);
	ob__fs_mkdir__init(&m);
	m.path = (char *)(uintptr_t)"d";
	m.mode = 0755;
	assert_int_equal(status_of(p, OB__REQUEST__CALL_FS_MKDIR, &m), 0);
	assert_int_equal(status_of(p, OB__REQUEST__CALL_FS_MKDIR, &m), OB_ABI_EEXIST);
	m.path = (char *)(uintptr_t)"d/e";
	assert_int_equal(status_of(p, OB__REQUEST__CALL_FS_MKDIR, &m), 0);
	/* Numbers that differ between Linux and newlib. */
	ob__fs_rmdir__init(&rm);
	rm.path = (char *)(uintptr_t)"d";
	assert_int_equal(status_of(p, OB__REQUEST__CALL_FS_RMDIR, &rm), OB_ABI_ENOTEMPTY);
	memset(longname, 'x', sizeof(longname));
	longname[299] = '\0';
	o.path = longname;
	assert_int_equal(status_of(p, OB__REQUEST__CALL_FS_OPEN, &o), OB_ABI_ENAMETOOLONG);
	ob__fs_read__init(&rd);
	rd.fd = 999;
	rd.count = 1;
	assert_int_equal(status_of(p, OB__REQUEST__CALL_FS_READ, &rd), OB_ABI_EBADF);
}

static void big_read_fits_a_frame(void **state)
{
	struct proc *p = *state;
	size_t len = 3u << 20;
	uint8_t *data = malloc(len);
	Ob__FsPwrite w;
	Ob__FsRead rd;
	Ob__Reply *r;
	int64_t fd;

	assert_non_null(data);
	for (size_t i = 0; i < len; i++)
		data[i] = (uint8_t)(i % 253);
	start(p, false);
	fd = open_fd(p, "big", T_RDWR | T_CREAT);
	ob__fs_pwrite__init(&w);
	w.fd = (uint32_t)fd;
	for (size_t off = 0; off < len; off += 1u << 20) {
		w.buf.data = data + off;
		w.buf.len = w.count = 1u << 20;
		w.offset = (int64_t)off;
		r = call(p, OB__REQUEST__CALL_FS_PWRITE, &w);
		assert_int_equal(r->fs_pwrite->ret, 1 << 20);
		ob__reply__free_unpacked(r, NULL);
	}
	/* A 4 GiB ask gets OBF_IO_MAX bytes, in one frame the host accepts. */
	ob__fs_read__init(&rd);
	rd.fd = (uint32_t)fd;
	rd.count = UINT32_MAX;
	r = call(p, OB__REQUEST__CALL_FS_READ, &rd);
	assert_int_equal(r->status, 0);
	assert_int_equal(r->fs_read->buf.len, OBF_IO_MAX);
	assert_memory_equal(r->fs_read->buf.data, data, OBF_IO_MAX);
	ob__reply__free_unpacked(r, NULL);
	free(data);
}

static void read_only_process(void **state)
{
	struct proc *p = *state;
	Ob__FsOpen o;
	Ob__FsMkdir m;

	start(p, true);
	ob__fs_open__init(&o);
	o.path = (char *)(uintptr_t)"new";
	o.flags = T_WRONLY | T_CREAT;
	assert_int_equal(status_of(p, OB__REQUEST__CALL_FS_OPEN, &o), OB_ABI_EROFS);
	ob__fs_mkdir__init(&m);
	m.path = (char *)(uintptr_t)"d";
	assert_int_equal(status_of(p, OB__REQUEST__CALL_FS_MKDIR, &m), OB_ABI_EROFS);
	assert_false(tt_exists(p->dir, "new"));
}

static void shutdown_exits_cleanly(void **state)
{
	struct proc *p = *state;
	Ob__Envelope env;
	Ob__Shutdown sd;
	int64_t end;
	int status = 0;
	pid_t got = 0;

	start(p, false);
	ob__envelope__init(&env);
	ob__shutdown__init(&sd);
	sd.reason = (char *)(uintptr_t)"test over";
	env.body_case = OB__ENVELOPE__BODY_SHUTDOWN;
	env.shutdown = &sd;
	assert_int_equal(ob_conn_send(p->conn, &env), 0);
	end = ob_now_ms() + WAIT_MS;
	while (got == 0 && ob_now_ms() < end) {
		ob_conn_process(p->conn);
		got = waitpid(p->pid, &status, WNOHANG);
		if (got == 0)
			usleep(2000);
	}
	assert_int_equal(got, p->pid);
	p->pid = -1;
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int obf_process_suite_run(const char *name, const char *binary, const char *const *extra)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(hello_lists_every_call, setup, teardown),
		cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(errno_on_the_wire, setup, teardown),
		cmocka_unit_test_setup_teardown(big_read_fits_a_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(read_only_process, setup, teardown),
		cmocka_unit_test_setup_teardown(shutdown_exits_cleanly, setup, teardown),
	};

	proc_binary = binary;
	proc_extra = extra;
	return _cmocka_run_group_tests(name, tests, sizeof(tests) / sizeof(tests[0]), NULL, NULL);
}
