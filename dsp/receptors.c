/* receptors.c — see receptors.h. */
#include "receptors.h"

#include "all_zero.h"
#include "simd.h"
#include "vec.h"
#include "vmath.h"
#include "zeroed.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* 1 / peak of exp(-t/decay) - exp(-t/rise): the factor that makes a dual
 * exponential's peak its weight. */
static float
dual_exp_norm(float rise, float decay)
{
    double tp = (double)rise * decay / ((double)decay - rise) * log((double)decay / rise);
    return (float)(1.0 / (exp(-tp / decay) - exp(-tp / rise)));
}

void
receptors_configure(receptors_config *c, float dt_ms, float nmda_ratio, float mg_mM,
                    float ap5, float bicuculline, float benzodiazepine, float w_unit,
                    float to_mV_a, float to_mV_b, float g_max)
{
    c->g_max = g_max;
    c->one_branch = 0; /* the caller's to set (it knows the dendrite) */
    const double dt = dt_ms;
    c->nmda_ratio = nmda_ratio;
    c->mg_mM = mg_mM;
    c->nmda_scale = 1.0f - ap5;
    c->gabaa_scale = (1.0f - bicuculline) * benzodiazepine;
    c->w_unit = w_unit;
    c->to_mV_a = to_mV_a;
    c->to_mV_b = to_mV_b;
    const double e_r = exp(-dt / RECEPTOR_AMPA_RISE_MS), e_f = exp(-dt / RECEPTOR_GLU_FAST_MS),
                 e_s = exp(-dt / RECEPTOR_NMDA_DECAY_MS);
    c->glu_rise = (float)e_r;
    c->glu_fast = (float)e_f;
    c->glu_slow = (float)e_s;
    c->glu_fast_from_x = (float)(e_f - e_r);
    c->glu_slow_from_fast = (float)(e_s - e_f);
    c->ampa_norm = dual_exp_norm(RECEPTOR_AMPA_RISE_MS, RECEPTOR_AMPA_DECAY_MS);
    c->nmda_norm = dual_exp_norm(RECEPTOR_NMDA_RISE_MS, RECEPTOR_NMDA_DECAY_MS);
    const double g_r = exp(-dt / RECEPTOR_GABAA_RISE_MS), g_d = exp(-dt / RECEPTOR_GABAA_DECAY_MS);
    c->gabaa_rise = (float)g_r;
    c->gabaa_decay = (float)g_d;
    c->gabaa_from_x = (float)(g_d - g_r);
    c->gabaa_norm = dual_exp_norm(RECEPTOR_GABAA_RISE_MS, RECEPTOR_GABAA_DECAY_MS);
    c->gabab_release = (float)(-expm1(-(double)GABAB_K1 * GABAB_T_MM * GABAB_PULSE_MS));
    const double e2 = exp(-(double)GABAB_K2 * dt), e4 = exp(-(double)GABAB_K4 * dt);
    c->gabab_r_decay = (float)e2;
    c->gabab_g_decay = (float)e4;
    c->gabab_g_from_r = (float)((double)GABAB_K3 * (e2 - e4) / ((double)GABAB_K4 - GABAB_K2));
    c->gabab_gmax = GABAB_GMAX_PER_W * w_unit;
    c->gabab_log_free_per_w = w_unit > 0.0f ? logf(1.0f - c->gabab_release) / w_unit : 0.0f;
}

enum { N_STATE = RECEPTORS_STATE_ARRAYS, N_ARRAYS = N_STATE + 2 };

/* Every array, the state first (in the order state files keep). */
static void
arrays(receptors *r, float **out[N_ARRAYS])
{
    float **list[N_ARRAYS] = {
        &r->glu_x[0],  &r->glu_x[1],   &r->glu_fast[0], &r->glu_fast[1],
        &r->glu_slow[0], &r->glu_slow[1], &r->pending_gaba, &r->gaba_x,
        &r->gabaa,     &r->gabab_r,    &r->gabab_g,     &r->out_glu[0],
        &r->out_glu[1],
    };
    memcpy(out, list, sizeof list);
}

