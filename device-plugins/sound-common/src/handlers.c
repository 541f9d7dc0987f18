/* The sound-domain handlers and plugin hooks (obs/sound.h). */
#include "obs/sound.h"

#include <errno.h>

static int queued_or_error(int err)
{
	return err < 0 ? -err : OB_DEFER;
}

static int handle_open(void *ctx, ob_call *call, const ProtobufCMessage *args,
		       ProtobufCMessage *result)
{
	const Ob__SoundOpen *a = (const Ob__SoundOpen *)args;

	(void)result;
	return queued_or_error(obs_stream_open(ctx, call, a->rate, a->channels));
}

static int handle_write(void *ctx, ob_call *call, const ProtobufCMessage *args,
			ProtobufCMessage *result)
{
	const Ob__SoundWrite *a = (const Ob__SoundWrite *)args;
	Ob__SoundWriteResult *r = (Ob__SoundWriteResult *)result;

	if (a->buf.len != a->len) {
		OB_ERROR(OBS_LOG, "sound_write: len %u but %zu bytes of data", a->len, a->buf.len);
		return EINVAL;
	}
	/* Sent only with status 0: then every byte was taken. */
	r->ret = a->len;
	return queued_or_error(obs_stream_write(ctx, call, a->buf.data, a->buf.len));
}

static int handle_drain(void *ctx, ob_call *call, const ProtobufCMessage *args,
			ProtobufCMessage *result)
{
	(void)args;
	(void)result;
	return queued_or_error(obs_stream_drain(ctx, call));
}

static int handle_close(void *ctx, ob_call *call, const ProtobufCMessage *args,
			ProtobufCMessage *result)
{
	(void)args;
	(void)result;
	return queued_or_error(obs_stream_close(ctx, call));
}

static int handle_beep(void *ctx, ob_call *call, const ProtobufCMessage *args,
		       ProtobufCMessage *result)
{
	const Ob__SoundBeep *a = (const Ob__SoundBeep *)args;

	(void)result;
	return queued_or_error(obs_stream_beep(ctx, call, a->freq_hz, a->ms));
}

const struct ob_handler obs_handlers[OBS_N_HANDLERS] = {
	{ OB__REQUEST__CALL_SOUND_OPEN, handle_open },
	{ OB__REQUEST__CALL_SOUND_WRITE, handle_write },
	{ OB__REQUEST__CALL_SOUND_DRAIN, handle_drain },
	{ OB__REQUEST__CALL_SOUND_CLOSE, handle_close },
	{ OB__REQUEST__CALL_SOUND_BEEP, handle_beep },
};

void obs_complete_call(void *token, int status)
{
	ob_call_complete(token, status);
}

int obs_plugin_timeout(void *ctx)
{
	return obs_stream_timeout_ms(ctx);
}

void obs_plugin_process(void *ctx, ob_plugin_ctx *p)
{
	(void)p;
	obs_stream_pump(ctx);
}

void obs_plugin_fini(void *ctx)
{
	obs_stream_destroy(ctx);
}
