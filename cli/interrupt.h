/* interrupt.h — Ctrl-C (SIGINT) and SIGTERM for the commands that run for
 * a while (render, jack), so that either stops them within a second at any
 * stage and leaves valid files of what was made.
 *
 * The handlers are installed first thing, and act by phase:
 *  - starting (options, presets, inputs, engine, JACK server): nothing of
 *    the command's output exists yet, so a signal ends the process at once
 *    with a message and EXIT_INTERRUPTED, whatever call it interrupts (a
 *    file on a stalled disk, a FIFO's open, a JACK server that does not
 *    answer). Files registered with interrupt_track are removed first.
 *  - running (from interrupt_running): the first signal only raises a flag,
 *    which the command polls (render: before every model step, through
 *    engine_set_stop_query; jack: every 50 ms) and then closes its files.
 *    A second signal abandons at once: the tracked files are removed and
 *    the process exits.
 * Everything the handler does is async-signal-safe (write, unlink, _exit).
 *
 * Test hook: with HILLOCK_TEST_PAUSE=STAGE in the environment, the command
 * writes "hillock: test pause at STAGE" to stderr when it reaches STAGE and
 * then sleeps 10 s as a call that blocks would (resumed after signals), so
 * a test can signal it at a known stage. Stages: render: preset, input,
 * engine, outputs, finish; jack: preset, connect, engine, record, activate,
 * teardown. */
#ifndef HILLOCK_INTERRUPT_H
#define HILLOCK_INTERRUPT_H

#include <stdbool.h>

#define INTERRUPT_TRACKED_FILES 4

/* Install the handlers (phase: starting). command names the messages
 * ("render"); early says what a signal while starting left ("before
 * rendering began"), abandoned what a second signal does ("render
 * abandoned; its unfinished files removed"). The strings must outlive the
 * handlers. */
void interrupt_install(const char *command, const char *early, const char *abandoned);

/* The command's outputs exist from now on: signals raise the flag. */
void interrupt_running(void);

/* Remove path (NULL: nothing) in slot 0..INTERRUPT_TRACKED_FILES-1 if the
 * process is ended by a signal; the string must stay valid until forgotten.
 * interrupt_track(slot, NULL) forgets it. */
void interrupt_track(int slot, const char *path);

/* Hold signals back while a file is created and tracked, so none can end
 * the process between the two (a temporary file would be left behind);
 * interrupt_release delivers what came meanwhile. */
void interrupt_hold(void);
void interrupt_release(void);

/* The signal that asked to stop (SIGINT or SIGTERM), or 0. */
int interrupt_signal(void);

/* engine_set_stop_query's form of interrupt_signal() != 0. */
int interrupt_stop_query(void *unused);

/* Seconds from the first signal to now (0 if none came). */
double interrupt_seconds_since(void);

/* "SIGINT" or "SIGTERM". */
const char *interrupt_signal_name(int sig);

/* The test hook (above): the command reached stage. */
void interrupt_stage(const char *stage);

/* Put back the handlers that were there before interrupt_install. */
void interrupt_restore(void);

#endif
