/* pinsky_rinzel.c — Pinsky & Rinzel 1994 two-compartment CA3 pyramidal cell
 * (J Comput Neurosci 1:39-60, erratum 2:275), in absolute mV: the paper's
 * rest-at-0 values shifted by -60. Equations, parameters and reference
 * burst periods: docs/science.md, "Pinsky-Rinzel".
 *
 * Soma: leak, fast Na (instantaneous activation m_inf(Vs)^2), delayed-rectifier K.
 * Dendrite: leak, Ca (s^2), Ca-activated K-AHP (q) and K-C (c * chi(Ca)).
 *
 * Integration: Ralston's third-order Runge-Kutta (three stages a step), the
 * cheapest scheme found that keeps the burst period well inside the test's
 * 0.5 %. The soma's rates (m_inf, h, n) are computed at every stage; the
 * dendrite's (s, c: its two exponentials, five divisions) once a step, at
 * the second stage's Vd (an estimate of Vd at t + dt/2, so s and c stay
 * second-order accurate) and held over the three stages: a quarter fewer
 * instructions a step than with every rate at every stage. Against the
 * dt = 0.002 ms double-precision references the burst period is within
 * 0.24 % at 40 (dt_max), 44.1, 48 and 96 kHz (worst case gc 2.1, Is 1 at
 * dt_max, 0.20 % at 44.1 kHz; every rate at every stage it was within
 * 0.075 %; tests/engine/test_pinsky_rinzel.c logs every period).
 *
 * Measured and not taken (burst periods against the same references):
 * one rate evaluation a step (the gates by Crank-Nicolson towards their
 * rates at a midpoint voltage, both voltages by Crank-Nicolson with the
 * coupling solved as a 2x2 system, m_inf at the midpoint) lags by 2.8 %
 * at 44.1 kHz (3.3 % at dt_max) with the midpoint extrapolated from the
 * last step's voltage, 1.0 % (1.2 %) with a half Euler step, in double
 * precision; the staggered exponential/Crank-Nicolson scheme of hh.c by
 * 0.7 % at 48 kHz, Heun by 0.9 % and the exponential midpoint rule by 1.8 %
 * at 44.1 kHz. Holding the soma's h and n rates as well (m_inf still at
 * every stage) is within 0.16 %, but only because two errors cancel
 * (holding h alone misses by 0.80 %, n alone by 0.75 %), and the burst
 * onsets then wander by 0.04 ms from burst to burst, 3 frames at 48 kHz
 * against a host's beat (tests/plugin/test_transport.c). Classic RK4 is
 * within 0.02 % but costs a third more per step than full RK3.
 *
 * The rates are computed, not tabulated: a gathered table value costs more
 * on the vector paths than the arithmetic below, where every exponential
 * is a power of one of three bases and m_inf takes a single division.
 * Against the formulas in double (-100..60 mV in 1 uV steps) the rates are
 * within 1e-5 relative, m_inf^2 and alpha_n within 1e-4 in the few mV
 * around their 0/0 points, where e^x - 1 cancels the powers' rounding.
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

/* The eight state variables, or their time derivatives. */
typedef struct {
    float v[8];
} pr_state;

/* The inputs of one neuron, gathered per step: Cm dVs/dt = is - gs Vs +
 * cs Vd - (channels), all divided by Cm; leak and coupling folded in. */
typedef struct {
    float is, gs, id, gd; /* per neuron */
    float cs, cd;         /* gc/(p Cm), gc/((1-p) Cm) */
    float na, kdr, kahp;  /* G_NA/Cm, G_KDR/Cm, G_KAHP/Cm after the drugs */
} pr_drive;

/* x / (e^(x/y) - 1) as num / den, given e = e^(x/y): the caller divides
 * (or folds the division into another). Near x = 0 (|x/y| < 0.2) the series
 * y (1 - r/2 + r^2/12), r = x/y, whose truncation is below 2.2e-6 relative
 * there; farther out e - 1 loses up to 5e-5 relative to cancellation of
 * e's error (the powers below). */
typedef struct {
    float num, den;
} pr_frac;

