/* jack_rt.c — the process callback and JACK's other callbacks.
 *
 * The process callback: adopt a pending engine, apply queued parameter
 * changes, then run the engine over the period split at each incoming MIDI
 * event (engine_midi() between engine_process() calls, so notes land on their
 * frame), write the engine's MIDI out, and hand the recorded ports to the
 * recorder's ring. It never allocates, locks, blocks, prints or touches files.
 */
#include "jack_rt.h"

#include "../synapse_opts.h"

#include "midi_cc.h"
#include "beat_grid.h"
#include "jack_spikes.h"
#include "osc_out.h"


#include <stdio.h>
#include <string.h>

bool
jack_rt_init(jack_rt *s)
{
    memset(s, 0, sizeof *s);
    atomic_init(&s->pending, NULL);
    atomic_init(&s->retired, NULL);
    if (!settler_init(&s->settler))
        return false;
    if (spsc_ring_init(&s->controls, sizeof(param_change), JACK_RT_CONTROL_CAPACITY))
        return true;
    settler_stop(&s->settler);
    return false;
}

bool
jack_rt_start_settler(jack_rt *s)
{
    if (!settler_start(&s->settler))
        return false;
    s->settle_by_host = true;
    engine_set_settle_mode(s->eng, ENGINE_SETTLE_BY_HOST); /* from the first period on */
    return true;
}

bool
jack_rt_queue_param(jack_rt *s, param_id id, float value)
{
    param_change c = {(int32_t)id, value};
    return spsc_ring_push(&s->controls, &c, 1);
}

/* Process thread: take a new engine built for a new sample rate. */
static void
adopt_pending_engine(jack_rt *s)
{
    if (atomic_load_explicit(&s->pending, memory_order_relaxed) == NULL ||
        atomic_load_explicit(&s->retired, memory_order_acquire) != NULL)
        return; /* nothing new, or the last old engine is not collected yet */
    engine *fresh = atomic_exchange_explicit(&s->pending, NULL, memory_order_acq_rel);
    if (!fresh)
        return;
    for (int i = 0; i < PARAM_COUNT; ++i)
        s->param_copy[i] = engine_get_param(s->eng, (param_id)i);
    engine_set_all_params(fresh, s->param_copy);
    engine_set_recorded_units(fresh, s->osc_in_units);
    engine_stats st;
    engine_get_stats(s->eng, &st);
    s->spikes_before_swap += st.spikes;
    atomic_store_explicit(&s->retired, s->eng, memory_order_release);
    s->eng = fresh;
}

static void
apply_controls(jack_rt *s)
{
    uint64_t n = spsc_ring_read_space(&s->controls);
    for (uint64_t i = 0; i < n; ++i) {
        const param_change *c = spsc_ring_read_slot(&s->controls, i);
        if (c->param >= 0 && c->param < PARAM_COUNT)
            engine_set_param(s->eng, (param_id)c->param, c->value);
        else if (c->param == JACK_RT_RESET)
            engine_reset(s->eng); /* with everything set before it, at once */
    }
    spsc_ring_commit_read(&s->controls, n);
    if (n)
        atomic_fetch_add_explicit(&s->control_applied, n, memory_order_relaxed);
}

typedef struct {
    float *buf[PORT_AUDIO_COUNT];
    void *midi_out;
    jack_nframes_t last_midi_time;
    uint64_t first_frame; /* frames the client output before this period */
    double rate;
    float guard_load;   /* the most of the period's sub-blocks */
    bool guard_active;  /* at the end of the period */
    float guard_time;   /* model time run over set, at the end of the period */
} period_buffers;

/* The share of a period's duration the guard lets a block take. */
#define GUARD_SHARE 0.9

void
jack_rt_calibrate_guard(jack_rt *s, engine *e, double rate)
{
    atomic_store(&s->guard_budget, engine_guard_wanted()
                                       ? engine_calibrate_budget(rate, engine_isa(e), GUARD_SHARE)
                                       : 0.0);
}

