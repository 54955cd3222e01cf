/* notify.h — collects what the UI needs (uris.h: hillock:Notification)
 * while run() processes, into buffers allocated at instantiate, and forges
 * it onto the atom output. Real-time safe after notify_init().
 */
#ifndef HILLOCK_NOTIFY_H
#define HILLOCK_NOTIFY_H

#include "engine.h"
#include "uris.h"

#include <lv2/atom/forge.h>
#include <lv2/urid/urid.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define NOTIFY_MASK_WORDS (ENGINE_MAX_NEURONS / 32u)
/* Points of the soma trace the inline display keeps (a power of 2). */
#define NOTIFY_DISPLAY_POINTS 1024u

typedef struct {
    HILLOCK_NOTIFICATION_TERMS(HILLOCK_URID_FIELD)
} notify_urids;

/* Lock-free hand-over of recent trace points to the inline display, which
 * renders on the GUI thread: run() writes points then publishes the count;
 * render() reads the count then copies. A point overwritten while it is
 * being copied only blurs one frame of a picture. */
typedef struct {
    float soma_mV[NOTIFY_DISPLAY_POINTS];
    _Atomic uint32_t written; /* points ever written (wraps) */
    _Atomic uint32_t neurons;
    _Atomic float rate_hz;
} notify_display;

typedef struct {
    notify_urids u;
    double sample_rate;
    uint32_t step;   /* frames per trace point */
    uint32_t period; /* frames per notification */
    uint32_t mask_period;

    uint64_t frame;  /* first frame of what is being collected */
    uint32_t frames; /* frames collected */

    /* the bucket of the trace point being built */
    uint32_t bucket_fill;
    float bmin_s, bmax_s, bmin_d, bmax_d;
    float bslow_min, bslow_max; /* slow variable where the soma min / max were */
    float prev_s, prev_d;

    float *soma, *dend, *slow;
    uint32_t n_points, cap_points;

    int32_t *spike_neuron;
    float *spike_time;
    uint32_t n_spikes, spikes_lost;

    uint32_t mask[NOTIFY_MASK_WORDS];
    uint32_t mask_neurons;
    uint32_t frames_since_mask;
    bool want_mask;

    uint32_t dropped; /* notifications that did not fit (diagnostics) */

    notify_display display;
} hillock_notify;

/* Allocates the buffers for notifications covering up to
 * period + max_chunk frames. Returns false on allocation failure. */
bool notify_init(hillock_notify *n, LV2_URID_Map *map, double sample_rate,
                 uint32_t max_chunk);
void notify_free(hillock_notify *n);

/* Start over at frame 0 (activate, reset). */
void notify_restart(hillock_notify *n);

/* Collect n_frames just processed: the focus voltages in mV/100 and the
 * slow variable (engine_io.trace_slow), the rate in kHz (the engine's CV
 * scaling) and the block's spikes, timed in
 * the block. */
void notify_collect(hillock_notify *n, const float *focus_cv, const float *dend_cv,
                    const float *slow, const float *rate_cv, const engine_spike *spikes,
                    uint32_t n_spikes, uint32_t spikes_lost, uint32_t n_frames);

/* True when a notification is due. */
bool notify_due(const hillock_notify *n);

/* Forge the notification as one event at time `frame` if it fits in the
 * forge while leaving `reserve` bytes free; start collecting afresh either
 * way. Returns true if it was written. */
bool notify_send(hillock_notify *n, LV2_Atom_Forge *forge, int64_t frame, uint32_t reserve,
                 const engine *e);

#endif
