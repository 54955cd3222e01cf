#include "bank.h"

#include "params.h"
#include "rng.h"
#include "simd.h"
#include "vmath.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#if SIMD_X86
#include <immintrin.h>
#endif

enum { STREAM_NOISE = 16 };

static void *
aligned_array(uint32_t capacity, size_t elem)
{
    size_t bytes = ((size_t)capacity * elem + 63u) & ~(size_t)63u;
    void *p = aligned_alloc(64, bytes);
    if (p)
        memset(p, 0, bytes);
    return p;
}

bank *
bank_create(uint32_t capacity)
{
    bank *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->capacity = (capacity + 15u) & ~15u; /* whole vectors of 16 floats */
    b->suspect = 1; /* nothing screened yet */
    float **floats[] = {&b->drive_scale, &b->ext, &b->noise, &b->g_exc[0],
                        &b->g_exc[1], &b->g_inh, &b->soma_i, &b->soma_g,
                        &b->soma_ge, &b->dend_i, &b->dend_g, &b->dend_ge,
                        &b->spike_frac, &b->spiked_frac};
    int ok = 1;
    for (int k = 0; k < MODEL_MAX_VARS; ++k)
        ok &= (b->var[k] = aligned_array(b->capacity, sizeof(float))) != NULL;
    for (size_t k = 0; k < sizeof floats / sizeof floats[0]; ++k)
        ok &= (*floats[k] = aligned_array(b->capacity, sizeof(float))) != NULL;
    ok &= (b->inhibitory = aligned_array(b->capacity, 1)) != NULL;
    ok &= (b->branch = aligned_array(b->capacity, 1)) != NULL;
    ok &= (b->spiked = aligned_array(b->capacity, sizeof(uint32_t))) != NULL;
    ok &= (b->net_missed = aligned_array(3u * b->capacity, sizeof(float))) != NULL;
    ok &= (b->noise_key = aligned_array(b->capacity, sizeof(uint32_t))) != NULL;
    ok &= (b->noise_second = aligned_array(b->capacity, sizeof(float))) != NULL;
    for (int k = 0; k < MODEL_COUNT && ok; ++k) {
        const model_desc *m = model_get(k);
        if (!m->table_floats)
            continue;
        ok &= (b->tables[k] = aligned_array(m->table_floats, sizeof(float))) != NULL;
        if (ok)
            m->table_init(b->tables[k]);
        b->table_dt[k] = b->table_phi[k] = -1.0f; /* not prepared yet */
        b->seen_dt[k] = b->seen_phi[k] = -1.0f;
    }
    if (!ok) {
        bank_destroy(b);
        return NULL;
    }
    for (uint32_t i = 0; i < b->capacity; ++i)
        b->drive_scale[i] = 1.0f;
    return b;
}

void
bank_destroy(bank *b)
{
    if (!b)
        return;
    for (int k = 0; k < MODEL_MAX_VARS; ++k)
        free(b->var[k]);
    free(b->drive_scale);
    free(b->ext);
    free(b->noise);
    free(b->g_exc[0]);
    free(b->g_exc[1]);
    free(b->g_inh);
    free(b->soma_i);
    free(b->soma_g);
    free(b->soma_ge);
    free(b->dend_i);
    free(b->dend_g);
    free(b->dend_ge);
    free(b->spike_frac);
    free(b->spiked_frac);
    free(b->inhibitory);
    free(b->branch);
    free(b->spiked);
    free(b->net_missed);
    free(b->noise_key);
    free(b->noise_second);
    for (int k = 0; k < MODEL_COUNT; ++k)
        free(b->tables[k]);
    free(b);
}

void
bank_init_neurons(bank *b, const bank_config *c, uint32_t begin, uint32_t end)
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
    b->input_gen++;
}

void
bank_inputs_changed(bank *b)
{
    b->input_gen++;
}

void
bank_set_spread(bank *b, float spread)
{
    const uint32_t n = b->n;
    const float step = n > 1 ? 2.0f / (float)(n - 1) : 0.0f;
    for (uint32_t i = 0; i < n; ++i)
        b->drive_scale[i] = 1.0f + spread * (n > 1 ? (float)i * step - 1.0f : 0.0f);
    b->input_gen++;
}

/* The bank is stepped in chunks of CHUNK neurons: inputs, model step and
 * spike scan of one chunk run while its arrays are still in L1. Gap
 * junctions read the neighbours' voltage before the step, so with gaps on the
 * whole bank is one chunk. */
#define CHUNK 512u

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
} assemble_args;

