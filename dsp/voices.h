/* voices.h — the spike voice: a bounded pool of damped complex resonators.
 *
 * Each spike excites a voice with a band-limited impulse (a short
 * Kaiser-windowed sinc placed at the spike's sub-sample time), so onsets are
 * alias-free at any spike timing. A voice is one complex one-pole resonator
 * per channel, z <- p z + x with p = r e^{i w}; its output Im(z) is a damped
 * sine starting at zero phase (no click). A neuron that fires again while
 * its voice still rings re-excites that voice: afresh, or (in_step) in step
 * with the ring, growing it towards 4 times one strike; when the pool is full the
 * voice closest to its end is stolen and retuned, which keeps |z| continuous
 * (so stealing never clicks) and bounds the cost to VOICES_MAX resonators
 * and VOICES_MAX triggers per frame, however many neurons fire.
 */
#ifndef HILLOCK_VOICES_H
#define HILLOCK_VOICES_H

#include "simd.h"
#include "state_io.h"
#include <stdint.h>

#define VOICES_MAX 48u
#define VOICES_EXC_TAPS 12u /* excitation kernel length, frames */

typedef struct {
    float freq_hz;  /* resonance */
    float decay_s;  /* time for the amplitude to fall by e */
    float amp;      /* excitation size (negative flips polarity) */
    float pan;      /* 0 = left, 1 = right */
    int in_step;    /* a neuron's spike re-strikes its ringing voice in step
                       with the ring (else afresh, at zero phase) */
} voice_sound;

typedef struct voices voices;

/* touch: every page written now (a real-time engine's, zeroed.h) */
voices *voices_create(double sample_rate, uint32_t max_neurons, int touch);
void voices_destroy(voices *v);
void voices_reset(voices *v);
/* The instruction-set path of the frame's resonator update (simd_default()
 * from create on; engine_set_isa passes its own on): every path gives the
 * same bits. */
void voices_set_isa(voices *v, simd_isa isa);

/* Start loading what a trigger for neuron reads of its own (its tone and
 * voice index, scattered over the bank's neurons): a step's spikes are
 * announced before they are triggered, so their cache misses overlap
 * instead of stalling one trigger after another. */
void voices_prefetch(const voices *v, uint32_t neuron);

/* Start (or re-excite) the voice of neuron at absolute time t_frames, which
 * must be at least VOICES_EXC_TAPS / 2 frames after the next frame rendered.
 * Returns 0 when the per-frame trigger budget is spent (the spike is not
 * voiced). */
int voices_trigger(voices *v, uint32_t neuron, double t_frames, const voice_sound *s);

/* Set neuron's voice ringing as a neuron that had been firing for a while
 * would leave it (a settled start): magnitude `mag` of one strike's `amp`
 * units at `phase` radians, tuned and panned as s, from the next frame
 * rendered on. No excitation is pending; the next spike strikes it as it
 * strikes a ringing voice. Nothing happens for mag <= 0. */
void voices_prime(voices *v, uint32_t neuron, const voice_sound *s, float mag, float phase);

/* Render absolute frame `frame`, adding into *left / *right. */
void voices_render(voices *v, uint64_t frame, float *left, float *right);

/* Voices ringing now. */
uint32_t voices_active(const voices *v);

/* The voices' state for a saved engine (state_io.h): the pool and, for
 * neurons [0, neurons), their voice and tone. */
void voices_state(state_io *s, voices *v, uint32_t neurons);

#endif
