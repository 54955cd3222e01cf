/* workers.h — a small pool of spinning threads for offline renders: the
 * engine_parallel_for that engine_set_parallel() takes. Never for a plugin's
 * audio thread. The calling thread runs part 0 itself; the others run on the
 * pool's threads, which spin between steps (a step is a few microseconds, too
 * short to sleep and wake), so use at most one thread per idle core. */
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
