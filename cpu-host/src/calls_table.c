/*
 * The call table (see calls.h). Syscall numbers are part of guest ABI v1:
 * never renumber an entry, only add. Domain calls take their number from
 * the Request.call field number in proto/outboard.proto.
 */
#include "calls.h"

#include <string.h>

#include "display.pb-c.h"
#include "fs.pb-c.h"
#include "input.pb-c.h"
#include "outboard.pb-c.h"
#include "kernel/kcalls.h"
#include "outboard/errno.h"

#define A_INT(n) { .kind = OBH_A_INT, .name = n }
#define A_UINT(n) { .kind = OBH_A_UINT, .name = n }
#define A_TIMEOUT(n) { .kind = OBH_A_TIMEOUT, .name = n }
#define A_PTR(n, t) { .kind = OBH_A_PTR, .name = n, .ctype = t }
#define A_FN(n, t) { .kind = OBH_A_FN, .name = n, .ctype = t }
#define A_HANDLE(n) { .kind = OBH_A_HANDLE, .name = n }
#define A_FD(n) { .kind = OBH_A_FD, .name = n }
#define A_DIR(n) { .kind = OBH_A_DIR, .name = n }
#define A_STR(n) { .kind = OBH_A_STR, .name = n }
#define A_IN_BUF(n, l) { .kind = OBH_A_IN_BUF, .name = n, .len = l }
#define A_IN_ROWS(n, l, rows, origin)                                                  \
	{ .kind = OBH_A_IN_BUF, .name = n, .len = l, .len_times = (rows) + 1,            \
	  .row_origin = (origin) + 1 }
#define A_OUT_BUF(n, l) { .kind = OBH_A_OUT_BUF, .name = n, .len = l }
#define A_OUT_STR(n, l) { .kind = OBH_A_OUT_STR, .name = n, .len = l }
#define A_OUT_STRUCT(n, d) { .kind = OBH_A_OUT_STRUCT, .name = n, .msg = &(d) }
#define A_OUT_U32(n) { .kind = OBH_A_OUT_U32, .name = n }
#define A_OUT_U64(n) { .kind = OBH_A_OUT_U64, .name = n }

#define KERNEL(num_, name_, fn_, res_, doc_, ...)                                      \
	{ .num = num_, .name = name_, .domain = OBH_DOMAIN_KERNEL, .mode = OBH_LOCAL,  \
	  .entry = OBH_SYSCALL, .result = res_, .local = fn_, .doc = doc_,              \
	  .nargs = sizeof((struct obh_arg[]){ { 0 }, __VA_ARGS__ }) / sizeof(struct obh_arg) - 1, \
	  .args = { __VA_ARGS__ } }

#define HLE(num_, name_, dom_, mode_, res_, idem_, doc_, ...)                         \
	{ .num = num_, .name = name_, .domain = dom_, .mode = mode_,                   \
	  .entry = OBH_IMPORT, .result = res_, .idempotent = idem_, .doc = doc_,        \
	  .nargs = sizeof((struct obh_arg[]){ { 0 }, __VA_ARGS__ }) / sizeof(struct obh_arg) - 1, \
	  .args = { __VA_ARGS__ } }
/* A blit's format and stride, checked before it is posted. */
static int check_blit(const uint32_t *v)
{
	int32_t w = (int32_t)v[2];
	uint32_t bpp = v[4] == OB__PIXEL_FORMAT__PIXEL_FORMAT_XRGB8888 ? 4
		     : v[4] == OB__PIXEL_FORMAT__PIXEL_FORMAT_RGB565 ? 2 : 0;
	if (!bpp || (w > 0 && (uint64_t)v[5] < (uint64_t)w * bpp))
		return -OB_ABI_EINVAL;
	return 0;
}

#define DISPLAY(num_, name_, mode_, doc_, ...)                                         \
	HLE(num_, name_, OBH_DOMAIN_DISPLAY, mode_, OBH_R_INT, mode_ != OBH_POSTED, doc_, __VA_ARGS__)
