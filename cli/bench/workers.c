#define _GNU_SOURCE /* pthread_setaffinity_np, CPU_SET */
#include "workers.h"

#include <immintrin.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Waiting: spin SPIN_PAUSES pause instructions, then yield the core and
 * spin again; after YIELDS_BEFORE_SLEEP yields in a row (the render has
 * stopped stepping, not merely a step's serial part) sleep on a futex
 * until woken. A thread that sleeps between steps waits for the scheduler
 * to wake it, milliseconds on a loaded machine: the futex is only for a
 * pool left idle. */
#define SPIN_PAUSES 256u
#define YIELDS_BEFORE_SLEEP 2000u
/* time-stamp counter ticks (about 0.4 ms) after which the next job is
 * timed however few jobs came since the last timed one */
#define WORKERS_PROFILE_TICKS (1ull << 20)

/* The words the threads write while a step runs each have a cache line of
 * their own: claiming a part (next) or entering and leaving a job (ticket)
 * does not take the line that the waiting threads read the job from
 * (generation, job, arg, parts) away from them. */
/* A thread's share of a job: the parts from `next` to `end`, taken one at
 * a time by their owner and, once a thread's own are done, by the others.
 * Each thread's parts are the same neurons from step to step, so their
 * state stays in that core's cache; handing every part to whichever thread
 * asks first moved a bank's state between the two cores' caches at each
 * step and cost more than the second thread gained (HH, 4096 neurons: the
 * step's own time rose by a quarter). */
struct home {
    _Alignas(64) atomic_uint next;
    unsigned end;
    struct workers *pool;
    unsigned index;
};

/* A posted task (workers_post): none, waiting for a thread, taken, or run */
enum { TASK_NONE, TASK_POSTED, TASK_TAKEN, TASK_DONE };

struct workers {
    _Alignas(64) atomic_uint generation; /* bumped for each job */
    engine_job job;
    void *arg;
    unsigned parts;
    int timed; /* this job is timed (workers_profile_start) */
    /* the posted task, read by the waiting threads with the job */
    atomic_int task_state;
    void (*task)(void *arg);
    void *task_arg;
    /* The job's ticket: its generation (high 32 bits), JOB_CLOSED, the
     * pool threads that entered it (JOB_ENTERED each) and those inside it
     * (the low byte). A pool thread enters the job it
     * sees only while the ticket is of that job and open; the caller, once
     * every part has been claimed (by it too: it takes over the parts of a
     * thread that has not come), closes it as soon as no thread is inside.
     * So a pool thread without a core (a loaded machine) holds no step up
     * that it has not started: the caller steps its share and goes on. */
    _Alignas(64) _Atomic uint64_t ticket;
    int join_all; /* close only once every pool thread has been through */
    _Alignas(64) atomic_uint sleepers; /* pool threads asleep on generation */
    atomic_int quit;
    unsigned n;               /* threads in total, the caller included */
    pthread_t *threads;
    struct home *homes;       /* one per thread, the caller's first */
    int pinned;               /* the caller's affinity was changed: restore it */
    cpu_set_t caller_cpus;
    /* workers_profile_start: the timed jobs' sums, ns */
    int profiling;
    unsigned long long jobs, timed_jobs;
    double clock_ns;          /* what one reading of the clock adds to an interval */
    double last_end;          /* the caller's clock at the end of the job before a timed one */
    double serial, wait;
    double in_wait; /* the caller's time in workers_wait since the last job */
    int next_timed;           /* the next job is timed (decided at the end of this one) */
    unsigned long long last_timed_tsc; /* the time-stamp counter when the last was chosen */
    _Atomic unsigned long long parallel;
    _Atomic unsigned long long task_ns, tasks; /* posted tasks' CPU time, each */
};

#define JOB_CLOSED 0x80000000u
#define JOB_ENTERED 0x100u
#define JOB_INSIDE 0xffu

/* Enter the job of generation g: 0 if it is closed or no longer current. */
static int
enter_job(workers *w, unsigned g)
{
    uint64_t t = atomic_load_explicit(&w->ticket, memory_order_relaxed);
    for (;;) {
        if ((unsigned)(t >> 32) != g || (t & JOB_CLOSED))
            return 0;
        if (atomic_compare_exchange_weak_explicit(&w->ticket, &t, t + JOB_ENTERED + 1u,
                                                  memory_order_acquire, memory_order_relaxed))
            return 1;
    }
}

static double
thread_cpu_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* Parts of the current job: a thread runs its own share, then the parts
 * still left in the others' (a lighter share, or a core of its own while
 * another is shared, takes over instead of waiting). Which thread runs a
 * part does not change its result. */
