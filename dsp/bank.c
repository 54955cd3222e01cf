/* bank.c — the bank's memory and its step: inputs, model step, spikes,
 * synaptic delivery. Its other jobs each have a file of their own:
 * bank_tables.c, bank_noise.c, bank_input_cache.c, bank_spikes.c and
 * bank_screen.c. */
#include "bank.h"

#include "all_zero.h"
#include "bank_input_cache.h"
#include "bank_mix.h"
#include "bank_noise.h"
#include "bank_scaled.h"
#include "bank_poisson.h"
#include "bank_range.h"
#include "bank_screen.h"
#include "bank_spikes.h"
#include "bank_split.h"
#include "bank_tables.h"
#include "guard.h"
#include "params.h"
#include "simd.h"
#include "zeroed.h"

#include <math.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>

/* Every array of the bank in one zeroed block (zeroed.h): one mapping to
 * make and to unmap, not sixty. Each array starts on a cache line and
 * runs to a line's end (vector loops may), and each is one line further
 * into its page than the one before: arrays of 16384 floats are a whole
 * number of pages, and a step reading a dozen of them at the same index
 * would otherwise read a dozen lines of the same L1 set. */
#define BANK_LINE 64u

typedef struct {
    unsigned char *base; /* NULL: only count */
    size_t used;
} bank_layout;

static void *
lay_out(bank_layout *l, size_t count, size_t elem)
{
    size_t bytes = (count * elem + BANK_LINE - 1u) & ~(size_t)(BANK_LINE - 1u);
    void *p = l->base ? l->base + l->used : NULL;
    l->used += bytes + BANK_LINE; /* the next array one line further on */
    return p;
}

/* Places every array in l (or counts their bytes, base NULL). */
static void
bank_lay_out(bank *b, bank_layout *l)
{
    const size_t n = b->capacity;
    float **floats[] = {&b->drive_scale, &b->ext, &b->noise, &b->g_exc[0],
                        &b->g_exc[1], &b->g_inh, &b->soma_i, &b->soma_g,
                        &b->soma_ge, &b->dend_i, &b->dend_g, &b->dend_ge,
                        &b->spike_frac, &b->spiked_frac, &b->time_scale,
                        &b->poisson_wait, &b->m_gate,
                        &b->branch_v[0], &b->branch_v[1]};
    for (int k = 0; k < MODEL_MAX_VARS; ++k)
        b->var[k] = lay_out(l, n, sizeof(float));
    for (size_t k = 0; k < sizeof floats / sizeof floats[0]; ++k)
        *floats[k] = lay_out(l, n, sizeof(float));
    b->inhibitory = lay_out(l, n, 1);
    b->branch = lay_out(l, n, 1);
    b->spiked = lay_out(l, n, sizeof(uint32_t));
    b->net_missed = lay_out(l, 3u * n, sizeof(float));
    b->noise_key = lay_out(l, n, sizeof(uint32_t));
    b->poisson_count = lay_out(l, n, sizeof(uint32_t));
    b->noise_second = lay_out(l, n, sizeof(float));
    b->scaled_scratch = lay_out(l, BANK_SCALED_ROWS * n, sizeof(float));
    b->scaled_index = lay_out(l, n, sizeof(uint32_t));
    const size_t blocks = n / BANK_MIX_BLOCK + 1u;
    b->sums = lay_out(l, blocks, sizeof(bank_block_sums));
    for (int k = 0; k < MODEL_COUNT; ++k) {
        const model_desc *m = model_get(k);
        b->tables[k] = m->table_floats ? lay_out(l, m->table_floats, sizeof(float)) : NULL;
    }
}

static bank *
bank_create_with(uint32_t capacity, int touch)
{
    bank *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->capacity = (capacity + 15u) & ~15u; /* whole vectors of 16 floats */
    b->syn_allow = UINT64_MAX;
    b->touch_pages = touch;
    bank_layout l = {NULL, 0};
    bank_lay_out(b, &l);
    l.base = b->arrays = zeroed_alloc(l.used, touch);
    l.used = 0;
    b->rec = receptors_create(b->capacity, touch);
    if (!b->arrays || !b->rec) {
        bank_destroy(b);
        return NULL;
    }
    bank_lay_out(b, &l);
    bank_tables_init(b);
    for (uint32_t i = 0; i < b->capacity; ++i)
        b->drive_scale[i] = b->time_scale[i] = 1.0f;
    return b;
}

