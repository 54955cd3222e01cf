/* hillock_lv2.c — the LV2 descriptors of urn:hillock:bank and
 * urn:hillock:bank-cv: ports, run(), MIDI in and out on the atom ports.
 *
 * run() in order: read the output capacity, hand changed controls to the
 * engine, then walk the input events; the audio between two events is
 * processed in chunks of at most HILLOCK_CHUNK frames, so a MIDI event acts
 * on exactly its frame. After each chunk its MIDI out and (when due) a UI
 * notification go onto the output, in time order.
 */
#include "plugin.h"
#include "atom_object.h"
#include "guard_budget.h"
#include "uris.h"
#include "zeroed.h"

#include <lv2/atom/util.h>
#include <lv2/buf-size/buf-size.h>
#include <lv2/midi/midi.h>
#include <lv2/options/options.h>
#include <lv2/patch/patch.h>

#include <stdlib.h>
#include <string.h>

/* Room kept free for MIDI when a notification is forged (20 events). */
#define MIDI_RESERVE_BYTES 480u
/* One MIDI event of up to 8 bytes on the output: header + padded body. */
#define MIDI_EVENT_BYTES ((uint32_t)sizeof(LV2_Atom_Event) + 8u)
/* Inline display redraws per second at most. */
#define DRAW_HZ 25

static void
cleanup(LV2_Handle instance)
{
    hillock_plugin *self = instance;
    if (!self)
        return;
    paths_free(self);
    osc_free(self);
    osc_in_free(self);
    if (self->eng)
        synapses_cleanup(self);
    engine_destroy(self->eng);
    notify_free(&self->notify);
    hillock_inline_free(self);
    zeroed_free(self->s_stimulus);
    zeroed_free(self->spikes);
    zeroed_free(self->midi_out);
    free(self);
}

static uint32_t
read_max_block(const LV2_Options_Option *options, LV2_URID_Map *map)
{
    if (!options)
        return 0;
    LV2_URID max = map->map(map->handle, LV2_BUF_SIZE__maxBlockLength);
    LV2_URID atom_int = map->map(map->handle, LV2_ATOM__Int);
    for (const LV2_Options_Option *o = options; o->key; ++o)
        if (o->key == max && o->type == atom_int && o->size == sizeof(int32_t))
            return (uint32_t) * (const int32_t *)o->value;
    return 0;
}

/* A feature's data, NULL if absent. Entries without a URI are skipped: a
 * host (lv2file 0.95) passes one for a feature of the TTL it does not fill. */
static void *
feature_data(const LV2_Feature *const *features, const char *uri)
{
    for (; features && *features; ++features)
        if ((*features)->URI && !strcmp((*features)->URI, uri))
            return (*features)->data;
    return NULL;
}

