/*
 * The guest address space: 4 GiB of 32-bit addresses over one uc_engine.
 *
 * Every region is backed by host memory this module mmaps and hands to
 * Unicorn with uc_mem_map_ptr. The host therefore reads and writes guest
 * memory with memcpy after a bounds and permission check against the region
 * table, and never calls uc_mem_read/uc_mem_write on the syscall path.
 * The region table is the authority for host accesses; Unicorn holds the
 * same permissions for guest accesses, and every change goes to both.
 *
 * Memory map (docs/abi.md):
 *   0x00000000-guard end   never mapped (NULL guard): page 0 always, and up
 *                          to 64 KiB below the image (obh_mem_set_null_guard)
 *   image                  PT_LOAD segments (loader/elf.c), 0x8000 or
 *                          0x10000 for a standard ARM link
 *   image end + 64 KiB     heap, grown by obh_mem_sbrk
 *   0x70000000-0x7ffeffff  stacks, each with an unmapped 64 KiB guard below
 *   0xfffe0000-0xfffe0fff  host page (thunks, backstops), mapped by the host
 *
 * Addresses are uint32_t; a range [addr, addr + len) is computed in 64 bits,
 * so a range that wraps past 4 GiB is simply "not mapped" (-EFAULT).
 *
 * Regions come in three kinds. Plain regions (obh_mem_map) can be unmapped
 * and re-protected, also in part: the region is split at the boundaries.
 * The heap region changes only through obh_mem_sbrk, and stack regions only
 * through obh_mem_alloc_stack/obh_mem_free_stack; obh_mem_unmap and
 * obh_mem_protect refuse them (-EINVAL). The heap's reserved range and every
 * stack's guard are claimed too: obh_mem_map refuses to map into them.
 *
 * Not thread-safe: the CPU host drives the engine and its memory from one
 * thread. Set the engine's CPU model before the first obh_mem_map (Unicorn
 * accepts it only before memory is mapped).
 *
 * Errors are negated host errno values: the syscall dispatcher maps them to
 * the ABI's numbering.
 */
#ifndef OBH_MEM_H
#define OBH_MEM_H

#include <stddef.h>
#include <stdint.h>

#include <unicorn/unicorn.h>

/* Granularity of every mapping. Unicorn's ARM page (1 KiB) divides it. */
#define OBH_PAGE_SIZE 0x1000u

#define OBH_NULL_PAGE_END 0x00001000u  /* page 0: never mapped */
#define OBH_NULL_GUARD_MAX 0x00010000u /* the guard below the image is at most this */
#define OBH_HEAP_GAP 0x00010000u       /* unmapped gap between image and heap */
#define OBH_STACK_AREA_LO 0x70000000u
#define OBH_STACK_AREA_HI 0x7fff0000u  /* exclusive */
#define OBH_STACK_GUARD 0x00010000u    /* unmapped guard below each stack */
#define OBH_HOST_PAGE 0xfffe0000u
#define OBH_HOST_PAGE_SIZE 0x1000u

/* Permissions; equal to Unicorn's UC_PROT_* bits. */
#define OBH_PROT_R 1u
#define OBH_PROT_W 2u
#define OBH_PROT_X 4u
#define OBH_PROT_RWX (OBH_PROT_R | OBH_PROT_W | OBH_PROT_X)

/* Region names are truncated to fit, with their NUL. */
#define OBH_REGION_NAME_MAX 24

enum obh_region_kind {
	OBH_REGION_PLAIN = 0,
	OBH_REGION_HEAP,
	OBH_REGION_STACK,
};

/* One mapped range. Read-only to callers; pointers to regions are valid
 * until the next call that maps, unmaps, protects, grows or shrinks. */
struct obh_region {
	uint32_t start;  /* page-aligned */
	uint32_t size;   /* > 0, a multiple of OBH_PAGE_SIZE; see obh_region_end */
	unsigned prot;   /* OBH_PROT_* */
	enum obh_region_kind kind;
	uint8_t *host;   /* host view of [start, start + size) */
	char name[OBH_REGION_NAME_MAX]; /* "text", "heap", "stack:3", "host" */
};

