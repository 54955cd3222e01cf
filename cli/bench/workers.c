#include "workers.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

typedef struct worker_arg worker_arg;

struct workers {
    unsigned n;               /* threads in total, the caller included */
    pthread_t *threads;
    worker_arg *args;
    atomic_uint generation;   /* bumped for each job */
    atomic_uint done;         /* parts finished in this job */
    atomic_int quit;
    engine_job job;
    void *arg;
    unsigned parts;
};

struct worker_arg {
    workers *w;
    unsigned index; /* 1 .. n-1 */
};

/* Parts index, index + n, index + 2n, ... of the current job. */
static void
run_parts(workers *w, unsigned index)
{
    for (unsigned p = index; p < w->parts; p += w->n)
        w->job(w->arg, p);
}

static void *
worker_main(void *p)
{
    worker_arg *a = p;
    workers *w = a->w;
    unsigned seen = 0;
    for (;;) {
        unsigned g;
        unsigned spins = 0;
        while ((g = atomic_load_explicit(&w->generation, memory_order_acquire)) == seen) {
            if (atomic_load_explicit(&w->quit, memory_order_relaxed))
                return NULL;
            if (++spins > 256) { /* idle, or the machine is shared: let others run */
                sched_yield();
                spins = 0;
            }
        }
        seen = g;
        run_parts(w, a->index);
        atomic_fetch_add_explicit(&w->done, 1, memory_order_release);
    }
}

workers *
workers_create(unsigned n_threads)
{
    if (n_threads < 2 || n_threads > 64)
        return NULL;
    workers *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->threads = calloc(n_threads, sizeof *w->threads);
    w->args = calloc(n_threads, sizeof *w->args);
    atomic_init(&w->generation, 0);
    atomic_init(&w->done, 0);
    atomic_init(&w->quit, 0);
    w->n = 1;
    if (!w->threads || !w->args) {
        workers_destroy(w);
        return NULL;
    }
    for (unsigned i = 1; i < n_threads; ++i) {
        w->args[i] = (worker_arg){w, i};
        if (pthread_create(&w->threads[i], NULL, worker_main, &w->args[i])) {
            workers_destroy(w);
            return NULL;
        }
        w->n = i + 1;
    }
    return w;
}

void
workers_destroy(workers *w)
{
    if (!w)
        return;
    atomic_store(&w->quit, 1);
    for (unsigned i = 1; i < w->n; ++i)
        pthread_join(w->threads[i], NULL);
    free(w->threads);
    free(w->args);
    free(w);
}

unsigned
workers_count(const workers *w)
{
    return w->n;
}

void
workers_run(void *pool, engine_job job, void *arg, unsigned parts)
{
    workers *w = pool;
    w->job = job;
    w->arg = arg;
    w->parts = parts;
    atomic_store_explicit(&w->done, 0, memory_order_relaxed);
    atomic_fetch_add_explicit(&w->generation, 1, memory_order_release);
    run_parts(w, 0);
    unsigned spins = 0;
    while (atomic_load_explicit(&w->done, memory_order_acquire) != w->n - 1)
        if (++spins > 256) { /* a worker lost its core: let it have ours */
            sched_yield();
            spins = 0;
        }
}
