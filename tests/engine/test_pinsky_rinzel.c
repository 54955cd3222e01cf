/* Pinsky-Rinzel against docs/science.md: steady state over 2-6 s, soma
 * spike = Vs crossing -20 mV, burst periods within 0.5 %, spikes per burst exact. */
#include "harness.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

typedef struct {
    double gc, is, period_ms;
    unsigned spikes_per_burst;
} pr_case;

static const pr_case table[] = {
    {2.1, 0.5, 653.41, 2},
    {2.1, 0.75, 495.02, 2}, /* the paper's Fig. 3 */
    {10.5, 2.0, 136.33, 1},
    /* computed for Hillock, double RK4 dt = 0.002 ms (tests/reference/RESULTS.md) */
    {2.1, 1.0, 347.6464, 3},
    {5.0, 1.5, 230.4535, 1},
};

Test(pinsky_rinzel, burst_periods_and_spikes_per_burst_match_the_table)
{
    /* 40 kHz steps by the model's dt_max, 0.025 ms */
    const double rates[] = {40000, 44100, 48000, 96000};
    for (size_t k = 0; k < sizeof rates / sizeof rates[0]; ++k)
        for (size_t c = 0; c < sizeof table / sizeof table[0]; ++c) {
            char s[128];
            snprintf(s, sizeof s, "model=pinsky_rinzel,pr_gc=%g,drive=%g", table[c].gc,
                     table[c].is);
            spike_record r = run_engine(rates[k], 6000, s, 512);
            burst_stats b = burst_analysis(&r, 60, 2000);
            double err = b.period_ms / table[c].period_ms - 1;
            fprintf(stderr, "PR gc=%g Is=%g at %g Hz: period %.3f ms (%+.3f %%), %u-%u spikes\n",
                    table[c].gc, table[c].is, rates[k], b.period_ms, 100 * err, b.min_size,
                    b.max_size);
            cr_expect(fabs(err) < 0.005, "gc=%g Is=%g at %g Hz: period %.3f, want %.2f",
                      table[c].gc, table[c].is, rates[k], b.period_ms, table[c].period_ms);
            cr_expect(b.min_size == table[c].spikes_per_burst &&
                          b.max_size == table[c].spikes_per_burst,
                      "gc=%g Is=%g: %u-%u spikes per burst, want %u", table[c].gc,
                      table[c].is, b.min_size, b.max_size, table[c].spikes_per_burst);
            record_free(&r);
        }
}

Test(pinsky_rinzel, starts_at_rest_at_minus_60_mV)
{
    spike_record r = run_engine(48000, 1, "model=pinsky_rinzel,drive=0", 64);
    cr_expect(fabs(r.last_v - -60.0f) < 0.05, "Vs after 1 ms at I=0: %g", r.last_v);
    record_free(&r);
}

/* Dendritic input reaches the soma through gc: tonic conductance on the
 * dendrite's branches alone makes the cell fire far more (at Is = 0 the cell
 * still bursts about once a second). */
Test(pinsky_rinzel, dendritic_branch_input_drives_the_soma)
{
    spike_record quiet = run_engine(48000, 2000, "model=pinsky_rinzel,drive=0", 256);
    spike_record fed = run_engine(48000, 2000, "model=pinsky_rinzel,drive=0,branch_a=0.05", 256);
    size_t q = count_between(&quiet, 500, 2000), f = count_between(&fed, 500, 2000);
    cr_expect(f > 5 * (q + 1), "branch input: %zu spikes, without: %zu", f, q);
    record_free(&quiet);
    record_free(&fed);
}
