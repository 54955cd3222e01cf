/* receptors.c — see receptors.h. */
#include "receptors.h"

#include "all_zero.h"
#include "vmath.h"

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
    const double dt = dt_ms;
    c->nmda_ratio = nmda_ratio;
    c->mg_mM = mg_mM;
    c->nmda_scale = 1.0f - ap5;
    c->gabaa_scale = (1.0f - bicuculline) * benzodiazepine;
    c->w_unit = w_unit;
    c->to_mV_a = to_mV_a;
    c->to_mV_b = to_mV_b;
    c->ampa_rise = (float)exp(-dt / RECEPTOR_AMPA_RISE_MS);
    c->ampa_decay = (float)exp(-dt / RECEPTOR_AMPA_DECAY_MS);
    c->ampa_norm = dual_exp_norm(RECEPTOR_AMPA_RISE_MS, RECEPTOR_AMPA_DECAY_MS);
    c->nmda_rise = (float)exp(-dt / RECEPTOR_NMDA_RISE_MS);
    c->nmda_decay = (float)exp(-dt / RECEPTOR_NMDA_DECAY_MS);
    c->nmda_norm = dual_exp_norm(RECEPTOR_NMDA_RISE_MS, RECEPTOR_NMDA_DECAY_MS);
    c->gabaa_rise = (float)exp(-dt / RECEPTOR_GABAA_RISE_MS);
    c->gabaa_decay = (float)exp(-dt / RECEPTOR_GABAA_DECAY_MS);
    c->gabaa_norm = dual_exp_norm(RECEPTOR_GABAA_RISE_MS, RECEPTOR_GABAA_DECAY_MS);
    c->gabab_release = (float)(-expm1(-(double)GABAB_K1 * GABAB_T_MM * GABAB_PULSE_MS));
    const double e2 = exp(-(double)GABAB_K2 * dt), e4 = exp(-(double)GABAB_K4 * dt);
    c->gabab_r_decay = (float)e2;
    c->gabab_g_decay = (float)e4;
    c->gabab_g_from_r = (float)((double)GABAB_K3 * (e2 - e4) / ((double)GABAB_K4 - GABAB_K2));
    c->gabab_gmax = GABAB_GMAX_PER_W * w_unit;
}

enum { N_STATE = 15, N_ARRAYS = 19 };

static void
arrays(receptors *r, float **out[N_ARRAYS])
{
    float **list[N_ARRAYS] = {
        &r->pending_glu[0], &r->pending_glu[1], &r->pending_gaba, &r->ampa_rise[0],
        &r->ampa_rise[1],   &r->ampa_decay[0],  &r->ampa_decay[1], &r->nmda_rise[0],
        &r->nmda_rise[1],   &r->nmda_decay[0],  &r->nmda_decay[1], &r->gabaa_rise,
        &r->gabaa_decay,    &r->gabab_r,        &r->gabab_g,       &r->out_glu[0],
        &r->out_glu[1],     &r->out_gaba_g,     &r->out_gaba_ge,
    };
    memcpy(out, list, sizeof list);
}

