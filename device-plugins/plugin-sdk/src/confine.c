/*
 * Confinement: the seccomp filter every plugin serves under (plugin.h,
 * docs/confinement.md), built with libseccomp from lists of system call
 * names, so that the lists read like the documentation and resolve on any
 * architecture.
 *
 * The default action is SCMP_ACT_TRAP, not SCMP_ACT_KILL_PROCESS, for the
 * diagnosis: the kernel sends SIGSYS to the thread that made the call, and
 * on_sigsys writes one line naming it, then dies of SIGSYS (its default
 * action) so that every observer (the launcher, a shell, a test) sees the
 * same death as a plain kill. In a thread that blocks SIGSYS the kernel
 * resets the action and kills with SIGSYS directly, without the line; so
 * the SDK keeps SIGSYS out of every pthread_sigmask (see below), which is
 * how nanomsg's workers block every signal.
 *
 * The filter covers every thread (SCMP_FLTATR_CTL_TSYNC): nanomsg's
 * workers exist before it is installed. System calls of another ABI (i386
 * int 0x80 on x86_64) kill the process outright.
 */
#define _GNU_SOURCE /* si_syscall, CLONE_THREAD */
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <seccomp.h>
#ifdef OBP_HAVE_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

#include "outboard/sanitizer.h"
#include "sdk.h"

/* A sanitizer's runtime makes system calls of its own, at any time:
 * OUTBOARD_SANITIZE defines OBP_SANITIZER_BUILD, and the compilers say so
 * (outboard/sanitizer.h) for builds made another way. */
#if defined(OBP_SANITIZER_BUILD) || OB_SANITIZER
#define OBP_SANITIZER 1
#else
#define OBP_SANITIZER 0
#endif

/*
 * What the SDK, nanomsg, libsodium and glibc need to serve frames on
 * descriptors that already exist. Calls that need their arguments checked
 * are added by add_checked_rules: clone (threads only), clone3 (ENOSYS, so
 * that glibc falls back to clone), tgkill (this process only), mmap and
 * mprotect (never executable).
 */
static const char *const base_syscalls[] = {
	/* memory (malloc, thread stacks) */
	"brk", "munmap", "mremap", "madvise",
	/* threads and their synchronisation */
	"futex", "set_robust_list", "rseq", "sched_yield", "sched_getaffinity",
	"gettid", "getpid",
	/* signals: the signalfd, abort(), pthread_create's mask */
	"rt_sigreturn", "rt_sigprocmask", "rt_sigaction", "restart_syscall",
	/* time */
	"clock_gettime", "clock_getres", "gettimeofday", "time", "nanosleep",
	"clock_nanosleep",
	/* descriptors that exist: the log, stdin/stdout, the signalfd, nanomsg's
	 * eventfds and sockets, the plugin's own files */
	"read", "write", "readv", "writev", "close", "fcntl", "fstat", "newfstatat",
	"poll", "ppoll", "epoll_wait", "epoll_pwait", "epoll_pwait2", "epoll_ctl",
	"accept", "accept4", "recvmsg", "sendmsg", "recvfrom", "sendto", "getsockopt",
	"setsockopt", "shutdown", "getsockname", "getpeername",
	/* libsodium's nonces */
	"getrandom",
	"exit", "exit_group",
	NULL,
};

/* An ipc:// listener: nanomsg removes the socket file when it closes the
 * socket (and, before binding again, a stale one). */
static const char *const ipc_syscalls[] = {
	"unlink", "unlinkat",
	NULL,
};

/* A listener with a key binds again after dropping a failed peer: nanomsg
 * closes its socket and makes a new one (obi_conn_rebind); for ipc:// it
 * first connects to the socket file to see whether it is stale. */
static const char *const rebind_syscalls[] = {
	"bind", "listen", "connect", "epoll_create1", "eventfd2", "pipe2",
	NULL,
};

/*
 * What a sanitizer runtime adds (OBP_SANITIZER): LSan's check at exit
 * clones a tracer (without CLONE_THREAD, after prctl PR_SET_PTRACER) that
 * ptraces and waits for every thread, and reads /proc/self/task and
 * /proc/self/maps with raw system calls (open, getdents and readlink on
 * x86_64, the *at variants elsewhere); ASan frees each thread's alternate
 * signal stack when the thread ends. Exec, other sockets and signals to
 * other processes stay forbidden.
 */
static const char *const sanitizer_syscalls[] = {
	"clone", "ptrace", "wait4", "prctl", "getppid", "sigaltstack",
	"open", "openat", "lseek", "getdents", "getdents64", "readlink", "readlinkat",
	NULL,
};

