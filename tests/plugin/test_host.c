/* test_host.c — both plugins under the habits of real hosts, every preset:
 * block sizes 1..8192 changing every cycle, in-place and aliased buffers,
 * CV ports left NULL, MIDI notes in, activate/deactivate/activate; output
 * finite and within [-1, 1] (engine.h's contract), the atom output a valid
 * sequence, and run() free of allocation and locks (the RT trap). */
#define _GNU_SOURCE /* RUSAGE_THREAD (page_faults.h) */
#include "host.h"
#include "idpy.h"
#include "rt_trap.h"
#include "uris.h"

#include "../page_faults.h"

#include <criterion/criterion.h>
#include <lv2/atom/forge.h>
#include <lv2/atom/util.h>
#include <lv2/midi/midi.h>
#include <lv2/patch/patch.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint32_t block_sizes[] = {1, 7, 64, 1000, 8192, 0, 3, 256, 1, 4096, 513, 2};
#define N_BLOCKS (sizeof block_sizes / sizeof block_sizes[0])
static const hb_layout layouts[] = {HB_SEPARATE, HB_IN_PLACE, HB_ALIASED, HB_NULL_CV};

HB_WORLD_SUITE(host, 120);

/* The output is one well-formed atom:Sequence with events in time order
 * inside the block. */
static void
check_atom_out(hb_instance *h, uint32_t n_frames, const char *what)
{
    LV2_URID_Map *map = hb_map(world);
    const LV2_Atom_Sequence *seq = (const LV2_Atom_Sequence *)h->atom_out;
    cr_assert_eq(seq->atom.type, map->map(map->handle, LV2_ATOM__Sequence),
                 "%s: output is not a sequence", what);
    cr_assert_leq(seq->atom.size, HB_ATOM_OUT_SIZE - sizeof(LV2_Atom), "%s: overflow", what);
    int64_t last = 0;
    LV2_ATOM_SEQUENCE_FOREACH (seq, ev) {
        cr_assert_geq(ev->time.frames, last, "%s: events out of order", what);
        cr_assert_lt(ev->time.frames, (int64_t)n_frames, "%s: event after the block", what);
        last = ev->time.frames;
    }
}

static void
check_outputs(hb_instance *h, uint32_t n, const char *what, float *peak)
{
    uint32_t ports = hillock_param_port_base(h->cv);
    for (uint32_t port = 0; port < ports; ++port) {
        const hillock_fixed_port *fp = hillock_fixed_port_at(port);
        if (!fp->output || fp->type == PORT_TYPE_ATOM)
            continue;
        const float *b = hb_port_buffer(h, port);
        if (!b)
            continue;
        for (uint32_t f = 0; f < n; ++f) {
            cr_assert(isfinite(b[f]), "%s: %s[%u] = %g", what, fp->symbol, f, (double)b[f]);
            if (fp->type == PORT_TYPE_AUDIO && h->layout != HB_ALIASED) {
                cr_assert_leq(fabsf(b[f]), 1.0f, "%s: %s[%u] = %g", what, fp->symbol, f,
                              (double)b[f]);
                if (fabsf(b[f]) > *peak)
                    *peak = fabsf(b[f]);
            }
        }
    }
}

/* Runs the block sequence once; returns the audio peak. */
static float
run_blocks(hb_instance *h, const char *name, uint64_t *frame)
{
    float peak = 0.0f;
    for (size_t i = 0; i < N_BLOCKS; ++i) {
        uint32_t n = block_sizes[i];
        hb_connect(h, layouts[i % 4]);
        float *stim = hb_port_buffer(h, PORT_STIMULUS);
        for (uint32_t f = 0; f < n; ++f)
            stim[f] = 0.3f * sinf((float)(*frame + f) * 2.0f * 3.14159265f * 110.0f / 48000.0f);
        float *cv_in = h->cv ? hb_port_buffer(h, PORT_CV_STIMULUS) : NULL;
        if (cv_in)
            for (uint32_t f = 0; f < n; ++f)
                cv_in[f] = 0.2f;
        /* a note on and off in every block long enough, at odd frames */
        uint8_t midi[2][3] = {{0x90, (uint8_t)(48 + i), 100}, {0x80, (uint8_t)(48 + i), 0}};
        uint32_t at[2] = {n / 3, n - 1};
        hb_prepare_events(h, (const uint8_t(*)[3])midi, at, n >= 2 ? 2 : 0);

        char what[256];
        snprintf(what, sizeof what, "%s, block %zu (%u frames, layout %d)", name, i, n,
                 (int)h->layout);
        rt_trap_arm();
        lilv_instance_run(h->inst, n);
        unsigned calls = rt_trap_disarm();
        cr_assert_eq(calls, 0, "%s: run() called %s (%u calls to the allocator or locks)",
                     what, rt_trap_last(), calls);
        check_outputs(h, n, what, &peak);
        check_atom_out(h, n, what);
        *frame += n;
    }
    return peak;
}

