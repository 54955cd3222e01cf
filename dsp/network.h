/* network.h — synapses between bank neurons, with seeded random connectivity.
 *
 * Connectivity is never stored: the targets of presynaptic neuron j are drawn
 * from a random stream seeded by (seed, j), skipping ahead by geometric gaps
 * so each pair is connected with probability p independently (Erdős–Rényi,
 * no autapses). The same seed always gives the same network, any change of
 * seed, p or bank size takes effect at once, and memory does not grow with
 * connectivity.
 *
 * Conductance-based synapses: a spike adds w_exc to the target's excitatory
 * conductance on one of its dendritic branches (fixed per presynaptic neuron),
 * or w_inh to its somatic inhibitory conductance (reversal -80 mV); each decays
 * exponentially with its own time constant.
 */
#ifndef HILLOCK_NETWORK_H
#define HILLOCK_NETWORK_H

#include <stdint.h>

#define NETWORK_E_INH_MV (-80.0f)

typedef struct {
    uint64_t seed;
    float p;          /* connection probability */
    float w_exc, w_inh; /* mS/cm² per spike */
} network_params;

/* Which neurons are inhibitory (fraction inh_fraction, seeded), and which
 * branch each neuron's excitatory synapses land on. */
void network_assign_types(uint8_t *inhibitory, uint8_t *branch, uint32_t n,
                          uint64_t seed, float inh_fraction);

/* Deliver a spike of neuron pre to its targets among n neurons. */
void network_deliver(const network_params *p, uint32_t pre, uint32_t n,
                     int pre_inhibitory, float *g_exc_branch, float *g_inh);

#endif