SIMD_INLINE void
assemble_loop(const float *restrict ds, const float *restrict noise, const float *restrict ext,
              float *restrict g_inh, float *restrict g_a, float *restrict g_b,
              float *restrict si, float *restrict sg, float *restrict sge, float drive,
              float ext_all, float ta, float inh_decay, float exc_decay, float lin,
              float i_max, uint32_t n)
{
#pragma GCC ivdep
    for (uint32_t i = 0; i < n; ++i) {
        float gi = g_inh[i], ga = g_a[i], gb = g_b[i];
        float gd = (ta + ga + gb) * lin;
        float s = drive * ds[i] + noise[i] + ext_all + ext[i];
        s = s < i_max ? s : i_max; /* the model's stable input range */
        si[i] = s > -i_max ? s : -i_max;
        sg[i] = gi + gd;
        sge[i] = gi * NETWORK_E_INH_MV + gd * DENDRITE_E_EXC_MV;
        g_inh[i] = gi * inh_decay;
        g_a[i] = ga * exc_decay;
        g_b[i] = gb * exc_decay;
    }
}

SIMD_INLINE void
assemble_kernel(const assemble_args *a, uint32_t n)
{
    assemble_loop(a->drive_scale, a->noise, a->ext, a->g_inh, a->g_a, a->g_b, a->soma_i,
                  a->soma_g, a->soma_ge, a->drive, a->ext_all, a->tonic, a->inh_decay,
                  a->exc_decay, a->linear_dendrite ? 1.0f : 0.0f, a->i_max, n);
}

SIMD_MULTIVERSION(assemble_chunk, assemble_kernel, (const assemble_args *a, uint32_t n),
                  (a, n))

/* Spikes among spike_frac[0, n): append (base + i, frac) to the bank's list,
 * in index order. A vector compare gives a bit mask per 16 (or 8, 4)
 * neurons; almost all masks are empty. */
static uint32_t
push_mask(bank *b, const float *frac, uint32_t base, uint32_t i, uint32_t mask, uint32_t count)
{
    while (mask) {
        uint32_t j = (uint32_t)__builtin_ctz(mask);
        mask &= mask - 1u;
        b->spiked[count] = base + i + j;
        b->spiked_frac[count++] = frac[i + j];
    }
    return count;
}

#if SIMD_X86
SIMD_TARGET_AVX512 static uint32_t
scan_avx512(bank *b, const float *frac, uint32_t base, uint32_t n, uint32_t count, uint32_t *done)
{
    const __m512 zero = _mm512_setzero_ps();
    uint32_t i = 0;
    for (; i + 16 <= n; i += 16) {
        uint32_t mask = _mm512_cmp_ps_mask(_mm512_loadu_ps(frac + i), zero, _CMP_GE_OQ);
        if (mask)
            count = push_mask(b, frac, base, i, mask, count);
    }
    *done = i;
    return count;
}

SIMD_TARGET_AVX2 static uint32_t
scan_avx2(bank *b, const float *frac, uint32_t base, uint32_t n, uint32_t count, uint32_t *done)
{
    const __m256 zero = _mm256_setzero_ps();
    uint32_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint32_t mask = (uint32_t)_mm256_movemask_ps(
            _mm256_cmp_ps(_mm256_loadu_ps(frac + i), zero, _CMP_GE_OQ));
        if (mask)
            count = push_mask(b, frac, base, i, mask, count);
    }
    *done = i;
    return count;
}

static uint32_t
scan_sse2(bank *b, const float *frac, uint32_t base, uint32_t n, uint32_t count, uint32_t *done)
{
    const __m128 zero = _mm_setzero_ps();
    uint32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        uint32_t mask = (uint32_t)_mm_movemask_ps(_mm_cmpge_ps(_mm_loadu_ps(frac + i), zero));
        if (mask)
            count = push_mask(b, frac, base, i, mask, count);
    }
    *done = i;
    return count;
}
#endif

static uint32_t
collect_spikes(bank *b, simd_isa isa, const float *frac, uint32_t base, uint32_t n,
               uint32_t count)
{
    uint32_t i = 0;
#if SIMD_X86
    switch (isa) {
    case SIMD_AVX512:
        count = scan_avx512(b, frac, base, n, count, &i);
        break;
    case SIMD_AVX2:
        count = scan_avx2(b, frac, base, n, count, &i);
        break;
    default:
        count = scan_sse2(b, frac, base, n, count, &i);
        break;
    }
#else
    (void)isa;
#endif
    for (; i < n; ++i)
        if (frac[i] >= 0.0f) {
            b->spiked[count] = base + i;
            b->spiked_frac[count++] = frac[i];
        }
    return count;
}

static int
model_index(const model_desc *m)
{
    for (int k = 0; k < MODEL_COUNT; ++k)
        if (model_get(k) == m)
            return k;
    return MODEL_HH;
}

/* The model's tables, prepared for the current dt and phi.
 *
 * A rebuild costs tens of microseconds (HH: 60000 expm1), fine once per
 * parameter change but not on every frame of a glide (pitch bend glides the
 * speed, hence dt, frame by frame). So while dt * phi keeps changing, the
 * tables are rebuilt only when they have drifted more than TABLE_DRIFT from
 * it (HH: the gates relax at most 0.5 % too fast or slow for the few ms of a
 * glide; V always uses the true dt), and exactly as soon as the value holds
 * for two steps in a row. The rule depends only on the sequence of steps, so
 * output stays independent of block sizes. */
