/* The WAV sink (wav_sink.h). */
#include "wav_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sndfile.h>

#include "outboard/log.h"
#include "outboard/plugin.h"

#define NS_PER_S 1000000000LL

struct obsw_sink {
	char *path;               /* the first file's name */
	bool realtime;
	int64_t (*now_ns)(void);

	unsigned segment;         /* files started so far */
	char *file;               /* the current one's name, NULL before */
	int fd;                   /* -1 when no file is open */
	SNDFILE *sf;
	struct obs_format fmt;    /* the current file's */

	/* Realtime: the simulated device has played base_frames at base_ns
	 * and plays on at fmt.rate until it has played total_frames. */
	uint64_t total_frames, base_frames;
	int64_t base_ns;
	bool resume;              /* append to the existing last file (a restart) */
};

static int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

char *obsw_segment_path(const char *path, unsigned n)
{
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
	size_t stem, len = strlen(path) + 16;
	char *out = malloc(len);

	if (!out || n <= 1) {
		if (out)
			snprintf(out, len, "%s", path);
		return out;
	}
	/* The extension is the last dot of the last component, not a leading
	 * one (".wav" alone is a name, not an extension). */
	if (!dot || (slash && dot < slash) || dot == (slash ? slash + 1 : path))
		dot = path + strlen(path);
	stem = (size_t)(dot - path);
	snprintf(out, len, "%.*s-%u%s", (int)stem, path, n, dot);
	return out;
}

/* The directory part of path ("." for none); NULL without memory. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	return strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* Can path be written? Creates it and removes it again if it was not
 * there; a missing directory must be one we could make (it is made with
 * the file, in open_file). 0 or -errno. */
static int probe_path(const char *path)
{
	struct stat st;
	char *dir = dir_of(path);
	int fd, err;

	if (!dir)
		return -ENOMEM;
	if (stat(dir, &st) < 0 && errno == ENOENT) {
		err = ob_out_dir_check(dir);
		free(dir);
		return err;
	}
	free(dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);

	if (fd >= 0) {
		close(fd);
		unlink(path);
		return 0;
	}
	if (errno != EEXIST)
		return -errno;
	/* O_NONBLOCK: a FIFO without a reader must not hang us (ENXIO). */
	fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	close(fd);
	return 0;
}

/* The number of files a predecessor wrote (sound.wav, sound-2.wav, ...),
 * less one: the next start opens the last of them again. */
