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

#include <math.h>

enum { X, Y, Z };

#define MV_PER_X 25.0f
#define MV_AT_X0 (-30.0f)

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

/* Classic RK4 with the linear parts of the right-hand side folded across
 * the stages: y and z enter linearly, so at a stage point y_s = y0 + c k_y
 * the stage's y' = (1 - y0) - c k_y - 5 x_s^2 needs no y_s (likewise z' =
 * (4 r x_s + 6.4 r - r z0) - r c k_z), and x' needs only y_s - z_s =
 * (y0 - z0) + c (k_y - k_z). The same scheme, so the same stability, as
 * forming each stage's state and evaluating the textbook right-hand side,
 * in 55 additions instead of 63 (the adder, not the multiplier, is the busier
 * unit), with each stage's chain of dependent operations shortened from 18
 * to 15 cycles: x' = ((y - z + gi) - g x) + x^2 (3 - x), the conductance g
 * through V = 25 x - 30 mV. */
typedef struct {
    float lin_y, lin_z, lin_x; /* 1 - y0, 6.4 r - r z0, y0 - z0 + gi */
    float g, r, r4;
} hr_stage_consts;

/* The stage at x = x0 + c k_x of the previous stage. `quiet` (a constant
 * where inlined): g is zero and x' drops its term, see hr_block. */
SIMD_INLINE void
hr_stage(const hr_stage_consts *k, float x0, float c, float *kx, float *ky, float *kz,
         const int quiet)
{
    const float x = x0 + c * *kx, my = c * *ky, mz = c * *kz, x2 = x * x;
    const float sum = k->lin_x + (my - mz);
    *kx = (quiet ? sum : sum - k->g * x) + x2 * (3.0f - x);
    *ky = (k->lin_y - my) - 5.0f * x2;
    *kz = (k->r4 * x + k->lin_z) - k->r * mz;
}

/* Quiet inputs (model_input.soma_g_uniform with g = 0 and g E = 0 for the
 * whole bank, an uncoupled bank's usual case): the conductance's share of
 * the input, gc = (g E - g (-30)) / 25, is one value, formed once, so that
 * gi = I + gc reads soma_i alone; and g x, which x' subtracts, is a zero
 * whose subtraction leaves the sum as it is. That sum is lin_x plus a
 * difference, lin_x = (y0 - z0) + gi, and gi = I + gc with gc = +0 is never
 * -0 (round to nearest gives -0 only for -0 + -0), so lin_x and the sum are
 * never -0 either, and s - (+-0) is s for every s but -0: the same bits
 * with two loads and four operations less a neuron, and two a stage. (An
 * x of inf or NaN, a neuron already broken, gives NaN with the term and
 * -inf or NaN without: the screen drops it either way.) */
SIMD_INLINE void
hr_block(float *restrict xx, float *restrict yy, float *restrict zz,
         const float *restrict soma_i, const float *restrict soma_g,
         const float *restrict soma_ge, float *restrict spike_frac, float dt, float r,
         float quiet_gc, uint32_t n, const int quiet)
{
    const float r4 = 4.0f * r, r6_4 = 6.4f * r, half = 0.5f * dt, sixth = dt / 6.0f,
                third = dt / 3.0f;
    for (uint32_t i = 0; i < n; ++i) {
        const float x0 = xx[i], y0 = yy[i], z0 = zz[i];
        /* the conductance's current through V = 25 x - 30 mV, over 25 */
        const float gi =
            quiet ? soma_i[i] + quiet_gc
                  : soma_i[i] + (soma_ge[i] - soma_g[i] * MV_AT_X0) * (1.0f / MV_PER_X);
        const hr_stage_consts k = {.lin_y = 1.0f - y0, .lin_z = r6_4 - r * z0,
                                   .lin_x = (y0 - z0) + gi,
                                   .g = quiet ? 0.0f : soma_g[i] * (1.0f / MV_PER_X), .r = r,
                                   .r4 = r4};
        const float x2 = x0 * x0;
        float kx1 = (quiet ? k.lin_x : k.lin_x - k.g * x0) + x2 * (3.0f - x0),
              ky1 = k.lin_y - 5.0f * x2, kz1 = r4 * x0 + k.lin_z;
        float kx2 = kx1, ky2 = ky1, kz2 = kz1;
        hr_stage(&k, x0, half, &kx2, &ky2, &kz2, quiet);
        float kx3 = kx2, ky3 = ky2, kz3 = kz2;
        hr_stage(&k, x0, half, &kx3, &ky3, &kz3, quiet);
        float kx4 = kx3, ky4 = ky3, kz4 = kz3;
        hr_stage(&k, x0, dt, &kx4, &ky4, &kz4, quiet);
        /* (k1 + 2 k2 + 2 k3 + k4) dt / 6, k4 last: it is the last ready */
        const float x_new = ((x0 + third * (kx2 + kx3)) + sixth * kx1) + sixth * kx4;
        xx[i] = x_new;
        yy[i] = ((y0 + third * (ky2 + ky3)) + sixth * ky1) + sixth * ky4;
        zz[i] = ((z0 + third * (kz2 + kz3)) + sixth * kz1) + sixth * kz4;
        /* model_crossing without the short-circuit, so it if-converts */
        float frac = (1.0f - x0) / (x_new - x0);
        spike_frac[i] = ((x0 < 1.0f) & (x_new >= 1.0f)) ? frac : -1.0f;
    }
}