#define TABLE_DRIFT 0.005f

static const float *
model_tables(bank *b, const bank_config *c)
{
    const model_desc *m = c->model;
    if (!m->table_floats)
        return NULL;
    int k = model_index(m);
    const float dt = c->mp.dt_ms, phi = c->mp.phi;
    if (b->table_dt[k] != dt || b->table_phi[k] != phi) {
        const int steady = dt == b->seen_dt[k] && phi == b->seen_phi[k];
        const float want = dt * phi, have = b->table_dt[k] * b->table_phi[k];
        if (steady || b->table_dt[k] <= 0.0f || !(fabsf(want - have) <= TABLE_DRIFT * have)) {
            m->table_prepare(b->tables[k], &c->mp);
            b->table_builds++;
            b->table_dt[k] = dt;
            b->table_phi[k] = phi;
        }
    }
    b->seen_dt[k] = dt;
    b->seen_phi[k] = phi;
    return b->tables[k];
}

/* The OU noise current. Standard normals come in Box-Muller pairs: pair
 * k = step / 2 of neuron i is drawn from two 32-bit hashes,
 * rng_lowbias32(key_i ^ s), with key_i from rng_hash(seed, STREAM_NOISE + i, 0)
 * and s a hash of 2k or 2k + 1 (the same for every neuron); the even step
 * takes r cos(theta), the odd step r sin(theta). An odd step reuses the pair
 * its even step drew when there was one (noise on, same seed, same neurons),
 * else draws it again, so a neuron's noise stays a pure function of seed,
 * neuron and step. log, sqrt and cos are vmath's: the same bits on every
 * path. One pair per two steps and 32-bit hashes halve the cost of a
 * normal per step with 64-bit ones. */
#define MIX_A 0xBF58476D1CE4E5B9ull
#define MIX_B 0x94D049BB133111EBull

static inline uint64_t
mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * MIX_A;
    z = (z ^ (z >> 27)) * MIX_B;
    return z ^ (z >> 31);
}

SIMD_INLINE void
noise_pair_loop(float *restrict noise, float *restrict second, const uint32_t *restrict key,
                uint32_t s_radius, uint32_t s_angle, float decay, float kick, int odd,
                uint32_t n)
{
    for (uint32_t i = 0; i < n; ++i) {
        uint32_t h1 = rng_lowbias32(key[i] ^ s_radius), h2 = rng_lowbias32(key[i] ^ s_angle);
        float u1 = ((float)(int32_t)(h1 >> 8) + 0.5f) * (1.0f / 16777216.0f); /* (0, 1) */
        float u2 = (float)(int32_t)(h2 >> 8) * (1.0f / 16777216.0f);          /* [0, 1) */
        float r = vm_sqrtf(-2.0f * vm_logf(u1));
        /* sin(2 pi u) = cos(2 pi (u - 1/4)), the argument kept in [0, 1) */
        float u3 = u2 < 0.25f ? u2 + 0.75f : u2 - 0.25f;
        float z0 = r * vm_cos_turns(u2), z1 = r * vm_cos_turns(u3);
        second[i] = z1;
        noise[i] = noise[i] * decay + kick * (odd ? z1 : z0);
    }
}

SIMD_INLINE void
noise_reuse_loop(float *restrict noise, const float *restrict second, float decay, float kick,
                 uint32_t n)
{
    for (uint32_t i = 0; i < n; ++i)
        noise[i] = noise[i] * decay + kick * second[i];
}

SIMD_INLINE void
noise_kernel(float *noise, float *second, const uint32_t *key, uint32_t s_radius,
             uint32_t s_angle, float decay, float kick, int mode, uint32_t n)
{
    if (mode == 2)
        noise_reuse_loop(noise, second, decay, kick, n);
    else
        noise_pair_loop(noise, second, key, s_radius, s_angle, decay, kick, mode, n);
}

/* mode: 0 even step (draw, use the first), 1 odd step drawing anew (use the
 * second), 2 odd step reusing the pair */
SIMD_MULTIVERSION(noise_step, noise_kernel,
                  (float *noise, float *second, const uint32_t *key, uint32_t s_radius,
                   uint32_t s_angle, float decay, float kick, int mode, uint32_t n),
                  (noise, second, key, s_radius, s_angle, decay, kick, mode, n))

