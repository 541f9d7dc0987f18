/* See fuzz_endpoint.h. */
#include "fuzz_endpoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "outboard/log.h"

static char dir[256];
static char url[300];

static void remove_dir(void)
{
	char path[sizeof(dir) + 16];

	snprintf(path, sizeof(path), "%s/fuzz.sock", dir);
	unlink(path);
	rmdir(dir);
}

const char *obz_fuzz_endpoint(const char *target)
{
	ob_log_set_level(OB_LOG_NONE);
	snprintf(dir, sizeof(dir), "/tmp/ob-%s-XXXXXX", target);
	if (!mkdtemp(dir))
		abort();
	atexit(remove_dir);
	snprintf(url, sizeof(url), "ipc://%s/fuzz.sock", dir);
	return url;
}