#define SOUND(num_, name_, mode_, doc_, ...)                                           \
	HLE(num_, name_, OBH_DOMAIN_SOUND, mode_, OBH_R_INT, false, doc_, __VA_ARGS__)

#define FS(num_, name_, res_, idem_, doc_, ...)                                        \
	{ .num = num_, .name = name_, .domain = OBH_DOMAIN_FS, .mode = OBH_BLOCKING,   \
	  .entry = OBH_SYSCALL, .result = res_, .idempotent = idem_, .doc = doc_,       \
	  .nargs = sizeof((struct obh_arg[]){ { 0 }, __VA_ARGS__ }) / sizeof(struct obh_arg) - 1, \
	  .args = { __VA_ARGS__ } }

const struct obh_call obh_calls[] = {
	/* Kernel: process, time, heap. */
	KERNEL(1, "exit", k_exit, OBH_R_NORETURN,
	       "End the program, every thread, with a status (0-255).", A_INT("status")),
	KERNEL(2, "clock_get", k_clock_get, OBH_R_INT,
	       "Read a clock in ns: 0 wall time since the epoch, 1 monotonic since start.",
	       A_UINT("clock"), A_OUT_U64("ns")),
	KERNEL(3, "sbrk", k_sbrk, OBH_R_INT,
	       "Grow (or shrink) the heap; returns the old break, or -ENOMEM past --heap-max.",
	       A_INT("increment")),
	KERNEL(35, "isatty", k_isatty, OBH_R_INT,
	       "1 if fd is the console, 0 otherwise; -EBADF if fd is not open.", A_FD("fd")),

	/* Kernel: threads. */
	KERNEL(4, "thread_create", k_thread_create, OBH_R_INT,
	       "Start a thread at entry(arg) with a priority (0 highest .. 31) and a stack size; "
	       "returns its id.",
	       A_FN("entry", "ob_thread_fn"), A_PTR("arg", "void *"), A_INT("priority"),
	       A_UINT("stack_size")),
	KERNEL(5, "thread_exit", k_thread_exit, OBH_R_NORETURN,
	       "End the calling thread with a status for thread_join.", A_INT("status")),
	KERNEL(6, "thread_join", k_thread_join, OBH_R_INT,
	       "Wait for a thread to end and collect its status (status may be NULL).",
	       A_INT("tid"), A_OUT_U32("status"), A_TIMEOUT("timeout_ms")),
	KERNEL(7, "thread_yield", k_thread_yield, OBH_R_INT,
	       "Let other threads of the same priority run."),
	KERNEL(8, "thread_sleep", k_thread_sleep, OBH_R_INT,
	       "Sleep for at least ms milliseconds.", A_UINT("ms")),
	KERNEL(9, "thread_self", k_thread_self, OBH_R_INT, "The calling thread's id."),
	KERNEL(10, "thread_set_priority", k_thread_set_priority, OBH_R_INT,
	       "Change a thread's priority (tid 0: the caller); returns the old one.",
	       A_INT("tid"), A_INT("priority")),
	KERNEL(11, "tls_bind", k_tls_bind, OBH_R_INT,
	       "Name the guest word the host fills with each thread's tls value when it runs "
	       "(the SDK binds newlib's _impure_ptr).",
	       A_PTR("slot", "void **")),
	KERNEL(12, "tls_set", k_tls_set, OBH_R_INT,
	       "Set the calling thread's tls value and store it in the bound slot.",
	       A_PTR("value", "void *")),

	/* Kernel: synchronisation. Timeouts: -1 forever, 0 poll (-EAGAIN), else -ETIMEDOUT. */
	KERNEL(16, "mutex_create", k_mutex_create, OBH_R_HANDLE,
	       "Create a mutex; flags: OB_MUTEX_RECURSIVE.", A_UINT("flags")),
	KERNEL(17, "mutex_lock", k_mutex_lock, OBH_R_INT,
	       "Lock a mutex, waiting up to timeout_ms.", A_HANDLE("mutex"), A_TIMEOUT("timeout_ms")),
	KERNEL(18, "mutex_unlock", k_mutex_unlock, OBH_R_INT,
	       "Unlock a mutex the caller holds (-EPERM otherwise).", A_HANDLE("mutex")),
	KERNEL(19, "sem_create", k_sem_create, OBH_R_HANDLE,
	       "Create a counting semaphore with an initial and a maximum count.",
	       A_UINT("initial"), A_UINT("max")),
	KERNEL(20, "sem_wait", k_sem_wait, OBH_R_INT,
	       "Take one count, waiting up to timeout_ms.", A_HANDLE("sem"), A_TIMEOUT("timeout_ms")),
	KERNEL(21, "sem_post", k_sem_post, OBH_R_INT,
	       "Give one count back (-EOVERFLOW at the maximum).", A_HANDLE("sem")),
	KERNEL(22, "evf_create", k_evf_create, OBH_R_HANDLE,
	       "Create 32 event flags; flags: OB_EVF_AUTO_RESET clears the bits a wait consumed.",
	       A_UINT("flags"), A_UINT("initial")),
	KERNEL(23, "evf_set", k_evf_set, OBH_R_INT, "Set bits, waking the waiters they satisfy.",
	       A_HANDLE("evf"), A_UINT("bits")),
	KERNEL(24, "evf_clear", k_evf_clear, OBH_R_INT, "Clear bits.", A_HANDLE("evf"),
	       A_UINT("bits")),
	KERNEL(25, "evf_wait", k_evf_wait, OBH_R_INT,
	       "Wait until any (OB_EVF_ANY) or all (OB_EVF_ALL) of bits are set; "
	       "the bits seen are stored in got (may be NULL).",
	       A_HANDLE("evf"), A_UINT("bits"), A_UINT("mode"), A_TIMEOUT("timeout_ms"),
	       A_OUT_U32("got")),
	KERNEL(26, "queue_create", k_queue_create, OBH_R_HANDLE,
	       "Create a queue of capacity messages of msg_size bytes each.",
	       A_UINT("msg_size"), A_UINT("capacity")),
	KERNEL(27, "queue_send", k_queue_send, OBH_R_INT,
	       "Append a message of at most msg_size bytes, waiting for room up to timeout_ms.",
	       A_HANDLE("queue"), A_IN_BUF("msg", 2), A_UINT("len"), A_TIMEOUT("timeout_ms")),
	KERNEL(28, "queue_recv", k_queue_recv, OBH_R_INT,
	       "Take the oldest message, waiting up to timeout_ms; returns its length.",
	       A_HANDLE("queue"), A_OUT_BUF("msg", 2), A_UINT("len"), A_TIMEOUT("timeout_ms")),
	KERNEL(29, "handle_close", k_handle_close, OBH_R_INT,
	       "Destroy a mutex, semaphore, event flags or queue (-EBUSY while threads wait on it).",
	       A_HANDLE("handle")),

	/* Kernel: events (input, and the display's expose/vsync) and timers. */
	KERNEL(40, "input_wait", k_input_wait, OBH_R_INT,
	       "Take the oldest queued event into ev, waiting up to timeout_ms; returns 1.",
	       A_OUT_STRUCT("ev", ob__input_event__descriptor), A_TIMEOUT("timeout_ms")),
	KERNEL(41, "input_poll", k_input_poll, OBH_R_INT,
	       "Take the oldest queued event into ev if there is one: returns 1, else 0.",
	       A_OUT_STRUCT("ev", ob__input_event__descriptor)),
	KERNEL(42, "input_set_handler", k_input_set_handler, OBH_R_INT,
	       "Deliver events to fn(ev, arg) on the calling thread instead of the queue "
	       "(fn NULL: back to the queue). The handler runs at the thread's next safe point "
	       "and the thread then resumes with every register intact.",
	       A_FN("fn", "ob_event_fn"), A_PTR("arg", "void *")),
	KERNEL(43, "input_stats", k_input_stats, OBH_R_INT,
	       "Queue figures: events waiting, capacity, delivered, and dropped when it was full.",
	       A_OUT_STRUCT("st", ob__input_stats__descriptor)),
	KERNEL(44, "input_set_mask", k_input_set_mask, OBH_R_INT,
	       "Choose which event kinds are queued (bit n: kind n); returns the old mask. "
	       "The default takes every kind but vsync.",
	       A_UINT("mask")),
	KERNEL(45, "timer_start", k_timer_start, OBH_R_HANDLE,
	       "Call fn(arg) every period_ms on the calling thread, as an upcall like the "
	       "input handler; returns a timer handle.",
	       A_UINT("period_ms"), A_FN("fn", "ob_timer_fn"), A_PTR("arg", "void *")),
	KERNEL(46, "timer_stop", k_timer_stop, OBH_R_INT, "Stop a timer and free its handle.",
	       A_HANDLE("timer")),

	/* Filesystem domain. fds 0, 1 and 2 are the console and never leave the host. */
	FS(OB__REQUEST__CALL_FS_OPEN, "open", OBH_R_FD, false,
	   "Open a file; flags and mode as newlib's <fcntl.h>. Returns a new fd.",
	   A_STR("path"), A_UINT("flags"), A_UINT("mode")),
	FS(OB__REQUEST__CALL_FS_CLOSE, "close", OBH_R_INT, false, "Close an fd.", A_FD("fd")),
	FS(OB__REQUEST__CALL_FS_READ, "read", OBH_R_INT, true, /* offsets are restored first */
	   "Read up to count bytes at the file offset; returns the count read, 0 at the end.",
	   A_FD("fd"), A_OUT_BUF("buf", 2), A_UINT("count")),
	FS(OB__REQUEST__CALL_FS_WRITE, "write", OBH_R_INT, false,
	   "Write count bytes at the file offset; returns the count written.",
	   A_FD("fd"), A_IN_BUF("buf", 2), A_UINT("count")),
	FS(OB__REQUEST__CALL_FS_PREAD, "pread", OBH_R_INT, true,
	   "Read up to count bytes at offset without moving the file offset.",
	   A_FD("fd"), A_OUT_BUF("buf", 2), A_UINT("count"), A_INT("offset")),
	FS(OB__REQUEST__CALL_FS_PWRITE, "pwrite", OBH_R_INT, false,
	   "Write count bytes at offset without moving the file offset.",
	   A_FD("fd"), A_IN_BUF("buf", 2), A_UINT("count"), A_INT("offset")),
	FS(OB__REQUEST__CALL_FS_LSEEK, "lseek", OBH_R_INT, false,
	   "Move the file offset (whence: 0 set, 1 current, 2 end); returns the new offset.",
	   A_FD("fd"), A_INT("offset"), A_UINT("whence")),
	FS(OB__REQUEST__CALL_FS_FSTAT, "fstat", OBH_R_INT, true,
	   "Describe an open file.", A_FD("fd"), A_OUT_STRUCT("st", ob__file_stat__descriptor)),
	FS(OB__REQUEST__CALL_FS_STAT, "stat", OBH_R_INT, true, "Describe a path.",
	   A_STR("path"), A_OUT_STRUCT("st", ob__file_stat__descriptor)),
	FS(OB__REQUEST__CALL_FS_FTRUNCATE, "ftruncate", OBH_R_INT, true,
	   "Set an open file's length.", A_FD("fd"), A_INT("length")),
	FS(OB__REQUEST__CALL_FS_FSYNC, "fsync", OBH_R_INT, true,
	   "Flush an open file to stable storage.", A_FD("fd")),
	FS(OB__REQUEST__CALL_FS_UNLINK, "unlink", OBH_R_INT, false, "Remove a file.",
	   A_STR("path")),
	FS(OB__REQUEST__CALL_FS_RENAME, "rename", OBH_R_INT, false,
	   "Rename a file or directory, replacing a file at new_path.",
	   A_STR("old_path"), A_STR("new_path")),
	FS(OB__REQUEST__CALL_FS_MKDIR, "mkdir", OBH_R_INT, false, "Create a directory.",
	   A_STR("path"), A_UINT("mode")),
	FS(OB__REQUEST__CALL_FS_RMDIR, "rmdir", OBH_R_INT, false,
	   "Remove an empty directory.", A_STR("path")),
	FS(OB__REQUEST__CALL_FS_OPENDIR, "opendir", OBH_R_DIR, false,
	   "Open a directory for reading; returns a directory handle.", A_STR("path")),
	FS(OB__REQUEST__CALL_FS_READDIR, "readdir", OBH_R_INT, true, /* positions are restored */
	   "Read the next entry's name into name; returns its type (1 file, 2 directory, "
	   "3 other), or 0 at the end. '.' and '..' are not listed.",
	   A_DIR("dir"), A_OUT_STR("name", 2), A_UINT("name_len")),
	FS(OB__REQUEST__CALL_FS_CLOSEDIR, "closedir", OBH_R_INT, false,
	   "Close a directory handle.", A_DIR("dir")),
	FS(OB__REQUEST__CALL_FS_STATVFS, "statvfs", OBH_R_INT, true,
	   "Describe the filesystem holding path: block size and free space.",
	   A_STR("path"), A_OUT_STRUCT("st", ob__fs_space__descriptor)),

	/* Display domain (HLE imports). Drawing is posted; colours are 0xRRGGBB. */
	DISPLAY(OB__REQUEST__CALL_DISPLAY_INFO, "display_info", OBH_BLOCKING,
		"The screen's size and pixel format, and the built-in font's cell size.",
		A_OUT_STRUCT("info", ob__display_mode__descriptor)),
	DISPLAY(OB__REQUEST__CALL_DISPLAY_CLEAR, "display_clear", OBH_POSTED,
		"Fill the whole screen with a colour.", A_UINT("color")),
	DISPLAY(OB__REQUEST__CALL_DISPLAY_FILL_RECT, "display_fill_rect", OBH_POSTED,
		"Fill a rectangle (clipped to the screen).",
		A_INT("x"), A_INT("y"), A_INT("w"), A_INT("h"), A_UINT("color")),
	DISPLAY(OB__REQUEST__CALL_DISPLAY_DRAW_LINE, "display_draw_line", OBH_POSTED,
		"Draw a one-pixel line, both end points included.",
		A_INT("x0"), A_INT("y0"), A_INT("x1"), A_INT("y1"), A_UINT("color")),
	DISPLAY(OB__REQUEST__CALL_DISPLAY_DRAW_RECT, "display_draw_rect", OBH_POSTED,
		"Draw a one-pixel rectangle outline.",
		A_INT("x"), A_INT("y"), A_INT("w"), A_INT("h"), A_UINT("color")),
	DISPLAY(OB__REQUEST__CALL_DISPLAY_DRAW_TEXT, "display_draw_text", OBH_POSTED,
		"Draw text in the built-in font, top-left at (x, y); '\\n' starts a new line.",
		A_INT("x"), A_INT("y"), A_STR("text"), A_UINT("color")),
	{ .num = OB__REQUEST__CALL_DISPLAY_BLIT, .name = "display_blit",
	  .domain = OBH_DOMAIN_DISPLAY, .mode = OBH_POSTED, .entry = OBH_IMPORT,
	  .result = OBH_R_INT, .check = check_blit, .nargs = 7,
	  .doc = "Copy h rows of stride bytes of pixels (format: 1 XRGB8888, 2 RGB565) to "
		 "(x, y); -EINVAL for another format or a stride under w pixels.",
	  .args = { A_INT("x"), A_INT("y"), A_INT("w"), A_INT("h"), A_UINT("format"),
		    A_UINT("stride"), A_IN_ROWS("pixels", 5, 3, 1) } },
	DISPLAY(OB__REQUEST__CALL_DISPLAY_PRESENT, "display_present", OBH_BLOCKING,
		"Show everything drawn so far; returns the frame number. Paces the guest at the "
		"display's refresh rate."),

	/* Sound domain (HLE imports): one S16LE stream and a buzzer. */
	SOUND(OB__REQUEST__CALL_SOUND_OPEN, "sound_open", OBH_BLOCKING,
	      "Open the output stream: sample rate and channels (1 or 2), S16LE.",
	      A_UINT("rate"), A_UINT("channels")),
	SOUND(OB__REQUEST__CALL_SOUND_WRITE, "sound_write", OBH_BLOCKING,
	      "Queue len bytes of whole frames; waits while the backend's buffer is full.",
	      A_IN_BUF("buf", 1), A_UINT("len")),
	SOUND(OB__REQUEST__CALL_SOUND_DRAIN, "sound_drain", OBH_BLOCKING,
	      "Wait until everything queued has been played."),
	SOUND(OB__REQUEST__CALL_SOUND_CLOSE, "sound_close", OBH_BLOCKING,
	      "Close the stream (after draining it)."),
	SOUND(OB__REQUEST__CALL_SOUND_BEEP, "sound_beep", OBH_POSTED,
	      "Queue a square-wave tone of freq_hz for ms milliseconds, as a buzzer.",
	      A_UINT("freq_hz"), A_UINT("ms")),
};