bank *
bank_create(uint32_t capacity)
{
    return bank_create_with(capacity, 1);
}

bank *
bank_create_offline(uint32_t capacity)
{
    return bank_create_with(capacity, 0);
}

void
bank_destroy(bank *b)
{
    if (!b)
        return;
    free(b->par_split);
    receptors_destroy(b->rec);
    network_rows_destroy(b->net_rows);
    zeroed_free(b->arrays);
    free(b);
}

int
bank_keep_rows(bank *b)
{
    if (!b->net_rows)
        b->net_rows = network_rows_create(b->capacity, b->touch_pages);
    return b->net_rows != NULL;
}

/* bank_init_neurons but for input_gen */
static void
init_state(bank *b, const bank_config *c, uint32_t begin, uint32_t end)
{
    if (end > b->capacity)
        end = b->capacity;
    if (begin >= end)
        return;
    for (int k = 0; k < MODEL_MAX_VARS; ++k)
        memset(b->var[k] + begin, 0, (end - begin) * sizeof(float));
    c->model->init(b->var, begin, end, &c->mp);
    size_t bytes = (end - begin) * sizeof(float);
    memset(b->noise + begin, 0, bytes);
    memset(b->g_exc[0] + begin, 0, bytes);
    memset(b->g_exc[1] + begin, 0, bytes);
    memset(b->g_inh + begin, 0, bytes);
    receptors_clear(b->rec, begin, end);
    memset(b->m_gate + begin, 0, bytes);
    /* subunit branches start at their compartment's voltage */
    const model_desc *m = c->model;
    const float *vb = b->var[m->two_compartment ? m->dend_var : m->soma_var];
    for (uint32_t i = begin; i < end; ++i)
        b->branch_v[0][i] = b->branch_v[1][i] = m->to_mV_a * vb[i] + m->to_mV_b;
}

void
bank_init_neurons(bank *b, const bank_config *c, uint32_t begin, uint32_t end)
{
    init_state(b, c, begin, end);
    b->input_gen++;
    b->dend_gen++;
}

void
bank_ext_changed(bank *b)
{
    b->input_gen++;
    b->dend_gen++;
}

void
bank_inputs_changed(bank *b)
{
    bank_ext_changed(b);
    b->g_bound = 0.0f; /* the conductances may have been written too (settle_place) */
    b->exc_one_branch = 0; /* ... both branches: the next step merges them again */
}

void
bank_set_spread(bank *b, float spread)
{
    const uint32_t n = b->n;
    const float step = n > 1 ? 2.0f / (float)(n - 1) : 0.0f;
    for (uint32_t i = 0; i < n; ++i)
        b->drive_scale[i] = 1.0f + spread * (n > 1 ? (float)i * step - 1.0f : 0.0f);
    b->input_gen++;
    b->dend_gen++;
}

/* The bank is stepped in chunks of CHUNK neurons: inputs, model step,
 * spike scan and mix of one chunk run while its arrays are still in L1. Gap
 * junctions read the neighbours' voltage before the step, so with gaps on the
 * whole bank is one chunk. A chunk is a whole mix block. */
#define CHUNK BANK_MIX_BLOCK

/* Currents into each compartment for this step, from the state before it,
 * for neurons [0, n) of the arrays given. Synaptic conductances are read for
 * this step and decayed in the same pass (nothing else reads them before
 * the spikes of this step are delivered). Linear dendrites are summed here;
 * the other modes are added by dendrite_currents. */
typedef struct {
    const float *drive_scale, *noise, *ext;
    float *g_inh, *g_a, *g_b;
    float *soma_i, *soma_g, *soma_ge;
    float drive, ext_all, tonic, inh_decay, exc_decay;
    float i_max; /* the model's stable input range (model_desc) */
    int linear_dendrite; /* sum the branches into soma_g here */
    int g_zero; /* every synaptic conductance is 0 (bank.g_live 0) */
    int keep_current; /* soma_i is kept (KEEP_CURRENT) */
    int one_branch; /* g_b is all zero and stays so: not read (bank.exc_one_branch) */
} assemble_args;

/* The current of neuron i, within the model's stable input range. */
SIMD_INLINE float
assemble_current(float drive, float ds, float noise, float ext_all, float ext, float i_max)
{
    float s = drive * ds + noise + ext_all + ext;
    s = s < i_max ? s : i_max;
    return s > -i_max ? s : -i_max;
}