SIMD_INLINE pr_frac
pr_vtrap(float x, float inv_y, float y, float e)
{
    /* y (1 - r/2 + r^2/12) = y - x (1/2 - x / 12y) */
    float near = y - x * (0.5f - x * (inv_y * (1.0f / 12.0f)));
    int is_near = fabsf(x) < 0.2f * y;
    pr_frac f = {is_near ? near : x, is_near ? 1.0f : e - 1.0f};
    return f;
}

/* e^r for |r| <= 0.6 by the [4/4] Pade approximant P(r) / P(-r),
 * P(r) = 1 + r/2 + 3r^2/28 + r^3/84 + r^4/1680, whose error is below 5e-10
 * relative there: five multiplications and a division, where the Taylor
 * series to the same accuracy takes nine multiplications (and is slower
 * here, divisions being cheap next to a longer dependency chain). */
SIMD_INLINE float
pr_exp_small(float r)
{
    float z = r * r;
    float even = 1.0f + z * (3.0f / 28.0f + z * (1.0f / 1680.0f));
    float odd = r * (0.5f + z * (1.0f / 84.0f));
    return (even + odd) / (even - odd);
}

/* The rates' voltage range, [-150, 100] mV, as values GCC cannot fold
 * (0 * dt + constant, dt may be inf or NaN): with constant bounds it
 * specialises every value downstream for the clamped constants, a vector
 * select each (10 % slower). Computed once a step, not from each v (as 0 * v
 * + constant, which put a multiplication and an addition before every
 * clamp on the step's chain: 0.96x the kernel's time without them; the
 * same bits for every finite v, and an infinite v, whose bounds were NaN,
 * is now clamped too). */
typedef struct {
    float lo, hi;
} pr_bounds;

/* v clamped to b: one max and one min */
SIMD_INLINE float
pr_clamp(float v, pr_bounds b)
{
    v = v < b.lo ? b.lo : v;
    return v > b.hi ? b.hi : v;
}

/* Every exponential of V is a power of a base e^(V/K) with K = 250 and
 * 297 on the dendrite (0.072 = 18/250, 1/5 = 50/250; 1/27 = 11/297 and
 * 1/11 - 1/27 = 16/297) and 360 on the soma (1/4, 1/5, 1/18, 1/40 are 90,
 * 72, 20, 9 / 360, of e^(-V/360)). V is clamped to [-150, 100] mV for the rates only, so
 * each base argument is within 0.6 and no power or product overflows. A
 * power carries up to ~300 ulp (2e-5 relative) of its base's rounding. */

/* The powers of the soma's base that its rates use, at a clamped V. */
typedef struct {
    float v, b9, b20, b72, b90;
} pr_soma_base;

SIMD_INLINE pr_soma_base
pr_soma_powers(float vs, pr_bounds bd)
{
    float v = pr_clamp(vs, bd);
    float b = pr_exp_small(v * (-1.0f / 360.0f));
    float b2 = b * b, b4 = b2 * b2, b8 = b4 * b4, b9 = b8 * b;
    float b18 = b9 * b9, b20 = b18 * b2, b36 = b18 * b18, b72 = b36 * b36;
    pr_soma_base r = {v, b9, b20, b72, b72 * b18};
    return r;
}

/* m_inf = am / (am + bm), both fractions over one denominator and
 * divided by 0.32;
 * bm = 0.28 x2 / (e^(x2/5) - 1) = 0.28 x2 w / (1 - w), w = e^(-x2/5) */
SIMD_INLINE float
pr_m_inf(const pr_soma_base *b)
{
    const float v = b->v;
    pr_frac f1 = pr_vtrap(-46.9f - v, 0.25f, 4.0f, 8.089044036e-06f * b->b90); /* e^(x1/4) */
    float x2 = v + 19.9f, w = 1.868563934e-02f * b->b72;
    float near2 = 5.0f - x2 * (0.5f - x2 * (0.2f / 12.0f));
    int is_near2 = fabsf(x2) < 1.0f;
    float n2 = is_near2 ? near2 : x2 * w, d2 = is_near2 ? 1.0f : 1.0f - w;
    float am_n = f1.num * d2, bm_n = 0.875f * n2 * f1.den; /* 0.28 / 0.32 */
    return am_n / (am_n + bm_n);
}

/* A gate x' = a - k x: its opening rate a and a + b = k. */
typedef struct {
    float a, k;
} pr_gate;

/* The gates' rates at one stage (pr_loop). */
typedef struct {
    pr_gate h, n, s, c;
} pr_rates;

