/*
 * ob_plugin_main: the lifecycle of a plugin process.
 *
 *   validate the plugin -> parse options -> (--help/--version/--describe)
 *   -> block signals -> load --key -> init -> bind (or open stdin) -> confine
 *   -> loop -> fini -> answer leftover deferred calls ECANCELED -> flush and
 *   close -> exit status
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "sdk.h"

/* Exit statuses (plugin.h). */
enum {
	OBP_EXIT_OK = 0,
	OBP_EXIT_FAIL = 1,
	OBP_EXIT_USAGE = 2,
};

/* The log keeps a pointer to the program name for the process's life. */
static char program_name[64] = "outboard-plugin";

static int validate_plugin(const struct ob_plugin *pl)
{
	if (!pl->name || !pl->name[0] || strchr(pl->name, ' ') || !pl->version ||
	    !pl->version[0] || strchr(pl->version, ' ')) {
		OB_ERROR(OBP_LOG, "plugin: name and version must be set, without spaces");
		return -EINVAL;
	}
	if (!pl->n_domains || !pl->domains) {
		OB_ERROR(OBP_LOG, "%s: serves no domain", pl->name);
		return -EINVAL;
	}
	for (size_t i = 0; i < pl->n_domains; i++)
		if (!obp_domain_name(pl->domains[i])) {
			OB_ERROR(OBP_LOG, "%s: unknown domain %d", pl->name, (int)pl->domains[i]);
			return -EINVAL;
		}
	if (pl->n_handlers && !pl->handlers) {
		OB_ERROR(OBP_LOG, "%s: n_handlers without handlers", pl->name);
		return -EINVAL;
	}
	return obp_check_plugin_options(pl);
}

