/* hindmarsh_rose.c — Hindmarsh & Rose 1984 bursting model (Proc R Soc B 221:87),
 * in the common form with a = 1, b = 3, c = 1, d = 5, s = 4, x_R = -1.6:
 *
 *     x' = y - x^3 + 3x^2 - z + I,  y' = 1 - 5x^2 - y,  z' = r (4 (x + 1.6) - z)
 *
 * Time is dimensionless; one unit plays as 1 ms at speed 1. Classic RK4.
 * Synaptic conductances see x through the map V = 25 x - 30 mV (rest at
 * x = -1.6 is -70 mV, a spike top near x = 2 is +20 mV), and their current is
 * scaled back by 1/25 per mV.
 */
#include "model.h"

#include "../simd.h"

enum { X, Y, Z };

#define MV_PER_X 25.0f
#define MV_AT_X0 (-30.0f)

/* The right-hand side at (x, y, z) with input gi - g x, in the fewest
 * operations (15; the textbook form takes 18): x' = (y - z + gi) +
 * x^2 (3 - x) - g x, y' = (1 - y) - 5 x^2, z' = r (4 x + 6.4 - z) with
 * r4 = 4 r and r6_4 = 6.4 r. */
typedef struct {
    float x, y, z;
} hr_vec;

SIMD_INLINE hr_vec
hr_rhs(hr_vec s, float gi, float g, float r, float r4, float r6_4)
{
    float x2 = s.x * s.x;
    hr_vec d = {
        ((s.y - s.z) + gi) + (x2 * (3.0f - s.x) - g * s.x),
        (1.0f - s.y) - 5.0f * x2,
        (r4 * s.x + r6_4) - r * s.z,
    };
    return d;
}

SIMD_INLINE hr_vec
hr_axpy(hr_vec s, float a, hr_vec k)
{
    hr_vec y = {s.x + a * k.x, s.y + a * k.y, s.z + a * k.z};
    return y;
}

static void
hr_init(float *const var[], uint32_t begin, uint32_t end, const model_params *p)
{
    (void)p;
    for (uint32_t i = begin; i < end; ++i) {
        var[X][i] = -1.6f;
        var[Y][i] = 1.0f - 5.0f * 1.6f * 1.6f;
        var[Z][i] = 0.0f;
    }
}

SIMD_INLINE void
hr_loop(float *restrict xx, float *restrict yy, float *restrict zz,
        const float *restrict soma_i, const float *restrict soma_g,
        const float *restrict soma_ge, float *restrict spike_frac, float dt, float r,
        uint32_t n)
{
    const float r4 = 4.0f * r, r6_4 = 6.4f * r, half = 0.5f * dt, sixth = dt / 6.0f;
#pragma GCC ivdep
    for (uint32_t i = 0; i < n; ++i) {
        const hr_vec s0 = {xx[i], yy[i], zz[i]};
        /* the conductance's current through V = 25 x - 30 mV, over 25 */
        const float g = soma_g[i] * (1.0f / MV_PER_X);
        const float gi = soma_i[i] + (soma_ge[i] - soma_g[i] * MV_AT_X0) * (1.0f / MV_PER_X);
        const hr_vec k1 = hr_rhs(s0, gi, g, r, r4, r6_4);
        const hr_vec k2 = hr_rhs(hr_axpy(s0, half, k1), gi, g, r, r4, r6_4);
        const hr_vec k3 = hr_rhs(hr_axpy(s0, half, k2), gi, g, r, r4, r6_4);
        const hr_vec k4 = hr_rhs(hr_axpy(s0, dt, k3), gi, g, r, r4, r6_4);
        /* (k1 + 2 k2 + 2 k3 + k4) / 6 as (k1 + k4) + 2 (k2 + k3) */
        const float x = s0.x;
        const float x_new = x + sixth * ((k1.x + k4.x) + 2.0f * (k2.x + k3.x));
        xx[i] = x_new;
        yy[i] = s0.y + sixth * ((k1.y + k4.y) + 2.0f * (k2.y + k3.y));
        zz[i] = s0.z + sixth * ((k1.z + k4.z) + 2.0f * (k2.z + k3.z));
        /* model_crossing without the short-circuit, so it if-converts */
        float frac = (1.0f - x) / (x_new - x);
        spike_frac[i] = ((x < 1.0f) & (x_new >= 1.0f)) ? frac : -1.0f;
    }
}

SIMD_INLINE void
hr_kernel(float *const var[], const model_input *in, const model_params *p,
          float *spike_frac, uint32_t n)
{
    hr_loop(var[X], var[Y], var[Z], in->soma_i, in->soma_g, in->soma_ge, spike_frac,
            p->dt_ms, p->hr_r, n);
}

MODEL_STEP_MULTIVERSION(hr_step, hr_kernel)

const model_desc model_hindmarsh_rose = {
    .n_vars = 3,
    .soma_var = X,
    .dend_var = X,
    .slow_var = Z,
    .two_compartment = 0,
    .to_mV_a = MV_PER_X,
    .to_mV_b = MV_AT_X0,
    .audio_center = 0.0f,
    .audio_half_range = 1.6f,
    /* RK4 at dt_max 0.05 diverges on the first step from rest for I >= 200
     * (x overshoots to where -3x^2 dt < -2.8); stable to 150, measured with
     * `hillock render -s model=hindmarsh_rose -s neurons=1 -s drive=D
     * -s speed=12`. A conductance adds (E + 30) g / 25 to the input: with
     * 25 mS/cm² and the input at 120 the sum stays below 150 for E = 0 mV. */
    .input_limit = 120.0f,
    .g_limit = 25.0f,
    .audio_tonic_rms = 0.31f,
    .init = hr_init,
    .step = hr_step,
};
