/*
 * The seccomp filter in-process: each case forks a child that installs a
 * filter with obp_confine_install (or obp_confine) and then makes one kind
 * of system call; the parent checks how the child ended and what it wrote
 * to stderr. What is allowed must work (threads, memory, time, the
 * endpoint's sockets); what is not kills the child with SIGSYS after one
 * line naming the call, in every thread; a thread's malloc heap shrinks
 * under the filter. Cases the sanitizer runtime's needs relax
 * (fork, ptrace, open) are skipped in sanitizer builds; the child's normal
 * exit runs LSan's check there, under the filter.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../src/sdk.h"

/* What a child's test body returns when the call it tried did not kill it. */
#define SURVIVED 42

struct outcome {
	int status;
	char err[1024];
};

static char *const no_args[] = { NULL };
static pid_t parent; /* the test process: getppid is forbidden too */
/* Run in the child before the filter goes on (NULL: nothing); non-zero
 * ends the child with status 101. */
static int (*before_confine)(void);

/* Run body in a child confined by c (NULL: by obp_confine(p)). */
static void run_confined(const struct obp_confine *c, ob_plugin_ctx *p, int (*body)(void),
			 struct outcome *o)
{
	int pipefd[2];
	pid_t pid;
	ssize_t n;
	size_t len = 0;

	assert_int_equal(pipe(pipefd), 0);
	parent = getpid();
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int rc;

		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		if (before_confine && before_confine())
			_exit(101);
		rc = c ? obp_confine_install(c) : obp_confine(p);
		if (rc)
			_exit(100);
		/* exit, not _exit: LSan's check runs here in sanitizer builds. */
		exit(body());
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], o->err + len, sizeof(o->err) - 1 - len)) > 0)
		len += (size_t)n;
	o->err[len] = '\0';
	close(pipefd[0]);
	assert_int_equal(waitpid(pid, &o->status, 0), pid);
}

static void expect_survived(const struct outcome *o)
{
	if (!WIFEXITED(o->status) || WEXITSTATUS(o->status) != SURVIVED)
		fail_msg("child status 0x%x, stderr: %s", o->status, o->err);
}

static void expect_killed(const struct outcome *o, const char *call)
{
	char needle[64];

	if (!WIFSIGNALED(o->status) || WTERMSIG(o->status) != SIGSYS)
		fail_msg("child status 0x%x, not killed by SIGSYS; stderr: %s", o->status, o->err);
	snprintf(needle, sizeof(needle), "(%s) is not allowed", call);
	if (!strstr(o->err, needle))
		fail_msg("stderr does not name %s: %s", call, o->err);
}

static const struct obp_confine base = { .mode = OB_CONFINE_ALLOW_LIST };

/* ------------------------------------------------------- what is allowed */

static void *thread_body(void *arg)
{
	void *p = malloc(4096);

	free(p);
	return arg;
}

static int everyday_work(void)
{
	struct timespec ts = { 0, 1000000 };
	pthread_t t;
	void *big = malloc(8u << 20), *ret = NULL;
	uint8_t rnd[16];
	void *map;

	if (!big || pthread_create(&t, NULL, thread_body, &ts) || pthread_join(t, &ret) ||
	    ret != &ts)
		return 1;
	free(big);
	if (clock_gettime(CLOCK_MONOTONIC, &ts) || nanosleep(&(struct timespec){ 0, 1000 }, NULL))
		return 2;
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return 3;
	map = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED || mprotect(map, 4096, PROT_READ) || munmap(map, 1 << 16))
		return 4;
	if (write(STDERR_FILENO, "ok\n", 3) != 3 || poll(NULL, 0, 1) != 0)
		return 5;
	return SURVIVED;
}

static void test_everyday_work_allowed(void **state)
{
	struct outcome o;

	(void)state;
	run_confined(&base, NULL, everyday_work, &o);
	expect_survived(&o);
	assert_string_equal(o.err, "ok\n");
}

static int raise_to_self(void)
{
	signal(SIGUSR1, SIG_IGN);
	return raise(SIGUSR1) == 0 ? SURVIVED : 1;
}

static void test_signal_to_self_allowed(void **state)
{
	struct outcome o;

	(void)state;
	run_confined(&base, NULL, raise_to_self, &o);
	expect_survived(&o);
}

/* clone3 carries its flags in memory, out of the filter's sight: it says
 * ENOSYS, and glibc falls back to clone, whose flags are checked. */
static int clone3_enosys(void)
{
	long rc = syscall(SYS_clone3, NULL, (size_t)0);

	return rc == -1 && errno == ENOSYS ? SURVIVED : 1;
}

static void test_clone3_enosys(void **state)
{
	struct outcome o;

	(void)state;
	run_confined(&base, NULL, clone3_enosys, &o);
	expect_survived(&o);
}