/* current 0: the somatic current is left as the step before made it
 * (KEEP_CURRENT), the conductances alone are assembled. one_branch: g_b is
 * zero and stays zero, so it is neither read nor written (ta + ga + 0 is
 * ta + ga: the same bits). */
SIMD_INLINE void
assemble_loop(const float *restrict ds, const float *restrict noise, const float *restrict ext,
              float *restrict g_inh, float *restrict g_a, float *restrict g_b,
              float *restrict si, float *restrict sg, float *restrict sge, float drive,
              float ext_all, float ta, float inh_decay, float exc_decay, float lin,
              float i_max, uint32_t n, const int current, const int one_branch)
{
    SIMD_IVDEP
    for (uint32_t i = 0; i < n; ++i) {
        float gi = g_inh[i], ga = g_a[i], gb = one_branch ? 0.0f : g_b[i];
        float gd = (ta + ga + gb) * lin;
        if (current)
            si[i] = assemble_current(drive, ds[i], noise[i], ext_all, ext[i], i_max);
        sg[i] = gi + gd;
        sge[i] = gi * NETWORK_E_INH_MV + gd * DENDRITE_E_EXC_MV;
        g_inh[i] = gi * inh_decay;
        g_a[i] = ga * exc_decay;
        if (!one_branch)
            g_b[i] = gb * exc_decay;
    }
}

/* assemble_loop with every conductance 0, bit for bit (the same operations
 * on 0.0, folded; 0 decays to 0): only the current is read and written per
 * neuron, half the memory traffic of a bank with noise and no synapses. */
SIMD_INLINE void
assemble_quiet_loop(const float *restrict ds, const float *restrict noise,
                    const float *restrict ext, float *restrict si, float *restrict sg,
                    float *restrict sge, float drive, float ext_all, float ta, float lin,
                    float i_max, uint32_t n)
{
    const float gi = 0.0f, gd = (ta + 0.0f + 0.0f) * lin;
    const float g = gi + gd, ge = gi * NETWORK_E_INH_MV + gd * DENDRITE_E_EXC_MV;
    SIMD_IVDEP
    for (uint32_t i = 0; i < n; ++i) {
        si[i] = assemble_current(drive, ds[i], noise[i], ext_all, ext[i], i_max);
        sg[i] = g;
        sge[i] = ge;
    }
}

SIMD_INLINE void
assemble_kernel(const assemble_args *a, uint32_t n)
{
    if (a->g_zero) {
        assemble_quiet_loop(a->drive_scale, a->noise, a->ext, a->soma_i, a->soma_g,
                            a->soma_ge, a->drive, a->ext_all, a->tonic,
                            a->linear_dendrite ? 1.0f : 0.0f, a->i_max, n);
        return;
    }
    const float lin = a->linear_dendrite ? 1.0f : 0.0f;
#define ASSEMBLE(current, one_branch)                                                          \
    assemble_loop(a->drive_scale, a->noise, a->ext, a->g_inh, a->g_a, a->g_b, a->soma_i,        \
                  a->soma_g, a->soma_ge, a->drive, a->ext_all, a->tonic, a->inh_decay,          \
                  a->exc_decay, lin, a->i_max, n, current, one_branch)
    if (a->keep_current) {
        if (a->one_branch)
            ASSEMBLE(0, 1);
        else
            ASSEMBLE(0, 0);
    } else {
        if (a->one_branch)
            ASSEMBLE(1, 1);
        else
            ASSEMBLE(1, 0);
    }
#undef ASSEMBLE
}

SIMD_MULTIVERSION(assemble_chunk, assemble_kernel, (const assemble_args *a, uint32_t n),
                  (a, n))

/* Each synaptic conductance saturates at a third of the model's limit
 * (model_desc.g_limit, for a step of the registry's dt_max_ms: g dt is what the explicit
 * step's stability depends on, so a shorter step allows more), so their sum
 * stays where the step is stable. */
SIMD_INLINE void
saturate_kernel(float *restrict g, float g_max, uint32_t n) {
    for (uint32_t i = 0; i < n; ++i)
        g[i] = g[i] < g_max ? g[i] : g_max;
}

SIMD_MULTIVERSION(saturate_row, saturate_kernel, (float *g, float g_max, uint32_t n),
                  (g, g_max, n))

