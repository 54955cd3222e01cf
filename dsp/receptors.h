/* receptors.h — postsynaptic receptors with their kinetics, per neuron.
 *
 * With synapse_model = receptors a spike releases a transmitter onto its
 * targets (Dale's law: an excitatory cell releases glutamate, an inhibitory
 * one GABA) and each target's receptors respond with their own time course:
 *
 *   glutamate -> AMPA  (fast)        on the dendritic branch it lands on
 *             -> NMDA  (slow, Mg2+ block of dendrite.h)   same branch
 *   GABA      -> GABA-A (fast, Cl-)  at the soma
 *             -> GABA-B (slow, K+, delayed by its G-protein cascade)  soma
 *
 * AMPA, NMDA and GABA-A are dual exponentials: a spike of weight w gives
 * a conductance w norm (exp(-t/tau_decay) - exp(-t/tau_rise)), which
 * starts at zero, peaks at w after t_peak and decays with tau_decay. Time
 * constants (ms) and reversals (mV):
 *
 *   AMPA    rise 0.2, decay 2    E 0     Destexhe, Mainen & Sejnowski 1998
 *                                        (Methods in Neuronal Modeling, ch. 1);
 *                                        decay 2 ms as Brunel & Wang 2001
 *   NMDA    rise 2,   decay 100  E 0     Brunel & Wang 2001 (J Comput
 *                                        Neurosci 11:63); block: Jahr &
 *                                        Stevens 1990
 *   GABA-A  rise 0.5, decay 5    E -80   Destexhe et al. 1998 (E_Cl);
 *                                        decay 5 ms as Wang 2002
 *
 * The state is kept as a cascade rather than one exponential per time
 * constant: for glutamate x = exp(-t/0.2), f = exp(-t/2) - exp(-t/0.2)
 * (AMPA's shape) and s = exp(-t/100) - exp(-t/2) (NMDA's), per unit weight;
 * AMPA's decay and NMDA's rise are both 2 ms, so three states carry both
 * receptors. A spike adds its weight to x alone (the differences start at
 * zero), which lets the synapses deliver straight into x, and each step
 * advances the three exactly:
 *     x' = e_r x,   f' = e_f f + (e_f - e_r) x,   s' = e_s s + (e_s - e_f)(f + x)
 * (the exponentials' own updates, e = exp(-dt/tau), rewritten for the
 * differences). GABA-A is the same with two states (x, a).
 *
 * GABA-B is the kinetic model of Destexhe & Sejnowski 1995 (PNAS 92:9515),
 * in the pulse form of Destexhe et al. 1996/1998: a spike releases GABA
 * (0.5 mM for 0.3 ms) which binds receptors R, which make G protein G, four
 * of which open a K+ channel:
 *     dR/dt = K1 [T] (1 - R) - K2 R,   dG/dt = K3 R - K4 G,
 *     g = gmax G^4 / (G^4 + KD),       E = -95 mV (E_K)
 *     K1 0.52 /ms/mM, K2 0.0013 /ms, K3 0.098 /ms, K4 0.033 /ms, KD 100.
 * G lags R, and the fourth power makes the conductance start late: the
 * IPSP peaks about 100 ms after the spike and lasts hundreds of ms, and it
 * grows much faster than linearly with the number of spikes (a burst gives
 * far more than its spikes one by one). The pulse is short against every
 * other time constant, so it is taken as a step in R at the spike:
 * R += (1 - R)(1 - exp(-K1 0.5 mM 0.3 ms)). Between spikes R and G are
 * advanced exactly (both linear).
 *
 * Hillock pools one neuron's receptors of each kind (its state is per
 * neuron, not per synapse: flat arrays, vectorised): linear kinetics sum
 * exactly; GABA-B's pool sees every GABA spike of weight w as w / w_unit
 * releases on the neuron's receptors, w_unit being the network's
 * inhibitory weight, and its full conductance is GABAB_GMAX_PER_W w_unit.
 * Weight w, in mS/cm², is the peak conductance of AMPA and GABA-A;
 * NMDA's peak is nmda_ratio w.
 *
 * State is read for a step's currents, then advanced by one step; a
 * delivery (after every neuron has stepped) lands in x, or for GABA in
 * `pending_gaba`, which joins the state at the next step's start: spikes
 * of step k act from step k + 1, as the exponential synapses do.
 */
