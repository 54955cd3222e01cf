/* workers.h — a small pool of spinning threads for offline renders: the
 * engine_parallel_for that engine_set_parallel() takes. Never for a plugin's
 * audio thread. The calling thread takes parts too; each part goes to the
 * first thread that asks. The threads spin between steps (a step is a few
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

#endif