static void
saturate_conductances(bank *b, float g_max, simd_isa isa) {
    if (b->exc_one_branch) {
        /* one array carrying both branches: saturating where the two would
         * together (the sum of the three stays within the model's limit) */
        saturate_row(isa, b->g_exc[0], 2.0f * g_max, b->n);
    } else {
        saturate_row(isa, b->g_exc[0], g_max, b->n);
        saturate_row(isa, b->g_exc[1], g_max, b->n);
    }
    saturate_row(isa, b->g_inh, g_max, b->n);
}

/* Where the dendrite sums its two branches before any nonlinearity
 * (receptors_config.one_branch, which the engine derives for every synapse
 * model), the exponential synapses' excitation is kept on branch 0 alone:
 * both branches decay with the same factor, so one array carries their sum
 * and the input assembly moves a third less. Switching to it adds branch 1
 * onto branch 0 (within twice the bound: saturate_conductances); switching
 * back starts branch 1 empty, and the bound is applied anew. */
static void
exc_set_branches(bank *b, int one_branch)
{
    if (b->exc_one_branch == one_branch)
        return;
    b->exc_one_branch = one_branch;
    b->g_bound = 0.0f;
    if (!one_branch)
        return;
    b->exc_merges++;
    float *restrict g0 = b->g_exc[0], *restrict g1 = b->g_exc[1];
    for (uint32_t i = 0; i < b->capacity; ++i) {
        g0[i] += g1[i];
        g1[i] = 0.0f;
    }
}

/* The bound of every exponential synapse's conductance at this step's dt
 * (saturate_kernel); 0: none (receptors, or a model without a limit). */
static float
saturation_bound(const bank_config *c)
{
    if (c->model->g_limit <= 0.0f || c->synapse_model == SYNAPSE_RECEPTORS)
        return 0.0f;
    return c->model->g_limit * model_info_of(model_index(c->model))->dt_max_ms / c->mp.dt_ms /
           3.0f;
}

/* Keep g_live: set by any delivery; cleared once the conductances have
 * decayed to exactly zero (flush-to-zero ends every decay within a second),
 * looked for every ZERO_CHECK steps without a delivery. */
static void
track_conductances(bank *b, const bank_config *c, uint32_t spikes, int added)
{
    if (added || (spikes && network_delivers(&c->np))) {
        b->g_live = 1;
        b->quiet_steps = 0;
        return;
    }
    if (!b->g_live || ++b->quiet_steps % ZERO_CHECK)
        return;
    b->g_live = !(all_zero(b->g_exc[0], b->n) && all_zero(b->g_exc[1], b->n) &&
                  all_zero(b->g_inh, b->n));
    if (!b->g_live) /* the live steps kept no somatic inputs (bank_step_range): assemble them */
        b->inputs_key.valid = 0;
}

/* bank_range.h. Neurons are independent within a step, so disjoint ranges
 * may run at the same time (bank_set_parallel). */
