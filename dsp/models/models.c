/* models.c — the kernels of each model in the registry's order. */
#include "model.h"

const model_desc *
model_get(int model)
{
#define HILLOCK_MODEL_DESC_(id, symbol) [MODEL_##id] = &model_##symbol,
    static const model_desc *const models[MODEL_COUNT] = {
        HILLOCK_MODELS(HILLOCK_MODEL_DESC_)};
#undef HILLOCK_MODEL_DESC_
    return models[model >= 0 && model < MODEL_COUNT ? model : 0];
}

int
model_index(const model_desc *m)
{
    for (int k = 0; k < MODEL_COUNT; ++k)
        if (model_get(k) == m)
            return k;
    return MODEL_HH;
}

void
model_step(const model_desc *m, float *const var[], const model_input *in,
           const model_params *mp, float *spike_frac, uint32_t n)
{
    /* a bank of 4 Pinsky-Rinzel neurons rendered 1.11x as long on AVX-512
     * as on AVX2, 4 Hindmarsh-Rose 1.08x */
    const uint32_t whole = mp->isa == SIMD_AVX512 ? n / 16u * 16u : n;
    if (whole)
        m->step(var, in, mp, spike_frac, whole);
    if (whole == n)
        return;
    float *tail_var[MODEL_MAX_VARS];
    for (uint32_t k = 0; k < m->n_vars; ++k)
        tail_var[k] = var[k] + whole;
    const model_input tail = model_input_from(in, whole);
    model_params narrow = *mp;
    narrow.isa = SIMD_AVX2;
    m->step(tail_var, &tail, &narrow, spike_frac + whole, n - whole);
}