/* h's and n's rates */
SIMD_INLINE void
pr_soma_rates(const pr_soma_base *b, pr_rates *r)
{
    const float v = b->v;
    float ah = 1.174163856e-02f * b->b20; /* 0.128 e^((-43 - V)/18) */
    float bn = 9.196986029e-02f * b->b9;  /* 0.25 e^(-1 - V/40) */
    /* an = 0.016 vtrap(-24.9 - V, 5), bh = 4 / (1 + e^((-20 - V)/5)) */
    pr_frac f3 = pr_vtrap(-24.9f - v, 0.2f, 5.0f, 6.874062557e-03f * b->b72);
    float dbh = 1.0f + 1.831563889e-02f * b->b72;
    float an = 0.016f * f3.num / f3.den, bh = 4.0f / dbh;
    r->h.a = ah;
    r->h.k = ah + bh;
    r->n.a = an;
    r->n.k = an + bn;
}

/* s's rates at a clamped Vd, w_d */
SIMD_INLINE void
pr_s_rates(float w_d, pr_rates *r)
{
    float k = pr_exp_small(w_d * (1.0f / 250.0f)); /* e^(V/250) */
    float k2 = k * k, k4 = k2 * k2, k8 = k4 * k4, k16 = k8 * k8;
    float k18 = k16 * k2, k50 = k16 * k16 * k18;
    /* as = 1.6 / (1 + e^(-0.072 (V - 5))) = 1.6 k^18 / (k^18 + e^0.36) */
    float as = 1.6f * k18 / (k18 + 1.433329415e+00f);
    /* bs = 0.02 vtrap(V + 8.9, 5) */
    pr_frac fs = pr_vtrap(w_d + 8.9f, 0.2f, 5.0f, 5.929856419e+00f * k50);
    float bs = 0.02f * fs.num / fs.den;
    r->s.a = as;
    r->s.k = as + bs;
}

/* c's rates at Vd (w_d clamped) */
SIMD_INLINE void
pr_c_rates(float vd, float w_d, pr_rates *r)
{
    float g = pr_exp_small(w_d * (1.0f / 297.0f)); /* e^(V/297) */
    float g2 = g * g, g4 = g2 * g2, g8 = g4 * g4, g16 = g8 * g8;
    float ac_hi = 2.757296835e-01f / (g8 * g2 * g); /* 2 e^((-53.5 - V)/27) */
    float ac_lo = 6.844434455e-01f * g16; /* e^((V+50)/11 - (V+53.5)/27) / 18.975 */
    /* below -10 mV bc = ac_hi - ac_lo, above it bc = 0: ac + bc = ac_hi */
    r->c.a = vd <= -10.0f ? ac_lo : ac_hi;
    r->c.k = ac_hi;
}

/* The derivatives of the two voltages, q and Ca at x, with m_inf(Vs) = mi. */
SIMD_INLINE void
pr_rhs_v(const pr_state *x, const pr_drive *in, float mi, pr_state *d)
{
    const float vs = x->v[VS], vd = x->v[VD];
    const float ca = x->v[CA], q = x->v[Q], s = x->v[S];
    float aq = 2e-5f * ca < 0.01f ? 2e-5f * ca : 0.01f;
    float chi = ca * 0.004f < 1.0f ? ca * 0.004f : 1.0f;
    float i_ca = G_CA * s * s * (vd - E_CA);
    d->v[Q] = aq - (aq + 0.001f) * q;
    d->v[CA] = -0.13f * i_ca - 0.075f * ca;
    d->v[VD] = in->id - in->gd * vd + in->cd * vs - (1.0f / C_M) * i_ca -
               (in->kahp * q + (G_KC / C_M) * x->v[C] * chi) * (vd - E_K);
    d->v[VS] = in->is - in->gs * vs + in->cs * vd - in->na * mi * mi * x->v[H] * (vs - E_NA) -
               in->kdr * x->v[N] * (vs - E_K);
}

/* The gates' derivatives at x with one stage's rates. */
SIMD_INLINE void
pr_rhs_gates(const pr_state *x, const pr_rates *r, pr_state *d)
{
    d->v[H] = r->h.a - r->h.k * x->v[H];
    d->v[N] = r->n.a - r->n.k * x->v[N];
    d->v[S] = r->s.a - r->s.k * x->v[S];
    d->v[C] = r->c.a - r->c.k * x->v[C];
}

