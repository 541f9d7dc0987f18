/*
 * input_wait: how waiting for input ends when no input comes.
 *
 * Usage:
 *   input_wait timeout   with a source that sends nothing (input-null):
 *                        ob_input_wait with a timeout gives -ETIMEDOUT,
 *                        with 0 -EAGAIN, ob_input_poll 0, and the queue's
 *                        figures stay zero. Prints "wait: timeout ok".
 *   input_wait forever   prints "wait: waiting forever", then waits in
 *                        ob_input_wait(OB_FOREVER). With an input plugin
 *                        this is a wait for input, not a deadlock; with
 *                        neither an input nor a display plugin nothing can
 *                        ever end it, and the host reports a deadlock.
 *                        When an event comes it prints
 *                        "wait: woken by <kind>" and exits 0 for a QUIT.
 *   input_wait poll      one ob_input_poll, the program's only input call:
 *                        with input-null it finds nothing and prints
 *                        "wait: poll found nothing".
 * On any failed check: `FAIL: ...` and exit status 1.
 */
#include <outboard.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int check_timeout(void)
{
	struct ob_input_event ev;
	struct ob_input_stats st;
	int failures = 0;

	int r = ob_input_wait(&ev, 50);
	if (r != -ETIMEDOUT) {
		printf("FAIL: input_wait(50 ms) returned %d, expected -ETIMEDOUT (%d)\n", r,
		       -ETIMEDOUT);
		failures++;
	}
	r = ob_input_wait(&ev, 0);
	if (r != -EAGAIN) {
		printf("FAIL: input_wait(0) returned %d, expected -EAGAIN (%d)\n", r, -EAGAIN);
		failures++;
	}
	r = ob_input_poll(&ev);
	if (r != 0) {
		printf("FAIL: input_poll returned %d, expected 0\n", r);
		failures++;
	}
	r = ob_input_stats(&st);
	if (r != 0 || st.queued != 0 || st.delivered != 0 || st.dropped != 0 || st.capacity == 0) {
		printf("FAIL: input_stats %d: queued=%lu capacity=%lu delivered=%llu dropped=%llu\n",
		       r, (unsigned long)st.queued, (unsigned long)st.capacity,
		       (unsigned long long)st.delivered, (unsigned long long)st.dropped);
		failures++;
	}
	if (failures)
		return 1;
	printf("wait: timeout ok\n");
	return 0;
}

static int wait_forever(void)
{
	struct ob_input_event ev;

	printf("wait: waiting forever\n");
	fflush(stdout);
	int r = ob_input_wait(&ev, OB_FOREVER);
	if (r != 1) {
		printf("FAIL: input_wait(OB_FOREVER) returned %d\n", r);
		return 1;
	}
	printf("wait: woken by %s\n", ev.kind == OB_EV_QUIT ? "quit" : "another event");
	return ev.kind == OB_EV_QUIT ? 0 : 1;
}

static int poll_once(void)
{
	struct ob_input_event ev;

	int r = ob_input_poll(&ev);
	if (r != 0) {
		printf("FAIL: input_poll returned %d, expected 0\n", r);
		return 1;
	}
	printf("wait: poll found nothing\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "timeout") == 0)
		return check_timeout();
	if (argc > 1 && strcmp(argv[1], "forever") == 0)
		return wait_forever();
	if (argc > 1 && strcmp(argv[1], "poll") == 0)
		return poll_once();
	printf("FAIL: usage: input_wait timeout|forever|poll\n");
	return 1;
}