/* AVX2 and SSE2 step neurons one vector after the other (hr_block): with
 * their 16 registers, a block of several vectors spills (callgrind counted
 * 10 % more instructions). Each neuron sees the same operations however it
 * is grouped: every path gives the same bits. */

#if SIMD_X86
/* AVX-512: HR_WIDE_VECS vectors of 16 neurons stepped stage by stage side
 * by side in registers. Written as hr_block's loop over blocks of 32
 * neurons, GCC emitted one vector's whole step and then the other's, so the
 * two chains (about 70 cycles each, against some 25 of arithmetic) overlapped
 * only as far as the processor's window reached. Four vectors side by side,
 * with some of their state spilled, ran the whole render at 0.89x to 0.95x
 * of that (scripts/render_slope.py, spread 0.5); two at 0.92x to 1.17x,
 * three at 0.97x, eight at 1.23x. The operations of hr_block in the same
 * order, lane by lane: the same bits. y0 and z0 are read again for the sums
 * at the end instead of being held. */
#include "../vec.h"

#ifndef HR_WIDE_VECS
#define HR_WIDE_VECS 4u
#endif

SIMD_TARGET_AVX512 static inline __attribute__((always_inline)) void
hr_wide(float *restrict xx, float *restrict yy, float *restrict zz,
        const float *restrict soma_i, const float *restrict soma_g,
        const float *restrict soma_ge, float *restrict spike_frac, float dt, float r,
        float quiet_gc, uint32_t n, const int quiet)
{
    enum { NV = HR_WIDE_VECS };
    const float r4 = 4.0f * r, r6_4 = 6.4f * r, half = 0.5f * dt, sixth = dt / 6.0f,
                third = dt / 3.0f;
    const vf16 minus1 = (vf16){0} - 1.0f;
    for (uint32_t i = 0; i + 16u * NV <= n; i += 16u * NV) {
        vf16 x0[NV], lin_x[NV], lin_y[NV], lin_z[NV], g[NV];
        vf16 kx1[NV], ky1[NV], kz1[NV], kx[NV], ky[NV], kz[NV], sx[NV], sy[NV], sz[NV];
#pragma GCC unroll 8
        for (uint32_t q = 0; q < NV; ++q) {
            const uint32_t at = i + 16u * q;
            const vf16 y0 = VEC_LOAD(vf16, yy + at), z0 = VEC_LOAD(vf16, zz + at);
            x0[q] = VEC_LOAD(vf16, xx + at);
            const vf16 si = VEC_LOAD(vf16, soma_i + at);
            vf16 gi;
            if (quiet) {
                gi = si + quiet_gc;
                g[q] = (vf16){0};
            } else {
                const vf16 sg = VEC_LOAD(vf16, soma_g + at);
                gi = si + (VEC_LOAD(vf16, soma_ge + at) - sg * MV_AT_X0) * (1.0f / MV_PER_X);
                g[q] = sg * (1.0f / MV_PER_X);
            }
            lin_y[q] = 1.0f - y0;
            lin_z[q] = r6_4 - r * z0;
            lin_x[q] = (y0 - z0) + gi;
            const vf16 x2 = x0[q] * x0[q];
            kx1[q] = (quiet ? lin_x[q] : lin_x[q] - g[q] * x0[q]) + x2 * (3.0f - x0[q]);
            ky1[q] = lin_y[q] - 5.0f * x2;
            kz1[q] = r4 * x0[q] + lin_z[q];
            kx[q] = kx1[q];
            ky[q] = ky1[q];
            kz[q] = kz1[q];
        }
#pragma GCC unroll 4
        for (uint32_t st = 0; st < 3; ++st) {
            const float c = st == 2 ? dt : half;
#pragma GCC unroll 8
            for (uint32_t q = 0; q < NV; ++q) {
                const vf16 x = x0[q] + c * kx[q], my = c * ky[q], mz = c * kz[q], x2 = x * x;
                const vf16 sum = lin_x[q] + (my - mz);
                kx[q] = (quiet ? sum : sum - g[q] * x) + x2 * (3.0f - x);
                ky[q] = (lin_y[q] - my) - 5.0f * x2;
                kz[q] = (r4 * x + lin_z[q]) - r * mz;
                if (st == 0) {
                    sx[q] = kx[q];
                    sy[q] = ky[q];
                    sz[q] = kz[q];
                } else if (st == 1) {
                    sx[q] = sx[q] + kx[q];
                    sy[q] = sy[q] + ky[q];
                    sz[q] = sz[q] + kz[q];
                }
            }
        }
#pragma GCC unroll 8
        for (uint32_t q = 0; q < NV; ++q) {
            const uint32_t at = i + 16u * q;
            const vf16 x_new = ((x0[q] + third * sx[q]) + sixth * kx1[q]) + sixth * kx[q];
            VEC_STORE(xx + at, x_new);
            const vf16 y0 = VEC_LOAD(vf16, yy + at), z0 = VEC_LOAD(vf16, zz + at);
            VEC_STORE(yy + at, ((y0 + third * sy[q]) + sixth * ky1[q]) + sixth * ky[q]);
            VEC_STORE(zz + at, ((z0 + third * sz[q]) + sixth * kz1[q]) + sixth * kz[q]);
            const vf16 frac = (1.0f - x0[q]) / (x_new - x0[q]);
            const vi16 up = (x0[q] < 1.0f) & (x_new >= 1.0f);
            VEC_STORE(spike_frac + at, VEC_SELECT(vi16, up, frac, minus1));
        }
    }
}

