#include "network.h"

#include "network_gaps.h"
#include "network_marks.h"
#include "rng.h"
#include "simd.h"
#include "vmath.h"

#include <math.h>
#include <string.h>

enum { STREAM_TYPE = 1, STREAM_BRANCH = 2, STREAM_TARGETS = 3 };

void
network_assign_types(uint8_t *inhibitory, uint8_t *branch, uint32_t n, uint64_t seed,
                     float inh_fraction)
{
    for (uint32_t i = 0; i < n; ++i) {
        inhibitory[i] = rng_uniform_open(rng_hash(seed, STREAM_TYPE, i)) < inh_fraction;
        branch[i] = (uint8_t)(rng_hash(seed, STREAM_BRANCH, i) >> 63);
    }
}

/* Geometric skipping: the gap to the next target is floor(ln u / ln(1-p))
 * for u uniform in (0, 1). The draws of neuron pre's stream come GAP_LANES
 * at a time, as a vectorised loop (64: four AVX-512 vectors, so the latency
 * of one vector's hash and log polynomial hides behind the others). Draw k
 * is rng_lowbias32(key ^ k * golden), the key drawn from rng_hash(seed,
 * STREAM_TARGETS, pre). XOR, not addition: with key + k * golden, two
 * neurons whose keys differ by a small multiple of golden (a few dozen pairs
 * in a bank of 4096) would draw the same gaps shifted by a few places. The
 * logarithm is network_gap_log (plain float arithmetic: the same bits on every
 * path). The gaps are then walked one by one; a batch may run past the last
 * neuron, and the draws beyond it are unused. */
#define GAP_LANES NETWORK_GAP_LANES

SIMD_INLINE void
gaps_kernel(uint32_t key, uint32_t first, float inv_log_q, float cap, int32_t *gaps)
{
    network_draw_gaps(gaps, GAP_LANES, key, first, inv_log_q, cap);
}

SIMD_MULTIVERSION(draw_gaps, gaps_kernel,
                  (uint32_t key, uint32_t first, float inv_log_q, float cap, int32_t *gaps),
                  (key, first, inv_log_q, cap, gaps))

/* The positions a stream marks, in increasing order: each t in [0, n) with
 * probability q, independently, drawn from pre's stream by geometric gaps. */
typedef struct {
    uint32_t key, first, j, n;
    float inv_log_q, cap;
    simd_isa isa;
    int64_t t;
    int32_t gaps[GAP_LANES];
} mark_walk;

static void
walk_init(mark_walk *w, const network_params *p, uint32_t pre, uint32_t n, float q)
{
    const uint64_t seed = p->seed;
    w->isa = p->isa;
    w->key = (uint32_t)(rng_hash(seed, STREAM_TARGETS, pre) >> 32);
    w->inv_log_q = (float)(1.0 / log1p(-(double)q));
    /* no gap needs to be longer than the bank (and the cap keeps the
     * conversion in range for a tiny q) */
    w->cap = (float)n;
    w->n = n;
    w->first = 0;
    w->j = GAP_LANES;
    w->t = -1;
}

/* The next marked position, or n when there is none left. */
static inline uint32_t
walk_next(mark_walk *w)
{
    if (w->t >= (int64_t)w->n)
        return w->n;
    if (w->j == GAP_LANES) {
        draw_gaps(w->isa, w->key, w->first, w->inv_log_q, w->cap, w->gaps);
        w->first += GAP_LANES;
        w->j = 0;
    }
    w->t += 1 + w->gaps[w->j++];
    return w->t >= (int64_t)w->n ? w->n : (uint32_t)w->t;
}

/* The next marked positions, up to GAP_LANES of them, into out: their
 * number, fewer only at the end of the bank (0 once it is reached). The
 * positions come a batch at a time so that the walk's state stays in
 * registers while they are used (one by one, each step of it would wait
 * on the store of the last). A walk goes by walk_next or by walk_batch,
 * not both. */
static inline uint32_t
walk_batch(mark_walk *w, uint32_t *out)
{
    const int64_t n = w->n;
    int64_t t = w->t;
    uint32_t k = 0;
    if (t >= n)
        return 0;
    draw_gaps(w->isa, w->key, w->first, w->inv_log_q, w->cap, w->gaps);
    w->first += GAP_LANES;
    for (uint32_t j = 0; j < GAP_LANES; ++j) {
        t += 1 + w->gaps[j];
        if (t >= n)
            break;
        out[k++] = (uint32_t)t;
    }
    w->t = t;
    return k;
}

/* A dense graph (p > 1/2) is drawn through its complement: pre's stream
 * marks the neurons it does NOT reach, each with probability 1 - p, so that
 * a spike costs (1 - p) n draws rather than p n. Every pair is still a
 * synapse with probability p, independently, and the seed fixes the graph. */
static inline int
dense(float p)
{
    return p > 0.5f;
}

/* Add w to target_g[from, to), pre excepted. */
static inline void
add_run(float *target_g, uint32_t from, uint32_t to, uint32_t pre, float w, float g_bound)
{
    if (g_bound > 0.0f) {
        for (uint32_t t = from; t < to; ++t)
            target_g[t] = network_bounded_sum(target_g[t], (t != pre) ? w : 0.0f, g_bound);
        return;
    }
    for (uint32_t t = from; t < to; ++t)
        target_g[t] += (t != pre) ? w : 0.0f;
}

