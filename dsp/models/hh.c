/* hh.c — Hodgkin & Huxley 1952 squid axon, in NEURON's hh.mod convention
 * (rates in 1/ms, V in mV, EL = -54.3 mV; equations, parameters and
 * reference values in docs/science.md).
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

/* Gate tables. For every gate x in {m, h, n} and voltage V on a 0.05 mV grid
 * over [-120, 80] mV: the steady state x_inf(V) and the per-step relaxation
 * D(V) = 1 - exp(-phi dt (a + b)), so one step is x' = x + D (x_inf - x),
 * exactly exponential for fixed V. Values between grid points are linearly
 * interpolated (a nearest-entry table makes the f-I curve a staircase,
 * docs/science.md). At 0.05 mV the interpolation is within 6e-6 of the
 * direct formulas (relative; m_inf's tail, and at most 7e-7 absolute), far
 * below the scheme's own error (HH's rate is 1e-4 off at 48 kHz), and the
 * step's table is 256 KB: it stays in the level-2 cache, which the 0.01 mV
 * table of five times the size did not once noise spread the voltages. x_inf
 * and a + b do not depend on dt or phi and are built once, in double, at
 * create; D is rebuilt by hh_table_prepare when dt or phi changes: 3 x 4001
 * vectorised expm1 evaluations and a copy, real-time safe. Outside the grid
 * the edge entry is used.
 *
 * Layout: rows of a + b and of D per gate (SoA, for the vectorised rebuild),
 * then the table the step reads: one 64-byte line per grid point k, the
 * entry {m_inf, D_m, h_inf, D_h, n_inf, D_n, 0, 0} at k and its step to
 * k + 1 (entry(k + 1) - entry(k), the float difference interpolation between
 * the two entries takes), so one aligned load brings everything one neuron
 * needs and no load straddles two cache lines. */
#define TAB_V0 (-120.0f)
#define TAB_PER_MV 20.0f
#define TAB_N 4001u
#define TAB_STRIDE 4016u /* TAB_N rounded up to 16 floats: 64-byte aligned rows */
#define TAB_SHIFTER 12582912.0f /* 1.5 * 2^23 */
#define ENTRY 8u  /* floats of an entry; its step follows it */
#define LINE 16u  /* floats of a grid point's line: entry and step */

enum { T_S_M, T_S_H, T_S_N, T_D_M, T_D_H, T_D_N, T_ROWS };
enum { E_INF_M, E_D_M, E_INF_H, E_D_H, E_INF_N, E_D_N };
#define T_ENTRIES (T_ROWS * TAB_STRIDE)
#define T_FLOATS (T_ENTRIES + LINE * TAB_N)

static double
vtrap_d(double x, double y)
{
    double r = x / y;
    return fabs(r) < 1e-6 ? y * (1.0 - 0.5 * r) : x / expm1(r);
}

/* Each line's step to the next entry in columns a, b, c; the last line's
 * step is 0 (grid_index never interpolates from it). */
static void
hh_table_steps(float *e, uint32_t a, uint32_t b, uint32_t c)
{
    const uint32_t col[3] = {a, b, c};
    for (uint32_t k = 0; k < TAB_N; ++k)
        for (int j = 0; j < 3; ++j)
            e[LINE * k + ENTRY + col[j]] =
                k + 1 < TAB_N ? e[LINE * (k + 1) + col[j]] - e[LINE * k + col[j]] : 0.0f;
}

static void
hh_table_init(float *t)
{
    float *e = t + T_ENTRIES;
    for (uint32_t k = 0; k < TAB_N; ++k) {
        double v = (double)TAB_V0 + (double)k / (double)TAB_PER_MV;
        double am = 0.1 * vtrap_d(-(v + 40.0), 10.0), bm = 4.0 * exp(-(v + 65.0) / 18.0);
        double ah = 0.07 * exp(-(v + 65.0) / 20.0), bh = 1.0 / (1.0 + exp(-(v + 35.0) / 10.0));
        double an = 0.01 * vtrap_d(-(v + 55.0), 10.0), bn = 0.125 * exp(-(v + 65.0) / 80.0);
        e[LINE * k + E_INF_M] = (float)(am / (am + bm));
        e[LINE * k + E_INF_H] = (float)(ah / (ah + bh));
        e[LINE * k + E_INF_N] = (float)(an / (an + bn));
        t[T_S_M * TAB_STRIDE + k] = (float)(am + bm);
        t[T_S_H * TAB_STRIDE + k] = (float)(ah + bh);
        t[T_S_N * TAB_STRIDE + k] = (float)(an + bn);
    }
    hh_table_steps(e, E_INF_M, E_INF_H, E_INF_N);
}

