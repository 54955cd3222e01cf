/* series_map.h — a continuous signal of a recording (an LFP, a band power,
 * a behavioural variable) as automation of a parameter: `render --map
 * SYMBOL=FILE[,MIN,MAX]`.
 *
 * FILE is a WAV (any file libsndfile reads: the first channel, averaged
 * over windows of SERIES_MAP_WINDOW_S, a point at each window's middle)
 * or a CSV time series (`time_s,value` per line, an optional header, '#'
 * comments; times must not decrease). The series' range, lowest to
 * highest value, is scaled linearly onto MIN..MAX (default: the
 * parameter's whole range) and becomes the breakpoints of a lane of the
 * one automation engine (automation.h), joined by linear ramps (steps for
 * a parameter that takes whole values). */
#ifndef HILLOCK_SERIES_MAP_H
#define HILLOCK_SERIES_MAP_H

#include "automation.h"

#include <stdbool.h>
#include <stddef.h>

#define SERIES_MAP_WINDOW_S 0.005

/* Adds the lane `spec` asks for; false with the reason in err. */
bool series_map_add(automation *a, const char *spec, char *err, size_t err_len);

#endif
