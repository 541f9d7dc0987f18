/*
 * Building and tearing down the host: engine, address space, kernel,
 * plugins, the guest image and its main thread.
 */
#include "setup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "console.h"
#include "engine.h"
#include "events.h"
#include "fcache.h"
#include "fdtable.h"
#include "kernel/kobjs.h"
#include "mounts.h"
#include "kernel/thread.h"
#include "loader/elf.h"
#include "loader/syms.h"
#include "marshal.h"
#include "mem.h"
#include "outboard/log.h"
#include "outboard/sanitizer.h"
#include "preempt.h"
#include "record/record.h"
#include "record/replay.h"
#include "router.h"
#include "scheduler.h"
#include "semihost.h"
#include "stack.h"

#define CAT "setup"
#define MAX_IMAGE_FILE (256u << 20)

/* Read the whole of a file that is not a regular one (a pipe, a device).
 * 0 or -errno (logged). */
static int read_stream(FILE *f, const char *path, uint8_t **data, size_t *len)
{
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;
	int err = 0;
	for (;;) {
		if (n == cap) {
			if (cap >= MAX_IMAGE_FILE) {
				OB_ERROR(CAT, "%s is larger than %u MiB", path, MAX_IMAGE_FILE >> 20);
				err = -EFBIG;
				break;
			}
			cap = cap ? cap * 2 : 65536;
			uint8_t *nb = realloc(buf, cap);
			if (!nb) {
				err = -ENOMEM;
				break;
			}
			buf = nb;
		}
		errno = 0;
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				err = errno ? -errno : -EIO; /* EISDIR for a directory */
				OB_ERROR(CAT, "cannot read %s: %s", path, strerror(-err));
			}
			break;
		}
	}
	if (err) {
		free(buf);
		return err;
	}
	*data = buf;
	*len = n;
	return 0;
}

/* The program's bytes: a regular file is mapped (the page cache's pages,
 * read only, and only those the loader looks at: copying 400 KB of mostly
 * debug sections cost a millisecond of the host's start-up), anything else
 * is read. *mapped says which, for release_file. 0 or -errno (logged). */
static int read_file(const char *path, uint8_t **data, size_t *len, bool *mapped)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		int err = -errno;
		OB_ERROR(CAT, "cannot open %s: %s", path, strerror(errno));
		return err;
	}
	struct stat st;
	*mapped = false;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		if ((uint64_t)st.st_size > MAX_IMAGE_FILE) {
			OB_ERROR(CAT, "%s is larger than %u MiB", path, MAX_IMAGE_FILE >> 20);
			fclose(f);
			return -EFBIG;
		}
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fileno(f), 0);
		if (p != MAP_FAILED) {
			fclose(f);
			*data = p;
			*len = (size_t)st.st_size;
			*mapped = true;
			return 0;
		}
	}
	int err = read_stream(f, path, data, len);
	fclose(f);
	return err;
}

static void release_file(uint8_t *data, size_t len, bool mapped)
{
	if (mapped)
		munmap(data, len);
	else
		free(data);
}

/* Point every import slot at its thunk; an import nobody serves fails. */
static int resolve_imports(struct obh_host *h, const struct obh_image *img)
{
	int missing = 0;
	for (size_t i = 0; i < img->nimports; i++) {
		const struct obh_import *imp = &img->imports[i];
		const struct obh_call *c = obh_call_by_name(imp->name);
		if (!c || c->entry != OBH_IMPORT) {
			OB_ERROR(CAT, "%s imports '%s', which no module provides", h->opts.program,
				 imp->name);
			missing++;
			continue;
		}
		if (!obh_router_serves(h->router, c->domain, c->num)) {
			OB_ERROR(CAT, "%s imports '%s' from the %s domain, but no loaded %s plugin "
				      "provides it", h->opts.program, imp->name,
				 obh_domain_name(c->domain), obh_domain_name(c->domain));
			missing++;
			continue;
		}
		uint32_t thunk = obh_engine_thunk(c->num);
		if (obh_mem_poke(h->mem, imp->slot, &thunk, 4)) {
			OB_ERROR(CAT, "import '%s': slot 0x%08x is not mapped", imp->name, imp->slot);
			missing++;
		}
	}
	return missing ? -ENOENT : 0;
}

static int load_image(struct obh_host *h, const uint8_t *data, size_t len,
		      struct obh_image *img)
{
	char why[256] = "";
	int err = obh_elf_load(h->mem, data, len, NULL, img, why, sizeof(why));
	if (err) {
		OB_ERROR(CAT, "cannot load %s: %s", h->opts.program, why[0] ? why : strerror(-err));
		return err;
	}
	/* The NULL guard reaches up to the image (docs/abi.md): 32 KiB for the
	 * toolchain's default link at 0x8000, 64 KiB for the SDK's 0x10000. */
	err = obh_mem_set_null_guard(h->mem, img->lo < OBH_NULL_GUARD_MAX ? img->lo
									 : OBH_NULL_GUARD_MAX);
	if (err)
		return err;
	/* For fault reports only: without memory for them they keep the
	 * region form. */
	if (obh_syms_read(data, len, img->bias, &h->syms))
		OB_WARN(CAT, "no memory for the symbol table: fault reports give no function names");
	return resolve_imports(h, img);
}

