/* bench_scale.h — `hillock bench --scale`: is the cost per neuron-step the
 * same from small banks to the largest (ENGINE_MAX_NEURONS)? */
#ifndef HILLOCK_BENCH_SCALE_H
#define HILLOCK_BENCH_SCALE_H

#include "bench_measure.h"

/* For every uncoupled row of `cases` (coupled banks grow as neurons
 * squared by design: each spike reaches a fixed fraction of the bank) on
 * every path with want[isa] set, whose name starts with `only` (NULL: all):
 * the total ns per neuron-step at 1024, 2048, ... ENGINE_MAX_NEURONS
 * neurons and the largest bank's over the 4096-neuron bank's. Returns 0, or 1 if an engine
 * could not be created. */
int bench_scale(const bench_case *cases, unsigned n_cases, const int want[], const char *only,
                double seconds, int repeats);

#endif
