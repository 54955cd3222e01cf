/* pinsky_rinzel.c — Pinsky & Rinzel 1994 two-compartment CA3 pyramidal cell
 * (J Comput Neurosci 1:39, erratum 2:275), in absolute mV (the paper's values
 * shifted by -60; reference/models.md).
 *
 * Soma: leak, fast Na (instantaneous activation m_inf(Vs)^2), delayed-rectifier K.
 * Dendrite: leak, Ca (s^2), Ca-activated K-AHP (q) and K-C (c * chi(Ca)).
 * Integration: classic RK4. The staggered exponential/Crank-Nicolson scheme
 * of hh.c lags here (m_inf is instantaneous and Ca feeds back through q and
 * chi) and missed the burst period by 0.7 % at 48 kHz; RK4 at dt <= 0.025 ms
 * is within 0.02 % of a dt = 0.002 ms double-precision reference.
 * The somatic rates share one exponential (e^(-V/4), e^(-V/5) are powers of
 * e^(-V/40)) and each vtrap is returned as numerator and denominator, so
 * m_inf costs one division.
 */
#include "model.h"

#include "../simd.h"
#include "../vmath.h"

#include <math.h>

enum { VS, VD, H, N, S, C, Q, CA };

#define C_M 3.0f
#define G_L 0.1f
#define G_NA 30.0f
#define G_KDR 15.0f
#define G_CA 10.0f
#define G_KAHP 0.8f
#define G_KC 15.0f
#define E_NA 60.0f
#define E_CA 80.0f
#define E_K (-75.0f)
#define E_L (-60.0f)

/* Right-hand side of the eight equations. */
typedef struct {
    float v[8];
} pr_state;

typedef struct {
    float is, gs, gse, id, gd, gde; /* inputs, already divided by p and 1-p */
    float cs, cd;                   /* gc/p, gc/(1-p) */
} pr_drive;

/* x / (e^(x/y) - 1) as num / den, given e = e^(x/y): the caller divides
 * (or folds the division into another). Near x = 0 (|x/y| < 0.2) the series
 * y (1 - r/2 + r^2/12 - r^4/720), r = x/y, whose truncation is below 3e-9
 * there; farther out e - 1 loses at most 1e-5 relative to cancellation. */
typedef struct {
    float num, den;
} pr_frac;

SIMD_INLINE pr_frac
pr_vtrap(float x, float inv_y, float y, float e)
{
    float r = x * inv_y, r2 = r * r;
    float near = y * (1.0f - 0.5f * r + r2 * (1.0f / 12.0f - r2 * (1.0f / 720.0f)));
    int is_near = fabsf(r) < 0.2f;
    pr_frac f = {is_near ? near : x, is_near ? 1.0f : e - 1.0f};
    return f;
}

SIMD_INLINE float
pr_clamp(float v)
{
    v = v < -150.0f ? -150.0f : v;
    return v > 100.0f ? 100.0f : v;
}

SIMD_INLINE pr_state
pr_rhs(const pr_state *x, const pr_drive *in)
{
    const float vs = x->v[VS], vd = x->v[VD], h = x->v[H], n = x->v[N], s = x->v[S],
                c = x->v[C], q = x->v[Q], ca = x->v[CA];
    /* Somatic rates from two exponentials: u = e^(-V/40); e^(-V/5) = u^8 and
     * e^(-V/4) = u^10. V clamped to [-150, 100] mV for the rates only, so no
     * product below overflows. */
    float v = pr_clamp(vs);
    float u = vm_expf(-0.025f * v);
    float u2 = u * u, u4 = u2 * u2, u8 = u4 * u4, u10 = u8 * u2;
    float x1 = -46.9f - v, x2 = v + 19.9f, x3 = -24.9f - v;
    float n2, d2;
    pr_frac f1 = pr_vtrap(x1, 0.25f, 4.0f, 8.0890440e-6f * u10); /* e^(-46.9/4) */
    float n1 = f1.num, d1 = f1.den;
    /* bm = 0.28 x2 / (e^(x2/5) - 1) = 0.28 x2 w / (1 - w), w = e^(-x2/5) */
    {
        float w = 1.8685639e-2f * u8;                               /* e^(-3.98) */
        float r = x2 * 0.2f, r2 = r * r;
        float near = 5.0f * (1.0f - 0.5f * r + r2 * (1.0f / 12.0f - r2 * (1.0f / 720.0f)));
        int is_near = fabsf(r) < 0.2f;
        n2 = is_near ? near : x2 * w;
        d2 = is_near ? 1.0f : 1.0f - w;
    }
    pr_frac f3 = pr_vtrap(x3, 0.2f, 5.0f, 6.8740626e-3f * u8); /* e^(-4.98) */
    float n3 = f3.num, d3 = f3.den;
    float am_n = 0.32f * n1 * d2, bm_n = 0.28f * n2 * d1;
    float mi = am_n / (am_n + bm_n);
    float an = 0.016f * n3 / d3;
    float bn = 0.25f * 0.36787944f * u;
    float ah = 0.128f * vm_expf((-43.0f - v) * (1.0f / 18.0f));
    float bh = 4.0f / (1.0f + 1.8315639e-2f * u8);                /* e^(-4) */

    float w_d = pr_clamp(vd);
    float as = 1.6f / (1.0f + vm_expf(-0.072f * (w_d - 5.0f)));
    float xs = w_d + 8.9f;
    pr_frac fs = pr_vtrap(xs, 0.2f, 5.0f, vm_expf(xs * 0.2f));
    float bs = 0.02f * fs.num / fs.den;
    float ac_hi = 2.0f * vm_expf((-53.5f - w_d) * (1.0f / 27.0f));
    float ac_lo = vm_expf((w_d + 50.0f) * (1.0f / 11.0f)) * ac_hi * (1.0f / 37.95f);
    int low = vd <= -10.0f;
    float ac = low ? ac_lo : ac_hi;
    float bc = low ? ac_hi - ac_lo : 0.0f;
    float aq = 2e-5f * ca < 0.01f ? 2e-5f * ca : 0.01f;
    float chi = ca * 0.004f < 1.0f ? ca * 0.004f : 1.0f;
    float i_ca = G_CA * s * s * (vd - E_CA);

    pr_state d;
    d.v[VS] = (-G_L * (vs - E_L) - G_NA * mi * mi * h * (vs - E_NA) - G_KDR * n * (vs - E_K) +
               in->cs * (vd - vs) + in->is + in->gse - in->gs * vs) *
              (1.0f / C_M);
    d.v[VD] = (-G_L * (vd - E_L) - i_ca - (G_KAHP * q + G_KC * c * chi) * (vd - E_K) +
               in->cd * (vs - vd) + in->id + in->gde - in->gd * vd) *
              (1.0f / C_M);
    d.v[H] = ah - (ah + bh) * h;
    d.v[N] = an - (an + bn) * n;
    d.v[S] = as - (as + bs) * s;
    d.v[C] = ac - (ac + bc) * c;
    d.v[Q] = aq - (aq + 0.001f) * q;
    d.v[CA] = -0.13f * i_ca - 0.075f * ca;
    return d;
}

