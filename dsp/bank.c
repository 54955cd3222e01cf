#include "bank.h"

#include "params.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { STREAM_NOISE = 16 };

const model_desc *
model_get(int model)
{
    static const model_desc *const models[MODEL_COUNT] = {
        [MODEL_HH] = &model_hh,
        [MODEL_PINSKY_RINZEL] = &model_pinsky_rinzel,
        [MODEL_IZHIKEVICH] = &model_izhikevich,
        [MODEL_HINDMARSH_ROSE] = &model_hindmarsh_rose,
    };
    return (model >= 0 && model < MODEL_COUNT) ? models[model] : &model_hh;
}

static void *
aligned_array(uint32_t capacity, size_t elem)
{
    size_t bytes = ((size_t)capacity * elem + 63u) & ~(size_t)63u;
    void *p = aligned_alloc(64, bytes);
    if (p)
        memset(p, 0, bytes);
    return p;
}

bank *
bank_create(uint32_t capacity)
{
    bank *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->capacity = (capacity + 15u) & ~15u; /* whole vectors of 16 floats */
    float **floats[] = {&b->drive_scale, &b->ext, &b->noise, &b->g_exc[0],
                        &b->g_exc[1], &b->g_inh, &b->soma_i, &b->soma_g,
                        &b->soma_ge, &b->dend_i, &b->dend_g, &b->dend_ge,
                        &b->spike_frac, &b->spiked_frac};
    int ok = 1;
    for (int k = 0; k < MODEL_MAX_VARS; ++k)
        ok &= (b->var[k] = aligned_array(b->capacity, sizeof(float))) != NULL;
    for (size_t k = 0; k < sizeof floats / sizeof floats[0]; ++k)
        ok &= (*floats[k] = aligned_array(b->capacity, sizeof(float))) != NULL;
    ok &= (b->inhibitory = aligned_array(b->capacity, 1)) != NULL;
    ok &= (b->branch = aligned_array(b->capacity, 1)) != NULL;
    ok &= (b->spiked = aligned_array(b->capacity, sizeof(uint32_t))) != NULL;
    if (!ok) {
        bank_destroy(b);
        return NULL;
    }
    for (uint32_t i = 0; i < b->capacity; ++i)
        b->drive_scale[i] = 1.0f;
    return b;
}

void
bank_destroy(bank *b)
{
    if (!b)
        return;
    for (int k = 0; k < MODEL_MAX_VARS; ++k)
        free(b->var[k]);
    free(b->drive_scale);
    free(b->ext);
    free(b->noise);
    free(b->g_exc[0]);
    free(b->g_exc[1]);
    free(b->g_inh);
    free(b->soma_i);
    free(b->soma_g);
    free(b->soma_ge);
    free(b->dend_i);
    free(b->dend_g);
    free(b->dend_ge);
    free(b->spike_frac);
    free(b->spiked_frac);
    free(b->inhibitory);
    free(b->branch);
    free(b->spiked);
    free(b);
}

void
bank_init_neurons(bank *b, const bank_config *c, uint32_t begin, uint32_t end)
{
    if (end > b->capacity)
        end = b->capacity;
    if (begin >= end)
        return;
    for (int k = 0; k < MODEL_MAX_VARS; ++k)
        memset(b->var[k] + begin, 0, (end - begin) * sizeof(float));
    c->model->init(b->var, begin, end, &c->mp);
    size_t bytes = (end - begin) * sizeof(float);
    memset(b->noise + begin, 0, bytes);
    memset(b->g_exc[0] + begin, 0, bytes);
    memset(b->g_exc[1] + begin, 0, bytes);
    memset(b->g_inh + begin, 0, bytes);
}

void
bank_set_spread(bank *b, float spread)
{
    const uint32_t n = b->n;
    const float step = n > 1 ? 2.0f / (float)(n - 1) : 0.0f;
    for (uint32_t i = 0; i < n; ++i)
        b->drive_scale[i] = 1.0f + spread * (n > 1 ? (float)i * step - 1.0f : 0.0f);
}

