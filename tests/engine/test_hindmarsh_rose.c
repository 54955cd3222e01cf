/* Hindmarsh-Rose against docs/science.md: spike = x crossing 1 upward,
 * burst periods within 1 %, spikes per burst exact. One time unit = 1 ms. */
#include "harness.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

Test(hindmarsh_rose, quiescent_at_r_0_001_and_I_0_4)
{
    spike_record r = run_engine(48000, 5000, "model=hindmarsh_rose,hr_r=0.001,drive=0.4", 512);
    cr_expect_eq(count_between(&r, 1000, 5000), 0, "fired after the transient");
    record_free(&r);
}

Test(hindmarsh_rose, bursts_of_9_every_430_78_at_r_0_001)
{
    const double rates[] = {44100, 48000, 96000};
    for (size_t k = 0; k < 3; ++k) {
        spike_record r =
            run_engine(rates[k], 20000, "model=hindmarsh_rose,hr_r=0.001,drive=2", 512);
        burst_stats b = burst_analysis(&r, 40, 5000);
        cr_expect(fabs(b.period_ms / 430.78 - 1) < 0.01, "%g Hz: period %.3f", rates[k],
                  b.period_ms);
        cr_expect(b.min_size == 9 && b.max_size == 9, "%g Hz: %u-%u", rates[k], b.min_size,
                  b.max_size);
        record_free(&r);
    }
}

Test(hindmarsh_rose, bursts_of_2_every_128_50_at_r_0_006)
{
    const double rates[] = {44100, 48000, 96000};
    for (size_t k = 0; k < 3; ++k) {
        spike_record r =
            run_engine(rates[k], 8000, "model=hindmarsh_rose,hr_r=0.006,drive=2", 512);
        burst_stats b = burst_analysis(&r, 40, 2000);
        cr_expect(fabs(b.period_ms / 128.50 - 1) < 0.01, "%g Hz: period %.3f", rates[k],
                  b.period_ms);
        cr_expect(b.min_size == 2 && b.max_size == 2, "%g Hz: %u-%u", rates[k], b.min_size,
                  b.max_size);
        record_free(&r);
    }
}

/* Computed for Hillock (tests/reference/RESULTS.md): double RK4 dt = 0.001,
 * Brian2 agrees to 2e-6; bursts split by gaps > 40, window [5000, 20000]. */
Test(hindmarsh_rose, bursts_of_4_every_162_26_at_r_0_004_and_I_2_5)
{
    spike_record r = run_engine(48000, 20000, "model=hindmarsh_rose,hr_r=0.004,drive=2.5", 512);
    burst_stats b = burst_analysis(&r, 40, 5000);
    cr_expect(fabs(b.period_ms / 162.262185 - 1) < 0.01, "period %.3f", b.period_ms);
    cr_expect(b.min_size == 4 && b.max_size == 4, "%u-%u per burst", b.min_size, b.max_size);
    record_free(&r);
}
