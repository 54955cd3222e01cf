/* hh.c — Hodgkin & Huxley 1952 squid axon, in NEURON's hh.mod convention
 * (rates in 1/ms, V in mV, EL = -54.3 mV; reference/models.md).
 *
 * Integration: the staggered second-order scheme NEURON uses. Gates first,
 * each exactly exponential towards its steady state at the old voltage; then
 * V by Crank-Nicolson with the new conductances,
 *     V' = ((C/dt - G/2) V + Ein) / (C/dt + G/2).
 * Measured against RK4 at 48 kHz this is 0.1 ms of spike-time error per second
 * where forward Euler gives 0.5 ms and Rush-Larsen 6.6 ms, and it stays
 * bounded at any temperature because no step is explicit.
 */
#include "model.h"

#include "../simd.h"
#include "../vmath.h"

#include <math.h>

enum { V, M, H, N };

/* hh.mod constants */
#define C_M 1.0f
#define G_NA 120.0f
#define G_K 36.0f
#define G_L 0.3f
#define E_NA 50.0f
#define E_K (-77.0f)
#define E_L (-54.3f)

typedef struct {
    float am, bm, ah, bh, an, bn;
} hh_rates;

static inline hh_rates
hh_rates_at(float v)
{
    hh_rates r;
    r.am = 0.1f * model_vtrap(-(v + 40.0f), 10.0f);
    r.bm = 4.0f * expf(-(v + 65.0f) / 18.0f);
    r.ah = 0.07f * expf(-(v + 65.0f) / 20.0f);
    r.bh = 1.0f / (1.0f + expf(-(v + 35.0f) / 10.0f));
    r.an = 0.01f * model_vtrap(-(v + 55.0f), 10.0f);
    r.bn = 0.125f * expf(-(v + 65.0f) / 80.0f);
    return r;
}

/* Total ionic current at v with gates at their steady state (double: used
 * once to find the resting potential). */
static double
hh_rest_current(double v)
{
    hh_rates r = hh_rates_at((float)v);
    double m = r.am / (r.am + r.bm), h = r.ah / (r.ah + r.bh), n = r.an / (r.an + r.bn);
    return G_NA * m * m * m * h * (v - E_NA) + G_K * n * n * n * n * (v - E_K) +
           G_L * (v - E_L);
}

static void
hh_init(float *const var[], uint32_t begin, uint32_t end, const model_params *p)
{
    (void)p;
    /* Resting potential: the zero of the steady-state current, by bisection
     * (-64.974 mV in the reference). */
    double lo = -70.0, hi = -60.0;
    for (int k = 0; k < 60; ++k) {
        double mid = 0.5 * (lo + hi);
        if (hh_rest_current(mid) < 0)
            lo = mid;
        else
            hi = mid;
    }
    float v = (float)(0.5 * (lo + hi));
    hh_rates r = hh_rates_at(v);
    for (uint32_t i = begin; i < end; ++i) {
        var[V][i] = v;
        var[M][i] = r.am / (r.am + r.bm);
        var[H][i] = r.ah / (r.ah + r.bh);
        var[N][i] = r.an / (r.an + r.bn);
    }
}

/* Gate tables. For every gate x in {m, h, n} and voltage V on a 0.01 mV grid
 * over [-120, 80] mV: the steady state x_inf(V) and the per-step relaxation
 * D(V) = 1 - exp(-phi dt (a + b)), so one step is x' = x + D (x_inf - x),
 * exactly exponential for fixed V. Values between grid points are linearly
 * interpolated (reference/models.md: a nearest-entry table makes the f-I
 * curve a staircase; interpolation at 0.01 mV matches the direct formulas to
 * float precision). x_inf and a + b do not depend on dt or phi and are built
 * once, in double, at create; D is rebuilt by hh_table_prepare when dt or
 * phi changes: 3 x 20001 vectorised expm1 evaluations, tens of
 * microseconds, real-time safe. Outside the grid the edge entry is used. */
#define TAB_V0 (-120.0f)
#define TAB_PER_MV 100.0f
#define TAB_N 20001u
#define TAB_STRIDE 20016u
#define TAB_SHIFTER 12582912.0f /* 1.5 * 2^23 */ /* TAB_N rounded up to 16 floats: 64-byte aligned rows */

enum { T_INF_M, T_INF_H, T_INF_N, T_D_M, T_D_H, T_D_N, T_S_M, T_S_H, T_S_N, T_ROWS };

static double
vtrap_d(double x, double y)
{
    double r = x / y;
    return fabs(r) < 1e-6 ? y * (1.0 - 0.5 * r) : x / expm1(r);
}

