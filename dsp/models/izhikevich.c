/* izhikevich.c — Izhikevich 2003 simple model (IEEE TNN 14:1569).
 *
 *     v' = 0.04 v^2 + 5 v + 140 - u + I,   u' = a (b v - u)
 *     if v >= 30 mV: v <- c, u <- u + d
 *
 * We integrate the ODE (classic RK4), not the paper's 1 ms two-half-step
 * scheme, which is a different dynamical system (FS fires at 63 Hz there and
 * 136 Hz in truth). The reset is located inside the step by interpolating the
 * crossing of 30 mV; the rest of the step is then taken from the reset state
 * by one Euler step, so spike times do not snap to the sample grid.
 */
#include "model.h"

#include "../simd.h"

enum { V, U };

#define V_PEAK 30.0f

static inline float
dv(float v, float u, float i)
{
    return 0.04f * v * v + 5.0f * v + 140.0f - u + i;
}

static void
izh_init(float *const var[], uint32_t begin, uint32_t end, const model_params *p)
{
    for (uint32_t i = begin; i < end; ++i) {
        var[V][i] = -65.0f;
        var[U][i] = p->izh_b * -65.0f;
    }
}

SIMD_INLINE void
izh_loop(float *restrict vv, float *restrict uu, const float *restrict soma_i,
         const float *restrict soma_g, const float *restrict soma_ge,
         float *restrict spike_frac, float dt, float a, float b, float c, float d, uint32_t n)
{
#pragma GCC ivdep
    for (uint32_t i = 0; i < n; ++i) {
        float v = vv[i], u = uu[i];
        float gi = soma_i[i] + soma_ge[i], g = soma_g[i];

        float k1v = dv(v, u, gi - g * v), k1u = a * (b * v - u);
        float v2 = v + 0.5f * dt * k1v, u2 = u + 0.5f * dt * k1u;
        float k2v = dv(v2, u2, gi - g * v2), k2u = a * (b * v2 - u2);
        float v3 = v + 0.5f * dt * k2v, u3 = u + 0.5f * dt * k2u;
        float k3v = dv(v3, u3, gi - g * v3), k3u = a * (b * v3 - u3);
        float v4 = v + dt * k3v, u4 = u + dt * k3u;
        float k4v = dv(v4, u4, gi - g * v4), k4u = a * (b * v4 - u4);
        float v_new = v + dt / 6.0f * (k1v + 2.0f * k2v + 2.0f * k3v + k4v);
        float u_new = u + dt / 6.0f * (k1u + 2.0f * k2u + 2.0f * k3u + k4u);

        /* v_new may be inf/NaN when v ran away inside the step: that is a spike */
        int fired = !(v_new < V_PEAK);
        float frac = (V_PEAK - v) / (v_new - v);
        frac = ((frac >= 0.0f) & (frac < 1.0f)) ? frac : 0.0f;
        float u_reset = u + frac * (u_new - u) + d;
        float rest = (1.0f - frac) * dt;
        float v_after = c + rest * dv(c, u_reset, gi - g * c);
        float u_after = u_reset + rest * a * (b * c - u_reset);

        vv[i] = fired ? v_after : v_new;
        uu[i] = fired ? u_after : u_new;
        spike_frac[i] = fired ? frac : -1.0f;
    }
}

SIMD_INLINE void
izh_kernel(float *const var[], const model_input *in, const model_params *p,
           float *spike_frac, uint32_t n)
{
    izh_loop(var[V], var[U], in->soma_i, in->soma_g, in->soma_ge, spike_frac, p->dt_ms,
             p->izh_a, p->izh_b, p->izh_c, p->izh_d, n);
}

SIMD_MULTIVERSION(izh_step, izh_kernel,
                  (float *const var[], const model_input *in, const model_params *p,
                   float *spike_frac, uint32_t n),
                  (var, in, p, spike_frac, n))

const model_desc model_izhikevich = {
    .name = "izhikevich",
    .n_vars = 2,
    .dt_max_ms = 0.025f,
    .soma_var = V,
    .dend_var = V,
    .slow_var = U,
    .two_compartment = 0,
    .to_mV_a = 1.0f,
    .to_mV_b = 0.0f,
    .audio_center = -55.0f,
    .audio_half_range = 45.0f,
    .init = izh_init,
    .step = izh_step,
};
