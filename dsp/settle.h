/* settle.h — a settled start: the bank begins on its attractor, not at rest.
 *
 * Started from rest, every neuron of a bank fires its first spike at the
 * same moment, and a bursting or network model takes a second or more to
 * find its rhythm: the first few hundred milliseconds are a thump or a
 * fade-in. A settled start pre-rolls the model first: a few reference
 * neurons (one per lane: the bank's drives, sampled evenly across it) run
 * uncoupled from rest, with their noise, for the model's settle time
 * (models/registry.h, settle_ms); over its second half, SETTLE_SNAPSHOTS
 * snapshots of their state are kept. Each neuron of the bank then takes one
 * snapshot of the lane nearest its drive, chosen by a hash of the seed and
 * its index: it starts on its own cycle at a random phase, and the noise
 * current at a sample of its stationary (Ornstein-Uhlenbeck) distribution.
 *
 * Real-time safe: everything is allocated at settle_create; settle_advance
 * does a bounded number of steps per call, so the engine spreads the
 * pre-roll over frames in which the output is held silent (dsp/engine.c).
 */
#ifndef HILLOCK_SETTLE_H
#define HILLOCK_SETTLE_H

#include "bank.h"

#include <stdint.h>

#define SETTLE_LANES 16u
#define SETTLE_SNAPSHOTS 64u

typedef struct settle settle;

settle *settle_create(void);
void settle_destroy(settle *s);

/* Start a pre-roll for the running neurons of b under c (model, drive,
 * spread, dendrites, temperature, noise; the network and gap junctions are
 * left out: they act from the start). */
void settle_begin(settle *s, const bank *b, const bank_config *c);

/* Up to max_lane_steps neuron-steps of the pre-roll (at least one step of
 * every lane); returns 1 once the pre-roll is complete. */
int settle_advance(settle *s, uint32_t max_lane_steps);

/* Model steps the whole pre-roll takes (tests, docs). */
uint32_t settle_total_steps(const settle *s);

/* Neurons [begin, end) of b onto the recorded attractor (after
 * bank_init_neurons): each takes a snapshot of its lane, chosen by seed and
 * index, and an OU noise current of standard deviation c->noise_sigma. */
void settle_place(const settle *s, bank *b, const bank_config *c, uint64_t seed, uint32_t begin,
                  uint32_t end);

/* What the pre-roll measured for neurons [begin, end), each from its lane:
 * the running mean and mean square of d = (V - center) / half_range over a
 * cycle (the engine's loudness statistics start from them instead of from
 * one sample), and the mean firing rate per neuron, model Hz. */
void settle_stats(const settle *s, float center, float half_range, uint32_t begin, uint32_t end,
                  float *mean, float *msq, float *rate_hz);

#endif