SIMD_INLINE pr_state
pr_axpy(const pr_state *x, float a, const pr_state *k)
{
    pr_state y;
    for (int j = 0; j < 8; ++j)
        y.v[j] = x->v[j] + a * k->v[j];
    return y;
}

static void
pr_init(float *const var[], uint32_t begin, uint32_t end, const model_params *p)
{
    (void)p;
    for (uint32_t i = begin; i < end; ++i) {
        var[VS][i] = E_L;
        var[VD][i] = E_L;
        var[H][i] = var[N][i] = var[S][i] = var[C][i] = var[Q][i] = var[CA][i] = 0.0f;
    }
}

SIMD_INLINE void
pr_loop(float *restrict vs, float *restrict vd, float *restrict hh, float *restrict nn,
        float *restrict ss, float *restrict cc, float *restrict qq, float *restrict ca,
        const float *restrict soma_i, const float *restrict soma_g,
        const float *restrict soma_ge, const float *restrict dend_i,
        const float *restrict dend_g, const float *restrict dend_ge,
        float *restrict spike_frac, float dt, float gc, float p_soma, float theta, uint32_t n)
{
    const float inv_p = 1.0f / p_soma, inv_q = 1.0f / (1.0f - p_soma);
#pragma GCC ivdep
    for (uint32_t i = 0; i < n; ++i) {
        pr_drive d = {
            .is = soma_i[i] * inv_p, .gs = soma_g[i] * inv_p, .gse = soma_ge[i] * inv_p,
            .id = dend_i[i] * inv_q, .gd = dend_g[i] * inv_q, .gde = dend_ge[i] * inv_q,
            .cs = gc * inv_p, .cd = gc * inv_q,
        };
        pr_state x = {{vs[i], vd[i], hh[i], nn[i], ss[i], cc[i], qq[i], ca[i]}};
        pr_state k1 = pr_rhs(&x, &d);
        pr_state x2 = pr_axpy(&x, 0.5f * dt, &k1);
        pr_state k2 = pr_rhs(&x2, &d);
        pr_state x3 = pr_axpy(&x, 0.5f * dt, &k2);
        pr_state k3 = pr_rhs(&x3, &d);
        pr_state x4 = pr_axpy(&x, dt, &k3);
        pr_state k4 = pr_rhs(&x4, &d);
        pr_state y;
        for (int j = 0; j < 8; ++j)
            y.v[j] = x.v[j] + dt / 6.0f * (k1.v[j] + 2.0f * (k2.v[j] + k3.v[j]) + k4.v[j]);
        vs[i] = y.v[VS];
        vd[i] = y.v[VD];
        hh[i] = y.v[H];
        nn[i] = y.v[N];
        ss[i] = y.v[S];
        cc[i] = y.v[C];
        qq[i] = y.v[Q];
        ca[i] = y.v[CA];
        /* model_crossing without the short-circuit, so it if-converts */
        float v0 = x.v[VS], v1 = y.v[VS];
        float frac = (theta - v0) / (v1 - v0);
        spike_frac[i] = ((v0 < theta) & (v1 >= theta)) ? frac : -1.0f;
    }
}

SIMD_INLINE void
pr_kernel(float *const var[], const model_input *in, const model_params *p,
          float *spike_frac, uint32_t n)
{
    pr_loop(var[VS], var[VD], var[H], var[N], var[S], var[C], var[Q], var[CA], in->soma_i,
            in->soma_g, in->soma_ge, in->dend_i, in->dend_g, in->dend_ge, spike_frac,
            p->dt_ms, p->pr_gc, p->pr_p, p->threshold, n);
}

SIMD_MULTIVERSION(pr_step, pr_kernel,
                  (float *const var[], const model_input *in, const model_params *p,
                   float *spike_frac, uint32_t n),
                  (var, in, p, spike_frac, n))

const model_desc model_pinsky_rinzel = {
    .name = "pinsky_rinzel",
    .n_vars = 8,
    .dt_max_ms = 0.025f,
    .soma_var = VS,
    .dend_var = VD,
    .slow_var = CA,
    .two_compartment = 1,
    .to_mV_a = 1.0f,
    .to_mV_b = 0.0f,
    .audio_center = -55.0f,
    .audio_half_range = 50.0f,
    .init = pr_init,
    .step = pr_step,
};