unsigned
receptors_state_arrays(receptors *r, float *out[RECEPTORS_STATE_ARRAYS])
{
    float **list[N_ARRAYS];
    arrays(r, list);
    for (int k = 0; k < N_STATE; ++k)
        out[k] = *list[k];
    return N_STATE;
}

receptors *
receptors_create(uint32_t capacity, int touch)
{
    receptors *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->capacity = (capacity + 15u) & ~15u;
    size_t bytes = ((size_t)r->capacity * sizeof(float) + 63u) & ~(size_t)63u;
    float **list[N_ARRAYS];
    arrays(r, list);
    for (int k = 0; k < N_ARRAYS; ++k) {
        *list[k] = zeroed_alloc(bytes, touch);
        if (!*list[k]) {
            receptors_destroy(r);
            return NULL;
        }
    }
    return r;
}

void
receptors_destroy(receptors *r)
{
    if (!r)
        return;
    float **list[N_ARRAYS];
    arrays(r, list);
    for (int k = 0; k < N_ARRAYS; ++k)
        zeroed_free(*list[k]);
    free(r);
}

void
receptors_clear(receptors *r, uint32_t begin, uint32_t end)
{
    if (end > r->capacity)
        end = r->capacity;
    if (begin >= end)
        return;
    float **list[N_ARRAYS];
    arrays(r, list);
    for (int k = 0; k < N_ARRAYS; ++k)
        memset(*list[k] + begin, 0, (end - begin) * sizeof(float));
}

void
receptors_copy(receptors *to, const receptors *from, uint32_t begin, uint32_t end)
{
    if (end > to->capacity)
        end = to->capacity;
    if (end > from->capacity)
        end = from->capacity;
    if (begin >= end)
        return;
    float **dst[N_ARRAYS], **src[N_ARRAYS];
    arrays(to, dst);
    arrays((receptors *)from, src);
    for (int k = 0; k < N_ARRAYS; ++k)
        memcpy(*dst[k] + begin, *src[k] + begin, (end - begin) * sizeof(float));
    to->one_branch = from->one_branch; /* how the copied state is kept */
    to->live = 1; /* the step looks again whether it is all zero */
    to->quiet = 0;
}

/* Both branches' glutamate receptors: conductance out (AMPA linear, NMDA
 * through the Mg2+ block at v_mV), state advanced. The branches sit on one
 * compartment, so the block (an exponential and a division) is computed
 * once for both. */
typedef struct {
    float *x, *f, *s, *g;
} glu_branch;

/* One branch's receptors at block `block` (computed once for both
 * branches: they sit on one compartment): conductance out, state advanced. */
SIMD_INLINE float
glu_branch_step(float *restrict x0, float *restrict f0, float *restrict s0, float block,
                float an, float nn, float er, float ef, float es, float f_x, float s_f,
                float g_max)
{
    const float x = *x0, f = *f0, s = *s0;
    const float gg = an * f + nn * s * block;
    *x0 = er * x;
    *f0 = ef * f + f_x * x;
    *s0 = es * s + s_f * (f + x);
    return gg < g_max ? gg : g_max;
}