/* hr_wide with `quiet` a constant in each copy */
SIMD_TARGET_AVX512 static void
hr_wide_avx512(float *const var[], const model_input *in, const model_params *p,
               float *spike_frac, uint32_t n, float quiet_gc, int quiet)
{
#define HR_WIDE(quiet)                                                                      \
    hr_wide(var[X], var[Y], var[Z], in->soma_i, in->soma_g, in->soma_ge, spike_frac,       \
            p->dt_ms, p->hr_r, quiet_gc, n, quiet)
    if (quiet)
        HR_WIDE(1);
    else
        HR_WIDE(0);
#undef HR_WIDE
}
#endif

SIMD_INLINE void
hr_blocks(float *const var[], const model_input *in, const model_params *p,
          float *spike_frac, uint32_t n, float quiet_gc, const int quiet)
{
    float *xx = var[X], *yy = var[Y], *zz = var[Z];
    const float *si = in->soma_i, *sg = in->soma_g, *sge = in->soma_ge;
    uint32_t i = 0;
#if SIMD_X86
    if (p->isa == SIMD_AVX512) {
        hr_wide_avx512(var, in, p, spike_frac, n, quiet_gc, quiet);
        i = n - n % (16u * HR_WIDE_VECS);
    }
#endif
    if (i < n)
        hr_block(xx + i, yy + i, zz + i, si + i, sg + i, sge + i, spike_frac + i, p->dt_ms,
                 p->hr_r, quiet_gc, n - i, quiet);
}

SIMD_INLINE void
hr_kernel(float *const var[], const model_input *in, const model_params *p,
          float *spike_frac, uint32_t n)
{
    if (in->soma_g_uniform && n && in->soma_g[0] == 0.0f && in->soma_ge[0] == 0.0f) {
        /* hr_block's gc, as each neuron's would be; quiet only where it is +0 */
        const float gc = (in->soma_ge[0] - in->soma_g[0] * MV_AT_X0) * (1.0f / MV_PER_X);
        if (!signbit(gc)) {
            hr_blocks(var, in, p, spike_frac, n, gc, 1);
            return;
        }
    }
    hr_blocks(var, in, p, spike_frac, n, 0.0f, 0);
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
