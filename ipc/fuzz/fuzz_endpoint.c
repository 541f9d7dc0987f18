/* See fuzz_endpoint.h. */
#include "fuzz_endpoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outboard/log.h"

static char dir[256];
static char url[300];
static unsigned sink;

static void remove_dir(void)
{
	char path[sizeof(dir) + 16];

	snprintf(path, sizeof(path), "%s/fuzz.sock", dir);
	unlink(path);
	rmdir(dir);
}

const char *obz_fuzz_endpoint(const char *target)
{
	ob_log_set_level(OB_LOG_NONE);
	snprintf(dir, sizeof(dir), "/tmp/ob-%s-XXXXXX", target);
	if (!mkdtemp(dir))
		abort();
	atexit(remove_dir);
	snprintf(url, sizeof(url), "ipc://%s/fuzz.sock", dir);
	return url;
}

static void on_reply(void *arg, int status, const Ob__Reply *reply)
{
	(void)arg;
	if (reply && reply->result_case == OB__REPLY__RESULT_FS_READ && reply->fs_read)
		sink += (unsigned)reply->fs_read->buf.len;
	sink += (unsigned)status;
}

static void on_message(void *arg, ob_conn *conn, const Ob__Envelope *env)
{
	(void)arg;
	(void)conn;
	if (env->body_case == OB__ENVELOPE__BODY_HELLO)
		sink += (unsigned)strlen(env->hello->role);
}

static void on_state(void *arg, ob_conn *conn, bool up)
{
	(void)arg;
	(void)conn;
	sink += up;
}

static void on_error(void *arg, ob_conn *conn, int err, const char *what)
{
	(void)arg;
	(void)conn;
	sink += (unsigned)err + (unsigned)strlen(what);
}

ob_conn *obz_fuzz_conn(const char *at, uint8_t flags, const char *name)
{
	static const struct ob_conn_callbacks cbs = {
		.on_message = on_message, .on_state = on_state, .on_error = on_error,
	};
	struct ob_conn_opts opts = {
		.name = name, .max_message = 4096, .sendq_max = 64, .no_heartbeat = true,
	};
	ob_conn *conn;

	if (((flags & 1) ? ob_conn_listen(at, &opts, &cbs, NULL, &conn)
			 : ob_conn_dial(at, &opts, &cbs, NULL, &conn)) < 0)
		abort();
	for (int i = 0; (flags & 2) && i < OBZ_FUZZ_CALLS; i++) {
		Ob__Request req = OB__REQUEST__INIT;
		Ob__FsRead rd = OB__FS_READ__INIT;

		req.call_case = OB__REQUEST__CALL_FS_READ;
		req.fs_read = &rd;
		req.deadline_ms = i == 0 ? 1 : 0;
		ob_conn_call(conn, &req, on_reply, NULL, NULL);
	}
	return conn;
}
