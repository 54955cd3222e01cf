/* bank_split.c — the cuts of a parallel step, moved to balance the threads'
 * ends (bank_split.h). */
#include "bank_split.h"

#include "simd.h"

#if SIMD_X86
#include <x86intrin.h>
#else
#include <time.h>
#endif

/* A cut moves once the smoothed difference of its ranges' ends is worth
 * this many grains: a move changes the difference by one grain's worth, so
 * the cut settles within half a grain's worth of the balance, instead of
 * moving to and fro (each move hands a grain's state to the other core) */
#define SPLIT_DEAD_BAND 1.0
/* weight of a step's difference in the smoothed one: over some 30 steps,
 * so that a step's own jitter (a few hundred ns: spikes, resets, an
 * interrupt) seldom moves a cut */
#define SPLIT_SMOOTH 0.03125

double
bank_split_clock(void)
{
    /* only differences and ratios of its readings are used */
#if SIMD_X86
    /* the time-stamp counter: a few ns to read, one rate on every core */
    return (double)__rdtsc();
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
#endif
}

void
bank_split_reset(bank_split *s, uint32_t n, unsigned parts)
{
    const uint32_t grains = (n + SPLIT_GRAIN - 1u) / SPLIT_GRAIN;
    s->parts = parts;
    s->n = n;
    for (unsigned p = 0; p <= parts; ++p) {
        const uint32_t at = (uint32_t)((uint64_t)grains * p / parts) * SPLIT_GRAIN;
        s->cut[p] = at < n ? at : n;
        if (p < parts)
            s->lean[p] = 0.0;
    }
    s->cut[parts] = n;
    s->per_neuron = 0.0;
}

void
bank_split_update(bank_split *s)
{
    const unsigned parts = s->parts;
    double busy = 0.0, longest = 0.0;
    for (unsigned p = 0; p < parts; ++p) {
        const double d = s->part[p].end - s->part[p].start;
        busy += d;
        longest = d > longest ? d : longest;
    }
    const double r = busy / (double)s->n;
    s->per_neuron = s->per_neuron > 0.0 ? s->per_neuron + 0.0625 * (r - s->per_neuron)
                                              : r;
    if (!(s->per_neuron > 0.0))
        return;
    /* a grain's worth of difference: moving it changes both ends by a grain */
    const double grain_t = 2.0 * SPLIT_GRAIN * s->per_neuron;
    for (unsigned i = 1; i < parts; ++i) {
        /* > 0: the range above the cut ended later; a thread's time away
         * from its core counts no more than half the longest range */
        double d = s->part[i].end - s->part[i - 1].end;
        const double bound = 0.5 * longest;
        d = d > bound ? bound : d < -bound ? -bound : d;
        s->lean[i] += SPLIT_SMOOTH * (d - s->lean[i]);
        const uint32_t lo = s->cut[i - 1] + SPLIT_GRAIN, hi = s->cut[i + 1] - SPLIT_GRAIN;
        if (s->lean[i] > SPLIT_DEAD_BAND * grain_t && s->cut[i] + SPLIT_GRAIN <= hi) {
            s->cut[i] += SPLIT_GRAIN;
            s->lean[i] -= grain_t;
            s->moves++;
        } else if (s->lean[i] < -SPLIT_DEAD_BAND * grain_t && s->cut[i] >= lo + SPLIT_GRAIN) {
            s->cut[i] -= SPLIT_GRAIN;
            s->lean[i] += grain_t;
            s->moves++;
        }
    }
}