/* Currents into each compartment for this step, from the state before it. */
static void
assemble_inputs(bank *b, const bank_config *c, float ext_all, uint64_t step_index)
{
    const model_desc *m = c->model;
    const uint32_t n = b->n;
    const float *v = b->var[m->soma_var];
    const float a = m->to_mV_a, o = m->to_mV_b;

    if (c->noise_sigma > 0.0f) {
        for (uint32_t i = 0; i < n; ++i) {
            float z = rng_normal(rng_hash(c->np.seed, STREAM_NOISE + i, step_index));
            b->noise[i] = b->noise[i] * c->noise_decay + c->noise_kick * z;
        }
    }

    for (uint32_t i = 0; i < n; ++i) {
        b->soma_i[i] = c->drive * b->drive_scale[i] + b->noise[i] + ext_all + b->ext[i];
        b->soma_g[i] = b->g_inh[i];
        b->soma_ge[i] = b->g_inh[i] * NETWORK_E_INH_MV;
        b->dend_i[i] = 0.0f;
        b->dend_g[i] = 0.0f;
        b->dend_ge[i] = 0.0f;
    }

    /* Gap junctions on a ring: g (V_left + V_right - 2 V) */
    if (c->gap > 0.0f && n > 1) {
        for (uint32_t i = 0; i < n; ++i) {
            float vl = v[i == 0 ? n - 1 : i - 1], vr = v[i + 1 == n ? 0 : i + 1];
            b->soma_g[i] += 2.0f * c->gap;
            b->soma_ge[i] += c->gap * (a * (vl + vr) + 2.0f * o);
        }
    }

    if (m->two_compartment)
        dendrite_currents(&c->dp, b->var[m->dend_var], b->g_exc[0], b->g_exc[1],
                          b->dend_i, b->dend_g, b->dend_ge, n);
    else
        dendrite_currents(&c->dp, v, b->g_exc[0], b->g_exc[1], b->soma_i, b->soma_g,
                          b->soma_ge, n);
}

uint32_t
bank_step(bank *b, const bank_config *c, float ext_all, uint64_t step_index)
{
    const uint32_t n = b->n;
    assemble_inputs(b, c, ext_all, step_index);

    model_input in = {b->soma_i, b->soma_g, b->soma_ge, b->dend_i, b->dend_g, b->dend_ge};
    c->model->step(b->var, &in, &c->mp, b->spike_frac, n);

    for (uint32_t i = 0; i < n; ++i) {
        b->g_exc[0][i] *= c->exc_decay;
        b->g_exc[1][i] *= c->exc_decay;
        b->g_inh[i] *= c->inh_decay;
    }

    uint32_t count = 0;
    for (uint32_t i = 0; i < n; ++i) {
        if (b->spike_frac[i] >= 0.0f) {
            b->spiked[count] = i;
            b->spiked_frac[count] = b->spike_frac[i];
            ++count;
        }
    }
    for (uint32_t k = 0; k < count; ++k) {
        uint32_t pre = b->spiked[k];
        network_deliver(&c->np, pre, n, b->inhibitory[pre], b->g_exc[b->branch[pre]],
                        b->g_inh);
    }
    return count;
}

uint32_t
bank_repair_nonfinite(bank *b, const bank_config *c)
{
    /* Beyond a volt either way the state is broken even if finite (an absurd
     * input current): treat it like NaN. */
    const float limit_mV = 1000.0f;
    const model_desc *m = c->model;
    const float *v = b->var[m->soma_var];
    uint32_t repaired = 0;
    for (uint32_t i = 0; i < b->n; ++i) {
        float sum = b->noise[i] + b->g_exc[0][i] + b->g_exc[1][i] + b->g_inh[i];
        for (uint32_t k = 0; k < m->n_vars; ++k)
            sum += b->var[k][i] * 0.0f; /* NaN exactly when some term is inf or NaN */
        float v_mV = m->to_mV_a * v[i] + m->to_mV_b;
        if (!isfinite(sum) || !(fabsf(v_mV) < limit_mV)) {
            bank_init_neurons(b, c, i, i + 1);
            ++repaired;
        }
    }
    return repaired;
}
