/*
 * Playing a script against a clock (see player.h).
 */
#include "player.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "outboard/log.h"

#define NS_PER_MS 1000000

void obis_player_init(struct obis_player *pl, const struct obis_script *script)
{
	*pl = (struct obis_player){ .script = script };
}

bool obis_player_start(struct obis_player *pl, int64_t now_ns)
{
	if (pl->started)
		return false;
	pl->started = true;
	pl->start_ns = now_ns;
	return true;
}

bool obis_player_done(const struct obis_player *pl)
{
	return pl->next >= pl->script->n;
}

/* When the next event is due (the caller checked there is one). Script
 * times are at most OBIS_TIME_MAX_MS, so this cannot overflow. */
static int64_t due_ns(const struct obis_player *pl)
{
	return pl->start_ns + (int64_t)pl->script->events[pl->next].time_ms * NS_PER_MS;
}

int obis_player_timeout(const struct obis_player *pl, int64_t now_ns)
{
	if (!pl->started || obis_player_done(pl))
		return -1;
	int64_t at = due_ns(pl);
	if (pl->retry_ns > at)
		at = pl->retry_ns;
	if (at <= now_ns)
		return 0;
	int64_t ms = (at - now_ns + NS_PER_MS - 1) / NS_PER_MS;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* Failures after which the same event can go out later. */
static bool transient(int err)
{
	return err == -ENOBUFS || err == -EAGAIN || err == -ENOTCONN || err == -ENOMEM;
}

size_t obis_player_run(struct obis_player *pl, int64_t now_ns, obis_send_fn send, void *arg)
{
	size_t n = 0;

	if (!pl->started || now_ns < pl->retry_ns)
		return 0;
	while (!obis_player_done(pl) && due_ns(pl) <= now_ns) {
		const struct obis_event *ev = &pl->script->events[pl->next];
		int err = send(arg, ev);
		if (err && transient(err)) {
			if (!pl->retry_ns)
				OB_INFO(OBIS_LOG, "line %u: cannot send yet (%s); retrying", ev->line,
					strerror(-err));
			pl->retry_ns = now_ns + (int64_t)OBIS_RETRY_MS * NS_PER_MS;
			return n;
		}
		if (err) {
			OB_ERROR(OBIS_LOG, "line %u: the event could not be sent (%s); skipping it",
				 ev->line, strerror(-err));
			pl->dropped++;
		} else {
			pl->sent++;
			n++;
		}
		pl->retry_ns = 0;
		pl->next++;
	}
	return n;
}
