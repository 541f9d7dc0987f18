/* outboard-fs-hostdir --root DIR [--read-only]: the fs domain from a host directory. */
#include "hostdir.h"

int main(int argc, char **argv)
{
	return ob_plugin_main(&obhd_plugin, argc, argv);
}