SIMD_INLINE void
glu_loop(const glu_branch *b0, const glu_branch *b1, const float *restrict v,
         const receptors_config *c, uint32_t n, int both)
{
    float *restrict x0 = b0->x, *restrict f0 = b0->f, *restrict s0 = b0->s,
                    *restrict g0 = b0->g;
    float *restrict x1 = b1->x, *restrict f1 = b1->f, *restrict s1 = b1->s,
                    *restrict g1 = b1->g;
    const float an = c->ampa_norm, nn = c->nmda_norm * c->nmda_ratio * c->nmda_scale;
    const float er = c->glu_rise, ef = c->glu_fast, es = c->glu_slow;
    const float f_x = c->glu_fast_from_x, s_f = c->glu_slow_from_fast;
    const float ta = c->to_mV_a, tb = c->to_mV_b, mg = c->mg_mM * (1.0f / 3.57f);
    /* one branch carrying both: saturating where the two would together */
    const float g_max = c->g_max, g_max0 = both ? g_max : 2.0f * g_max;
    SIMD_IVDEP
    for (uint32_t i = 0; i < n; ++i) {
        /* Jahr & Stevens 1990, as dendrite_nmda_block */
        const float vm = ta * v[i] + tb;
        const float block = 1.0f / (1.0f + vm_expf(-0.062f * vm) * mg);
        g0[i] = glu_branch_step(&x0[i], &f0[i], &s0[i], block, an, nn, er, ef, es, f_x, s_f,
                                g_max0);
        if (both)
            g1[i] = glu_branch_step(&x1[i], &f1[i], &s1[i], block, an, nn, er, ef, es, f_x,
                                    s_f, g_max);
    }
}

typedef struct {
    receptors *r;
    const receptors_config *c;
    const float *v;
    uint32_t base;
} glu_args;

SIMD_INLINE void
glu_kernel(const glu_args *a, uint32_t len)
{
    receptors *r = a->r;
    const uint32_t b0 = a->base;
    glu_branch br[2];
    for (int k = 0; k < 2; ++k)
        br[k] = (glu_branch){r->glu_x[k] + b0, r->glu_fast[k] + b0, r->glu_slow[k] + b0,
                             r->out_glu[k] + b0};
    if (a->c->one_branch)
        glu_loop(&br[0], &br[1], a->v, a->c, len, 0);
    else
        glu_loop(&br[0], &br[1], a->v, a->c, len, 1);
}

SIMD_MULTIVERSION(glu_on, glu_kernel, (const glu_args *a, uint32_t len), (a, len))

void
receptors_glu_step(receptors *r, const receptors_config *c, const float *v_branch,
                   uint32_t base, uint32_t len, simd_isa isa)
{
    glu_args a = {r, c, v_branch, base};
    glu_on(isa, &a, len);
}

void
receptors_set_branches(receptors *r, const receptors_config *c, uint32_t n)
{
    if (r->one_branch == c->one_branch)
        return;
    r->one_branch = c->one_branch;
    if (!r->one_branch)
        return; /* branch 1 starts empty (it is all zero) */
    float *const from[3] = {r->glu_x[1], r->glu_fast[1], r->glu_slow[1]};
    float *const to[3] = {r->glu_x[0], r->glu_fast[0], r->glu_slow[0]};
    for (int k = 0; k < 3; ++k)
        for (uint32_t i = 0; i < n; ++i) {
            to[k][i] += from[k][i];
            from[k][i] = 0.0f;
        }
    memset(r->out_glu[1], 0, (size_t)r->capacity * sizeof(float));
}

/* GABA-A + GABA-B of neurons [0, n) added to the soma's g and g E; the
 * state advanced. With `arrivals`, the GABA that arrived since the last
 * step joins the state first: GABA-A's weight, and GABA-B's release (w /
 * w_unit releases: 1 - R -> (1 - R)(1 - release)^(w / w_unit)); without,
 * every pending weight is zero. */
typedef struct {
    float *restrict pend, *restrict xg, *restrict ag, *restrict rr, *restrict gg;
    float *restrict g, *restrict ge;
} gaba_arrays;

/* The per-step constants, copied once a step rather than read from the
 * configuration for every block (a block's stores could alias it). */
typedef struct {
    float an, er, ed, a_x, per_w, r_decay, g_decay, g_from_r, gmax, g_max;
} gaba_consts;

