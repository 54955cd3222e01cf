/* bank_spikes.h — the spike scan of a stepped chunk of the bank. */
#ifndef HILLOCK_BANK_SPIKES_H
#define HILLOCK_BANK_SPIKES_H

#include "bank.h"

/* Neurons base + i, i in [0, n), with frac[i] >= 0 (they spiked, at that
 * fraction of the step): appended to b->spiked / b->spiked_frac from index
 * count, in index order. Returns the new count. */
uint32_t bank_collect_spikes(bank *b, simd_isa isa, const float *frac, uint32_t base,
                             uint32_t n, uint32_t count);

#endif
