/* outboard-sound-wav --out FILE [--realtime]: the sound domain to a WAV file. */
#include "wav_sink.h"

int main(int argc, char **argv)
{
	return ob_plugin_main(&obsw_plugin, argc, argv);
}