static void
update_noise(bank *b, const bank_config *c, uint64_t step_index)
{
    const uint32_t n = b->n;
    if (b->noise_key_seed != c->np.seed || b->noise_key_n < n) {
        for (uint32_t i = 0; i < b->capacity; ++i)
            b->noise_key[i] = (uint32_t)(rng_hash(c->np.seed, STREAM_NOISE + i, 0) >> 32);
        b->noise_key_seed = c->np.seed;
        b->noise_key_n = b->capacity;
        b->noise_pair_valid = 0;
    }
    const uint64_t pair = step_index >> 1;
    const int odd = (int)(step_index & 1u);
    int mode = odd;
    if (odd && b->noise_pair_valid && b->noise_pair == pair && n <= b->noise_pair_n)
        mode = 2;
    const uint32_t s_radius = (uint32_t)(mix64(2u * pair + 0x632BE59BD9B4E019ull) >> 32),
                   s_angle = (uint32_t)(mix64(2u * pair + 1u + 0x632BE59BD9B4E019ull) >> 32);
    noise_step(c->mp.isa, b->noise, b->noise_second, b->noise_key, s_radius, s_angle, c->noise_decay,
               c->noise_kick, mode, n);
    /* the pair is kept for the odd step; neurons added later have none */
    b->noise_pair = pair;
    b->noise_pair_n = n;
    b->noise_pair_valid = !odd;
    b->noise_live = 1;
    b->noise_quiet = 0;
    b->input_gen++;
}

/* Decays that run until flush-to-zero ends them (the noise switched off,
 * the synaptic conductances) are looked at every ZERO_CHECK steps to see
 * whether everything has reached exactly zero. */
#define ZERO_CHECK 256u

static int
all_zero(const float *x, uint32_t n)
{
    uint32_t acc = 0;
    for (uint32_t i = 0; i < n; ++i) {
        uint32_t bits;
        memcpy(&bits, &x[i], sizeof bits);
        acc |= bits << 1; /* -0.0 counts as zero */
    }
    return acc == 0;
}

/* Noise switched off: the OU current relaxes to zero with its own time
 * constant (as the process does with sigma = 0), not frozen at its last
 * value; once flush-to-zero has ended every neuron's decay it is left alone. */
static void
relax_noise(bank *b, const bank_config *c)
{
    const float decay = c->noise_decay;
    for (uint32_t i = 0; i < b->n; ++i)
        b->noise[i] *= decay;
    b->input_gen++;
    if (++b->noise_quiet % ZERO_CHECK == 0)
        b->noise_live = !all_zero(b->noise, b->n);
}

static int range_suspect(const bank *b, const model_desc *m, simd_isa isa, uint32_t begin,
                         uint32_t end);

/* What bank_step found unchanged since the last step (inputs_unchanged). */
enum { KEEP_SOMA = 1, KEEP_DEND = 2 };

/* Skipping work on inputs that did not change. With constant drive, no
 * noise, no per-neuron stimulus and no synaptic conductance (a plain bank,
 * the default), the step inputs are the same every step: assembling them
 * again would cost as much as a cheap model's step. So the inputs are kept
 * while everything they are made of is unchanged: the scalars compared here,
 * the arrays through input_gen, and the conductances through g_live. Only
 * inputs that do not depend on the voltage are kept: not the one-compartment
 * nonlinear dendrites, not the gap junctions. The result is the same bits as
 * assembling anew. */
static unsigned
inputs_unchanged(bank *b, const bank_config *c, float ext_all)
{
    const model_desc *m = c->model;
    const int linear = c->dp.mode == DENDRITE_LINEAR;
    const int gap = c->gap > 0.0f && b->n > 1;
    const float tonic = c->dp.tonic_a + c->dp.tonic_b;
    const int soma_only = m->two_compartment || linear; /* no voltage in soma_* */
    unsigned keep = 0;
    if (b->inputs_key.valid && !b->g_live && !gap && soma_only &&
        b->inputs_key.gen == b->input_gen && b->inputs_key.n == b->n &&
        b->inputs_key.model == (const void *)m && b->inputs_key.mode == c->dp.mode &&
        b->inputs_key.drive == c->drive && b->inputs_key.ext_all == ext_all &&
        b->inputs_key.tonic == tonic)
        keep = KEEP_SOMA | (m->two_compartment && linear ? KEEP_DEND : 0u);
    b->inputs_key.valid = !gap && soma_only;
    b->inputs_key.gen = b->input_gen;
    b->inputs_key.n = b->n;
    b->inputs_key.model = m;
    b->inputs_key.mode = c->dp.mode;
    b->inputs_key.drive = c->drive;
    b->inputs_key.ext_all = ext_all;
    b->inputs_key.tonic = tonic;
    return keep;
}

static int neuron_broken(const bank *b, const model_desc *m, uint32_t i);

/* A neuron this step broke emits no spike: bank_repair_nonfinite resets it
 * at the end of the frame, and until then it is silent. */
static uint32_t
drop_broken_spikes(bank *b, const model_desc *m, uint32_t count)
{
    uint32_t kept = 0;
    for (uint32_t k = 0; k < count; ++k) {
        uint32_t i = b->spiked[k];
        if (neuron_broken(b, m, i))
            continue;
        b->spiked[kept] = i;
        b->spiked_frac[kept++] = b->spiked_frac[k];
    }
    return kept;
}

