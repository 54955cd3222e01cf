/* registry.h — the one list of neuron models.
 *
 * HILLOCK_MODELS names every model once, in the order of the model
 * parameter's values (sessions and presets store the index: append only).
 * X(ID, symbol) gives MODEL_ID and the kernels model_symbol (model.h); the
 * table in registry.c says everything else about each model. The parameter
 * table, the bank, the drawing and `hillock bench` read them from here.
 *
 * Adding a model: its kernels in a new file of this folder (model.h), one
 * line below, one entry in registry.c, its file in dsp/meson.build.
 */
#ifndef HILLOCK_MODEL_REGISTRY_H
#define HILLOCK_MODEL_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

#define HILLOCK_MODELS(X)                                                                  \
    X(HH, hh)                                                                              \
    X(PINSKY_RINZEL, pinsky_rinzel)                                                        \
    X(IZHIKEVICH, izhikevich)                                                              \
    X(HINDMARSH_ROSE, hindmarsh_rose)

#define HILLOCK_MODEL_ENUM_(id, symbol) MODEL_##id,
typedef enum { HILLOCK_MODELS(HILLOCK_MODEL_ENUM_) MODEL_COUNT } model_id;
#undef HILLOCK_MODEL_ENUM_

/* Rows of `hillock bench` beyond the model alone. */
enum {
    BENCH_COUPLED = 1,
    BENCH_NOISE = 2,
    BENCH_SPREAD = 4,
    BENCH_SPREAD_NOISE = 8,
    BENCH_SPREAD_COUPLED = 16,
};

typedef struct {
    const char *symbol;      /* the model parameter's value name (never changes) */
    const char *description; /* one line, with its source */
    /* Units, as the parameter table spells them ("" = dimensionless) */
    const char *current_unit; /* drive, noise and the other injected currents */
    const char *soma_unit;    /* the somatic variable (engine_io.trace_soma) */
    const char *state;        /* its state variables, in order, with units */
    const char *slow_name;    /* the phase plane's second axis (engine_io.trace_slow) */

    /* The scope: the somatic variable mapped to mV-equivalent (model.h
     * to_mV), its range and grid, and the unit to label it with ("a.u."
     * when the mapping only scales a dimensionless variable) */
    float axis_min, axis_max, axis_grid;
    const char *axis_unit;

    /* Time step: the engine sub-steps each frame into the fewest equal
     * steps no longer than dt_max_ms (model ms) */
    float dt_max_ms;
    /* The rates scale with temperature (phi = 3^((T - 6.3) / 10), Q10 = 3,
     * Hodgkin & Huxley 1952); then dt_max_ms shrinks by sqrt(phi) above
     * 6.3 degC to keep the reference accuracy */
    bool uses_temperature;

    /* The settled start's pre-roll (dsp/settle.h), model ms at 6.3 degC:
     * long enough to leave the start's transient and, in its second half,
     * to sample a few cycles (bursts) of the model at its default settings */
    float settle_ms;
    /* Cost of a step in the real-time guard's work units (dsp/guard.h), about
     * ns on the reference path (AVX-512, docs/reliability.md): per neuron
     * (inputs, model step, spike scan, mix; the slope of `hillock bench`),
     * and per step whatever the bank's size (the kernel's own, beyond the
     * bank's GUARD_STEP_COST). Only ratios matter: the guard's calibration
     * times every model on the running CPU and path and budgets for the
     * slowest. */
    float step_cost, step_overhead;

    /* a drive at which the bank fires repetitively; the bench's noise rows
     * add noise of a tenth of it (HH: 1 uA/cm2) */
    float bench_drive;
    unsigned bench_rows;    /* BENCH_* rows measured besides the model alone */
} model_info;

/* The model's entry; an index out of range gives the first model's. */
const model_info *model_info_of(int model);

#endif
