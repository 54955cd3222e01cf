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

void
dendrite_currents(const dendrite_params *p, const float *v, const float *g_a,
                  const float *g_b, float *out_i, float *out_g, float *out_ge, uint32_t n)
{
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