static unsigned
run_home(workers *w, struct home *h)
{
    unsigned p, ran = 0;
    while ((p = atomic_fetch_add_explicit(&h->next, 1, memory_order_relaxed)) < h->end) {
        w->job(w->arg, p);
        ++ran;
    }
    return ran;
}

/* An interval's CPU time less what reading the clock added to it, never
 * below 0: an interval shorter than a reading measures as nothing (the
 * join's wait, a few ns, printed -59 ns once) */
static double
less_clock(const workers *w, double dt)
{
    dt -= w->clock_ns;
    return dt > 0.0 ? dt : 0.0;
}

static void
run_parts(workers *w, unsigned self)
{
    const double t0 = w->timed ? thread_cpu_ns() : 0.0;
    unsigned ran = run_home(w, &w->homes[self]);
    for (unsigned k = 1; k < w->n; ++k) /* then help the others */
        ran += run_home(w, &w->homes[(self + k) % w->n]);
    if (w->timed && ran) {
        atomic_fetch_add_explicit(&w->parallel,
                                  (unsigned long long)less_clock(w, thread_cpu_ns() - t0),
                                  memory_order_relaxed);
    }
}

/* Thread `index` on the index-th processor this process may use, so that
 * threads do not migrate between cores (and their caches) from step to
 * step; nothing is pinned when there are fewer processors than threads.
 * Only on request (HILLOCK_PIN=1): on a shared machine a pinned thread
 * cannot leave a core another process holds, and a 2-thread render took
 * several times as long pinned as unpinned (docs/performance-log.md). */
static int
pin(pthread_t t, const cpu_set_t *allowed, unsigned index)
{
    unsigned seen = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (!CPU_ISSET(cpu, allowed))
            continue;
        if (seen++ == index) {
            cpu_set_t one;
            CPU_ZERO(&one);
            CPU_SET(cpu, &one);
            return pthread_setaffinity_np(t, sizeof one, &one) == 0;
        }
    }
    return 0;
}

static void
futex_wait(atomic_uint *word, unsigned expected)
{
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}

