/* synapse_step.c — one step of the stored synapses: delivery (at once, or
 * through the ring of buckets of events in flight at each synapse's
 * conduction delay),
 * the events due in this step, then STDP in the order the spikes happened.
 *
 * Exact sub-step arrival: a spike at fraction f of step k, on an axon of
 * delay d, arrives at a = k + f + d/dt (in steps). The conductance jumps by
 * w at a and decays with tau until the end of its step m = floor(a), where
 * the bank takes it in: the event adds w exp(-(m + 1 - a) dt / tau) there,
 * which is what an exact integration of the jump gives at the step's end
 * (the exact event delivery of parallel simulators, e.g. NEST's precise
 * spike times). With no delay (velocity 0) a spike adds w at the end of its
 * step, as the on-the-fly network does. */
#include "synapses.h"
#include "simd.h"
#include "vmath.h"


#define GROUP_SHIFT 28u
#define POST_MASK ((1u << GROUP_SHIFT) - 1u)

void
synapses_ring_empty(synapse_table *t)
{
    for (uint32_t s = 0; s < SYNAPSES_SLOTS; ++s)
        t->slot_chunk[s] = SYNAPSES_NO_EVENT;
    for (uint32_t c = 0; c < t->chunks; ++c)
        t->chunk_next[c] = c + 1 < t->chunks ? c + 1 : SYNAPSES_NO_EVENT;
    t->chunk_free = t->chunks ? 0 : SYNAPSES_NO_EVENT;
    t->in_flight = 0;
}

/* Events k < count into their slots (see synapses_enqueue), from locals:
 * the chunks' fill bytes would otherwise alias every field of the table. */
static void
enqueue_all(synapse_table *t, const uint32_t *slot, const uint32_t *target, const float *g,
            uint32_t count)
{
    uint32_t *restrict slot_chunk = t->slot_chunk, *restrict chunk_next = t->chunk_next;
    uint8_t *restrict fill = t->chunk_fill;
    synapse_event *restrict ev = t->ev;
    const uint32_t capacity = t->ev_capacity;
    uint32_t in_flight = t->in_flight, chunk_free = t->chunk_free;
    uint64_t dropped = 0;
    for (uint32_t k = 0; k < count; ++k) {
        if (in_flight >= capacity) {
            dropped++;
            continue;
        }
        uint32_t c = slot_chunk[slot[k]];
        if (c == SYNAPSES_NO_EVENT || fill[c] == SYNAPSES_CHUNK) {
            /* a new chunk in front: there is always one (synapses.c sizes
             * the pool for ev_capacity events with every slot's newest
             * chunk part full) */
            const uint32_t fresh = chunk_free;
            chunk_free = chunk_next[fresh];
            chunk_next[fresh] = c;
            fill[fresh] = 0;
            slot_chunk[slot[k]] = c = fresh;
        }
        const size_t e = (size_t)c * SYNAPSES_CHUNK + fill[c]++;
        ev[e] = (synapse_event){target[k], g[k]};
        in_flight++;
    }
    t->in_flight = in_flight;
    t->chunk_free = chunk_free;
    t->events_dropped += dropped;
}

void
synapses_enqueue(synapse_table *t, uint32_t slot, uint32_t target, float g)
{
    enqueue_all(t, &slot, &target, &g, 1);
}

/* The events of this step's slot into the conductances, newest first; its
 * chunks back to the free list. */
static int
drain(synapse_table *t, float *const g[3])
{
    const uint32_t slot = (uint32_t)(t->step & (SYNAPSES_SLOTS - 1u));
    uint32_t c = t->slot_chunk[slot];
    if (c == SYNAPSES_NO_EVENT)
        return 0;
    const synapse_event *restrict ev = t->ev;
    while (c != SYNAPSES_NO_EVENT) {
        const uint32_t next = t->chunk_next[c], fill = t->chunk_fill[c];
        const size_t first = (size_t)c * SYNAPSES_CHUNK;
        for (uint32_t k = fill; k-- > 0;) {
            const synapse_event e = ev[first + k];
            g[e.target >> GROUP_SHIFT][e.target & POST_MASK] += e.g;
        }
        t->in_flight -= fill;
        t->chunk_next[c] = t->chunk_free;
        t->chunk_free = c;
        c = next;
    }
    t->slot_chunk[slot] = SYNAPSES_NO_EVENT;
    return 1;
}

/* A row's arrival slots, targets and amounts (deliver), with nothing but
 * arithmetic in the loop: it vectorises, on every instruction-set path
 * (the same operations in the same order on each: the same bits). */
