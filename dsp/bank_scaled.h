/* bank_scaled.h — the model step of neurons on their own time scale
 * (bank.time_scale, pitch tracking). */
#ifndef HILLOCK_BANK_SCALED_H
#define HILLOCK_BANK_SCALED_H

#include "bank.h"

/* Neurons [0, n) of these arrays (offset `base` in the bank; var and in
 * already offset): the unscaled ones in runs, at once; the scaled ones,
 * gathered into the bank's scratch (its part from `base` on, so parallel
 * ranges do not meet), step together through their whole steps of the
 * bank's dt, then each its shorter rest. Spike fractions into
 * b->spike_frac + base. */
void bank_step_scaled(bank *b, const model_desc *m, float *const var[], const model_input *in,
                      const model_params *mp, uint32_t base, uint32_t n);

#endif
