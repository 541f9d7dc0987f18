/*
 * The router (see router.h).
 */
#include "router.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "outboard/errno.h"
#include "outboard/log.h"
#include "scheduler.h"

#define CAT "router"
#define MAX_CALL_NUM 256
/* Posted calls a plugin may have unanswered before posting threads wait:
 * enough to keep a display busy, small enough to bound its backlog. */
#define POSTED_WINDOW_CALLS 512
#define POSTED_WINDOW_BYTES (16u << 20)

struct posted {
	uint64_t id;
	uint32_t bytes;
};

struct obh_route {
	struct obh_router *router;
	enum obh_domain domain;
	enum obh_domain_state state;
	ob_conn *conn;
	char *url;
	char *backend;
	uint8_t serves[MAX_CALL_NUM / 8];
	struct ob_conn_stats last_stats; /* kept when the connection is closed */
	/* Flow control of posted calls: FIFO of those not yet credited. */
	struct posted *posted;
	unsigned posted_head, posted_count;
	uint64_t posted_bytes;
	struct obh_waitq credit_waiters;
};

struct obh_router {
	struct obh_host *h;
	struct obh_route routes[OBH_DOMAIN_COUNT];
	ob_conn *control;
};

static void on_plugin_state(void *arg, ob_conn *conn, bool up)
{
	struct obh_route *rt = arg;
	(void)conn;
	if (up)
		OB_INFO(CAT, "plugin %s (%s) is answering again", rt->backend ? rt->backend : "?",
			obh_domain_name(rt->domain));
	else
		OB_WARN(CAT, "plugin %s (%s) stopped answering; calls in flight fail with EIO",
			rt->backend ? rt->backend : "?", obh_domain_name(rt->domain));
}

static bool window_full(const struct obh_route *rt)
{
	return rt->posted_count >= POSTED_WINDOW_CALLS || rt->posted_bytes >= POSTED_WINDOW_BYTES;
}

static void wake_credit_waiters(struct obh_host *h, struct obh_route *rt, int32_t r0)
{
	struct obh_thread *t;
	while ((r0 || !window_full(rt)) && (t = obh_waitq_pop(&rt->credit_waiters)))
		obh_sched_wake(h, t, r0);
}

static void on_credit(struct obh_route *rt, uint64_t done_id)
{
	while (rt->posted_count && rt->posted[rt->posted_head].id <= done_id) {
		rt->posted_bytes -= rt->posted[rt->posted_head].bytes;
		rt->posted_head = (rt->posted_head + 1) % POSTED_WINDOW_CALLS;
		rt->posted_count--;
	}
	wake_credit_waiters(rt->router->h, rt, 0);
}

static void on_event(struct obh_route *rt, const Ob__Event *ev)
{
	struct obh_host *h = rt->router->h;
	struct obh_event e = { 0 };
	switch (ev->event_case) {
	case OB__EVENT__EVENT_CREDIT:
		on_credit(rt, ev->credit->done_id);
		return;
	case OB__EVENT__EVENT_INPUT:
		e.kind = (uint32_t)ev->input->kind;
		e.key = ev->input->key;
		e.x = ev->input->x;
		e.y = ev->input->y;
		e.time_ms = ev->input->time_ms;
		break;
	case OB__EVENT__EVENT_EXPOSE:
		e.kind = OB__INPUT_EVENT__KIND__KIND_EXPOSE;
		e.time_ms = (uint64_t)obh_now_ns() / 1000000;
		break;
	case OB__EVENT__EVENT_VSYNC:
		e.kind = OB__INPUT_EVENT__KIND__KIND_VSYNC;
		e.key = (uint32_t)ev->vsync->frame;
		e.time_ms = ev->vsync->time_ns / 1000000;
		break;
	default:
		OB_DEBUG(CAT, "event %d from %s ignored", ev->event_case,
			 obh_domain_name(rt->domain));
		return;
	}
	if (e.kind == OB__INPUT_EVENT__KIND__KIND_NONE || e.kind > OB__INPUT_EVENT__KIND__KIND_VSYNC) {
		OB_WARN(CAT, "event of unknown kind %u from %s dropped", e.kind,
			obh_domain_name(rt->domain));
		return;
	}
	obh_events_push(h, &e);
}

