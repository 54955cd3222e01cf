/* view.h — what the displays show, as plain data.
 *
 * A hillock_view is filled the same way by the LV2 UI (from the plugin's
 * atom notifications and control ports) and by the plugin itself (for
 * Ardour's inline display, straight from run()), then drawn by draw.h.
 * It holds no pointers and never allocates: pushing is a few stores into
 * fixed rings, safe on a real-time thread. It is not thread safe; a plugin
 * that pushes from run() and renders on the GUI thread copies it under a
 * try-lock (docs/ui.md).
 */
#ifndef HILLOCK_VIEW_H
#define HILLOCK_VIEW_H

#include "engine.h"
#include "params.h"
#include "trace_decimator.h"

#include <stdbool.h>
#include <stdint.h>

#define HV_SPIKE_RING 8192u /* spikes kept for the raster (power of two) */
#define HV_TRACE_RING 4096u /* focus-neuron samples kept (power of two) */
#define HV_TRACE_MODEL_MS 0.1 /* least model ms between kept samples: 0.4 model s */
#define HV_RATE_RING 256u   /* population-rate bins kept (power of two) */
#define HV_PHASE_RING 512u  /* (V, slow) points at block ends (power of two) */
#define HV_RATE_BIN_S 0.02  /* one rate bin, seconds of host time */
#define HV_RATE_SMOOTH_S 0.05 /* the rate view's Gaussian kernel, sigma, host s */
#define HV_WEIGHT_BINS 32     /* the weight histogram's bins (WEIGHT_CENSUS_BINS) */

typedef struct {
    double t_s;          /* host time of the spike, seconds */
    uint16_t neuron;
    uint8_t inhibitory;  /* 1 if the neuron was inhibitory */
    uint8_t pad;
} hv_spike;

typedef struct {
    float soma;  /* somatic voltage, mV (every model maps its own to mV) */
    float dend;  /* dendritic voltage, mV (= soma, or NAN, for one compartment) */
    float slow;  /* the model's slow variable (n, Ca, u, z); NAN if not known here */
} hv_sample;

typedef struct {
    float soma, slow;
} hv_phase_point;

typedef struct hillock_view {
    /* parameters as the host last set them (control ports) */
    float params[PARAM_COUNT];

    double now_s; /* host time of the newest data, seconds */

    hv_spike spikes[HV_SPIKE_RING];
    uint32_t spike_head; /* total pushed; index = head & (RING-1) */

    hv_sample trace[HV_TRACE_RING];
    uint32_t trace_head;
    float trace_dt_s; /* host seconds between two trace samples */

    float rate_hz[HV_RATE_RING]; /* spikes per neuron per second, per bin */
    uint32_t rate_head;
    double rate_bin_start_s;
    uint32_t rate_bin_spikes;

    uint32_t spikes_lost; /* spikes the sender could not transmit */
    double lost_at_s;     /* host time of the newest such report, -1 for none */
    float spike_share;    /* of the newest message's spikes, the share sent (1: all) */

    /* the phase plane when the slow variable comes once per block */
    hv_phase_point phase[HV_PHASE_RING];
    uint32_t phase_head;

    /* the decimation of hillock_view_push_trace() */
    trace_decimator decimator;

    /* the CPU guard's output ports, when the host passes them on */
    bool guard_known;
    bool guard_active; /* the guard plays fewer neurons than set */
    float guard_load;  /* work of the last block over the real-time budget */
    float guard_time;  /* model time run over set: 1, less while slowed (0: unknown) */

    /* the learned weights' histogram (hillock:weightHist), while plasticity
     * plays: weight_bins[k] synapses in [k, k+1) x weight_max / HV_WEIGHT_BINS */
    uint32_t weight_bins[HV_WEIGHT_BINS];
    float weight_max;
    uint32_t weight_stride; /* every k-th synapse counted (1: all) */
    double weights_at_s;    /* host time of the newest histogram, -1 for none */

    /* the instrument's state (hillock:tempoScale...), when the sender reports it */
    bool instrument_known;
    float tempo_scale;  /* the tempo lock's time scale */
    float tempo_error;  /* its last event's phase error, divisions; NAN: none */
    float pitch_lo_hz, pitch_hi_hz; /* the pitches the model reaches; 0: unknown */
    int pitch_clamped;  /* the last note out of reach, -1: none */

    /* what the bank reports, when it does (0 = unknown: use the parameter) */
    uint32_t active_neurons;
    uint32_t inhibitory_mask[ENGINE_MAX_NEURONS / 32]; /* bit i%32 of word i/32: neuron i */
} hillock_view;

/* Defaults for every parameter, empty rings, time 0. */
void hillock_view_init(hillock_view *v);

/* A parameter value as the host reports it (sanitised). */
void hillock_view_set_param(hillock_view *v, param_id id, float value);

/* The active neuron count (P_NEURONS, clamped to the bank's size). */
uint32_t hillock_view_neurons(const hillock_view *v);

/* Time went backwards (the sender restarted its clock): forget the rings,
 * whose data would sit in the future of the new, and start at t_s.
 * Parameters stay. */
void hillock_view_restart(hillock_view *v, double t_s);

/* A spike at host time t_s (the clock moves forward to it, never back). */
void hillock_view_push_spike(hillock_view *v, double t_s, uint32_t neuron, bool inhibitory);