SIMD_INLINE void
gaba_block(gaba_arrays p, gaba_consts k, uint32_t at, uint32_t n, int arrivals)
{
    float *restrict pend = p.pend + at, *restrict xg = p.xg + at, *restrict ag = p.ag + at,
                    *restrict rr = p.rr + at, *restrict gg = p.gg + at, *restrict g = p.g + at,
                    *restrict ge = p.ge + at;
    SIMD_IVDEP
    for (uint32_t i = 0; i < n; ++i) {
        float x = xg[i], r = rr[i];
        if (arrivals) {
            const float w = pend[i];
            pend[i] = 0.0f;
            x += w;
            const float released = 1.0f - (1.0f - r) * vm_expf(k.per_w * w);
            r = w != 0.0f ? released : r;
        }
        float a = ag[i], gp = gg[i];
        float g2 = gp * gp, g4 = g2 * g2;
        float ga = k.an * a, gb = k.gmax * g4 / (g4 + GABAB_KD);
        float sum = ga + gb;
        float s = sum > k.g_max ? k.g_max / sum : 1.0f;
        g[i] += s * sum;
        ge[i] += s * (ga * RECEPTOR_E_GABAA_MV + gb * RECEPTOR_E_GABAB_MV);
        xg[i] = k.er * x;
        ag[i] = k.ed * a + k.a_x * x;
        gg[i] = gp * k.g_decay + r * k.g_from_r;
        rr[i] = r * k.r_decay;
    }
}

#define GABA_BLOCK 16u

/* Whether any of a vector's sixteen lanes is set: its halves ORed down to
 * four lanes, then those. By pointer: a 64-byte vector passed by value
 * draws GCC's note on that ABI (changed in GCC 4.6) in every build, though
 * the call is always inlined. */
SIMD_INLINE int
any16(const vu16 *x)
{
    vu8 lo8, hi8;
    memcpy(&lo8, x, sizeof lo8);
    memcpy(&hi8, (const char *)x + sizeof lo8, sizeof hi8);
    lo8 |= hi8;
    vu4 lo4, hi4;
    memcpy(&lo4, &lo8, sizeof lo4);
    memcpy(&hi4, (const char *)&lo8 + sizeof lo4, sizeof hi4);
    lo4 |= hi4;
    return (lo4[0] | lo4[1] | lo4[2] | lo4[3]) != 0;
}

/* A whole block of GABA_BLOCK neurons as one vf16 (an AVX-512 vector, two
 * AVX2 or four SSE2 ones): gaba_block's operations in its order, with the
 * two tests it needs made once for the block, on vectors (the scalar test
 * of the pending weights, sixteen loads and ORs, was a sixth of the pass's
 * samples in the learning network's perf profile). With no arrival the
 * release is skipped, as in gaba_block; with no lane above g_max (GABA's
 * saturation bound, which a healthy bank seldom reaches) its division is:
 * s = 1 there and s x is x, so the bits are those of the select. */
SIMD_INLINE void
gaba_block16(gaba_arrays p, gaba_consts k, uint32_t at)
{
    vu16 pend_bits = VEC_LOAD(vu16, p.pend + at) << 1; /* -0.0 counts as zero */
    if (any16(&pend_bits)) {
        /* the arrivals into x and r (gaba_block's first lines, in place) */
        float *restrict pend = p.pend + at, *restrict xg = p.xg + at, *restrict rr = p.rr + at;
        SIMD_IVDEP
        for (uint32_t i = 0; i < GABA_BLOCK; ++i) {
            const float w = pend[i], r = rr[i];
            pend[i] = 0.0f;
            xg[i] += w;
            const float released = 1.0f - (1.0f - r) * vm_expf(k.per_w * w);
            rr[i] = w != 0.0f ? released : r;
        }
    }
    const vf16 x = VEC_LOAD(vf16, p.xg + at), r = VEC_LOAD(vf16, p.rr + at);
    const vf16 a = VEC_LOAD(vf16, p.ag + at), gp = VEC_LOAD(vf16, p.gg + at);
    const vf16 g2 = gp * gp, g4 = g2 * g2;
    const vf16 ga = k.an * a, gb = k.gmax * g4 / (g4 + GABAB_KD);
    const vf16 sum = ga + gb;
    const vi16 over = sum > k.g_max;
    vf16 g = VEC_LOAD(vf16, p.g + at), ge = VEC_LOAD(vf16, p.ge + at);
    const vu16 over_bits = (vu16)over;
    if (any16(&over_bits)) {
        const vf16 s = VEC_SELECT(vi16, over, k.g_max / sum, (vf16){0} + 1.0f);
        g += s * sum;
        ge += s * (ga * RECEPTOR_E_GABAA_MV + gb * RECEPTOR_E_GABAB_MV);
    } else {
        g += sum;
        ge += ga * RECEPTOR_E_GABAA_MV + gb * RECEPTOR_E_GABAB_MV;
    }
    VEC_STORE(p.g + at, g);
    VEC_STORE(p.ge + at, ge);
    VEC_STORE(p.xg + at, k.er * x);
    VEC_STORE(p.ag + at, k.ed * a + k.a_x * x);
    VEC_STORE(p.gg + at, gp * k.g_decay + r * k.g_from_r);
    VEC_STORE(p.rr + at, r * k.r_decay);
}

