/* bank_range.h — a step of one range of the bank's neurons (bank.c), for
 * the bank's own files: the parallel step's parts (bank.c) and the steps
 * taken ahead of their frames (bank_ahead.c). */
#ifndef HILLOCK_BANK_RANGE_H
#define HILLOCK_BANK_RANGE_H

#include "bank.h"
#include "bank_mix.h"
#include "bank_noise.h"

/* What a range's step mixes (bank_mix.h): nothing, its whole blocks with
 * the statistics requested for the step, or with those given. */
enum { BANK_RANGE_NO_MIX, BANK_RANGE_MIX, BANK_RANGE_MIX_WITH };

/* Inputs, model step, spike scan and (unless BANK_RANGE_NO_MIX, begin then
 * on a mix block's boundary) mix for neurons [begin, end); spikes are
 * appended to b->spiked from index `count`; returns the new count. st:
 * BANK_RANGE_MIX_WITH's statistics, or NULL. */
uint32_t bank_step_range(bank *b, const bank_config *c, const model_params *mp, float ext_all,
                         unsigned keep, const bank_noise_draw *noise, uint32_t begin,
                         uint32_t end, uint32_t count, int mix, const bank_mix_stats *st);

/* bank_repair_nonfinite for neurons [begin, end) alone; returns how many
 * were reset. Unlike bank_init_neurons it leaves input_gen alone (another
 * range may step at the same time): the caller bumps it afterwards. */
uint32_t bank_repair_range(bank *b, const bank_config *c, uint32_t begin, uint32_t end);

#endif