static void on_plugin_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	struct obh_route *rt = arg;
	(void)conn;
	switch (env->body_case) {
	case OB__ENVELOPE__BODY_EVENT:
		on_event(rt, env->event);
		break;
	case OB__ENVELOPE__BODY_HELLO:
		break; /* a late duplicate of the handshake answer */
	default:
		OB_DEBUG(CAT, "unexpected envelope %d from %s", env->body_case,
			 obh_domain_name(rt->domain));
		break;
	}
}

static void on_plugin_error(void *arg, ob_conn *conn, int err, const char *what)
{
	struct obh_route *rt = arg;
	(void)conn;
	OB_ERROR(CAT, "plugin for %s: %s (%s)", obh_domain_name(rt->domain), what, strerror(err));
}

static void route_down(struct obh_router *r, struct obh_route *rt, const char *why)
{
	if (rt->state != OBH_DOMAIN_UP)
		return;
	OB_ERROR(CAT, "plugin %s (%s) died: %s; its calls now fail with EIO",
		 rt->backend ? rt->backend : "?", obh_domain_name(rt->domain), why);
	rt->state = OBH_DOMAIN_DOWN;
	ob_conn_get_stats(rt->conn, &rt->last_stats);
	ob_conn *c = rt->conn;
	rt->conn = NULL;
	ob_conn_close(c, 0); /* completes calls in flight with ECANCELED */
	rt->posted_count = 0;
	rt->posted_bytes = 0;
	wake_credit_waiters(r->h, rt, -OB_ABI_EIO);
}

static void on_control_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	struct obh_router *r = arg;
	(void)conn;
	if (env->body_case != OB__ENVELOPE__BODY_SUPERVISE)
		return;
	const Ob__Supervise *sv = env->supervise;
	int d = (int)sv->domain;
	if (d <= 0 || d >= OBH_DOMAIN_COUNT)
		return;
	struct obh_route *rt = &r->routes[d];
	if (sv->state == OB__SUPERVISE__STATE__STATE_DIED ||
	    sv->state == OB__SUPERVISE__STATE__STATE_FAILED)
		route_down(r, rt, sv->detail && *sv->detail ? sv->detail : "exited");
}

static int handshake(struct obh_router *r, struct obh_route *rt)
{
	static char role[] = "host";
	Ob__Hello hello;
	Ob__Hello *answer = NULL;
	ob__hello__init(&hello);
	hello.role = role;
	int err = ob_conn_handshake(rt->conn, &hello, r->h->opts.plugin_timeout_ms, &answer);
	if (err) {
		OB_ERROR(CAT, "no Hello from the %s plugin at %s: %s", obh_domain_name(rt->domain),
			 rt->url, strerror(-err));
		return err;
	}
	bool serves_domain = false;
	for (size_t i = 0; i < answer->n_domains; i++)
		serves_domain |= (int)answer->domains[i] == (int)rt->domain;
	if (!serves_domain) {
		OB_ERROR(CAT, "plugin %s at %s does not serve the %s domain", answer->backend,
			 rt->url, obh_domain_name(rt->domain));
		ob__hello__free_unpacked(answer, NULL);
		return -EPROTO;
	}
	for (size_t i = 0; i < answer->n_calls; i++)
		if (answer->calls[i] < MAX_CALL_NUM)
			rt->serves[answer->calls[i] / 8] |= (uint8_t)(1u << (answer->calls[i] % 8));
	rt->backend = strdup(answer->backend ? answer->backend : "?");
	OB_INFO(CAT, "%s: plugin %s %s at %s, %zu calls", obh_domain_name(rt->domain),
		rt->backend, answer->backend_version, rt->url, answer->n_calls);
	ob__hello__free_unpacked(answer, NULL);
	return rt->backend ? 0 : -ENOMEM;
}