/* One past the last byte; 2^32 for a region that ends the address space. */
static inline uint64_t obh_region_end(const struct obh_region *r)
{
	return (uint64_t)r->start + r->size;
}

struct obh_mem;

/* Creates an empty address space over uc. The caller keeps owning uc and
 * must close it only after obh_mem_destroy. Returns 0 or -ENOMEM. */
int obh_mem_create(uc_engine *uc, struct obh_mem **out);

/* Unmaps every region from the engine and frees all host memory.
 * Accepts NULL. */
void obh_mem_destroy(struct obh_mem *m);

/* The engine is about to be closed (or was): obh_mem_destroy then only
 * frees host memory. Unmapping region by region first would flush
 * Unicorn's TLB page by page, about half of a short run's time. */
void obh_mem_forget_engine(struct obh_mem *m);

/*
 * The NULL guard: [0, end) is never mapped, so that a NULL pointer (plus a
 * small offset) faults and fault reports name it. It starts as page 0; the
 * loader raises it to the image's lowest page, at most OBH_NULL_GUARD_MAX,
 * so a program linked at 0x8000 gets 32 KiB and one at 0x10000 64 KiB.
 * obh_mem_set_null_guard: end must be page-aligned, at least
 * OBH_NULL_PAGE_END and at most OBH_NULL_GUARD_MAX, and nothing mapped below
 * it; else -EINVAL.
 */
int obh_mem_set_null_guard(struct obh_mem *m, uint32_t end);
uint32_t obh_mem_null_guard_end(const struct obh_mem *m);

/* Maps [addr, addr + size) with prot, zero-filled, as a plain region.
 * name is copied (truncated to OBH_REGION_NAME_MAX - 1 characters).
 * Errors: -EINVAL (addr or size not page-aligned, size 0, wraps past 4 GiB,
 * inside the NULL guard, prot has unknown bits, name NULL); -EEXIST (part
 * of the range is mapped, or is a stack guard or the heap's reserved range);
 * -ENOMEM. */
int obh_mem_map(struct obh_mem *m, uint32_t addr, uint32_t size, unsigned prot,
		const char *name);

/* Unmaps a page-aligned range of plain regions, splitting regions the range
 * cuts. Errors: -EINVAL (alignment, size 0, wrap, a heap or stack region in
 * the range); -EFAULT (part of the range is not mapped); -ENOMEM. */
int obh_mem_unmap(struct obh_mem *m, uint32_t addr, uint32_t size);

/* Sets prot on a page-aligned range of plain regions, splitting as needed.
 * Errors as obh_mem_unmap, and -EINVAL for unknown prot bits. */
int obh_mem_protect(struct obh_mem *m, uint32_t addr, uint32_t size, unsigned prot);

/* Guest-permission-checked copies, for syscall arguments: reading needs
 * OBH_PROT_R and writing OBH_PROT_W on every byte. The range may span
 * adjacent regions. Nothing is copied unless the whole range passes.
 * len 0 always succeeds. Returns 0 or -EFAULT. */
int obh_mem_read(const struct obh_mem *m, uint32_t addr, void *dst, uint32_t len);
int obh_mem_write(struct obh_mem *m, uint32_t addr, const void *src, uint32_t len);

/* Loader and host copies that ignore permissions (writing into text,
 * reading an execute-only segment). -EFAULT if any byte is unmapped.
 * Writes into executable regions drop Unicorn's translated code there. */
int obh_mem_poke(struct obh_mem *m, uint32_t addr, const void *src, uint32_t len);
int obh_mem_peek(const struct obh_mem *m, uint32_t addr, void *dst, uint32_t len);

/* Copies the NUL-terminated guest string at addr into dst (capacity cap,
 * including the NUL). Returns its length (without the NUL), -EFAULT if a
 * byte before the NUL is unmapped or unreadable, or -ENAMETOOLONG if the
 * first cap bytes hold no NUL (also when cap is 0). On error dst holds an
 * empty string when cap > 0. */