static void
run_preset(bool cv, const LilvNode *preset)
{
    const char *name = preset ? lilv_node_as_uri(preset) : "defaults";
    char label[300];
    snprintf(label, sizeof label, "%s on %s", name, cv ? "bank-cv" : "bank");
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, cv, 48000.0), "%s: instantiate", label);
    if (preset)
        cr_assert_gt(hb_apply_preset(&h, preset, NULL), 0,
                     "%s: preset names a port the plugin lacks, or sets none", label);
    /* the orders hosts use: activate, run, deactivate, activate, run */
    uint64_t frame = 0;
    lilv_instance_activate(h.inst);
    run_blocks(&h, label, &frame);
    lilv_instance_deactivate(h.inst);
    lilv_instance_activate(h.inst);
    run_blocks(&h, label, &frame);
    lilv_instance_deactivate(h.inst);
    hb_free(&h);
}

static void
every_preset(bool cv)
{
    cr_assert_not_null(hb_plugin(world, cv), "the bundle lacks the plugin");
    const LilvNode *presets[HB_MAX_PRESETS];
    int n = hb_presets(world, cv, presets, HB_MAX_PRESETS);
    cr_assert_gt(n, 0, "no presets apply to the plugin");
    run_preset(cv, NULL);
    for (int i = 0; i < n; ++i)
        run_preset(cv, presets[i]);
}

Test(host, bank_runs_every_preset_like_hosts_do)
{
    every_preset(false);
}

Test(host, bank_cv_runs_every_preset_like_hosts_do)
{
    every_preset(true);
}

/* The trap must see calls from inside the plugin: instantiate allocates. */
Test(host, rt_trap_sees_the_plugins_allocations)
{
    hb_instance h;
    rt_trap_arm();
    bool ok = hb_instantiate(&h, world, false, 48000.0);
    unsigned calls = rt_trap_disarm();
    cr_assert(ok);
    cr_assert_gt(calls, 10, "instantiate made only %u calls: the trap is blind", calls);
    void *(*volatile alloc)(size_t) = malloc;
    rt_trap_arm();
    free(alloc(16));
    cr_assert_eq(rt_trap_disarm(), 2);
    hb_free(&h);
}

Test(host, default_settings_make_sound)
{
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, false, 48000.0));
    lilv_instance_activate(h.inst);
    uint64_t frame = 0;
    float peak = run_blocks(&h, "defaults", &frame);
    cr_assert_gt(peak, 0.01f, "peak %g: silent", (double)peak);
    hb_free(&h);
}

/* Reads one notification's properties (uris.h) into plain values. */
typedef struct {
    int64_t frame;
    int32_t frames, neurons, n_points, n_spikes, skipped;
    float step_ms, step_frames;
    bool has_trace, has_dend, has_slow, has_rate, has_mask;
    float last_spike_time;
    bool spikes_ascending;
} notification;

static bool
read_notification(const LV2_Atom_Object *obj, notification *n)
{
    LV2_URID_Map *map = hb_map(world);
#define URID(u) map->map(map->handle, u)
    if (obj->body.otype != URID(HILLOCK__Notification))
        return false;
    memset(n, 0, sizeof *n);
    n->spikes_ascending = true;
    n->last_spike_time = -1.0f;
    LV2_ATOM_OBJECT_FOREACH (obj, p) {
        const LV2_Atom *v = &p->value;
        if (p->key == URID(HILLOCK__frame))
            n->frame = ((const LV2_Atom_Long *)v)->body;
        else if (p->key == URID(HILLOCK__frames))
            n->frames = ((const LV2_Atom_Int *)v)->body;
        else if (p->key == URID(HILLOCK__focusStep))
            n->step_ms = ((const LV2_Atom_Float *)v)->body;
        else if (p->key == URID(HILLOCK__focusFrames))
            n->step_frames = ((const LV2_Atom_Float *)v)->body;
        else if (p->key == URID(HILLOCK__focusSkipped))
            n->skipped = ((const LV2_Atom_Int *)v)->body;
        else if (p->key == URID(HILLOCK__neurons))
            n->neurons = ((const LV2_Atom_Int *)v)->body;
        else if (p->key == URID(HILLOCK__rate))
            n->has_rate = v->type == URID(LV2_ATOM__Float);
        else if (p->key == URID(HILLOCK__inhibitoryMask))
            n->has_mask = v->type == URID(LV2_ATOM__Vector);
        else if (p->key == URID(HILLOCK__focusSoma) || p->key == URID(HILLOCK__focusDendrite)) {
            const LV2_Atom_Vector *vec = (const LV2_Atom_Vector *)v;
            cr_assert_eq(vec->body.child_type, URID(LV2_ATOM__Float));
            int32_t count = (int32_t)((v->size - sizeof vec->body) / sizeof(float));
            const float *x = (const float *)(&vec->body + 1);
            for (int32_t k = 0; k < count; ++k)
                cr_assert(isfinite(x[k]) && x[k] > -200.0f && x[k] < 200.0f,
                          "focus sample %g mV", (double)x[k]);
            if (p->key == URID(HILLOCK__focusSoma)) {
                n->has_trace = true;
                n->n_points = count;
            } else {
                n->has_dend = count == n->n_points || !n->has_trace;
            }
        } else if (p->key == URID(HILLOCK__focusSlow)) {
            const LV2_Atom_Vector *vec = (const LV2_Atom_Vector *)v;
            int32_t count = (int32_t)((v->size - sizeof vec->body) / sizeof(float));
            const float *x = (const float *)(&vec->body + 1);
            bool gates = true; /* HH's n, a gate */
            for (int32_t k = 0; k < count; ++k)
                gates &= x[k] > 0.0f && x[k] < 1.0f;
            n->has_slow = gates && (count == n->n_points || !n->has_trace);
        } else if (p->key == URID(HILLOCK__spikeTime)) {
            const LV2_Atom_Vector *vec = (const LV2_Atom_Vector *)v;
            int32_t count = (int32_t)((v->size - sizeof vec->body) / sizeof(float));
            const float *t = (const float *)(&vec->body + 1);
            for (int32_t k = 0; k < count; ++k) {
                if (t[k] < n->last_spike_time)
                    n->spikes_ascending = false;
                n->last_spike_time = t[k];
            }
            n->n_spikes = count;
        }
    }
#undef URID
    return true;
}

