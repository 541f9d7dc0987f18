/*
 * A connection's life: open (bind or dial a PAIR socket), getters, stats,
 * frame injection, and close.
 *
 * PAIR, never REQ: REQ allows one request in flight and re-sends it on
 * reconnect, duplicating non-idempotent work. PAIR carries any number of
 * requests, matched by id here, and never re-sends.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <nanomsg/nn.h>
#include <nanomsg/pair.h>

#include "ipc_impl.h"

static bool url_supported(const char *url)
{
	return url && (strncmp(url, "ipc://", 6) == 0 || strncmp(url, "tcp://", 6) == 0) &&
	       url[6] != '\0';
}

/* Fill defaults into *out. -EINVAL for settings that cannot work. */
static int resolve_opts(const struct ob_conn_opts *in, struct ob_conn_opts *out)
{
	*out = in ? *in : (struct ob_conn_opts){0};
	if (!out->max_message)
		out->max_message = OB_DEFAULT_MAX_MESSAGE;
	if (!out->heartbeat_ms)
		out->heartbeat_ms = OB_DEFAULT_HEARTBEAT_MS;
	if (!out->dead_ms)
		out->dead_ms = OB_DEFAULT_DEAD_MS;
	if (!out->sendq_max)
		out->sendq_max = OB_DEFAULT_SENDQ_MAX;
	if (!out->auth_timeout_ms)
		out->auth_timeout_ms = OB_DEFAULT_AUTH_TIMEOUT_MS;
	if (out->auth_timeout_ms > INT32_MAX)
		return -EINVAL;
	/* NN_RCVMAXSIZE is an int and is set to twice max_message. */
	if (out->max_message > INT_MAX / 2)
		return -EINVAL;
	/* A peer must get a heartbeat's worth of time to answer. */
	if (!out->no_heartbeat && out->dead_ms <= out->heartbeat_ms)
		return -EINVAL;
	return 0;
}

static int set_int_opt(struct ob_conn *c, int option, int value)
{
	if (nn_setsockopt(c->sock, NN_SOL_SOCKET, option, &value, sizeof(value)) < 0)
		return -errno;
	return 0;
}

static int get_fd_opt(struct ob_conn *c, int option, int *fd)
{
	size_t len = sizeof(*fd);

	if (nn_getsockopt(c->sock, NN_SOL_SOCKET, option, fd, &len) < 0)
		return -errno;
	return 0;
}

static int open_socket(struct ob_conn *c)
{
	int rc;

	c->sock = nn_socket(AF_SP, NN_PAIR);
	if (c->sock < 0)
		return -errno;
	/* Frames up to twice our limit reach obi_receive_frame, which logs and
	 * counts them; nanomsg would drop them without a word. */
	rc = set_int_opt(c, NN_RCVMAXSIZE, (int)(2 * c->opts.max_message));
	/* A dialer usually starts before its plugin has bound: nanomsg's
	 * default first retry, 100 ms later, was most of `outboard run`'s
	 * start-up. Retry after 10 ms, backing off to 1 s for a peer that
	 * stays away (a remote link that dropped); locally, every few ms. */
	bool local = strncmp(c->url, "ipc://", 6) == 0;
	if (rc == 0 && !c->listening)
		rc = set_int_opt(c, NN_RECONNECT_IVL,
				 local ? OBI_RECONNECT_LOCAL_FIRST_MS : OBI_RECONNECT_FIRST_MS);
	if (rc == 0 && !c->listening)
		rc = set_int_opt(c, NN_RECONNECT_IVL_MAX,
				 local ? OBI_RECONNECT_LOCAL_MAX_MS : OBI_RECONNECT_MAX_MS);
	if (rc == 0)
		rc = get_fd_opt(c, NN_RCVFD, &c->rcvfd);
	if (rc == 0)
		rc = get_fd_opt(c, NN_SNDFD, &c->sndfd);
	if (rc < 0)
		return rc;
	/* A failed nn_bind (EADDRINUSE, ENOENT) leaks about 700 bytes inside
	 * nanomsg 1.1.5 (its issue #932); nothing here can free them. */
	if ((c->listening ? nn_bind(c->sock, c->url) : nn_connect(c->sock, c->url)) < 0)
		return -errno;
	return 0;
}

static void close_socket(struct ob_conn *c)
{
	if (c->sock >= 0) {
		while (nn_close(c->sock) < 0 && errno == EINTR)
			;
	}
	c->sock = -1;
	c->rcvfd = c->sndfd = -1;
}

int obi_conn_rebind(struct ob_conn *c)
{
	int rc;

	/* Closing first frees the address; nn_close returns once the
	 * socket, its listener and its connections are gone. */
	close_socket(c);
	rc = open_socket(c);
	if (rc < 0)
		OB_ERROR(OBI_LOG, "%s: cannot bind %s again after dropping a peer: %s%s", c->name,
			 c->url, nn_strerror(-rc), c->sock >= 0 ? "; retrying" : "");
	else
		OB_INFO(OBI_LOG, "%s: listening on %s again", c->name, c->url);
	return rc;
}

