/*
 * A run's private runtime directory: created with mkdtemp (mode 0700) under
 * $XDG_RUNTIME_DIR when it is set and usable, else under /tmp. The ipc://
 * endpoints of the plugins and the control endpoint live in it. A watcher
 * process removes it if the launcher dies without doing so (SIGKILL).
 */
#ifndef OBL_RUNDIR_H
#define OBL_RUNDIR_H

/* The new directory's path (the caller owns it), or NULL (errno set). */
char *obl_rundir_create(void);

/* Start the watcher of dir (rundir_watch.h): outboard-rundir-watch from
 * self_dir (the launcher's directory; NULL: none) or PATH, else a fork of
 * the launcher. It is started once the host was told to go, not before: a
 * SIGKILL in between leaves the directory behind. Failure is a warning. */
void obl_rundir_watch(const char *dir, const char *self_dir);

/* Remove the directory and the sockets in it, and free dir. Accepts NULL. */
void obl_rundir_remove(char *dir);

#endif /* OBL_RUNDIR_H */
