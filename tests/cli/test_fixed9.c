/* test_fixed9.c — fixed9 writes what printf("%.9f") writes (C11 7.21.6.1:
 * the exact value, correctly rounded; glibc rounds ties to even), for the
 * spike times a render produces and for the hard cases: exact ties, the
 * range's edges, values outside it. */
#include "fixed9.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void
same_as_printf(double x)
{
    char want[FIXED9_MAX], got[FIXED9_MAX];
    snprintf(want, sizeof want, "%.9f", x);
    size_t len = fixed9(got, x);
    cr_assert_eq(len, strlen(want), "length for %a: %zu, printf '%s'", x, len, want);
    cr_assert_str_eq(got, want, "%a", x);
}

static uint64_t
next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

Test(fixed9, a_render_s_spike_times)
{
    /* (frame + frac) / rate as cli/render_outputs.c computes it, frames up to ten
     * hours, every rate the engine runs at */
    const double rates[] = {44100.0, 48000.0, 88200.0, 96000.0, 192000.0, 768000.0};
    uint64_t s = 0x9e3779b97f4a7c15u;
    for (int r = 0; r < 6; ++r)
        for (int k = 0; k < 100000; ++k) {
            uint64_t frame = next_random(&s) % (uint64_t)(36000.0 * rates[r]);
            float frac = (float)(next_random(&s) >> 40) / 16777216.0f;
            same_as_printf(((double)frame + (double)frac) / rates[r]);
            same_as_printf((double)frame / rates[r]);
        }
}

Test(fixed9, exact_ties_round_to_even)
{
    /* m / 2^k with k >= 10 often lands exactly half-way between two
     * nanoseconds: 1/1024 s = 976562.5 ns, printed 0.000976562 */
    same_as_printf(1.0 / 1024.0);
    same_as_printf(3.0 / 1024.0);
    for (uint64_t m = 1; m < 20000; ++m)
        for (int k = 10; k <= 30; k += 5)
            same_as_printf(ldexp((double)m, -k));
}

Test(fixed9, the_range_s_edges_and_beyond)
{
    const double xs[] = {0.0, -0.0, 1e-10, 4.9e-10, 5e-10, 1e-9, nextafter(1e-9, 0.0),
                         0.9999999995, 0.99999999949999, 1.0, 59.9999999995,
                         nextafter(4.0e6, 0.0), 4.0e6, 1e7, 1e300, -1.5, -1e-12,
                         INFINITY, -INFINITY, NAN};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; ++i)
        same_as_printf(xs[i]);
    uint64_t s = 12345;
    for (int k = 0; k < 200000; ++k) {
        /* any double between 1 ns and beyond the range, by its bits */
        double x = ldexp(1.0 + (double)(next_random(&s) >> 12) / 4503599627370496.0,
                         (int)(next_random(&s) % 56) - 30);
        same_as_printf(x);
    }
}

Test(fixed9, decimal_integers)
{
    const unsigned ns[] = {0u, 7u, 10u, 99u, 1000u, 16383u, 4294967295u};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; ++i) {
        char want[16], got[16];
        snprintf(want, sizeof want, "%u", ns[i]);
        size_t len = decimal_u32(got, ns[i]);
        got[len] = '\0';
        cr_assert_str_eq(got, want);
    }
}