static LV2_Handle
instantiate_common(double rate, const LV2_Feature *const *features, bool cv)
{
    LV2_URID_Map *map = NULL;
    LV2_Log_Log *log = NULL;
    const LV2_Options_Option *options = NULL;
    const LV2_Inline_Display *queue_draw = NULL;
    LV2_Worker_Schedule *schedule = NULL;
    log = feature_data(features, LV2_LOG__log);
    map = feature_data(features, LV2_URID__map);
    options = feature_data(features, LV2_OPTIONS__options);
    queue_draw = feature_data(features, LV2_INLINEDISPLAY__queue_draw);
    schedule = feature_data(features, LV2_WORKER__schedule);
    const char *missing = map ? NULL : LV2_URID__map;
    LV2_Log_Logger logger;
    lv2_log_logger_init(&logger, map, log);
    if (missing) {
        lv2_log_error(&logger, "hillock: host lacks required feature <%s>\n", missing);
        return NULL;
    }

    hillock_plugin *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->cv = cv;
    self->sample_rate = rate;
    self->map = map;
    self->logger = logger;
    self->queue_draw = queue_draw;
    self->max_block = read_max_block(options, map);
    self->u.midi_MidiEvent = map->map(map->handle, LV2_MIDI__MidiEvent);
    self->u.patch_Get = map->map(map->handle, LV2_PATCH__Get);
    self->u.hillock_Reset = map->map(map->handle, HILLOCK__Reset);
    self->u.hillock_UiOn = map->map(map->handle, HILLOCK__UiOn);
    self->u.hillock_UiOff = map->map(map->handle, HILLOCK__UiOff);
    self->u.hillock_stateVersion = map->map(map->handle, HILLOCK__stateVersion);
    self->u.hillock_legacyRules = map->map(map->handle, HILLOCK__legacyRules);
    lv2_atom_forge_init(&self->forge, map);
    transport_init(self);

    self->eng = engine_create(rate);
    /* one allocation for the stimulus and the seven scratch buffers; run()
     * writes these: every page written now (zeroed.h), not at its first use */
    self->s_stimulus = zeroed_alloc(8u * HILLOCK_CHUNK * sizeof(float), 1);
    self->spikes = zeroed_alloc(HILLOCK_NOTIFY_MAX_SPIKES * sizeof(engine_spike), 1);
    self->midi_out = zeroed_alloc(HILLOCK_CHUNK * sizeof(engine_midi_event), 1);
    bool notify_ok = notify_init(&self->notify, map, rate);
    bool paths_ok = self->eng && paths_init(self, schedule);
    bool osc_ok = osc_init(self);
    bool osc_in_ok = osc_in_init(self);
    bool syn_ok = synapses_init(self);
    if (!self->eng || !self->s_stimulus || !self->spikes || !self->midi_out || !notify_ok ||
        !paths_ok || !osc_ok || !osc_in_ok || !syn_ok) {
        lv2_log_error(&logger, "hillock: cannot create the engine at %.0f Hz\n", rate);
        cleanup(self);
        return NULL;
    }
    float **scratch[] = {&self->s_cv_in, &self->s_left, &self->s_right, &self->s_focus,
                         &self->s_dend,  &self->s_gate, &self->s_rate};
    for (size_t i = 0; i < sizeof scratch / sizeof scratch[0]; ++i)
        *scratch[i] = self->s_stimulus + (i + 1) * HILLOCK_CHUNK;
    if (queue_draw && !hillock_inline_init(self)) {
        lv2_log_warning(&logger, "hillock: no memory for the inline display\n");
        self->queue_draw = NULL;
    }
    /* the real-time guard: a budget for this CPU, measured here, outside run() */
    self->guard_budget = engine_guard_wanted() ? hillock_guard_budget(rate, engine_isa(self->eng))
                                                 : 0.0;
    engine_set_budget(self->eng, self->guard_budget);
    /* a coupled network's settled start pre-rolls in the worker thread */
    if (schedule)
        engine_set_settle_mode(self->eng, ENGINE_SETTLE_BY_HOST);
    param_defaults(self->applied);
    /* constant for the rate: a host that asks with a 0-frame run() first
     * already reads it */
    self->late_value[PORT_LATE_LATENCY] = (float)engine_latency(self->eng);
    self->late_value[PORT_LATE_GUARD_TIME] = 1.0f;
    self->late_value[PORT_LATE_PITCH_CLAMPED] = -1.0f;
    self->fresh = true;
    return self;
}

static LV2_Handle
instantiate_bank(const LV2_Descriptor *d, double rate, const char *path,
                 const LV2_Feature *const *features)
{
    (void)d;
    (void)path;
    return instantiate_common(rate, features, false);
}

static LV2_Handle
instantiate_bank_cv(const LV2_Descriptor *d, double rate, const char *path,
                    const LV2_Feature *const *features)
{
    (void)d;
    (void)path;
    return instantiate_common(rate, features, true);
}