uint32_t
bank_step_range(bank *b, const bank_config *c, const model_params *mp, float ext_all,
                unsigned keep, const bank_noise_draw *noise, uint32_t begin, uint32_t end,
                uint32_t count, int mix, const bank_mix_stats *st)
{
    const model_desc *m = c->model;
    const uint32_t n = b->n;
    const int gap = c->gap > 0.0f && n > 1;
    const int linear = c->dp.mode == DENDRITE_LINEAR;
    const uint32_t chunk = gap ? n : CHUNK;
    const int rec = c->synapse_model == SYNAPSE_RECEPTORS && b->rec->live;
    const uint32_t branch_var = m->two_compartment ? m->dend_var : m->soma_var;
    /* While conductances are live the somatic conductance and its reversal
     * term are assembled anew every step and read only by this chunk's
     * step: they go to one chunk's room, the range's first, which stays in
     * L1 from chunk to chunk, rather than to the whole bank's arrays (two
     * arrays less through the cache every step). The bank's arrays then
     * hold no kept inputs: track_conductances forgets the key when the
     * conductances come back to zero. */
    const int soma_room = b->g_live && !gap;
    const int delivers = network_delivers(&c->np);
    for (uint32_t base = begin; base < end; base += chunk) {
        const uint32_t len = end - base < chunk ? end - base : chunk;
        float *dend_i = b->dend_i + base, *dend_g = b->dend_g + base,
              *dend_ge = b->dend_ge + base;
        /* receptors: their branch conductances stand in for the exponential
         * ones (which stay zero); GABA joins the soma after its assembly */
        if (rec)
            receptors_glu_step(b->rec, &c->rc, b->var[branch_var] + base, base, len, mp->isa);
        assemble_args a = {
            .drive_scale = b->drive_scale + base, .noise = b->noise + base,
            .ext = b->ext + base, .g_inh = b->g_inh + base,
            .g_a = (rec ? b->rec->out_glu[0] : b->g_exc[0]) + base,
            .g_b = (rec ? b->rec->out_glu[1] : b->g_exc[1]) + base, .soma_i = b->soma_i + base,
            .soma_g = b->soma_g + (soma_room ? begin : base),
            .soma_ge = b->soma_ge + (soma_room ? begin : base),
            .drive = c->drive, .ext_all = ext_all,
            .tonic = c->dp.tonic_a + c->dp.tonic_b,
            .inh_decay = c->inh_decay, .exc_decay = c->exc_decay,
            .i_max = m->input_limit > 0.0f ? m->input_limit : INFINITY,
            /* two-compartment models take the branches on the dendrite */
            .linear_dendrite = linear && !m->two_compartment,
            .g_zero = !b->g_live,
            .keep_current = (keep & KEEP_CURRENT) != 0,
            .one_branch = rec ? b->rec->one_branch : b->exc_one_branch,
        };
        if (noise) /* this chunk's noise while it is still in L1 */
            bank_noise_range(b, noise, base, base + len);
        if (!a.linear_dendrite && !(keep & KEEP_DEND)) {
            /* before the decay: this step's conductances; for one
             * compartment the branches add to the soma after its own terms */
            memset(dend_i, 0, len * sizeof(float));
            memset(dend_g, 0, len * sizeof(float));
            memset(dend_ge, 0, len * sizeof(float));
            float *const branch_v[2] = {b->branch_v[0] + base, b->branch_v[1] + base};
            dendrite_currents(&c->dp, b->var[branch_var] + base, a.g_a, a.g_b, branch_v, dend_i,
                              dend_g, dend_ge, len);
        }
        if (!(keep & KEEP_SOMA))
            assemble_chunk(mp->isa, &a, len);

        if (gap) {
            /* ring: g (V_left + V_right - 2 V); the whole bank is this chunk */
            const float *v = b->var[m->soma_var];
            const float ta = m->to_mV_a, tb = m->to_mV_b;
            for (uint32_t i = 0; i < n; ++i) {
                float vl = v[i == 0 ? n - 1 : i - 1], vr = v[i + 1 == n ? 0 : i + 1];
                b->soma_g[i] += 2.0f * c->gap;
                b->soma_ge[i] += c->gap * (ta * (vl + vr) + 2.0f * tb);
            }
        }
        if (!a.linear_dendrite && !m->two_compartment)
            for (uint32_t i = 0; i < len; ++i) {
                a.soma_i[i] += dend_i[i];
                a.soma_g[i] += dend_g[i];
                a.soma_ge[i] += dend_ge[i];
            }
        if (rec)
            receptors_gaba_step(b->rec, &c->rc, a.soma_g, a.soma_ge, base, len, mp->isa);
        if (c->mc.g > 0.0f)
            m_current_step(b->m_gate + base, b->var[m->soma_var] + base, a.soma_g, a.soma_ge,
                           &c->mc, len, mp->isa);

        float *var[MODEL_MAX_VARS];
        for (uint32_t k = 0; k < m->n_vars; ++k)
            var[k] = b->var[k] + base;
        /* the quiet assembly's conductances are one value for the whole
         * bank; gap junctions, one compartment's nonlinear dendrites, GABA
         * receptors and the M current add their own per neuron */
        const int uniform = a.g_zero && !gap && (a.linear_dendrite || m->two_compartment) &&
                            !rec && !(c->mc.g > 0.0f);
        /* ... and so are a two-compartment model's linear dendrite's, the
         * tonic conductance's (dendrite_currents) */
        const int dend_uniform = a.g_zero && !gap && m->two_compartment && linear && !rec;
        model_input in = {a.soma_i, a.soma_g,  a.soma_ge, dend_i,
                          dend_g,   dend_ge,   uniform,   dend_uniform};
        if (b->time_scaled)
            bank_step_scaled(b, m, var, &in, mp, base, len);
        else
            model_step(m, var, &in, mp, b->spike_frac + base, len);
        const uint32_t first = count;
        count = bank_collect_spikes(b, mp->isa, b->spike_frac + base, base, len, count);
        if (count > first)
            count = bank_drop_broken_spikes(b, m, first, count);
        if (b->net_rows && !b->syn && delivers) /* the delivery's rows, while the rest steps */
            for (uint32_t k = first; k < count; ++k)
                network_rows_prefetch(b->net_rows, b->spiked[k]);
        if (mix == BANK_RANGE_MIX)
            bank_mix_blocks(b, m, mp->isa, base, base + len);
        else if (mix == BANK_RANGE_MIX_WITH)
            bank_mix_blocks_with(b, m, mp->isa, base, base + len, st);
    }
    return count;
}

