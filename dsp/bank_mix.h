/* bank_mix.h — the stereo mix and the non-finite screen of the bank's
 * somatic voltages after a step, computed by the step itself, block by
 * block, while each block is still in cache and on the thread that stepped
 * it (bank_set_parallel), then summed in block order by the caller.
 *
 * Blocks are fixed (BANK_MIX_BLOCK neurons from neuron 0, whatever the
 * number of threads), so the sums are the same bits on any number of
 * threads. A bank of one block mixes exactly as one call of
 * stereo_mix_screened over the bank. */
#ifndef HILLOCK_BANK_MIX_H
#define HILLOCK_BANK_MIX_H

#include "bank.h"

/* What the steps compute until asked otherwise. */
typedef enum {
    BANK_MIX_OFF,    /* nothing (the default) */
    BANK_MIX_SCREEN, /* the non-finite screen */
    BANK_MIX_STEREO, /* the stereo mix, screened on the way */
} bank_mix_mode;

/* Mode for the following steps; wl, wr and center as stereo_mix_screened
 * takes them (BANK_MIX_STEREO only; the arrays outlive the steps). */
void bank_mix_request(bank *b, bank_mix_mode mode, const float *wl, const float *wr,
                      float center);

/* The next step also updates the leveller's statistics of its neurons
 * (level_stats_update with mean, msq, k and a; the mix's wl, wr and
 * center: BANK_MIX_STEREO only), block by block. */
void bank_mix_stats_request(bank *b, float *mean, float *msq, float k, float a);

/* The sums of that update over the neurons the step moved (the real-time
 * guard may stop some after it: they are in), blocks added in order (each block: level_stats_update over it, so a bank of one block
 * gives exactly one call's sums). */
void bank_mix_stats_total(const bank *b, float *sum_l, float *sum_r);

/* level_stats_update over neurons [0, n) in the same blocks, on the
 * calling thread: the same bits as a step's. */
void bank_stats_blocks(simd_isa isa, const float *v, float *mean, float *msq, const float *wl,
                       const float *wr, float c, float k, float a, uint32_t n, float *sum_l,
                       float *sum_r);

/* The mix and screen of neurons [begin, end) of a stepped bank: begin on a
 * block boundary, end on the next or at the bank's end (bank_step). */
void bank_mix_blocks(bank *b, const model_desc *m, simd_isa isa, uint32_t begin, uint32_t end);

/* The leveller's statistics a mix updates (bank_mix_stats_request's). */
typedef struct {
    float *mean, *msq;
    float k, a;
} bank_mix_stats;

/* bank_mix_blocks with the statistics `st` (NULL: none) instead of those
 * requested for the next step: for steps taken ahead of their frames
 * (bank_ahead.h), each of which knows its own. */
void bank_mix_blocks_with(bank *b, const model_desc *m, simd_isa isa, uint32_t begin,
                          uint32_t end, const bank_mix_stats *st);

/* The stereo mix (BANK_MIX_STEREO) of the block of neurons [lo, hi), from
 * their voltages v (v[0] is neuron lo's: the bank's own, or a copy of
 * them), with the statistics st (NULL: none) into stat_l and stat_r: the
 * bits bank_mix_blocks computes for the block; returns its screen. */
int bank_mix_block(const bank *b, const model_desc *m, simd_isa isa, uint32_t lo, uint32_t hi,
                   const float *v, const bank_mix_stats *st, float *l, float *r, float *stat_l,
                   float *stat_r);

/* The last step's result for neurons [0, b->n): l and r (BANK_MIX_STEREO;
 * else 0), returns 1 if the screen found a suspect neuron (bank_screen.h).
 * Blocks are recomputed if b->n changed since the step (the real-time
 * guard may stop neurons after it). */
int bank_mix_total(bank *b, const model_desc *m, simd_isa isa, float *l, float *r);

#endif
