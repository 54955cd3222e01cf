/* bench_scale.c — the scaling rows of `hillock bench`: one bank timed at
 * every power of two from 1024 neurons to the engine's limit. The cost per
 * neuron-step stays flat when nothing in the step grows with the bank (the
 * per-frame fixed cost, large at 1024, shrinks per neuron as the bank
 * grows; a cache the state outgrows would show as a rise). */
#include "bench_scale.h"

#include "engine.h"
#include "simd.h"

#include <stdio.h>
#include <string.h>

#define SMALLEST 1024u
#define REFERENCE 4096u /* the table's larger bank */

int
bench_scale(const bench_case *cases, unsigned n_cases, const int want[], const char *only,
            double seconds, int repeats)
{
    printf("hillock bench --scale: 48 kHz, speed 1, 64-frame blocks, total ns per neuron-step "
           "(fixed cost included), thread CPU time, fastest of %d x %g s\n",
           repeats, seconds);
    printf("%-7s %-36s", "path", "bank");
    for (uint32_t n = SMALLEST; n <= ENGINE_MAX_NEURONS; n *= 2)
        printf(" %7u", n);
    printf(" | %u/%u  spk/s\n", ENGINE_MAX_NEURONS, REFERENCE);
    for (int k = SIMD_COUNT - 1; k >= 0; --k) {
        if (!want[k] || !simd_supported((simd_isa)k))
            continue;
        for (unsigned c = 0; c < n_cases; ++c) {
            if (cases[c].connectivity > 0.0f || (only && strncmp(cases[c].name, only, strlen(only))))
                continue;
            printf("%-7s %-36s", simd_name((simd_isa)k), cases[c].name);
            double ref = 0.0, hi = 0.0, hz = 0.0;
            for (uint32_t n = SMALLEST; n <= ENGINE_MAX_NEURONS; n *= 2) {
                double ns;
                if (bench_measure_at(&cases[c], (simd_isa)k, n, seconds, repeats, &ns, &hz))
                    return 1;
                if (n == REFERENCE)
                    ref = ns;
                hi = ns;
                printf(" %7.3f", ns);
                fflush(stdout);
            }
            printf(" | %10.2f %6.1f\n", hi / ref, hz);
        }
    }
    return 0;
}