typedef struct {
    bank *b;
    const bank_config *c;
    const model_params *mp;
    const bank_noise_draw *noise;
    float ext_all;
    unsigned keep;
    /* the part after the neurons' (bank_set_side_part), or NULL: last, so
     * that a pool sharing parts out in order (cli/bench/workers.c) gives
     * every thread the same neurons with it or without it, and the thread
     * that ends its own first takes it over */
    void (*side)(void *arg);
    void *side_arg;
    unsigned parts; /* the neurons' */
    bank_split *split; /* their ranges, times and spike counts */
} step_job;

/* Neurons [lo, hi) of mix block k, a piece of it (another range has the
 * rest): the piece's spikes from `count` on; the range that ends the
 * block's last piece mixes the whole block, as one range of it would have,
 * so the sums do not depend on where the cuts lie. */
static uint32_t
step_piece(step_job *j, uint32_t k, uint32_t lo, uint32_t hi, uint32_t count)
{
    bank *b = j->b;
    count = bank_step_range(b, j->c, j->mp, j->ext_all, j->keep, j->noise, lo, hi, count,
                            BANK_RANGE_NO_MIX, NULL);
    /* release this piece's voltages, acquire the others' */
    if (atomic_fetch_sub_explicit(&j->split->shared[k].left, 1, memory_order_acq_rel) == 1) {
        const uint32_t end = (k + 1u) * BANK_MIX_BLOCK;
        bank_mix_blocks(b, j->c->model, j->mp->isa, k * BANK_MIX_BLOCK, end < b->n ? end : b->n);
    }
    return count;
}

/* Part p of a parallel step, the neurons from cut p to cut p + 1: its
 * spikes go to b->spiked from its own first neuron on (a part cannot have
 * more spikes than neurons); whole mix blocks are mixed as they step,
 * pieces of the blocks the cuts lie in by step_piece. */
static void
step_part(void *arg, unsigned p)
{
    step_job *j = arg;
    if (p == j->parts) {
        j->side(j->side_arg);
        return;
    }
    bank_split *s = j->split;
    bank_split_part *out = &s->part[p];
    out->start = bank_split_clock();
    const uint32_t n = j->b->n, begin = s->cut[p], end = s->cut[p + 1];
    /* [a, z): the whole blocks; before a and from z on, pieces */
    uint32_t a = (begin + BANK_MIX_BLOCK - 1u) / BANK_MIX_BLOCK * BANK_MIX_BLOCK;
    uint32_t z = end == n ? end : end / BANK_MIX_BLOCK * BANK_MIX_BLOCK;
    uint32_t count = begin;
    if (a > end || z < a) { /* within one block, a piece of it */
        count = step_piece(j, begin / BANK_MIX_BLOCK, begin, end, count);
    } else {
        if (begin < a)
            count = step_piece(j, begin / BANK_MIX_BLOCK, begin, a, count);
        if (a < z)
            count = bank_step_range(j->b, j->c, j->mp, j->ext_all, j->keep, j->noise, a, z, count,
                                    BANK_RANGE_MIX, NULL);
        if (z < end)
            count = step_piece(j, z / BANK_MIX_BLOCK, z, end, count);
    }
    out->count = count - begin;
    out->end = bank_split_clock();
}

