/* sound_util.h — helpers for the sound specifications: engines from
 * "symbol=value" settings or preset files, renders, levels and spectra. */
#ifndef HILLOCK_SOUND_UTIL_H
#define HILLOCK_SOUND_UTIL_H

#include "engine.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    float *l, *r;
    size_t n;
    double *spike_t;   /* absolute frame of each spike */
    uint32_t *spike_neuron;
    size_t n_spikes;
    engine_midi_event *midi;
    uint64_t *midi_at; /* absolute frame of each MIDI event */
    size_t n_midi;
} render_out;

/* Defaults, then "symbol=value,symbol=value" (enumeration names allowed).
 * Aborts the test on an unknown symbol. */
void settings_apply(float values[PARAM_COUNT], const char *settings);
engine *engine_with(double sample_rate, const char *settings);

/* Render n frames in blocks of `block` (0 = a varying pattern of sizes),
 * optionally with a stimulus, appending into out (allocated as needed). */
void render(engine *e, render_out *out, size_t n, unsigned block, const float *stimulus);
void render_free(render_out *out);

double rms(const float *x, size_t n);
/* The mean of x[0..n) under a Blackman window (weights summing to 1, so a
 * constant reads whole; the ends, tapered to zero, read nearly nothing). */
double windowed_mean(const float *x, size_t n);
double db(double ratio);
float max_abs(const float *x, size_t n);
/* Largest |x[i] - x[i-1]| for i in [begin+1, end). */
float max_step(const float *x, size_t begin, size_t end);

/* Power spectrum of x[0..n) (n a power of two) through a 4-term
 * Blackman-Harris window, into p[0..n/2]. */
void power_spectrum(const float *x, size_t n, double *p);
/* Energy not within `guard` bins of a multiple of f0 (DC included as the
 * 0th multiple), relative to the total, in dB. */
double inharmonic_db(const float *x, size_t n, double sample_rate, double f0, int guard);

/* The largest |x| between samples: x reconstructed 8 times oversampled by
 * a 64-tap Blackman-windowed sinc per phase (an independent design, finer
 * than the 4x that ITU-R BS.1770-4 annex 2 asks of a true-peak meter). */
double true_peak(const float *x, size_t n);

/* Load a preset file with sord into values (defaults first). Returns 0 on
 * success, else -1 with a message in err. */
int preset_file_load(const char *path, float values[PARAM_COUNT], char *err, size_t err_len);

/* The presets in PRESET_DIR (each .ttl but the manifest), names without
 * .ttl, at most max; and one of them loaded by name (aborts the test on an
 * error). */
int preset_names(char names[][64], int max);
void preset_load(const char *name, float values[PARAM_COUNT]);

/* A stimulus for presets that listen to audio: a vowel-like harmonic tone
 * (150 Hz and its harmonics under formants near 700 and 1200 Hz) whose
 * pitch glides, switched on and off every quarter second at 48 kHz. */
float *vowel(size_t n, double sr);

#endif
