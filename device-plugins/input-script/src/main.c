/* outboard-input-script --script FILE: the input domain from a timed script (docs/input.md). */
#include "input.h"

int main(int argc, char **argv)
{
	return ob_plugin_main(&obis_plugin, argc, argv);
}
