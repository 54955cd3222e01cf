/* test_guard_grid.c — the corners of test_grid.c on the guarded path: each
 * model x 16384 neurons x the top speed, drive and weights x connectivity
 * 0, 0.1, 1 x temperature 0, 50 degC x rates 8, 48 and 384 kHz, with an
 * explicit budget (engine_set_budget). Every block must spend at most its
 * budget in work units (counted, never timed: the bound holds on any
 * machine), at its floor of GUARD_MIN_NEURONS too, where the guard slows
 * model time (the per-step cost alone, times the steps a frame needs at
 * the top speed, exceeds the budget: counted and printed), report
 * guard_active exactly while it plays fewer neurons than set or slows time, and
 * keep the promises of the unguarded grid: every neuron finite (no
 * non-finite reset), every output finite and bounded (bounded.c).
 * Few frames per combination: it reruns under the sanitizers. */
#include "bounded.h"
#include "engine.h"
#include "guard.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* About what `hillock jack` calibrates on the reference machine at 48 kHz
 * (docs/reliability.md): work units per second of audio. */
#define GRID_BUDGET 1.0e9
#define GRID_BLOCKS 3u
#define GRID_BLOCK 64u

static bounded_run run;

int
main(void)
{
    int failures = 0, cases = 0, slowed = 0;
    for (unsigned k = 0; k < GRID_CORNERS; ++k) {
        char what[160];
        engine *e = grid_corner(k, (float)ENGINE_MAX_NEURONS, what, sizeof what);
        if (!e) {
            fprintf(stderr, "cannot create the engine of %s\n", what);
            return 1;
        }
        engine_set_budget(e, GRID_BUDGET);
        memset(&run, 0, sizeof run);
        const double share = GRID_BUDGET * GRID_BLOCK / grid_corner_rate(k);
        const char *broke = NULL;
        int slowed_blocks = 0;
        double worst = 0.0;
        engine_stats st;
        for (unsigned b = 0; b < GRID_BLOCKS && !broke; ++b) {
            if (!bounded_frames(e, &run, GRID_BLOCK, GRID_BLOCK, 1.0f)) {
                broke = run.failure;
                break;
            }
            engine_get_stats(e, &st);
            double load = st.guard_work / st.guard_budget;
            worst = load > worst ? load : worst;
            if (fabs(st.guard_budget - share) > 1e-9 * share)
                broke = "the block's budget is not its share of the budget";
            else if (run.guard_active !=
                     (st.guard_neurons < ENGINE_MAX_NEURONS || st.guard_time_scale < 1.0))
                broke = "guard_active does not say whether the bank is thinned or slowed";
            else if ((float)load != run.guard_load)
                broke = "guard_load is not work over budget";
            else if (load > 1.0)
                broke = "a block spent more than its budget";
            else if (st.guard_time_scale < 1.0 && st.guard_neurons > GUARD_MIN_NEURONS)
                broke = "model time slowed before the bank was thinned to its floor";
            slowed_blocks += st.guard_time_scale < 1.0;
        }
        engine_get_stats(e, &st);
        cases++;
        if (!broke && st.nonfinite_resets)
            broke = "non-finite resets";
        if (broke) {
            printf("FAIL %s: %s\n", what, broke);
            failures++;
        } else {
            slowed += slowed_blocks > 0;
            printf("ok   %s: %u played, worst load %.2f, time x%.3f\n", what, st.guard_neurons,
                   worst, st.guard_time_scale);
        }
        engine_destroy(e);
    }
    printf("%d of %d combinations failed; %d with model time slowed\n", failures, cases, slowed);
    return failures ? 1 : 0;
}