static void
futex_wake(atomic_uint *word)
{
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

/* Run the posted task if no other thread has taken it: 1 if this one ran it. */
static int
take_task(workers *w)
{
    int posted = TASK_POSTED;
    if (!atomic_compare_exchange_strong_explicit(&w->task_state, &posted, TASK_TAKEN,
                                                 memory_order_acquire, memory_order_relaxed))
        return 0;
    const double t0 = w->profiling ? thread_cpu_ns() : 0.0;
    w->task(w->task_arg);
    if (w->profiling) {
        atomic_fetch_add_explicit(&w->task_ns,
                                  (unsigned long long)less_clock(w, thread_cpu_ns() - t0),
                                  memory_order_relaxed);
        atomic_fetch_add_explicit(&w->tasks, 1, memory_order_relaxed);
    }
    atomic_store_explicit(&w->task_state, TASK_DONE, memory_order_release);
    return 1;
}

static void *
worker_main(void *p)
{
    struct home *self = p;
    workers *w = self->pool;
    unsigned seen = 0;
    for (;;) {
        unsigned g, spins = 0, yields = 0;
        while ((g = atomic_load_explicit(&w->generation, memory_order_acquire)) == seen) {
            if (atomic_load_explicit(&w->quit, memory_order_relaxed))
                return NULL;
            if (atomic_load_explicit(&w->task_state, memory_order_relaxed) == TASK_POSTED &&
                take_task(w)) {
                spins = yields = 0;
                continue;
            }
            if (++spins < SPIN_PAUSES) {
                _mm_pause();
                continue;
            }
            spins = 0;
            if (++yields < YIELDS_BEFORE_SLEEP) {
                sched_yield();
                continue;
            }
            yields = 0;
            /* sequentially consistent with workers_run's bump and check:
             * either this sees the new generation or the caller sees a
             * sleeper and wakes it */
            atomic_fetch_add(&w->sleepers, 1);
            if (atomic_load(&w->generation) == seen && !atomic_load(&w->quit))
                futex_wait(&w->generation, seen);
            atomic_fetch_sub(&w->sleepers, 1);
        }
        seen = g;
        if (!enter_job(w, g))
            continue; /* closed without this thread: wait for the next */
        run_parts(w, self->index);
        atomic_fetch_sub_explicit(&w->ticket, 1u, memory_order_release); /* its parts' results */
    }
}

workers *
workers_create(unsigned n_threads)
{
    if (n_threads < 2 || n_threads > 64)
        return NULL;
    workers *w = aligned_alloc(64, sizeof *w); /* sizeof: a multiple of 64 */
    if (!w)
        return NULL;
    memset(w, 0, sizeof *w);
    w->threads = calloc(n_threads, sizeof *w->threads);
    w->homes = aligned_alloc(64, n_threads * sizeof *w->homes); /* sizeof: a multiple of 64 */
    atomic_init(&w->generation, 0);
    atomic_init(&w->ticket, JOB_CLOSED);
    atomic_init(&w->sleepers, 0);
    atomic_init(&w->parallel, 0);
    atomic_init(&w->quit, 0);
    atomic_init(&w->task_state, TASK_NONE);
    atomic_init(&w->task_ns, 0);
    atomic_init(&w->tasks, 0);
    w->n = 1;
    if (w->homes)
        for (unsigned i = 0; i < n_threads; ++i) {
            atomic_init(&w->homes[i].next, 0);
            w->homes[i].end = 0;
            w->homes[i].pool = w;
            w->homes[i].index = i;
        }
    if (!w->threads || !w->homes) {
        workers_destroy(w);
        return NULL;
    }
    for (unsigned i = 1; i < n_threads; ++i) {
        if (pthread_create(&w->threads[i], NULL, worker_main, &w->homes[i])) {
            workers_destroy(w);
            return NULL;
        }
        w->n = i + 1;
    }
    cpu_set_t allowed;
    const char *pin_env = getenv("HILLOCK_PIN");
    if (pin_env && pin_env[0] == '1' &&
        pthread_getaffinity_np(pthread_self(), sizeof allowed, &allowed) == 0 &&
        (unsigned)CPU_COUNT(&allowed) >= n_threads) {
        w->caller_cpus = allowed;
        w->pinned = pin(pthread_self(), &allowed, 0);
        for (unsigned i = 1; i < n_threads; ++i)
            pin(w->threads[i], &allowed, i);
    }
    return w;
}

void
workers_destroy(workers *w)
{
    if (!w)
        return;
    if (w->n > 1)
        workers_wait(w);
    atomic_store(&w->quit, 1);
    atomic_fetch_add(&w->generation, 1);
    futex_wake(&w->generation);
    for (unsigned i = 1; i < w->n; ++i)
        pthread_join(w->threads[i], NULL);
    if (w->pinned)
        pthread_setaffinity_np(pthread_self(), sizeof w->caller_cpus, &w->caller_cpus);
    free(w->threads);
    free(w->homes);
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
    double t_fork = 0.0;
    w->timed = w->profiling && w->next_timed;
    ++w->jobs;
    if (w->timed) {
        t_fork = thread_cpu_ns();
        w->serial += less_clock(w, t_fork - w->last_end - w->in_wait);
        w->timed_jobs++;
    }
    w->job = job;
    w->arg = arg;
    w->parts = parts;
    const unsigned g = atomic_load_explicit(&w->generation, memory_order_relaxed) + 1u;
    atomic_store_explicit(&w->ticket, (uint64_t)g << 32, memory_order_relaxed);
    for (unsigned i = 0; i < w->n; ++i) { /* contiguous shares, in thread order */
        atomic_store_explicit(&w->homes[i].next, (unsigned)((unsigned long)parts * i / w->n),
                              memory_order_relaxed);
        w->homes[i].end = (unsigned)((unsigned long)parts * (i + 1) / w->n);
    }
    atomic_fetch_add(&w->generation, 1);
    if (atomic_load(&w->sleepers))
        futex_wake(&w->generation);
    run_parts(w, 0);
    const double t_parts = w->timed ? thread_cpu_ns() : 0.0;
    /* every part is claimed: close the job once no pool thread is inside */
    unsigned spins = 0;
    const uint64_t all = (uint64_t)(w->n - 1u) * JOB_ENTERED;
    uint64_t t = atomic_load_explicit(&w->ticket, memory_order_acquire);
    for (;;) {
        if ((t & JOB_INSIDE) == 0 && (!w->join_all || (t & (JOB_CLOSED - 1u)) == all)) {
            if (atomic_compare_exchange_weak_explicit(&w->ticket, &t, t | JOB_CLOSED,
                                                      memory_order_acquire, memory_order_acquire))
                break;
            continue;
        }
        if (++spins < SPIN_PAUSES) {
            _mm_pause();
        } else {
            spins = 0;
            sched_yield(); /* a pool thread lost its core inside a part: let it have ours */
        }
        t = atomic_load_explicit(&w->ticket, memory_order_acquire);
    }
    if (w->timed)
        w->wait += less_clock(w, thread_cpu_ns() - t_parts);
    if (w->profiling) {
        /* every WORKERS_PROFILE_EVERY-th job, and one job in each
         * WORKERS_PROFILE_TICKS: a run of steps ahead (dsp/frame_ahead.c)
         * is one job for a few dozen steps */
        const unsigned long long now = __rdtsc();
        w->next_timed = (w->jobs + 1u) % WORKERS_PROFILE_EVERY == 0 ||
                        now - w->last_timed_tsc > WORKERS_PROFILE_TICKS;
        if (w->next_timed) {
            w->last_timed_tsc = now;
            w->in_wait = 0.0;
            w->last_end = thread_cpu_ns();
        }
    }
}

void
workers_post(void *pool, void (*task)(void *arg), void *arg)
{
    workers *w = pool;
    workers_wait(w); /* one task at a time */
    w->task = task;
    w->task_arg = arg;
    atomic_store_explicit(&w->task_state, TASK_POSTED, memory_order_release);
}

void
workers_wait(void *pool)
{
    workers *w = pool;
    if (atomic_load_explicit(&w->task_state, memory_order_acquire) == TASK_NONE)
        return;
    /* the caller's time here is the task's or waiting for it, not the
     * serial part's: the profile counts the task on its own */
    const double t0 = w->profiling ? thread_cpu_ns() : 0.0;
    /* not taken yet (the other threads lost their cores): run it here */
    if (!take_task(w)) {
        unsigned spins = 0;
        while (atomic_load_explicit(&w->task_state, memory_order_acquire) != TASK_DONE) {
            if (++spins < SPIN_PAUSES) {
                _mm_pause();
                continue;
            }
            spins = 0;
            sched_yield();
        }
    }
    atomic_store_explicit(&w->task_state, TASK_NONE, memory_order_relaxed);
    if (w->profiling)
        w->in_wait += thread_cpu_ns() - t0 + w->clock_ns;
}

void
workers_profile_start(workers *w)
{
    /* the clock's own cost: the least of a few back-to-back readings */
    double least = 1e300;
    for (int k = 0; k < 64; ++k) {
        const double a = thread_cpu_ns(), d = thread_cpu_ns() - a;
        least = d < least ? d : least;
    }
    w->clock_ns = least;
    w->profiling = 1;
    w->jobs = 0;
    w->next_timed = 0;
    w->last_timed_tsc = __rdtsc();
    w->timed_jobs = 0;
    w->serial = w->wait = w->in_wait = 0.0;
    atomic_store(&w->parallel, 0);
    atomic_store(&w->task_ns, 0);
    atomic_store(&w->tasks, 0);
    w->last_end = thread_cpu_ns();
}

workers_profile
workers_profile_read(const workers *w)
{
    const double n = w->timed_jobs ? (double)w->timed_jobs : 1.0;
    const unsigned long long tasks = atomic_load(&w->tasks);
    return (workers_profile){w->serial / n, (double)atomic_load(&w->parallel) / n,
                             w->wait / n, w->timed_jobs,
                             tasks ? (double)atomic_load(&w->task_ns) / (double)tasks : 0.0};
}

static void
empty_part(void *arg, unsigned part)
{
    (void)arg;
    (void)part;
}

double
workers_fork_join_ns(workers *w, unsigned parts, unsigned reps)
{
    const int profiling = w->profiling;
    w->profiling = 0;
    w->join_all = 1; /* a round trip through every thread, not the caller alone */
    double least = 1e300;
    for (unsigned k = 0; k < reps; ++k) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        workers_run(w, empty_part, NULL, parts);
        clock_gettime(CLOCK_MONOTONIC, &b);
        const double d = (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
        least = d < least ? d : least;
    }
    w->profiling = profiling;
    w->join_all = 0;
    return least;
}

unsigned
workers_usable_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 1u;
    const int n = CPU_COUNT(&set);
    return n > 1 ? (unsigned)n : 1u;
}