/*
 * OB_CONFINE_DENY_LIST: what no plugin ever needs and an attacker would
 * love: running programs, reading or changing other processes, the mount
 * table and namespaces, kernel modules and kexec, BPF and perf, keyrings,
 * the clock, swap and reboot.
 */
static const char *const denied_syscalls[] = {
	"execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev",
	"pidfd_getfd", "kcmp", "mount", "umount2", "pivot_root", "chroot", "unshare",
	"setns", "mount_setattr", "move_mount", "open_tree", "fsopen", "fsconfig",
	"fsmount", "fspick", "init_module", "finit_module", "delete_module",
	"kexec_load", "kexec_file_load", "bpf", "perf_event_open", "userfaultfd",
	"keyctl", "add_key", "request_key", "reboot", "swapon", "swapoff", "acct",
	"settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
	"open_by_handle_at", "name_to_handle_at", "iopl", "ioperm", "quotactl",
	"syslog", "uselib", "sethostname", "setdomainname", "vhangup",
	"lookup_dcookie", "personality", "io_uring_setup",
	NULL,
};

/* --------------------------------------- before the first thread exists */

/*
 * glibc's malloc gives each new thread an arena of its own, carved from
 * heaps it maps itself. When free() leaves more than the trim threshold
 * (128 KiB by default) unused at the top of such a heap, glibc shrinks it,
 * and the first shrink of the process reads /proc/sys/vm/overcommit_memory
 * (malloc/arena.c, check_may_shrink_heap): an openat, which the allow-list
 * forbids. nanomsg's worker thread allocates every frame it receives in its
 * arena and the main thread frees it after dispatch, so a stream of large
 * posted blits, a backlog drained at shutdown or the worker's own exit
 * (its tcache is freed then) could kill a plugin with SIGSYS at any time.
 * With one arena every thread allocates from the main heap, which glibc
 * shrinks with brk and nothing else. glibc reads the limit when a second
 * thread first allocates, so this runs before any thread exists.
 */
void obp_confine_prepare(void)
{
#if defined(__GLIBC__) && defined(M_ARENA_MAX)
	mallopt(M_ARENA_MAX, 1);
#endif
}

#ifdef __GLIBC__
/*
 * SIGSYS is never blocked, so that every trap is reported. nanomsg's
 * worker threads block every signal (nn_thread_init: sigfillset and
 * pthread_sigmask before pthread_create), and a forbidden call in a thread
 * that blocks SIGSYS is a kill without the line naming it: the kernel
 * resets the action and unblocks the signal itself. This definition in the
 * executable comes before libc's for the shared libraries too (nanomsg
 * calls it through its PLT). Blocking a synchronous signal changes nothing
 * else: a trapped call kills the process either way. glibc's sigprocmask
 * calls its internal __pthread_sigmask, never this; musl's would call this,
 * hence glibc only.
 */
int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	sigset_t without_sigsys;

	if (set && how != SIG_UNBLOCK && sigismember(set, SIGSYS) == 1) {
		without_sigsys = *set;
		sigdelset(&without_sigsys, SIGSYS);
		set = &without_sigsys;
	}
	return sigprocmask(how, set, old) == 0 ? 0 : errno;
}
#endif

/* ----------------------------------------------------- the SIGSYS report */

#define OBP_NAMES 512   /* every x86_64 and aarch64 call number fits */
#define OBP_NAME_LEN 32

/* Names by number, resolved before the filter goes on: the handler may
 * only read them (libseccomp's resolver allocates). */
static char syscall_names[OBP_NAMES][OBP_NAME_LEN];
static const char *report_program = "outboard-plugin";

static size_t put_str(char *buf, size_t at, size_t cap, const char *s)
{
	while (*s && at < cap)
		buf[at++] = *s++;
	return at;
}

static size_t put_int(char *buf, size_t at, size_t cap, long v)
{
	char digits[24];
	size_t n = 0;
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

	do
		digits[n++] = (char)('0' + u % 10);
	while ((u /= 10) && n < sizeof(digits));
	if (v < 0 && at < cap)
		buf[at++] = '-';
	while (n && at < cap)
		buf[at++] = digits[--n];
	return at;
}

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1 /* si_code of a seccomp trap (linux/signal.h) */
#endif

