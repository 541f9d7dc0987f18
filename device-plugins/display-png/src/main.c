/* outboard-display-png --out DIR [--every-present | --interval MS] [--screen WxH]:
 * the display domain, headless, each frame a PNG file. */
#include "png_backend.h"

int main(int argc, char **argv)
{
	return ob_plugin_main(&obdp_plugin, argc, argv);
}