/* Each synaptic conductance saturates at a third of the model's limit
 * (model_desc.g_limit, for a step of the registry's dt_max_ms: g dt is what the explicit
 * step's stability depends on, so a shorter step allows more), so their sum
 * stays where the step is stable. */
static void
saturate_conductances(bank *b, float g_max)
{
    float *g[3] = {b->g_exc[0], b->g_exc[1], b->g_inh};
    for (int k = 0; k < 3; ++k) {
        float *restrict gk = g[k];
        for (uint32_t i = 0; i < b->n; ++i)
            gk[i] = gk[i] < g_max ? gk[i] : g_max;
    }
}

/* Keep g_live: set by any delivery; cleared once the conductances have
 * decayed to exactly zero (flush-to-zero ends every decay within a second),
 * looked for every ZERO_CHECK steps without a delivery. */
static void
track_conductances(bank *b, const bank_config *c, uint32_t spikes)
{
    const network_params *np = &c->np;
    if (spikes && np->p > 0.0f && (np->w_exc > 0.0f || np->w_inh > 0.0f)) {
        b->g_live = 1;
        b->quiet_steps = 0;
        return;
    }
    if (!b->g_live || ++b->quiet_steps % ZERO_CHECK)
        return;
    b->g_live = !(all_zero(b->g_exc[0], b->n) && all_zero(b->g_exc[1], b->n) &&
                  all_zero(b->g_inh, b->n));
}

/* Inputs, model step and spike scan for neurons [begin, end); spikes are
 * appended to b->spiked from index `count`. Neurons are independent within a
 * step, so disjoint ranges may run at the same time (bank_set_parallel). */
