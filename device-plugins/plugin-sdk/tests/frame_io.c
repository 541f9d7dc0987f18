/*
 * Test helpers for --stdin-frames (frame_io.h).
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "frame_io.h"
#include "outboard/ipc.h"

#define MAX_ARGS 32

static void fail(const char *what)
{
	fprintf(stderr, "frame_io: %s: %s\n", what, strerror(errno));
	abort();
}

void frames_raw(struct frames *f, const void *data, size_t len)
{
	if (f->len + len > f->cap) {
		size_t cap = f->cap ? f->cap : 256;

		while (cap < f->len + len)
			cap *= 2;
		f->buf = realloc(f->buf, cap);
		if (!f->buf)
			fail("realloc");
		f->cap = cap;
	}
	if (len)
		memcpy(f->buf + f->len, data, len);
	f->len += len;
}

void frames_frame(struct frames *f, const void *data, uint32_t len)
{
	uint8_t prefix[4] = { (uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16),
			      (uint8_t)(len >> 24) };

	frames_raw(f, prefix, sizeof(prefix));
	frames_raw(f, data, len);
}

void frames_envelope(struct frames *f, const Ob__Envelope *env)
{
	size_t len = ob__envelope__get_packed_size(env);
	uint8_t *buf = malloc(len ? len : 1);

	if (!buf)
		fail("malloc");
	ob__envelope__pack(env, buf);
	frames_frame(f, buf, (uint32_t)len);
	free(buf);
}

void frames_hello(struct frames *f, uint32_t protocol_version)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Hello hello;

	ob__hello__init(&hello);
	hello.protocol_version = protocol_version;
	hello.role = (char *)(uintptr_t)"test";
	env.body_case = OB__ENVELOPE__BODY_HELLO;
	env.hello = &hello;
	frames_envelope(f, &env);
}

void frames_ping(struct frames *f, uint64_t seq)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Ping ping = OB__PING__INIT;

	ping.seq = seq;
	env.body_case = OB__ENVELOPE__BODY_PING;
	env.ping = &ping;
	frames_envelope(f, &env);
}

void frames_stats_query(struct frames *f)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__StatsQuery q = OB__STATS_QUERY__INIT;

	env.body_case = OB__ENVELOPE__BODY_STATS_QUERY;
	env.stats_query = &q;
	frames_envelope(f, &env);
}

void frames_shutdown(struct frames *f)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Shutdown sd;

	ob__shutdown__init(&sd);
	sd.reason = (char *)(uintptr_t)"test";
	env.body_case = OB__ENVELOPE__BODY_SHUTDOWN;
	env.shutdown = &sd;
	frames_envelope(f, &env);
}

void frames_request(struct frames *f, uint64_t id, int call_case, const void *msg, bool posted)
{
	const ProtobufCFieldDescriptor *fd =
		protobuf_c_message_descriptor_get_field(&ob__request__descriptor, (unsigned)call_case);
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Request req = OB__REQUEST__INIT;

	if (!fd || !(fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF))
		abort();
	req.id = id;
	req.posted = posted;
	req.call_case = (Ob__Request__CallCase)call_case;
	memcpy((char *)&req + fd->offset, &msg, sizeof(msg));
	env.body_case = OB__ENVELOPE__BODY_REQUEST;
	env.request = &req;
	frames_envelope(f, &env);
}

void frames_free(struct frames *f)
{
	free(f->buf);
	*f = (struct frames){ 0 };
}

/* ------------------------------------------------------------------ run */

/* An unlinked temporary file holding data (or empty), at offset 0. */
static int temp_file(const void *data, size_t len)
{
	char path[] = "/tmp/ob-frames-XXXXXX";
	int fd = mkstemp(path);
	const uint8_t *p = data;

	if (fd < 0)
		fail("mkstemp");
	unlink(path);
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0)
			fail("write");
		p += n;
		len -= (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) < 0)
		fail("lseek");
	return fd;
}