/* One run() of n frames, the first with a UI opening (uris.h:
 * hillock:UiOn), under the RT trap (no allocation, lock or system call
 * while it collects, sorts and forges): its notifications, read into out
 * (at most max). */
static int
run_notified(hb_instance *h, uint32_t n, bool first, notification *out, int max)
{
    if (first)
        hb_send_object(h, HILLOCK__UiOn);
    else
        hb_prepare_events(h, NULL, NULL, 0);
    rt_trap_arm();
    lilv_instance_run(h->inst, n);
    cr_assert_eq(rt_trap_disarm(), 0, "run() with a UI open called %s", rt_trap_last());
    LV2_URID_Map *map = hb_map(world);
    LV2_URID object = map->map(map->handle, LV2_ATOM__Object);
    int count = 0;
    const LV2_Atom_Sequence *seq = (const LV2_Atom_Sequence *)h->atom_out;
    LV2_ATOM_SEQUENCE_FOREACH (seq, ev)
        if (count < max && ev->body.type == object &&
            read_notification((const LV2_Atom_Object *)&ev->body, &out[count]))
            count++;
    return count;
}

/* The spec in uris.h: about HILLOCK_NOTIFY_HZ a second, contiguous frames,
 * focus samples about 0.1 model ms apart covering the frames (speed 1: one
 * per focusFrames frames, none skipped), spikes inside the covered frames. */
Test(host, notifications_follow_the_protocol)
{
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, false, 48000.0));
    h.controls[P_DRIVE] = 20.0f; /* tonic firing for the spike vectors */
    /* stepping from the first frame (a settled start waits silent a few ms
     * with no focus samples) */
    h.controls[P_START] = START_REST;
    h.controls[P_DRIVE_MODE] = DRIVE_ABSOLUTE; /* drive in uA/cm2 */
    lilv_instance_activate(h.inst);
    int count = 0, with_mask = 0, spikes = 0;
    int64_t expect_frame = 0, total = 0;
    const uint32_t blocks[] = {256, 1, 7, 1000, 8192, 64};
    for (int cycle = 0; cycle < 12; ++cycle) {
        uint32_t n = blocks[cycle % 6];
        total += n;
        notification notes[16];
        int got = run_notified(&h, n, cycle == 0, notes, 16);
        for (int k = 0; k < got; ++k) {
            const notification note = notes[k];
            count++;
            with_mask += note.has_mask;
            spikes += note.n_spikes;
            cr_assert_eq(note.frame, expect_frame, "notification %d starts at %lld, not %lld",
                         count, (long long)note.frame, (long long)expect_frame);
            cr_assert_geq(note.frames, 48000 / HILLOCK_NOTIFY_HZ);
            /* HH at 48 kHz, speed 1: steps of 1/48 model ms, five a sample */
            cr_assert_float_eq(note.step_ms, 5.0f / 48.0f, 1e-5f);
            cr_assert_float_eq(note.step_frames, 5.0f, 1e-5f);
            cr_assert(abs(note.n_points - (int32_t)(note.frames / 5)) <= 1,
                      "%d samples in %d frames", note.n_points, note.frames);
            cr_assert_eq(note.skipped, 0);
            cr_assert(note.has_dend && note.has_slow && note.has_rate);
            cr_assert_eq(note.neurons, 8);
            cr_assert(note.spikes_ascending);
            cr_assert_lt(note.last_spike_time, (float)note.frames);
            expect_frame = note.frame + note.frames;
        }
    }
    /* one per full period of 48000 / HILLOCK_NOTIFY_HZ frames, the last
     * one possibly still collecting */
    int64_t period = 48000 / HILLOCK_NOTIFY_HZ;
    cr_assert_geq(count, total / period - 1, "%d notifications in %lld frames", count,
                  (long long)total);
    cr_assert_leq(count, total / period, "%d notifications in %lld frames", count,
                  (long long)total);
    cr_assert_geq(with_mask, 1, "the inhibitory mask never came");
    cr_assert_gt(spikes, 0, "no spikes reported at drive 20");
    hb_free(&h);
}