int obp_ctx_new(const struct ob_plugin *plugin, ob_plugin_ctx **out)
{
	ob_plugin_ctx *p;
	int err;

	*out = NULL;
	if (!plugin || plugin->size < offsetof(struct ob_plugin, name) + sizeof(plugin->name)) {
		OB_ERROR(OBP_LOG, "plugin: missing, or size not set");
		return -EINVAL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	/* Fields an older, smaller struct ob_plugin lacks stay zero. */
	memcpy(&p->plugin, plugin,
	       plugin->size < sizeof(p->plugin) ? plugin->size : sizeof(p->plugin));
	p->plugin.size = sizeof(p->plugin);
	p->program = program_name;
	if (p->plugin.name)
		snprintf(program_name, sizeof(program_name), "outboard-%s", p->plugin.name);
	p->max_message = OB_DEFAULT_MAX_MESSAGE;
	p->shm_listen_fd = -1;
	p->heartbeat_ms = OB_DEFAULT_HEARTBEAT_MS;
	obp_use_conn_transport(p);
	err = validate_plugin(&p->plugin);
	if (!err)
		err = obp_table_build(p);
	if (err) {
		obp_ctx_free(p);
		return err;
	}
	*out = p;
	return 0;
}

void obp_ctx_free(ob_plugin_ctx *p)
{
	if (!p)
		return;
	obp_cancel_deferred(p, ECANCELED);
	obp_shm_close(p);
	free(p->table);
	sodium_memzero(p->key, sizeof(p->key));
	obp_options_free(&p->opts);
	free(p);
}

void ob_plugin_stop(ob_plugin_ctx *p)
{
	if (p)
		p->stop = true;
}

/* --help, --version, --describe, --describe-options: print and exit 0
 * without starting. */
static bool informational(const ob_plugin_ctx *p)
{
	if (p->opts.help)
		obp_print_help(p);
	else if (p->opts.version)
		obp_print_version(p);
	else if (p->opts.describe)
		obp_print_describe(p);
	else if (p->opts.describe_options)
		obp_print_describe_options(p);
	else
		return false;
	fflush(stdout);
	return true;
}

/* Read --key before anything starts, so a bad key file fails at once.
 * ob_key_load logs why (permissions, format). 0 or a negated errno. */
static int load_key(ob_plugin_ctx *p)
{
	int err;

	if (!p->opts.key_file)
		return 0;
	err = ob_key_load(p->opts.key_file, p->key);
	if (err)
		return err;
	p->have_key = true;
	return 0;
}

static int bind_endpoint(ob_plugin_ctx *p)
{
	char name[96], id[OB_KEY_ID_LEN];
	struct ob_conn_opts opts = {
		.name = name,
		.max_message = p->max_message,
		.heartbeat_ms = p->heartbeat_ms,
		.dead_ms = OBP_HOST_DEAD_MS,
		.key = p->have_key ? p->key : NULL,
	};
	int err;

	snprintf(name, sizeof(name), "plugin:%s", p->plugin.name);
	err = ob_conn_listen(p->opts.listen, &opts, &obp_conn_callbacks, p, &p->conn);
	if (p->have_key)
		ob_key_id(p->key, id);
	/* The connection keeps what it derived from the key, never the key. */
	sodium_memzero(p->key, sizeof(p->key));
	if (err) {
		OB_ERROR(OBP_LOG, "cannot listen on %s: %s", p->opts.listen, strerror(-err));
		return err;
	}
	if (p->have_key)
		OB_INFO(OBP_LOG, "%s %s serving on %s to peers holding key id %s", p->plugin.name,
			p->plugin.version, p->opts.listen, id);
	else
		OB_INFO(OBP_LOG, "%s %s serving on %s", p->plugin.name, p->plugin.version,
			p->opts.listen);
	if (p->opts.insecure && strncmp(p->opts.listen, "tcp://", 6) == 0)
		OB_WARN(OBP_LOG, "listening on %s without authentication (--insecure): anyone "
			"who can reach it can use this plugin", p->opts.listen);
	return 0;
}

/* Where frames come from: the endpoint, or stdin (--stdin-frames). */
static int open_source(ob_plugin_ctx *p, struct obp_stdin **in, struct obp_source *src)
{
	int err;

	if (p->opts.stdin_frames) {
		OB_INFO(OBP_LOG, "%s %s serving frames from stdin (test only)", p->plugin.name,
			p->plugin.version);
		err = obp_stdin_open(p, STDIN_FILENO, STDOUT_FILENO, in, src);
		if (err)
			OB_ERROR(OBP_LOG, "--stdin-frames: %s", strerror(-err));
		return err;
	}
	err = bind_endpoint(p);
	if (!err) {
		*src = obp_conn_source(p);
		obp_shm_listen(p); /* before confinement: it binds a socket */
	}
	return err;
}

/* Run init, serve, and always fini. Returns the exit status. */
static int serve(ob_plugin_ctx *p, int sigfd)
{
	struct obp_stdin *in = NULL;
	struct obp_source src;
	int status = OBP_EXIT_FAIL, err = 0;

	if (load_key(p))
		goto out;
	unsigned errors = ob_log_error_count();
	if (p->plugin.init)
		err = p->plugin.init(p, &p->ctx);
	if (err) {
		/* One line per failure: the backend's own, when it gave one. */
		ob_log(ob_log_error_count() != errors ? OB_LOG_DEBUG : OB_LOG_ERROR, OBP_LOG,
		       "%s: init failed: %s", p->plugin.name, strerror(err < 0 ? -err : err));
		goto out;
	}
	/* Confined only once everything the plugin needs is open. */
	if (open_source(p, &in, &src) || obp_confine(p))
		goto out;
	if (obp_run(p, sigfd, &src) == 0)
		status = OBP_EXIT_OK;
out:
	p->finished = true;
	if (p->plugin.fini)
		p->plugin.fini(p->ctx);
	p->ctx = NULL;
	/* Nobody is left to complete these; the host must not wait on them. */
	obp_cancel_deferred(p, ECANCELED);
	/* nn_close drops what is unsent: flush while a peer is there to
	 * confirm it. */
	ob_conn_close(p->conn, p->connected ? OBP_FLUSH_MS : 0);
	p->conn = NULL;
	obp_shm_close(p);
	obp_use_conn_transport(p);
	obp_stdin_close(in);
	return status;
}

int ob_plugin_main(const struct ob_plugin *plugin, int argc, char **argv)
{
	ob_plugin_ctx *p = NULL;
	int status, sigfd;

	ob_log_set_program(program_name);
	/* Before any thread exists: the filter comes later, malloc's arenas
	 * are chosen now. */
	obp_confine_prepare();
	if (obp_ctx_new(plugin, &p))
		return OBP_EXIT_FAIL;
	if (obp_parse_options(p, argc, argv)) {
		status = OBP_EXIT_USAGE;
		goto out;
	}
	if (informational(p)) {
		status = OBP_EXIT_OK;
		goto out;
	}
	sigfd = obp_signals_open();
	if (sigfd < 0) {
		OB_ERROR(OBP_LOG, "signals: %s", strerror(-sigfd));
		status = OBP_EXIT_FAIL;
		goto out;
	}
	status = serve(p, sigfd);
	close(sigfd);
out:
	obp_ctx_free(p);
	return status;
}