static int conn_open(const char *url, const struct ob_conn_opts *opts,
		     const struct ob_conn_callbacks *cbs, void *arg, bool listening,
		     ob_conn **out)
{
	struct ob_conn *c = NULL;
	int rc;

	if (out)
		*out = NULL;
	if (!out || !url_supported(url))
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->sock = -1;
	obi_lane_init(&c->lane);
	c->listening = listening;
	rc = resolve_opts(opts, &c->opts);
	if (rc < 0)
		goto out;
	c->url = strdup(url);
	c->name = strdup(c->opts.name ? c->opts.name : url);
	if (!c->url || !c->name) {
		rc = -ENOMEM;
		goto out;
	}
	c->opts.name = c->name;
	/* Keys derived from it are kept, never the caller's pointer. */
	c->opts.key = NULL;
	rc = obi_auth_init(c, opts ? opts->key : NULL);
	if (rc < 0)
		goto out;
	if (cbs)
		c->cbs = *cbs;
	c->arg = arg;
	c->sendq.max = c->opts.sendq_max;
	c->next_id = 1;
	c->hello_version = OB_PROTOCOL_VERSION;
	obi_calls_init(&c->calls);
	obi_hb_start(c, ob_now_ms());

	rc = open_socket(c);
	if (rc == 0 && c->auth.state != OBI_AUTH_OFF)
		OB_INFO(OBI_LOG, "%s: %s %s with authentication (key id %s)", c->name,
			listening ? "listening on" : "dialing", url, c->auth.key_id);
	if (rc < 0) {
		OB_ERROR(OBI_LOG, "%s%scannot %s %s: %s", strcmp(c->name, url) ? c->name : "",
			 strcmp(c->name, url) ? ": " : "", listening ? "listen on" : "dial", url,
			 nn_strerror(-rc));
		goto out;
	}
	*out = c;
	return 0;
out:
	ob_conn_close(c, 0);
	return rc;
}

int ob_conn_listen(const char *url, const struct ob_conn_opts *opts,
		   const struct ob_conn_callbacks *cbs, void *arg, ob_conn **out)
{
	return conn_open(url, opts, cbs, arg, true, out);
}

int ob_conn_dial(const char *url, const struct ob_conn_opts *opts,
		 const struct ob_conn_callbacks *cbs, void *arg, ob_conn **out)
{
	return conn_open(url, opts, cbs, arg, false, out);
}

/* Tell the peer we are leaving, so it neither waits for us nor keeps our
 * calls in flight until its heartbeat gives up. */
static void say_goodbye(struct ob_conn *c)
{
	Ob__Envelope env = OB__ENVELOPE__INIT;
	Ob__Goodbye bye;

	ob__goodbye__init(&bye);
	env.body_case = OB__ENVELOPE__BODY_GOODBYE;
	env.goodbye = &bye;
	(void)obi_send_env(c, &env, OBI_SEND_QUEUE);
}

/* Best effort before nn_close, which drops whatever nanomsg still holds.
 * The Goodbye goes before the flush barrier, so the barrier's Pong also
 * proves the peer has it. */
static void flush_before_close(struct ob_conn *c, int flush_ms)
{
	int rc;

	if (flush_ms <= 0 || !obi_usable(c))
		return;
	if (c->st.sent == 0 && c->sendq.len == 0)
		return; /* nothing was ever sent: nothing to prove */
	if (c->auth.state != OBI_AUTH_OFF && c->auth.state != OBI_AUTH_READY) {
		if (c->sendq.len)
			OB_WARN(OBI_LOG, "%s: closing before authentication succeeded: %u queued "
				"frames lost", c->name, c->sendq.len);
		return;
	}
	if (!c->up) {
		if (c->sendq.len)
			OB_WARN(OBI_LOG, "%s: closing with the peer down: %u queued frames lost",
				c->name, c->sendq.len);
		return;
	}
	say_goodbye(c);
	rc = ob_conn_flush(c, flush_ms);
	if (rc == -ECONNRESET) /* it left first (a Ctrl-C reaches every process) */
		OB_INFO(OBI_LOG, "%s: closing after the peer hung up; %u frames were still "
			"queued", c->name, c->sendq.len);
	else if (rc < 0)
		OB_WARN(OBI_LOG, "%s: closing without proof the peer got everything (%s); "
			"%u frames were still queued", c->name, nn_strerror(-rc), c->sendq.len);
}

void ob_conn_close(ob_conn *c, int flush_ms)
{
	if (!c)
		return;
	flush_before_close(c, flush_ms);
	/* From here on every call into the connection fails with -ENOTCONN,
	 * including the ones the callbacks below may make. */
	c->closed = true;
	obi_calls_fail_all(c, ECANCELED);
	obi_calls_fini(&c->calls);
	obi_hold_fini(c);
	obi_sendq_clear(&c->sendq);
	if (c->hs.answer)
		ob__hello__free_unpacked(c->hs.answer, NULL);
	obi_auth_fini(c);
	obi_lane_fini(c);
	close_socket(c);
	free(c->url);
	free(c->name);
	free(c);
}

int ob_conn_inject(ob_conn *c, const void *frame, size_t len)
{
	if (!obi_usable(c))
		return -ENOTCONN;
	if (!frame && len > 0)
		return -EINVAL;
	return obi_auth_receive(c, frame ? frame : "", len);
}

void ob_conn_get_stats(const ob_conn *c, struct ob_conn_stats *st)
{
	if (!st)
		return;
	if (!c) {
		*st = (struct ob_conn_stats){0};
		return;
	}
	*st = c->st;
	st->authenticated = c->auth.state == OBI_AUTH_READY;
	st->in_flight = c->calls.count;
	st->queued = c->sendq.len;
	st->up = c->up;
	st->lane = c->lane.fd >= 0;
}

const char *ob_conn_name(const ob_conn *c)
{
	return c ? c->name : NULL;
}

uint64_t ob_conn_connect_errors(const ob_conn *c)
{
	return c && c->sock >= 0 ? nn_get_statistic(c->sock, NN_STAT_CONNECT_ERRORS) : 0;
}

const char *ob_conn_url(const ob_conn *c)
{
	return c ? c->url : NULL;
}
