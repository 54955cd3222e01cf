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
    int failures = 0, cases = 0;
    for (unsigned k = 0; k < GRID_CORNERS; ++k) {
        char what[160];
        engine *e = grid_corner(k, neurons, what, sizeof what);
        if (!e) {
            fprintf(stderr, "cannot create the engine of %s\n", what);
            return 1;
        }
        memset(&run, 0, sizeof run);
        uint64_t frames = full ? (uint64_t)grid_corner_rate(k) : 6u * 32u;
        int ok = bounded_frames(e, &run, frames, 64, 1.0f);
        engine_stats st;
        engine_get_stats(e, &st);
        cases++;
        if (!ok) {
            printf("FAIL %s: %s\n", what, run.failure);
            failures++;
        } else if (st.nonfinite_resets) {
            printf("FAIL %s: %llu non-finite resets\n", what,
                   (unsigned long long)st.nonfinite_resets);
            failures++;
        } else {
            printf("ok   %s: %llu spikes, peak %.3f\n", what, (unsigned long long)st.spikes,
                   run.peak);
        }
        engine_destroy(e);
    }
    printf("%d of %d combinations failed\n", failures, cases);
    return failures ? 1 : 0;
}
