/*
 * display-sdl's sink and its share of the poll loop (see sdl_backend.h):
 * presents deferred to their refresh tick, SDL's events pumped every few
 * ms, SIGUSR1 screenshots, and the input domain's one call.
 */
#include "sdl_backend.h"

#include <errno.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#define NS_PER_MS 1000000

static int sdl_frame(void *ctx, const uint32_t *xrgb, unsigned w, unsigned h, uint64_t frame,
		     ob_call *call)
{
	struct obds_sdl *s = ctx;
	int err;

	(void)w;
	(void)h;
	(void)frame;
	err = obds_sdl_show(s, xrgb);
	if (err)
		return err;
	if (!call || s->n_pending == OBDS_MAX_PENDING)
		return 0; /* nothing to pace (tests), or a crowd: answer now */
	s->pending[s->n_pending++] = (struct obds_pending){
		.call = call,
		.due_ns = obds_pace_next(&s->pace, obds_now_ns()),
	};
	return OB_DEFER;
}

static int sdl_pollfds(void *ctx, struct pollfd *pfds, int n)
{
	struct obds_sdl *s = ctx;

	if (s->sigfd < 0 || n < 1)
		return 0;
	pfds[0] = (struct pollfd){ .fd = s->sigfd, .events = POLLIN };
	return 1;
}

static int sdl_timeout(void *ctx)
{
	struct obds_sdl *s = ctx;
	int ms = OBDS_POLL_MS;

	if (s->n_pending) {
		int due = obds_pace_ms_until(s->pending[0].due_ns, obds_now_ns());

		if (due < ms)
			ms = due;
	}
	return ms;
}

/* Answer the presents whose tick has come, oldest first. */
static void answer_due(struct obds_sdl *s)
{
	int64_t now = obds_now_ns();

	while (s->n_pending && s->pending[0].due_ns <= now) {
		ob_call *call = s->pending[0].call;

		s->n_pending--;
		for (unsigned i = 0; i < s->n_pending; i++)
			s->pending[i] = s->pending[i + 1];
		obd_present_complete(s->d, call, 0);
	}
}

static void take_signals(struct obds_sdl *s)
{
	struct signalfd_siginfo si;
	bool shot = false;

	while (read(s->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		shot = true;
	if (shot)
		obds_sdl_redraw(s, true);
}

static void sdl_process(void *ctx, ob_plugin_ctx *p)
{
	struct obds_sdl *s = ctx;

	if (s->sigfd >= 0)
		take_signals(s);
	obds_sdl_pump(s, p);
	answer_due(s);
}

static void sdl_destroy(void *ctx)
{
	/* Presents still pending belong to the SDK, which cancels them. */
	obds_sdl_destroy(ctx);
}

const struct obd_sink obds_sdl_sink = {
	.size = sizeof(struct obd_sink),
	.frame = sdl_frame,
	.pollfds = sdl_pollfds,
	.timeout = sdl_timeout,
	.process = sdl_process,
	.destroy = sdl_destroy,
};

static void send_input(struct obds_sdl *s, ob_plugin_ctx *p, Ob__InputEvent *in)
{
	Ob__Event ev = OB__EVENT__INIT;
	int err;

	if (in->kind != OB__INPUT_EVENT__KIND__KIND_QUIT && !s->input_started)
		return; /* the host has not asked for input */
	if (s->input_started)
		/* Whole ms since the start, never rounded up: the guest's clock
		 * started earlier, so an event is never stamped later than the
		 * guest's clock when it arrives. */
		in->time_ms = (uint64_t)((obds_now_ns() - s->input_t0_ns) / NS_PER_MS);
	ev.event_case = OB__EVENT__EVENT_INPUT;
	ev.input = in;
	err = ob_plugin_event(p, &ev);
	if (err)
		OB_DEBUG(OBDS_LOG, "input event %d dropped: %s", (int)in->kind, strerror(-err));
}

static bool uncovered(const SDL_Event *ev)
{
	return ev->type == SDL_WINDOWEVENT &&
	       (ev->window.event == SDL_WINDOWEVENT_EXPOSED ||
		ev->window.event == SDL_WINDOWEVENT_RESTORED);
}

void obds_sdl_pump(struct obds_sdl *s, ob_plugin_ctx *p)
{
	SDL_Event ev;

	while (SDL_PollEvent(&ev)) {
		Ob__InputEvent in = OB__INPUT_EVENT__INIT;

		if (uncovered(&ev)) {
			obds_sdl_redraw(s, false);
			obd_display_expose(s->d);
		} else if (obds_translate(&ev, s->scale, s->w, s->h, &in)) {
			send_input(s, p, &in);
		}
	}
}

int obds_handle_input_configure(void *ctx, ob_call *call, const ProtobufCMessage *args,
				ProtobufCMessage *result)
{
	struct obds_sdl *s = obd_display_sink_ctx(ctx);
	const Ob__InputConfigure *a = (const Ob__InputConfigure *)args;

	(void)result;
	/* After a restart this restore call is the first (often the only)
	 * request the new process gets before the guest waits for a key: it
	 * must count as a new host's, so that expose goes out and the guest
	 * redraws the fresh window, as the display calls do. */
	obd_display_note_call(s->d, call);
	s->input_started = a->flags & 1;
	s->input_t0_ns = obds_now_ns();
	OB_INFO(OBDS_LOG, "input %s", s->input_started ? "started" : "stopped");
	return 0;
}
