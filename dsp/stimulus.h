/* stimulus.h — stimulus audio as current.
 *
 * Shaping (input_mode): direct (the signal as is), rectified (|x|), or
 * envelope (|x| through a peak follower: 1 ms attack, 30 ms release).
 * The current is input_gain * shaped + input_offset.
 *
 * Routing (input_routing): `all` feeds the one current to every neuron;
 * `cochlea` first splits the signal into STIMULUS_MAX_BANDS (or fewer, one per
 * neuron for small banks) band-pass channels with centres log-spaced from
 * STIMULUS_LOW_HZ to STIMULUS_HIGH_HZ (capped at 0.45 fs), each shaped on its
 * own, and neuron i hears band i * bands / n: low neurons hear low
 * frequencies, as along the basilar membrane. The filters are RBJ constant-
 * peak band-passes (0 dB at the centre), one band spacing wide (at least a
 * sixth of an octave).
 */
#ifndef HILLOCK_STIMULUS_H
#define HILLOCK_STIMULUS_H

#include "state_io.h"
#include <stdint.h>

#define STIMULUS_MAX_BANDS 64u
#define STIMULUS_LOW_HZ 100.0
#define STIMULUS_HIGH_HZ 8000.0

typedef struct {
    float b0, b2, a1, a2; /* band-pass: b1 = 0, b2 = -b0 */
    float x1, x2, y1, y2;
    float env;
} stimulus_band;

typedef struct {
    double sample_rate;
    float env_attack, env_release; /* one-pole coefficients */
    float env;                     /* the all-neuron envelope */
    uint32_t n_bands;
    uint32_t n_neurons;
    stimulus_band band[STIMULUS_MAX_BANDS];
    float band_out[STIMULUS_MAX_BANDS]; /* shaped, this frame */
} stimulus;

void stimulus_init(stimulus *s, double sample_rate);
void stimulus_reset(stimulus *s);

/* How many bands a bank of n neurons gets, and band b's centre. */
uint32_t stimulus_bands_for(uint32_t n_neurons);
double stimulus_band_hz(uint32_t band, uint32_t n_bands, double sample_rate);
/* The band neuron i of n hears. */
static inline uint32_t
stimulus_band_of(uint32_t i, uint32_t n_neurons, uint32_t n_bands)
{
    return (uint32_t)(((uint64_t)i * n_bands) / n_neurons);
}

/* (Re)design the cochlea for n neurons; filter state kept where bands stay. */
void stimulus_configure(stimulus *s, uint32_t n_neurons);

/* Shape one sample for the all-neuron route (mode INPUT_*). */
float stimulus_shape_all(stimulus *s, float x, int mode);

/* Run the cochlea on one sample: fills s->band_out with shaped band signals. */
void stimulus_cochlea(stimulus *s, float x, int mode);

/* The envelope and the cochlea's filters for a saved engine (state_io.h). */
void stimulus_state(state_io *s, stimulus *st);

#endif
