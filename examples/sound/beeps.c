/*
 * beeps: two beeps and nothing else: no stream, no drain. The guest ends
 * while the plugin may still hold the tones, so what reaches the sound
 * output shows that the backend finishes its work when the run ends (the
 * wav backend on SIGTERM: a header counting 200 ms + 100 ms at 44100 Hz
 * mono, 13230 frames). Prints "beeps: posted"; exits 0 when both calls
 * returned 0.
 */
#include <outboard.h>

#include <stdio.h>

int main(void)
{
	int a = ob_sound_beep(1000, 200);
	int b = ob_sound_beep(2000, 100);

	if (a != 0 || b != 0) {
		printf("FAIL sound_beep returned %d and %d\n", a, b);
		return 1;
	}
	printf("beeps: posted\n");
	return 0;
}
