/* model.h — what every neuron model provides to the bank.
 *
 * A model advances n neurons by one step of dt_ms, state held as
 * structure-of-arrays floats. Inputs arrive split into a part that does not
 * depend on the membrane voltage (i, µA/cm² or the model's own unit) and a
 * conductance part (g, mS/cm², and g·E, so the current is ge − g·V), which the
 * HH-type models treat implicitly for stability. Two-compartment models take
 * the dend_* inputs on their dendrite; one-compartment models get everything
 * summed into soma_*.
 */
#ifndef HILLOCK_MODEL_H
#define HILLOCK_MODEL_H

#include "../simd.h"
#include "registry.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#define MODEL_MAX_VARS 8

typedef struct {
    float dt_ms;     /* step, model milliseconds */
    float phi;       /* HH rate factor 3^((T - 6.3)/10) */
    float threshold; /* spike detector voltage, mV (hh, pinsky_rinzel) */
    float pr_gc, pr_p;
    float izh_a, izh_b, izh_c, izh_d;
    float hr_r;
    /* Drugs and modulators on the HH-type models' channels, blocked
     * fractions (0 = intact, so a zeroed model_params is the plain model):
     * TTX on Na+, TEA on the delayed-rectifier K+, norepinephrine on
     * Pinsky-Rinzel's Ca2+-activated K-AHP. The other models ignore them. */
    float na_block, k_block, ahp_block;
    /* The model's tables (model_desc.table_floats), filled by the bank; NULL
     * for models without. */
    const float *table;
    simd_isa isa; /* the instruction-set path of this bank, set by the bank */
} model_params;

typedef struct {
    const float *soma_i, *soma_g, *soma_ge;
    const float *dend_i, *dend_g, *dend_ge; /* two-compartment models only */
    /* 1: soma_g and soma_ge hold the same value for every neuron, soma_g[0]
     * and soma_ge[0] (a bank whose synaptic conductances are all zero, with
     * no gap junctions, M current or one-compartment nonlinear dendrites):
     * a model may read those two alone. 0: read the arrays. */
    int soma_g_uniform;
    /* 1: dend_i, dend_g and dend_ge each hold one value for every neuron,
     * their [0] (a two-compartment bank with a linear dendrite and no live
     * synapse: the tonic conductance alone): a model may read those three. */
    int dend_uniform;
} model_input;

/* The kernels and state layout of one model; what the model is (name,
 * units, time step...) is in the registry (registry.h). */
typedef struct {
    uint32_t n_vars;
    uint32_t soma_var;    /* index of the somatic voltage (or x) */
    uint32_t dend_var;    /* dendritic voltage, == soma_var for one compartment */
    uint32_t slow_var;    /* slow variable for the phase plane */
    int two_compartment;
    /* Somatic variable -> mV-equivalent for synaptic driving forces: mV = a*v + b */
    float to_mV_a, to_mV_b;
    /* for sound: (v - audio_center) / audio_half_range is about [-1, 1] */
    float audio_center, audio_half_range;
    /* Where the integrator stays stable at dt_max_ms (0: no limit needed).
     * input_limit bounds |somatic input current| (the model's unit), g_limit
     * the total synaptic conductance (mS/cm²) at a step of dt_max_ms (scaled
     * by dt_max_ms / dt for shorter steps): beyond them an explicit step
     * overshoots and diverges. The bank saturates its inputs there, so no
     * setting in range makes a neuron non-finite. */
    float input_limit, g_limit;
    /* RMS of that normalised voltage (DC removed) of one neuron firing
     * tonically at the model's default settings: the membrane voice's
     * calibration (dsp/sonify.h) */
    float audio_tonic_rms;

    /* start state of neurons [begin, end) */
    void (*init)(float *const var[], uint32_t begin, uint32_t end, const model_params *p);
    /* one step; spike_frac[i] = fraction of the step at which neuron i spiked,
     * or -1 if it did not */
    void (*step)(float *const var[], const model_input *in, const model_params *p,
                 float *spike_frac, uint32_t n);

    /* Optional tables (0 / NULL for none): the bank allocates table_floats
     * floats (64-byte aligned) at create and calls table_init once there;
     * table_prepare whenever dt_ms or phi changes. table_prepare is real-time
     * safe (no allocation, bounded: tens of microseconds). */
    uint32_t table_floats;
    void (*table_init)(float *table);
    void (*table_prepare)(float *table, const model_params *p);
    /* Optional, for models whose tables hold p->dt_ms (NULL: the bank
     * steps with a copy of p whose dt_ms is dt_ms): one step of dt_ms for
     * neurons on their own time scale (pitch tracking, bank.h). Scalar:
     * it serves the few neurons that play notes. */
    void (*step_at)(float *const var[], const model_input *in, const model_params *p,
                    float dt_ms, float *spike_frac, uint32_t n);
} model_desc;

