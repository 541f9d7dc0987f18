/*
 * ob-wav-check: read a WAV file back with libsndfile and check it.
 *
 *   ob-wav-check FILE [--rate N] [--channels N] [--frames N]
 *                     [--beep HZ:MS --sine HZ:MS]
 *
 * --rate, --channels, --frames: the file's values must be exactly these.
 * --beep/--sine: the file (mono) holds a square-wave beep of amplitude
 * 8000 (the sound backends' buzzer) followed by a sine. The boundary comes
 * from the data: the beep is the leading run of samples at +-8000, the sine
 * everything after it, less trailing silence. Each part's length must be
 * within one period of its frequency of HZ*MS, and its frequency, measured
 * from zero crossings (the sign changes between the first and the last
 * crossing span (crossings - 1) half-periods), within 2% of HZ.
 *
 * Prints what it measured; exits 0 when every check passed, 1 when one
 * failed, 2 for a bad command line or an unreadable file.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#define BEEP_AMPLITUDE 8000

struct part {
	bool given;
	double hz;
	unsigned ms;
};

struct expect {
	long rate, channels, frames;  /* -1: not checked */
	struct part beep, sine;
};

static int failures;

static void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s ", ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failures += !ok;
}

static int parse_part(const char *s, struct part *p)
{
	char *end;

	p->hz = strtod(s, &end);
	if (*end != ':' || p->hz <= 0)
		return -1;
	p->ms = (unsigned)strtoul(end + 1, &end, 10);
	if (*end || !p->ms)
		return -1;
	p->given = true;
	return 0;
}

static int parse_args(int argc, char **argv, const char **file, struct expect *e)
{
	*e = (struct expect){ .rate = -1, .channels = -1, .frames = -1 };
	if (argc < 2)
		return -1;
	*file = argv[1];
	for (int i = 2; i < argc; i += 2) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;

		if (!val)
			return -1;
		if (!strcmp(opt, "--rate"))
			e->rate = atol(val);
		else if (!strcmp(opt, "--channels"))
			e->channels = atol(val);
		else if (!strcmp(opt, "--frames"))
			e->frames = atol(val);
		else if (!strcmp(opt, "--beep"))
			bad = parse_part(val, &e->beep);
		else if (!strcmp(opt, "--sine"))
			bad = parse_part(val, &e->sine);
		else
			bad = -1;
		if (bad)
			return -1;
	}
	return 0;
}

/* Frequency from zero crossings of x[0..n): 0 when fewer than two. */
static double crossing_hz(const short *x, size_t n, double rate)
{
	size_t first = 0, last = 0, count = 0;

	for (size_t i = 1; i < n; i++) {
		if ((x[i] >= 0) != (x[i - 1] >= 0)) {
			if (!count)
				first = i;
			last = i;
			count++;
		}
	}
	if (count < 2)
		return 0;
	return (double)(count - 1) / 2.0 / ((double)(last - first) / rate);
}

static void check_part(const char *name, const struct part *p, const short *x, size_t n,
		       double rate)
{
	double want = rate * p->ms / 1000.0, period = rate / p->hz;
	double hz = crossing_hz(x, n, rate), diff = (double)n - want;

	check(diff <= period && -diff <= period,
	      "%s: %zu frames (%.1f ms), expected %.0f within one period (%.1f frames)", name,
	      n, 1000.0 * (double)n / rate, want, period);
	check(hz >= p->hz * 0.98 && hz <= p->hz * 1.02, "%s: %.2f Hz, expected %.0f Hz +- 2%%",
	      name, hz, p->hz);
}

static void check_tone(const short *x, size_t n, const struct expect *e, double rate)
{
	size_t beep = 0, end = n;

	while (beep < n && (x[beep] == BEEP_AMPLITUDE || x[beep] == -BEEP_AMPLITUDE))
		beep++;
	while (end > beep && x[end - 1] == 0)
		end--;
	printf("boundary: beep frames [0, %zu), sine frames [%zu, %zu)\n", beep, beep, end);
	check_part("beep", &e->beep, x, beep, rate);
	check_part("sine", &e->sine, x + beep, end - beep, rate);
}

int main(int argc, char **argv)
{
	struct expect e;
	const char *file;
	SF_INFO info = { 0 };
	SNDFILE *sf;
	short *x;
	sf_count_t n;

	if (parse_args(argc, argv, &file, &e)) {
		fprintf(stderr, "usage: ob-wav-check FILE [--rate N] [--channels N] [--frames N] "
				"[--beep HZ:MS --sine HZ:MS]\n");
		return 2;
	}
	sf = sf_open(file, SFM_READ, &info);
	if (!sf) {
		fprintf(stderr, "ob-wav-check: %s: %s\n", file, sf_strerror(NULL));
		return 2;
	}
	printf("%s: %d Hz, %d channel(s), %lld frames, format 0x%x\n", file, info.samplerate,
	       info.channels, (long long)info.frames, (unsigned)info.format);
	check(info.format == (SF_FORMAT_WAV | SF_FORMAT_PCM_16), "16-bit PCM WAV");
	if (e.rate >= 0)
		check(info.samplerate == e.rate, "rate %d, expected %ld", info.samplerate, e.rate);
	if (e.channels >= 0)
		check(info.channels == e.channels, "channels %d, expected %ld", info.channels,
		      e.channels);
	if (e.frames >= 0)
		check(info.frames == e.frames, "frames %lld, expected %ld", (long long)info.frames,
		      e.frames);
	if (e.beep.given || e.sine.given) {
		if (!e.beep.given || !e.sine.given || info.channels != 1) {
			fprintf(stderr, "ob-wav-check: --beep and --sine go together, "
					"on a mono file\n");
			sf_close(sf);
			return 2;
		}
		x = calloc((size_t)info.frames + 1, sizeof(*x));
		if (!x) {
			sf_close(sf);
			return 2;
		}
		n = sf_readf_short(sf, x, info.frames);
		check(n == info.frames, "read %lld of %lld frames", (long long)n,
		      (long long)info.frames);
		check_tone(x, (size_t)n, &e, info.samplerate);
		free(x);
	}
	sf_close(sf);
	printf("%s\n", failures ? "FAILED" : "all checks passed");
	return failures ? 1 : 0;
}
