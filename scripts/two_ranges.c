/* two_ranges.c — does this machine let two threads step neighbouring
 * halves of the same arrays as fast as two threads on arrays of their own?
 *
 * The bank keeps one array per variable, 16384 neurons long (64 KiB + one
 * cache line apart), and `--threads 2` gives each thread one range of
 * them: the lower and upper halves of every array. This probe does the
 * same memory traffic without the model: each "step" reads six arrays and
 * writes six over a thread's 2048 neurons, and the threads meet every 32
 * steps (a run, dsp/bank_ahead.c). Layouts:
 *
 *   shared  thread 0 the lower half, thread 1 the upper half of each array
 *           (the bank's layout)
 *   own     each thread's twelve arrays of 2048 in a block of its own
 *
 * For each layout it prints one thread alone (half the work) and two at
 * once, in time-stamp-counter ticks, and the ratio: 1.0 is a second core
 * for free. Numbers and what they mean: docs/performance-log.md, "Two threads:
 * neighbouring halves of one array".
 *
 *   cc -O3 -pthread scripts/two_ranges.c -o /tmp/two_ranges && /tmp/two_ranges [ROUNDS]
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ARRAYS 12
#define BANK_CAPACITY 16384 /* the engine's arrays (ENGINE_MAX_NEURONS) */
#define NEURONS 4096
#define HALF (NEURONS / 2)
#define LINE 64
#define STEPS 100000
#define RUN 32

static float *range[2][ARRAYS]; /* each thread's twelve arrays, from its first neuron */
static atomic_int arrived, generation;

static double
now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* Both threads at the end of a run before either starts the next */
static void
meet(void)
{
    const int g = atomic_load(&generation);
    if (atomic_fetch_add(&arrived, 1) == 1) {
        atomic_store(&arrived, 0);
        atomic_fetch_add(&generation, 1);
    } else {
        while (atomic_load(&generation) == g)
            ;
    }
}

typedef struct {
    int thread, together;
    double ns;
} job;

static void *
step_range(void *arg)
{
    job *j = arg;
    float *const *a = range[j->thread];
    const double t0 = now_ns();
    for (int s = 0; s < STEPS; ++s) {
        for (int i = 0; i < HALF; ++i) {
            float sum = 0.0f;
            for (int k = 0; k < ARRAYS / 2; ++k)
                sum += a[k][i];
            for (int k = ARRAYS / 2; k < ARRAYS; ++k)
                a[k][i] = 0.999f * sum;
        }
        if (j->together && s % RUN == RUN - 1)
            meet();
    }
    j->ns = now_ns() - t0;
    return NULL;
}

/* one thread alone, then two at once: the ratio of their times */
static double
measure(const char *layout)
{
    job alone = {0, 0, 0.0};
    step_range(&alone);
    job a = {0, 1, 0.0}, b = {1, 1, 0.0};
    pthread_t other;
    if (pthread_create(&other, NULL, step_range, &b)) {
        perror("pthread_create");
        exit(1);
    }
    step_range(&a);
    pthread_join(other, NULL);
    const double both = a.ns > b.ns ? a.ns : b.ns;
    printf("%-7s alone %6.1f ms   two at once %6.1f ms (%6.1f, %6.1f)   ratio %.2f\n", layout,
           alone.ns / 1e6, both / 1e6, a.ns / 1e6, b.ns / 1e6, both / alone.ns);
    return both / alone.ns;
}

int
main(int argc, char **argv)
{
    const int rounds = argc > 1 ? atoi(argv[1]) : 3;
    const size_t stride = BANK_CAPACITY * sizeof(float) + LINE; /* as dsp/bank.c lays out */
    const size_t bytes = ARRAYS * stride + 2u * LINE;
    unsigned char *shared = aligned_alloc(4096, (bytes + 4095) / 4096 * 4096);
    const size_t own_stride = HALF * sizeof(float) + LINE;
    unsigned char *own = aligned_alloc(4096, (2 * ARRAYS * own_stride + 4095) / 4096 * 4096);
    if (!shared || !own) {
        perror("aligned_alloc");
        return 1;
    }
    memset(shared, 0, bytes);
    memset(own, 0, 2 * ARRAYS * own_stride);
    double sum_shared = 0.0, sum_own = 0.0;
    for (int r = 0; r < rounds; ++r) {
        for (int k = 0; k < ARRAYS; ++k) {
            float *array = (float *)(shared + LINE + k * stride);
            range[0][k] = array;
            range[1][k] = array + HALF;
        }
        sum_shared += measure("shared");
        for (int t = 0; t < 2; ++t)
            for (int k = 0; k < ARRAYS; ++k)
                range[t][k] = (float *)(own + ((size_t)t * ARRAYS + k) * own_stride);
        sum_own += measure("own");
    }
    printf("mean ratio over %d rounds: shared %.2f, own %.2f\n", rounds, sum_shared / rounds,
           sum_own / rounds);
    free(shared);
    free(own);
    return 0;
}
