/* kaiser.h — the Kaiser-windowed sinc low-pass both band-limited voices use
 * (the membrane voice's decimator, the spike voice's onset impulse). */
#ifndef HILLOCK_KAISER_H
#define HILLOCK_KAISER_H

#include <stdint.h>

/* Tabulate the kernel 2 fc sinc(2 fc t) w(t) over `taps` frames centred on
 * 0, `res` points per frame: out[i] is the kernel at t = i / res - taps / 2,
 * i = 0 .. taps * res, and out[taps * res + 1] = 0 guards linear
 * interpolation. cutoff fc is a fraction of the sample rate; beta sets the
 * window (Kaiser & Schafer 1980). out holds taps * res + 2 floats. */
void kaiser_sinc_table(float *out, uint32_t taps, uint32_t res, double cutoff, double beta);

#endif
