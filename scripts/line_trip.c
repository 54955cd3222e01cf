/* line_trip.c — how long a cache line takes to go from CPU 0 to CPU 1 and
 * back: two threads pinned one to each pass a counter to and fro.
 *
 * A two-thread render's threads meet once a run and hand each other a
 * run's results, so what a line costs to cross between their cores sets
 * how close the render comes to two one-thread renders side by side. On
 * the shared 2-vCPU host the two vCPUs were at times the two hardware
 * threads of one core (a round trip of 90 to 95 ns, two one-thread renders
 * side by side 1.1x one alone) and at times two cores without a shared
 * cache (461 to 508 ns, side by side 1.9x to 2.0x): docs/performance-log.md,
 * "The host's two placements of the two vCPUs". scripts/threads_speedup.sh
 * prints it beside the machine's ceiling.
 *
 *   cc -O2 -pthread scripts/line_trip.c -o /tmp/line_trip && /tmp/line_trip
 */
#define _GNU_SOURCE /* pthread_setaffinity_np, CPU_SET */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

enum { TRIPS = 200000 };

/* the counter, alone on its line: odd when CPU 1's turn, even when CPU 0's */
static _Alignas(64) atomic_uint turn;

static int
pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

static void *
answer(void *arg)
{
    (void)arg;
    if (pin(1) != 0)
        return NULL;
    for (unsigned k = 0; k < TRIPS; ++k) {
        while (atomic_load_explicit(&turn, memory_order_acquire) != 2u * k + 1u)
            ;
        atomic_store_explicit(&turn, 2u * k + 2u, memory_order_release);
    }
    return NULL;
}

int
main(void)
{
    if (pin(0) != 0) {
        fputs("line_trip: cannot run on CPUs 0 and 1\n", stderr);
        return 1;
    }
    pthread_t other;
    if (pthread_create(&other, NULL, answer, NULL) != 0)
        return 1;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (unsigned k = 0; k < TRIPS; ++k) {
        atomic_store_explicit(&turn, 2u * k + 1u, memory_order_release);
        while (atomic_load_explicit(&turn, memory_order_acquire) != 2u * k + 2u)
            ;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pthread_join(other, NULL);
    const double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
    printf("%.0f\n", ns / TRIPS);
    return 0;
}