void
network_deliver(const network_params *p, uint32_t pre, uint32_t n, int pre_inhibitory,
                float *g_exc_branch, float *g_inh)
{
    float w = pre_inhibitory ? p->w_inh : p->w_exc;
    if (p->p <= 0.0f || w <= 0.0f)
        return;
    float *target_g = pre_inhibitory ? g_inh : g_exc_branch;
    const float g_bound = pre_inhibitory ? p->g_bound : p->g_bound_exc;

    if (p->p >= 1.0f) {
        add_run(target_g, 0, n, pre, w, g_bound);
        return;
    }
    mark_walk walk;
    if (!dense(p->p)) {
        walk_init(&walk, p, pre, n, p->p);
        network_deliver_marks(walk.isa, target_g, walk.key, walk.inv_log_q, n, pre, w, g_bound,
                              p->rows);
        return;
    }
    /* every neuron between two marks (non-targets) is a target */
    walk_init(&walk, p, pre, n, 1.0f - p->p);
    uint32_t from = 0;
    for (;;) {
        uint32_t skip = walk_next(&walk);
        add_run(target_g, from, skip, pre, w, g_bound);
        if (skip >= n)
            return;
        from = skip + 1;
    }
}

uint32_t
network_targets(const network_params *p, uint32_t pre, uint32_t n, uint32_t *targets)
{
    uint32_t count = 0;
    if (p->p <= 0.0f)
        return 0;
    if (p->p >= 1.0f) {
        for (uint32_t t = 0; t < n; ++t)
            if (t != pre)
                targets[count++] = t;
        return count;
    }
    mark_walk walk;
    if (!dense(p->p)) {
        walk_init(&walk, p, pre, n, p->p);
        uint32_t batch[GAP_LANES];
        for (uint32_t k; (k = walk_batch(&walk, batch)) > 0;)
            for (uint32_t q = 0; q < k; ++q)
                if (batch[q] != pre)
                    targets[count++] = batch[q];
        return count;
    }
    walk_init(&walk, p, pre, n, 1.0f - p->p);
    uint32_t from = 0;
    for (;;) {
        uint32_t skip = walk_next(&walk);
        for (uint32_t t = from; t < skip; ++t)
            if (t != pre)
                targets[count++] = t;
        if (skip >= n)
            return count;
        from = skip + 1;
    }
}

int
network_delivers(const network_params *p)
{
    return p->p > 0.0f && (p->w_exc > 0.0f || p->w_inh > 0.0f);
}

uint64_t
network_step_cost(const network_params *p, uint32_t spikes, uint32_t n)
{
    if (!spikes || !network_delivers(p))
        return 0;
    if (p->p >= 1.0f)
        return n + (uint64_t)spikes;
    if (!dense(p->p))
        return (uint64_t)((double)spikes * p->p * n) + spikes;
    return n + (uint64_t)((double)spikes * (1.0 - p->p) * n) + spikes;
}

void
network_deliver_step(const network_params *p, const uint32_t *spiked, uint32_t count,
                     uint32_t n, const uint8_t *inhibitory, const uint8_t *branch,
                     float *const g_exc[2], float *g_inh, float *missed)
{
    if (!count || !network_delivers(p))
        return;
    if (p->p < 1.0f && !dense(p->p)) {
        /* sparse: each spike to its targets, one by one; their kept rows
         * asked for first, so that their cache misses overlap */
        if (p->rows) {
            network_rows_key(p->rows, p->seed, p->p, n);
            for (uint32_t k = 0; k < count; ++k)
                network_rows_prefetch(p->rows, spiked[k]);
        }
        for (uint32_t k = 0; k < count; ++k) {
            if (k % NETWORK_STOP_EVERY == NETWORK_STOP_EVERY - 1u && p->stop &&
                p->stop(p->stop_arg))
                return;
            uint32_t pre = spiked[k];
            network_deliver(p, pre, n, inhibitory[pre], g_exc[branch[pre]], g_inh);
        }
        return;
    }
    /* dense: a target gets w times the spikes of its group (inhibitory, or
     * excitatory on branch 0 or 1) less those it is not connected to, which
     * missed[] counts (itself always: no autapses). Counts are integers in
     * floats (exact below 2^24), so the sum is the exact count times w. */
    float *miss[3] = {missed, missed + n, missed + 2 * (size_t)n};
    uint32_t total[3] = {0, 0, 0};
    for (uint32_t k = 0; k < count; ++k) {
        if (k % NETWORK_STOP_EVERY == NETWORK_STOP_EVERY - 1u && p->stop && p->stop(p->stop_arg))
            return;
        uint32_t pre = spiked[k];
        unsigned grp = inhibitory[pre] ? 2u : branch[pre];
        float w = inhibitory[pre] ? p->w_inh : p->w_exc;
        if (w <= 0.0f)
            continue;
        if (!total[grp]++)
            memset(miss[grp], 0, n * sizeof(float));
        miss[grp][pre] += 1.0f;
        if (p->p >= 1.0f)
            continue;
        mark_walk walk;
        walk_init(&walk, p, pre, n, 1.0f - p->p);
        uint32_t batch[GAP_LANES];
        float *restrict m = miss[grp];
        for (uint32_t k; (k = walk_batch(&walk, batch)) > 0;)
            for (uint32_t q = 0; q < k; ++q)
                if (batch[q] != pre)
                    m[batch[q]] += 1.0f;
    }
    float *g[3] = {g_exc[0], g_exc[1], g_inh};
    for (unsigned grp = 0; grp < 3; ++grp) {
        if (!total[grp])
            continue;
        const float w = grp == 2 ? p->w_inh : p->w_exc, s = (float)total[grp];
        const float bound = grp == 2 ? p->g_bound : p->g_bound_exc;
        float *restrict gg = g[grp];
        const float *restrict m = miss[grp];
        if (bound > 0.0f)
            for (uint32_t t = 0; t < n; ++t)
                gg[t] = network_bounded_sum(gg[t], w * (s - m[t]), bound);
        else
            for (uint32_t t = 0; t < n; ++t)
                gg[t] += w * (s - m[t]);
    }
}
