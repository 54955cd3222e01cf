/* izhikevich.c — Izhikevich 2003 simple model (IEEE TNN 14:1569).
 *
 *     v' = 0.04 v^2 + 5 v + 140 - u + I,   u' = a (b v - u)
 *     if v >= 30 mV: v <- c, u <- u + d
 *
 * We integrate the ODE, not the paper's 1 ms two-half-step scheme, which is
 * a different dynamical system (FS fires at 63 Hz there and 136 Hz in
 * truth). The reset is located inside the step by interpolating the crossing
 * of 30 mV; the rest of the step is then taken from the reset state by one
 * Euler step, so spike times do not snap to the sample grid.
 *
 * The integrator is the explicit midpoint rule (RK2): at audio-rate steps
 * (dt <= 0.025 ms) the reset's interpolation and float rounding dominate the
 * error, and classic RK4 is no closer to the reference at twice the cost.
 * Steady rates against docs/science.md and tests/reference/RESULTS.md
 * (rates over [1, 2) s, `hillock render --spikes`, one neuron): RK2 within
 * 0.020 % at 44.1 kHz, 0.017 % at 48 kHz and 0.003 % at 96 kHz for RS, IB,
 * FS, LTS, TC, RZ at I = 10 and RS/FS at I = 5, 15 (RK4: 0.015 % at 48 kHz).
 */
#include "model.h"

#include "../simd.h"

enum { V, U };

#define V_PEAK 30.0f

/* v' with the input folded in: 0.04 v^2 + (5 - g) v + (140 + i + g E) - u,
 * so k_lin = 5 - g and k_const = 140 + i + g E are formed once per step. */
SIMD_INLINE float
dv(float v, float u, float k_lin, float k_const)
{
    return v * (0.04f * v + k_lin) + (k_const - u);
}

static void
izh_init(float *const var[], uint32_t begin, uint32_t end, const model_params *p)
{
    for (uint32_t i = begin; i < end; ++i) {
        var[V][i] = -65.0f;
        var[U][i] = p->izh_b * -65.0f;
    }
}

/* One step of the explicit midpoint rule (RK2) from (v, u), without the
 * reset; *u_out gets the new u. */
SIMD_INLINE float
izh_rk2(float v, float u, float k_lin, float k_const, float a, float b, float dt,
        float *u_out)
{
    float k1v = dv(v, u, k_lin, k_const), k1u = a * (b * v - u);
    float v2 = v + 0.5f * dt * k1v, u2 = u + 0.5f * dt * k1u;
    float k2v = dv(v2, u2, k_lin, k_const), k2u = a * (b * v2 - u2);
    *u_out = u + dt * k2u;
    return v + dt * k2v;
}

/* Neurons go in blocks of 16: the step for all of them (vectorised), then
 * the reset only in a block where one fired (a few blocks in a thousand), so
 * the division that locates the crossing is almost never paid. Each neuron
 * sees the same float operations however it is grouped, so every path gives
 * the same bits. */
#define IZH_BLOCK 16u
/* With AVX-512 the test for a spike goes over 64 neurons at a time: the
 * test folds a block's lanes into one flag (a chain of shuffles), and with
 * one 16-lane vector a block it took about as long as the step itself. */
#define IZH_WIDE_BLOCK 64u

SIMD_INLINE void
izh_block(float *restrict vv, float *restrict uu, const float *restrict soma_i,
          const float *restrict soma_g, const float *restrict soma_ge,
          float *restrict spike_frac, float dt, float a, float b, float c, float d,
          uint32_t n)
{
    float v_new[IZH_WIDE_BLOCK], u_new[IZH_WIDE_BLOCK], k_lin[IZH_WIDE_BLOCK],
        k_const[IZH_WIDE_BLOCK];
    int any = 0;
    for (uint32_t j = 0; j < n; ++j) {
        k_lin[j] = 5.0f - soma_g[j];
        k_const[j] = 140.0f + (soma_i[j] + soma_ge[j]);
        v_new[j] = izh_rk2(vv[j], uu[j], k_lin[j], k_const[j], a, b, dt, &u_new[j]);
        /* v_new may be inf/NaN when v ran away inside the step: that is a spike */
        any |= !(v_new[j] < V_PEAK);
    }
    if (any) {
        for (uint32_t j = 0; j < n; ++j) {
            float v = vv[j], u = uu[j];
            int fired = !(v_new[j] < V_PEAK);
            float frac = (V_PEAK - v) / (v_new[j] - v);
            frac = ((frac >= 0.0f) & (frac < 1.0f)) ? frac : 0.0f;
            /* the rest of the step from the reset state, by one Euler step */
            float u_reset = u + frac * (u_new[j] - u) + d;
            float rest = (1.0f - frac) * dt;
            float v_after = c + rest * dv(c, u_reset, k_lin[j], k_const[j]);
            float u_after = u_reset + rest * a * (b * c - u_reset);
            vv[j] = fired ? v_after : v_new[j];
            uu[j] = fired ? u_after : u_new[j];
            spike_frac[j] = fired ? frac : -1.0f;
        }
    } else {
        for (uint32_t j = 0; j < n; ++j) {
            vv[j] = v_new[j];
            uu[j] = u_new[j];
            spike_frac[j] = -1.0f;
        }
    }
}

SIMD_INLINE void
izh_loop(float *restrict vv, float *restrict uu, const float *restrict soma_i,
         const float *restrict soma_g, const float *restrict soma_ge,
         float *restrict spike_frac, float dt, float a, float b, float c, float d, uint32_t n,
         uint32_t block)
{
    uint32_t i = 0;
    for (; i + block <= n; i += block)
        izh_block(vv + i, uu + i, soma_i + i, soma_g + i, soma_ge + i, spike_frac + i, dt, a,
                  b, c, d, block);
    for (; i < n; i += IZH_BLOCK) {
        const uint32_t len = n - i < IZH_BLOCK ? n - i : IZH_BLOCK;
        izh_block(vv + i, uu + i, soma_i + i, soma_g + i, soma_ge + i, spike_frac + i, dt, a,
                  b, c, d, len);
    }
}

SIMD_INLINE void
izh_kernel(float *const var[], const model_input *in, const model_params *p,
           float *spike_frac, uint32_t n)
{
    if (p->isa == SIMD_AVX512)
        izh_loop(var[V], var[U], in->soma_i, in->soma_g, in->soma_ge, spike_frac, p->dt_ms,
                 p->izh_a, p->izh_b, p->izh_c, p->izh_d, n, IZH_WIDE_BLOCK);
    else
        izh_loop(var[V], var[U], in->soma_i, in->soma_g, in->soma_ge, spike_frac, p->dt_ms,
                 p->izh_a, p->izh_b, p->izh_c, p->izh_d, n, IZH_BLOCK);
}

MODEL_STEP_MULTIVERSION(izh_step, izh_kernel)

const model_desc model_izhikevich = {
    .n_vars = 2,
    .soma_var = V,
    .dend_var = V,
    .slow_var = U,
    .two_compartment = 0,
    .to_mV_a = 1.0f,
    .to_mV_b = 0.0f,
    .audio_center = -55.0f,
    .audio_half_range = 45.0f,
    /* RK2 needs g dt < 2 (v' = (5 - g) v + ... near 0 mV); g dt = 1.5 */
    .g_limit = 60.0f,
    .audio_tonic_rms = 0.25f,
    .init = izh_init,
    .step = izh_step,
};