void
bank_set_parallel(bank *b, bank_parallel_for run, void *pool, unsigned parts)
{
    if (run && parts > 1 && !b->par_split &&
        (b->par_split = aligned_alloc(64, sizeof *b->par_split))) /* a multiple of 64 */
        memset(b->par_split, 0, sizeof *b->par_split);
    if (b->par_split)
        b->par_split->parts = 0; /* cut anew at the next step */
    b->par_run = parts > 1 && b->par_split ? run : NULL;
    b->par_pool = pool;
    b->par_parts = parts < 1 ? 1 : parts > BANK_MAX_PARTS ? BANK_MAX_PARTS : parts;
}

void
bank_set_side_part(bank *b, void (*side)(void *arg), void *arg, int after)
{
    b->par_side = side;
    b->par_side_arg = arg;
    b->par_side_after = after;
}

/* Ranges of a parallel step on `threads` threads: one each (bank_split.h),
 * of at least MIN_RANGE neurons; 0: the bank steps on the calling thread
 * (a single mix block, or gap junctions, which read the neighbours). */
#define MIN_RANGE 256u

static unsigned
parallel_ranges(uint32_t n, unsigned threads)
{
    if (n <= BANK_MIX_BLOCK)
        return 0;
    unsigned parts = threads;
    if (parts > n / MIN_RANGE)
        parts = n / MIN_RANGE;
    return parts > 1 ? parts : 0;
}

int
bank_splits(uint32_t n)
{
    return parallel_ranges(n, 2u) != 0;
}

/* The cuts for this step, and each mix block's count of ranges in it where
 * a cut lies inside the block. */
static void
prepare_split(bank_split *s, uint32_t n, unsigned parts)
{
    if (s->parts != parts || s->n != n)
        bank_split_reset(s, n, parts);
    for (unsigned p = 1; p < parts; ++p) {
        const uint32_t at = s->cut[p];
        if (at % BANK_MIX_BLOCK) { /* the block holds a piece of each range it meets */
            const uint32_t k = at / BANK_MIX_BLOCK;
            unsigned meet = 0;
            for (unsigned q = 0; q < parts; ++q)
                meet += s->cut[q] < (k + 1u) * BANK_MIX_BLOCK && s->cut[q + 1] > k * BANK_MIX_BLOCK;
            atomic_store_explicit(&s->shared[k].left, meet, memory_order_relaxed);
        }
    }
}