#ifndef HILLOCK_RECEPTORS_H
#define HILLOCK_RECEPTORS_H

#include "simd.h"

#include <stdint.h>

typedef enum { TRANSMITTER_GLUTAMATE, TRANSMITTER_GABA } transmitter;

#define RECEPTOR_AMPA_RISE_MS 0.2f
/* AMPA's decay and NMDA's rise (Brunel & Wang 2001 give both 2 ms): the
 * cascade above shares one state between them */
#define RECEPTOR_GLU_FAST_MS 2.0f
#define RECEPTOR_AMPA_DECAY_MS RECEPTOR_GLU_FAST_MS
#define RECEPTOR_NMDA_RISE_MS RECEPTOR_GLU_FAST_MS
#define RECEPTOR_NMDA_DECAY_MS 100.0f
#define RECEPTOR_GABAA_RISE_MS 0.5f
#define RECEPTOR_GABAA_DECAY_MS 5.0f
#define RECEPTOR_E_GLU_MV 0.0f
#define RECEPTOR_E_GABAA_MV (-80.0f)
#define RECEPTOR_E_GABAB_MV (-95.0f)
/* Destexhe et al. 1996 (J Neurophysiol 76:2049) / 1998, GABA-B pulse model */
#define GABAB_K1 0.52f  /* /ms/mM */
#define GABAB_K2 0.0013f /* /ms */
#define GABAB_K3 0.098f  /* /ms */
#define GABAB_K4 0.033f  /* /ms */
#define GABAB_KD 100.0f
#define GABAB_T_MM 0.5f
#define GABAB_PULSE_MS 0.3f
/* Hillock's choice: a neuron's whole GABA-B pool, fully activated, conducts
 * four inhibitory weights (its GABA-A peak per spike is one). */
#define GABAB_GMAX_PER_W 4.0f

/* What a step needs, derived from the parameters (receptors_configure). */
typedef struct {
    float nmda_ratio;   /* NMDA peak / AMPA peak */
    float mg_mM;        /* NMDA block */
    float nmda_scale;   /* 1 - ap5 */
    float gabaa_scale;  /* (1 - bicuculline) * benzodiazepine */
    float w_unit;       /* mS/cm²: one GABA-B release (the network's w_inh) */
    float to_mV_a, to_mV_b; /* compartment variable -> mV (model_desc) */
    float g_max;        /* each output conductance saturates here (the model's
                         * stable range, as bank.c's exponential synapses) */
    int one_branch;     /* the dendrite sums its two branches before any
                         * nonlinearity (dendrite_currents without subunits):
                         * glutamate is kept on branch 0 alone
                         * (receptors_set_branches) */
    /* per step: decay factors e = exp(-dt/tau), the cascade's couplings
     * (differences of e), dual-exponential normalisations, GABA-B */
    float glu_rise, glu_fast, glu_slow;       /* e for 0.2, 2 and 100 ms */
    float glu_fast_from_x, glu_slow_from_fast; /* e_f - e_r, e_s - e_f */
    float ampa_norm, nmda_norm;
    float gabaa_rise, gabaa_decay, gabaa_from_x, gabaa_norm;
    float gabab_release;   /* R step per release: 1 - exp(-K1 T pulse) */
    float gabab_r_decay;   /* exp(-K2 dt) */
    float gabab_g_decay;   /* exp(-K4 dt) */
    float gabab_g_from_r;  /* K3 (exp(-K2 dt) - exp(-K4 dt)) / (K4 - K2) */
    float gabab_gmax;      /* mS/cm² */
    float gabab_log_free_per_w; /* log(1 - gabab_release) / w_unit: a weight w
                                 * leaves exp(this w) of the free receptors */
} receptors_config;

typedef struct {
    uint32_t capacity;
    /* state, per neuron (glutamate per dendritic branch), in weight units
     * (mS/cm² of peak conductance): the cascade above */
    float *glu_x[2];    /* spikes' glutamate arrives here */
    float *glu_fast[2]; /* AMPA's shape */
    float *glu_slow[2]; /* NMDA's shape */
    float *pending_gaba; /* GABA arrived since the last step (GABA-B's release
                          * depends on it nonlinearly) */
    float *gaba_x, *gabaa;
    float *gabab_r, *gabab_g;
    float *out_glu[2]; /* receptors_glu_step's results */
    int one_branch; /* glutamate on branch 0 alone (receptors_set_branches) */
    int live;       /* some state or pending weight may be nonzero */
    uint32_t quiet; /* steps since the last delivery */
} receptors;

