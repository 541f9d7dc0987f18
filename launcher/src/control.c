/*
 * The control connection to the CPU host (docs/launcher.md, "The control
 * connection"): the launcher binds it, answers the host's Hello, takes its
 * Supervise{HUNG} and sends Supervise READY, UP, DIED and FAILED.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "outboard/log.h"
#include "sup_internal.h"

#define CAT "launcher"

static const int wire_domains[OBL_DOMAIN_COUNT] = {
	[OBL_FS] = OB__DOMAIN__DOMAIN_FS,
	[OBL_DISPLAY] = OB__DOMAIN__DOMAIN_DISPLAY,
	[OBL_SOUND] = OB__DOMAIN__DOMAIN_SOUND,
	[OBL_INPUT] = OB__DOMAIN__DOMAIN_INPUT,
};

int obl_wire_domain(enum obl_domain d)
{
	return wire_domains[d];
}

int obl_domain_from_wire(int wire)
{
	for (int d = 0; d < OBL_DOMAIN_COUNT; d++)
		if (wire_domains[d] == wire)
			return d;
	return -1;
}

static void answer_hello(ob_conn *conn)
{
	static char role[] = "launcher";
	Ob__Hello hello;
	ob__hello__init(&hello);
	hello.role = role;
	int rc = ob_conn_hello(conn, &hello);
	if (rc < 0)
		OB_WARN(CAT, "control: cannot answer the host's Hello: %s", strerror(-rc));
}

static void control_on_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	struct obl_sup *s = arg;
	if (env->body_case == OB__ENVELOPE__BODY_HELLO) {
		answer_hello(conn);
		return;
	}
	if (env->body_case == OB__ENVELOPE__BODY_SUPERVISE &&
	    env->supervise->state == OB__SUPERVISE__STATE__STATE_HUNG) {
		obl_revive_hung(s, (int)env->supervise->domain, env->supervise->mount,
				env->supervise->detail);
		return;
	}
	if (env->body_case == OB__ENVELOPE__BODY_SUPERVISE &&
	    env->supervise->state == OB__SUPERVISE__STATE__STATE_WANTED) {
		obl_revive_wanted(s, (int)env->supervise->domain, env->supervise->mount);
		return;
	}
	if (env->body_case == OB__ENVELOPE__BODY_SUPERVISE &&
	    env->supervise->state == OB__SUPERVISE__STATE__STATE_RELEASED) {
		obl_sup_release_plugins(s);
		return;
	}
	OB_DEBUG(CAT, "control: ignoring a message of kind %d", (int)env->body_case);
}

int obl_sup_listen_control(struct obl_sup *s, const char *url)
{
	/* No heartbeat of our own: a dead host shows up as SIGCHLD. */
	struct ob_conn_opts opts = { .name = "control", .no_heartbeat = true };
	struct ob_conn_callbacks cbs = { .on_message = control_on_message };
	int rc = ob_conn_listen(url, &opts, &cbs, s, &s->control);
	if (rc < 0)
		OB_ERROR(CAT, "cannot listen on %s: %s", url, strerror(-rc));
	return rc;
}

void obl_sup_tell_ready(struct obl_sup *s)
{
	if (!s->control)
		return;
	Ob__Supervise sv;
	ob__supervise__init(&sv);
	sv.state = OB__SUPERVISE__STATE__STATE_READY;
	Ob__Envelope env;
	ob__envelope__init(&env);
	env.body_case = OB__ENVELOPE__BODY_SUPERVISE;
	env.supervise = &sv;
	int rc = ob_conn_send(s->control, &env);
	if (rc < 0) /* the host waits, then gives up with its own message */
		OB_ERROR(CAT, "cannot tell the CPU host that its plugins are up: %s",
			 strerror(-rc));
}

static const char *state_word(Ob__Supervise__State state)
{
	switch (state) {
	case OB__SUPERVISE__STATE__STATE_UP:
		return "is back";
	case OB__SUPERVISE__STATE__STATE_DIED:
		return "died";
	case OB__SUPERVISE__STATE__STATE_FAILED:
		return "failed";
	default:
		return "changed";
	}
}

void obl_sup_tell(struct obl_sup *s, const struct obl_child *c, Ob__Supervise__State state,
		  const char *detail)
{
	if (!s->control)
		return;
	/* protobuf-c's fields are not const: send copies. */
	char detail_buf[256], url_buf[256];
	snprintf(detail_buf, sizeof(detail_buf), "%s", detail ? detail : "");
	snprintf(url_buf, sizeof(url_buf), "%s",
		 state == OB__SUPERVISE__STATE__STATE_UP && c->pp ? c->pp->url : "");
	/* The host routes per domain: tell it about each. */
	for (int d = 0; d < OBL_DOMAIN_COUNT; d++) {
		if (!(c->domains & OBL_DOMAIN_BIT(d)))
			continue;
		Ob__Supervise sv;
		ob__supervise__init(&sv);
		sv.domain = (Ob__Domain)obl_wire_domain((enum obl_domain)d);
		sv.state = state;
		sv.detail = detail_buf;
		sv.url = url_buf;
		sv.plugin = c->label;
		if (c->pp && c->pp->mount) /* an fs mount besides "/": which one */
			sv.mount = c->pp->mount;
		Ob__Envelope env;
		ob__envelope__init(&env);
		env.body_case = OB__ENVELOPE__BODY_SUPERVISE;
		env.supervise = &sv;
		int rc = ob_conn_send(s->control, &env);
		if (rc < 0)
			OB_WARN(CAT, "cannot tell the CPU host that %s %s: %s", c->label,
				state_word(state), strerror(-rc));
	}
}
