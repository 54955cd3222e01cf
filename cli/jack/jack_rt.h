/* jack_rt.h — the JACK side of `hillock jack`: the state the process
 * callback owns, the callbacks JACK calls, and the counters other threads
 * read. Everything the process callback touches is allocated before
 * jack_activate(); it talks to other threads only through atomics and
 * lock-free rings. */
#ifndef HILLOCK_JACK_RT_H
#define HILLOCK_JACK_RT_H

#include "beat_grid.h"
#include "engine.h"
#include "jack_ports.h"
#include "recorder.h"
#include "settler.h"
#include "spike_queue.h"
#include "spsc_ring.h"

#include "jack_api.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define JACK_RT_MIDI_OUT_CAPACITY 2048u /* engine MIDI events per sub-block */
#define JACK_RT_CONTROL_CAPACITY 1024u  /* queued parameter changes (> a preset) */
#define JACK_RT_SPIKE_CAPACITY 8192u    /* spikes per sub-block sent as OSC */

/* One parameter change travelling from the control thread to the process
 * thread; a preset is PARAM_COUNT of them. param = JACK_RT_RESET restarts
 * the bank (engine_reset, the plugin's Reset). */
#define JACK_RT_RESET PARAM_COUNT
typedef struct {
    int32_t param;
    float value;
} param_change;

typedef struct jack_rt {
    jack_client_t *client;
    jack_port_t *audio[PORT_AUDIO_COUNT];
    jack_port_t *midi_in, *midi_out;

    /* Owned by the process thread once active. */
    engine *eng;
    float param_copy[PARAM_COUNT];
    engine_midi_event midi_events[JACK_RT_MIDI_OUT_CAPACITY];
    uint64_t spikes_before_swap; /* spikes counted by engines since retired */

    /* A sample-rate change builds a new engine off the process thread and
     * leaves it in pending; the process thread adopts it (copying every
     * parameter across) and hands the old one back in retired, which the
     * main thread destroys. */
    _Atomic(engine *) pending;
    _Atomic(engine *) retired;
    double engine_rate; /* rate of the newest engine: set before attach, then
                        * by the sample-rate callback only */
    /* --tuning/--keymap: every engine built gets them (set before attach) */
    bool tuned;
    double tuning_hz[128];

    spsc_ring controls; /* param_change, control thread -> process thread */
    jack_beat_grid beat_grid; /* tempo_sync: the transport's last period */

    /* A coupled network's settled start pre-rolls on this thread
     * (settler.h): every engine is BY_HOST once it runs (settle_by_host,
     * set before activation), AT_ONCE while JACK freewheels (no deadline:
     * the pre-roll runs in the period that begins it, as `hillock render`
     * does). */
    settler settler;
    bool settle_by_host;

    /* --osc: the process thread pushes each sub-block's spikes (audio time)
     * and a block end (OSC_OUT_BLOCK_END); NULL without --osc */
    spike_queue *osc_out;
    engine_spike spike_list[JACK_RT_SPIKE_CAPACITY];
    spike_event osc_block[JACK_RT_SPIKE_CAPACITY + 1];
    /* --osc-in: the receiver thread pushes, stamped with jack_frame_time();
     * the process thread plays them at the start of the next period */
    spike_queue *osc_in;
    uint32_t osc_in_units; /* one past the highest unit received */
    _Atomic uint64_t osc_in_played, osc_latency_sum, osc_latency_max; /* frames */

    /* --play-spikes: the recording's reader and playback (jack_spikes.h);
     * a `spikes FILE` line leaves the next in spikes_pending, the process
     * thread hands the one it replaced back in spikes_retired */
    struct jack_spikes *spikes_in;
    bool spikes_follow_transport; /* --transport (set before activation) */
    _Atomic(struct jack_spikes *) spikes_pending, spikes_retired;

    recorder *rec; /* NULL when not recording */
    int rec_ports[RECORDER_MAX_CHANNELS];
    unsigned n_rec;

    uint64_t frame_limit; /* stop after this many frames; 0 = run until told */

    /* Published by the process thread (relaxed: counters for display). */
    _Atomic uint64_t frames, spikes, midi_in_events, midi_out_lost, control_applied;
    atomic_bool done; /* frame_limit reached */

    /* Published by JACK's other callbacks. */
    _Atomic uint64_t xruns;
    _Atomic uint32_t sample_rate, buffer_size;
    atomic_bool shutdown, engine_failed, freewheeling;
    _Atomic uint32_t latency; /* the newest engine's (engine_latency), frames */
    /* set by the rate and buffer callbacks: the control thread asks JACK to
     * recompute every port's latency (not from the callback itself) */
    atomic_bool latency_stale;

    /* The real-time guard: the budget calibrated for the newest engine's
     * rate (engine_calibrate_budget, outside the process thread), applied
     * by the process thread every period unless JACK freewheels; and what
     * the engine reported over the last period. */
    _Atomic double guard_budget;
    _Atomic uint32_t guard_load_pm;   /* work over budget, per mille, the period's most */
    _Atomic uint32_t guard_neurons;   /* neurons played at its end */
    _Atomic uint32_t guard_time_pm;   /* model time run over set, per mille, at its end */
    atomic_bool guard_active, guard_on;
    /* pitch tracking: notes out of the model's reach so far, the last one */
    _Atomic uint32_t pitch_clamped;
    _Atomic int32_t pitch_last_clamped;
    char shutdown_reason[256];
} jack_rt;

/* Zero the state; allocates the control ring and the settler's semaphore. */
bool jack_rt_init(jack_rt *s);
/* Register ports (with metadata) and set every callback. Returns false with
 * a message. */
bool jack_rt_attach(jack_rt *s, jack_client_t *client, char *err, size_t err_len);
/* Remove this client's metadata (call before closing a live client). */
void jack_rt_detach(jack_rt *s);
/* Not the process thread, before jack_activate: start the settler's thread
 * and have the engine hand it its coupled pre-rolls. False (and every
 * coupled network starts from rest) if the thread cannot start. */
bool jack_rt_start_settler(jack_rt *s);
/* Stop and join the settler's thread, destroy engines and rings (after the
 * client is closed or deactivated). */
void jack_rt_free(jack_rt *s);

/* Main thread: destroy an engine the process thread has retired. */
void jack_rt_collect_retired(jack_rt *s);

/* Not the process thread: calibrate the real-time guard for engine e
 * (about 40 ms) and publish the budget. */
void jack_rt_calibrate_guard(jack_rt *s, engine *e, double rate);

/* Control thread: queue a parameter change (or JACK_RT_RESET); false when
 * the queue is full. */
bool jack_rt_queue_param(jack_rt *s, param_id id, float value);

#endif
