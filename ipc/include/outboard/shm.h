/*
 * The shared-memory data path for local plugins (docs/performance.md,
 * "Shared memory"): payload bytes (blits, file data, sound) go through a
 * region mapped by the CPU host and the plugin, while the protobuf messages
 * on the nanomsg connection still carry every request and reply and refer
 * to the region by span (ShmSpan in proto/outboard.proto).
 *
 * How the region reaches the plugin (nanomsg cannot pass descriptors):
 * - a plugin listening on ipc://PATH also listens on a unix stream socket at
 *   PATH.shm (ob_shm_listen, before it is confined);
 * - the host creates a sealed memfd (ob_shm_create: it can neither shrink
 *   nor grow, so a mapping never faults), connects to PATH.shm, checks the
 *   listener runs as its own user, and passes the descriptor with
 *   SCM_RIGHTS together with a random token and the size (ob_shm_offer);
 * - it then sends its Hello with the same token; the plugin takes the
 *   queued connection carrying that token (ob_shm_accept), checks the
 *   region's size and seals, maps it, and answers with its size.
 * Every (re)connection of the host makes a fresh region; nothing of the old
 * one is reused.
 *
 * Trust: the host owns the region's layout (ob_shm_heap) and lends spans
 * per request. Neither side keeps anything in the region it relies on; each
 * checks every span it is given against the region (ob_shm_span_ok) and the
 * host also against what it lent, and bytes are copied out before use, so a
 * peer that scribbles over the region, or dies in the middle, can only spoil
 * its own payloads.
 *
 * Error convention as outboard/ipc.h: 0 or a negated errno.
 */
#ifndef OUTBOARD_SHM_H
#define OUTBOARD_SHM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Regions larger than this are refused by ob_shm_accept (and not made). */
#define OB_SHM_MAX_SIZE (1u << 30)
/* Spans are handed out at this alignment. */
#define OB_SHM_ALIGN 64u

typedef struct ob_shm ob_shm;

/* A new sealed memfd region of size bytes (a multiple of the page size is
 * not required), mapped read-write. *out owns it: ob_shm_free. Errors:
 * -EINVAL (size 0 or over OB_SHM_MAX_SIZE), or what memfd_create, ftruncate,
 * fcntl or mmap report. */
int ob_shm_create(uint32_t size, ob_shm **out);

/* Unmap and close. Accepts NULL. */
void ob_shm_free(ob_shm *s);

/* The mapping and its size. */
uint8_t *ob_shm_base(const ob_shm *s);
uint32_t ob_shm_size(const ob_shm *s);

/* Whether [off, off + len) lies inside a region of size bytes (len 0 too:
 * off must be <= size). Overflow-safe for any 64-bit inputs. */
bool ob_shm_span_ok(uint32_t size, uint64_t off, uint64_t len);

/* The side socket's path for an ipc:// url ("ipc:///run/x/fs.sock" ->
 * "/run/x/fs.sock.shm") into buf. -EINVAL for another scheme,
 * -ENAMETOOLONG when it does not fit buf or a unix socket address. */
int ob_shm_side_path(const char *url, char *buf, size_t cap);

/*
 * Host: pass s's descriptor, token and size to the plugin listening at
 * url's side socket. Never blocks. Errors: -ENOENT/-ECONNREFUSED (nobody
 * listens there: the plugin predates this, or serves stdin), -EAGAIN (its
 * backlog is full), -EPERM (the listener runs as another user), -EINVAL.
 */
int ob_shm_offer(const ob_shm *s, const char *url, uint64_t token);

/* The same, keeping the connection: on success *lane gets it (the caller
 * owns it), to become the request lane (ob_conn_attach_lane) once the
 * plugin has taken the region; the plugin's ob_shm_accept_lane gets its
 * other end. */
int ob_shm_offer_lane(const ob_shm *s, const char *url, uint64_t token, int *lane);

/* A random, non-zero token for ob_shm_offer. */
uint64_t ob_shm_token(void);

/*
 * Plugin: listen on url's side socket (a stale file there is removed
 * first). *fd gets the listening socket (non-blocking, close-on-exec).
 * Errors: -EINVAL (not ipc://), -ENAMETOOLONG, or what socket/bind report.
 */
int ob_shm_listen(const char *url, int *fd);

/* Plugin: close the listener and remove its file. Accepts fd < 0. */
void ob_shm_unlisten(int fd, const char *url);

/*
 * Plugin: take the region offered with token and size from the
 * connections queued on listen_fd (waiting up to wait_ms for it), closing
 * every other one and the descriptors they carried. The region must be a
 * memfd of exactly size bytes sealed against shrinking. Errors: -ENOENT
 * (no offer with that token), -EPROTO (its size or seals are wrong), -EINVAL
 * (size 0 or too large), or mmap's error.
 */
int ob_shm_accept(int listen_fd, uint64_t token, uint32_t size, int wait_ms, ob_shm **out);

/* The same, keeping the connection that carried the region: on success
 * *lane gets it (the caller owns it), else -1. */
int ob_shm_accept_lane(int listen_fd, uint64_t token, uint32_t size, int wait_ms, ob_shm **out,
		       int *lane);

/*
 * The host's bookkeeping of a region: which spans are lent. First fit over
 * a sorted array; spans are OB_SHM_ALIGN-aligned and never overlap.
 */
struct ob_shm_heap;

/* A heap over [0, size) holding at most max_spans spans. -EINVAL, -ENOMEM. */
int ob_shm_heap_new(uint32_t size, unsigned max_spans, struct ob_shm_heap **out);
void ob_shm_heap_free(struct ob_shm_heap *hp);

/* Lend len bytes (len > 0): *off gets the span's offset. -EINVAL (len 0 or
 * larger than the region), -ENOSPC (no gap large enough now), -ENOBUFS
 * (max_spans lent). */
int ob_shm_heap_alloc(struct ob_shm_heap *hp, uint32_t len, uint32_t *off);

/* Take back the span starting at off. -ENOENT when no span starts there
 * (nothing changes). */
int ob_shm_heap_release(struct ob_shm_heap *hp, uint32_t off);

/* The length of the span lent at off, or 0 when none starts there. */
uint32_t ob_shm_heap_span(const struct ob_shm_heap *hp, uint32_t off);

/* Bytes lent (rounded up to the alignment) and spans lent. */
uint64_t ob_shm_heap_used(const struct ob_shm_heap *hp);
unsigned ob_shm_heap_count(const struct ob_shm_heap *hp);

#ifdef __cplusplus
}
#endif

#endif /* OUTBOARD_SHM_H */
