/*
 * libFuzzer target for the ELF loader: arbitrary bytes are loaded into a
 * fresh address space. A crash, a sanitizer report, a load that fails
 * without a reason or leaves memory mapped, or an image whose segments
 * cannot be unmapped again is a bug.
 *
 * The engine is opened once and reused (uc_open is the slow part); each
 * input gets its own obh_mem, and obh_mem_destroy must leave the engine
 * empty again. The image limit is lowered so inputs with huge p_memsz
 * stay fast. Every input also goes through the symbol reader of fault
 * reports (loader/syms.h), whose names must come out printable.
 */
#include <stdint.h>
#include <stdlib.h>

#include "loader/elf.h"
#include "loader/syms.h"
#include "mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The reader must accept any bytes and name only with printable text. */
static void check_syms(const uint8_t *data, size_t size)
{
	struct obh_syms *s;
	char buf[128];

	if (obh_syms_read(data, size, 0, &s) != 0)
		abort();
	for (uint32_t a = 0; a < 0x20000; a += 0x7f)
		if (obh_syms_describe(s, a, buf, sizeof(buf)))
			for (const char *c = buf; *c; c++)
				if (*c < ' ' || *c > '~')
					abort();
	obh_syms_free(s);
}

static uint32_t engine_regions(uc_engine *uc)
{
	uc_mem_region *r;
	uint32_t n = 0;

	if (uc_mem_regions(uc, &r, &n) != UC_ERR_OK)
		abort();
	uc_free(r);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uc_engine *uc;
	const struct obh_elf_opts opts = { .max_image = 16u << 20 };
	struct obh_mem *m;
	struct obh_image img;
	char err[256];

	check_syms(data, size);
	if (!uc && uc_open(UC_ARCH_ARM, UC_MODE_ARM, &uc) != UC_ERR_OK)
		abort();
	if (obh_mem_create(uc, &m) != 0)
		abort();
	int rc = obh_elf_load(m, data, size, &opts, &img, err, sizeof(err));
	if (rc != 0) {
		if (err[0] == '\0' || obh_mem_region_count(m) != 0)
			abort();
	} else {
		if (img.nsegments == 0 || img.lo >= img.hi)
			abort();
		for (size_t i = 0; i < img.nsegments; i++)
			if (obh_mem_unmap(m, img.segments[i].start, img.segments[i].size) != 0)
				abort();
		if (obh_mem_region_count(m) != 0)
			abort();
		obh_image_free(&img);
	}
	obh_mem_destroy(m);
	if (engine_regions(uc) != 0)
		abort();
	return 0;
}
