/* outboard-fs-mem [--seed DIR] [--read-only] [--max-bytes N]: the fs domain in memory. */
#include "mem.h"

int main(int argc, char **argv)
{
	return ob_plugin_main(&obm_plugin, argc, argv);
}
