/*
 * sound_bps: sound buffers through the sound plugin as fast as it takes
 * them. Opens a 44100 Hz stereo stream and writes BUFFERS buffers of 1024
 * frames (4096 bytes) each with ob_sound_write, which blocks until the
 * plugin has them: with sound-null, which plays nothing and never holds
 * data back, the figure is the cost of getting a buffer to the plugin.
 *
 *   sound_bps.elf [BUFFERS]        default 2000
 *
 * Prints, timed with the monotonic clock after a few warm-up buffers,
 *
 *   sound_bps: buffers=<N> bytes=4096 total_ns=<ns> bps=<buffers per second>
 *
 * Exits with 0, or 1 (and a FAIL line) when a call fails.
 */
#include <outboard.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FRAMES 1024
#define WARM_UP 10

static int16_t buf[FRAMES * 2];

static int write_one(int i)
{
	buf[0] = (int16_t)i; /* a different buffer each time */
	int r = ob_sound_write(buf, sizeof(buf));
	if (r != (int)sizeof(buf)) {
		printf("FAIL sound_write %d: %d\n", i, r);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000;
	uint64_t t0, t1;

	for (int i = 0; i < FRAMES * 2; i++)
		buf[i] = (int16_t)((i * 97) % 20000 - 10000);
	int r = ob_sound_open(44100, 2);
	if (r < 0) {
		printf("FAIL sound_open: %d\n", r);
		return 1;
	}
	for (int i = 0; i < WARM_UP; i++)
		if (write_one(i))
			return 1;
	ob_clock_get(OB_CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++)
		if (write_one(WARM_UP + i))
			return 1;
	ob_clock_get(OB_CLOCK_MONOTONIC, &t1);
	ob_sound_close();
	uint64_t ns = t1 - t0;
	printf("sound_bps: buffers=%d bytes=%u total_ns=%llu bps=%llu\n", n, (unsigned)sizeof(buf),
	       (unsigned long long)ns,
	       ns ? (unsigned long long)((uint64_t)n * 1000000000ull / ns) : 0ull);
	return 0;
}