static unsigned last_segment(const char *path)
{
	unsigned n = 0;
	for (;;) {
		char *name = obsw_segment_path(path, n + 1);
		bool there = name && access(name, F_OK) == 0;
		free(name);
		if (!there)
			return n ? n - 1 : 0;
		n++;
	}
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/*
 * A predecessor killed mid-write left fd's WAV with a header that covers
 * less than the file holds. Make the RIFF and data sizes cover every whole
 * frame after the data chunk's start (a cut frame is dropped). 0, or
 * -EINVAL for a file that is not a WAV with its data chunk last.
 */
static int mend_header(int fd)
{
	unsigned char h[8];
	struct stat st;
	off_t at = 12;
	unsigned frame_bytes = 0;

	if (fstat(fd, &st) < 0 || pread(fd, h, 4, 8) != 4 || memcmp(h, "WAVE", 4) != 0)
		return -EINVAL;
	for (;;) {
		if (pread(fd, h, 8, at) != 8)
			return -EINVAL;
		if (memcmp(h, "data", 4) == 0)
			break;
		if (memcmp(h, "fmt ", 4) == 0 && pread(fd, h, 2, at + 20) == 2)
			frame_bytes = (unsigned)h[0] | (unsigned)h[1] << 8; /* block align */
		at += 8 + (off_t)le32(h + 4) + (le32(h + 4) & 1);
	}
	if (frame_bytes == 0)
		return -EINVAL;
	off_t start = at + 8;
	uint64_t bytes = st.st_size > start ? (uint64_t)(st.st_size - start) : 0;
	bytes -= bytes % frame_bytes;
	if (bytes > UINT32_MAX - (uint64_t)start)
		return -EFBIG;
	put_le32(h, (uint32_t)bytes);
	if (pwrite(fd, h, 4, at + 4) != 4)
		return -errno;
	put_le32(h, (uint32_t)(start + (off_t)bytes - 8));
	if (pwrite(fd, h, 4, 4) != 4 || ftruncate(fd, start + (off_t)bytes) < 0)
		return -errno;
	return 0;
}

/* A restart: the predecessor's last file gets a header that covers it
 * now, whether or not sound plays again; the next start reopens it. */
static void mend_last(struct obsw_sink *w)
{
	w->segment = last_segment(w->path);
	char *name = obsw_segment_path(w->path, w->segment + 1);
	int fd = name ? open(name, O_RDWR | O_CLOEXEC) : -1;

	if (fd >= 0 && mend_header(fd) < 0)
		OB_WARN(OBSW_LOG, "%s is not a WAV file this plugin wrote: left as it is", name);
	if (fd >= 0)
		close(fd);
	free(name);
}

/* A restart: open the predecessor's file name for appending when it is a
 * WAV of format f. 1 when appending, 0 when the caller should start a new
 * file, or a negated errno. */
static int reopen_file(struct obsw_sink *w, const char *name, const struct obs_format *f)
{
	SF_INFO info = { 0 };
	int fd = open(name, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (mend_header(fd) < 0) {
		close(fd);
		return 0;
	}
	w->sf = sf_open_fd(fd, SFM_RDWR, &info, SF_FALSE);
	if (!w->sf || info.samplerate != (int)f->rate || info.channels != (int)f->channels ||
	    info.format != (SF_FORMAT_WAV | SF_FORMAT_PCM_16) ||
	    sf_seek(w->sf, 0, SEEK_END) < 0) {
		if (w->sf)
			sf_close(w->sf);
		w->sf = NULL;
		close(fd);
		return 0;
	}
	w->fd = fd;
	OB_INFO(OBSW_LOG, "a restart: appending to %s after %lld frames", name,
		(long long)info.frames);
	return 1;
}

int obsw_sink_create(const struct obsw_options *o, struct obsw_sink **out)
{
	struct obsw_sink *w;
	int err;

	if (!o->path || !o->path[0]) {
		OB_ERROR(OBSW_LOG, "no output file given (--out FILE)");
		return -EINVAL;
	}
	err = probe_path(o->path);
	if (err) {
		OB_ERROR(OBSW_LOG, "cannot write %s: %s", o->path,
			 err == -EINVAL ? "not a regular file" : strerror(-err));
		return err;
	}
	w = calloc(1, sizeof(*w));
	if (!w || !(w->path = strdup(o->path))) {
		free(w);
		return -ENOMEM;
	}
	w->realtime = o->realtime;
	w->resume = o->resume;
	if (o->resume)
		mend_last(w);
	w->now_ns = o->now_ns ? o->now_ns : monotonic_ns;
	w->fd = -1;
	*out = w;
	return 0;
}

const char *obsw_sink_file(const struct obsw_sink *w)
{
	return w->file ? w->file : "";
}

/* Finish the current file: the header gets the real count. */
static void finish_file(struct obsw_sink *w)
{
	if (w->sf) {
		int err = sf_close(w->sf);

		if (err)
			OB_ERROR(OBSW_LOG, "%s: %s", w->file, sf_error_number(err));
		w->sf = NULL;
	}
	if (w->fd >= 0) {
		close(w->fd);
		w->fd = -1;
	}
}

static int open_file(struct obsw_sink *w, const char *name, const struct obs_format *f)
{
	SF_INFO info = {
		.samplerate = (int)f->rate,
		.channels = (int)f->channels,
		.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16,
	};

	char *dir = dir_of(name);
	int err = dir ? ob_out_dir_make(dir) : -ENOMEM;

	free(dir);
	if (err) {
		OB_ERROR(OBSW_LOG, "cannot create the directory of %s: %s", name, strerror(-err));
		return err;
	}
	w->fd = open(name, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (w->fd < 0) {
		err = -errno;
		OB_ERROR(OBSW_LOG, "cannot create %s: %s", name, strerror(errno));
		return err;
	}
	/* We keep the descriptor, so that a failed open cannot close it twice. */
	w->sf = sf_open_fd(w->fd, SFM_WRITE, &info, SF_FALSE);
	if (!w->sf) {
		OB_ERROR(OBSW_LOG, "%s: %s", name, sf_strerror(NULL));
		close(w->fd);
		w->fd = -1;
		unlink(name);
		return -EIO;
	}
	return 0;
}

static int wav_start(void *sink, const struct obs_format *f)
{
	struct obsw_sink *w = sink;
	char *name;
	int err;

	w->base_frames = w->total_frames;
	w->base_ns = w->now_ns();
	if (w->sf && obs_format_equal(&w->fmt, f))
		return 0; /* the same format continues the file */
	finish_file(w);
	name = obsw_segment_path(w->path, w->segment + 1);
	if (!name)
		return -ENOMEM;
	err = 0;
	if (w->resume) {
		w->resume = false; /* only the predecessor's last file */
		err = reopen_file(w, name, f);
		if (err == 0 && access(name, F_OK) == 0) {
			/* Another format: a new file after it, never over it. */
			w->segment++;
			free(name);
			name = obsw_segment_path(w->path, w->segment + 1);
			if (!name)
				return -ENOMEM;
		}
	}
	err = err > 0 ? 0 : err < 0 ? err : open_file(w, name, f);
	if (err) {
		free(name);
		return err;
	}
	free(w->file);
	w->file = name;
	w->segment++;
	w->fmt = *f;
	OB_INFO(OBSW_LOG, "writing %s: %u Hz, %u channel(s)%s", name, f->rate, f->channels,
		w->realtime ? ", paced in real time" : "");
	return 0;
}

static int wav_flush(void *sink)
{
	struct obsw_sink *w = sink;

	if (w->sf)
		sf_command(w->sf, SFC_UPDATE_HEADER_NOW, NULL, 0);
	return 0;
}

static void wav_stop(void *sink)
{
	wav_flush(sink);
}

/* Frames the simulated device has not played yet. */
static uint64_t frames_ahead(struct obsw_sink *w, int64_t now)
{
	int64_t elapsed = now - w->base_ns;
	uint64_t played;

	if (!w->realtime || !w->sf || w->total_frames <= w->base_frames)
		return 0;
	if (elapsed < 0)
		elapsed = 0;
	/* In two parts, so that hours of idle time cannot overflow. */
	played = (uint64_t)(elapsed / NS_PER_S) * w->fmt.rate +
		 (uint64_t)(elapsed % NS_PER_S) * w->fmt.rate / NS_PER_S;
	return played < w->total_frames - w->base_frames
		       ? w->total_frames - w->base_frames - played : 0;
}

static size_t wav_queued(void *sink)
{
	struct obsw_sink *w = sink;

	return (size_t)(frames_ahead(w, w->now_ns()) * obs_frame_bytes(&w->fmt));
}

static int wav_push(void *sink, const void *data, size_t len)
{
	struct obsw_sink *w = sink;
	int64_t now = w->now_ns();
	sf_count_t n;

	if (!w->sf)
		return -EBADF;
	/* The data is S16LE, which is what a 16-bit WAV holds: no conversion. */
	n = sf_write_raw(w->sf, data, (sf_count_t)len);
	if (n != (sf_count_t)len) {
		OB_ERROR(OBSW_LOG, "writing %s: %s", w->file, sf_strerror(w->sf));
		return -EIO;
	}
	if (frames_ahead(w, now) == 0) {
		/* The simulated device ran dry: it plays on from now. */
		w->base_frames = w->total_frames;
		w->base_ns = now;
	}
	w->total_frames += len / obs_frame_bytes(&w->fmt);
	return 0;
}

static void wav_destroy(void *sink)
{
	struct obsw_sink *w = sink;

	if (!w)
		return;
	finish_file(w);
	free(w->file);
	free(w->path);
	free(w);
}

const struct obs_sink_ops obsw_sink_ops = {
	.size = sizeof(struct obs_sink_ops),
	.start = wav_start,
	.stop = wav_stop,
	.queued = wav_queued,
	.push = wav_push,
	.flush = wav_flush,
	.destroy = wav_destroy,
};