/* More spikes than a notification carries (speed 200: about 2300 per
 * notification of 8 neurons at 69 Hz): it keeps 1024, an even sample, and
 * still lists them in ascending time (uris.h), or the raster, which reads
 * them newest first, drops what follows an early one. */
Test(host, a_full_spike_list_stays_in_time_order)
{
    hb_instance h;
    /* every neuron at speed 200, even where this CPU cannot step them in
     * real time: freewheeling, as a host exports, the real-time guard
     * does not thin the bank */
    cr_assert(hb_instantiate(&h, world, false, 48000.0));
    h.late[PORT_LATE_FREEWHEEL] = 1.0f;
    h.controls[P_SPEED] = 200.0f;
    lilv_instance_activate(h.inst);
    int full = 0;
    for (int b = 0; b < 4; ++b) {
        notification notes[4];
        int got = run_notified(&h, 960, b == 0, notes, 4);
        for (int k = 0; k < got; ++k) {
            const notification note = notes[k];
            cr_assert_leq(note.n_spikes, HILLOCK_NOTIFY_MAX_SPIKES);
            full += note.n_spikes == HILLOCK_NOTIFY_MAX_SPIKES;
            cr_assert(note.spikes_ascending, "a full spike list out of time order");
            cr_assert_lt(note.last_spike_time, (float)note.frames);
        }
    }
    cr_assert_geq(full, 2, "only %d full notifications at speed 200", full);
    hb_free(&h);
}

/* Ardour's inline display: run() asks for redraws (about 25 a second) and
 * render() paints a picture with more than the background in it. */
Test(host, inline_display_draws_the_bank)
{
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, false, 48000.0));
    h.controls[P_DRIVE] = 20.0f;
    h.controls[P_DRIVE_MODE] = DRIVE_ABSOLUTE; /* drive in uA/cm2 */
    const LV2_Inline_Display_Interface *idpy =
        lilv_instance_get_extension_data(h.inst, LV2_INLINEDISPLAY__interface);
    cr_assert_not_null(idpy, "no idpy:interface");
    lilv_instance_activate(h.inst);
    unsigned before = hb_queue_draw_calls(world);
    for (int i = 0; i < 96; ++i) { /* 0.5 s */
        hb_prepare_events(&h, NULL, NULL, 0);
        rt_trap_arm();
        lilv_instance_run(h.inst, 250);
        cr_assert_eq(rt_trap_disarm(), 0, "run() called %s", rt_trap_last());
    }
    unsigned calls = hb_queue_draw_calls(world) - before;
    cr_assert(calls >= 10 && calls <= 14, "%u redraws asked in 0.5 s", calls);

    LV2_Inline_Display_Image_Surface *img =
        idpy->render(lilv_instance_get_handle(h.inst), 200, 80);
    cr_assert_not_null(img);
    cr_assert_eq(img->width, 200);
    cr_assert(img->height > 0 && img->height <= 80);
    cr_assert_geq(img->stride, 4 * img->width);
    /* count pixels unlike the top-left (background) one */
    uint32_t bg, px, differ = 0;
    memcpy(&bg, img->data, 4);
    for (int y = 0; y < img->height; ++y)
        for (int x = 0; x < img->width; ++x) {
            memcpy(&px, img->data + y * img->stride + 4 * x, 4);
            differ += px != bg;
        }
    cr_assert_gt(differ, 200u, "only %u pixels drawn", differ);
    hb_free(&h);
}

/* A host giving little room on the output (400 bytes a cycle) while 64
 * neurons fire: the sequence stays valid, and every note on the plugin
 * sent is switched off once the bank falls silent (no hanging notes). */