/* ----------------------------------------------------- what is forbidden */

static int try_execve(void)
{
	execve("/nonexistent/ob-confine-test", no_args, no_args);
	return errno == ENOENT ? SURVIVED : 1;
}

static void test_execve_kills(void **state)
{
	char needle[64];
	struct outcome o;

	(void)state;
	run_confined(&base, NULL, try_execve, &o);
	expect_killed(&o, "execve");
	snprintf(needle, sizeof(needle), "outboard-plugin: seccomp: system call %d (execve)",
		 (int)SYS_execve);
	assert_non_null(strstr(o.err, needle));
	assert_non_null(strstr(o.err, "docs/confinement.md)\n"));
	assert_null(strstr(o.err, "made by thread")); /* the main thread's */
}

static int try_fork(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	return pid > 0 && waitpid(pid, NULL, 0) == pid ? SURVIVED : 1;
}

static int try_ptrace(void)
{
	ptrace(PTRACE_PEEKUSER, parent, NULL, NULL);
	return SURVIVED;
}

static int try_open(void)
{
	int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd >= 0 ? SURVIVED : 1;
}

static int try_exec_mapping(void)
{
	void *map = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return map != MAP_FAILED ? SURVIVED : 1;
}

static int try_signal_parent(void)
{
	/* Signal 0 only checks: harmless if it were allowed. */
	return kill(parent, 0) == 0 ? SURVIVED : 1;
}

static int try_tgkill_parent(void)
{
	return syscall(SYS_tgkill, parent, parent, 0) == 0 ? SURVIVED : 1;
}

static void test_process_calls_kill(void **state)
{
	struct outcome o;

	(void)state;
	run_confined(&base, NULL, try_signal_parent, &o);
	expect_killed(&o, "kill");
	run_confined(&base, NULL, try_tgkill_parent, &o);
	expect_killed(&o, "tgkill");
	if (obp_confine_relaxed_for_sanitizer())
		skip(); /* LSan clones a tracer that ptraces */
	run_confined(&base, NULL, try_fork, &o);
	expect_killed(&o, "clone");
	run_confined(&base, NULL, try_ptrace, &o);
	expect_killed(&o, "ptrace");
}

static void test_files_and_code_kill(void **state)
{
	struct outcome o;

	(void)state;
	run_confined(&base, NULL, try_exec_mapping, &o);
	expect_killed(&o, "mmap");
	if (obp_confine_relaxed_for_sanitizer())
		skip(); /* LSan reads /proc */
	run_confined(&base, NULL, try_open, &o);
	expect_killed(&o, "openat");
}

/* ------------------------------------------------------------- sockets */

static int socket_of(int family)
{
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd < 0)
		return 1;
	close(fd);
	return SURVIVED;
}

static int try_unix_socket(void)
{
	return socket_of(AF_UNIX);
}

static int try_inet_socket(void)
{
	return socket_of(AF_INET);
}

/* A kernel without IPv6 says EAFNOSUPPORT: allowed all the same. */
static int try_inet6_socket(void)
{
	return socket_of(AF_INET6) == SURVIVED || errno == EAFNOSUPPORT ? SURVIVED : 1;
}

static int try_unlink(void)
{
	return unlink("/nonexistent/ob-confine-test") < 0 && errno == ENOENT ? SURVIVED : 1;
}

static void test_sockets_without_endpoint(void **state)
{
	struct outcome o;

	(void)state;
	run_confined(&base, NULL, try_unix_socket, &o);
	expect_killed(&o, "socket");
	run_confined(&base, NULL, try_unlink, &o);
	expect_killed(&o, "unlink");
}

static void test_sockets_ipc_endpoint(void **state)
{
	struct obp_confine plain = { .url = "ipc:///tmp/x.sock" };
	struct obp_confine rebind = { .url = "ipc:///tmp/x.sock", .rebind = true };
	struct outcome o;

	(void)state;
	/* nanomsg removes the socket file when it closes it. */
	run_confined(&plain, NULL, try_unlink, &o);
	expect_survived(&o);
	run_confined(&plain, NULL, try_unix_socket, &o);
	expect_killed(&o, "socket");
	run_confined(&rebind, NULL, try_unix_socket, &o);
	expect_survived(&o);
	run_confined(&rebind, NULL, try_inet_socket, &o);
	expect_killed(&o, "socket");
}

