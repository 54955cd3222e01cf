/* fixed9.h — a time in seconds as "%.9f" text, without printf.
 *
 * `hillock render --spikes` writes one row per spike; formatting each time
 * with printf's "%.9f" (exact decimal expansion of the double) was about a
 * twentieth of a 1000-neuron render. fixed9 gives the same characters,
 * rounded the same way (to nearest, ties to even, on the exact value), for
 * the times a render produces, and falls back to snprintf outside them. */
#ifndef HILLOCK_FIXED9_H
#define HILLOCK_FIXED9_H

#include <stddef.h>

/* Longest text fixed9 writes, terminating zero included: "-DBL_MAX.000000000" */
#define FIXED9_MAX 328

/* x as printf("%.9f", x) does, into buf (FIXED9_MAX bytes); returns the
 * length. */
size_t fixed9(char *buf, double x);

/* n in decimal into buf (at least 11 bytes); returns the length. */
size_t decimal_u32(char *buf, unsigned n);

#endif