/* The arrays that hold state (in a fixed order, for saving and loading):
 * returns their number, at most RECEPTORS_STATE_ARRAYS. */
#define RECEPTORS_STATE_ARRAYS 11
unsigned receptors_state_arrays(receptors *r, float *out[RECEPTORS_STATE_ARRAYS]);

/* Where the synapses add a spike's weight: glutamate on branch 0 and 1,
 * GABA (bank.c's delivery arrays). */
static inline float *
receptors_target(receptors *r, unsigned k)
{
    return k < 2 ? r->glu_x[r->one_branch ? 0 : k] : r->pending_gaba;
}

/* Before a step, for neurons [0, n): whether the branches are summed before
 * any nonlinearity (c->one_branch). Where they are, glutamate is kept on
 * branch 0 alone, a branch's worth of work saved: switching to it moves
 * branch 1's state onto branch 0 (the kinetics are linear: the sum is
 * what the two give), and branch 1's conductance stays zero; switching
 * back starts branch 1 empty. Real-time safe (one pass over n). */
void receptors_set_branches(receptors *r, const receptors_config *c, uint32_t n);

/* The per-step constants for step dt_ms (no allocation). */
void receptors_configure(receptors_config *c, float dt_ms, float nmda_ratio, float mg_mM,
                         float ap5, float bicuculline, float benzodiazepine, float w_unit,
                         float to_mV_a, float to_mV_b, float g_max);

/* touch: write every page now (real-time use), or leave them to their
 * first use (offline; zeroed.h) */
receptors *receptors_create(uint32_t capacity, int touch);
void receptors_destroy(receptors *r);

/* Neurons [begin, end) without any receptor activity. */
void receptors_clear(receptors *r, uint32_t begin, uint32_t end);

/* Neurons [begin, end) take from's state (a settled pre-roll's network,
 * dsp/settle.c); both have at least `end` capacity. */
void receptors_copy(receptors *to, const receptors *from, uint32_t begin, uint32_t end);

/* A spike of weight w (mS/cm²) arrives at neuron post: glutamate on
 * dendritic branch `branch` (0 or 1), GABA at the soma (branch unused).
 * Real-time safe; acts from the next step. */
static inline void
receptors_deliver(receptors *r, uint32_t post, unsigned branch, transmitter t, float w)
{
    receptors_target(r, t == TRANSMITTER_GLUTAMATE ? branch & 1u : 2u)[post] += w;
    r->live = 1;
    r->quiet = 0;
}

/* One step for neurons [base, base + len), in two calls. Glutamate: this
 * step's conductances, from the state at its start, are written (not
 * added) to out_glu[branch] (AMPA + NMDA through its Mg2+ block at the
 * voltage v_branch[i - base] of the compartment the branches sit on;
 * reversal 0 mV, as dendrite.h's branch inputs); then the state advances
 * by one step. GABA: the pending weight joins the state (GABA-B's
 * release); GABA-A + GABA-B at the soma are added to soma_g and soma_ge
 * (g and g E, mV-equivalent, model.h); the state advances. */
void receptors_glu_step(receptors *r, const receptors_config *c, const float *v_branch,
                        uint32_t base, uint32_t len, simd_isa isa);
void receptors_gaba_step(receptors *r, const receptors_config *c, float *soma_g,
                         float *soma_ge, uint32_t base, uint32_t len, simd_isa isa);

/* The conductances (mS/cm²) of neuron i now, for tests and displays:
 * ampa and nmda summed over both branches, nmda before its Mg block and
 * the drugs. */
typedef struct {
    float ampa, nmda, gabaa, gabab;
} receptor_conductances;
receptor_conductances receptors_conductances(const receptors *r, const receptors_config *c,
                                             uint32_t i);

/* After a step: clears `live` once everything has decayed to exact zero
 * (looked at every ZERO_CHECK quiet steps). */
void receptors_track(receptors *r, uint32_t n);

#endif