static int open_route(struct obh_router *r, enum obh_domain d, const char *url)
{
	struct obh_route *rt = &r->routes[d];
	static const struct ob_conn_callbacks cbs = {
		.on_message = on_plugin_message,
		.on_state = on_plugin_state,
		.on_error = on_plugin_error,
	};
	struct ob_conn_opts opts = { .name = obh_domain_name(d) };
	rt->url = strdup(url);
	if (!rt->url)
		return -ENOMEM;
	int err = ob_conn_dial(url, &opts, &cbs, rt, &rt->conn);
	if (err) {
		OB_ERROR(CAT, "cannot dial the %s plugin at %s: %s", obh_domain_name(d), url,
			 strerror(-err));
		return err;
	}
	err = handshake(r, rt);
	if (err)
		return err;
	rt->state = OBH_DOMAIN_UP;
	return 0;
}

static int open_control(struct obh_router *r, const char *url)
{
	static const struct ob_conn_callbacks cbs = { .on_message = on_control_message };
	struct ob_conn_opts opts = { .name = "control", .no_heartbeat = true };
	int err = ob_conn_dial(url, &opts, &cbs, r, &r->control);
	if (err)
		OB_ERROR(CAT, "cannot dial the launcher's control endpoint %s: %s", url,
			 strerror(-err));
	return err;
}

int obh_router_create(struct obh_host *h, struct obh_router **out)
{
	struct obh_router *r = calloc(1, sizeof(*r));
	int err = 0;
	if (!r)
		return -ENOMEM;
	r->h = h;
	for (int d = 0; d < OBH_DOMAIN_COUNT; d++) {
		r->routes[d].domain = (enum obh_domain)d;
		r->routes[d].router = r;
		r->routes[d].posted = calloc(POSTED_WINDOW_CALLS, sizeof(struct posted));
		if (!r->routes[d].posted) {
			err = -ENOMEM;
			goto fail;
		}
	}
	if (h->opts.control_url) {
		err = open_control(r, h->opts.control_url);
		if (err)
			goto fail;
	}
	for (int d = 1; d < OBH_DOMAIN_COUNT; d++) {
		if (!h->opts.plugin_url[d])
			continue;
		err = open_route(r, (enum obh_domain)d, h->opts.plugin_url[d]);
		if (err)
			goto fail;
	}
	*out = r;
	return 0;
fail:
	obh_router_destroy(r);
	return err;
}

void obh_router_destroy(struct obh_router *r)
{
	if (!r)
		return;
	for (int d = 0; d < OBH_DOMAIN_COUNT; d++) {
		struct obh_route *rt = &r->routes[d];
		ob_conn_close(rt->conn, 200);
		free(rt->url);
		free(rt->backend);
		free(rt->posted);
	}
	ob_conn_close(r->control, 0);
	free(r);
}

int obh_router_pollfds(struct obh_router *r, struct pollfd *pfds, int n)
{
	int used = 0;
	for (int d = 0; d < OBH_DOMAIN_COUNT && used < n; d++)
		if (r->routes[d].conn)
			used += ob_conn_pollfds(r->routes[d].conn, pfds + used, n - used);
	if (r->control && used < n)
		used += ob_conn_pollfds(r->control, pfds + used, n - used);
	return used;
}

static int min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

int obh_router_timeout(struct obh_router *r)
{
	int t = -1;
	for (int d = 0; d < OBH_DOMAIN_COUNT; d++)
		if (r->routes[d].conn)
			t = min_timeout(t, ob_conn_timeout(r->routes[d].conn));
	if (r->control)
		t = min_timeout(t, ob_conn_timeout(r->control));
	return t;
}

void obh_router_process(struct obh_router *r)
{
	/* The control connection first: a death notice fails calls at once. */
	if (r->control)
		ob_conn_process(r->control);
	for (int d = 0; d < OBH_DOMAIN_COUNT; d++)
		if (r->routes[d].conn)
			ob_conn_process(r->routes[d].conn);
}

enum obh_domain_state obh_router_state(const struct obh_router *r, enum obh_domain d)
{
	return (unsigned)d < OBH_DOMAIN_COUNT ? r->routes[d].state : OBH_DOMAIN_ABSENT;
}

bool obh_router_serves(const struct obh_router *r, enum obh_domain d, uint32_t num)
{
	if ((unsigned)d >= OBH_DOMAIN_COUNT || num >= MAX_CALL_NUM)
		return false;
	return r->routes[d].serves[num / 8] & (1u << (num % 8));
}

