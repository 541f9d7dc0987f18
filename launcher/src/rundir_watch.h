/*
 * The runtime directory's watcher (rundir.h): a process that outlives a
 * launcher killed with SIGKILL and removes what that launcher left in its
 * directory. Normally it is its own small executable,
 * outboard-rundir-watch (watch_main.c), which the launcher spawns without
 * copying its own address space; a launcher that cannot find it forks one.
 */
#ifndef OBL_RUNDIR_WATCH_H
#define OBL_RUNDIR_WATCH_H

/* The watcher's executable, beside the launcher's. */
#define OBL_RUNDIR_WATCHER "outboard-rundir-watch"

/* Wait until every copy of the pipe's write end is closed (the launcher's
 * exit, whatever the cause, or obl_rundir_remove), then remove what is
 * left of dir and _exit. fd: the read end. It runs in a session of its
 * own, ignores terminal and termination signals, and holds nothing else
 * of the launcher's (a pipe reading the launcher's output must not wait
 * for it). Only async-signal-safe calls: after a fork of the launcher, it
 * may have had threads. */
__attribute__((noreturn)) void obl_rundir_watch_run(const char *dir, int fd);

#endif /* OBL_RUNDIR_WATCH_H */
