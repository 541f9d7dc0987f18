/*
 * The fuzzer's scratch directory: one per process, made at start under
 * $TMPDIR (default /tmp) and removed at a clean exit. It holds every path a
 * backend is given, and nothing a backend is given leads anywhere else:
 *
 *   T/root/             fs-hostdir's --root, fs-mem's --seed; planted with
 *   T/root/up           -> ..                 symlinks, so that the fuzzer
 *   T/root/out          -> ../outside         starts from paths that would
 *   T/root/abs          -> T/outside          escape if the sandbox let them,
 *   T/root/sub/         an empty directory,
 *   T/root/hello.txt    and a file to read
 *   T/outside/canary    a file the sandbox must never let anyone touch
 *   T/display/          display-png's --out
 *   T/sound/sound.wav   sound-wav's --out
 *   T/input.script      input-script's --script
 *
 * obz_scratch_reset brings T/root back to that and empties T/display and
 * T/sound. Running it before every input that uses files keeps runs
 * reproducible: an input sees the same files whether it runs first or
 * after a million others.
 *
 * T is best on a tmpfs (run_fuzzer.sh points TMPDIR at /dev/shm): creating
 * and removing files that fast is several times slower on ext4.
 *
 * Names: obz_ is private to the fuzz harnesses.
 */
#ifndef OBZ_SCRATCH_H
#define OBZ_SCRATCH_H

/* The scratch entries a harness names. */
enum obz_place {
	OBZ_PLACE_ROOT,      /* T/root */
	OBZ_PLACE_DISPLAY,   /* T/display */
	OBZ_PLACE_WAV,       /* T/sound/sound.wav */
	OBZ_PLACE_SCRIPT,    /* T/input.script */
	OBZ_PLACE_COUNT,
};

/* Make T and everything in it; aborts on failure (the harness cannot run
 * without it). Registers the removal of T at exit. Call once. */
void obz_scratch_init(void);

/* The absolute path of a place; static storage. */
const char *obz_scratch_path(enum obz_place place);

/* Bring T/root back to its planted state (planted entries left intact are
 * kept, everything else goes) and empty T/display and T/sound. Aborts when
 * that fails. */
void obz_scratch_reset(void);

/* Abort (a finding) when anything outside T/root changed that fs-hostdir
 * could have reached: an entry appeared in T or T/outside, or the canary's
 * bytes or mode changed. */
void obz_scratch_check_escape(void);

/* A finding (or a broken harness): print "fuzz_plugins: " and the message,
 * then abort, which libFuzzer reports with the input. */
__attribute__((noreturn, format(printf, 1, 2))) void obz_die(const char *fmt, ...);

#endif /* OBZ_SCRATCH_H */