/* Define `name`, a model_desc.step running the always-inline kernel
 * body(var, in, p, spike_frac, n) compiled for each instruction-set path,
 * on the bank's path p->isa (simd.h). */
#define MODEL_STEP_MULTIVERSION(name, body)                                             \
    SIMD_MULTIVERSION(name##_on, body,                                                  \
                      (float *const var[], const model_input *in, const model_params *p, \
                       float *spike_frac, uint32_t n),                                  \
                      (var, in, p, spike_frac, n))                                      \
    static void name(float *const var[], const model_input *in, const model_params *p,  \
                     float *spike_frac, uint32_t n)                                     \
    {                                                                                   \
        name##_on(p->isa, var, in, p, spike_frac, n);                                   \
    }

/* Each model's kernels: model_hh, model_pinsky_rinzel, ... (registry.h). */
#define HILLOCK_MODEL_EXTERN_(id, symbol) extern const model_desc model_##symbol;
HILLOCK_MODELS(HILLOCK_MODEL_EXTERN_)
#undef HILLOCK_MODEL_EXTERN_

/* The kernels of model MODEL_* (registry.h); out of range: the first's. */
const model_desc *model_get(int model);

/* in's inputs from neuron i on: the view a step of neurons i, i + 1, ...
 * reads (an array a model lacks, NULL, stays NULL) */
static inline model_input
model_input_from(const model_input *in, uint32_t i)
{
    model_input at = {in->soma_i + i,
                      in->soma_g + i,
                      in->soma_ge + i,
                      in->dend_i ? in->dend_i + i : NULL,
                      in->dend_g ? in->dend_g + i : NULL,
                      in->dend_ge ? in->dend_ge + i : NULL,
                      in->soma_g_uniform,
                      in->dend_uniform};
    return at;
}

/* m->step of n neurons, with the neurons after the last whole AVX-512
 * vector on the AVX2 path (mp->isa AVX-512): the compiled loops' AVX-512
 * code steps fewer than 8 leftover neurons one by one, the AVX2 code 4 at
 * a time (docs/performance-log.md, "Small banks on the narrower
 * vectors"). Every path gives the same bits. */
void model_step(const model_desc *m, float *const var[], const model_input *in,
                const model_params *mp, float *spike_frac, uint32_t n);

/* The MODEL_* index of kernels m (model_get(model_index(m)) == m); the
 * first's for kernels not in the registry. */
int model_index(const model_desc *m);

/* x / (exp(x/y) - 1), with its limit y(1 - x/2y) near x = 0 (NEURON's vtrap). */
static inline float
model_vtrap(float x, float y)
{
    float r = x / y;
    float near = y * (1.0f - 0.5f * r);
    float far = x / expm1f(r);
    return (r < 1e-4f && r > -1e-4f) ? near : far;
}

/* Upward crossing of theta between v0 and v1: fraction in [0,1), else -1. */
static inline float
model_crossing(float v0, float v1, float theta)
{
    float frac = (theta - v0) / (v1 - v0);
    return (v0 < theta && v1 >= theta) ? frac : -1.0f;
}

#endif