SIMD_INLINE pr_state
pr_axpy(const pr_state *x, float a, const pr_state *k)
{
    pr_state y;
    for (int j = 0; j < 8; ++j)
        y.v[j] = x->v[j] + a * k->v[j];
    return y;
}

/* A later stage's slope (the scheme's second and third): at the state a_dt
 * k along from x, with the soma's gates' rates at that state's Vs and the
 * dendrite's as given in r (pass 1 formed them once a step). */
SIMD_INLINE void
pr_stage(const pr_state *x, float a_dt, const pr_state *k, const pr_drive *d, pr_rates *r,
         pr_bounds bd, pr_state *out)
{
    pr_state xa = pr_axpy(x, a_dt, k);
    pr_soma_base b = pr_soma_powers(xa.v[VS], bd);
    pr_rhs_v(&xa, d, pr_m_inf(&b), out);
    pr_soma_rates(&b, r);
    pr_rhs_gates(&xa, r, out);
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

/* The step in three passes over a chunk of PR_CHUNK neurons, one
 * Runge-Kutta stage each, handing k1, k2, the inputs and the dendrite's
 * rates on through stack buffers (26 floats a neuron, 13 KB: the level-1
 * cache). One neuron's step is a chain of about 600 dependent vector
 * instructions, longer than the core's out-of-order window, which then
 * found little to run beside the chain's divisions and powers; a third of
 * it per iteration lets neighbouring iterations overlap. The same float
 * operations in the same order as one pass: the same bits. */
enum { PR_CHUNK = 128 };

SIMD_INLINE void
pr_loop(float *restrict vs, float *restrict vd, float *restrict hh, float *restrict nn,
        float *restrict ss, float *restrict cc, float *restrict qq, float *restrict ca,
        const float *restrict soma_i, const float *restrict soma_g,
        const float *restrict soma_ge, const float *restrict dend_i,
        const float *restrict dend_g, const float *restrict dend_ge,
        float *restrict spike_frac, float dt, float gc, float p_soma, float theta,
        float na, float kdr, float kahp, uint32_t n, const int quiet)
{
    const float inv_pc = 1.0f / (p_soma * C_M), inv_qc = 1.0f / ((1.0f - p_soma) * C_M);
    const float cs = gc * inv_pc, cd = gc * inv_qc, gl_el = G_L * E_L / C_M;
    const float gl_gc_s = G_L / C_M + cs, gl_gc_d = G_L / C_M + cd;
    const float zero = 0.0f * dt;
    const pr_bounds bd = {zero - 150.0f, zero + 100.0f};
    const float c1 = dt * (2.0f / 9.0f), c2 = dt * (1.0f / 3.0f), c3 = dt * (4.0f / 9.0f);
    /* quiet inputs (model_input's soma_g_uniform and dend_uniform): every
     * conductance input and the dendrite's current are one value for the
     * bank, so gs, id and gd are too (the same operations on the same
     * values, formed once); the somatic current alone is read per neuron */
    const float sg0 = quiet ? soma_g[0] : 0.0f, sge0 = quiet ? soma_ge[0] : 0.0f;
    const float gs_q = gl_gc_s + sg0 * inv_pc;
    const float id_q = quiet ? gl_el + (dend_i[0] + dend_ge[0]) * inv_qc : 0.0f;
    const float gd_q = quiet ? gl_gc_d + dend_g[0] * inv_qc : 0.0f;
    /* Passes 2 and 3 read back neuron i's drive, state and the dendrite's
     * rates as pass 1 left them (x, d, r) */
#define PR_KEPT_STAGE_INPUTS                                                               \
    const pr_drive d = {.is = is_buf[i],                                                   \
                        .gs = quiet ? gs_q : gs_buf[i],                                    \
                        .id = quiet ? id_q : id_buf[i],                                    \
                        .gd = quiet ? gd_q : gd_buf[i],                                    \
                        .cs = cs, .cd = cd, .na = na, .kdr = kdr, .kahp = kahp};           \
    const pr_state x = {{vs_[i], vd_[i], hh_[i], nn_[i], ss_[i], cc_[i], qq_[i], ca_[i]}}; \
    pr_rates r;                                                                            \
    r.s.a = sa_buf[i];                                                                     \
    r.s.k = sk_buf[i];                                                                     \
    r.c.a = ca_buf[i];                                                                     \
    r.c.k = ck_buf[i];
    /* k2; k1, then c1 k1 + c2 k2 (the final sum's first two terms) */
    float k_buf[8][PR_CHUNK], acc_buf[8][PR_CHUNK];
    float is_buf[PR_CHUNK], gs_buf[PR_CHUNK], id_buf[PR_CHUNK], gd_buf[PR_CHUNK];
    float sa_buf[PR_CHUNK], sk_buf[PR_CHUNK], ca_buf[PR_CHUNK], ck_buf[PR_CHUNK];
    for (uint32_t base = 0; base < n; base += PR_CHUNK) {
        const uint32_t m = n - base < PR_CHUNK ? n - base : PR_CHUNK;
        float *restrict vs_ = vs + base, *restrict vd_ = vd + base, *restrict hh_ = hh + base;
        float *restrict nn_ = nn + base, *restrict ss_ = ss + base, *restrict cc_ = cc + base;
        float *restrict qq_ = qq + base, *restrict ca_ = ca + base;
        float *restrict frac_ = spike_frac + base;
        const float *restrict si_ = soma_i + base, *restrict sg_ = soma_g + base;
        const float *restrict sge_ = soma_ge + base, *restrict di_ = dend_i + base;
        const float *restrict dg_ = dend_g + base, *restrict dge_ = dend_ge + base;
        /* pass 1: the inputs, k1 and the dendrite's rates */
        SIMD_IVDEP
        for (uint32_t i = 0; i < m; ++i) {
            pr_drive d = {
                .is = gl_el + (si_[i] + (quiet ? sge0 : sge_[i])) * inv_pc,
                .gs = quiet ? gs_q : gl_gc_s + sg_[i] * inv_pc,
                .id = quiet ? id_q : gl_el + (di_[i] + dge_[i]) * inv_qc,
                .gd = quiet ? gd_q : gl_gc_d + dg_[i] * inv_qc,
                .cs = cs, .cd = cd, .na = na, .kdr = kdr, .kahp = kahp,
            };
            is_buf[i] = d.is;
            if (!quiet) {
                gs_buf[i] = d.gs;
                id_buf[i] = d.id;
                gd_buf[i] = d.gd;
            }
            pr_state x = {{vs_[i], vd_[i], hh_[i], nn_[i], ss_[i], cc_[i], qq_[i], ca_[i]}};
            pr_state k1;
            pr_rates r;
            pr_soma_base b1 = pr_soma_powers(x.v[VS], bd);
            pr_rhs_v(&x, &d, pr_m_inf(&b1), &k1);
            pr_soma_rates(&b1, &r);
            /* the dendrite's gates' rates at the second stage's Vd */
            const float vd2 = x.v[VD] + 0.5f * dt * k1.v[VD], w_d2 = pr_clamp(vd2, bd);
            pr_s_rates(w_d2, &r);
            pr_c_rates(vd2, w_d2, &r);
            pr_rhs_gates(&x, &r, &k1);
            sa_buf[i] = r.s.a;
            sk_buf[i] = r.s.k;
            ca_buf[i] = r.c.a;
            ck_buf[i] = r.c.k;
            for (int j = 0; j < 8; ++j)
                acc_buf[j][i] = k1.v[j];
        }
        /* pass 2: k2, and c1 k1 + c2 k2 */
        SIMD_IVDEP
        for (uint32_t i = 0; i < m; ++i) {
            PR_KEPT_STAGE_INPUTS
            pr_state k1, k2;
            for (int j = 0; j < 8; ++j)
                k1.v[j] = acc_buf[j][i];
            pr_stage(&x, 0.5f * dt, &k1, &d, &r, bd, &k2);
            for (int j = 0; j < 8; ++j) {
                k_buf[j][i] = k2.v[j];
                acc_buf[j][i] = c1 * k1.v[j] + c2 * k2.v[j];
            }
        }
        /* pass 3: k3 and the new state */
        SIMD_IVDEP
        for (uint32_t i = 0; i < m; ++i) {
            PR_KEPT_STAGE_INPUTS
            pr_state k2, k3;
            for (int j = 0; j < 8; ++j)
                k2.v[j] = k_buf[j][i];
            pr_stage(&x, 0.75f * dt, &k2, &d, &r, bd, &k3);
            pr_state y;
            for (int j = 0; j < 8; ++j)
                y.v[j] = x.v[j] + (acc_buf[j][i] + c3 * k3.v[j]);
            vs_[i] = y.v[VS];
            vd_[i] = y.v[VD];
            hh_[i] = y.v[H];
            nn_[i] = y.v[N];
            ss_[i] = y.v[S];
            cc_[i] = y.v[C];
            qq_[i] = y.v[Q];
            ca_[i] = y.v[CA];
            /* model_crossing without the short-circuit, so it if-converts */
            float v0 = x.v[VS], v1 = y.v[VS];
            float frac = (theta - v0) / (v1 - v0);
            frac_[i] = ((v0 < theta) & (v1 >= theta)) ? frac : -1.0f;
        }
    }
#undef PR_KEPT_STAGE_INPUTS
}

SIMD_INLINE void
pr_kernel(float *const var[], const model_input *in, const model_params *p,
          float *spike_frac, uint32_t n)
{
#define PR_LOOP(quiet)                                                                     \
    pr_loop(var[VS], var[VD], var[H], var[N], var[S], var[C], var[Q], var[CA], in->soma_i,    \
            in->soma_g, in->soma_ge, in->dend_i, in->dend_g, in->dend_ge, spike_frac,        \
            p->dt_ms, p->pr_gc, p->pr_p, p->threshold, (G_NA / C_M) * (1.0f - p->na_block),  \
            (G_KDR / C_M) * (1.0f - p->k_block), (G_KAHP / C_M) * (1.0f - p->ahp_block), n,  \
            quiet)
    if (in->soma_g_uniform && in->dend_uniform && n)
        PR_LOOP(1);
    else
        PR_LOOP(0);
#undef PR_LOOP
}

/* SIMD_MULTIVERSION by hand, for a scheduling option: the step is a long
 * chain of dependent operations, and GCC's pre-allocation scheduler (off by
 * default on x86) interleaves its independent parts: 7-10 % faster on
 * every path. Watching register pressure, also with the 32 vector
 * registers of AVX-512 since the step runs in passes (pr_loop): 0.93x the
 * time without. */
#define PR_STEP_PARAMS                                                                  \
    (float *const var[], const model_input *in, const model_params *p, float *spike_frac, \
     uint32_t n)

#if !defined(__clang__) /* GCC's scheduling options; clang has no such pragma */
#pragma GCC push_options
#pragma GCC optimize("schedule-insns", "sched-pressure")
#endif
SIMD_TARGET_AVX512 static void pr_step_avx512 PR_STEP_PARAMS
{
    pr_kernel(var, in, p, spike_frac, n);
}

SIMD_TARGET_AVX2 static void pr_step_avx2 PR_STEP_PARAMS
{
    pr_kernel(var, in, p, spike_frac, n);
}

static void pr_step_scalar PR_STEP_PARAMS
{
    pr_kernel(var, in, p, spike_frac, n);
}
#if !defined(__clang__)
#pragma GCC pop_options
#endif

static void pr_step PR_STEP_PARAMS
{
    switch (p->isa) {
    case SIMD_AVX512: pr_step_avx512(var, in, p, spike_frac, n); break;
    case SIMD_AVX2: pr_step_avx2(var, in, p, spike_frac, n); break;
    default: pr_step_scalar(var, in, p, spike_frac, n); break;
    }
}

const model_desc model_pinsky_rinzel = {
    .n_vars = 8,
    .soma_var = VS,
    .dend_var = VD,
    .slow_var = CA,
    .two_compartment = 1,
    .to_mV_a = 1.0f,
    .to_mV_b = 0.0f,
    .audio_center = -55.0f,
    .audio_half_range = 50.0f,
    /* RK3 needs g dt / (Cm (1 - p)) < 2.5 on the dendrite (the smaller
     * compartment at p = 0.9: 0.3 uF/cm2); 10 mS/cm2 at dt_max is 0.83 */
    .g_limit = 10.0f,
    .audio_tonic_rms = 0.26f,
    .init = pr_init,
    .step = pr_step,
};
