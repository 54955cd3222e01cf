/* sonify.h — the output stage: from the two voices to bounded stereo audio.
 *
 *   membrane (band-limited, normalised voltages) -> DC blocker (5 Hz)
 *       -> leveler -> membrane level
 *   spike voice -> leveler -> spike level
 *   (sum) * crossfade * master -> peak limiter -> soft knee -> out
 *
 * The levelers make loudness independent of how many neurons sum. A bank
 * mix has weights with unit sum of squares, so it is as loud as one neuron
 * when the neurons are independent; but neurons that fire together sum to
 * sqrt(n) times that, and a smooth ramp of firing rates (spread, no noise)
 * spreads their phases evenly so they cancel to far less. The engine
 * therefore passes the loudness the mix would have if the neurons were
 * independent (mem_ref: the root of sum w_i^2 var_i over the neurons'
 * running variances), and the membrane leveler steers the measured RMS
 * (100 ms) towards it, by -36 .. +18 dB, gliding in dB with time constants
 * of 30 ms down and 250 ms up. Without a reference (the focus neuron alone) and for
 * the spike voice it only ever turns down, pulling RMS above
 * SONIFY_LEVEL_TARGET to it, so quiet stays quiet.
 *
 * The limiter: a stereo-linked peak limiter with instant attack (its gain is
 * computed from the sample it is applied to, so the product never exceeds
 * SONIFY_LIMIT) and a 150 ms release, then a soft knee above SONIFY_KNEE that
 * approaches 1 asymptotically. No sample leaves [-1, 1], and a loud input is
 * turned down rather than squared off into a clipped wall.
 */
#ifndef HILLOCK_SONIFY_H
#define HILLOCK_SONIFY_H

#define SONIFY_LEVEL_TARGET 0.35f
#define SONIFY_LIMIT 0.89f /* -1 dBFS */
#define SONIFY_KNEE 0.9f

typedef struct sonify sonify;

typedef struct {
    float mem_l, mem_r;   /* membrane voice, normalised voltage (about +-1) */
    float spk_l, spk_r;   /* spike voice */
    float mem_gain, spk_gain, master_gain; /* linear */
    float mem_ref;        /* loudness the membrane mix should have, or < 0 if none */
    float fade;           /* 0..1 crossfade for structural changes */
    int prime;            /* restart the DC blockers on this input (while faded out) */
} sonify_in;

sonify *sonify_create(double sample_rate);
void sonify_destroy(sonify *s);
void sonify_reset(sonify *s);

/* Soft knee: identity up to SONIFY_KNEE, then a tanh approach to +-1; NaN
 * maps to 0. Never beyond [-1, 1]. */
float sonify_soft_limit(float x);

void sonify_frame(sonify *s, const sonify_in *in, float *left, float *right);

/* Start the membrane leveler at this gain (a bank that starts in step is
 * sqrt(n) too loud until the leveler has measured it). */
void sonify_set_membrane_gain(sonify *s, float gain);
/* The same for the spike voice (many voices struck at once). */
void sonify_set_spike_gain(sonify *s, float gain);

/* dB -> linear gain, with the parameter minimum (-60 dB) meaning off. */
float sonify_db_gain(float db);

#endif