Test(host, tight_output_never_leaves_a_note_hanging)
{
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, false, 48000.0));
    h.controls[P_NEURONS] = 64.0f;
    h.controls[P_DRIVE] = 20.0f;
    h.controls[P_DRIVE_MODE] = DRIVE_ABSOLUTE; /* drive in uA/cm2 */
    h.controls[P_SPREAD] = 0.5f;
    LV2_URID_Map *map = hb_map(world);
    LV2_URID midi_type = map->map(map->handle, LV2_MIDI__MidiEvent);
    lilv_instance_activate(h.inst);
    int sounding[16][128] = {{0}};
    unsigned note_ons = 0;
    for (int cycle = 0; cycle < 160; ++cycle) { /* 0.85 s of 256-frame cycles */
        if (cycle == 100)
            h.controls[P_DRIVE] = -20.0f; /* hyperpolarised: no more spikes */
        hb_prepare_events(&h, NULL, NULL, 0);
        ((LV2_Atom *)h.atom_out)->size = 400;
        rt_trap_arm();
        lilv_instance_run(h.inst, 256);
        cr_assert_eq(rt_trap_disarm(), 0, "run() called %s", rt_trap_last());
        check_atom_out(&h, 256, "tight output");
        const LV2_Atom_Sequence *seq = (const LV2_Atom_Sequence *)h.atom_out;
        cr_assert_leq(seq->atom.size + sizeof(LV2_Atom), 400u + sizeof(LV2_Atom));
        LV2_ATOM_SEQUENCE_FOREACH (seq, ev) {
            if (ev->body.type != midi_type)
                continue;
            const uint8_t *m = LV2_ATOM_BODY_CONST(&ev->body);
            cr_assert_eq(ev->body.size, 3);
            int ch = m[0] & 0x0f, kind = m[0] & 0xf0;
            if (kind == 0x90 && m[2] > 0) {
                sounding[ch][m[1] & 0x7f] = 1;
                note_ons++;
            } else if (kind == 0x80 || kind == 0x90) {
                sounding[ch][m[1] & 0x7f] = 0;
            }
        }
    }
    cr_assert_gt(note_ons, 50u, "only %u notes sent", note_ons);
    for (int ch = 0; ch < 16; ++ch)
        for (int n = 0; n < 128; ++n)
            cr_assert_eq(sounding[ch][n], 0, "note %d on channel %d hangs", n, ch + 1);
    hb_free(&h);
}

/* hillock:Reset puts every neuron back to its start state: the focus
 * voltage after it follows a freshly activated instance's. */
Test(host, reset_message_restarts_the_neurons)
{
    hb_instance a, b;
    cr_assert(hb_instantiate(&a, world, true, 48000.0));
    cr_assert(hb_instantiate(&b, world, true, 48000.0));
    lilv_instance_activate(a.inst);
    for (int i = 0; i < 20; ++i) { /* a is mid-spike-train after 0.1 s */
        hb_prepare_events(&a, NULL, NULL, 0);
        lilv_instance_run(a.inst, 257);
    }
    hb_send_object(&a, HILLOCK__Reset);
    rt_trap_arm();
    lilv_instance_run(a.inst, 1000);
    cr_assert_eq(rt_trap_disarm(), 0);
    lilv_instance_activate(b.inst);
    hb_prepare_events(&b, NULL, NULL, 0);
    lilv_instance_run(b.inst, 1000);
    const float *va = a.audio[PORT_CV_FOCUS_V], *vb = b.audio[PORT_CV_FOCUS_V];
    for (int f = 0; f < 1000; ++f)
        cr_assert_float_eq(va[f], vb[f], 1e-4, "frame %d: %g after reset, %g fresh", f,
                           (double)va[f], (double)vb[f]);
    hb_free(&a);
    hb_free(&b);
}

/* Counts the notifications and MIDI events on the output of the last run. */
static void
count_output(hb_instance *h, int *notes, int *midi)
{
    LV2_URID_Map *map = hb_map(world);
    LV2_URID object = map->map(map->handle, LV2_ATOM__Object);
    LV2_URID midi_event = map->map(map->handle, LV2_MIDI__MidiEvent);
    LV2_ATOM_SEQUENCE_FOREACH ((const LV2_Atom_Sequence *)h->atom_out, ev) {
        notification note;
        if (ev->body.type == object &&
            read_notification((const LV2_Atom_Object *)&ev->body, &note))
            (*notes)++;
        else if (ev->body.type == midi_event)
            (*midi)++;
    }
}

/* uris.h: notifications flow only between a UI's hillock:UiOn and its
 * hillock:UiOff; the spikes' MIDI flows all the time. */
