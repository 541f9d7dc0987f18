/*
 * A session with one real backend through --stdin-frames (see
 * backend_session.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend_session.h"

#ifndef OB_BIN_DIR
#error "OB_BIN_DIR must name the directory of the plugin executables"
#endif

int session_setup(void **state)
{
	struct session *s = calloc(1, sizeof(*s));

	if (!s)
		return -1;
	s->next_id = 1;
	scratch_make(s->dir, sizeof(s->dir));
	*state = s;
	return 0;
}

int session_teardown(void **state)
{
	struct session *s = *state;

	frames_free(&s->in);
	scratch_remove(s->dir);
	free(s);
	return 0;
}

bool session_binary(struct session *s, const char *name)
{
	snprintf(s->bin, sizeof(s->bin), "%s/%s", OB_BIN_DIR, name);
	return access(s->bin, X_OK) == 0;
}

uint64_t session_call(struct session *s, int call_case, const void *msg)
{
	uint64_t id = s->next_id++;

	frames_request(&s->in, id, call_case, msg, false);
	return id;
}

void session_post(struct session *s, int call_case, const void *msg)
{
	frames_request(&s->in, s->next_id++, call_case, msg, true);
}

void session_next_run(struct session *s)
{
	frames_free(&s->in);
	memset(&s->in, 0, sizeof(s->in));
	s->next_id = 1;
	frames_hello(&s->in, 1);
}

void session_run_confined(struct session *s, const char *const *args, const char *env,
			  const char *mode, struct run *r)
{
	char needle[64];

	run_plugin(s->bin, args, env, &s->in, r);
	if (!run_exited(r, 0))
		fail_msg("%s: status 0x%x; stderr:\n%s", s->bin, r->status, r->err);
	assert_true(r->well_framed);
	snprintf(needle, sizeof(needle), "confined by seccomp (%s", mode);
	if (!strstr(r->err, needle))
		fail_msg("%s was not confined (%s); stderr:\n%s", s->bin, mode, r->err);
	if (strstr(r->err, "seccomp: system call"))
		fail_msg("%s trapped a system call; stderr:\n%s", s->bin, r->err);
}

const Ob__Reply *session_reply(const struct run *r, uint64_t id)
{
	const Ob__Reply *rep = run_reply(r, id);

	if (!rep)
		fail_msg("no reply %llu; stderr:\n%s", (unsigned long long)id, r->err);
	return rep;
}

const Ob__Reply *session_ok_reply(const struct run *r, uint64_t id)
{
	const Ob__Reply *rep = session_reply(r, id);

	if (rep->status)
		fail_msg("reply %llu: status %u", (unsigned long long)id, rep->status);
	return rep;
}

void session_write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

char *session_wire(const char *s)
{
	return (char *)(uintptr_t)s;
}