static void
connect_port(LV2_Handle instance, uint32_t port, void *data)
{
    hillock_plugin *self = instance;
    int p = hillock_port_param(self->cv, port);
    if (p >= 0) {
        self->control[p] = data;
        return;
    }
    int k = hillock_port_late(self->cv, port);
    if (k >= 0) {
        self->late[k] = data;
        return;
    }
    switch (port) {
    case PORT_OUT_LEFT: self->out_left = data; break;
    case PORT_OUT_RIGHT: self->out_right = data; break;
    case PORT_STIMULUS: self->stimulus = data; break;
    case PORT_EVENTS_IN: self->events_in = data; break;
    case PORT_EVENTS_OUT: self->events_out = data; break;
    case PORT_CV_STIMULUS: self->cv_stimulus = data; break;
    case PORT_CV_FOCUS_V: self->cv_focus_v = data; break;
    case PORT_CV_DEND_V: self->cv_dend_v = data; break;
    case PORT_CV_GATE: self->cv_gate = data; break;
    case PORT_CV_RATE: self->cv_rate = data; break;
    default: break;
    }
}

static void
activate(LV2_Handle instance)
{
    hillock_plugin *self = instance;
    self->fresh = true;
    notify_restart(&self->notify);
    hillock_inline_restart(self);
    self->osc.frames = 0; /* the OSC messages' time starts with the output */
}

/* Controls to the engine, in the meaning the restored session had
 * (compat.h): all at once (no glide) on the first run after activate,
 * afterwards only those that changed. */
static void
apply_controls(hillock_plugin *self)
{
    float now[PARAM_COUNT];
    for (int p = 0; p < PARAM_COUNT; ++p)
        now[p] = self->control[p] ? *self->control[p] : self->applied[p];
    compat_apply(&self->compat, compat_rules, compat_rule_count, now);
    if (self->fresh) {
        memcpy(self->applied, now, sizeof now);
        engine_set_all_params(self->eng, self->applied);
        self->fresh = false;
        return;
    }
    for (int p = 0; p < PARAM_COUNT; ++p) {
        if (now[p] != self->applied[p]) {
            self->applied[p] = now[p];
            engine_set_param(self->eng, (param_id)p, now[p]);
        }
    }
}

static void
copy_out(float *dst, const float *src, uint32_t n)
{
    if (dst)
        memcpy(dst, src, n * sizeof(float));
}

