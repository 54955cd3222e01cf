/* limiter.h — the output stage's limiter: true-peak, look-ahead, smooth.
 *
 * Detection: each channel is interpolated four times oversampled (a 4-phase
 * polyphase FIR, Kaiser-windowed sinc of LIMITER_TAPS taps per phase, the
 * oversampling ITU-R BS.1770-4 annex 2 prescribes for true-peak meters), so
 * the peak between two samples is seen and the estimate no longer depends on
 * where the sample grid falls on a spike. A sample-peak detector does: a
 * tonic neuron firing at a rate that beats with the sample rate shows a peak
 * that wanders with that beat, and a gain that follows it modulates every
 * harmonic with side-bands at the beat frequency.
 *
 * Gain: the gain each oversampled peak needs (ceiling / peak, at most 1),
 * stereo-linked (the larger of the two channels), through
 *  - a minimum over the look-ahead window plus LIMITER_HOLD_MS: the gain is
 *    down before the peak arrives and stays down while peaks keep coming,
 *    so a steady tone sees a constant gain;
 *  - a release that glides back in dB (one pole, LIMITER_RELEASE_MS);
 *  - two moving averages whose lengths add up to the look-ahead: the attack
 *    is a smooth S-shaped ramp over the look-ahead window (the convolution
 *    of two boxcars), and because an average of gains that are each low
 *    enough is low enough, the gain applied to every sample is at most the
 *    one its own peak (and its neighbours') needs.
 * The audio is delayed by the filter's half-length plus the look-ahead:
 * limiter_latency() frames, constant for a sample rate.
 *
 * Real-time safe after limiter_create(); deterministic sample by sample.
 */
#ifndef HILLOCK_LIMITER_H
#define HILLOCK_LIMITER_H

#include "state_io.h"
#include <stdint.h>

#define LIMITER_OVERSAMPLE 4
#define LIMITER_TAPS 16u          /* FIR taps per phase (half-length 8 frames) */
#define LIMITER_LOOKAHEAD_MS 1.5
#define LIMITER_HOLD_MS 20.0
#define LIMITER_RELEASE_MS 150.0

typedef struct limiter limiter;

/* ceiling: the largest true peak let through (linear). */
limiter *limiter_create(double sample_rate, float ceiling);
void limiter_destroy(limiter *lim);
void limiter_reset(limiter *lim);

/* Frames the output lags the input. */
uint32_t limiter_latency(const limiter *lim);

/* One stereo frame in, the frame limiter_latency() frames earlier out,
 * scaled. Inputs must be finite. */
void limiter_frame(limiter *lim, float in_l, float in_r, float *out_l, float *out_r);

/* The gain applied to the frame just output (1 = none), for tests. */
float limiter_gain(const limiter *lim);

/* Its state for a saved engine (state_io.h): input, minimum queue, gain. */
void limiter_state(state_io *s, limiter *lim);

#endif