typedef struct {
    const float *dist;
    const synapse_weight *w;
    const uint32_t *post;
    uint32_t *slot, *target;
    float *amount;
    float frac, steps_per_mm, dt_over_tau, scale;
    uint32_t now, tag;
} row_args;

SIMD_INLINE uint32_t
arrivals_loop(const row_args *r, uint32_t count, int decays)
{
    const float *restrict dist = r->dist;
    const synapse_weight *restrict w = r->w;
    const uint32_t *restrict post = r->post;
    uint32_t *restrict slot = r->slot, *restrict target = r->target;
    float *restrict amount = r->amount;
    const float frac = r->frac, steps_per_mm = r->steps_per_mm, dt_over_tau = r->dt_over_tau,
                scale = r->scale;
    const uint32_t now = r->now, tag = r->tag;
    const float last = (float)(SYNAPSES_SLOTS - 1u);
    uint32_t clamped = 0;
    for (uint32_t k = 0; k < count; ++k) {
        const float a = frac + dist[k] * steps_per_mm; /* steps from this one's start */
        const int beyond = a >= last;
        /* a >= 0: the truncation is the floor */
        const int32_t whole = (int32_t)(beyond ? last : a);
        slot[k] = (now + (uint32_t)whole) & (SYNAPSES_SLOTS - 1u);
        target[k] = post[k] | tag;
        if (decays) {
            /* of the arrival step, after the arrival */
            const float rest = beyond ? 0.0f : 1.0f - (a - (float)whole);
            amount[k] = scale * w[k].w * vm_expf(-rest * dt_over_tau);
        } else {
            /* no decay before the step's end (receptors: dt_over_tau 0,
             * where the exponential is exactly 1 and x 1 is x) */
            amount[k] = scale * w[k].w;
        }
        clamped += (uint32_t)beyond;
    }
    return clamped;
}

typedef struct {
    const row_args *r;
    uint32_t *clamped;
} arrivals_args;

SIMD_INLINE void
arrivals_kernel(const arrivals_args *a, uint32_t count)
{
    *a->clamped = a->r->dt_over_tau != 0.0f ? arrivals_loop(a->r, count, 1)
                                            : arrivals_loop(a->r, count, 0);
}

SIMD_MULTIVERSION(row_arrivals, arrivals_kernel, (const arrivals_args *a, uint32_t count),
                  (a, count))

static void
deliver(synapse_table *t, const synapse_params *sp, const network_params *np, uint32_t pre,
        float frac, int inh, unsigned group, float *const g[3])
{
    const float scale = inh ? np->w_inh : np->w_exc;
    if (scale <= 0.0f)
        return;
    float *restrict gg = g[group];
    const uint32_t begin = t->row[pre], end = t->row[pre + 1];
    if (sp->velocity <= 0.0f) {
        for (uint32_t s = begin; s < end; ++s)
            gg[t->post[s]] += scale * t->weight[s].w;
        return;
    }
    /* Two passes over the row: the arrival slots, targets and amounts
     * first (row_arrivals), then the enqueueing. The per-neuron scratch
     * arrays are free until the step's STDP. */
    const uint32_t count = end - begin;
    const row_args r = {
        .dist = t->dist_mm + begin, .w = t->weight + begin, .post = t->post + begin,
        .slot = t->order, .target = t->syn_scratch, .amount = t->trace_scratch,
        .frac = frac, .steps_per_mm = 1.0f / (sp->velocity * sp->dt_ms),
        .dt_over_tau = sp->dt_ms / (inh ? sp->tau_inh_ms : sp->tau_exc_ms), .scale = scale,
        .now = (uint32_t)t->step, .tag = (uint32_t)group << GROUP_SHIFT,
    };
    uint32_t clamped = 0;
    const arrivals_args a = {&r, &clamped};
    row_arrivals(np->isa, &a, count);
    t->delays_clamped += clamped;
    enqueue_all(t, r.slot, r.target, r.amount, count);
}

/* Heap sort of order[0..count) by frac (ties by neuron index: the order is
 * fixed whatever the sort does with equal keys). No allocation. */
static int
later(const float *frac, const uint32_t *spiked, uint32_t a, uint32_t b)
{
    return frac[a] > frac[b] || (frac[a] == frac[b] && spiked[a] > spiked[b]);
}

static void
sift(uint32_t *o, uint32_t i, uint32_t count, const float *frac, const uint32_t *spiked)
{
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= count)
            return;
        if (c + 1 < count && later(frac, spiked, o[c + 1], o[c]))
            ++c;
        if (!later(frac, spiked, o[c], o[i]))
            return;
        uint32_t tmp = o[i];
        o[i] = o[c];
        o[c] = tmp;
        i = c;
    }
}

