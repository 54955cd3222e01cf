/* m_current.c — see m_current.h. */
#include "m_current.h"

#include "models/registry.h"
#include "simd.h"
#include "vmath.h"

m_current_config
m_current_of(int model, float acetylcholine, float dt_ms)
{
    m_current_config c = {.g = 0.0f, .e_k = -77.0f, .dt_ms = dt_ms};
    float open = 1.0f - acetylcholine;
    if (model == MODEL_HH) /* hh.mod's E_K */
        c = (m_current_config){M_CURRENT_G_HH * open, -77.0f, dt_ms};
    else if (model == MODEL_PINSKY_RINZEL) /* Pinsky & Rinzel 1994's E_K */
        c = (m_current_config){M_CURRENT_G_PR * open, -75.0f, dt_ms};
    return c;
}

SIMD_INLINE void
m_loop(float *restrict gate, const float *restrict v, float *restrict g, float *restrict ge,
       float g_m, float e_k, float dt, uint32_t n)
{
    SIMD_IVDEP
    for (uint32_t i = 0; i < n; ++i) {
        float p = gate[i];
        float gp = g_m * p;
        g[i] += gp;
        ge[i] += gp * e_k;
        float x = (v[i] + 35.0f) * (1.0f / 20.0f);
        float e = vm_expf(x), e_inv = 1.0f / e;
        float p_inf = 1.0f / (1.0f + e_inv * e_inv); /* exp(-(V + 35)/10) */
        float rate = 3.3f * (e + e_inv) * (1.0f / 1000.0f); /* 1/tau, /ms */
        gate[i] = p + (p_inf - p) * (1.0f - vm_expf(-rate * dt));
    }
}

SIMD_INLINE void
m_kernel(float *gate, const float *v, float *g, float *ge, const m_current_config *c,
         uint32_t n)
{
    m_loop(gate, v, g, ge, c->g, c->e_k, c->dt_ms, n);
}

SIMD_MULTIVERSION(m_on, m_kernel,
                  (float *gate, const float *v, float *g, float *ge, const m_current_config *c,
                   uint32_t n),
                  (gate, v, g, ge, c, n))

void
m_current_step(float *gate, const float *v, float *soma_g, float *soma_ge,
               const m_current_config *c, uint32_t n, simd_isa isa)
{
    m_on(isa, gate, v, soma_g, soma_ge, c, n);
}