/* Sixteen neurons at a time: a step delivers GABA to few of them, and the
 * release's exponential is computed only for blocks that have some. */
SIMD_INLINE void
gaba_loop(const gaba_arrays *p, const receptors_config *c, uint32_t n)
{
    const gaba_consts k = {
        .an = c->gabaa_norm * c->gabaa_scale, .er = c->gabaa_rise, .ed = c->gabaa_decay,
        .a_x = c->gabaa_from_x, .per_w = c->gabab_log_free_per_w,
        .r_decay = c->gabab_r_decay, .g_decay = c->gabab_g_decay,
        .g_from_r = c->gabab_g_from_r, .gmax = c->gabab_gmax, .g_max = c->g_max,
    };
    const gaba_arrays a = *p;
    uint32_t at = 0;
    for (; at + GABA_BLOCK <= n; at += GABA_BLOCK)
        gaba_block16(a, k, at);
    if (at < n) {
        if (all_zero(a.pend + at, n - at))
            gaba_block(a, k, at, n - at, 0);
        else
            gaba_block(a, k, at, n - at, 1);
    }
}

typedef struct {
    receptors *r;
    const receptors_config *c;
    float *g, *ge;
    uint32_t base;
} gaba_args;

SIMD_INLINE void
gaba_kernel(const gaba_args *a, uint32_t len)
{
    receptors *r = a->r;
    const uint32_t b0 = a->base;
    const gaba_arrays p = {r->pending_gaba + b0, r->gaba_x + b0, r->gabaa + b0,
                           r->gabab_r + b0, r->gabab_g + b0, a->g, a->ge};
    gaba_loop(&p, a->c, len);
}

SIMD_MULTIVERSION(gaba_on, gaba_kernel, (const gaba_args *a, uint32_t len), (a, len))

void
receptors_gaba_step(receptors *r, const receptors_config *c, float *soma_g, float *soma_ge,
                    uint32_t base, uint32_t len, simd_isa isa)
{
    gaba_args a = {r, c, soma_g, soma_ge, base};
    gaba_on(isa, &a, len);
}

receptor_conductances
receptors_conductances(const receptors *r, const receptors_config *c, uint32_t i)
{
    receptor_conductances g = {0};
    for (int br = 0; br < 2; ++br) {
        g.ampa += c->ampa_norm * r->glu_fast[br][i];
        g.nmda += c->nmda_ratio * c->nmda_norm * r->glu_slow[br][i];
    }
    g.gabaa = c->gabaa_norm * r->gabaa[i];
    float g2 = r->gabab_g[i] * r->gabab_g[i], g4 = g2 * g2;
    g.gabab = c->gabab_gmax * g4 / (g4 + GABAB_KD);
    return g;
}

void
receptors_track(receptors *r, uint32_t n)
{
    if (!r->live || ++r->quiet % ZERO_CHECK)
        return;
    float **list[N_ARRAYS];
    arrays(r, list);
    int zero = 1;
    for (int k = 0; k < N_STATE && zero; ++k)
        zero = all_zero(*list[k], n);
    r->live = !zero;
}