/* The main thread: a guarded stack with argv/envp, at the image's entry. */
static int start_main(struct obh_host *h, const struct obh_image *img)
{
	struct obh_thread *t;
	int err = obh_thread_spawn(h, img->entry, 0, OBH_PRIO_DEFAULT, h->opts.main_stack, &t);
	if (err) {
		OB_ERROR(CAT, "cannot allocate a %u-byte main stack", h->opts.main_stack);
		return err;
	}
	static const char *const no_env[] = { NULL };
	const char *const *env = h->opts.env ? (const char *const *)h->opts.env : no_env;
	struct obh_entry_stack es;
	err = obh_stack_build(h->mem, t->stack_lo, t->stack_hi,
			      (const char *const *)h->opts.guest_argv, env, &es);
	if (err) {
		OB_ERROR(CAT, "the arguments and environment do not fit the main stack (--stack)");
		return err;
	}
	obh_thread_set_reg(h, t, UC_ARM_REG_SP, es.sp);
	obh_thread_set_reg(h, t, UC_ARM_REG_R0, es.argc);
	obh_thread_set_reg(h, t, UC_ARM_REG_R1, es.argv);
	obh_thread_set_reg(h, t, UC_ARM_REG_R2, es.envp);

	struct obh_semihost_layout layout = { .image_end = img->hi,
					      .heap_start = obh_image_heap_start(img),
					      .heap_max = h->opts.heap_max,
					      .stack_lo = t->stack_lo, .stack_hi = t->stack_hi };
	return obh_semihost_init(h, &layout);
}

int obh_setup(struct obh_host *h)
{
	uint8_t *data = NULL;
	size_t len = 0;
	bool mapped = false;
	int err = read_file(h->opts.program, &data, &len, &mapped);
	if (err)
		return err;
	err = obh_setup_image(h, data, len);
	release_file(data, len, mapped);
	return err;
}

int obh_setup_image(struct obh_host *h, const uint8_t *data, size_t len)
{
	struct obh_image img = { 0 };
	int err = obh_marshal_init();
	if (err)
		return err;
	if ((err = obh_engine_open(h)) || (err = obh_mem_create(h->uc, &h->mem)) ||
	    (err = obh_engine_setup(h)) || (err = obh_sched_create(h, &h->sched)) ||
	    (err = obh_kobjs_create(&h->kobjs)) || (err = obh_fdtable_create(&h->fds)) ||
	    (err = obh_events_create(&h->events)))
		goto out;
	if (h->replay && (err = obh_replay_check_image(h, data, len)))
		goto out;
	if ((err = obh_mounts_setup(h)) || (err = obh_router_create(h, &h->router)))
		goto out;
	if ((err = obh_record_start(h, data, len)))
		goto out;
	if ((err = obh_fcache_create(h)))
		goto out;
	if ((err = load_image(h, data, len, &img)))
		goto out;
	err = obh_mem_heap_init(h->mem, obh_image_heap_start(&img), h->opts.heap_max);
	if (err) {
		OB_ERROR(CAT, "cannot reserve a %u-byte heap after the image (--heap-max)",
			 h->opts.heap_max);
		goto out;
	}
	if ((err = start_main(h, &img)))
		goto out;
	err = obh_preempt_create(h->uc, &h->preempt);
	if (err)
		goto out;
	h->start_ns = obh_now_ns();
	obh_router_start_input(h->router);
out:
	obh_image_free(&img);
	return err;
}

/*
 * Freeing Unicorn (its translation cache, hash tables and memory map) and
 * unmapping the guest's memory cost about 1.3 ms at a run's end, work the
 * kernel does faster at exit: obh_teardown_for_exit leaves both to it.
 * They stay reachable from here, so valgrind counts them as in use at exit
 * rather than lost; a sanitizer build frees them, so LeakSanitizer checks
 * everything below them too.
 */
static struct {
	uc_engine *volatile uc; /* volatile: nothing reads them, and the */
	struct obh_mem *volatile mem; /* compiler would drop the stores */
} left_to_exit;

static void finish(struct obh_host *h, bool free_engine);

void obh_teardown(struct obh_host *h)
{
	finish(h, true);
}

void obh_teardown_for_exit(struct obh_host *h)
{
	finish(h, OB_SANITIZER);
}

static void finish(struct obh_host *h, bool free_engine)
{
	if (h->opts.stats && h->preempt)
		fprintf(stderr, "outboard-cpu: stats slicing: hook_installs=%llu hook_removals=%llu "
				"hook_switch_us=%lld stops=%llu\n",
			(unsigned long long)h->slice.installs,
			(unsigned long long)h->slice.removals, (long long)(h->slice.switch_ns / 1000),
			(unsigned long long)obh_preempt_count(h->preempt));
	obh_preempt_destroy(h->preempt);
	if (h->router)
		h->fcache_lost = obh_fcache_drain(h);
	if (h->opts.stats && h->router)
		obh_router_print_stats(h->router, stderr);
	if (h->opts.stats)
		obh_fcache_print_stats(h, stderr);
	/* The router first: closing it completes calls whose threads still exist. */
	h->exiting = true;
	obh_router_destroy(h->router);
	obh_record_finish(h);
	obh_replay_finish(h);
	obh_mounts_teardown(h);
	obh_fcache_destroy(h);
	obh_semihost_fini(h);
	obh_console_fini(h);
	obh_sched_destroy(h->sched);
	obh_kobjs_destroy(h->kobjs);
	obh_fdtable_destroy(h->fds);
	obh_events_destroy(h->events);
	obh_syms_free(h->syms);
	h->syms = NULL;
	if (!free_engine) {
		left_to_exit.uc = h->uc;
		left_to_exit.mem = h->mem;
		h->uc = NULL;
		h->mem = NULL;
		return;
	}
	obh_mem_forget_engine(h->mem);
	obh_engine_close(h);
	obh_mem_destroy(h->mem); /* the guest memory outlives the engine */
}