static void test_sockets_tcp_endpoint(void **state)
{
	struct obp_confine plain = { .url = "tcp://127.0.0.1:5555" };
	struct obp_confine rebind = { .url = "tcp://127.0.0.1:5555", .rebind = true };
	struct outcome o;

	(void)state;
	run_confined(&plain, NULL, try_inet_socket, &o);
	expect_killed(&o, "socket");
	run_confined(&rebind, NULL, try_inet_socket, &o);
	expect_survived(&o);
	run_confined(&rebind, NULL, try_inet6_socket, &o);
	expect_survived(&o);
	run_confined(&rebind, NULL, try_unix_socket, &o);
	expect_killed(&o, "socket");
	run_confined(&rebind, NULL, try_unlink, &o);
	expect_killed(&o, "unlink");
}

/* ---------------------------------------------------------- the threads */

static pthread_barrier_t go;

static void *exec_later(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&go); /* the filter is on */
	execve("/nonexistent/ob-confine-test", no_args, no_args);
	return NULL;
}

static int thread_started_before(void)
{
	pthread_t t;

	/* Not the real order (run_confined installs first), so do it again:
	 * a second filter stacks, and TSYNC must reach the thread. */
	pthread_barrier_init(&go, NULL, 2);
	if (pthread_create(&t, NULL, exec_later, NULL))
		return 1;
	if (obp_confine_install(&base))
		return 2;
	pthread_barrier_wait(&go);
	pthread_join(t, NULL);
	return SURVIVED;
}

static void test_existing_threads_confined(void **state)
{
	static const struct obp_confine none = { .mode = OB_CONFINE_NONE };
	struct outcome o;

	(void)state;
	run_confined(&none, NULL, thread_started_before, &o);
	expect_killed(&o, "execve");
}

static void *exec_blocked(void *arg)
{
	sigset_t all;

	(void)arg;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL); /* as nanomsg's workers do */
	execve("/nonexistent/ob-confine-test", no_args, no_args);
	return NULL;
}

static int exec_in_blocking_thread(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, exec_blocked, NULL))
		return 1;
	pthread_join(t, NULL);
	return SURVIVED;
}

/* A thread that blocks every signal, as nanomsg's workers do, still runs
 * the reporter: the SDK keeps SIGSYS out of pthread_sigmask. */
static void test_blocking_thread_reported(void **state)
{
	struct outcome o;

	(void)state;
	run_confined(&base, NULL, exec_in_blocking_thread, &o);
	expect_killed(&o, "execve");
	/* And says it was not the main thread. */
	assert_non_null(strstr(o.err, "; made by thread "));
	assert_non_null(strstr(o.err, ", not the main one\n"));
}

/* A thread's malloc arena shrunk under the filter: blocks a second thread
 * allocated before the filter (as nanomsg's worker allocates the frames it
 * receives) are freed after it, half by that thread, which then exits,
 * half by the main thread, leaving megabytes free at the top of the heap.
 * glibc's first shrink of a thread's own heap opens
 * /proc/sys/vm/overcommit_memory; obp_confine_prepare keeps every thread
 * on the main heap, which brk shrinks. */
#define ARENA_BLOCKS 512
static void *arena_blocks[ARENA_BLOCKS];
static pthread_barrier_t arena_allocated, arena_confined;

static void *arena_thread(void *arg)
{
	(void)arg;
	for (size_t i = 0; i < ARENA_BLOCKS; i++) {
		arena_blocks[i] = malloc(16384);
		if (!arena_blocks[i])
			return NULL;
		memset(arena_blocks[i], (int)i, 16384);
	}
	pthread_barrier_wait(&arena_allocated);
	pthread_barrier_wait(&arena_confined);
	for (size_t i = ARENA_BLOCKS / 2; i < ARENA_BLOCKS; i++)
		free(arena_blocks[i]);
	return arg;
}

static pthread_t arena_worker;

static int start_arena_thread(void)
{
	obp_confine_prepare();
	if (pthread_barrier_init(&arena_allocated, NULL, 2) ||
	    pthread_barrier_init(&arena_confined, NULL, 2) ||
	    pthread_create(&arena_worker, NULL, arena_thread, NULL))
		return 1;
	pthread_barrier_wait(&arena_allocated);
	return arena_blocks[ARENA_BLOCKS - 1] ? 0 : 1;
}

static int free_thread_blocks(void)
{
	pthread_barrier_wait(&arena_confined);
	pthread_join(arena_worker, NULL);
	for (size_t i = ARENA_BLOCKS / 2; i-- > 0;)
		free(arena_blocks[i]);
	if (write(STDERR_FILENO, "freed\n", 6) != 6)
		return 1;
	return SURVIVED;
}

static void test_thread_heap_shrinks_confined(void **state)
{
	struct outcome o;

	(void)state;
	before_confine = start_arena_thread;
	run_confined(&base, NULL, free_thread_blocks, &o);
	before_confine = NULL;
	expect_survived(&o);
	assert_string_equal(o.err, "freed\n");
}

/* ------------------------------------------------- plugin lists and modes */

