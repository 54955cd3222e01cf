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
/* With AVX-512 (izh_loop_avx512) the test for a spike goes over 64 neurons
 * at a time: the test folds a block's lanes into one flag (a chain of
 * shuffles), and with one 16-lane vector a block it took about as long as
 * the step itself. */
#define IZH_WIDE_BLOCK 64u

SIMD_INLINE void
izh_block(float *restrict vv, float *restrict uu, const float *restrict soma_i,
          const float *restrict soma_g, const float *restrict soma_ge,
          float *restrict spike_frac, float dt, float a, float b, float c, float d,
          uint32_t n)
{
    /* room for two blocks: with room for one GCC's SSE2 step ran 8 % slower
     * (the same instructions, laid out otherwise), with room for 64 the AVX2
     * step ran 6 % more instructions */
    float v_new[2 * IZH_BLOCK], u_new[2 * IZH_BLOCK], k_lin[2 * IZH_BLOCK],
        k_const[2 * IZH_BLOCK];
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
         float *restrict spike_frac, float dt, float a, float b, float c, float d, uint32_t n)
{
    uint32_t i = 0;
    /* whole blocks by a constant length, which GCC vectorises fully */
    for (; i + IZH_BLOCK <= n; i += IZH_BLOCK)
        izh_block(vv + i, uu + i, soma_i + i, soma_g + i, soma_ge + i, spike_frac + i, dt, a,
                  b, c, d, IZH_BLOCK);
    if (i < n)
        izh_block(vv + i, uu + i, soma_i + i, soma_g + i, soma_ge + i, spike_frac + i, dt, a,
                  b, c, d, n - i);
}

#if SIMD_X86
/* AVX-512: 64 neurons as four 16-lane vectors kept in registers. izh_block's
 * arrays of the new state went through the stack (four stores and their
 * loads a vector, where stores are the scarcer port); here the new state
 * stays in registers until it is stored once, and the rare reset reads the
 * old state again from the arrays (not yet written) and forms k_lin and
 * k_const again from the inputs. The operations of izh_block in the same
 * order, lane by lane: the same bits. */
#include "../vec.h"

#include <immintrin.h>

#define IZH_WIDE_VECS (IZH_WIDE_BLOCK / 16u)

SIMD_TARGET_AVX512 static inline vf16
izh_dv16(vf16 v, vf16 u, vf16 k_lin, vf16 k_const)
{
    return v * (0.04f * v + k_lin) + (k_const - u);
}

/* k_lin and k_const of the 16 neurons from `at`: from the arrays, or, with
 * quiet inputs (model_input.soma_g_uniform and a g E of zero), from soma_g[0]
 * and soma_i alone: 5 - g[j] is 5 - g[0], and 140 + (i + 0) is 140 + i for
 * every i (-0 + 0 is +0, and 140 + 0 = 140 + -0): the same bits with one
 * operation and two loads less a vector. */
SIMD_TARGET_AVX512 static inline void
izh_inputs16(const float *restrict soma_i, const float *restrict soma_g,
             const float *restrict soma_ge, uint32_t at, const int quiet, vf16 *k_lin,
             vf16 *k_const)
{
    if (quiet) {
        *k_lin = (vf16)_mm512_set1_ps(5.0f - soma_g[0]);
        *k_const = 140.0f + VEC_LOAD(vf16, soma_i + at);
    } else {
        *k_lin = 5.0f - VEC_LOAD(vf16, soma_g + at);
        *k_const = 140.0f + (VEC_LOAD(vf16, soma_i + at) + VEC_LOAD(vf16, soma_ge + at));
    }
}