/* Async-signal-safe only: no stdio, no malloc, no libseccomp. */
static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	char line[320];
	size_t n = 0, cap = sizeof(line) - 1;
	int nr = si->si_syscall;
	const char *name = nr >= 0 && nr < OBP_NAMES && syscall_names[nr][0]
				   ? syscall_names[nr] : "unknown";
	ssize_t written;
	long tid;

	(void)uc;
	if (si->si_code != SYS_SECCOMP) {
		raise(sig); /* someone else's SIGSYS: die of it, silently */
		_exit(128 + SIGSYS);
	}
	n = put_str(line, n, cap, report_program);
	n = put_str(line, n, cap, ": seccomp: system call ");
	n = put_int(line, n, cap, nr);
	n = put_str(line, n, cap, " (");
	n = put_str(line, n, cap, name);
	n = put_str(line, n, cap, ") is not allowed for this plugin; killed by SIGSYS "
		    "(docs/confinement.md)");
	/* Which thread: another than the main one means a library's
	 * (nanomsg's worker) or the backend's own. */
	tid = syscall(SYS_gettid);
	if (tid != getpid()) {
		n = put_str(line, n, cap, "; made by thread ");
		n = put_int(line, n, cap, tid);
		n = put_str(line, n, cap, ", not the main one");
	}
	line[n++] = '\n';
	written = write(STDERR_FILENO, line, n);
	(void)written;
	/* SA_RESETHAND made the action the default again: die of it. */
	raise(sig);
	_exit(128 + SIGSYS);
}

static void fill_names(void)
{
	for (int nr = 0; nr < OBP_NAMES; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

		if (name) {
			snprintf(syscall_names[nr], OBP_NAME_LEN, "%s", name);
			free(name);
		}
	}
}

static int install_reporter(void)
{
	struct sigaction sa = {
		.sa_sigaction = on_sigsys,
		/* NODEFER: SIGSYS stays deliverable inside, for raise(). */
		.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER,
	};
	sigset_t set;

	fill_names();
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) < 0)
		return -errno;
	sigemptyset(&set);
	sigaddset(&set, SIGSYS);
	return pthread_sigmask(SIG_UNBLOCK, &set, NULL) == 0 ? 0 : -EINVAL;
}

/* ------------------------------------------------------------ the rules */

static bool listed(const char *const *names, const char *name)
{
	for (; *names; names++)
		if (strcmp(*names, name) == 0)
			return true;
	return false;
}

/* Add action for every name. 0, or -EINVAL for a name libseccomp does
 * not know (logged), or libseccomp's error. */
static int add_names(scmp_filter_ctx f, uint32_t action, const char *const *names,
		     const char *whose)
{
	for (; names && *names; names++) {
		int nr = seccomp_syscall_resolve_name(*names);
		int rc;

		/* A sanitizer's needs win over the deny list (LSan ptraces). */
		if (action != SCMP_ACT_ALLOW && OBP_SANITIZER && listed(sanitizer_syscalls, *names))
			continue;
		if (nr == __NR_SCMP_ERROR) {
			OB_ERROR(OBP_LOG, "seccomp: %s names '%s', which is no system call", whose,
				 *names);
			return -EINVAL;
		}
		/* A call this architecture lacks is a pseudo number (< 0), which
		 * libseccomp drops for the native architecture. */
		rc = seccomp_rule_add(f, action, nr, 0);
		if (rc < 0 && nr >= 0) {
			OB_ERROR(OBP_LOG, "seccomp: cannot add a rule for %s: %s", *names, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

/* Argument checks, spelled out: libseccomp's SCMP_A0(op, x) leaves
 * datum_b to the compiler, which some warn about. */
static struct scmp_arg_cmp arg_is(unsigned arg, scmp_datum_t value)
{
	return (struct scmp_arg_cmp){ .arg = arg, .op = SCMP_CMP_EQ, .datum_a = value };
}

static struct scmp_arg_cmp arg_bits(unsigned arg, scmp_datum_t mask, scmp_datum_t value)
{
	return (struct scmp_arg_cmp){
		.arg = arg, .op = SCMP_CMP_MASKED_EQ, .datum_a = mask, .datum_b = value,
	};
}

/* Threads yes, processes no; signals only to ourselves; no new code. */
static int add_checked_rules(scmp_filter_ctx f)
{
	int rc;

	rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
			      arg_bits(0, CLONE_THREAD, CLONE_THREAD));
	/* clone3's flags are in memory, out of the filter's sight: glibc
	 * takes ENOSYS as "use clone". */
	if (!rc)
		rc = seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (!rc)
		rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
				      arg_is(0, (scmp_datum_t)getpid()));
	if (!rc)
		rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
				      arg_bits(2, PROT_EXEC, 0));
	if (!rc)
		rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
				      arg_bits(2, PROT_EXEC, 0));
	if (rc)
		OB_ERROR(OBP_LOG, "seccomp: cannot add the checked rules: %s", strerror(-rc));
	return rc;
}

/* What the endpoint needs: ipc:// removes its file; a re-bind makes new
 * sockets, only of the endpoint's family. */