uint32_t
bank_step(bank *b, const bank_config *c, float ext_all, uint64_t step_index)
{
    const uint32_t n = b->n;
    model_params mp = c->mp;
    mp.table = bank_model_tables(b, c);

    bank_noise_draw draw, *noise = NULL;
    if (c->noise_sigma > 0.0f) {
        draw = bank_noise_begin(b, c, step_index);
        noise = &draw;
    } else if (b->noise_live) {
        bank_noise_relax(b, c);
    }
    if (c->synapse_model == SYNAPSE_RECEPTORS)
        receptors_set_branches(b->rec, &c->rc, n);
    exc_set_branches(b, c->rc.one_branch);
    if ((c->synapse_model == SYNAPSE_RECEPTORS && b->rec->live) || c->mc.g > 0.0f)
        b->g_live = 1; /* receptor or M currents: the inputs change every step */
    const unsigned keep = bank_inputs_unchanged(b, c, ext_all);
    b->inputs_kept += (keep & KEEP_SOMA) != 0;
    b->dend_kept += (keep & KEEP_DEND) != 0;

    uint32_t count = 0;
    const int gap = c->gap > 0.0f && n > 1;
    const unsigned parts = b->par_run && !gap ? parallel_ranges(n, b->par_parts) : 0;
    if (parts) {
        /* ranges anywhere on the grain; results identical to one range,
         * since every neuron's step depends only on its own state */
        bank_split *sp = b->par_split;
        prepare_split(sp, n, parts);
        step_job j = {.b = b, .c = c, .mp = &mp, .noise = noise, .ext_all = ext_all,
                      .keep = keep, .side = b->par_side_after ? NULL : b->par_side,
                      .side_arg = b->par_side_arg, .parts = parts, .split = sp};
        b->par_run(b->par_pool, step_part, &j, parts + (j.side != NULL));
        if (b->par_side && b->par_side_after)
            b->par_side(b->par_side_arg);
        for (unsigned p = 0; p < parts; ++p) {
            /* gather the ranges' lists in index order (moving down is safe) */
            const uint32_t from = sp->cut[p], k = sp->part[p].count;
            memmove(b->spiked + count, b->spiked + from, k * sizeof(uint32_t));
            memmove(b->spiked_frac + count, b->spiked_frac + from, k * sizeof(float));
            count += k;
        }
        bank_split_update(sp); /* the next step's cuts */
    } else {
        count = bank_step_range(b, c, &mp, ext_all, keep, noise, 0, n, 0, BANK_RANGE_MIX, NULL);
    }

    b->mix_n = n;
    if (b->stat_mean)
        b->stat_n = n;
    b->stat_mean = NULL; /* the statistics: this step only */
    if (b->syn_allow != UINT64_MAX) /* the guard may stop the highest neurons here */
        count = guard_fit_delivery(&c->np, b->spiked, count, &b->n, b->syn_allow);
    b->syn_ops = network_step_cost(&c->np, count, b->n);
    /* delivery after every neuron has stepped: effective from the next step */
    int added = 0;
    const int receptor_model = c->synapse_model == SYNAPSE_RECEPTORS;
    const float g_max = saturation_bound(c);
    /* Every conductance within this step's bound already (nothing has
     * added to them unbounded since the bound was last applied, and the
     * decays only shrink them): the on-the-fly delivery bounds what it adds
     * as it adds it, and no pass over the bank is needed after it. */
    network_params np = c->np;
    np.rows = b->net_rows;
    np.g_bound = g_max > 0.0f && b->g_bound == g_max && c->exc_decay <= 1.0f &&
                         c->inh_decay <= 1.0f
                     ? g_max
                     : 0.0f;
    np.g_bound_exc = b->exc_one_branch ? 2.0f * np.g_bound : np.g_bound;
    /* receptors: the weights land as transmitter on the receptors (Dale's
     * law: the presynaptic type picks glutamate or GABA) */
    receptors *r = b->rec;
    float *const g[3] = {
        receptor_model ? receptors_target(r, 0) : b->g_exc[0],
        receptor_model ? receptors_target(r, 1) : b->g_exc[b->exc_one_branch ? 0 : 1],
        receptor_model ? receptors_target(r, 2) : b->g_inh};
    if (b->syn) {
        added = synapses_step(b->syn, &c->sp, &c->np, b->spiked, b->spiked_frac, count,
                              b->inhibitory, b->branch, g);
    } else {
        network_deliver_step(&np, b->spiked, count, b->n, b->inhibitory, b->branch, g, g[2],
                             b->net_missed);
        added = receptor_model && count && b->syn_ops;
    }
    int unbounded = b->syn != NULL || !np.g_bound; /* additions beyond the bound may remain */
    if (c->poisson_rate_hz > 0.0f) {
        const int poisson = bank_poisson_step(b, c, g);
        added |= poisson;
        unbounded |= poisson;
    } else {
        b->poisson_armed = 0;
    }
    if (receptor_model) {
        if (added) {
            r->live = 1;
            r->quiet = 0;
        }
        receptors_track(r, b->n);
    }
    /* Only where a conductance may exceed the bound: after an addition,
     * or a step with spikes while some conductance is non-zero (the bound
     * moves with dt) or the network delivers them. With g_live 0 every
     * conductance is 0 and the pass would change nothing; an uncoupled bank
     * spikes on most steps, and the pass over 3 n floats cost it a fifth
     * of its step (Izhikevich). */
    const int may_exceed = added || (count && (b->g_live || network_delivers(&c->np)));
    if (may_exceed && g_max > 0.0f) {
        if (unbounded)
            saturate_conductances(b, g_max, mp.isa);
        b->g_bound = g_max;
    }
    track_conductances(b, c, count, added);
    return count;
}

uint32_t
bank_repair_range(bank *b, const bank_config *c, uint32_t begin, uint32_t end)
{
    uint32_t repaired = 0;
    for (uint32_t i = begin; i < end; ++i)
        if (bank_neuron_broken(b, c->model, i)) {
            init_state(b, c, i, i + 1);
            ++repaired;
        }
    return repaired;
}

uint32_t
bank_repair_nonfinite(bank *b, const bank_config *c)
{
    const model_desc *m = c->model;
    uint32_t repaired = 0;
    for (uint32_t i = 0; i < b->n; ++i)
        if (bank_neuron_broken(b, m, i)) {
            bank_init_neurons(b, c, i, i + 1);
            ++repaired;
        }
    return repaired;
}