/* Process frames [from, to) in chunks, writing MIDI out and notifications. */
static void
process_span(hillock_plugin *self, uint32_t from, uint32_t to)
{
    while (from < to) {
        uint32_t n = to - from;
        if (n > HILLOCK_CHUNK)
            n = HILLOCK_CHUNK;
        /* The engine sees only private buffers: inputs are copied in and
         * outputs copied out, so in-place and aliased host buffers (one
         * buffer for every output, as lv2bench does) cannot disturb it. */
        const float *stimulus = NULL, *cv_in = NULL;
        if (self->stimulus) {
            memcpy(self->s_stimulus, self->stimulus + from, n * sizeof(float));
            stimulus = self->s_stimulus;
        }
        if (self->cv && self->cv_stimulus) {
            memcpy(self->s_cv_in, self->cv_stimulus + from, n * sizeof(float));
            cv_in = self->s_cv_in;
        }
        /* The engine never emits more MIDI than it is told fits; what does
         * not fit it drops, note offs excepted: those wait for room, so no
         * note hangs downstream. */
        LV2_Atom_Forge *forge = &self->forge;
        uint32_t room = forge->buf && forge->size > forge->offset
                            ? (uint32_t)(forge->size - forge->offset) / MIDI_EVENT_BYTES
                            : 0;
        engine_io io = {
            .aligned = 1, /* MIDI, CV and spikes as late as the audio */
            .stimulus = stimulus,
            .cv_in = cv_in,
            .out_left = self->s_left,
            .out_right = self->s_right,
            .cv_focus_v = self->s_focus,
            .cv_dend_v = self->s_dend,
            .cv_gate = self->s_gate,
            .cv_rate = self->s_rate,
            .spikes = self->spikes,
            .spike_capacity = HILLOCK_NOTIFY_MAX_SPIKES,
            .midi_out = self->midi_out,
            .midi_capacity = room < HILLOCK_CHUNK ? room : HILLOCK_CHUNK,
            .want_focus_trace = self->notify.ui_open || self->idisp,
        };
        osc_in_block(self);       /* OSC spikes received: at the block's first frame */
        recording_block(self, n); /* the recording's spikes due in these frames */
        engine_process(self->eng, &io, n);
        if (engine_settle_wanted(self->eng))
            worker_settle(self);
        synapses_end_block(self);
        self->late_value[PORT_LATE_LATENCY] = (float)io.latency_frames;
        self->late_value[PORT_LATE_GUARD_LOAD] = io.guard_load;
        self->late_value[PORT_LATE_GUARD_ACTIVE] = io.guard_active ? 1.0f : 0.0f;
        self->late_value[PORT_LATE_GUARD_TIME] = io.guard_time_scale;
        engine_stats stats; /* a copy of counters: real-time safe */
        engine_get_stats(self->eng, &stats);
        self->late_value[PORT_LATE_PITCH_CLAMPED] =
            stats.pitch_clamped ? (float)stats.pitch_last_clamped : -1.0f;

        copy_out(self->out_left ? self->out_left + from : NULL, self->s_left, n);
        copy_out(self->out_right ? self->out_right + from : NULL, self->s_right, n);
        if (self->cv) {
            copy_out(self->cv_focus_v ? self->cv_focus_v + from : NULL, self->s_focus, n);
            copy_out(self->cv_dend_v ? self->cv_dend_v + from : NULL, self->s_dend, n);
            copy_out(self->cv_gate ? self->cv_gate + from : NULL, self->s_gate, n);
            copy_out(self->cv_rate ? self->cv_rate + from : NULL, self->s_rate, n);
        }

        for (uint32_t k = 0; k < io.n_midi_out; ++k) {
            const engine_midi_event *m = &io.midi_out[k];
            uint32_t size = m->size <= sizeof m->data ? m->size : sizeof m->data;
            uint32_t need = (uint32_t)sizeof(LV2_Atom_Event) + lv2_atom_pad_size(size);
            /* all or nothing (a time stamp without its event corrupts the
             * sequence); cannot fail given the room the engine was told */
            if (!forge->buf || size == 0 || forge->offset + need > forge->size) {
                self->midi_dropped++;
                continue;
            }
            lv2_atom_forge_frame_time(forge, from + (m->frame < n ? m->frame : n - 1));
            lv2_atom_forge_atom(forge, size, self->u.midi_MidiEvent);
            lv2_atom_forge_write(forge, m->data, size);
        }
        notify_collect(&self->notify, &io, n);
        osc_collect(self, &io, n);
        if (self->idisp)
            hillock_inline_collect(self, &io, n);
        if (notify_due(&self->notify))
            notify_send(&self->notify, &self->forge, from + n - 1, MIDI_RESERVE_BYTES,
                        &io.display);
        from += n;
    }
}

static void
handle_event(hillock_plugin *self, const LV2_Atom_Event *ev)
{
    if (ev->body.type == self->u.midi_MidiEvent) {
        engine_midi(self->eng, (const uint8_t *)LV2_ATOM_BODY_CONST(&ev->body),
                    ev->body.size);
    } else if (ev->body.type == self->forge.Object &&
               atom_object_holds((const LV2_Atom_Object *)&ev->body)) {
        const LV2_Atom_Object *obj = (const LV2_Atom_Object *)&ev->body;
        if (obj->body.otype == self->transport.Position) {
            transport_on_position(self, obj);
        } else if (obj->body.otype == self->paths.patch_Set) {
            if (!osc_on_set(self, obj) && !osc_in_on_set(self, obj))
                paths_on_set(self, obj);
        } else if (obj->body.otype == self->u.patch_Get) {
            self->notify.want_mask = true;
            paths_on_get(self, obj);
        } else if (obj->body.otype == self->u.hillock_UiOn) {
            notify_set_ui_open(&self->notify, true);
        } else if (obj->body.otype == self->u.hillock_UiOff) {
            notify_set_ui_open(&self->notify, false);
        } else if (obj->body.otype == self->u.hillock_Reset) {
            engine_reset(self->eng);
        }
    }
}