static int add_endpoint_rules(scmp_filter_ctx f, const struct obp_confine *c)
{
	static const int inet[] = { AF_INET, AF_INET6 }, unix_only[] = { AF_UNIX };
	bool ipc = strncmp(c->url, "ipc://", 6) == 0;
	const int *families = ipc ? unix_only : inet;
	size_t n = ipc ? 1 : 2;
	int rc = ipc ? add_names(f, SCMP_ACT_ALLOW, ipc_syscalls, "the SDK") : 0;

	if (rc || !c->rebind)
		return rc;
	rc = add_names(f, SCMP_ACT_ALLOW, rebind_syscalls, "the SDK");
	for (size_t i = 0; i < n && !rc; i++)
		rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
				      arg_is(0, (scmp_datum_t)families[i]));
	return rc;
}

static int add_allow_list(scmp_filter_ctx f, const struct obp_confine *c)
{
	int rc = add_names(f, SCMP_ACT_ALLOW, base_syscalls, "the SDK");

	if (!rc)
		rc = add_checked_rules(f);
	if (!rc && c->url)
		rc = add_endpoint_rules(f, c);
	if (!rc && OBP_SANITIZER)
		rc = add_names(f, SCMP_ACT_ALLOW, sanitizer_syscalls, "the sanitizer list");
	if (!rc)
		rc = add_names(f, SCMP_ACT_ALLOW, c->allow, "the plugin's allow_syscalls");
	return rc;
}

int obp_confine_install(const struct obp_confine *c)
{
	bool deny = c->mode == OB_CONFINE_DENY_LIST;
	scmp_filter_ctx f;
	int rc;

	if (c->mode == OB_CONFINE_NONE)
		return 0;
	if (c->mode != OB_CONFINE_ALLOW_LIST && !deny) {
		OB_ERROR(OBP_LOG, "seccomp: unknown confinement mode %d", (int)c->mode);
		return -EINVAL;
	}
	f = seccomp_init(deny ? SCMP_ACT_ALLOW : SCMP_ACT_TRAP);
	if (!f)
		return -ENOMEM;
	rc = seccomp_attr_set(f, SCMP_FLTATR_CTL_TSYNC, 1);
	if (!rc)
		rc = seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (!rc)
		rc = deny ? add_names(f, SCMP_ACT_TRAP, denied_syscalls, "the SDK's deny list")
			  : add_allow_list(f, c);
	if (!rc)
		rc = install_reporter();
	if (!rc) {
		rc = seccomp_load(f);
		if (rc)
			OB_ERROR(OBP_LOG, "seccomp: the kernel refused the filter: %s",
				 strerror(-rc));
	}
	seccomp_release(f);
	return rc;
}

bool obp_confine_relaxed_for_sanitizer(void)
{
	return OBP_SANITIZER;
}

/* OB_NO_SECCOMP set to anything but "" or "0" turns the filter off. */
static bool env_says_off(void)
{
	const char *v = getenv("OB_NO_SECCOMP");

	return v && v[0] && strcmp(v, "0") != 0;
}

/* Valgrind does not implement seccomp(2): a filter would fail to load (or
 * would confine valgrind itself). make check-valgrind runs plugins so. */
static bool under_valgrind(void)
{
#ifdef OBP_HAVE_VALGRIND_H
	return RUNNING_ON_VALGRIND;
#else
	return false;
#endif
}

int obp_confine(const ob_plugin_ctx *p)
{
	struct obp_confine c = {
		.mode = p->plugin.confine,
		.allow = p->plugin.allow_syscalls,
		.url = p->conn ? p->opts.listen : NULL,
		.rebind = p->conn && p->have_key,
	};
	int rc;

	report_program = p->program;
	if (p->opts.no_seccomp || env_says_off() || under_valgrind()) {
		OB_WARN(OBP_LOG, "running without the seccomp filter (%s)",
			p->opts.no_seccomp ? "--no-seccomp"
			: env_says_off()   ? "OB_NO_SECCOMP"
					   : "valgrind cannot apply one");
		return 0;
	}
	if (c.mode == OB_CONFINE_NONE) {
		OB_INFO(OBP_LOG, "%s runs without a seccomp filter (its choice)", p->plugin.name);
		return 0;
	}
	rc = obp_confine_install(&c);
	if (rc) {
		OB_ERROR(OBP_LOG, "cannot confine the plugin (%s); --no-seccomp runs it "
			 "unconfined", strerror(-rc));
		return rc;
	}
	OB_INFO(OBP_LOG, "confined by seccomp (%s%s)",
		c.mode == OB_CONFINE_DENY_LIST ? "deny-list" : "allow-list",
		OBP_SANITIZER ? ", widened for the sanitizer runtime" : "");
	return 0;
}
