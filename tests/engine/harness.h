/* harness.h — run the engine headless and collect spike times, for the
 * model and engine specifications. */
#ifndef HILLOCK_TEST_HARNESS_H
#define HILLOCK_TEST_HARNESS_H

#include "engine.h"

#include <stddef.h>

typedef struct {
    double *t_ms;     /* model time of each spike */
    unsigned *neuron;
    size_t n, cap;
    float v_min, v_max; /* focus neuron's somatic variable over the run */
    double first_peak;  /* first local maximum of the focus trace above 0 */
    float last_v;
    int all_finite;
} spike_record;

/* Run `model_ms` of model time at sample_rate with the given parameters
 * (defaults, then symbol=value pairs "drive=10,speed=10"). */
spike_record run_engine(double sample_rate, double model_ms, const char *settings,
                        unsigned block);
void record_free(spike_record *r);

/* Spikes of one neuron, in [t0, t1) ms. */
size_t count_between(const spike_record *r, double t0, double t1);
/* (n-1)/(t_last - t_first) over spikes with t >= t0, in Hz. */
double steady_rate_hz(const spike_record *r, double t0);

typedef struct {
    size_t bursts;
    double period_ms;
    unsigned min_size, max_size; /* spikes per burst, bursts fully inside */
} burst_stats;

/* Bursts = runs of spikes separated by more than gap_ms, starting at t >= t0. */
burst_stats burst_analysis(const spike_record *r, double gap_ms, double t0);

#endif
