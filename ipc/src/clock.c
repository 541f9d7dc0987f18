/*
 * The one clock of the IPC runtime: monotonic milliseconds. Deadlines,
 * heartbeats and the dead-peer timer all use it, so wall-clock jumps never
 * expire a call or kill a peer.
 */
#include <time.h>

#include "ipc_impl.h"

int64_t ob_now_ms(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail on Linux with a valid pointer. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
