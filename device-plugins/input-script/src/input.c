/*
 * outboard-input-script's backend (see input.h).
 */
#include "input.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "outboard/log.h"

/* InputConfigure.flags: start the source now. */
#define CONFIGURE_START 1u

int64_t obis_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int obis_input_create(const char *path, struct obis_input **out, char *err, size_t errlen)
{
	struct obis_input *in = calloc(1, sizeof(*in));
	int rc;

	*out = NULL;
	if (!in) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rc = obis_load(path, &in->script, err, errlen);
	if (rc) {
		free(in);
		return rc;
	}
	in->path = path;
	obis_player_init(&in->player, &in->script);
	*out = in;
	return 0;
}

void obis_input_destroy(struct obis_input *in)
{
	if (!in)
		return;
	obis_script_free(&in->script);
	free(in);
}

/*
 * The host posts this when the guest program starts. The clock starts once:
 * a second start (the host reconnecting to this same process) keeps the
 * running clock, so no event is sent twice. Bits other than bit 0 mean
 * nothing yet and are ignored.
 */
static int handle_configure(void *ctx, ob_call *call, const ProtobufCMessage *args,
			    ProtobufCMessage *result)
{
	struct obis_input *in = ctx;
	const Ob__InputConfigure *cfg = (const Ob__InputConfigure *)args;
	(void)call;
	(void)result;

	if (!(cfg->flags & CONFIGURE_START))
		return 0;
	if (obis_player_start(&in->player, obis_now_ns()))
		OB_INFO(OBIS_LOG, "%s: clock started, %zu events", in->path, in->script.n);
	else
		OB_INFO(OBIS_LOG, "%s: asked to start again; the clock keeps running", in->path);
	return 0;
}

const struct ob_handler obis_handlers[OBIS_N_HANDLERS] = {
	{ OB__REQUEST__CALL_INPUT_CONFIGURE, handle_configure },
};

/* obis_send_fn over the SDK: Event{input = InputEvent{...}}. */
static int send_event(void *arg, const struct obis_event *ev)
{
	Ob__InputEvent ie = OB__INPUT_EVENT__INIT;
	Ob__Event e = OB__EVENT__INIT;

	ie.kind = (Ob__InputEvent__Kind)ev->kind;
	ie.key = ev->key;
	ie.x = ev->x;
	ie.y = ev->y;
	ie.time_ms = ev->time_ms;
	e.event_case = OB__EVENT__EVENT_INPUT;
	e.input = &ie;
	e.recorded = true; /* the guest gets the script's times */
	return ob_plugin_event(arg, &e);
}

int obis_input_timeout(void *ctx)
{
	struct obis_input *in = ctx;
	return obis_player_timeout(&in->player, obis_now_ns());
}

void obis_input_process(void *ctx, ob_plugin_ctx *p)
{
	struct obis_input *in = ctx;
	if (obis_player_done(&in->player))
		return;
	obis_player_run(&in->player, obis_now_ns(), send_event, p);
	if (obis_player_done(&in->player))
		OB_INFO(OBIS_LOG, "%s: the script has ended (%llu events sent, %llu dropped)",
			in->path, (unsigned long long)in->player.sent,
			(unsigned long long)in->player.dropped);
}