Test(host, notifications_only_while_a_ui_is_open)
{
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, false, 48000.0));
    h.controls[P_DRIVE] = 20.0f; /* tonic firing: MIDI notes to see */
    h.controls[P_DRIVE_MODE] = DRIVE_ABSOLUTE; /* drive in uA/cm2 */
    lilv_instance_activate(h.inst);
    int phase_notes[3] = {0}, phase_midi[3] = {0};
    const char *messages[3] = {NULL, HILLOCK__UiOn, HILLOCK__UiOff};
    for (int phase = 0; phase < 3; ++phase)
        for (int b = 0; b < 50; ++b) { /* 50 x 960 frames: 1 s, 50 periods */
            if (b == 0 && messages[phase])
                hb_send_object(&h, messages[phase]);
            else
                hb_prepare_events(&h, NULL, NULL, 0);
            rt_trap_arm();
            lilv_instance_run(h.inst, 960);
            cr_assert_eq(rt_trap_disarm(), 0);
            count_output(&h, &phase_notes[phase], &phase_midi[phase]);
        }
    cr_assert_eq(phase_notes[0], 0, "%d notifications before any UI opened", phase_notes[0]);
    cr_assert_geq(phase_notes[1], 49, "%d notifications in 1 s with a UI open (50 Hz)",
                  phase_notes[1]);
    cr_assert_eq(phase_notes[2], 0, "%d notifications after the UI closed", phase_notes[2]);
    for (int phase = 0; phase < 3; ++phase)
        cr_assert_gt(phase_midi[phase], 0, "no MIDI in phase %d", phase);
    hb_free(&h);
}

/* patch:Get brings the inhibitory mask in the next notification, without
 * waiting for its once-a-second repeat. */
Test(host, patch_get_brings_the_mask)
{
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, false, 48000.0));
    lilv_instance_activate(h.inst);
    LV2_URID_Map *map = hb_map(world);
    LV2_URID object = map->map(map->handle, LV2_ATOM__Object);
    hb_send_object(&h, HILLOCK__UiOn);
    lilv_instance_run(h.inst, 1024);
    for (int i = 0; i < 10; ++i) { /* past the first notification's mask */
        hb_prepare_events(&h, NULL, NULL, 0);
        lilv_instance_run(h.inst, 1024);
    }
    hb_send_object(&h, LV2_PATCH__Get);
    lilv_instance_run(h.inst, 1024);
    bool mask = false, seen = false;
    LV2_ATOM_SEQUENCE_FOREACH ((const LV2_Atom_Sequence *)h.atom_out, ev) {
        notification note;
        if (ev->body.type == object &&
            read_notification((const LV2_Atom_Object *)&ev->body, &note)) {
            seen = true;
            mask |= note.has_mask;
        }
    }
    cr_assert(seen && mask, "no mask after patch:Get");
    hb_free(&h);
}

/* Rates hosts use, and one the engine cannot run at: instantiate fails
 * cleanly (NULL), never crashes. */
Test(host, sample_rates)
{
    const double rates[] = {22050.0, 44100.0, 96000.0, 192000.0};
    for (int cv = 0; cv < 2; ++cv)
        for (size_t r = 0; r < sizeof rates / sizeof rates[0]; ++r) {
            hb_instance h;
            cr_assert(hb_instantiate(&h, world, cv, rates[r]), "%g Hz", rates[r]);
            lilv_instance_activate(h.inst);
            uint64_t frame = 0;
            char name[64];
            snprintf(name, sizeof name, "%g Hz", rates[r]);
            run_blocks(&h, name, &frame);
            hb_free(&h);
        }
    hb_instance h;
    cr_assert_not(hb_instantiate(&h, world, false, 10.0), "10 Hz accepted");
    hb_free(&h);
}

/* A host without urid:map (the one required feature) gets NULL and a log
 * line, not a crash. */
Test(host, missing_urid_map_is_refused_cleanly)
{
    const LV2_Feature *const *all = hb_features(world);
    const LV2_Feature *some[8];
    int n = 0;
    for (int i = 0; all[i] && n < 7; ++i)
        if (strcmp(all[i]->URI, LV2_URID__map) != 0)
            some[n++] = all[i];
    some[n] = NULL;
    hb_take_log(world);
    for (int cv = 0; cv < 2; ++cv) {
        LilvInstance *inst = lilv_plugin_instantiate(hb_plugin(world, cv), 48000.0, some);
        cr_assert_null(inst, "instantiated without urid:map");
    }
    cr_assert_not_null(strstr(hb_take_log(world), "urid#map"), "no log line");
}

/* The real-time guard's ports (protocol/ports.h, guard_load and
 * guard_active): a bank far beyond real time (16384 HH neurons at speed
 * 20, about fifty times what a core steps in time) is thinned and says so,
 * within its budget; back to a small bank, the guard rests. The budget is
 * the plugin's own calibration of this CPU (instantiate), so the loads
 * compared here are far from either side of it. */