SIMD_INLINE void
hh_prepare_loop(float *restrict d, const float *restrict s, float phi_dt)
{
    for (uint32_t k = 0; k < 3 * TAB_STRIDE; ++k)
        d[k] = -vm_expm1f(-phi_dt * s[k]);
}

SIMD_INLINE void
hh_prepare_kernel(float *t, float phi_dt)
{
    hh_prepare_loop(t + T_D_M * TAB_STRIDE, t + T_S_M * TAB_STRIDE, phi_dt);
}

SIMD_MULTIVERSION(hh_prepare_rows, hh_prepare_kernel, (float *t, float phi_dt), (t, phi_dt))

static void
hh_table_prepare(float *t, const model_params *p)
{
    hh_prepare_rows(p->isa, t, p->phi * p->dt_ms);
    float *e = t + T_ENTRIES;
    const float *dm = t + T_D_M * TAB_STRIDE, *dh = t + T_D_H * TAB_STRIDE,
                *dn = t + T_D_N * TAB_STRIDE;
    for (uint32_t k = 0; k < TAB_N; ++k) {
        e[LINE * k + E_D_M] = dm[k];
        e[LINE * k + E_D_H] = dh[k];
        e[LINE * k + E_D_N] = dn[k];
    }
    hh_table_steps(e, E_D_M, E_D_H, E_D_N);
}

/* Grid index and fraction for voltage v: k = floor(x), f = x - k, by the
 * 1.5*2^23 rounding trick rather than a float-to-int conversion; k is
 * clamped as an integer, so NaN or inf never index outside the table. */
SIMD_INLINE int32_t
grid_index(float v, float *f_out)
{
    float x = (v - TAB_V0) * TAB_PER_MV - 0.5f;
    float t_round = x + TAB_SHIFTER;
    int32_t k_raw = vm_bits_diff(t_round, TAB_SHIFTER);
    float f = x - (t_round - TAB_SHIFTER) + 0.5f; /* in [0, 1] */
    int32_t k = k_raw < 0 ? 0 : k_raw;
    k = k < (int32_t)TAB_N - 2 ? k : (int32_t)TAB_N - 2;
    f = k_raw < 0 ? 0.0f : f;
    f = k_raw > (int32_t)TAB_N - 2 ? 1.0f : f;
    *f_out = f;
    return k;
}

SIMD_INLINE float
lerp_entry(const float *restrict row, uint32_t col, float f)
{
    return row[col] + f * row[ENTRY + col];
}

/* Every array a restrict parameter: GCC keeps restrict through inlining
 * only for parameters. */