receptors *
receptors_create(uint32_t capacity)
{
    receptors *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->capacity = (capacity + 15u) & ~15u;
    size_t bytes = ((size_t)r->capacity * sizeof(float) + 63u) & ~(size_t)63u;
    float **list[N_ARRAYS];
    arrays(r, list);
    for (int k = 0; k < N_ARRAYS; ++k) {
        *list[k] = aligned_alloc(64, bytes);
        if (!*list[k]) {
            receptors_destroy(r);
            return NULL;
        }
        memset(*list[k], 0, bytes);
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
        free(*list[k]);
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
    to->live = 1; /* the step looks again whether it is all zero */
    to->quiet = 0;
}

/* Both branches' glutamate receptors: pending weight in, conductance out
 * (AMPA linear, NMDA through the Mg2+ block at v_mV), state advanced. The
 * branches sit on one compartment, so the block (an exponential and a
 * division) is computed once for both. */
typedef struct {
    float *pend, *ar, *ad, *nr, *nd, *g;
} glu_branch;

SIMD_INLINE void
glu_loop(const glu_branch *b0, const glu_branch *b1, const float *restrict v,
         const receptors_config *c, uint32_t n)
{
    float *restrict pend0 = b0->pend, *restrict ar0 = b0->ar, *restrict ad0 = b0->ad,
                    *restrict nr0 = b0->nr, *restrict nd0 = b0->nd, *restrict g0 = b0->g;
    float *restrict pend1 = b1->pend, *restrict ar1 = b1->ar, *restrict ad1 = b1->ad,
                    *restrict nr1 = b1->nr, *restrict nd1 = b1->nd, *restrict g1 = b1->g;
    const float an = c->ampa_norm, nn = c->nmda_norm * c->nmda_ratio * c->nmda_scale;
    const float ard = c->ampa_rise, add = c->ampa_decay, nrd = c->nmda_rise,
                ndd = c->nmda_decay;
    const float ta = c->to_mV_a, tb = c->to_mV_b, mg = c->mg_mM * (1.0f / 3.57f);
    const float g_max = c->g_max;
#pragma GCC ivdep
    for (uint32_t i = 0; i < n; ++i) {
        /* Jahr & Stevens 1990, as dendrite_nmda_block */
        float vm = ta * v[i] + tb;
        float block = 1.0f / (1.0f + vm_expf(-0.062f * vm) * mg);
        float w = pend0[i];
        pend0[i] = 0.0f;
        float a_r = ar0[i] + w * an, a_d = ad0[i] + w * an;
        float n_r = nr0[i] + w, n_d = nd0[i] + w;
        float gg = (a_d - a_r) + nn * (n_d - n_r) * block;
        g0[i] = gg < g_max ? gg : g_max;
        ar0[i] = a_r * ard;
        ad0[i] = a_d * add;
        nr0[i] = n_r * nrd;
        nd0[i] = n_d * ndd;
        w = pend1[i];
        pend1[i] = 0.0f;
        a_r = ar1[i] + w * an, a_d = ad1[i] + w * an;
        n_r = nr1[i] + w, n_d = nd1[i] + w;
        gg = (a_d - a_r) + nn * (n_d - n_r) * block;
        g1[i] = gg < g_max ? gg : g_max;
        ar1[i] = a_r * ard;
        ad1[i] = a_d * add;
        nr1[i] = n_r * nrd;
        nd1[i] = n_d * ndd;
    }
}

SIMD_INLINE void
gaba_loop(float *restrict pend, float *restrict xr, float *restrict xd, float *restrict rr,
          float *restrict gg, float *restrict g, float *restrict ge, const receptors_config *c,
          uint32_t n)
{
    const float an = c->gabaa_norm, scale = c->gabaa_scale, rd = c->gabaa_rise,
                dd = c->gabaa_decay;
    /* w / w_unit releases: 1 - R -> (1 - R)(1 - release)^(w / w_unit) */
    const float per_w = c->w_unit > 0.0f ? logf(1.0f - c->gabab_release) / c->w_unit : 0.0f;
    const float r_decay = c->gabab_r_decay, g_decay = c->gabab_g_decay,
                g_from_r = c->gabab_g_from_r, gmax = c->gabab_gmax, g_max = c->g_max;
#pragma GCC ivdep
    for (uint32_t i = 0; i < n; ++i) {
        float w = pend[i];
        pend[i] = 0.0f;
        float x_r = xr[i] + w * an, x_d = xd[i] + w * an;
        float r = 1.0f - (1.0f - rr[i]) * vm_expf(per_w * w);
        float gp = gg[i];
        float g2 = gp * gp, g4 = g2 * g2;
        float ga = scale * (x_d - x_r), gb = gmax * g4 / (g4 + GABAB_KD);
        float sum = ga + gb;
        float s = sum > g_max ? g_max / sum : 1.0f;
        g[i] = s * sum;
        ge[i] = s * (ga * RECEPTOR_E_GABAA_MV + gb * RECEPTOR_E_GABAB_MV);
        xr[i] = x_r * rd;
        xd[i] = x_d * dd;
        gg[i] = gp * g_decay + r * g_from_r;
        rr[i] = r * r_decay;
    }
}

typedef struct {
    receptors *r;
    const receptors_config *c;
    const float *v;
    uint32_t base;
} step_args;

SIMD_INLINE void
step_kernel(const step_args *a, uint32_t len)
{
    receptors *r = a->r;
    const uint32_t b0 = a->base;
    glu_branch br[2];
    for (int k = 0; k < 2; ++k)
        br[k] = (glu_branch){r->pending_glu[k] + b0, r->ampa_rise[k] + b0,
                             r->ampa_decay[k] + b0, r->nmda_rise[k] + b0,
                             r->nmda_decay[k] + b0, r->out_glu[k] + b0};
    glu_loop(&br[0], &br[1], a->v, a->c, len);
    gaba_loop(r->pending_gaba + b0, r->gabaa_rise + b0, r->gabaa_decay + b0, r->gabab_r + b0,
              r->gabab_g + b0, r->out_gaba_g + b0, r->out_gaba_ge + b0, a->c, len);
}

SIMD_MULTIVERSION(step_on, step_kernel, (const step_args *a, uint32_t len), (a, len))

void
receptors_step(receptors *r, const receptors_config *c, const float *v_branch, uint32_t base,
               uint32_t len, simd_isa isa)
{
    step_args a = {r, c, v_branch, base};
    step_on(isa, &a, len);
}

receptor_conductances
receptors_conductances(const receptors *r, const receptors_config *c, uint32_t i)
{
    receptor_conductances g = {0};
    for (int br = 0; br < 2; ++br) {
        g.ampa += r->ampa_decay[br][i] - r->ampa_rise[br][i];
        g.nmda += c->nmda_ratio * c->nmda_norm * (r->nmda_decay[br][i] - r->nmda_rise[br][i]);
    }
    g.gabaa = r->gabaa_decay[i] - r->gabaa_rise[i];
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
