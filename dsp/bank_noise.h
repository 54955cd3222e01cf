/* bank_noise.h — the noise current (bank.noise) of every running neuron. */
#ifndef HILLOCK_BANK_NOISE_H
#define HILLOCK_BANK_NOISE_H

#include "bank.h"

/* One OU step of b->noise for step number step_index (noise on), in two
 * calls: bank_noise_begin finds the step's draw (the same for every neuron)
 * and advances the bank's bookkeeping; bank_noise_range steps neurons
 * [begin, end) with it. Each neuron's value depends on nothing but its own,
 * so disjoint ranges may run in any order or at the same time (the bank
 * does it chunk by chunk, with the rest of the neuron's inputs). */
typedef struct {
    uint32_t s_radius, s_angle; /* the step's hashes of the pair number */
    int mode;                   /* 0 even step, 1 odd step drawing anew, 2 odd reusing */
    float decay, kick;
    simd_isa isa;
} bank_noise_draw;

bank_noise_draw bank_noise_begin(bank *b, const bank_config *c, uint64_t step_index);
void bank_noise_range(bank *b, const bank_noise_draw *d, uint32_t begin, uint32_t end);

/* One step of relaxation towards zero (noise off, some still left). */
void bank_noise_relax(bank *b, const bank_config *c);

#endif
