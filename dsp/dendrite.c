#include "dendrite.h"

#include "params.h"

#include <math.h>

float
dendrite_nmda_block(float v_mV, float mg_mM)
{
    return 1.0f / (1.0f + expf(-0.062f * v_mV) * (mg_mM / 3.57f));
}

float
dendrite_dcaap_response(float r, float width)
{
    float over = r - 1.0f;
    float onset = 1.0f / (1.0f + expf(-over / 0.05f));
    return onset * expf(-fmaxf(over, 0.0f) / width);
}

float
dendrite_nmda_subunit_step(float g, float v_mV, float mg_mM, float dt_ms, float *v_k)
{
    const float gc = DENDRITE_BRANCH_G_C;
    float gb = g * dendrite_nmda_block(*v_k, mg_mM);
    float target = (gb * DENDRITE_E_EXC_MV + gc * v_mV) / (gb + gc);
    /* backward Euler with the coefficients frozen over the step: stable at
     * any step, first order (the branch follows in about a millisecond) */
    float x = dt_ms * (gb + gc) * (1.0f / DENDRITE_BRANCH_C);
    float vk = *v_k + x / (1.0f + x) * (target - *v_k);
    *v_k = vk;
    gb = g * dendrite_nmda_block(vk, mg_mM);
    return gc * gb / (gb + gc);
}

/* Each branch its own zone (dendrite.h, subunits) */
static void
subunit_currents(const dendrite_params *p, const float *v, const float *g_a,
                 const float *g_b, float *const branch_v[2], float *out_i, float *out_g,
                 float *out_ge, uint32_t n)
{
    if (p->mode == DENDRITE_NMDA) {
        /* with receptors the synapses bring their own NMDA (blocked at the
         * compartment's voltage): the subunits shape the tonic input */
        const float syn = p->receptors ? 0.0f : 1.0f;
        for (uint32_t i = 0; i < n; ++i) {
            float vm = p->to_mV_a * v[i] + p->to_mV_b;
            float g = dendrite_nmda_subunit_step(p->tonic_a + syn * g_a[i], vm, p->mg_mM,
                                                 p->dt_ms, &branch_v[0][i]) +
                      dendrite_nmda_subunit_step(p->tonic_b + syn * g_b[i], vm, p->mg_mM,
                                                 p->dt_ms, &branch_v[1][i]) +
                      (1.0f - syn) * (g_a[i] + g_b[i]);
            out_g[i] += g;
            out_ge[i] += g * DENDRITE_E_EXC_MV;
        }
        return;
    }
    const float inv_threshold = 1.0f / p->dcaap_threshold;
    for (uint32_t i = 0; i < n; ++i) {
        float ra = (p->tonic_a + g_a[i]) * inv_threshold;
        float rb = (p->tonic_b + g_b[i]) * inv_threshold;
        out_i[i] += p->dcaap_amplitude * (dendrite_dcaap_response(ra, p->dcaap_width) +
                                          dendrite_dcaap_response(rb, p->dcaap_width));
    }
}

void
dendrite_currents(const dendrite_params *p, const float *v, const float *g_a,
                  const float *g_b, float *const branch_v[2], float *out_i, float *out_g,
                  float *out_ge, uint32_t n)
{
    if (p->subunits && p->mode != DENDRITE_LINEAR) {
        subunit_currents(p, v, g_a, g_b, branch_v, out_i, out_g, out_ge, n);
        return;
    }
    switch (p->mode) {
    case DENDRITE_NMDA:
        if (p->receptors) {
            for (uint32_t i = 0; i < n; ++i) {
                float g = (p->tonic_a + p->tonic_b) *
                              dendrite_nmda_block(p->to_mV_a * v[i] + p->to_mV_b, p->mg_mM) +
                          g_a[i] + g_b[i];
                out_g[i] += g;
                out_ge[i] += g * DENDRITE_E_EXC_MV;
            }
            break;
        }
        for (uint32_t i = 0; i < n; ++i) {
            float g = (p->tonic_a + g_a[i] + p->tonic_b + g_b[i]) *
                      dendrite_nmda_block(p->to_mV_a * v[i] + p->to_mV_b, p->mg_mM);
            out_g[i] += g;
            out_ge[i] += g * DENDRITE_E_EXC_MV;
        }
        break;
    case DENDRITE_DCAAP: {
        const float inv_threshold = 1.0f / p->dcaap_threshold;
        for (uint32_t i = 0; i < n; ++i) {
            float r = (p->tonic_a + g_a[i] + p->tonic_b + g_b[i]) * inv_threshold;
            out_i[i] += p->dcaap_amplitude * dendrite_dcaap_response(r, p->dcaap_width);
        }
        break;
    }
    default: /* DENDRITE_LINEAR */
        for (uint32_t i = 0; i < n; ++i) {
            float g = p->tonic_a + g_a[i] + p->tonic_b + g_b[i];
            out_g[i] += g;
            out_ge[i] += g * DENDRITE_E_EXC_MV;
        }
        break;
    }
}