static void
run(LV2_Handle instance, uint32_t n_frames)
{
    hillock_plugin *self = instance;

    /* The output's capacity is whatever the host says this cycle. */
    LV2_Atom_Forge *forge = &self->forge;
    LV2_Atom_Forge_Frame seq;
    bool have_seq = false;
    if (self->events_out && self->events_out->atom.size >= sizeof(LV2_Atom_Sequence)) {
        lv2_atom_forge_set_buffer(forge, (uint8_t *)self->events_out,
                                  self->events_out->atom.size);
        have_seq = lv2_atom_forge_sequence_head(forge, &seq, 0) != 0;
    }
    if (!have_seq)
        lv2_atom_forge_set_buffer(forge, NULL, 0);

    /* the guard is off while the host freewheels (an export renders at
     * full accuracy; LV2 core, lv2:freeWheeling) */
    const float *freewheel = self->late[PORT_LATE_FREEWHEEL];
    engine_set_budget(self->eng, freewheel && *freewheel >= 0.5f ? 0.0 : self->guard_budget);

    apply_controls(self);

    uint32_t pos = 0;
    if (self->events_in) {
        const uint8_t *end =
            (const uint8_t *)&self->events_in->body + self->events_in->atom.size;
        LV2_ATOM_SEQUENCE_FOREACH (self->events_in, ev) {
            /* a malformed sequence (an event running past its end) stops
             * here: reading on would leave the host's buffer */
            const uint8_t *body = (const uint8_t *)(ev + 1);
            if (body > end || ev->body.size > (size_t)(end - body))
                break;
            int64_t t = ev->time.frames;
            uint32_t at = t < (int64_t)pos          ? pos
                          : t > (int64_t)n_frames ? n_frames
                                                  : (uint32_t)t;
            process_span(self, pos, at);
            pos = at;
            handle_event(self, ev);
        }
    }
    process_span(self, pos, n_frames);
    paths_announce(self, forge, n_frames ? n_frames - 1u : 0u);
    osc_end_run(self);
    osc_in_end_run(self);
    /* every run(), even of 0 frames: hosts read the latency that way */
    for (uint32_t k = 0; k < PORT_LATE_COUNT; ++k)
        if (self->late[k] && hillock_late_port_at(k)->output)
            *self->late[k] = self->late_value[k];

    if (have_seq)
        lv2_atom_forge_pop(forge, &seq);

    if (self->queue_draw) {
        self->frames_since_draw += n_frames;
        if (self->frames_since_draw >= (uint32_t)(self->sample_rate / DRAW_HZ) &&
            hillock_inline_publish(self)) {
            self->frames_since_draw = 0;
            self->queue_draw->queue_draw(self->queue_draw->handle);
        }
    }
}

static void
deactivate(LV2_Handle instance)
{
    (void)instance;
}

static const void *
extension_data(const char *uri)
{
    static const LV2_State_Interface state = {hillock_state_save, hillock_state_restore};
    static const LV2_Inline_Display_Interface display = {hillock_inline_render};
    if (!strcmp(uri, LV2_STATE__interface))
        return &state;
    if (!strcmp(uri, LV2_INLINEDISPLAY__interface))
        return &display;
    if (!strcmp(uri, LV2_WORKER__interface))
        return &hillock_worker_interface;
    return NULL;
}

static const LV2_Descriptor descriptors[] = {
    {HILLOCK_BANK_URI, instantiate_bank, connect_port, activate, run, deactivate, cleanup,
     extension_data},
    {HILLOCK_BANK_CV_URI, instantiate_bank_cv, connect_port, activate, run, deactivate,
     cleanup, extension_data},
};

LV2_SYMBOL_EXPORT const LV2_Descriptor *
lv2_descriptor(uint32_t index)
{
    return index < sizeof descriptors / sizeof descriptors[0] ? &descriptors[index] : NULL;
}
