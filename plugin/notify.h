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

#include <stdbool.h>
#include <stdint.h>

#define NOTIFY_MASK_WORDS (ENGINE_MAX_NEURONS / 32u)

typedef struct {
    HILLOCK_NOTIFICATION_TERMS(HILLOCK_URID_FIELD)
} notify_urids;

typedef struct {
    notify_urids u;
    double sample_rate;
    uint32_t period; /* frames per notification */
    uint32_t mask_period;

    uint64_t frame;  /* first frame of what is being collected */
    uint32_t frames; /* frames collected */

    bool ui_open; /* a UI asked for notifications (hillock:UiOn) */

    /* the focus neuron's model-time samples (engine_display.focus_trace)
     * since the last notification: the newest HILLOCK_NOTIFY_MAX_POINTS in
     * a ring, laid out oldest first when sent */
    float *ring_soma, *ring_dend, *ring_slow;
    float *soma, *dend, *slow;
    uint32_t taken;        /* samples appended since the last notification */
    uint32_t skipped;      /* samples the engine took but did not keep, or of another spacing */
    float step_ms, step_frames; /* their spacing */

    int32_t *spike_neuron;
    float *spike_time;
    uint32_t n_spikes, spikes_lost;
    uint64_t spikes_offered; /* spikes the engine listed since the last message */

    uint32_t mask[NOTIFY_MASK_WORDS];
    uint32_t mask_neurons;
    uint32_t frames_since_mask;
    bool want_mask;

    float rate_hz; /* population rate at the end of the last block */

    uint32_t dropped; /* notifications that did not fit (diagnostics) */
} hillock_notify;

/* Allocates the buffers. Returns false on allocation failure. */
bool notify_init(hillock_notify *n, LV2_URID_Map *map, double sample_rate);
void notify_free(hillock_notify *n);

/* Start over at frame 0 (activate, reset); a UI stays open. */
void notify_restart(hillock_notify *n);

/* A UI opened (hillock:UiOn) or closed (hillock:UiOff). Notifications are
 * collected and sent only while one is open, so MIDI for downstream
 * instruments has the output to itself otherwise. Opening brings the
 * inhibitory mask in the first notification. */
void notify_set_ui_open(hillock_notify *n, bool open);

/* Collect n_frames just processed (io as engine_process left it): the
 * focus neuron's model-time samples, the rate and the block's spikes. Only
 * counts the frames while no UI is open. */
void notify_collect(hillock_notify *n, const engine_io *io, uint32_t n_frames);

/* True when a notification is due (never while no UI is open). */
bool notify_due(const hillock_notify *n);

/* Forge the notification as one event at time `frame` if it fits in the
 * forge while leaving `reserve` bytes free; start collecting afresh either
 * way. Returns true if it was written. */
bool notify_send(hillock_notify *n, LV2_Atom_Forge *forge, int64_t frame, uint32_t reserve,
                 const engine_display *d);

#endif
