/* synth.h — deterministic synthetic activity for the drawing tests: no
 * engine, so the pictures change only when the drawing does. */
#ifndef HILLOCK_TEST_SYNTH_H
#define HILLOCK_TEST_SYNTH_H

#include "view.h"

/* Fill v with `seconds` of activity of n neurons ending at time `end_s`:
 * neuron i fires regularly at 4 + 1.5 (i mod 16) Hz (8 times slower in banks
 * of over 32 neurons), every fifth neuron inhibitory;
 * the focus trace is an HH-like spike train at 4 kHz, with a dendritic trace
 * when `dendrite` is set, and a slow variable that jumps at each spike. */
void synth_fill(hillock_view *v, unsigned n, double end_s, double seconds, int model,
                int dendrite);

#endif
