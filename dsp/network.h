/* network.h — synapses between bank neurons, with seeded random connectivity.
 *
 * Connectivity is never stored: the targets of presynaptic neuron j are drawn
 * from a random stream seeded by (seed, j), skipping ahead by geometric gaps
 * so each pair is connected with probability p independently (Erdős–Rényi,
 * no autapses). For p > 1/2 the stream marks the pairs that are NOT
 * connected, with probability 1 - p, so a dense graph costs what a sparse
 * one does. The same seed always gives the same network, any change of
 * seed, p or bank size takes effect at once, and memory does not grow with
 * connectivity. (A sparse graph's rows, once drawn, may be kept in a store
 * of fixed size, network_rows.h, and read at the neuron's next spike: the
 * same targets, a cache of the draw, forgotten when seed, p or size change.)
 *
 * Conductance-based synapses: a spike adds w_exc to the target's excitatory
 * conductance on one of its dendritic branches (fixed per presynaptic neuron),
 * or w_inh to its somatic inhibitory conductance (reversal -80 mV); each decays
 * exponentially with its own time constant.
 */
#ifndef HILLOCK_NETWORK_H
#define HILLOCK_NETWORK_H

#include "simd.h"

#include <stdint.h>

#define NETWORK_E_INH_MV (-80.0f)
#define NETWORK_STOP_EVERY 16u /* spikes: at most 16 x 8192 synaptic operations */

typedef struct {
    uint64_t seed;
    float p;          /* connection probability */
    float w_exc, w_inh; /* mS/cm² per spike */
    simd_isa isa;       /* the instruction-set path of this bank, set by the bank */
    /* > 0: a delivery leaves no conductance it adds to above g_bound (each
     * sum it makes is bounded as it is made); 0: no bound. The bank sets it
     * when every conductance is already within its saturation bound, so
     * that the bound need not be applied to the whole bank afterwards. */
    float g_bound;
    float g_bound_exc; /* the same for the excitatory conductances (twice g_bound
                          where one array carries both branches: bank.h) */
    /* Offline renders only (engine_set_stop_query): asked every
     * NETWORK_STOP_EVERY spikes of a step, since one step of a huge dense
     * graph can take most of a second; a nonzero answer leaves the step's
     * delivery unfinished. NULL: never asked. */
    int (*stop)(void *arg);
    void *stop_arg;
    /* The rows kept once drawn (network_rows.h), or NULL: every row drawn
     * anew. The bank sets it; the graph and the sums are the same either way. */
    struct network_rows *rows;
} network_params;

/* Which neurons are inhibitory (fraction inh_fraction, seeded), and which
 * branch each neuron's excitatory synapses land on. */
void network_assign_types(uint8_t *inhibitory, uint8_t *branch, uint32_t n,
                          uint64_t seed, float inh_fraction);

/* 1 if a spike reaches its targets with a weight: a graph (p > 0) and
 * some weight above 0. A graph without weights adds nothing to any
 * conductance, so the bank is an uncoupled one: it steps, settles, keeps
 * time and is budgeted as one, with the same bits (adding 0 changes no
 * conductance, every one being +0 or above). */
int network_delivers(const network_params *p);

/* Deliver a spike of neuron pre to its targets among n neurons. */
void network_deliver(const network_params *p, uint32_t pre, uint32_t n,
                     int pre_inhibitory, float *g_exc_branch, float *g_inh);

/* The targets of neuron pre among n neurons, in increasing order, as
 * network_deliver reaches them (the same graph, whatever the weights):
 * written to targets (room for n), their number returned. The stored
 * synapse table (synapses.h) is built from it. */
uint32_t network_targets(const network_params *p, uint32_t pre, uint32_t n, uint32_t *targets);

/* Deliver one step's spikes (spiked[0..count)) to the n neurons. A sparse
 * graph (p <= 1/2) delivers spike by spike as network_deliver, in that
 * order; a dense one (p > 1/2, all-to-all included) adds to each target w
 * times its presynaptic spike count, found as the group's spike count less
 * the spikes it is not connected to: at most n + count (1 - p) n operations
 * per step, n + count when p = 1. missed: scratch of 3 n floats. */
void network_deliver_step(const network_params *p, const uint32_t *spiked, uint32_t count,
                          uint32_t n, const uint8_t *inhibitory, const uint8_t *branch,
                          float *const g_exc[2], float *g_inh, float *missed);

/* Work units (synaptic operations) network_deliver_step spends on `spikes`
 * spikes among n neurons; the real-time guard budgets with it. */
uint64_t network_step_cost(const network_params *p, uint32_t spikes, uint32_t n);

#endif