SIMD_INLINE void
hh_loop(float *restrict vv, float *restrict mm, float *restrict hh, float *restrict nn,
        const float *restrict soma_i, const float *restrict soma_g,
        const float *restrict soma_ge, const float *restrict e, float *restrict spike_frac,
        float c_dt, float theta, float g_na_max, float g_k_max, uint32_t n)
{
    /* the state, input and table arrays never overlap */
    SIMD_IVDEP
    for (uint32_t i = 0; i < n; ++i) {
        float v = vv[i];
        float f;
        const float *row = e + LINE * (uint32_t)grid_index(v, &f);
        float m0 = mm[i], h0 = hh[i], n0 = nn[i];
        float m = m0 + lerp_entry(row, E_D_M, f) * (lerp_entry(row, E_INF_M, f) - m0);
        float h = h0 + lerp_entry(row, E_D_H, f) * (lerp_entry(row, E_INF_H, f) - h0);
        float nk = n0 + lerp_entry(row, E_D_N, f) * (lerp_entry(row, E_INF_N, f) - n0);
        float g_na = g_na_max * m * m * m * h;
        float n2 = nk * nk;
        float g_k = g_k_max * n2 * n2;
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
    hh_loop(var[V], var[M], var[H], var[N], in->soma_i, in->soma_g, in->soma_ge,
            p->table + T_ENTRIES, spike_frac, C_M / p->dt_ms, p->threshold,
            G_NA * (1.0f - p->na_block), G_K * (1.0f - p->k_block), n);
}

/* A step of dt_ms rather than the tables' p->dt_ms (model.h step_at): the
 * same scheme, with each gate's relaxation D = 1 - exp(-phi dt (a + b))
 * computed from the tabulated a + b instead of read from the D rows. */
static void
hh_step_at(float *const var[], const model_input *in, const model_params *p, float dt_ms,
           float *spike_frac, uint32_t n)
{
    const float *e = p->table + T_ENTRIES;
    const float phi_dt = p->phi * dt_ms, c_dt = C_M / dt_ms;
    const float g_na_max = G_NA * (1.0f - p->na_block), g_k_max = G_K * (1.0f - p->k_block);
    for (uint32_t i = 0; i < n; ++i) {
        float v = var[V][i], f;
        uint32_t k = (uint32_t)grid_index(v, &f);
        const float *row = e + LINE * k;
        float s_m = p->table[T_S_M * TAB_STRIDE + k], s_h = p->table[T_S_H * TAB_STRIDE + k],
              s_n = p->table[T_S_N * TAB_STRIDE + k];
        s_m += f * (p->table[T_S_M * TAB_STRIDE + k + 1] - s_m);
        s_h += f * (p->table[T_S_H * TAB_STRIDE + k + 1] - s_h);
        s_n += f * (p->table[T_S_N * TAB_STRIDE + k + 1] - s_n);
        float m0 = var[M][i], h0 = var[H][i], n0 = var[N][i];
        float m = m0 - expm1f(-phi_dt * s_m) * (lerp_entry(row, E_INF_M, f) - m0);
        float h = h0 - expm1f(-phi_dt * s_h) * (lerp_entry(row, E_INF_H, f) - h0);
        float nk = n0 - expm1f(-phi_dt * s_n) * (lerp_entry(row, E_INF_N, f) - n0);
        float g_na = g_na_max * m * m * m * h;
        float n2 = nk * nk;
        float g_k = g_k_max * n2 * n2;
        float g = g_na + g_k + G_L + in->soma_g[i];
        float e_in = g_na * E_NA + g_k * E_K + G_L * E_L + in->soma_ge[i] + in->soma_i[i];
        float v_new = ((c_dt - 0.5f * g) * v + e_in) / (c_dt + 0.5f * g);
        var[M][i] = m;
        var[H][i] = h;
        var[N][i] = nk;
        var[V][i] = v_new;
        spike_frac[i] = model_crossing(v, v_new, p->threshold);
    }
}

#if SIMD_X86
/* The vector paths: the step is written once (hh_lanes.h) and compiled at
 * 16, 8 and 4 lanes. What differs per instruction set is how a vector's
 * table lines become columns: each neuron's line (entry and step, 64
 * bytes) is interpolated where it lies, entry + f * step on 8 floats at
 * once (the same float operations as on columns), and the vector's
 * interpolated rows are transposed in registers; gathering columns one
 * float at a time is slower.
 *
 * What a vector of neurons costs is mostly the core's load and shuffle
 * ports: the lines' offsets are read two to a load (hh_line), and each
 * neuron's fraction is broadcast by a load (on AVX-512 and AVX2 a load
 * port's work, where a permute from a register took a shuffle port's,
 * which the transposes fill). */
#include "../vec.h"

#include <immintrin.h>

/* Neuron j's table line; off[] is read two offsets to a 64-bit load */
static inline const float *
hh_line(const float *e, const int32_t *off, uint32_t j)
{
    uint64_t pair;
    memcpy(&pair, off + (j & ~1u), sizeof pair);
    return e + (uint32_t)(pair >> (32 * (j & 1)));
}

/* 16 neurons: rows of 8 interpolated floats, neurons j and j + 8 in the
 * two 256-bit halves of one register, turned into columns 0-5 by 8 x 8
 * transposes within the halves (8 inserts and 22 shuffles; the 16 lines
 * transposed before interpolating took 60 shuffles for 12 columns). */
SIMD_TARGET_AVX512 static inline void
hh_lerp_columns_avx512(const float *e, const int32_t *off, const float *f, vf16 col[6])
{
    __m256 row[16];
#pragma GCC unroll 16
    for (uint32_t j = 0; j < 16; ++j) {
        const float *line = hh_line(e, off, j);
        __m256 fj = _mm256_broadcast_ss(f + j);
        row[j] = _mm256_add_ps(_mm256_load_ps(line),
                               _mm256_mul_ps(fj, _mm256_load_ps(line + ENTRY)));
    }
    __m512 r[8], t[8], u[2][4];
    for (int j = 0; j < 8; ++j)
        r[j] = _mm512_insertf32x8(_mm512_castps256_ps512(row[j]), row[j + 8], 1);
    for (int j = 0; j < 4; ++j) {
        t[2 * j] = _mm512_unpacklo_ps(r[2 * j], r[2 * j + 1]);
        t[2 * j + 1] = _mm512_unpackhi_ps(r[2 * j], r[2 * j + 1]);
    }
    /* u[g][c]: in each 256-bit half, column c of rows 4g..4g+3 in its low
     * 128 bits and column c + 4 in its high */
    for (int g = 0; g < 2; ++g) {
        u[g][0] = _mm512_shuffle_ps(t[4 * g], t[4 * g + 2], 0x44);
        u[g][1] = _mm512_shuffle_ps(t[4 * g], t[4 * g + 2], 0xEE);
        u[g][2] = _mm512_shuffle_ps(t[4 * g + 1], t[4 * g + 3], 0x44);
        u[g][3] = _mm512_shuffle_ps(t[4 * g + 1], t[4 * g + 3], 0xEE);
    }
    /* columns 0-3: 128-bit quarters 0 and 2 of u[0][c], 1 and 3 from
     * u[1][c]'s 0 and 2; columns 4, 5: quarters 1 and 3 of u[1][c], 0 and
     * 2 from u[0][c]'s 1 and 3 */
    for (int c = 0; c < 4; ++c)
        col[c] = (vf16)_mm512_mask_shuffle_f32x4(u[0][c], 0xF0F0, u[1][c], u[1][c], 0x80);
    for (int c = 0; c < 2; ++c)
        col[4 + c] = (vf16)_mm512_mask_shuffle_f32x4(u[1][c], 0x0F0F, u[0][c], u[0][c], 0x31);
}

SIMD_TARGET_AVX512 static inline int
hh_any_avx512(vi16 mask)
{
    return _mm512_test_epi32_mask((__m512i)mask, (__m512i)mask) != 0;
}

/* 8 neurons: 8 interpolated rows, an 8 x 8 transpose, columns 0-5 kept */
SIMD_TARGET_AVX2 static inline void
hh_lerp_columns_avx2(const float *e, const int32_t *off, const float *f, vf8 col[6])
{
    __m256 r[8], t[8], u[8];
#pragma GCC unroll 8
    for (uint32_t j = 0; j < 8; ++j) {
        const float *line = hh_line(e, off, j);
        __m256 fj = _mm256_broadcast_ss(f + j);
        r[j] = _mm256_add_ps(_mm256_load_ps(line), _mm256_mul_ps(fj, _mm256_load_ps(line + ENTRY)));
    }
    for (int j = 0; j < 4; ++j) {
        t[2 * j] = _mm256_unpacklo_ps(r[2 * j], r[2 * j + 1]);
        t[2 * j + 1] = _mm256_unpackhi_ps(r[2 * j], r[2 * j + 1]);
    }
    for (int g = 0; g < 2; ++g) {
        u[4 * g + 0] = _mm256_shuffle_ps(t[4 * g], t[4 * g + 2], 0x44);
        u[4 * g + 1] = _mm256_shuffle_ps(t[4 * g], t[4 * g + 2], 0xEE);
        u[4 * g + 2] = _mm256_shuffle_ps(t[4 * g + 1], t[4 * g + 3], 0x44);
        u[4 * g + 3] = _mm256_shuffle_ps(t[4 * g + 1], t[4 * g + 3], 0xEE);
    }
    for (int c = 0; c < 4; ++c)
        col[c] = (vf8)_mm256_permute2f128_ps(u[c], u[4 + c], 0x20);
    col[4] = (vf8)_mm256_permute2f128_ps(u[0], u[4], 0x31);
    col[5] = (vf8)_mm256_permute2f128_ps(u[1], u[5], 0x31);
}

SIMD_TARGET_AVX2 static inline int
hh_any_avx2(vi8 mask)
{
    return _mm256_movemask_ps((__m256)mask) != 0;
}

/* 4 neurons, SSE2 (every x86-64): each row as two quads interpolated, a
 * 4 x 4 transpose of the first quads and half of one of the second
 * (columns 6-7 are padding) */
static inline void
hh_lerp_columns_sse2(const float *e, const int32_t *off, const float *f, vf4 col[6])
{
    const __m128 fv = _mm_load_ps(f);
    __m128 a[4], b[4];
    for (uint32_t j = 0; j < 4; ++j) {
        const float *line = hh_line(e, off, j);
        __m128 fj = j == 0   ? _mm_shuffle_ps(fv, fv, 0x00)
                    : j == 1 ? _mm_shuffle_ps(fv, fv, 0x55)
                    : j == 2 ? _mm_shuffle_ps(fv, fv, 0xAA)
                             : _mm_shuffle_ps(fv, fv, 0xFF);
        a[j] = _mm_add_ps(_mm_load_ps(line), _mm_mul_ps(fj, _mm_load_ps(line + ENTRY)));
        b[j] = _mm_add_ps(_mm_load_ps(line + 4), _mm_mul_ps(fj, _mm_load_ps(line + ENTRY + 4)));
    }
    _MM_TRANSPOSE4_PS(a[0], a[1], a[2], a[3]);
    for (int c = 0; c < 4; ++c)
        col[c] = a[c];
    __m128 t0 = _mm_unpacklo_ps(b[0], b[1]), t1 = _mm_unpacklo_ps(b[2], b[3]);
    col[4] = _mm_movelh_ps(t0, t1);
    col[5] = _mm_movehl_ps(t1, t0);
}

static inline int
hh_any_sse2(vi4 mask)
{
    return _mm_movemask_ps((__m128)mask) != 0;
}

/* neurons a block of hh_lanes.h's passes: 64 was slower, 128 to 2048 alike */
#ifndef HH_BLOCK
#define HH_BLOCK 128u
#endif

/* narrowest first: each path's last neurons step on the path below it */
#define HH_ISA sse2
#define HH_TARGET
#define HH_LANES 4
#define HH_TAIL(var, in, p, frac, n, quiet) hh_kernel(var, in, p, frac, n)
#include "hh_lanes.h"

#define HH_ISA avx2
#define HH_TARGET SIMD_TARGET_AVX2
#define HH_LANES 8
#define HH_TAIL hh_steps_sse2
#include "hh_lanes.h"

#define HH_ISA avx512
#define HH_TARGET SIMD_TARGET_AVX512
#define HH_LANES 16
#define HH_TAIL hh_steps_avx2
#include "hh_lanes.h"
#endif

static void
hh_step(float *const var[], const model_input *in, const model_params *p,
        float *spike_frac, uint32_t n)
{
#if SIMD_X86
    switch (p->isa) {
    case SIMD_AVX512:
        hh_step_avx512(var, in, p, spike_frac, n);
        return;
    case SIMD_AVX2:
        hh_step_avx2(var, in, p, spike_frac, n);
        return;
    default:
        hh_step_sse2(var, in, p, spike_frac, n);
        return;
    }
#endif
    hh_kernel(var, in, p, spike_frac, n);
}

const model_desc model_hh = {
    .n_vars = 4,
    .soma_var = V,
    .dend_var = V,
    .slow_var = N,
    .two_compartment = 0,
    .to_mV_a = 1.0f,
    .to_mV_b = 0.0f,
    .audio_center = -60.0f,
    .audio_half_range = 50.0f,
    .audio_tonic_rms = 0.477f,
    .init = hh_init,
    .step = hh_step,
    .table_floats = T_FLOATS,
    .table_init = hh_table_init,
    .table_prepare = hh_table_prepare,
    .step_at = hh_step_at,
};
