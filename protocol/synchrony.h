/* synchrony.h — how synchronous the bank is and its population rhythm,
 * from the spikes a hillock_view holds.
 *
 * Synchrony is Golomb's chi (Golomb & Rinzel 1993; Golomb 2007,
 * Scholarpedia 2(1):1347) computed from spike counts instead of voltages:
 * with c_i(b) the spikes of neuron i in bin b (HV_SYNC_BIN_MS of model
 * time) and P(b) their sum over the bank's N neurons,
 *
 *     chi^2 = Var_b(P / N) / ((1/N) sum_i Var_b(c_i))
 *
 * 1 when every neuron fires in the same bins, about 1/sqrt(N) when they
 * fire independently. The rhythm is the frequency (model Hz) of the
 * largest peak of P's power spectrum, DC excluded, when it stands out.
 *
 * The window is the last HV_SYNC_WINDOW_MS of model time, or what the
 * spike ring holds when that is less (a big fast bank fills the ring in a
 * few ms); under HV_SYNC_MIN_MS or HV_SYNC_MIN_SPIKES nothing is
 * estimated. When the plugin sent an even sample of the spikes (a share q
 * of them, hillock_view_spike_share), both variances lose the binomial
 * noise the thinning adds, (1 - q) x the mean count, so a synchronous bank
 * still reads about 1. Allocates its counts (GUI thread, never the audio thread);
 * the cost is the ring's spikes, the neurons and the bins squared / 2.
 */
#ifndef HILLOCK_SYNCHRONY_H
#define HILLOCK_SYNCHRONY_H

#include "view.h"

#include <stdbool.h>

#define HV_SYNC_BIN_MS 2.0       /* model ms per count bin: Nyquist 250 Hz */
#define HV_SYNC_WINDOW_MS 1000.0 /* model ms analysed at most */
#define HV_SYNC_MIN_MS 50.0      /* a shorter window estimates nothing */
#define HV_SYNC_MIN_SPIKES 32u
#define HV_SYNC_PEAK 10.0        /* a rhythm's power over the spectrum's mean (noise: 250 bins of an
                                    * exponential exceed it with p = 250 e^-10 = 1 %) */

typedef struct {
    double chi;         /* 0..1; NAN when not estimated */
    double rhythm_hz;   /* model Hz; NAN when no peak stands out or not estimated */
    double window_ms;   /* model ms analysed (0: nothing estimated) */
    bool sampled;       /* the plugin sent a sample of the spikes: estimates from it */
} hv_synchrony;

/* Estimates both from v's spike ring; false (and NANs) when the window is
 * too short, there are too few spikes, or no memory. */
bool hillock_view_synchrony(const hillock_view *v, hv_synchrony *out);

#endif