/* --osc: the sub-block's spikes, timed in seconds of the output (they are
 * aligned: a spike's frame is where it sounds), and a block end: one
 * bundle. All or nothing; what does not fit is counted as dropped. */
static void
queue_osc_block(jack_rt *s, const period_buffers *pb, const engine_io *io, jack_nframes_t from)
{
    if (io->spikes_lost)
        atomic_fetch_add_explicit(&s->osc_out->dropped, io->spikes_lost, memory_order_relaxed);
    if (!io->n_spikes)
        return;
    const double first = (double)(pb->first_frame + from);
    for (uint32_t k = 0; k < io->n_spikes; ++k)
        s->osc_block[k] = (spike_event){
            .unit = io->spikes[k].neuron,
            .time_s = (first + (double)io->spikes[k].offset + (double)io->spikes[k].frac) /
                      pb->rate};
    s->osc_block[io->n_spikes] = (spike_event){.unit = OSC_OUT_BLOCK_END};
    spike_queue_push(s->osc_out, s->osc_block, io->n_spikes + 1u);
}

/* --osc-in: the spikes received since the last period, played as recorded
 * units (engine_play_spike) at its start; their latency from arrival (stamped in JACK frame time) to where
 * the period's buffer leaves for the backend (one period after its start)
 * plus the engine's latency. The sound card's own playback latency comes
 * on top. */
static void
play_osc_in(jack_rt *s, jack_nframes_t period)
{
    spike_event ev[64];
    uint32_t n, played = 0, dropped = 0;
    const jack_nframes_t sound =
        jack_last_frame_time(s->client) + period + engine_latency(s->eng);
    uint64_t sum = 0, max = atomic_load_explicit(&s->osc_latency_max, memory_order_relaxed);
    while (engine_recorded_room(s->eng) >= 64 && (n = spike_queue_pop(s->osc_in, ev, 64)) > 0) {
        for (uint32_t k = 0; k < n; ++k) {
            if (!engine_play_spike(s->eng, ev[k].unit, 0.0)) {
                ++dropped;
                continue;
            }
            if (ev[k].unit >= s->osc_in_units) { /* the stereo field spreads over them */
                s->osc_in_units = ev[k].unit + 1u;
                engine_set_recorded_units(s->eng, s->osc_in_units);
            }
            /* JACK's frame time wraps at 2^32: the difference in 32 bits */
            int32_t d = (int32_t)(sound - (jack_nframes_t)ev[k].stamp);
            uint64_t lat = d > 0 ? (uint64_t)d : 0u;
            sum += lat;
            max = lat > max ? lat : max;
        }
        played += n;
    }
    if (dropped)
        atomic_fetch_add_explicit(&s->osc_in->dropped, dropped, memory_order_relaxed);
    played -= dropped;
    if (!played)
        return;
    atomic_fetch_add_explicit(&s->osc_in_played, played, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->osc_latency_sum, sum, memory_order_relaxed);
    atomic_store_explicit(&s->osc_latency_max, max, memory_order_relaxed);
}

