/* synapses.h — the stored synapse table: every synapse of the network with
 * its weight, its conduction delay and its plasticity state, for what the
 * on-the-fly network (network.h) cannot do: weights that learn (STDP) and
 * spikes that travel (axonal delays).
 *
 * The table is built outside the audio thread (the plugin's worker, or the
 * command line before its run) from the same seeded graph network.h draws,
 * so attaching it changes no connection. Flat arrays in compressed sparse
 * rows: the outgoing synapses of neuron j are [row[j], row[j+1]) (post,
 * weight and eligibility, distance), and in_syn lists each neuron's incoming
 * synapses for the potentiation at its own spikes. Spikes in flight wait in
 * a ring of buckets of pending events, each placed at its exact arrival
 * time inside a step. synapses_step never allocates.
 *
 * Weights are relative: 1 is the network's w_exc (or w_inh for an
 * inhibitory presynaptic neuron), bounded to [0, w_max]. Only synapses from
 * excitatory neurons learn.
 */
#ifndef HILLOCK_SYNAPSES_H
#define HILLOCK_SYNAPSES_H

#include "network.h"
#include "simd.h"

#include <stddef.h>
#include <stdint.h>

/* The memory the table may take, events in flight included. A wiring
 * beyond it is refused (synapses_build says why) and the network stays on
 * the on-the-fly path: no learning, no delays. */
#define SYNAPSES_MAX_BYTES ((size_t)256 << 20)
/* Events in flight the ring holds per synapse (a synapse carries one event
 * per presynaptic spike for the length of its delay): beyond it an event is
 * dropped and counted. */
#define SYNAPSES_EVENTS_PER_SYNAPSE 2u
/* Neurons sit evenly on a ring of this circumference (the gap junctions'
 * ring); a synapse's length is the shorter arc between its two neurons. */
#define SYNAPSES_RING_MM 4.0f
/* Steps a delay may span; a longer one (a very slow axon at a very short
 * step) arrives at the last and is counted in delays_clamped. */
#define SYNAPSES_SLOTS 65536u
/* Events per chunk of a slot's bucket (synapse_step.c). */
#define SYNAPSES_CHUNK 16u
#define SYNAPSES_NO_EVENT UINT32_MAX /* the end of a slot's chunks, of the free list */
/* Reward steps (1 ms) after which the eligibility's frame starts anew
 * (stdp.c), with one pass over the synapses: elig_scale is then e^-1.024. */
#define SYNAPSES_ELIG_FRAME_STEPS 1024u

enum { STDP_PAIR_ADDITIVE, STDP_PAIR_MULTIPLICATIVE, STDP_TRIPLET };

typedef struct {
    float rate;        /* plasticity: 0 frozen, 1 the published amplitudes */
    int rule;          /* STDP_* */
    float w_max;       /* upper bound of a relative weight */
    float dopamine;    /* -1..1, 0 baseline: w += dopamine * eligibility / tau_c */
    float velocity;    /* axon_velocity, mm/ms (= m/s); 0: no delays */
    float dt_ms;       /* the bank's step */
    float tau_exc_ms, tau_inh_ms; /* the conductances' decay, for the sub-step arrival */
    simd_isa isa;      /* the path of STDP's vectorised loops; 0: portable */
} synapse_params;

typedef struct {
    uint32_t target; /* post | group << 28 */
    float g;
} synapse_event;

/* A synapse's weight and eligibility side by side: the potentiation at a
 * postsynaptic spike reads and writes both for each synapse of its column,
 * which lie one per row, far apart: one cache line each instead of two. */
typedef struct {
    float w;    /* relative weight */
    float elig; /* eligibility trace (Izhikevich 2007) in its frame: the trace
                   is elig x elig_scale */
} synapse_weight;

