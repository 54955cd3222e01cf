/* sonify.h — from voltages and spikes to bounded, DC-free audio.
 *
 * Minimal voice for the engine slice: the focus neuron's membrane voltage on
 * the left, the mean of the bank on the right, each DC-blocked and passed
 * through a soft limiter so no sample leaves [-1, 1].
 */
#ifndef HILLOCK_SONIFY_H
#define HILLOCK_SONIFY_H

typedef struct sonify sonify;

sonify *sonify_create(double sample_rate);
void sonify_destroy(sonify *s);
void sonify_reset(sonify *s);

/* Soft limiter: identity near 0, smooth approach to +-1, never beyond. */
float sonify_soft_limit(float x);

/* One frame. focus and bank are voltages already normalised to about
 * [-1, 1]; gain is linear. */
void sonify_frame(sonify *s, float focus, float bank, float gain, float *left,
                  float *right);

#endif
