/* synth_speed.h — a bank running at a given speed, as the plugin's
 * notifications would fill a view: every neuron on a fixed model-time limit
 * cycle, the plugin's caps on spikes and focus samples per notification,
 * the focus neuron sampled in model time. No engine: the orbit is an analytic curve, so a
 * picture at one speed can be compared with the same orbit at another. */
#ifndef HILLOCK_TEST_SYNTH_SPEED_H
#define HILLOCK_TEST_SYNTH_SPEED_H

#include "view.h"

#define SYNTH_ORBIT_MS 14.0 /* model ms per cycle of the focus neuron: ~70 Hz */

/* The focus neuron's state at model time t_ms: an HH-like spike (soma, mV)
 * and a gating-like slow variable that rises during the spike and decays. */
void synth_orbit(double t_ms, float *soma, float *slow);

/* `seconds` of host time ending at `end_s`, 48 kHz, notifications of 960
 * frames: n neurons, neuron i firing every SYNTH_ORBIT_MS + 0.5 (i mod 16)
 * model ms (so speed times as often in host time); at most 1024 spikes per
 * notification, the rest counted as lost, as plugin/notify.c does; the
 * parameters speed and neurons set. When `synchronous`, every neuron fires
 * together at 10 Hz of host time instead (a seizure-like bank). */
void synth_fill_speed(hillock_view *v, unsigned n, double speed, double end_s,
                      double seconds, int synchronous);

/* More of the same activity, from from_s to to_s (whole notifications),
 * into a view synth_fill_speed() started. */
void synth_run_speed(hillock_view *v, unsigned n, double speed, double from_s, double to_s,
                     int synchronous);

#endif