SIMD_TARGET_AVX512 static inline __attribute__((always_inline)) void
izh_wide(float *restrict vv, float *restrict uu, const float *restrict soma_i,
         const float *restrict soma_g, const float *restrict soma_ge,
         float *restrict spike_frac, float dt, float a, float b, float c, float d, uint32_t n,
         const int quiet)
{
    const float half_dt = 0.5f * dt, bc = b * c, c_lin = 0.04f * c;
    const vf16 minus1 = (vf16){0} - 1.0f;
    uint32_t i = 0;
    for (; i + IZH_WIDE_BLOCK <= n; i += IZH_WIDE_BLOCK) {
        vf16 v_new[IZH_WIDE_VECS], u_new[IZH_WIDE_VECS];
        __mmask16 up = 0;
#pragma GCC unroll 4
        for (uint32_t q = 0; q < IZH_WIDE_VECS; ++q) {
            const uint32_t at = i + 16u * q;
            const vf16 v = VEC_LOAD(vf16, vv + at), u = VEC_LOAD(vf16, uu + at);
            vf16 k_lin, k_const;
            izh_inputs16(soma_i, soma_g, soma_ge, at, quiet, &k_lin, &k_const);
            /* izh_rk2 */
            const vf16 k1v = izh_dv16(v, u, k_lin, k_const), k1u = a * (b * v - u);
            const vf16 v2 = v + half_dt * k1v, u2 = u + half_dt * k1u;
            const vf16 k2v = izh_dv16(v2, u2, k_lin, k_const), k2u = a * (b * v2 - u2);
            u_new[q] = u + dt * k2u;
            v_new[q] = v + dt * k2v;
            /* not below the peak: inf/NaN too, as izh_block */
            up |= _mm512_cmp_ps_mask((__m512)v_new[q], _mm512_set1_ps(V_PEAK), _CMP_NLT_UQ);
        }
        if (!up) {
#pragma GCC unroll 4
            for (uint32_t q = 0; q < IZH_WIDE_VECS; ++q) {
                const uint32_t at = i + 16u * q;
                VEC_STORE(vv + at, v_new[q]);
                VEC_STORE(uu + at, u_new[q]);
                VEC_STORE(spike_frac + at, minus1);
            }
            continue;
        }
        for (uint32_t q = 0; q < IZH_WIDE_VECS; ++q) {
            const uint32_t at = i + 16u * q;
            const vf16 v = VEC_LOAD(vf16, vv + at), u = VEC_LOAD(vf16, uu + at);
            vf16 k_lin, k_const;
            izh_inputs16(soma_i, soma_g, soma_ge, at, quiet, &k_lin, &k_const);
            const vi16 fired = ~(v_new[q] < V_PEAK);
            vf16 frac = (V_PEAK - v) / (v_new[q] - v);
            frac = VEC_SELECT(vi16, (frac >= 0.0f) & (frac < 1.0f), frac, (vf16){0});
            const vf16 u_reset = u + frac * (u_new[q] - u) + d;
            const vf16 rest = (1.0f - frac) * dt;
            /* dv(c, u_reset, ...) with izh_block's c * (0.04f * c + k_lin) */
            const vf16 v_after = c + rest * (c * (c_lin + k_lin) + (k_const - u_reset));
            const vf16 u_after = u_reset + rest * a * (bc - u_reset);
            VEC_STORE(vv + at, VEC_SELECT(vi16, fired, v_after, v_new[q]));
            VEC_STORE(uu + at, VEC_SELECT(vi16, fired, u_after, u_new[q]));
            VEC_STORE(spike_frac + at, VEC_SELECT(vi16, fired, frac, minus1));
        }
    }
    izh_loop(vv + i, uu + i, soma_i + i, soma_g + i, soma_ge + i, spike_frac + i, dt, a, b, c,
             d, n - i);
}

SIMD_TARGET_AVX512 static void
izh_loop_avx512(float *const var[], const model_input *in, const model_params *p,
                float *spike_frac, uint32_t n)
{
    const int quiet = in->soma_g_uniform && n && in->soma_ge[0] == 0.0f;
#define IZH_WIDE(quiet)                                                                     \
    izh_wide(var[V], var[U], in->soma_i, in->soma_g, in->soma_ge, spike_frac, p->dt_ms,     \
             p->izh_a, p->izh_b, p->izh_c, p->izh_d, n, quiet)
    if (quiet)
        IZH_WIDE(1);
    else
        IZH_WIDE(0);
#undef IZH_WIDE
}
#endif

SIMD_INLINE void
izh_kernel(float *const var[], const model_input *in, const model_params *p,
           float *spike_frac, uint32_t n)
{
#if SIMD_X86
    if (p->isa == SIMD_AVX512) {
        izh_loop_avx512(var, in, p, spike_frac, n);
        return;
    }
#endif
    izh_loop(var[V], var[U], in->soma_i, in->soma_g, in->soma_ge, spike_frac, p->dt_ms,
             p->izh_a, p->izh_b, p->izh_c, p->izh_d, n);
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