const char *obh_router_backend(const struct obh_router *r, enum obh_domain d)
{
	return (unsigned)d < OBH_DOMAIN_COUNT ? r->routes[d].backend : NULL;
}

int obh_router_call(struct obh_router *r, enum obh_domain d, Ob__Request *req,
		    ob_reply_fn fn, void *arg, uint64_t *id)
{
	struct obh_route *rt = &r->routes[d];
	switch (rt->state) {
	case OBH_DOMAIN_ABSENT:
		return -ENOSYS;
	case OBH_DOMAIN_DOWN:
		return -EIO;
	case OBH_DOMAIN_UP:
		break;
	}
	return ob_conn_call(rt->conn, req, fn, arg, id);
}

int obh_router_post(struct obh_router *r, enum obh_domain d, Ob__Request *req,
		    struct obh_waitq **full)
{
	struct obh_route *rt = &r->routes[d];
	uint64_t id;
	*full = NULL;
	req->posted = true;
	size_t bytes = protobuf_c_message_get_packed_size(&req->base);
	int err = obh_router_call(r, d, req, NULL, NULL, &id);
	if (err)
		return err;
	if (rt->posted_count < POSTED_WINDOW_CALLS) {
		unsigned tail = (rt->posted_head + rt->posted_count) % POSTED_WINDOW_CALLS;
		rt->posted[tail] = (struct posted){ .id = id, .bytes = (uint32_t)bytes };
		rt->posted_count++;
		rt->posted_bytes += bytes;
	}
	if (window_full(rt))
		*full = &rt->credit_waiters;
	return 0;
}

void obh_router_start_input(struct obh_router *r)
{
	if (r->routes[OBH_DOMAIN_INPUT].state != OBH_DOMAIN_UP ||
	    !obh_router_serves(r, OBH_DOMAIN_INPUT, OB__REQUEST__CALL_INPUT_CONFIGURE))
		return;
	Ob__Request req = OB__REQUEST__INIT;
	Ob__InputConfigure cfg = OB__INPUT_CONFIGURE__INIT;
	cfg.flags = 1; /* start: a script's clock starts with the program */
	req.call_case = OB__REQUEST__CALL_INPUT_CONFIGURE;
	req.input_configure = &cfg;
	struct obh_waitq *full;
	int err = obh_router_post(r, OBH_DOMAIN_INPUT, &req, &full);
	if (err)
		OB_WARN(CAT, "cannot start the input source: %s", strerror(-err));
}

unsigned obh_router_in_flight(const struct obh_router *r)
{
	unsigned n = 0;
	for (int d = 0; d < OBH_DOMAIN_COUNT; d++) {
		if (!r->routes[d].conn)
			continue;
		struct ob_conn_stats st;
		ob_conn_get_stats(r->routes[d].conn, &st);
		n += st.in_flight;
	}
	return n;
}

static void route_stats(const struct obh_route *rt, struct ob_conn_stats *st)
{
	if (rt->conn)
		ob_conn_get_stats(rt->conn, st);
	else
		*st = rt->last_stats;
}

uint32_t obh_router_max_in_flight(const struct obh_router *r, enum obh_domain d)
{
	struct ob_conn_stats st;
	route_stats(&r->routes[d], &st);
	return st.max_in_flight;
}

void obh_router_print_stats(const struct obh_router *r, FILE *out)
{
	for (int d = 1; d < OBH_DOMAIN_COUNT; d++) {
		const struct obh_route *rt = &r->routes[d];
		if (rt->state == OBH_DOMAIN_ABSENT)
			continue;
		struct ob_conn_stats st;
		route_stats(rt, &st);
		fprintf(out,
			"outboard-cpu: stats %s: backend=%s requests=%llu posted=%llu replies=%llu "
			"events=%llu timeouts=%llu dropped=%llu max_in_flight=%u\n",
			obh_domain_name((enum obh_domain)d), rt->backend ? rt->backend : "?",
			(unsigned long long)st.requests, (unsigned long long)st.posted,
			(unsigned long long)st.replies, (unsigned long long)st.events,
			(unsigned long long)st.timeouts, (unsigned long long)st.dropped,
			st.max_in_flight);
	}
}