static void
hh_table_init(float *t)
{
    for (uint32_t k = 0; k < TAB_N; ++k) {
        double v = (double)TAB_V0 + (double)k / (double)TAB_PER_MV;
        double am = 0.1 * vtrap_d(-(v + 40.0), 10.0), bm = 4.0 * exp(-(v + 65.0) / 18.0);
        double ah = 0.07 * exp(-(v + 65.0) / 20.0), bh = 1.0 / (1.0 + exp(-(v + 35.0) / 10.0));
        double an = 0.01 * vtrap_d(-(v + 55.0), 10.0), bn = 0.125 * exp(-(v + 65.0) / 80.0);
        t[T_INF_M * TAB_STRIDE + k] = (float)(am / (am + bm));
        t[T_INF_H * TAB_STRIDE + k] = (float)(ah / (ah + bh));
        t[T_INF_N * TAB_STRIDE + k] = (float)(an / (an + bn));
        t[T_S_M * TAB_STRIDE + k] = (float)(am + bm);
        t[T_S_H * TAB_STRIDE + k] = (float)(ah + bh);
        t[T_S_N * TAB_STRIDE + k] = (float)(an + bn);
    }
}

SIMD_INLINE void
hh_prepare_kernel(float *restrict d, const float *restrict s, float phi_dt)
{
    for (uint32_t k = 0; k < 3 * TAB_STRIDE; ++k)
        d[k] = -vm_expm1f(-phi_dt * s[k]);
}

SIMD_MULTIVERSION(hh_prepare_rows, hh_prepare_kernel,
                  (float *restrict d, const float *restrict s, float phi_dt), (d, s, phi_dt))

static void
hh_table_prepare(float *t, const model_params *p)
{
    /* rows T_D_* and T_S_* are each three consecutive rows */
    hh_prepare_rows(t + T_D_M * TAB_STRIDE, t + T_S_M * TAB_STRIDE, p->phi * p->dt_ms);
}

SIMD_INLINE float
lerp_row(const float *restrict row, int32_t k, float f)
{
    float lo = row[k], hi = row[k + 1];
    return lo + f * (hi - lo);
}

/* Every array a restrict parameter: GCC keeps restrict through inlining
 * only for parameters, and without it cannot gather from the tables. */
SIMD_INLINE void
hh_loop(float *restrict vv, float *restrict mm, float *restrict hh, float *restrict nn,
        const float *restrict soma_i, const float *restrict soma_g,
        const float *restrict soma_ge, const float *restrict inf_m,
        const float *restrict inf_h, const float *restrict inf_n, const float *restrict d_m,
        const float *restrict d_h, const float *restrict d_n, float *restrict spike_frac,
        float c_dt, float theta, uint32_t n)
{
    /* the state, input and table arrays never overlap */
#pragma GCC ivdep
    for (uint32_t i = 0; i < n; ++i) {
        float v = vv[i];
        /* k = floor(x), f = x - k, by the 1.5*2^23 rounding trick rather
         * than a float-to-int conversion (which GCC treats as trapping and
         * will not if-convert); k is clamped as an integer, so NaN or inf
         * never index outside the table. */
        float x = (v - TAB_V0) * TAB_PER_MV - 0.5f;
        float t_round = x + TAB_SHIFTER;
        int32_t k_raw = vm_float_to_bits(t_round) - vm_float_to_bits(TAB_SHIFTER);
        float f = x - (t_round - TAB_SHIFTER) + 0.5f; /* in [0, 1] */
        int32_t k = k_raw < 0 ? 0 : k_raw;
        k = k < (int32_t)TAB_N - 2 ? k : (int32_t)TAB_N - 2;
        f = k_raw < 0 ? 0.0f : f;
        f = k_raw > (int32_t)TAB_N - 2 ? 1.0f : f;
        float m0 = mm[i], h0 = hh[i], n0 = nn[i];
        float m = m0 + lerp_row(d_m, k, f) * (lerp_row(inf_m, k, f) - m0);
        float h = h0 + lerp_row(d_h, k, f) * (lerp_row(inf_h, k, f) - h0);
        float nk = n0 + lerp_row(d_n, k, f) * (lerp_row(inf_n, k, f) - n0);
        float g_na = G_NA * m * m * m * h;
        float n2 = nk * nk;
        float g_k = G_K * n2 * n2;
        float g = g_na + g_k + G_L + soma_g[i];
        float e_in = g_na * E_NA + g_k * E_K + G_L * E_L + soma_ge[i] + soma_i[i];
        float v_new = ((c_dt - 0.5f * g) * v + e_in) / (c_dt + 0.5f * g);
        mm[i] = m;
        hh[i] = h;
        nn[i] = nk;
        vv[i] = v_new;
        /* model_crossing without the short-circuit, so every path if-converts */
        float frac = (theta - v) / (v_new - v);
        spike_frac[i] = ((v < theta) & (v_new >= theta)) ? frac : -1.0f;
    }
}

