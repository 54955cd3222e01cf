/* settler.h — the thread that runs a coupled network's settled-start
 * pre-roll for `hillock jack` (engine_settle_mode BY_HOST, dsp/engine.h).
 *
 * Started from rest, a coupled network's neurons fire in step: a thump, or a
 * fade-in while its inhibition finds its rhythm. Its settled start pre-rolls
 * the whole bank, work of the bank's size (up to SETTLE_NET_WORK
 * neuron-steps, dsp/settle.h), too much for a JACK period. The process
 * callback only hands the engine over (settler_request: an atomic store and
 * a semaphore post, neither of which allocates, locks or waits); this
 * thread, at normal priority, runs engine_settle_run, and the engine takes
 * the result at a later frame, silent until then (as the plugin's LV2 worker
 * does it). */
#ifndef HILLOCK_JACK_SETTLER_H
#define HILLOCK_JACK_SETTLER_H

#include "engine.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct {
    pthread_t thread;
    sem_t wake;
    /* held by the thread while it runs a pre-roll, and by settler_forget:
     * an engine is never destroyed under a running pre-roll */
    pthread_mutex_t busy;
    _Atomic(engine *) job; /* the engine whose pre-roll waits, or NULL */
    atomic_bool quit;
    _Atomic uint64_t runs; /* pre-rolls run (the summary, tests) */
    bool ready;            /* settler_init succeeded */
    bool started;          /* the thread runs */
} settler;

/* Semaphore and mutex; no thread yet. */
bool settler_init(settler *t);
/* Start the thread (before the JACK client is activated). */
bool settler_start(settler *t);
/* Process thread: engine e has a pre-roll waiting (engine_settle_wanted
 * said so). Real-time safe. */
void settler_request(settler *t, engine *e);
/* Not the process thread: e is about to be destroyed; returns once no
 * pre-roll of e runs or waits here. */
void settler_forget(settler *t, engine *e);
/* Stop and join the thread (after the process callback has stopped for
 * good), and free what settler_init made. Safe to call more than once. */
void settler_stop(settler *t);

#endif