const unsigned obh_ncalls = sizeof(obh_calls) / sizeof(obh_calls[0]);

int64_t obh_arg_len(const struct obh_call *c, unsigned i, const uint32_t *v)
{
	const struct obh_arg *a = &c->args[i];
	uint64_t len = v[a->len];
	if (a->len_times)
		len *= v[a->len_times - 1];
	return len > UINT32_MAX ? -1 : (int64_t)len;
}

/* Every syscall goes through here: index the table once. */
#define INDEX_SIZE 256
static const struct obh_call *by_num[INDEX_SIZE];
static bool indexed;

const struct obh_call *obh_call_by_num(uint32_t num)
{
	if (!indexed) {
		for (unsigned i = 0; i < obh_ncalls; i++)
			if (obh_calls[i].num < INDEX_SIZE)
				by_num[obh_calls[i].num] = &obh_calls[i];
		indexed = true;
	}
	return num < INDEX_SIZE ? by_num[num] : NULL;
}

const struct obh_call *obh_call_by_name(const char *name)
{
	for (unsigned i = 0; i < obh_ncalls; i++)
		if (strcmp(obh_calls[i].name, name) == 0)
			return &obh_calls[i];
	return NULL;
}

static const char *const domain_names[OBH_DOMAIN_COUNT] = {
	[OBH_DOMAIN_KERNEL] = "kernel",
	[OBH_DOMAIN_FS] = "fs",
	[OBH_DOMAIN_DISPLAY] = "display",
	[OBH_DOMAIN_SOUND] = "sound",
	[OBH_DOMAIN_INPUT] = "input",
};

const char *obh_domain_name(enum obh_domain d)
{
	return (unsigned)d < OBH_DOMAIN_COUNT ? domain_names[d] : "?";
}

int obh_domain_from_name(const char *name)
{
	for (int i = 0; i < OBH_DOMAIN_COUNT; i++)
		if (strcmp(domain_names[i], name) == 0)
			return i;
	return -1;
}
