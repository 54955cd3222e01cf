/* bank_noise.h — the noise current (bank.noise) of every running neuron. */
#ifndef HILLOCK_BANK_NOISE_H
#define HILLOCK_BANK_NOISE_H

#include "bank.h"

/* One OU step of b->noise for step number step_index (noise on). */
void bank_noise_update(bank *b, const bank_config *c, uint64_t step_index);

/* One step of relaxation towards zero (noise off, some still left). */
void bank_noise_relax(bank *b, const bank_config *c);

#endif