static uint32_t
step_range(bank *b, const bank_config *c, const model_params *mp, float ext_all,
           unsigned keep, uint32_t begin, uint32_t end, uint32_t count, int *suspect)
{
    const model_desc *m = c->model;
    const uint32_t n = b->n;
    const int gap = c->gap > 0.0f && n > 1;
    const int linear = c->dp.mode == DENDRITE_LINEAR;
    const uint32_t chunk = gap ? n : CHUNK;
    for (uint32_t base = begin; base < end; base += chunk) {
        const uint32_t len = end - base < chunk ? end - base : chunk;
        float *dend_i = b->dend_i + base, *dend_g = b->dend_g + base,
              *dend_ge = b->dend_ge + base;
        assemble_args a = {
            .drive_scale = b->drive_scale + base, .noise = b->noise + base,
            .ext = b->ext + base, .g_inh = b->g_inh + base, .g_a = b->g_exc[0] + base,
            .g_b = b->g_exc[1] + base, .soma_i = b->soma_i + base,
            .soma_g = b->soma_g + base, .soma_ge = b->soma_ge + base,
            .drive = c->drive, .ext_all = ext_all,
            .tonic = c->dp.tonic_a + c->dp.tonic_b,
            .inh_decay = c->inh_decay, .exc_decay = c->exc_decay,
            .i_max = m->input_limit > 0.0f ? m->input_limit : INFINITY,
            /* two-compartment models take the branches on the dendrite */
            .linear_dendrite = linear && !m->two_compartment,
        };
        if (!a.linear_dendrite && !(keep & KEEP_DEND)) {
            /* before the decay: this step's conductances; for one
             * compartment the branches add to the soma after its own terms */
            memset(dend_i, 0, len * sizeof(float));
            memset(dend_g, 0, len * sizeof(float));
            memset(dend_ge, 0, len * sizeof(float));
            uint32_t at = m->two_compartment ? m->dend_var : m->soma_var;
            dendrite_currents(&c->dp, b->var[at] + base, a.g_a, a.g_b, dend_i, dend_g,
                              dend_ge, len);
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

        float *var[MODEL_MAX_VARS];
        for (uint32_t k = 0; k < m->n_vars; ++k)
            var[k] = b->var[k] + base;
        model_input in = {a.soma_i, a.soma_g, a.soma_ge, dend_i, dend_g, dend_ge};
        m->step(var, &in, mp, b->spike_frac + base, len);
        count = collect_spikes(b, mp->isa, b->spike_frac + base, base, len, count);
        /* the non-finite screen while the chunk is still in L1 (the repair
         * at the end of the frame looks only when something is suspect) */
        if (!*suspect && !c->screened_by_mix)
            *suspect = range_suspect(b, m, mp->isa, base, base + len);
    }
    return count;
}

typedef struct {
    bank *b;
    const bank_config *c;
    const model_params *mp;
    float ext_all;
    unsigned keep;
    uint32_t bounds[BANK_MAX_PARTS + 1];
    uint32_t counts[BANK_MAX_PARTS];
    int suspect[BANK_MAX_PARTS];
} step_job;

/* Part p of a parallel step: its spikes go to b->spiked from its own first
 * neuron on (a part cannot have more spikes than neurons). */
static void
step_part(void *arg, unsigned p)
{
    step_job *j = arg;
    uint32_t begin = j->bounds[p];
    j->suspect[p] = 0;
    j->counts[p] = step_range(j->b, j->c, j->mp, j->ext_all, j->keep, begin, j->bounds[p + 1],
                              begin, &j->suspect[p]) -
                   begin;
}

void
bank_set_parallel(bank *b, bank_parallel_for run, void *pool, unsigned parts)
{
    b->par_run = parts > 1 ? run : NULL;
    b->par_pool = pool;
    b->par_parts = parts < 1 ? 1 : parts > BANK_MAX_PARTS ? BANK_MAX_PARTS : parts;
}

uint32_t
bank_step(bank *b, const bank_config *c, float ext_all, uint64_t step_index)
{
    const uint32_t n = b->n;
    model_params mp = c->mp;
    mp.table = model_tables(b, c);

    if (c->noise_sigma > 0.0f)
        update_noise(b, c, step_index);
    else if (b->noise_live)
        relax_noise(b, c);
    const unsigned keep = inputs_unchanged(b, c, ext_all);
    b->inputs_kept += keep != 0;

    uint32_t count = 0;
    int suspect = 0;
    const int gap = c->gap > 0.0f && n > 1;
    if (b->par_run && !gap && n >= 64u * b->par_parts) {
        /* parts on whole vectors of 16; results identical to one part, since
         * every neuron's step depends only on its own state */
        step_job j = {.b = b, .c = c, .mp = &mp, .ext_all = ext_all, .keep = keep};
        const unsigned parts = b->par_parts;
        for (unsigned p = 0; p <= parts; ++p)
            j.bounds[p] = p == parts ? n : (uint32_t)(((uint64_t)n * p / parts) & ~15u);
        b->par_run(b->par_pool, step_part, &j, parts);
        for (unsigned p = 0; p < parts; ++p) {
            /* gather the parts' lists in index order (moving down is safe) */
            memmove(b->spiked + count, b->spiked + j.bounds[p], j.counts[p] * sizeof(uint32_t));
            memmove(b->spiked_frac + count, b->spiked_frac + j.bounds[p],
                    j.counts[p] * sizeof(float));
            count += j.counts[p];
            suspect |= j.suspect[p];
        }
    } else {
        count = step_range(b, c, &mp, ext_all, keep, 0, n, 0, &suspect);
    }
    b->suspect |= suspect; /* cleared by bank_repair_nonfinite */

    if (count)
        count = drop_broken_spikes(b, c->model, count);
    /* delivery after every neuron has stepped: effective from the next step */
    network_deliver_step(&c->np, b->spiked, count, n, b->inhibitory, b->branch, b->g_exc,
                         b->g_inh, b->net_missed);
    if (count && c->model->g_limit > 0.0f)
        saturate_conductances(b, c->model->g_limit *
                                     model_info_of(model_index(c->model))->dt_max_ms /
                                     c->mp.dt_ms / 3.0f);
    track_conductances(b, c, count);
    return count;
}

/* Neuron i's state is broken when some variable, the noise or a conductance
 * is not finite, or the voltage is beyond a volt either way (an absurd input
 * current: treat it like NaN). Every step screens only the somatic voltage:
 * each model's step carries every variable, input and conductance into V
 * within the step (HH's V update uses the new gates; the RK stages carry
 * u, y, z, Ca, ... into V), so a broken neuron shows a V that is not finite
 * or beyond the limit by the end of the step that broke it, at the latest
 * the next one. The screen is 16 lanes at a time: x * 0 is NaN exactly when
 * x is inf or NaN, and the lanes also keep the largest |V|. Only when it
 * fails are the neurons looked at one by one (bank_repair_nonfinite). */
#define REPAIR_LIMIT_MV 1000.0f

/* One lane of the screen, for a = |V| in mV: NaN stays in nan_acc, the
 * largest |V| in v_max. */
SIMD_INLINE void
screen_lane(float a, float *nan_acc, float *v_max)
{
    *nan_acc += a * 0.0f;
    *v_max = a > *v_max ? a : *v_max;
}

/* 1 if some lane saw a non-finite V or one beyond the limit. */
SIMD_INLINE int
screen_verdict(const float *nan_acc, const float *v_max, uint32_t lanes)
{
    int bad = 0;
    for (uint32_t j = 0; j < lanes; ++j)
        bad |= !(nan_acc[j] == 0.0f) | !(v_max[j] < REPAIR_LIMIT_MV);
    return bad;
}

/* LANES independent accumulators: a sum over 16 lanes would wait on the
 * add latency every 16 neurons. */
#define SUSPECT_LOOP(LANES)                                                              \
    SIMD_INLINE int v_suspect_loop##LANES(const float *v, float to_mV_a, float to_mV_b,   \
                                          uint32_t n)                                    \
    {                                                                                     \
        float nan_acc[LANES] = {0}, v_max[LANES] = {0};                                   \
        for (uint32_t i = 0; i < n; i += LANES) {                                         \
            const float *restrict vp = v + i;                                             \
            for (uint32_t j = 0; j < LANES; ++j)                                          \
                screen_lane(fabsf(to_mV_a * vp[j] + to_mV_b), &nan_acc[j], &v_max[j]);    \
        }                                                                                 \
        return screen_verdict(nan_acc, v_max, LANES);                                     \
    }

