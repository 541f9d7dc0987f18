/*
 * The supervisor: the launcher's children (plugins and the CPU host), their
 * output relays, the signals the launcher receives and the control
 * connection to the CPU host, all driven by one poll loop (obl_sup_step).
 *
 * Phases decide what an event means:
 * - STARTING: plugins are being started and checked. A plugin that exits
 *   sets plugin_failed; SIGINT/SIGTERM/SIGHUP set stop_signo.
 * - RUNNING: the CPU host runs. A plugin that dies is reported by name and
 *   the host gets Supervise{DIED} for each domain it served; the others
 *   keep running. The dead plugin is started again on the same URL after a
 *   back-off, checked with Hello, and the host gets Supervise{UP} for each
 *   domain; after too many crashes it gets Supervise{FAILED} instead
 *   (revive.c, restart.h). Supervise{HUNG} from the host kills the plugin,
 *   which then takes the same path. The first SIGINT/SIGTERM/SIGHUP is
 *   forwarded to the host, a second one kills every child (stop_signo is
 *   set) and nothing is restarted any more.
 * - STOPPING: the host has exited and plugins are being stopped; nothing
 *   is restarted.
 *
 * Control protocol (launcher side, on plan->control_url, which the
 * launcher binds before the host starts and the host dials; control.c):
 * the host may send Hello{role "host"}, answered with Hello{role
 * "launcher"}, and Supervise{HUNG}; the launcher sends Supervise READY
 * once (the plugins answered their probes: the host dials them), then UP,
 * DIED and FAILED. Anything else is logged and ignored.
 *
 * Ownership: the supervisor owns its pipes, the control connection, the
 * probes of restarted plugins and its children, and reaps every child
 * before obl_sup_destroy returns. Labels and plugin plans point into the
 * plan, which must outlive the supervisor.
 */
#ifndef OBL_SUPERVISE_H
#define OBL_SUPERVISE_H

#include <stdbool.h>
#include <sys/types.h>

#include "os.h"
#include "outboard/ipc.h"
#include "plan.h"
#include "probe.h"
#include "relay.h"
#include "restart.h"

enum obl_phase {
	OBL_STARTING,
	OBL_RUNNING,
	OBL_STOPPING,
};

/* Where a local plugin is in its life while the host runs (revive.c). */
enum obl_life {
	OBL_LIFE_UP,        /* the host knows it as up (it was checked, then announced) */
	OBL_LIFE_DORMANT,   /* on demand, not started yet: the host's WANTED starts it */
	OBL_LIFE_WAITING,   /* dead, to be started again at due_ms */
	OBL_LIFE_CHECKING,  /* started again; its Hello is awaited until due_ms */
	OBL_LIFE_KILLED,    /* started again, failed its Hello, SIGKILLed; to be reaped */
	OBL_LIFE_FAILED,    /* given up: the host was told FAILED */
};

struct obl_child {
	char *label;         /* not owned (the plan's) */
	int domain;          /* enum obl_domain (the plan entry's), or -1 for the CPU host */
	unsigned domains;    /* every domain a plugin serves (OBL_DOMAIN_BIT) */
	pid_t pid;           /* 0 before start */
	bool running;        /* started and not reaped yet */
	bool ready;          /* a plugin whose current process answered Hello */
	bool own_group;      /* signals go to its whole process group */
	int status;          /* waitpid status, once reaped */
	struct obl_relay out, err;
	/* Local plugins only: */
	const struct obl_plugin_plan *pp; /* how to start it (again); not owned */
	enum obl_life life;
	int64_t due_ms;      /* WAITING: when to start it; CHECKING: when its Hello is late */
	struct obl_probe probe; /* CHECKING: the Hello check of the new process */
	struct obl_crashes crashes;
	int restarts;        /* how many times it was started again */
};

struct obl_sup {
	const struct obl_os *os;
	int signal_fd;
	enum obl_phase phase;
	struct obl_child plugins[OBL_PLAN_SLOTS]; /* by plan slot: domains, then mounts */
	struct obl_child host;
	ob_conn *control;
	int stop_signals;     /* SIGINT/SIGTERM/SIGHUP received while RUNNING */
	int stop_signo;       /* the signal that aborted the start or killed all */
	bool plugin_failed;   /* a plugin exited while STARTING */
	const struct obl_plan *plan; /* from obl_sup_start_host on; not owned */
};

/* The wire's Ob__Domain value of a domain. */
int obl_wire_domain(enum obl_domain d);

/* Catch signals through os and start in STARTING. 0 or a negated errno. */
int obl_sup_init(struct obl_sup *s, const struct obl_os *os);

/* Start a local plugin (pp->kind OBL_PLUGIN_LOCAL): stdin /dev/null, stdout and stderr relayed with
 * its label, its own process group. 0, or a negated errno (logged, with
 * the plugin named). */
int obl_sup_start_plugin(struct obl_sup *s, const struct obl_plugin_plan *pp);

/* An on-demand plugin (pp->on_demand): known to the supervisor, not
 * started. The host's first call on it sends Supervise{WANTED}, which
 * starts it (revive.c); no probe waits for it at the start. */
void obl_revive_dormant(struct obl_sup *s, const struct obl_plugin_plan *pp);

/* Bind the control endpoint. 0 or a negated errno (logged). */
int obl_sup_listen_control(struct obl_sup *s, const char *url);

/* Start the CPU host (plan->cpu_argv, with --wait-ready unless it
 * replays) with stdin, stdout and stderr inherited: it starts up beside
 * the plugins (its engine and image take longer than their start) and
 * dials them at obl_sup_host_go. Stays in STARTING. 0 or a negated errno
 * (logged). */
int obl_sup_start_host(struct obl_sup *s, const struct obl_plan *plan);

/* Every plugin answered its probe: tell the host READY on the control
 * connection (queued until it has dialed), and enter RUNNING: from now on
 * plugins are restarted by plan->restart. */
void obl_sup_host_go(struct obl_sup *s);

/* The host started, then the start failed (a probe, a signal): SIGKILL it
 * if it still runs and reap it. Nothing when it has exited. */
void obl_sup_stop_host(struct obl_sup *s);

/*
 * One turn of the loop: wait up to timeout_ms (-1: no limit), or less when
 * a restart is due, for a signal, child output or traffic on the control
 * connection, a restarted plugin's check or one of the n_extra connections
 * in extra, and handle what arrived and what fell due. 0 or a negated
 * errno from poll.
 */
int obl_sup_step(struct obl_sup *s, ob_conn *const *extra, int n_extra, int timeout_ms);

/* The host said RELEASED (it needs its plugins no more): when RUNNING,
 * enter STOPPING and SIGTERM every running plugin, without waiting, so
 * they end while the host exits. obl_sup_stop_plugins still waits. */
void obl_sup_release_plugins(struct obl_sup *s);

/* Enter STOPPING: SIGTERM every running plugin, wait up to grace_ms for
 * them to exit (relaying their output), SIGKILL the rest, reap them, and
 * relay what is left of their output. */
void obl_sup_stop_plugins(struct obl_sup *s, int grace_ms);

/* SIGKILL every running child. */
void obl_sup_kill_all(struct obl_sup *s);

/* Kill and reap whatever still runs, close pipes and the control
 * connection. Accepts a half-initialised supervisor. */
void obl_sup_destroy(struct obl_sup *s);

#endif /* OBL_SUPERVISE_H */
