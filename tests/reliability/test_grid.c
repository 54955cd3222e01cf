/* test_grid.c — the corners of the parameter space a host knob can reach:
 * each model x connectivity 0, 0.1, 1 x temperature 0, 50 degC x rates
 * 8, 48 and 384 kHz, with the largest speed, drive and synaptic weights.
 * Every combination must keep every neuron finite (no non-finite reset:
 * each model's step is stable where its inputs can go, model_desc's input
 * limits) and every output finite and bounded (engine.h's contract,
 * checked sample by sample by bounded.c).
 *
 *   test_grid          the CI grid: 512 neurons, 192 frames each
 *   test_grid --full   16384 neurons, 1 s of audio per combination
 */
#include "bounded.h"
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bounded_run run;

int
main(int argc, char **argv)
{
    const int full = argc > 1 && !strcmp(argv[1], "--full");
    const float neurons = full ? (float)ENGINE_MAX_NEURONS : 512.0f;
    const double rates[] = {8000, 48000, 384000};
    const float conns[] = {0.0f, 0.1f, 1.0f}, temps[] = {0.0f, 50.0f};
    int failures = 0, cases = 0;
    for (int model = 0; model < MODEL_COUNT; ++model)
        for (size_t ci = 0; ci < 3; ++ci)
            for (size_t ti = 0; ti < 2; ++ti)
                for (size_t ri = 0; ri < 3; ++ri) {
                    engine *e = engine_create(rates[ri]);
                    if (!e) {
                        fprintf(stderr, "cannot create the engine at %.0f Hz\n", rates[ri]);
                        return 1;
                    }
                    float v[PARAM_COUNT];
                    param_defaults(v);
                    v[P_MODEL] = (float)model;
                    v[P_NEURONS] = neurons;
                    v[P_SPEED] = param_table[P_SPEED].max;
                    v[P_DRIVE] = param_table[P_DRIVE].max;
                    v[P_TEMPERATURE] = temps[ti];
                    v[P_CONNECTIVITY] = conns[ci];
                    v[P_W_EXC] = param_table[P_W_EXC].max;
                    v[P_W_INH] = param_table[P_W_INH].max;
                    v[P_INHIBITORY_FRACTION] = 0.0f; /* all excitatory: the strongest push */
                    v[P_LISTEN] = 1;                 /* the bank mix: every voltage heard */
                    engine_set_all_params(e, v);
                    memset(&run, 0, sizeof run);
                    uint64_t frames = full ? (uint64_t)rates[ri] : 6u * 32u;
                    int ok = bounded_frames(e, &run, frames, 64, 1.0f);
                    engine_stats st;
                    engine_get_stats(e, &st);
                    char what[160];
                    snprintf(what, sizeof what,
                             "model %d, %.0f neurons, connectivity %.1f, %.0f degC, %.0f Hz",
                             model, (double)neurons, (double)conns[ci], (double)temps[ti],
                             rates[ri]);
                    cases++;
                    if (!ok) {
                        printf("FAIL %s: %s\n", what, run.failure);
                        failures++;
                    } else if (st.nonfinite_resets) {
                        printf("FAIL %s: %llu non-finite resets\n", what,
                               (unsigned long long)st.nonfinite_resets);
                        failures++;
                    } else {
                        printf("ok   %s: %llu spikes, peak %.3f\n", what,
                               (unsigned long long)st.spikes, run.peak);
                    }
                    engine_destroy(e);
                }
    printf("%d of %d combinations failed\n", failures, cases);
    return failures ? 1 : 0;
}
