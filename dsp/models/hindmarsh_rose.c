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

static inline float
dx(float x, float y, float z, float i)
{
    return y - x * x * x + 3.0f * x * x - z + i;
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
#pragma GCC ivdep
    for (uint32_t i = 0; i < n; ++i) {
        float x = xx[i], y = yy[i], z = zz[i];
        float g = soma_g[i] / MV_PER_X;
        float gi = soma_i[i] + (soma_ge[i] - soma_g[i] * MV_AT_X0) / MV_PER_X;

        float k1x = dx(x, y, z, gi - g * x), k1y = 1.0f - 5.0f * x * x - y,
              k1z = r * (4.0f * (x + 1.6f) - z);
        float x2 = x + 0.5f * dt * k1x, y2 = y + 0.5f * dt * k1y, z2 = z + 0.5f * dt * k1z;
        float k2x = dx(x2, y2, z2, gi - g * x2), k2y = 1.0f - 5.0f * x2 * x2 - y2,
              k2z = r * (4.0f * (x2 + 1.6f) - z2);
        float x3 = x + 0.5f * dt * k2x, y3 = y + 0.5f * dt * k2y, z3 = z + 0.5f * dt * k2z;
        float k3x = dx(x3, y3, z3, gi - g * x3), k3y = 1.0f - 5.0f * x3 * x3 - y3,
              k3z = r * (4.0f * (x3 + 1.6f) - z3);
        float x4 = x + dt * k3x, y4 = y + dt * k3y, z4 = z + dt * k3z;
        float k4x = dx(x4, y4, z4, gi - g * x4), k4y = 1.0f - 5.0f * x4 * x4 - y4,
              k4z = r * (4.0f * (x4 + 1.6f) - z4);

        float x_new = x + dt / 6.0f * (k1x + 2.0f * k2x + 2.0f * k3x + k4x);
        xx[i] = x_new;
        yy[i] = y + dt / 6.0f * (k1y + 2.0f * k2y + 2.0f * k3y + k4y);
        zz[i] = z + dt / 6.0f * (k1z + 2.0f * k2z + 2.0f * k3z + k4z);
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