SUSPECT_LOOP(64)
SUSPECT_LOOP(16)

/* n16: a multiple of 16 */
SIMD_INLINE void
suspect_kernel(const bank *b, const model_desc *m, uint32_t base, uint32_t n16, int *out)
{
    const uint32_t n64 = n16 & ~63u, rest = n16 - n64;
    const float *v = b->var[m->soma_var] + base;
    int bad = 0;
    if (n64)
        bad |= v_suspect_loop64(v, m->to_mV_a, m->to_mV_b, n64);
    if (rest)
        bad |= v_suspect_loop16(v + n64, m->to_mV_a, m->to_mV_b, rest);
    *out = bad;
}

SIMD_MULTIVERSION(chunk_suspect, suspect_kernel,
                  (const bank *b, const model_desc *m, uint32_t base, uint32_t n16, int *out),
                  (b, m, base, n16, out))

static int
neuron_broken(const bank *b, const model_desc *m, uint32_t i)
{
    float sum = b->noise[i] + b->g_exc[0][i] + b->g_exc[1][i] + b->g_inh[i];
    for (uint32_t k = 0; k < m->n_vars; ++k)
        sum += b->var[k][i] * 0.0f;
    float v_mV = m->to_mV_a * b->var[m->soma_var][i] + m->to_mV_b;
    return !isfinite(sum) || !(fabsf(v_mV) < REPAIR_LIMIT_MV);
}

/* 1 if some neuron in [begin, end) may be broken (bank_repair_nonfinite's
 * test, screened 16 at a time, then one by one for the rest). */
static int
range_suspect(const bank *b, const model_desc *m, simd_isa isa, uint32_t begin, uint32_t end)
{
    const uint32_t n16 = (end - begin) & ~15u;
    int bad = 0;
    if (n16)
        chunk_suspect(isa, b, m, begin, n16, &bad);
    for (uint32_t i = begin + n16; i < end && !bad; ++i)
        bad = neuron_broken(b, m, i);
    return bad;
}

uint32_t
bank_repair_nonfinite(bank *b, const bank_config *c)
{
    /* every step screens the neurons it stepped (step_range): nothing to do
     * unless the last step saw something suspect */
    if (!b->suspect)
        return 0;
    const model_desc *m = c->model;
    uint32_t repaired = 0;
    for (uint32_t i = 0; i < b->n; ++i)
        if (neuron_broken(b, m, i)) {
            bank_init_neurons(b, c, i, i + 1);
            ++repaired;
        }
    b->suspect = 0;
    return repaired;
}

/* Two weighted sums of the somatic voltages (the bank's stereo mix):
 * sum w[i] (v[i] - c), as 32 partial sums in a fixed order, so any path and
 * any block split give the same bits, and no add waits for the one before.
 * The lanes also keep what the non-finite screen keeps (v_suspect_loop):
 * the same loads, a few more operations. */
#define MIX_LANES 32u

SIMD_INLINE void
mix_lanes(float x, float w_l, float w_r, float a, float *l, float *r, float *nan_acc,
          float *v_max)
{
    *l += w_l * x;
    *r += w_r * x;
    screen_lane(a, nan_acc, v_max);
}

SIMD_INLINE void
pan_mix_kernel(const float *wl, const float *wr, const float *v, float c, uint32_t n,
               float to_mV_a, float to_mV_b, float *l, float *r, int *bad)
{
    float al[MIX_LANES] = {0}, ar[MIX_LANES] = {0};
    float nan_acc[MIX_LANES] = {0}, v_max[MIX_LANES] = {0};
    uint32_t i = 0;
    for (; i + MIX_LANES <= n; i += MIX_LANES) {
        const float *restrict vp = v + i, *restrict lp = wl + i, *restrict rp = wr + i;
        for (uint32_t k = 0; k < MIX_LANES; ++k)
            mix_lanes(vp[k] - c, lp[k], rp[k], fabsf(to_mV_a * vp[k] + to_mV_b), &al[k],
                      &ar[k], &nan_acc[k], &v_max[k]);
    }
    for (uint32_t k = 0; i < n; ++i, ++k)
        mix_lanes(v[i] - c, wl[i], wr[i], fabsf(to_mV_a * v[i] + to_mV_b), &al[k], &ar[k],
                  &nan_acc[k], &v_max[k]);
    for (uint32_t w = MIX_LANES / 2; w > 0; w /= 2)
        for (uint32_t k = 0; k < w; ++k) {
            al[k] += al[k + w];
            ar[k] += ar[k + w];
        }
    *l = al[0];
    *r = ar[0];
    *bad = screen_verdict(nan_acc, v_max, MIX_LANES);
}