SIMD_INLINE void
hh_kernel(float *const var[], const model_input *in, const model_params *p,
          float *spike_frac, uint32_t n)
{
    const float *t = p->table;
    hh_loop(var[V], var[M], var[H], var[N], in->soma_i, in->soma_g, in->soma_ge,
            t + T_INF_M * TAB_STRIDE, t + T_INF_H * TAB_STRIDE, t + T_INF_N * TAB_STRIDE,
            t + T_D_M * TAB_STRIDE, t + T_D_H * TAB_STRIDE, t + T_D_N * TAB_STRIDE,
            spike_frac, C_M / p->dt_ms, p->threshold, n);
}

#if SIMD_X86
/* The same loop by hand with hardware gathers (GCC 12 emulates gathers
 * element by element, or gives up). Same operations in the same order as
 * hh_loop, so bit-identical to it. */
#include <immintrin.h>

SIMD_TARGET_AVX512 static void
hh_step_avx512(float *const var[], const model_input *in, const model_params *p,
               float *spike_frac, uint32_t n)
{
    float *vv = var[V], *mm = var[M], *hh = var[H], *nn = var[N];
    const float *t = p->table;
    const float *rows[6] = {t + T_INF_M * TAB_STRIDE, t + T_D_M * TAB_STRIDE,
                            t + T_INF_H * TAB_STRIDE, t + T_D_H * TAB_STRIDE,
                            t + T_INF_N * TAB_STRIDE, t + T_D_N * TAB_STRIDE};
    const float c_dt_s = C_M / p->dt_ms;
    const __m512 v0 = _mm512_set1_ps(TAB_V0), per = _mm512_set1_ps(TAB_PER_MV),
                 half = _mm512_set1_ps(0.5f), sh = _mm512_set1_ps(TAB_SHIFTER),
                 zero = _mm512_setzero_ps(), one = _mm512_set1_ps(1.0f),
                 g_na_c = _mm512_set1_ps(G_NA), g_k_c = _mm512_set1_ps(G_K),
                 g_l = _mm512_set1_ps(G_L), e_na = _mm512_set1_ps(E_NA),
                 e_k = _mm512_set1_ps(E_K), gl_el = _mm512_set1_ps(G_L * E_L),
                 c_dt = _mm512_set1_ps(c_dt_s), theta = _mm512_set1_ps(p->threshold),
                 minus1 = _mm512_set1_ps(-1.0f);
    const __m512i sh_bits = _mm512_set1_epi32(vm_float_to_bits(TAB_SHIFTER)),
                  kmax = _mm512_set1_epi32((int32_t)TAB_N - 2), izero = _mm512_setzero_si512();
    uint32_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 v = _mm512_loadu_ps(vv + i);
        __m512 x = _mm512_sub_ps(_mm512_mul_ps(_mm512_sub_ps(v, v0), per), half);
        __m512 tr = _mm512_add_ps(x, sh);
        __m512i kr = _mm512_sub_epi32(_mm512_castps_si512(tr), sh_bits);
        __m512 f = _mm512_add_ps(_mm512_sub_ps(x, _mm512_sub_ps(tr, sh)), half);
        __m512i k = _mm512_min_epi32(_mm512_max_epi32(kr, izero), kmax);
        f = _mm512_mask_mov_ps(f, _mm512_cmplt_epi32_mask(kr, izero), zero);
        f = _mm512_mask_mov_ps(f, _mm512_cmpgt_epi32_mask(kr, kmax), one);
        __m512 gate[3];
        const float *old[3] = {mm + i, hh + i, nn + i};
        for (int g = 0; g < 3; ++g) {
            __m512 lo_i = _mm512_i32gather_ps(k, rows[2 * g], 4);
            __m512 hi_i = _mm512_i32gather_ps(k, rows[2 * g] + 1, 4);
            __m512 lo_d = _mm512_i32gather_ps(k, rows[2 * g + 1], 4);
            __m512 hi_d = _mm512_i32gather_ps(k, rows[2 * g + 1] + 1, 4);
            __m512 inf = _mm512_add_ps(lo_i, _mm512_mul_ps(f, _mm512_sub_ps(hi_i, lo_i)));
            __m512 d = _mm512_add_ps(lo_d, _mm512_mul_ps(f, _mm512_sub_ps(hi_d, lo_d)));
            __m512 x0 = _mm512_loadu_ps(old[g]);
            gate[g] = _mm512_add_ps(x0, _mm512_mul_ps(d, _mm512_sub_ps(inf, x0)));
        }
        __m512 m = gate[0], h = gate[1], nk = gate[2];
        __m512 g_na = _mm512_mul_ps(
            _mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(g_na_c, m), m), m), h);
        __m512 n2 = _mm512_mul_ps(nk, nk);
        __m512 g_k = _mm512_mul_ps(_mm512_mul_ps(g_k_c, n2), n2);
        __m512 g = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(g_na, g_k), g_l),
                                 _mm512_loadu_ps(in->soma_g + i));
        __m512 e_in = _mm512_add_ps(
            _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(_mm512_mul_ps(g_na, e_na),
                                                      _mm512_mul_ps(g_k, e_k)),
                                        gl_el),
                          _mm512_loadu_ps(in->soma_ge + i)),
            _mm512_loadu_ps(in->soma_i + i));
        __m512 hg = _mm512_mul_ps(half, g);
        __m512 v_new = _mm512_div_ps(
            _mm512_add_ps(_mm512_mul_ps(_mm512_sub_ps(c_dt, hg), v), e_in),
            _mm512_add_ps(c_dt, hg));
        _mm512_storeu_ps(mm + i, m);
        _mm512_storeu_ps(hh + i, h);
        _mm512_storeu_ps(nn + i, nk);
        _mm512_storeu_ps(vv + i, v_new);
        __m512 frac = _mm512_div_ps(_mm512_sub_ps(theta, v), _mm512_sub_ps(v_new, v));
        __mmask16 up = _mm512_cmp_ps_mask(v, theta, _CMP_LT_OQ) &
                       _mm512_cmp_ps_mask(v_new, theta, _CMP_GE_OQ);
        _mm512_storeu_ps(spike_frac + i, _mm512_mask_mov_ps(minus1, up, frac));
    }
    if (i < n) {
        float *rest[4] = {vv + i, mm + i, hh + i, nn + i};
        model_input tail = {in->soma_i + i, in->soma_g + i, in->soma_ge + i, NULL, NULL, NULL};
        hh_kernel(rest, &tail, p, spike_frac + i, n - i);
    }
}