/* Run the engine over frames [from, to) of the period. */
static void
run_engine(jack_rt *s, period_buffers *pb, jack_nframes_t from, jack_nframes_t to)
{
    if (to <= from)
        return;
    engine_io io = {
        .aligned = 1, /* MIDI and CV as late as the audio */
        .stimulus = pb->buf[PORT_STIMULUS] + from,
        .out_left = pb->buf[PORT_OUT_L] + from,
        .out_right = pb->buf[PORT_OUT_R] + from,
        .cv_focus_v = pb->buf[PORT_CV_FOCUS_V] + from,
        .cv_dend_v = pb->buf[PORT_CV_DEND_V] + from,
        .cv_gate = pb->buf[PORT_CV_GATE] + from,
        .cv_rate = pb->buf[PORT_CV_RATE] + from,
        .midi_out = s->midi_events,
        .midi_capacity = JACK_RT_MIDI_OUT_CAPACITY,
        .spikes = s->osc_out ? s->spike_list : NULL,
        .spike_capacity = s->osc_out ? JACK_RT_SPIKE_CAPACITY : 0,
    };
    engine_process(s->eng, &io, to - from);
    if (engine_settle_wanted(s->eng)) /* a coupled pre-roll waits: the settler runs it */
        settler_request(&s->settler, s->eng);
    if (s->osc_out)
        queue_osc_block(s, pb, &io, from);
    pb->guard_load = io.guard_load > pb->guard_load ? io.guard_load : pb->guard_load;
    pb->guard_active = io.guard_active != 0;
    pb->guard_time = io.guard_time_scale;
    uint32_t n = io.n_midi_out < JACK_RT_MIDI_OUT_CAPACITY ? io.n_midi_out
                                                            : JACK_RT_MIDI_OUT_CAPACITY;
    uint64_t lost = io.n_midi_out - n;
    for (uint32_t i = 0; i < n; ++i) {
        const engine_midi_event *ev = &s->midi_events[i];
        jack_nframes_t t = from + (ev->frame < to - from ? ev->frame : to - from - 1);
        if (t < pb->last_midi_time) /* JACK wants events in time order */
            t = pb->last_midi_time;
        if (ev->size == 0 || ev->size > 3 ||
            jack_midi_event_write(pb->midi_out, t, ev->data, ev->size) != 0)
            ++lost;
        else
            pb->last_midi_time = t;
    }
    if (lost)
        atomic_fetch_add_explicit(&s->midi_out_lost, lost, memory_order_relaxed);
}

static void
handle_midi(jack_rt *s, const jack_midi_event_t *ev)
{
    param_id id;
    float value;
    if (midi_cc_lookup(ev->buffer, (uint32_t)ev->size, &id, &value))
        engine_set_param(s->eng, id, value);
    else
        engine_midi(s->eng, ev->buffer, (uint32_t)ev->size);
}

/* --play-spikes: the recording's spikes this period passes, from the
 * client's first frame or along JACK's transport (jack_transport_query is
 * real-time safe, jack/transport.h). */
static void
play_recording(jack_rt *s, uint64_t done_frames, jack_nframes_t run)
{
    const double sr = (double)atomic_load_explicit(&s->sample_rate, memory_order_relaxed);
    const double rate = (double)engine_get_param(s->eng, P_PLAYBACK_RATE);
    if (!s->spikes_follow_transport) {
        jack_spikes_period(s->spikes_in, s->eng, done_frames, run, sr, rate);
        return;
    }
    jack_position_t pos;
    jack_transport_state_t state = jack_transport_query(s->client, &pos);
    jack_spikes_transport(s->spikes_in, s->eng, state == JackTransportRolling, pos.frame, run,
                          sr, rate);
}

/* --transport: JACK's slow-sync callback, in the process thread before the
 * process callback: a locate waits until the recording plays from there
 * (jack_spikes_sync). */
static int
on_sync(jack_transport_state_t state, jack_position_t *pos, void *arg)
{
    (void)state;
    jack_rt *s = arg;
    if (!s->spikes_in)
        return 1;
    const double sr = (double)atomic_load_explicit(&s->sample_rate, memory_order_relaxed);
    const double rate = (double)engine_get_param(s->eng, P_PLAYBACK_RATE);
    return jack_spikes_sync(s->spikes_in, pos->frame, sr, rate, jack_last_frame_time(s->client));
}