/* Steps with up to 32 spikes are sorted by insertion, which mispredicts
 * about once a spike where the heap's sift did at about every other
 * comparison (hillock bench's learning network fires in volleys: half its
 * steps with spikes have 10 or more, and the heap was 1 % of its run). The
 * order is total (ties by neuron index): both sorts give the same. */
#define INSERTION_SORT_MAX 32u

static void
time_order(uint32_t *o, uint32_t count, const float *frac, const uint32_t *spiked)
{
    if (count <= INSERTION_SORT_MAX) {
        for (uint32_t k = 0; k < count; ++k) {
            uint32_t at = k;
            while (at > 0 && later(frac, spiked, o[at - 1], k)) {
                o[at] = o[at - 1];
                --at;
            }
            o[at] = k;
        }
        return;
    }
    for (uint32_t k = 0; k < count; ++k)
        o[k] = k;
    for (uint32_t i = count / 2; i-- > 0;)
        sift(o, i, count, frac, spiked);
    for (uint32_t end = count; end > 1; --end) {
        uint32_t tmp = o[0];
        o[0] = o[end - 1];
        o[end - 1] = tmp;
        sift(o, 0, end - 1, frac, spiked);
    }
}

/* Ask for what the step's spikes will read, all before the first is used:
 * the first lines of their rows of targets, weights and eligibilities,
 * axon lengths (the hardware prefetcher follows a row once it is read),
 * and with plasticity their whole columns (the potentiation reads them
 * after the delivery and the arrivals, which are time enough for them to
 * come). Each row and column lies far from the last, and they would
 * otherwise be one cache miss after another. */
static void
prefetch_rows(const synapse_table *t, const uint32_t *spiked, uint32_t count, int plastic)
{
    for (uint32_t k = 0; k < count; ++k) {
        const uint32_t pre = spiked[k], s = t->row[pre];
        __builtin_prefetch(&t->post[s]);
        __builtin_prefetch(&t->weight[s], 1);
        __builtin_prefetch(&t->dist_mm[s]);
        if (!plastic)
            continue;
        const uint32_t begin = t->in_row[pre], end = t->in_row[pre + 1];
        if (begin == end)
            continue;
        /* a line every 16 entries, and the one of the last */
        for (uint32_t c = begin; c < end; c += 16u) {
            __builtin_prefetch(&t->in_pre[c]);
            __builtin_prefetch(&t->in_syn[c]);
        }
        __builtin_prefetch(&t->in_pre[end - 1]);
        __builtin_prefetch(&t->in_syn[end - 1]);
    }
}

/* Ask for the events due in the next step (its slot's chunks: their
 * targets and amounts, one line each), which lie wherever the free list
 * put them: the bank's whole next step runs while they come. */
static void
prefetch_next_slot(const synapse_table *t)
{
    const uint32_t slot = (uint32_t)(t->step & (SYNAPSES_SLOTS - 1u));
    for (uint32_t c = t->slot_chunk[slot]; c != SYNAPSES_NO_EVENT; c = t->chunk_next[c]) {
        const size_t first = (size_t)c * SYNAPSES_CHUNK;
        __builtin_prefetch(&t->ev[first]);
        __builtin_prefetch(&t->ev[first + SYNAPSES_CHUNK / 2]);
        __builtin_prefetch(&t->ev[first + SYNAPSES_CHUNK - 1]);
    }
}

int
synapses_step(synapse_table *t, const synapse_params *sp, const network_params *np,
              const uint32_t *spiked, const float *frac, uint32_t count,
              const uint8_t *inhibitory, const uint8_t *branch, float *const g[3])
{
    int added = 0;
    prefetch_rows(t, spiked, count, sp->rate > 0.0f);
    if (np->p > 0.0f)
        for (uint32_t k = 0; k < count; ++k) {
            const uint32_t pre = spiked[k];
            const int inh = inhibitory[pre];
            deliver(t, sp, np, pre, frac[k], inh, inh ? 2u : branch[pre], g);
            added = 1;
        }
    added |= drain(t, g);
    if (sp->rate > 0.0f && count) {
        time_order(t->order, count, frac, spiked);
        for (uint32_t q = 0; q < count; ++q) {
            const uint32_t k = t->order[q], i = spiked[k];
            const double when = t->t_ms + (double)frac[k] * sp->dt_ms;
            synapses_stdp_post(t, sp, inhibitory, i, when);
            if (!inhibitory[i])
                synapses_stdp_pre(t, sp, i, when);
        }
    }
    t->t_ms += sp->dt_ms;
    t->step++;
    prefetch_next_slot(t);
    if (sp->rate > 0.0f || sp->dopamine != 0.0f)
        synapses_reward(t, sp, t->t_ms);
    else
        t->reward_ms = t->t_ms;
    return added;
}
