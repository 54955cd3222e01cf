/* bank_screen.h — the non-finite screen of the bank (the repair: bank.h). */
#ifndef HILLOCK_BANK_SCREEN_H
#define HILLOCK_BANK_SCREEN_H

#include "bank.h"

/* 1 if some running neuron may be broken (not finite, or beyond a volt):
 * a cheap pass over the somatic voltages (bank_screen.c says why V
 * suffices). Stepping does not screen: the engine screens after each step,
 * here or in the stereo mix's pass over V (stereo_mix_screened). */
int bank_screen(const bank *b, const model_desc *m, simd_isa isa);
/* ... of neurons [begin, end) */
int bank_screen_range(const bank *b, const model_desc *m, simd_isa isa, uint32_t begin,
                      uint32_t end);

/* 1 if neuron i's state is broken (bank_screen.c says when). */
int bank_neuron_broken(const bank *b, const model_desc *m, uint32_t i);

/* Drops the neurons now broken from b->spiked[first, count) (in place, in
 * order); returns the new count. */
uint32_t bank_drop_broken_spikes(bank *b, const model_desc *m, uint32_t first, uint32_t count);

#endif