static int
on_process(jack_nframes_t n_frames, void *arg)
{
    jack_rt *s = arg;
    period_buffers pb = {.last_midi_time = 0};
    for (int i = 0; i < PORT_AUDIO_COUNT; ++i)
        pb.buf[i] = jack_port_get_buffer(s->audio[i], n_frames);
    void *midi_in = jack_port_get_buffer(s->midi_in, n_frames);
    pb.midi_out = jack_port_get_buffer(s->midi_out, n_frames);
    jack_midi_clear_buffer(pb.midi_out);

    /* How much of this period to run: all of it, or up to --duration. */
    jack_nframes_t run = n_frames;
    uint64_t done_frames = atomic_load_explicit(&s->frames, memory_order_relaxed);
    if (atomic_load_explicit(&s->done, memory_order_relaxed))
        run = 0;
    else if (s->frame_limit && done_frames + run >= s->frame_limit)
        run = (jack_nframes_t)(s->frame_limit - done_frames);

    if (run > 0) {
        adopt_pending_engine(s);
        apply_controls(s);
        jack_transport_to_engine(s->client, s->eng, &s->beat_grid,
                                 (double)atomic_load_explicit(&s->sample_rate,
                                                              memory_order_relaxed));
        if (s->osc_in)
            play_osc_in(s, n_frames);
        jack_spikes_adopt(s);
        if (s->spikes_in) /* after --osc-in's, which play at the period's start */
            play_recording(s, done_frames, run);
        pb.first_frame = done_frames;
        pb.rate = (double)atomic_load_explicit(&s->sample_rate, memory_order_relaxed);
        /* the guard, unless JACK freewheels (an export: full accuracy) */
        bool guard_on = !atomic_load_explicit(&s->freewheeling, memory_order_relaxed);
        engine_set_budget(s->eng, guard_on ? atomic_load_explicit(&s->guard_budget,
                                                                   memory_order_relaxed)
                                           : 0.0);
        /* freewheeling, no period has a deadline: a coupled pre-roll runs
         * in the period that begins it, as an offline render's does */
        if (s->settle_by_host)
            engine_set_settle_mode(s->eng, guard_on ? ENGINE_SETTLE_BY_HOST
                                                    : ENGINE_SETTLE_AT_ONCE);
        atomic_store_explicit(&s->guard_on, guard_on, memory_order_relaxed);

        jack_nframes_t pos = 0;
        uint32_t n_events = jack_midi_get_event_count(midi_in);
        for (uint32_t i = 0; i < n_events; ++i) {
            jack_midi_event_t ev;
            if (jack_midi_event_get(&ev, midi_in, i) != 0 || ev.time >= run)
                continue;
            if (ev.time > pos) {
                run_engine(s, &pb, pos, ev.time);
                pos = ev.time;
            }
            handle_midi(s, &ev);
        }
        if (n_events)
            atomic_fetch_add_explicit(&s->midi_in_events, n_events, memory_order_relaxed);
        run_engine(s, &pb, pos, run);

        if (s->rec) {
            const float *chans[RECORDER_MAX_CHANNELS];
            for (unsigned c = 0; c < s->n_rec; ++c)
                chans[c] = pb.buf[s->rec_ports[c]];
            recorder_write(s->rec, chans, run);
        }
        engine_stats st;
        engine_get_stats(s->eng, &st);
        atomic_store_explicit(&s->spikes, s->spikes_before_swap + st.spikes,
                              memory_order_relaxed);
        atomic_store_explicit(&s->frames, done_frames + run, memory_order_relaxed);
        atomic_store_explicit(&s->guard_load_pm, (uint32_t)(pb.guard_load * 1000.0f + 0.5f),
                              memory_order_relaxed);
        atomic_store_explicit(&s->guard_active, pb.guard_active, memory_order_relaxed);
        atomic_store_explicit(&s->guard_neurons, st.guard_neurons, memory_order_relaxed);
        atomic_store_explicit(&s->guard_time_pm, (uint32_t)(pb.guard_time * 1000.0f + 0.5f),
                              memory_order_relaxed);
        atomic_store_explicit(&s->pitch_clamped, (uint32_t)st.pitch_clamped,
                              memory_order_relaxed);
        atomic_store_explicit(&s->pitch_last_clamped, st.pitch_last_clamped,
                              memory_order_relaxed);
    }
    /* Silence after the end (--duration) on every output. */
    for (int i = 0; i < PORT_AUDIO_COUNT; ++i)
        if (!audio_ports[i].is_input && run < n_frames)
            memset(pb.buf[i] + run, 0, sizeof(float) * (n_frames - run));
    if (s->frame_limit && done_frames + run >= s->frame_limit)
        atomic_store_explicit(&s->done, true, memory_order_release);
    return 0;
}