static uint8_t *slurp(int fd, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;

	if (fstat(fd, &st) < 0 || lseek(fd, 0, SEEK_SET) < 0)
		fail("fstat");
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		fail("malloc");
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n <= 0)
			fail("read");
		got += (size_t)n;
	}
	buf[got] = 0;
	*len = got;
	return buf;
}

static int wait_bounded(pid_t pid)
{
	int64_t end = ob_now_ms() + FRAME_WAIT_MS;
	int status;

	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			return status;
		if (w < 0)
			fail("waitpid");
		if (ob_now_ms() > end) {
			fprintf(stderr, "frame_io: the plugin did not end in %d ms: killed\n",
				FRAME_WAIT_MS);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return status;
		}
		poll(NULL, 0, 5);
	}
}

/* Split stdout into envelopes; false when it is not whole frames. */
static bool decode(struct run *r)
{
	size_t at = 0;

	while (r->out_len - at >= 4) {
		const uint8_t *p = r->out + at;
		uint32_t n = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			     (uint32_t)p[3] << 24;
		Ob__Envelope *env;

		if (r->out_len - at - 4 < n)
			return false;
		env = ob__envelope__unpack(NULL, n, p + 4);
		if (!env)
			return false;
		r->env = realloc(r->env, (r->n_env + 1) * sizeof(*r->env));
		if (!r->env)
			fail("realloc");
		r->env[r->n_env++] = env;
		at += 4 + (size_t)n;
	}
	return at == r->out_len;
}

void run_plugin(const char *binary, const char *const *args, const char *env_extra,
		const struct frames *input, struct run *r)
{
	const char *argv[MAX_ARGS];
	int in = temp_file(input ? input->buf : NULL, input ? input->len : 0);
	int out = temp_file(NULL, 0), err = temp_file(NULL, 0);
	size_t n = 0, err_len;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	argv[n++] = binary;
	for (; args && *args && n < MAX_ARGS - 1; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (pid == 0) {
		dup2(in, STDIN_FILENO);
		dup2(out, STDOUT_FILENO);
		dup2(err, STDERR_FILENO);
		if (env_extra) {
			char name[64];
			const char *eq = strchr(env_extra, '=');

			if (!eq || (size_t)(eq - env_extra) >= sizeof(name))
				_exit(126);
			snprintf(name, sizeof(name), "%.*s", (int)(eq - env_extra), env_extra);
			setenv(name, eq + 1, 1);
		}
		execv(binary, (char **)(uintptr_t)argv);
		_exit(127);
	}
	r->status = wait_bounded(pid);
	r->out = slurp(out, &r->out_len);
	r->err = (char *)slurp(err, &err_len);
	r->well_framed = decode(r);
	close(in);
	close(out);
	close(err);
}

void run_free(struct run *r)
{
	for (size_t i = 0; i < r->n_env; i++)
		ob__envelope__free_unpacked(r->env[i], NULL);
	free(r->env);
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

const Ob__Reply *run_reply(const struct run *r, uint64_t id)
{
	for (size_t i = 0; i < r->n_env; i++)
		if (r->env[i]->body_case == OB__ENVELOPE__BODY_REPLY && r->env[i]->reply->id == id)
			return r->env[i]->reply;
	return NULL;
}

size_t run_count(const struct run *r, Ob__Envelope__BodyCase kind)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n_env; i++)
		n += r->env[i]->body_case == kind;
	return n;
}

size_t run_find(const struct run *r, Ob__Envelope__BodyCase kind, size_t from)
{
	while (from < r->n_env && r->env[from]->body_case != kind)
		from++;
	return from;
}

bool run_exited(const struct run *r, int code)
{
	return WIFEXITED(r->status) && WEXITSTATUS(r->status) == code;
}

void scratch_make(char *dir, size_t size)
{
	snprintf(dir, size, "/tmp/ob-confined-XXXXXX");
	if (!mkdtemp(dir))
		fail("mkdtemp");
}

void scratch_remove(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL) {
		char path[512];

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (unlink(path) < 0)
			rmdir(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}
