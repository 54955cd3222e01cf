/* dendrite.h — dendritic branch nonlinearities.
 *
 * Every neuron has two dendritic branches, A and B. Each receives a tonic
 * conductance (the branch_a / branch_b parameters) plus the excitatory
 * synapses that land on it. The dendrite mode says what a branch does with
 * its input conductance g (mS/cm², reversal 0 mV) before it reaches the
 * compartment it sits on (the soma, or Pinsky-Rinzel's dendrite):
 *
 *  linear  a plain synapse:               I = g (E - V)
 *  nmda    NMDA receptors, Mg2+ block:    I = g B(V) (E - V)
 *          B(V) = 1 / (1 + e^(-0.062 V) [Mg] / 3.57)   (Jahr & Stevens 1990)
 *          so the branch conducts only when input and depolarisation coincide.
 *  dcaap   the two branches feed one dendritic Ca2+ zone whose response is
 *          non-monotonic in its input (Gidon et al. 2020, Science 367:83,
 *          Fig. 3): zero below threshold, largest just above it, shrinking for
 *          stronger input. I = A f(r), r = (g_A + g_B) / threshold,
 *          f(r) = sigmoid((r - 1) / 0.05) * exp(-max(r - 1, 0) / width).
 *          Either input alone near threshold fires the neuron; both together
 *          overshoot and silence it: the neuron computes XOR.
 */
#ifndef HILLOCK_DENDRITE_H
#define HILLOCK_DENDRITE_H

#include <stdint.h>

#define DENDRITE_E_EXC_MV 0.0f

typedef struct {
    int mode;             /* DENDRITE_* from params.h */
    float mg_mM;          /* NMDA: extracellular Mg2+ */
    float dcaap_threshold;/* mS/cm² */
    float dcaap_width;    /* fraction of threshold */
    float dcaap_amplitude;/* µA/cm² (model units) */
    float tonic_a, tonic_b; /* mS/cm² */
    float to_mV_a, to_mV_b; /* compartment variable -> mV */
    /* synapse_model receptors: the branch synaptic conductances come
     * already shaped by their receptors (NMDA blocked, AMPA not), so the
     * nmda mode blocks only the tonic input */
    int receptors;
} dendrite_params;

/* Jahr & Stevens 1990 Mg2+ unblock fraction at v_mV. */
float dendrite_nmda_block(float v_mV, float mg_mM);

/* The dCaAP zone's normalised response f(r), r = input / threshold. */
float dendrite_dcaap_response(float r, float width);

/* Branch currents into a compartment with voltage v[i], branch synaptic
 * conductances g_a[i], g_b[i]: adds to out_i (V-independent current), out_g
 * and out_ge (conductance and conductance*reversal, in mV-equivalent). */
void dendrite_currents(const dendrite_params *p, const float *v, const float *g_a,
                       const float *g_b, float *out_i, float *out_g, float *out_ge,
                       uint32_t n);

#endif
