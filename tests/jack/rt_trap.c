/* rt_trap.c — LD_PRELOAD shim for the real-time test: counts malloc,
 * calloc, realloc, free and pthread_mutex_lock called on a SCHED_FIFO or
 * SCHED_RR thread (in `hillock jack`, that is JACK's process thread) and
 * prints the count to stderr at exit as "rt_trap: N". */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static atomic_long hits;
static _Thread_local int busy; /* no recursion through our own calls */

static int
on_rt_thread(void)
{
    if (busy)
        return 0;
    busy = 1;
    int policy;
    struct sched_param sp;
    int rt = pthread_getschedparam(pthread_self(), &policy, &sp) == 0 &&
             (policy == SCHED_FIFO || policy == SCHED_RR);
    busy = 0;
    return rt;
}

/* calloc is called by dlsym itself: serve that first call from a static
 * buffer instead of recursing. */
static char early[4096];
static size_t early_used;

void *
calloc(size_t n, size_t size)
{
    static void *(*real)(size_t, size_t);
    static int resolving;
    if (!real) {
        if (resolving) {
            void *p = early + early_used;
            early_used += (n * size + 15) & ~(size_t)15;
            return p;
        }
        resolving = 1;
        real = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
        resolving = 0;
    }
    if (on_rt_thread())
        atomic_fetch_add(&hits, 1);
    return real(n, size);
}

void *
malloc(size_t n)
{
    static void *(*real)(size_t);
    if (!real)
        real = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    if (on_rt_thread())
        atomic_fetch_add(&hits, 1);
    return real(n);
}

void *
realloc(void *p, size_t n)
{
    static void *(*real)(void *, size_t);
    if (!real)
        real = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    if (on_rt_thread())
        atomic_fetch_add(&hits, 1);
    return real(p, n);
}

void
free(void *p)
{
    static void (*real)(void *);
    if ((char *)p >= early && (char *)p < early + sizeof early)
        return;
    if (!real)
        real = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    if (p && on_rt_thread())
        atomic_fetch_add(&hits, 1);
    real(p);
}

int
pthread_mutex_lock(pthread_mutex_t *m)
{
    static int (*real)(pthread_mutex_t *);
    if (!real)
        real = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_lock");
    if (on_rt_thread())
        atomic_fetch_add(&hits, 1);
    return real(m);
}

__attribute__((destructor)) static void
report(void)
{
    char line[64];
    int n = snprintf(line, sizeof line, "rt_trap: %ld\n", atomic_load(&hits));
    if (write(STDERR_FILENO, line, (size_t)n) < 0)
        return;
}