static void test_plugin_allow_list(void **state)
{
	static const char *const files[] = { "openat", NULL };
	struct obp_confine c = { .allow = files };
	struct outcome o;

	(void)state;
	run_confined(&c, NULL, try_open, &o);
	expect_survived(&o);
}

static void test_bad_names(void **state)
{
	static const char *const typo[] = { "openatt", NULL };
#if defined(__x86_64__)
	static const char *const absent[] = { "arm_fadvise64_64", "openat", NULL };
#elif defined(__aarch64__)
	static const char *const absent[] = { "open", "openat", NULL };
#else
	static const char *const absent[] = { "openat", NULL };
#endif
	struct obp_confine bad = { .allow = typo }, other_arch = { .allow = absent };
	struct outcome o;

	(void)state;
	run_confined(&bad, NULL, try_execve, &o);
	assert_true(WIFEXITED(o.status));
	assert_int_equal(WEXITSTATUS(o.status), 100);
	assert_non_null(strstr(o.err, "'openatt', which is no system call"));
	/* A call this architecture lacks is skipped, the rest applies. */
	run_confined(&other_arch, NULL, try_open, &o);
	expect_survived(&o);
}

static int try_mount(void)
{
	return mount("none", "/nonexistent", "tmpfs", 0, NULL) < 0 ? SURVIVED : 1;
}

static void test_deny_list(void **state)
{
	struct obp_confine deny = { .mode = OB_CONFINE_DENY_LIST };
	struct outcome o;

	(void)state;
	run_confined(&deny, NULL, try_open, &o);
	expect_survived(&o);
	run_confined(&deny, NULL, try_fork, &o);
	expect_survived(&o);
	run_confined(&deny, NULL, try_inet_socket, &o);
	expect_survived(&o);
	run_confined(&deny, NULL, try_execve, &o);
	expect_killed(&o, "execve");
	run_confined(&deny, NULL, try_mount, &o);
	expect_killed(&o, "mount");
	if (obp_confine_relaxed_for_sanitizer())
		skip();
	run_confined(&deny, NULL, try_ptrace, &o);
	expect_killed(&o, "ptrace");
}

static void test_mode_none(void **state)
{
	struct obp_confine none = { .mode = OB_CONFINE_NONE };
	struct outcome o;

	(void)state;
	run_confined(&none, NULL, try_execve, &o);
	expect_survived(&o);
}

/* ------------------------------------------------- obp_confine's switches */

static const Ob__Domain fs_only[] = { OB__DOMAIN__DOMAIN_FS };

static const struct ob_plugin test_plugin = {
	.size = sizeof(struct ob_plugin),
	.name = "confine-test",
	.version = "1",
	.domains = fs_only,
	.n_domains = 1,
};

static void test_switches(void **state)
{
	ob_plugin_ctx *p = NULL;
	struct outcome o;

	(void)state;
	assert_int_equal(obp_ctx_new(&test_plugin, &p), 0);

	/* On by default, reporting under the plugin's name. */
	run_confined(NULL, p, try_execve, &o);
	expect_killed(&o, "execve");
	assert_non_null(strstr(o.err, "outboard-confine-test: seccomp: system call"));

	p->opts.no_seccomp = true;
	run_confined(NULL, p, try_execve, &o);
	expect_survived(&o);
	assert_non_null(strstr(o.err, "without the seccomp filter (--no-seccomp)"));
	p->opts.no_seccomp = false;

	setenv("OB_NO_SECCOMP", "1", 1);
	run_confined(NULL, p, try_execve, &o);
	expect_survived(&o);
	assert_non_null(strstr(o.err, "without the seccomp filter (OB_NO_SECCOMP)"));
	setenv("OB_NO_SECCOMP", "0", 1);
	run_confined(NULL, p, try_execve, &o);
	expect_killed(&o, "execve");
	unsetenv("OB_NO_SECCOMP");

	obp_ctx_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_everyday_work_allowed),
		cmocka_unit_test(test_signal_to_self_allowed),
		cmocka_unit_test(test_clone3_enosys),
		cmocka_unit_test(test_execve_kills),
		cmocka_unit_test(test_process_calls_kill),
		cmocka_unit_test(test_files_and_code_kill),
		cmocka_unit_test(test_sockets_without_endpoint),
		cmocka_unit_test(test_sockets_ipc_endpoint),
		cmocka_unit_test(test_sockets_tcp_endpoint),
		cmocka_unit_test(test_existing_threads_confined),
		cmocka_unit_test(test_blocking_thread_reported),
		cmocka_unit_test(test_thread_heap_shrinks_confined),
		cmocka_unit_test(test_plugin_allow_list),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_deny_list),
		cmocka_unit_test(test_mode_none),
		cmocka_unit_test(test_switches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
