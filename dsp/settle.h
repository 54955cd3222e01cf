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
 * A coupled network cannot start that way: placed on their uncoupled
 * cycles, its neurons fire together in a burst its inhibition has not yet
 * paced (ei-gamma peaked at -0.2 dBFS). Its pre-roll is the whole bank, the
 * network, gap junctions and noise on, from rest for SETTLE_NET_MS of model
 * time (at most SETTLE_NET_WORK neuron-steps), at the bank's own step; the
 * bank then takes over its state as it is at the end, synaptic conductances
 * included. That is work of the bank's size, too much for the
 * audio thread: the engine has it run outside (engine_settle_run).
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
/* A coupled network's pre-roll: model time, and a bound on its work (about
 * a quarter of a second of one core for HH) */
#define SETTLE_NET_MS 600.0f
#define SETTLE_NET_WORK (1ull << 25)

typedef struct settle settle;

/* For banks of up to capacity neurons; touch as bank_create (1) or
 * bank_create_offline (0). */
settle *settle_create(uint32_t capacity, int touch);
void settle_destroy(settle *s);

/* Start a pre-roll for the running neurons of b under c (model, drive,
 * spread, dendrites, temperature, noise; uncoupled, the network and gap
 * junctions are left out: they act from the start). A coupled network
 * (settle_coupled) pre-rolls whole, with its neurons' types and branches
 * and the stereo mix's weights pan_l, pan_r copied from here (the engine may
 * change its own while another thread runs the pre-roll); seed draws the
 * noise current's start. */
void settle_begin(settle *s, const bank *b, const bank_config *c, const float *pan_l,
                  const float *pan_r, uint64_t seed);

/* The network of c couples its neurons (connectivity and a weight). */
int settle_coupled(const bank_config *c);
/* ... and its pre-roll can hand its state over: exponential synapses (the
 * receptors' state cannot be copied yet; such a network starts from rest). */
int settle_network_can_pre_roll(const bank_config *c);

/* The pre-roll begun last is a coupled network's. */
int settle_is_network(const settle *s);

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

/* Neuron i's firing rate over the recording half, model Hz. */
float settle_rate(const settle *s, uint32_t i);

/* A coupled pre-roll's stereo mix: the RMS of its variation, in units of
 * half_range (its mean removed, as the DC blockers do); -1 otherwise. */
float settle_mix_rms(const settle *s, float half_range);

#endif
