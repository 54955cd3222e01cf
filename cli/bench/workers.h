/* workers.h — a small pool of spinning threads for offline renders: the
 * engine_parallel_for that engine_set_parallel() takes. Never for a plugin's
 * audio thread. The calling thread takes parts too; each thread runs its
 * own contiguous share of a job's parts (the same neurons every step, so
 * their state stays in its core's cache), then helps with what is left of
 * the others'. The threads spin between steps (a step is a few
 * microseconds, too short to sleep and wake), yielding the core now and
 * then, and sleep on a futex only when no step has come for a long while;
 * use at most one thread per idle core. HILLOCK_PIN=1 in the environment
 * pins them one per processor the process may use (the caller to the
 * first, restored by workers_destroy) when there are enough. */
#ifndef HILLOCK_WORKERS_H
#define HILLOCK_WORKERS_H

#include "engine.h"

typedef struct workers workers;

/* n_threads in total, the caller included (2..64); NULL on failure. */
workers *workers_create(unsigned n_threads);
void workers_destroy(workers *w);
unsigned workers_count(const workers *w);

/* engine_parallel_for: pool is a workers *. */
void workers_run(void *pool, engine_job job, void *arg, unsigned parts);

/* engine_post_task / engine_wait_task: task(arg) runs once on a pool thread
 * while the caller goes on (the spike voices and output stage of the frames
 * beside the caller's serial part of a step); workers_wait returns when it
 * has run, running it on the caller if no pool thread took it. One task at
 * a time: workers_post waits for the one before. */
void workers_post(void *pool, void (*task)(void *arg), void *arg);
void workers_wait(void *pool);

/* Where the CPU time goes (hillock bench --threads): every
 * WORKERS_PROFILE_EVERY-th job from workers_profile_start on (and one at
 * least every 2^20 time-stamp ticks, about 0.4 ms: an uncoupled bank's
 * runs of steps ahead of their frames are few, long jobs) is timed in
 * each thread's CPU time (CLOCK_THREAD_CPUTIME_ID: time a thread waits for
 * a shared core is not counted, so the split does not depend on the load):
 * the caller's time since the previous job (the serial part of a step),
 * every thread's time in the job's parts, and the caller's time waiting for
 * the other threads. Per timed job, ns. */
#define WORKERS_PROFILE_EVERY 64u
typedef struct {
    double serial_ns, parallel_ns, wait_ns;
    unsigned long long jobs; /* timed */
    double task_ns; /* a posted task's CPU time, on whichever thread ran it */
} workers_profile;
void workers_profile_start(workers *w);
workers_profile workers_profile_read(const workers *w);

/* The fastest fork and join of an empty job of `parts` parts over `reps`
 * tries, wall ns: what a step pays for being parallel when every thread
 * has a core. */
double workers_fork_join_ns(workers *w, unsigned parts, unsigned reps);

/* The CPUs this process may run on (its affinity: taskset and containers
 * narrow it), at least 1. */
unsigned workers_usable_cpus(void);

#endif
