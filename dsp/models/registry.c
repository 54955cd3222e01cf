/* registry.c — what each model is, beyond its kernels (registry.h). Plain
 * data: the UI module links it without the DSP. */
#include "registry.h"

static const model_info models[MODEL_COUNT] = {
    [MODEL_HH] = {
        .symbol = "hh",
        .description = "Hodgkin-Huxley squid giant axon (Hodgkin & Huxley 1952)",
        .current_unit = "uA/cm2",
        .soma_unit = "mV",
        .state = "V (mV), m, h, n (gates, 0..1)",
        .slow_name = "n",
        .axis_min = -90, .axis_max = 60, .axis_grid = 30, .axis_unit = "mV",
        /* one step per sample at 44.1 kHz, speed 1 */
        .dt_max_ms = 0.02268f,
        .uses_temperature = true,
        /* tonic near 70 Hz: the first spikes settle within 50 ms */
        .settle_ms = 160.0f,
        .step_cost = 2.9f, .step_overhead = 25.0f,
        .bench_drive = 10.0f,
        .bench_rows = BENCH_COUPLED | BENCH_NOISE | BENCH_SPREAD | BENCH_SPREAD_NOISE |
                      BENCH_SPREAD_COUPLED,
    },
    [MODEL_PINSKY_RINZEL] = {
        .symbol = "pinsky_rinzel",
        .description = "Pinsky-Rinzel two-compartment CA3 pyramidal cell (Pinsky & Rinzel 1994)",
        .current_unit = "uA/cm2",
        .soma_unit = "mV",
        .state = "Vs, Vd (mV), h, n, s, c, q (gates, 0..1), Ca (dendritic calcium, a.u.)",
        .slow_name = "Ca",
        .axis_min = -90, .axis_max = 60, .axis_grid = 30, .axis_unit = "mV",
        .dt_max_ms = 0.025f,
        .uses_temperature = false,
        /* bursts a few times a second */
        .settle_ms = 1200.0f,
        .step_cost = 9.5f, .step_overhead = 100.0f,
        .bench_drive = 0.75f,
        .bench_rows = BENCH_SPREAD | BENCH_SPREAD_NOISE,
    },
    [MODEL_IZHIKEVICH] = {
        .symbol = "izhikevich",
        .description = "Izhikevich simple model (Izhikevich 2003)",
        /* I in dv/dt = 0.04 v^2 + 5 v + 140 - u + I: the paper's own unit */
        .current_unit = "",
        .soma_unit = "mV",
        .state = "v (mV), u (recovery variable)",
        .slow_name = "u",
        .axis_min = -90, .axis_max = 60, .axis_grid = 30, .axis_unit = "mV",
        .dt_max_ms = 0.025f,
        .uses_temperature = false,
        /* regular spiking adapts over a few hundred ms */
        .settle_ms = 600.0f,
        .step_cost = 1.2f, .step_overhead = 15.0f,
        .bench_drive = 10.0f,
        .bench_rows = BENCH_COUPLED | BENCH_SPREAD | BENCH_SPREAD_NOISE |
                      BENCH_SPREAD_COUPLED,
    },
    [MODEL_HINDMARSH_ROSE] = {
        .symbol = "hindmarsh_rose",
        .description = "Hindmarsh-Rose bursting neuron (Hindmarsh & Rose 1984)",
        .current_unit = "",
        .soma_unit = "",
        .state = "x, y, z (dimensionless)",
        .slow_name = "z",
        /* x mapped to 25 x - 30 (model.h to_mV): not millivolts */
        .axis_min = -90, .axis_max = 60, .axis_grid = 30, .axis_unit = "a.u.",
        .dt_max_ms = 0.05f,
        .uses_temperature = false,
        /* bursts every few hundred time units at r = 0.006 (z relaxes over 1/r) */
        .settle_ms = 2400.0f,
        .step_cost = 2.3f, .step_overhead = 50.0f,
        .bench_drive = 3.0f,
        .bench_rows = BENCH_SPREAD | BENCH_SPREAD_NOISE,
    },
};

const model_info *
model_info_of(int model)
{
    return &models[model >= 0 && model < MODEL_COUNT ? model : 0];
}