int obh_mem_read_str(const struct obh_mem *m, uint32_t addr, char *dst, size_t cap);

/* 0 if every byte of [addr, addr + len) is mapped with all bits of prot,
 * else -EFAULT. len 0 gives 0. */
int obh_mem_check(const struct obh_mem *m, uint32_t addr, uint32_t len, unsigned prot);

/* A host pointer to guest [addr, addr + len) if that whole range lies in
 * ONE region that has all bits of prot, else NULL. For zero-copy bulk
 * transfers; valid until the region changes. len 0 is treated as 1. */
void *obh_mem_host_ptr(struct obh_mem *m, uint32_t addr, uint32_t len, unsigned prot);

/* The region that contains addr, or NULL. */
const struct obh_region *obh_mem_find(const struct obh_mem *m, uint32_t addr);

/* For an address in no region: the nearest region wholly below it and the
 * nearest wholly above it (either may be NULL). */
void obh_mem_find_near(const struct obh_mem *m, uint32_t addr,
		       const struct obh_region **below, const struct obh_region **above);

/* Describes addr for a fault report, into buf (always NUL-terminated when
 * cap > 0): "text+0x24", "NULL guard", "guard page, 8 bytes below stack:2",
 * "unmapped, 0x10 bytes past the end of heap". Returns buf. */
char *obh_mem_describe(const struct obh_mem *m, uint32_t addr, char *buf, size_t cap);

/* The region table, sorted by address, for memory maps in fault reports.
 * obh_mem_region returns NULL past the end. */
size_t obh_mem_region_count(const struct obh_mem *m);
const struct obh_region *obh_mem_region(const struct obh_mem *m, size_t i);

/*
 * Heap. obh_mem_heap_init reserves [start, start + max_bytes) for it; the
 * break starts at start and nothing is mapped yet. start must be page-aligned,
 * the 64 KiB below it (OBH_HEAP_GAP) unmapped and above the NULL guard, the whole reserved range free
 * and below the stack area. max_bytes is rounded up to a page.
 * Errors: -EINVAL, -EEXIST (something is mapped there, or already
 * initialised), -ENOMEM.
 *
 * obh_mem_sbrk moves the break by increment and returns the old break, or
 * -ENOMEM if the heap is not set up or the new break would fall below start
 * or past start + max_bytes. Growth maps whole pages read+write, in steps of
 * at least OBH_HEAP_STEP so that a malloc-heavy guest does not create one
 * Unicorn region per page; the bytes between the break and the end of the
 * mapped heap are therefore accessible, as on Linux within a page.
 * A negative increment unmaps the pages wholly above the new break (other
 * calls leave the rest of a growth step mapped); pages mapped again later
 * read as zero.
 */
#define OBH_HEAP_STEP 0x10000u
int obh_mem_heap_init(struct obh_mem *m, uint32_t start, uint32_t max_bytes);
int64_t obh_mem_sbrk(struct obh_mem *m, int32_t increment);

/* The heap's start, current break and limit (start + max); all 0 before
 * obh_mem_heap_init. Any pointer may be NULL. */
void obh_mem_heap_info(const struct obh_mem *m, uint32_t *start, uint32_t *brk,
		       uint32_t *limit);

/*
 * Stacks. obh_mem_alloc_stack maps a read+write stack of size bytes (rounded
 * up to a page) in the stack area, with an unmapped OBH_STACK_GUARD below it,
 * at the highest free place (the first stack ends at OBH_STACK_AREA_HI; freed
 * ranges are reused). *lo and *hi receive its bounds (hi exclusive: the
 * initial sp). Errors: -EINVAL (size 0 or too large), -ENOMEM (no room).
 *
 * obh_mem_free_stack unmaps the stack whose lowest address is lo.
 * Errors: -EINVAL if no stack starts there.
 */
int obh_mem_alloc_stack(struct obh_mem *m, uint32_t size, const char *name,
			uint32_t *lo, uint32_t *hi);
int obh_mem_free_stack(struct obh_mem *m, uint32_t lo);

#endif /* OBH_MEM_H */
