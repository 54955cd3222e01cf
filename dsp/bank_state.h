/* bank_state.h — the neuron bank's running state for a saved engine
 * (state_io.h): every neuron's variables, inputs, conductances, receptor
 * kinetics, M-current gate, subunit branch voltages, noise and Poisson
 * background, and the bank's counters, for neurons [0, span). */
#ifndef HILLOCK_BANK_STATE_H
#define HILLOCK_BANK_STATE_H

#include "bank.h"
#include "state_io.h"

/* On load the models' tables are prepared again for the dt and phi they
 * held (bank_tables.c), on instruction-set path isa. */
void bank_state(state_io *s, bank *b, uint32_t span, simd_isa isa);

#endif
