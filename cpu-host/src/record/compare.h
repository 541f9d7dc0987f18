/*
 * `outboard replay --against BACKEND FILE` (outboard-cpu
 * --compare-recording FILE --compare-route NAME --plugin DOMAIN=URL): the
 * recorded requests of one route (a domain, or an fs mount: "fs /tmp"),
 * sent in their order, one at a time, to a live plugin, and each reply
 * compared with the recorded one: a conformance check between backends.
 *
 * - Handles are mapped: an fd or directory handle the live plugin gave
 *   (open, opendir) replaces the recorded one in later requests.
 * - Fields that differ between any two correct backends are not compared:
 *   times (*_ns), inode numbers (ino) and the storage's size and fill
 *   (statvfs's block and file counts).
 * - Each difference prints both calls as --trace lines, and the first
 *   field that differs.
 * Exit status: 0 when every reply matched, 1 when some differed,
 * OBH_EXIT_HOST_ERROR when the comparison could not run (a bad recording,
 * a plugin that did not start or died).
 */
#ifndef OBH_RECORD_COMPARE_H
#define OBH_RECORD_COMPARE_H

#include "host.h"

/* h->opts.compare_file against the plugin in h->opts (plugin_url of the
 * route's domain), route named h->opts.compare_route. */
int obh_record_compare(struct obh_host *h);

#endif /* OBH_RECORD_COMPARE_H */