Test(host, guard_ports_report_thinning_and_rest)
{
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, false, 48000.0));
    h.controls[P_NEURONS] = 16384;
    h.controls[P_SPEED] = 20;
    h.controls[P_START] = START_REST;
    lilv_instance_activate(h.inst);
    for (int k = 0; k < 20; ++k) {
        hb_prepare_events(&h, NULL, NULL, 0);
        lilv_instance_run(h.inst, 256);
    }
    cr_assert_eq(h.late[PORT_LATE_GUARD_ACTIVE], 1.0f, "a bank 50x beyond real time not thinned");
    cr_assert_gt(h.late[PORT_LATE_GUARD_LOAD], 0.3f);
    cr_assert_leq(h.late[PORT_LATE_GUARD_LOAD], 1.0f, "load %g: over budget",
                  (double)h.late[PORT_LATE_GUARD_LOAD]);
    h.controls[P_NEURONS] = 8;
    h.controls[P_SPEED] = 1;
    for (int k = 0; k < 20; ++k) {
        hb_prepare_events(&h, NULL, NULL, 0);
        lilv_instance_run(h.inst, 256);
    }
    cr_assert_eq(h.late[PORT_LATE_GUARD_ACTIVE], 0.0f);
    cr_assert_gt(h.late[PORT_LATE_GUARD_LOAD], 0.0f, "the load is not reported");
    cr_assert_lt(h.late[PORT_LATE_GUARD_LOAD], 0.3f);
    lilv_instance_deactivate(h.inst);
    hb_free(&h);
}

/* The host freewheels (LV2 core: the port designated lv2:freeWheeling is 1
 * while the host runs faster than real time, as for an export): a bank far
 * beyond real time plays every neuron at the speed set, and the ports say
 * the guard does nothing; back in real time (0) the guard thins it again,
 * and reports it. */
Test(host, freewheeling_plays_every_neuron_at_full_speed)
{
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, false, 48000.0));
    h.controls[P_NEURONS] = 4096;
    h.controls[P_SPEED] = 200;
    h.controls[P_START] = START_REST;
    h.late[PORT_LATE_FREEWHEEL] = 1.0f;
    lilv_instance_activate(h.inst);
    for (int k = 0; k < 2; ++k) {
        hb_prepare_events(&h, NULL, NULL, 0);
        lilv_instance_run(h.inst, 64);
    }
    cr_assert_eq(h.late[PORT_LATE_FREEWHEEL], 1.0f, "the plugin wrote its input port");
    cr_assert_eq(h.late[PORT_LATE_GUARD_ACTIVE], 0.0f);
    cr_assert_eq(h.late[PORT_LATE_GUARD_LOAD], 0.0f);
    cr_assert_eq(h.late[PORT_LATE_GUARD_TIME], 1.0f);
    h.late[PORT_LATE_FREEWHEEL] = 0.0f;
    for (int k = 0; k < 2; ++k) {
        hb_prepare_events(&h, NULL, NULL, 0);
        lilv_instance_run(h.inst, 64);
    }
    cr_assert_eq(h.late[PORT_LATE_GUARD_ACTIVE], 1.0f, "4096 neurons at speed 200 not guarded");
    cr_assert_gt(h.late[PORT_LATE_GUARD_LOAD], 0.0f);
    cr_assert_leq(h.late[PORT_LATE_GUARD_LOAD], 1.0f);
    lilv_instance_deactivate(h.inst);
    hb_free(&h);
}

/* HILLOCK_GUARD=off (plugin/guard_budget.h): the same bank plays every
 * neuron, and the ports say the guard does nothing. */
Test(host, guard_off_by_environment_plays_every_neuron)
{
    hb_instance h;
    setenv("HILLOCK_GUARD", "off", 1);
    cr_assert(hb_instantiate(&h, world, false, 48000.0));
    unsetenv("HILLOCK_GUARD");
    h.controls[P_NEURONS] = 4096;
    h.controls[P_SPEED] = 20;
    h.controls[P_START] = START_REST;
    lilv_instance_activate(h.inst);
    for (int k = 0; k < 2; ++k) {
        hb_prepare_events(&h, NULL, NULL, 0);
        lilv_instance_run(h.inst, 64);
    }
    cr_assert_eq(h.late[PORT_LATE_GUARD_ACTIVE], 0.0f);
    cr_assert_eq(h.late[PORT_LATE_GUARD_LOAD], 0.0f);
    lilv_instance_deactivate(h.inst);
    hb_free(&h);
}

/* pitch_clamped: with pitch_mode track, a note the model cannot reach is
 * played at the nearest pitch it reaches and reported on the port. `hh` at
 * 6.3 degC reaches MIDI notes 0-98 (4.27-2341 Hz with its time scale
 * within 1/16..16: docs/manual.md, Pitch tracking): note 60 is in reach
 * (-1 stays), note 120 (8372 Hz) is not and is named. */