/* Not the process thread: JACK's notification thread. Building an engine
 * allocates, which is fine here. */
static int
on_sample_rate(jack_nframes_t rate, void *arg)
{
    jack_rt *s = arg;
    atomic_store(&s->sample_rate, rate);
    if (s->engine_rate == 0.0 || (double)rate == s->engine_rate)
        return 0;
    engine *fresh = engine_create((double)rate);
    if (!fresh) {
        atomic_store(&s->engine_failed, true);
        return 0;
    }
    if (s->tuned)
        engine_set_tuning(fresh, s->tuning_hz);
    if (s->settle_by_host)
        engine_set_settle_mode(fresh, ENGINE_SETTLE_BY_HOST);
    jack_rt_calibrate_guard(s, fresh, (double)rate);
    s->engine_rate = (double)rate;
    atomic_store(&s->latency, engine_latency(fresh));
    atomic_store(&s->latency_stale, true); /* frames at the new rate */
    engine *unused = atomic_exchange(&s->pending, fresh);
    if (unused) /* an earlier new engine the process thread never took */
        engine_destroy(unused);
    return 0;
}

/* The client keeps no per-period buffers (the engine writes straight into
 * the port buffers, the recorder ring is sized in seconds), so a new buffer
 * size needs nothing but noting, and the graph's latencies recomputing: the
 * ranges this client passes on include the periods of the ports around it. */
static int
on_buffer_size(jack_nframes_t frames, void *arg)
{
    jack_rt *s = arg;
    atomic_store(&s->buffer_size, frames);
    atomic_store(&s->latency_stale, true);
    return 0;
}

/* JACK's latency callback: every output lags every input by the engine's
 * latency (its anti-aliasing filter and the limiter's look-ahead; the CV
 * and MIDI outputs are delayed to match, io.aligned), so the range seen at the inputs
 * (capture) is passed on to the outputs plus it, and the range the outputs
 * see downstream (playback) back to the inputs plus it. */
static void
on_latency(jack_latency_callback_mode_t mode, void *arg)
{
    jack_rt *s = arg;
    const jack_nframes_t own = atomic_load(&s->latency);
    jack_port_t *in[PORT_AUDIO_COUNT + 1], *out[PORT_AUDIO_COUNT + 1];
    int n_in = 0, n_out = 0;
    for (int i = 0; i < PORT_AUDIO_COUNT; ++i) {
        if (audio_ports[i].is_input)
            in[n_in++] = s->audio[i];
        else
            out[n_out++] = s->audio[i];
    }
    in[n_in++] = s->midi_in;
    out[n_out++] = s->midi_out;
    jack_port_t **from = mode == JackCaptureLatency ? in : out;
    jack_port_t **to = mode == JackCaptureLatency ? out : in;
    const int n_from = mode == JackCaptureLatency ? n_in : n_out;
    const int n_to = mode == JackCaptureLatency ? n_out : n_in;
    jack_latency_range_t range = {UINT32_MAX, 0};
    for (int i = 0; i < n_from; ++i) {
        jack_latency_range_t r;
        jack_port_get_latency_range(from[i], mode, &r);
        range.min = r.min < range.min ? r.min : range.min;
        range.max = r.max > range.max ? r.max : range.max;
    }
    if (range.min > range.max)
        range.min = range.max;
    range.min += own;
    range.max += own;
    for (int i = 0; i < n_to; ++i)
        jack_port_set_latency_range(to[i], mode, &range);
}

static int
on_xrun(void *arg)
{
    jack_rt *s = arg;
    atomic_fetch_add(&s->xruns, 1);
    return 0;
}

static void
on_freewheel(int starting, void *arg)
{
    jack_rt *s = arg;
    atomic_store(&s->freewheeling, starting != 0);
}

