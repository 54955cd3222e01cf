/* level_reference.c — the loudness reference of the leveller: how loud the
 * bank's stereo mix would be if its neurons were independent. */
#include "engine_state.h"

#include "bank_mix.h"

#include <math.h>

/* Running statistics of neurons [begin, end) start from their present state. */
void
level_reference_start(engine *e, uint32_t begin, uint32_t end)
{
    const model_desc *m = e->cfg.model;
    const float *v = e->bank->var[m->soma_var];
    for (uint32_t i = begin; i < end; ++i) {
        float d = (v[i] - m->audio_center) / m->audio_half_range;
        e->stat_mean[i] = d;
        e->stat_msq[i] = d * d;
    }
}

/* Update every neuron's running mean and mean square, and from them the
 * loudness the stereo mix would have if the neurons were independent:
 * sqrt(sum w_i^2 var_i), averaged over both sides. In the blocks a step
 * uses (bank_mix.h), so that either gives the same bits. */
void
level_reference_update(engine *e)
{
    const model_desc *m = e->cfg.model;
    float pl, pr;
    bank_stats_blocks(e->isa, e->bank->var[m->soma_var], e->stat_mean, e->stat_msq, e->pan_l,
                      e->pan_r, m->audio_center, 1.0f / m->audio_half_range, e->stat_coef,
                      e->bank->n, &pl, &pr);
    e->mem_ref = sqrtf(0.5f * (pl + pr));
}

void
level_reference_request(engine *e)
{
    bank_mix_stats_request(e->bank, e->stat_mean, e->stat_msq,
                           1.0f / e->cfg.model->audio_half_range, e->stat_coef);
}

void
level_reference_from_step(engine *e)
{
    float pl, pr;
    bank_mix_stats_total(e->bank, &pl, &pr);
    e->mem_ref = sqrtf(0.5f * (pl + pr));
}
