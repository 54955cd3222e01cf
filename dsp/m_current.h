/* m_current.h — the M-current: a slow, non-inactivating K+ current that
 * acetylcholine suppresses (through muscarinic receptors; Brown & Adams
 * 1980), here in the form of Yamada, Koch & Adams 1989 as Pospischil et al.
 * 2008 use it for their adapting cortical cells:
 *
 *     I_M = g_M p (V - E_K),  dp/dt = (p_inf(V) - p) / tau_p(V),
 *     p_inf = 1 / (1 + exp(-(V + 35) / 10)),
 *     tau_p = 1000 ms / (3.3 (exp((V + 35) / 20) + exp(-(V + 35) / 20))).
 *
 * Each spike opens a little more of it and it closes over a few hundred
 * ms, so a neuron driven steadily fires fast at first and then slower:
 * spike-frequency adaptation. The HH-type models gain it at the soma with
 * g_M = M_CURRENT_G_HH / M_CURRENT_G_PR mS/cm² times (1 - acetylcholine);
 * at acetylcholine 1 (the default) it is fully suppressed and the models
 * are the published ones. Its rates do not follow temperature. */
#ifndef HILLOCK_M_CURRENT_H
#define HILLOCK_M_CURRENT_H

#include "simd.h"

#include <stdint.h>

/* Hillock's choices. HH at 10 uA/cm2: acetylcholine 0.5 (0.5 mS/cm2)
 * lengthens its intervals from 15.6 to 17.3 ms over a second; 0 (1 mS/cm2)
 * stops it after three spikes (HH cannot fire below about 50 Hz, so its
 * adaptation ends in silence). Pinsky-Rinzel: a fifth of its K-AHP. */
#define M_CURRENT_G_HH 1.0f
#define M_CURRENT_G_PR 0.15f

typedef struct {
    float g;        /* mS/cm²; 0: off */
    float e_k;      /* mV, the model's */
    float dt_ms;
} m_current_config;

/* The maximal M conductance model MODEL_* gains at this acetylcholine
 * level (0 for the models without channels), and its E_K. */
m_current_config m_current_of(int model, float acetylcholine, float dt_ms);

/* One step for n neurons: adds g_M p and g_M p E_K to soma_g, soma_ge
 * (from the gate at the step's start), then advances each gate p towards
 * p_inf at the voltage v (mV), exactly exponential for fixed v. */
void m_current_step(float *gate, const float *v, float *soma_g, float *soma_ge,
                    const m_current_config *c, uint32_t n, simd_isa isa);

#endif
