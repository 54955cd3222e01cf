/* synapses.c — the stored synapse table: its memory, its build from the
 * seeded graph, its wiring. The step is synapse_step.c, the learning
 * stdp.c. */
#include "synapses.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


size_t
synapses_bytes_per_synapse(void)
{
    /* post, in_syn, in_pre; w, dist_mm, elig; and per event in flight
     * target, g, and its share of a chunk's next and fill (rounded up) */
    return 3 * sizeof(uint32_t) + 3 * sizeof(float) +
           SYNAPSES_EVENTS_PER_SYNAPSE * (sizeof(uint32_t) + sizeof(float) + 1u);
}

/* Chunks for `events` events in flight: full chunks, and every slot's
 * newest chunk may be part full. */
static uint32_t
chunks_for(uint32_t events)
{
    const uint32_t slots = events < SYNAPSES_SLOTS ? events : SYNAPSES_SLOTS;
    return (uint32_t)(((uint64_t)events + SYNAPSES_CHUNK - 1u) / SYNAPSES_CHUNK) + slots;
}

/* Memory beside the synapses: per neuron rows, traces (and two in a
 * reference frame), times, order and the scratch of traces and synapses; the ring's slot heads, and the part-full chunks'
 * room for `events` events. */
static size_t
fixed_bytes(uint32_t n, uint32_t events)
{
    const size_t slack = (size_t)chunks_for(events) * SYNAPSES_CHUNK - events;
    return (size_t)(n + 1) * 2 * sizeof(uint32_t) + (size_t)n * (7 * sizeof(float) +
           2 * sizeof(double) + 2 * sizeof(uint32_t)) + SYNAPSES_SLOTS * sizeof(uint32_t) +
           slack * (sizeof(uint32_t) + sizeof(float));
}

void
synapses_free(synapse_table *t)
{
    if (!t)
        return;
    free(t->row);
    free(t->post);
    free(t->weight);
    free(t->dist_mm);
    free(t->in_row);
    free(t->in_syn);
    free(t->in_pre);
    free(t->r1);
    free(t->r2);
    free(t->o1);
    free(t->o2);
    free(t->t_pre);
    free(t->t_post);
    free(t->r1_frame);
    free(t->o1_frame);
    free(t->order);
    free(t->trace_scratch);
    free(t->syn_scratch);
    free(t->slot_chunk);
    free(t->chunk_next);
    free(t->chunk_fill);
    free(t->ev);
    free(t);
}

void
synapses_clear_activity(synapse_table *t)
{
    const uint32_t n = t->n;
    memset(t->r1, 0, n * sizeof(float));
    memset(t->r2, 0, n * sizeof(float));
    memset(t->o1, 0, n * sizeof(float));
    memset(t->o2, 0, n * sizeof(float));
    for (uint32_t i = 0; i < n; ++i)
        t->t_pre[i] = t->t_post[i] = 0.0;
    for (uint32_t s = 0; s < t->count; ++s)
        t->weight[s].elig = 0.0f;
    synapses_ring_empty(t);
    t->step = 0;
    t->t_ms = 0.0;
    t->reward_ms = 0.0;
    synapses_set_elig_age(t, 0);
    t->frame_valid = 0;
}

void
synapses_fresh_start(synapse_table *t)
{
    if (t->resume)
        t->resume = 0;
    else
        synapses_clear_activity(t);
}

int
synapses_match(const synapse_table *t, const network_params *p, uint32_t n)
{
    return t && t->seed == p->seed && t->n == n && t->p == p->p;
}

static float
ring_distance_mm(uint32_t i, uint32_t j, uint32_t n)
{
    uint32_t d = i > j ? i - j : j - i;
    d = d < n - d ? d : n - d;
    return SYNAPSES_RING_MM * (float)d / (float)n;
}