static void
play_note(hb_instance *h, uint8_t note, int blocks)
{
    uint8_t on[1][3] = {{0x90, note, 100}};
    uint32_t at[1] = {0};
    for (int k = 0; k < blocks; ++k) {
        hb_prepare_events(h, (const uint8_t(*)[3])on, at, k == 0 ? 1 : 0);
        lilv_instance_run(h->inst, 256);
    }
    uint8_t off[1][3] = {{0x80, note, 0}};
    hb_prepare_events(h, (const uint8_t(*)[3])off, at, 1);
    lilv_instance_run(h->inst, 256);
}

Test(host, pitch_clamped_port_names_the_note_out_of_reach)
{
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, false, 48000.0));
    h.controls[P_NEURONS] = 1;
    h.controls[P_PITCH_MODE] = PITCH_TRACK;
    lilv_instance_activate(h.inst);
    hb_prepare_events(&h, NULL, NULL, 0);
    lilv_instance_run(h.inst, 256);
    cr_assert_eq(h.late[PORT_LATE_PITCH_CLAMPED], -1.0f, "nothing played, nothing clamped");
    play_note(&h, 60, 94); /* 0.5 s */
    cr_assert_eq(h.late[PORT_LATE_PITCH_CLAMPED], -1.0f, "note 60 reported out of reach");
    play_note(&h, 120, 94);
    cr_assert_eq(h.late[PORT_LATE_PITCH_CLAMPED], 120.0f, "note 120: the port reads %g",
                 (double)h.late[PORT_LATE_PITCH_CLAMPED]);
    lilv_instance_deactivate(h.inst);
    hb_free(&h);
}

#ifndef PAGE_FAULTS_UNDER_ASAN /* the test below skips there */
/* Every page of a host buffer written once: the host's memory, not the
 * plugin's, whose faults run() would otherwise take writing into it */
static void
map_buffer(void *p, size_t bytes)
{
    volatile unsigned char *b = p;
    for (size_t at = 0; at < bytes; at += 4096)
        b[at] = b[at];
}
#endif

/* What run() writes is resident from instantiate on (the engine's, the
 * notifications' and the scratch buffers: dsp/zeroed.h): a bank of 256
 * neurons played for 0.25 s with a UI open and a note every block, then
 * grown to 4096 (automation of the neuron count), takes no page fault in
 * run() after those 0.25 s, with the process's code, the thread's stack
 * and the host's buffers mapped first (tests/page_faults.h). Before the
 * voices' tones, the sound's alignment ring, the limiter's queue and the
 * plugin's scratch were touched at instantiate, run() took 267. Run
 * without glibc's MALLOC_PERTURB_ (plugin_host_page_faults in
 * tests/plugin/meson.build), which writes calloc's blocks at allocation. */
Test(host, run_takes_no_page_fault_after_its_start)
{
#ifdef PAGE_FAULTS_UNDER_ASAN
    cr_skip_test("AddressSanitizer's shadow memory faults on its own");
#else
    if (page_faults_malloc_perturbed())
        cr_skip_test("MALLOC_PERTURB_ set: run by plugin_host_page_faults, without it");
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, false, 48000.0));
    h.controls[P_NEURONS] = 256.0f;
    h.controls[P_SPREAD] = 0.5f;
    for (uint32_t i = 0; i < PORT_CV_FIXED_COUNT; ++i)
        if (h.audio[i])
            map_buffer(h.audio[i], HB_MAX_BLOCK * sizeof(float));
    map_buffer(h.shared, HB_MAX_BLOCK * sizeof(float));
    map_buffer(h.atom_in, HB_ATOM_IN_SIZE);
    map_buffer(h.atom_out, HB_ATOM_OUT_SIZE);
    cr_assert(page_faults_map_code());
    page_faults_map_stack();
    lilv_instance_activate(h.inst);
    enum { BLOCK = 256, START = 47, BLOCKS = 375 }; /* 0.25 s, 2 s */
    long start = 0, later = 0;
    for (int k = 0; k < BLOCKS; ++k) {
        if (k == START)
            h.controls[P_NEURONS] = 4096.0f;
        const uint8_t note = (uint8_t)(48 + k % 24);
        const uint8_t midi[2][3] = {{0x90, note, 100}, {0x80, note, 0}};
        const uint32_t at[2] = {10, 200};
        if (k == 0)
            hb_send_object(&h, HILLOCK__UiOn);
        else
            hb_prepare_events(&h, midi, at, 2);
        const long before = page_faults_now();
        lilv_instance_run(h.inst, BLOCK);
        const long faults = page_faults_now() - before;
        if (k < START)
            start += faults;
        else
            later += faults;
    }
    printf("host: run(): %ld page faults in the first 0.25 s, %ld after\n", start, later);
    cr_expect_eq(later, 0, "%ld page faults in run() after its start", later);
    lilv_instance_deactivate(h.inst);
    hb_free(&h);
#endif
}
