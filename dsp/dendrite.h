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
 *
 * That is one dendritic zone fed by both branches: A and B are two inputs
 * onto the same branch. With subunits on (branch_subunits), each branch is
 * a zone of its own with its own nonlinearity, and the soma sums their
 * outputs: the neuron as a two-layer network (Poirazi, Brannon & Mel 2003),
 * where inputs on the same branch cooperate and inputs on different
 * branches do not:
 *  nmda    each branch k is a thin compartment coupled to the one it sits
 *          on (voltage V) by DENDRITE_BRANCH_G_C; its own input g_k raises
 *          its own voltage V_k, which unblocks its own NMDA receptors:
 *          V_k -> (g_k B(V_k) E + g_c V) / (g_k B(V_k) + g_c), V_k a state
 *          of the branch (bank.branch_v), and it sends g_c (V_k - V) =
 *          g_eff (E - V), g_eff = g_c g_k B / (g_k B + g_c), to the
 *          compartment. Input concentrated on one branch depolarises it
 *          more and unblocks more than the same input spread over two.
 *  dcaap   I = A (f(g_A / threshold) + f(g_B / threshold)): each branch its
 *          own dCaAP, so A and B alone or together all fire (OR), and
 *          the XOR lives within one branch, as Gidon et al. found it.
 */
#ifndef HILLOCK_DENDRITE_H
#define HILLOCK_DENDRITE_H

#include <stdint.h>

#define DENDRITE_E_EXC_MV 0.0f
/* Hillock's choice: a branch's coupling to its compartment, mS/cm² (a thin
 * branch: comparable to a few mS/cm² of input, so NMDA can unblock locally) */
#define DENDRITE_BRANCH_G_C 0.5f
#define DENDRITE_BRANCH_C 1.0f /* uF/cm² */

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
    int subunits; /* each branch its own nonlinearity (branch_subunits) */
    float dt_ms;  /* the step, for the subunit branches' voltages */
} dendrite_params;

/* One step of dt_ms of an NMDA subunit branch with input g on a compartment
 * at v_mV: its voltage *v_k (state, mV) relaxes towards the balance above
 * (branch capacitance DENDRITE_BRANCH_C), so it settles on the lowest
 * balance from below and holds an NMDA plateau once there, as a real
 * branch; returns the conductance it sends (reversal 0 mV). */
float dendrite_nmda_subunit_step(float g, float v_mV, float mg_mM, float dt_ms, float *v_k);

/* Jahr & Stevens 1990 Mg2+ unblock fraction at v_mV. */
float dendrite_nmda_block(float v_mV, float mg_mM);

/* The dCaAP zone's normalised response f(r), r = input / threshold. */
float dendrite_dcaap_response(float r, float width);

/* Branch currents into a compartment with voltage v[i], branch synaptic
 * conductances g_a[i], g_b[i]: adds to out_i (V-independent current), out_g
 * and out_ge (conductance and conductance*reversal, in mV-equivalent).
 * branch_v: the subunit branches' voltages (state, advanced one step; used
 * by nmda with subunits only). */
void dendrite_currents(const dendrite_params *p, const float *v, const float *g_a,
                       const float *g_b, float *const branch_v[2], float *out_i,
                       float *out_g, float *out_ge, uint32_t n);

#endif