typedef struct synapse_table {
    /* the wiring it was drawn for: learned weights belong to it */
    uint64_t seed;
    uint32_t n;
    float p;
    uint32_t count;     /* synapses */
    size_t bytes;       /* memory it holds */
    uint32_t *row;      /* n + 1 */
    uint32_t *post;     /* count */
    synapse_weight *weight; /* count */
    float *dist_mm;     /* count: axon length */
    uint32_t *in_row;   /* n + 1 */
    uint32_t *in_syn;   /* count: synapse ids by postsynaptic neuron */
    uint32_t *in_pre;   /* count: ... and their presynaptic neurons */
    /* per neuron: presynaptic traces r1 (tau_plus), r2 (tau_x) at t_pre,
     * postsynaptic o1 (tau_minus), o2 (tau_y) at t_post (ms) */
    float *r1, *r2, *o1, *o2;
    double *t_pre, *t_post;
    /* per neuron: r1 and o1 in stdp.c's reference frame, which starts at
     * frame_ms for these time constants; rebuilt from the traces above
     * when not frame_valid (then frame_ms and the time constants mean
     * nothing) */
    float *r1_frame, *o1_frame;
    double frame_ms;
    float frame_tau_plus, frame_tau_minus;
    int frame_valid;
    uint32_t *order;    /* scratch: a step's spikes in time order */
    float *trace_scratch; /* scratch: a column's presynaptic traces (stdp.c), a row's
                             amounts (synapse_step.c) */
    uint32_t *syn_scratch; /* scratch: a column's synapses (stdp.c) */
    /* pending events: each slot of the ring a bucket of chunks of
     * SYNAPSES_CHUNK events, its newest chunk first, so that a step's
     * arrivals are read in runs rather than one pointer at a time. Event k
     * of chunk c is ev[c * SYNAPSES_CHUNK + k], its target and amount side
     * by side: a delivery writes to as many chunks as its row has delays,
     * one cache line each rather than two. */
    uint32_t *slot_chunk;  /* SYNAPSES_SLOTS: the slot's newest chunk */
    uint32_t *chunk_next;  /* chunks: the slot's next older chunk; the free list */
    uint8_t *chunk_fill;   /* chunks: its events */
    synapse_event *ev;
    uint32_t chunks, chunk_free;
    uint32_t ev_capacity, in_flight; /* events the ring holds at most, and now */
    uint64_t step;      /* steps since the table was attached or cleared */
    double t_ms;        /* model time at the start of the step */
    double reward_ms;   /* model time of the eligibility's next update */
    /* the eligibility's frame (stdp.c): reward steps since it began, and
     * exp(-/+ elig_age ms / tau_c) (synapses_set_elig_age) */
    uint32_t elig_age;
    float elig_scale, elig_unscale;
    uint64_t events_dropped, delays_clamped;
    int resume;         /* a loaded state (synapse_state.h): the bank's next fresh
                           start keeps its activity, once */
} synapse_table;

/* Bytes one synapse takes, events in flight included (hillock bench). */
size_t synapses_bytes_per_synapse(void);

/* A spike of weight g for target (post | group << 28) in flight, due in the
 * step whose ring slot is slot; dropped and counted when the ring holds
 * ev_capacity events. Each slot's events arrive newest first. */
void synapses_enqueue(synapse_table *t, uint32_t slot, uint32_t target, float g);

/* No spike in flight: every ring slot empty, every chunk free. */
void synapses_ring_empty(synapse_table *t);

/* Build the table of the network p draws among n neurons, every weight 1,
 * nothing in flight. Allocates: never on the audio thread. NULL when the
 * table would exceed SYNAPSES_MAX_BYTES or memory runs out, with the reason
 * in err. */
synapse_table *synapses_build(const network_params *p, uint32_t n, char *err, size_t err_len);
void synapses_free(synapse_table *t);

/* 1 if the table was drawn for this wiring. */
int synapses_match(const synapse_table *t, const network_params *p, uint32_t n);

/* Forget spikes in flight, traces and eligibility (weights kept): a fresh
 * start of the same network. */
void synapses_clear_activity(synapse_table *t);

/* A fresh start of the bank: synapses_clear_activity, unless the table
 * holds a loaded state to continue from (resume), which it keeps once. */
void synapses_fresh_start(synapse_table *t);

/* One step's delivery through the table, in place of network_deliver_step:
 * spikes (spiked[0..count), at fractions frac of the step) go to their
 * targets' conductances g[0..1] (excitatory, per branch) and g[2]
 * (inhibitory), at once (velocity 0) or at their arrival time; the events
 * due in this step arrive; STDP updates the weights. Returns nonzero if it
 * added to any conductance. */
int synapses_step(synapse_table *t, const synapse_params *sp, const network_params *np,
                  const uint32_t *spiked, const float *frac, uint32_t count,
                  const uint8_t *inhibitory, const uint8_t *branch, float *const g[3]);

/* STDP (stdp.c): a spike of neuron pre (excitatory) at t_ms depresses its
 * outgoing synapses by the postsynaptic traces; a spike of neuron post
 * potentiates its incoming excitatory synapses (inhibitory[pre] 0; NULL:
 * all excitatory) by the presynaptic traces. Each also updates the spiking
 * neuron's traces. Spikes must come in time order. */
void synapses_stdp_pre(synapse_table *t, const synapse_params *sp, uint32_t pre, double t_ms);
void synapses_stdp_post(synapse_table *t, const synapse_params *sp, const uint8_t *inhibitory,
                        uint32_t post, double t_ms);
/* The eligibility traces up to t_ms: every millisecond they decay with
 * tau_c = 1 s and add dopamine x eligibility / tau_c to the weights. */
void synapses_reward(synapse_table *t, const synapse_params *sp, double t_ms);
/* r1_frame and o1_frame from the traces, in the frame at frame_ms with its
 * time constants (a loaded state's frame). */
void synapses_frame_rebuild(synapse_table *t);
/* The eligibility's frame at age reward steps (< SYNAPSES_ELIG_FRAME_STEPS):
 * elig_age and its factors. */
void synapses_set_elig_age(synapse_table *t, uint32_t age);

#endif