synapse_table *
synapses_build(const network_params *p, uint32_t n, char *err, size_t err_len)
{
    if (err && err_len)
        err[0] = '\0';
    uint32_t *targets = malloc((size_t)(n ? n : 1) * sizeof *targets);
    if (!targets) {
        snprintf(err, err_len, "synapse table: out of memory");
        return NULL;
    }
    /* first pass: how many */
    uint64_t count = 0;
    for (uint32_t j = 0; j < n; ++j)
        count += network_targets(p, j, n, targets);
    const uint64_t events = count * SYNAPSES_EVENTS_PER_SYNAPSE;
    size_t bytes = fixed_bytes(n, events < UINT32_MAX ? (uint32_t)events : UINT32_MAX) +
                   (size_t)count * synapses_bytes_per_synapse();
    if (count > UINT32_MAX / SYNAPSES_EVENTS_PER_SYNAPSE || bytes > SYNAPSES_MAX_BYTES) {
        snprintf(err, err_len,
                 "synapse table: %llu synapses (%u neurons, connectivity %g) need %.0f MB, "
                 "beyond the cap of %.0f MB: plasticity and delays are off for this network "
                 "(fewer neurons or a lower connectivity fit)",
                 (unsigned long long)count, n, (double)p->p, (double)bytes / 1048576.0,
                 (double)SYNAPSES_MAX_BYTES / 1048576.0);
        free(targets);
        return NULL;
    }
    synapse_table *t = calloc(1, sizeof *t);
    if (!t) {
        free(targets);
        snprintf(err, err_len, "synapse table: out of memory");
        return NULL;
    }
    const size_t c = count ? (size_t)count : 1;
    t->seed = p->seed;
    t->n = n;
    t->p = p->p;
    t->count = (uint32_t)count;
    t->bytes = bytes;
    t->ev_capacity = (uint32_t)(c * SYNAPSES_EVENTS_PER_SYNAPSE);
    t->chunks = chunks_for(t->ev_capacity);
    const size_t room = (size_t)t->chunks * SYNAPSES_CHUNK;
    int ok = (t->row = malloc((n + 1) * sizeof(uint32_t))) != NULL;
    ok &= (t->in_row = calloc(n + 1, sizeof(uint32_t))) != NULL;
    ok &= (t->post = malloc(c * sizeof(uint32_t))) != NULL;
    ok &= (t->in_syn = malloc(c * sizeof(uint32_t))) != NULL;
    ok &= (t->in_pre = malloc(c * sizeof(uint32_t))) != NULL;
    ok &= (t->weight = malloc(c * sizeof(synapse_weight))) != NULL;
    ok &= (t->dist_mm = malloc(c * sizeof(float))) != NULL;
    ok &= (t->r1 = malloc((n ? n : 1) * sizeof(float))) != NULL;
    ok &= (t->r2 = malloc((n ? n : 1) * sizeof(float))) != NULL;
    ok &= (t->o1 = malloc((n ? n : 1) * sizeof(float))) != NULL;
    ok &= (t->o2 = malloc((n ? n : 1) * sizeof(float))) != NULL;
    ok &= (t->t_pre = malloc((n ? n : 1) * sizeof(double))) != NULL;
    ok &= (t->t_post = malloc((n ? n : 1) * sizeof(double))) != NULL;
    ok &= (t->r1_frame = malloc((n ? n : 1) * sizeof(float))) != NULL;
    ok &= (t->o1_frame = malloc((n ? n : 1) * sizeof(float))) != NULL;
    ok &= (t->order = malloc((n ? n : 1) * sizeof(uint32_t))) != NULL;
    ok &= (t->trace_scratch = malloc((n ? n : 1) * sizeof(float))) != NULL;
    ok &= (t->syn_scratch = malloc((n ? n : 1) * sizeof(uint32_t))) != NULL;
    ok &= (t->slot_chunk = malloc(SYNAPSES_SLOTS * sizeof(uint32_t))) != NULL;
    ok &= (t->chunk_next = malloc(t->chunks * sizeof(uint32_t))) != NULL;
    ok &= (t->chunk_fill = malloc(t->chunks)) != NULL;
    /* chunks on cache lines: room is a whole number of chunks, 128 bytes each */
    ok &= (t->ev = aligned_alloc(64, room * sizeof(synapse_event))) != NULL;
    if (!ok) {
        synapses_free(t);
        free(targets);
        snprintf(err, err_len, "synapse table: out of memory for %llu synapses",
                 (unsigned long long)count);
        return NULL;
    }
    /* second pass: the rows, as network_deliver reaches them */
    uint32_t at = 0;
    for (uint32_t j = 0; j < n; ++j) {
        t->row[j] = at;
        uint32_t k = network_targets(p, j, n, targets);
        for (uint32_t q = 0; q < k; ++q, ++at) {
            t->post[at] = targets[q];
            t->weight[at] = (synapse_weight){1.0f, 0.0f};
            t->dist_mm[at] = ring_distance_mm(j, targets[q], n);
            t->in_row[targets[q] + 1]++;
        }
    }
    t->row[n] = at;
    free(targets);
    /* the incoming lists: counting sort by postsynaptic neuron */
    for (uint32_t i = 0; i < n; ++i)
        t->in_row[i + 1] += t->in_row[i];
    uint32_t *fill = t->order; /* scratch of n */
    memcpy(fill, t->in_row, n * sizeof(uint32_t));
    for (uint32_t j = 0; j < n; ++j)
        for (uint32_t s = t->row[j]; s < t->row[j + 1]; ++s) {
            uint32_t k = fill[t->post[s]]++;
            t->in_syn[k] = s;
            t->in_pre[k] = j;
        }
    synapses_clear_activity(t);
    return t;
}