SIMD_TARGET_AVX2 static void
hh_step_avx2(float *const var[], const model_input *in, const model_params *p,
             float *spike_frac, uint32_t n)
{
    float *vv = var[V], *mm = var[M], *hh = var[H], *nn = var[N];
    const float *t = p->table;
    const float *rows[6] = {t + T_INF_M * TAB_STRIDE, t + T_D_M * TAB_STRIDE,
                            t + T_INF_H * TAB_STRIDE, t + T_D_H * TAB_STRIDE,
                            t + T_INF_N * TAB_STRIDE, t + T_D_N * TAB_STRIDE};
    const float c_dt_s = C_M / p->dt_ms;
    const __m256 v0 = _mm256_set1_ps(TAB_V0), per = _mm256_set1_ps(TAB_PER_MV),
                 half = _mm256_set1_ps(0.5f), sh = _mm256_set1_ps(TAB_SHIFTER),
                 zero = _mm256_setzero_ps(), one = _mm256_set1_ps(1.0f),
                 g_na_c = _mm256_set1_ps(G_NA), g_k_c = _mm256_set1_ps(G_K),
                 g_l = _mm256_set1_ps(G_L), e_na = _mm256_set1_ps(E_NA),
                 e_k = _mm256_set1_ps(E_K), gl_el = _mm256_set1_ps(G_L * E_L),
                 c_dt = _mm256_set1_ps(c_dt_s), theta = _mm256_set1_ps(p->threshold),
                 minus1 = _mm256_set1_ps(-1.0f);
    const __m256i sh_bits = _mm256_set1_epi32(vm_float_to_bits(TAB_SHIFTER)),
                  kmax = _mm256_set1_epi32((int32_t)TAB_N - 2), izero = _mm256_setzero_si256();
    uint32_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(vv + i);
        __m256 x = _mm256_sub_ps(_mm256_mul_ps(_mm256_sub_ps(v, v0), per), half);
        __m256 tr = _mm256_add_ps(x, sh);
        __m256i kr = _mm256_sub_epi32(_mm256_castps_si256(tr), sh_bits);
        __m256 f = _mm256_add_ps(_mm256_sub_ps(x, _mm256_sub_ps(tr, sh)), half);
        __m256i k = _mm256_min_epi32(_mm256_max_epi32(kr, izero), kmax);
        f = _mm256_blendv_ps(f, zero, _mm256_castsi256_ps(_mm256_cmpgt_epi32(izero, kr)));
        f = _mm256_blendv_ps(f, one, _mm256_castsi256_ps(_mm256_cmpgt_epi32(kr, kmax)));
        __m256 gate[3];
        const float *old[3] = {mm + i, hh + i, nn + i};
        for (int g = 0; g < 3; ++g) {
            __m256 lo_i = _mm256_i32gather_ps(rows[2 * g], k, 4);
            __m256 hi_i = _mm256_i32gather_ps(rows[2 * g] + 1, k, 4);
            __m256 lo_d = _mm256_i32gather_ps(rows[2 * g + 1], k, 4);
            __m256 hi_d = _mm256_i32gather_ps(rows[2 * g + 1] + 1, k, 4);
            __m256 inf = _mm256_add_ps(lo_i, _mm256_mul_ps(f, _mm256_sub_ps(hi_i, lo_i)));
            __m256 d = _mm256_add_ps(lo_d, _mm256_mul_ps(f, _mm256_sub_ps(hi_d, lo_d)));
            __m256 x0 = _mm256_loadu_ps(old[g]);
            gate[g] = _mm256_add_ps(x0, _mm256_mul_ps(d, _mm256_sub_ps(inf, x0)));
        }
        __m256 m = gate[0], h = gate[1], nk = gate[2];
        __m256 g_na = _mm256_mul_ps(
            _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(g_na_c, m), m), m), h);
        __m256 n2 = _mm256_mul_ps(nk, nk);
        __m256 g_k = _mm256_mul_ps(_mm256_mul_ps(g_k_c, n2), n2);
        __m256 g = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(g_na, g_k), g_l),
                                 _mm256_loadu_ps(in->soma_g + i));
        __m256 e_in = _mm256_add_ps(
            _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(g_na, e_na),
                                                      _mm256_mul_ps(g_k, e_k)),
                                        gl_el),
                          _mm256_loadu_ps(in->soma_ge + i)),
            _mm256_loadu_ps(in->soma_i + i));
        __m256 hg = _mm256_mul_ps(half, g);
        __m256 v_new = _mm256_div_ps(
            _mm256_add_ps(_mm256_mul_ps(_mm256_sub_ps(c_dt, hg), v), e_in),
            _mm256_add_ps(c_dt, hg));
        _mm256_storeu_ps(mm + i, m);
        _mm256_storeu_ps(hh + i, h);
        _mm256_storeu_ps(nn + i, nk);
        _mm256_storeu_ps(vv + i, v_new);
        __m256 frac = _mm256_div_ps(_mm256_sub_ps(theta, v), _mm256_sub_ps(v_new, v));
        __m256 up = _mm256_and_ps(_mm256_cmp_ps(v, theta, _CMP_LT_OQ),
                                  _mm256_cmp_ps(v_new, theta, _CMP_GE_OQ));
        _mm256_storeu_ps(spike_frac + i, _mm256_blendv_ps(minus1, frac, up));
    }
    if (i < n) {
        float *rest[4] = {vv + i, mm + i, hh + i, nn + i};
        model_input tail = {in->soma_i + i, in->soma_g + i, in->soma_ge + i, NULL, NULL, NULL};
        hh_kernel(rest, &tail, p, spike_frac + i, n - i);
    }
}
#endif

static void
hh_step(float *const var[], const model_input *in, const model_params *p,
        float *spike_frac, uint32_t n)
{
#if SIMD_X86
    switch (simd_active()) {
    case SIMD_AVX512:
        hh_step_avx512(var, in, p, spike_frac, n);
        return;
    case SIMD_AVX2:
        hh_step_avx2(var, in, p, spike_frac, n);
        return;
    default:
        break;
    }
#endif
    hh_kernel(var, in, p, spike_frac, n);
}

const model_desc model_hh = {
    .name = "hh",
    .n_vars = 4,
    /* one step per sample at 44.1 kHz, speed 1 */
    .dt_max_ms = 0.02268f,
    .soma_var = V,
    .dend_var = V,
    .slow_var = N,
    .two_compartment = 0,
    .to_mV_a = 1.0f,
    .to_mV_b = 0.0f,
    .audio_center = -60.0f,
    .audio_half_range = 50.0f,
    .init = hh_init,
    .step = hh_step,
    .table_floats = T_ROWS * TAB_STRIDE,
    .table_init = hh_table_init,
    .table_prepare = hh_table_prepare,
};