/* Spikes that happened but were not transmitted: they count in the rate. */
void hillock_view_push_lost(hillock_view *v, uint32_t n);

/* Of the spikes of the sender's newest message (or block), `sent` arrived
 * and `lost` did not: the share sent, an even sample (reservoir), so
 * estimates from the ring can undo the thinning (synchrony.h). */
void hillock_view_spike_share(hillock_view *v, uint32_t sent, uint32_t lost);

/* One focus-neuron sample at host time t_s; dt_s is the sample spacing.
 * With a finite slow value for every sample, the phase plane draws the
 * trajectory from these samples. */
void hillock_view_push_sample(hillock_view *v, double t_s, float dt_s, float soma,
                              float dend, float slow);

/* A block of n focus-neuron points, point k at t0_s + k * dt_s; dend may be
 * NULL; slow_end is the slow variable at the block's end, paired with its
 * last point in the phase ring (the plugin knows it once per block: no
 * interpolation, which would draw trajectories that never happened).
 * Points are decimated in model time (the parameter speed converts) to
 * at most one per HV_TRACE_MODEL_MS, keeping each bucket's extreme so
 * spikes survive: the ring holds the same model time at every speed. */
void hillock_view_push_trace(hillock_view *v, double t0_s, double dt_s, const float *soma,
                             const float *dend, uint32_t n, float slow_end);

/* As hillock_view_push_trace, with the slow variable of every point (slow
 * may be NULL): each kept sample carries the slow value of the very point
 * whose voltage it keeps, so the phase plane draws true trajectories. */
void hillock_view_push_trace_slow(hillock_view *v, double t0_s, double dt_s,
                                  const float *soma, const float *dend, const float *slow,
                                  uint32_t n, float slow_end);

/* The focus neuron sampled in model time (hillock:focusSoma...): n samples
 * step_ms of model time and dt_s host seconds apart, oldest first, the last
 * one at host time t_end_s; dend and slow may be NULL. skipped > 0: samples
 * before these were left out, so the trace breaks there (a sample of NANs)
 * instead of joining states that are not neighbours. Decimated to at most
 * one per HV_TRACE_MODEL_MS like hillock_view_push_trace. */
void hillock_view_push_focus(hillock_view *v, double t_end_s, double dt_s, double step_ms,
                             const float *soma, const float *dend, const float *slow,
                             uint32_t n, uint32_t skipped);

/* One (V, slow) point of the phase plane, sampled at a block's end. */
void hillock_view_push_phase(hillock_view *v, float soma, float slow);

/* The learned weights' histogram: n bins over [0, w_max] (more than
 * HV_WEIGHT_BINS are summed into them), counting every stride-th synapse,
 * received at host time now_s. */
void hillock_view_set_weights(hillock_view *v, const int32_t *bins, uint32_t n, float w_max,
                              uint32_t stride);
/* True while the view has a histogram newer than a second and plasticity
 * is on. */
bool hillock_view_weights_live(const hillock_view *v);

/* Which neurons are inhibitory: bit (i % 32) of word (i / 32), n neurons. */
void hillock_view_set_inhibitory_mask(hillock_view *v, const uint32_t *words,
                                      uint32_t n_neurons);
bool hillock_view_is_inhibitory(const hillock_view *v, uint32_t neuron);
/* The same from one flag per neuron (1 = inhibitory, as engine_display has). */
void hillock_view_set_inhibitory_flags(hillock_view *v, const uint8_t *flags,
                                       uint32_t n_neurons);

/* Packs one flag per neuron into mask words, bit (i % 32) of word (i / 32),
 * ceil(n_neurons / 32) words. Returns true if any word changed. */
bool hillock_mask_pack(uint32_t *words, const uint8_t *flags, uint32_t n_neurons);

/* Move the clock forward to t_s, closing rate bins that ended before it;
 * an earlier t_s is ignored. */
void hillock_view_advance(hillock_view *v, double t_s);

/* The i-th newest sample (i = 0 is the newest); i < count. */
uint32_t hillock_view_trace_count(const hillock_view *v);
const hv_sample *hillock_view_trace_at(const hillock_view *v, uint32_t i);

uint32_t hillock_view_spike_count(const hillock_view *v);
const hv_spike *hillock_view_spike_at(const hillock_view *v, uint32_t i);

/* The i-th newest phase point (i = 0 is the newest); i < count. */
uint32_t hillock_view_phase_count(const hillock_view *v);
const hv_phase_point *hillock_view_phase_at(const hillock_view *v, uint32_t i);

uint32_t hillock_view_rate_count(const hillock_view *v);
float hillock_view_rate_at(const hillock_view *v, uint32_t i);
/* The population rate around bin i, smoothed by a Gaussian of sigma
 * HV_RATE_SMOOTH_S (truncated at 3 sigma, renormalised at the ring's ends):
 * spikes per neuron per host second. A steady rate whose spikes fall
 * unevenly into the 20 ms bins reads steady. */
float hillock_view_rate_smooth_at(const hillock_view *v, uint32_t i);

/* Model milliseconds per host second: 1000 x the parameter speed x the
 * tempo lock's time scale x the CPU guard's (each 1 when unknown). */
double hillock_view_model_ms_per_s(const hillock_view *v);

#endif
