/* bank_poisson.h — a Poisson background input per neuron: independent
 * excitatory synaptic events at poisson_rate, each adding poisson_weight to
 * the neuron's excitatory conductance on its own branch, as the Poisson
 * inputs of the classic STDP studies (Song, Miller & Abbott 2000). */
#ifndef HILLOCK_BANK_POISSON_H
#define HILLOCK_BANK_POISSON_H

#include "bank.h"

/* One step of the background (rate > 0): events due in this step are added
 * to g[branch] of their neuron (the excitatory conductances, or the
 * receptors' pending glutamate). Returns nonzero if any was. */
int bank_poisson_step(bank *b, const bank_config *c, float *const g[3]);

#endif
