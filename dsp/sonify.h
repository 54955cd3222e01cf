/* sonify.h — the output stage: from the two voices to bounded stereo audio.
 *
 *   membrane (band-limited, normalised voltages) -> DC blocker (5 Hz)
 *       -> gain -> membrane level
 *   spike voice -> DC blocker (5 Hz) -> gain -> spike level
 *   (sum) -> DC blocker (5 Hz) -> * master -> true-peak limiter
 *       -> DC blocker (5 Hz) -> * crossfade (delayed as the limiter delays)
 *       -> soft knee -> out
 *
 * Loudness follows activity. The gains are calibrations, not measurements
 * of the output: the engine passes one per voice for the model and the bank
 * size, so a spiking neuron sounds at a known level and a resting one,
 * whose voltage barely moves, is quiet in proportion; a bank that stops
 * firing falls by the ratio of its wobble to its spikes.
 *
 * One thing the calibration cannot know is synchrony. A bank mix has
 * weights with unit sum of squares, so it is as loud as one neuron when
 * the neurons are independent; neurons that fire together sum to sqrt(n)
 * times that (+30 dB for 1000), and a smooth ramp of rates spreads their
 * phases so they cancel to far less. The engine therefore also passes the
 * loudness the mix would have if the neurons were independent (mem_ref:
 * the root of sum w_i^2 var_i over the neurons' running variances). The
 * ratio k of the mix's RMS (100 ms) to it measures synchrony alone, whatever
 * the activity; the gain k^(SONIFY_SYNC_POWER - 1) keeps k^SONIFY_SYNC_POWER
 * of it, so synchrony still sounds louder (1000 neurons in step +7.5 dB)
 * without the whole range.
 *
 * Below spiking, a downward expander keyed by the bank's spike rate per
 * neuron (100 ms): under SONIFY_EXPAND_KNEE_HZ the membrane voice falls
 * with the rate, down to SONIFY_EXPAND_RANGE_DB when no neuron fires. Noise
 * alone moves a membrane by a good fraction of what spikes do in RMS (a
 * bank of noisy neurons kept from firing is only ~8 dB below it firing
 * sparsely), so the voltage alone cannot tell a bank that stopped from one
 * that fires; its spikes can. Subthreshold wobble thus sits well under
 * spiking, and a bank that stops falls away. Both laws glide in dB, 30 ms
 * down and 250 ms up.
 *
 * level_amount blends in the slow leveller, in dB: at 1 the membrane gain
 * steers the measured RMS towards min(mem_ref, SONIFY_LEVEL_TARGET) by
 * -36 .. +18 dB, and the spike voice's only ever turns down, pulling RMS
 * above SONIFY_LEVEL_TARGET to it (the loudness of every bank held near one
 * level).
 *
 * The limiter (limiter.h): stereo-linked, true-peak (4x oversampled)
 * detection, a look-ahead of 1.5 ms over which the gain ramps down smoothly
 * before a peak arrives, a hold and a smooth release, so the true peak stays
 * at or below SONIFY_LIMIT (-1 dBTP) and a steady tone sees a steady gain.
 * It delays the audio by sonify_latency() frames. The DC blockers on either
 * side of it take out what gains that move leave: the activity laws' before
 * it, the limiter's own after it (its gain dips on peaks, and a membrane's
 * peaks all go up). The second can lift a peak by the slow part it removes,
 * so the true peak is held at SONIFY_LIMIT before it and below 0 dBTP
 * after. Then a soft knee above SONIFY_KNEE that approaches 1
 * asymptotically: no sample leaves [-1, 1].
 */
#ifndef HILLOCK_SONIFY_H
#define HILLOCK_SONIFY_H

#define SONIFY_LEVEL_TARGET 0.35f
#define SONIFY_SPIKE_CAL 0.2f /* one pluck voice's calibrated gain */
#define SONIFY_LIMIT 0.89f /* -1 dBTP */
#define SONIFY_KNEE 0.9f

#include "state_io.h"
#include <stdint.h>

typedef struct sonify sonify;

/* The calibrated path: the synchrony law's power, and its limits. */
#define SONIFY_SYNC_POWER 0.25f
#define SONIFY_SYNC_CUT_DB 24.0f
#define SONIFY_SYNC_BOOST_DB 12.0f
/* and its expander: below this spike rate per neuron (Hz of real time) ... */
#define SONIFY_EXPAND_KNEE_HZ 2.0f
/* ... the membrane voice falls SONIFY_EXPAND_RATIO - 1 dB per dB of rate,
 * at most this much */
#define SONIFY_EXPAND_RATIO 2.0f
#define SONIFY_EXPAND_RANGE_DB 60.0f

typedef struct {
    float mem_l, mem_r;   /* membrane voice, normalised voltage (about +-1) */
    float spk_l, spk_r;   /* spike voice */
    float mem_gain, spk_gain, master_gain; /* linear */
    float mem_ref;        /* loudness the membrane mix would have if its neurons
                             were independent, or < 0 if none */
    float mem_cal, spk_cal; /* calibrated gains for the model and bank size */
    float level_amount;   /* 0 = calibrated .. 1 = levelled */
    float spike_rate;     /* spikes per neuron per second of real time, smoothed */
    float fade;           /* 0..1 crossfade for structural changes */
    int prime;            /* restart the DC blockers on this input (while faded out) */
} sonify_in;

sonify *sonify_create(double sample_rate);
void sonify_destroy(sonify *s);
void sonify_reset(sonify *s);
/* After sonify_reset, for a bank that starts settled: the activity law's
 * running RMS starts at the mix's RMS as the pre-roll measured it (mem_ref
 * for independent neurons), and its gain where that RMS, the reference and
 * the spike rate put it, instead of at silence and 0 dB, which it would
 * read as synchrony still to come and boost, then pull down over 100 ms
 * (a thump). */
void sonify_start_settled(sonify *s, float mix_rms, float mem_ref, float rate);

/* Soft knee: identity up to SONIFY_KNEE, then a tanh approach to +-1; NaN
 * maps to 0. Never beyond [-1, 1]. */
float sonify_soft_limit(float x);

/* One frame in, the frame sonify_latency() frames earlier out. */
void sonify_frame(sonify *s, const sonify_in *in, float *left, float *right);

/* Frames the output lags the voices: the limiter's look-ahead and its
 * oversampling filter, constant for a sample rate. */
uint32_t sonify_latency(const sonify *s);

/* Start the membrane leveler at this gain (a bank that starts in step is
 * sqrt(n) too loud until the leveler has measured it). */
void sonify_set_membrane_gain(sonify *s, float gain);
/* The same for the spike voice (many voices struck at once). */
void sonify_set_spike_gain(sonify *s, float gain);

/* dB -> linear gain, with the parameter minimum (-60 dB) meaning off. */
float sonify_db_gain(float db);

/* Its state for a saved engine (state_io.h): blockers, levellers, delays
 * and the limiter's. */
void sonify_state(state_io *s, sonify *so);

#endif
