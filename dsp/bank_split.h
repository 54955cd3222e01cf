/* bank_split.h — where a parallel step cuts the bank between its threads.
 *
 * One range of neurons per thread, each thread stepping its own from step
 * to step (its neurons' state stays in its core's cache). The threads do
 * not have the same other work beside the neurons: the caller has the
 * frame's serial part, a pool thread the frame's sound (dsp/frame_voices.c),
 * a coupled bank's delivery runs on the caller, and a core may be shared.
 * So the cuts move: after each step every range's time from the start of
 * the step to its end is compared with its neighbour's, and a cut moves by
 * SPLIT_GRAIN neurons towards the range that ended first once the smoothed
 * difference is worth more than SPLIT_DEAD_BAND grains of neurons (at
 * most one grain a step, so that only a few neurons' state changes core at
 * a time). Where a cut lies inside a mix block, the block is mixed by
 * whichever of its ranges ends last (bank.c): the bits do not depend on
 * the cuts. Offline only (a thread pool), never the plugin's audio path. */
#ifndef HILLOCK_BANK_SPLIT_H
#define HILLOCK_BANK_SPLIT_H

#include "bank.h"

#include <stdatomic.h>
#include <stdint.h>

/* Neurons a cut moves by: whole vectors on every path (so that every range
 * starts on a 64-byte line), and at 3 ns a neuron-step (HH) about 0.1 us */
#define SPLIT_GRAIN 32u

typedef struct {
    _Alignas(64) double start, end; /* bank_split_clock */
    uint32_t count;                 /* spikes */
} bank_split_part;

typedef struct bank_split {
    unsigned parts;  /* ranges the cuts are for, 0: none yet */
    uint32_t n;      /* ... and neurons */
    uint32_t cut[BANK_MAX_PARTS + 1]; /* range p: [cut[p], cut[p + 1]) */
    double lean[BANK_MAX_PARTS];      /* per inner cut: smoothed end difference */
    double per_neuron;                /* a neuron's time, smoothed; 0: not measured yet */
    uint32_t moves;                   /* cuts moved so far (tests) */
    bank_split_part part[BANK_MAX_PARTS];
    /* per mix block cut by a range boundary: its ranges not yet stepped */
    struct {
        _Alignas(64) atomic_uint left;
    } shared[BANK_MAX_PARTS];
} bank_split;

/* Cuts for `parts` ranges of n neurons: equal, on grains (n >= parts grains). */
void bank_split_reset(bank_split *s, uint32_t n, unsigned parts);

/* After a step whose ranges recorded their start and end: move the cuts. */
void bank_split_update(bank_split *s);

/* Now, in the clock's own ticks (the time-stamp counter). */
double bank_split_clock(void);

#endif
