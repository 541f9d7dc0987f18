/*
 * libFuzzer target for recordings (record/recfile.h): the input is a
 * recording file. It is decoded; when it decodes, every record goes
 * through what `outboard trace` does with it (each request turned back
 * into a guest call over the scratch memory, its reply applied, the trace
 * line printed) and through the message printer and comparer that replay
 * and `replay --against` use. A crash, a sanitizer report or a leak is a
 * bug; a decode error must name a byte offset inside the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "record/msgdump.h"
#include "record/print.h"
#include "record/recfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* "byte N" in why, with N within the input. */
static void check_offset(const char *why, size_t size)
{
	const char *at = strstr(why, "byte ");
	if (!at)
		return; /* not a recording at all, or a version */
	if (strtoull(at + 5, NULL, 10) > size)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct obh_host h;
	static FILE *sink;
	if (!sink) {
		sink = fopen("/dev/null", "w");
		if (!sink || obh_record_printer_open(&h, sink))
			abort();
	}
	struct obh_rec rec;
	char why[200] = "";
	if (obh_rec_decode(data, size, &rec, why, sizeof(why))) {
		check_offset(why, size);
		return 0;
	}
	obh_record_print_decoded(&h, "fuzz", &rec);
	for (size_t i = 0; i + 1 < rec.n; i++) {
		char field[64];
		obh_msgdump(sink, &rec.recs[i]->base, 32);
		if (rec.recs[i]->body_case == rec.recs[i + 1]->body_case)
			obh_msgdiff(&rec.recs[i]->base, &rec.recs[i + 1]->base, field, sizeof(field));
	}
	obh_rec_free(&rec);
	return 0;
}