SIMD_MULTIVERSION(pan_mix, pan_mix_kernel,
                  (const float *wl, const float *wr, const float *v, float c, uint32_t n,
                   float to_mV_a, float to_mV_b, float *l, float *r, int *bad),
                  (wl, wr, v, c, n, to_mV_a, to_mV_b, l, r, bad))

void
bank_mix_screened(bank *b, const bank_config *c, const float *wl, const float *wr,
                  float center, float *l, float *r)
{
    const model_desc *m = c->model;
    int bad;
    pan_mix(c->mp.isa, wl, wr, b->var[m->soma_var], center, b->n, m->to_mV_a, m->to_mV_b, l, r, &bad);
    b->suspect |= bad;
}

/* bank_voltage_variance in blocks of VAR_LANES neurons, each lane its own
 * partial sum; the tail runs through the same block on padded copies. */
#define VAR_LANES 16u

SIMD_INLINE void
variance_block(const float *restrict v, float *restrict mean_of, float *restrict msq_of,
               const float *restrict wl, const float *restrict wr, float c, float k, float a,
               float *restrict pl, float *restrict pr)
{
    for (uint32_t j = 0; j < VAR_LANES; ++j) {
        float d = (v[j] - c) * k;
        float mean = mean_of[j] + a * (d - mean_of[j]);
        float msq = msq_of[j] + a * (d * d - msq_of[j]);
        mean_of[j] = mean;
        msq_of[j] = msq;
        float var = msq - mean * mean;
        var = var > 0.0f ? var : 0.0f;
        pl[j] += wl[j] * wl[j] * var;
        pr[j] += wr[j] * wr[j] * var;
    }
}

SIMD_INLINE void
variance_kernel(const float *v, float *mean, float *msq, const float *wl, const float *wr,
                float c, float k, float a, uint32_t n, float *sum_l, float *sum_r)
{
    float pl[VAR_LANES] = {0}, pr[VAR_LANES] = {0};
    uint32_t i = 0;
    for (; i + VAR_LANES <= n; i += VAR_LANES)
        variance_block(v + i, mean + i, msq + i, wl + i, wr + i, c, k, a, pl, pr);
    if (i < n) {
        const uint32_t len = n - i;
        float tv[VAR_LANES], tm[VAR_LANES], ts[VAR_LANES], tl[VAR_LANES], tr[VAR_LANES];
        for (uint32_t j = 0; j < VAR_LANES; ++j) {
            tv[j] = j < len ? v[i + j] : c;
            tm[j] = j < len ? mean[i + j] : 0.0f;
            ts[j] = j < len ? msq[i + j] : 0.0f;
            tl[j] = j < len ? wl[i + j] : 0.0f;
            tr[j] = j < len ? wr[i + j] : 0.0f;
        }
        variance_block(tv, tm, ts, tl, tr, c, k, a, pl, pr);
        for (uint32_t j = 0; j < len; ++j) {
            mean[i + j] = tm[j];
            msq[i + j] = ts[j];
        }
    }
    for (uint32_t w = VAR_LANES / 2; w > 0; w /= 2)
        for (uint32_t j = 0; j < w; ++j) {
            pl[j] += pl[j + w];
            pr[j] += pr[j + w];
        }
    *sum_l = pl[0];
    *sum_r = pr[0];
}

SIMD_MULTIVERSION(voltage_variance, variance_kernel,
                  (const float *v, float *mean, float *msq, const float *wl, const float *wr,
                   float c, float k, float a, uint32_t n, float *sum_l, float *sum_r),
                  (v, mean, msq, wl, wr, c, k, a, n, sum_l, sum_r))

void
bank_voltage_variance(simd_isa isa, const float *v, float *mean, float *msq, const float *wl,
                      const float *wr, float c, float k, float a, uint32_t n, float *sum_l,
                      float *sum_r)
{
    voltage_variance(isa, v, mean, msq, wl, wr, c, k, a, n, sum_l, sum_r);
}

#if SIMD_X86
#define MXCSR_FTZ_DAZ 0x8040u

uint32_t
bank_fp_enter(void)
{
    uint32_t old = _mm_getcsr();
    _mm_setcsr(old | MXCSR_FTZ_DAZ);
    return old;
}

void
bank_fp_leave(uint32_t state)
{
    _mm_setcsr(state);
}
#else
uint32_t
bank_fp_enter(void)
{
    return 0;
}

void
bank_fp_leave(uint32_t state)
{
    (void)state;
}
#endif