static void
on_shutdown(jack_status_t code, const char *reason, void *arg)
{
    jack_rt *s = arg;
    (void)code;
    snprintf(s->shutdown_reason, sizeof s->shutdown_reason, "%s",
             reason && *reason ? reason : "the JACK server went away");
    atomic_store(&s->shutdown, true);
}

bool
jack_rt_attach(jack_rt *s, jack_client_t *client, char *err, size_t err_len)
{
    s->client = client;
    for (int i = 0; i < PORT_AUDIO_COUNT; ++i) {
        const audio_port_info *p = &audio_ports[i];
        s->audio[i] = jack_port_register(client, p->jack_name, JACK_DEFAULT_AUDIO_TYPE,
                                         p->is_input ? JackPortIsInput : JackPortIsOutput, 0);
        if (!s->audio[i]) {
            snprintf(err, err_len, "cannot register port %s", p->jack_name);
            return false;
        }
        jack_uuid_t uuid = jack_port_uuid(s->audio[i]);
        /* JACK's metadata convention (jack/metadata.h): audio-type ports
         * carrying control voltage say signal-type = CV. */
        if (p->is_cv)
            jack_set_property(client, uuid, JACK_METADATA_SIGNAL_TYPE, "CV", "text/plain");
        jack_set_property(client, uuid, JACK_METADATA_PRETTY_NAME, p->pretty, "text/plain");
    }
    s->midi_in = jack_port_register(client, MIDI_IN_PORT_NAME, JACK_DEFAULT_MIDI_TYPE,
                                    JackPortIsInput, 0);
    s->midi_out = jack_port_register(client, MIDI_OUT_PORT_NAME, JACK_DEFAULT_MIDI_TYPE,
                                     JackPortIsOutput, 0);
    if (!s->midi_in || !s->midi_out) {
        snprintf(err, err_len, "cannot register the MIDI ports");
        return false;
    }
    atomic_store(&s->sample_rate, jack_get_sample_rate(client));
    atomic_store(&s->buffer_size, jack_get_buffer_size(client));
    if (jack_set_process_callback(client, on_process, s) ||
        jack_set_sample_rate_callback(client, on_sample_rate, s) ||
        jack_set_buffer_size_callback(client, on_buffer_size, s) ||
        jack_set_xrun_callback(client, on_xrun, s) ||
        jack_set_freewheel_callback(client, on_freewheel, s) ||
        jack_set_latency_callback(client, on_latency, s) ||
        (s->spikes_follow_transport && jack_set_sync_callback(client, on_sync, s))) {
        snprintf(err, err_len, "cannot set the JACK callbacks");
        return false;
    }
    jack_on_info_shutdown(client, on_shutdown, s);
    return true;
}

void
jack_rt_detach(jack_rt *s)
{
    for (int i = 0; i < PORT_AUDIO_COUNT; ++i)
        if (s->audio[i])
            jack_remove_properties(s->client, jack_port_uuid(s->audio[i]));
}

void
jack_rt_collect_retired(jack_rt *s)
{
    engine *old = atomic_exchange(&s->retired, NULL);
    if (old) {
        settler_forget(&s->settler, old); /* not under its running pre-roll */
        engine_destroy(old);
    }
    jack_spikes_collect(s);
}

void
jack_rt_free(jack_rt *s)
{
    settler_stop(&s->settler); /* no process callback can signal it now */
    jack_rt_collect_retired(s);
    engine *p = atomic_exchange(&s->pending, NULL);
    if (p)
        engine_destroy(p);
    if (s->eng) {
        cli_synapses_release(s->eng);
        engine_destroy(s->eng);
    }
    s->eng = NULL;
    spsc_ring_free(&s->controls);
    /* the recordings, current and waiting (the callback runs no more) */
    jack_spikes *keep[2] = {s->spikes_in, atomic_exchange(&s->spikes_pending, NULL)};
    s->spikes_in = NULL;
    for (int k = 0; k < 2; ++k) {
        if (keep[k]) {
            jack_spikes_close(keep[k]);
            free(keep[k]);
        }
    }
}
