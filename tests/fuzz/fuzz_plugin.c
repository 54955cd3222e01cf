/* fuzz_plugin.c — libFuzzer harness for the LV2 plugins (plugin/), through
 * lv2_descriptor() exactly as a host calls it.
 *
 * An input picks a plugin (bank or bank-cv), a sample rate and the host's
 * features (urid:map always; log, options and their maxBlockLength maybe),
 * then runs a program: hostile control values; run() with 1..8192 frames,
 * hostile stimulus/CV audio and an atom input whose events have any time
 * (negative, out of order, past the block end), any type (MIDI, patch:Get,
 * hillock:Reset, unknown objects, unknown URIDs) and any size (empty, short,
 * claiming more bytes than the sequence holds); an output of any capacity
 * (none, a few bytes, 64 KiB); activate/deactivate in any order; state
 * restore from corrupted values; the inline display at any size; the ports
 * reconnected in-place, aliased or with the CV ports left NULL.
 *
 * Every atom buffer is allocated at exactly the size its header claims, so
 * AddressSanitizer sees any read past it. After each run() it asserts: audio
 * finite and within [-1, 1], CV finite, the output a well-formed sequence
 * within its capacity with events inside the block in time order. At the
 * end, controls back to default (drive 20, see fuzz_engine.c) and a MIDI
 * System Reset: within 400 ms the bank must send spike notes again.
 *
 * Cost is bounded per input in frames and in estimated neuron-steps
 * (STEP_BUDGET), so a slow corner is visited briefly rather than timing out.
 */
#include "fuzz_input.h"
#include "ports.h"
#include "uris.h"
#include "../gui/forge_notify.h"

#include <lv2/atom/atom.h>
#include <lv2/atom/util.h>
#include <lv2/buf-size/buf-size.h>
#include <lv2/core/lv2.h>
#include <lv2/log/log.h>
#include <lv2/midi/midi.h>
#include <lv2/options/options.h>
#include <lv2/patch/patch.h>
#include <lv2/state/state.h>
#include <lv2/urid/urid.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* idpy.h's render entry, declared here to keep the harness host-only */
typedef struct {
    unsigned char *data;
    int width, height, stride;
} fuzz_idpy_surface;
typedef struct {
    fuzz_idpy_surface *(*render)(LV2_Handle instance, uint32_t w, uint32_t max_h);
} fuzz_idpy_interface;
#define IDPY_INTERFACE "http://harrisonconsoles.com/lv2/inlinedisplay#interface"

#define MAX_BLOCK 8192u
#define FRAME_BUDGET 50000u /* frames run per input, besides recovery */
/* Neuron-steps per input, estimated (fuzz_steps_per_frame), besides
 * recovery: the default bank (8 neurons) spends 6e6 of them in its 50000
 * frames; the worst bank (16384 neurons at speed 200) gets 7 frames, which
 * still cost about 2 s under ASan and coverage, where the SIMD kernels run
 * some 60 times slower than in the release build. Without the budget one
 * input of 1,100 such frames ran 34 s with the real-time guard off, past
 * libFuzzer's 30 s limit (docs/measurements.md, the exploring fuzz runs). */
#define STEP_BUDGET 3e7
#define RECOVERY_MS 400.0
#define SETTLE_MS 40.0

/* ---- the host side: URIDs (tests/gui/forge_notify.c's table), log, options ---- */

static LV2_URID
urid(const char *uri)
{
    LV2_URID_Map *map = test_urid_map();
    return map->map(map->handle, uri);
}

static int
log_vprintf(LV2_Log_Handle h, LV2_URID type, const char *fmt, va_list ap)
{
    (void)h;
    (void)type;
    char line[512];
    return vsnprintf(line, sizeof line, fmt, ap); /* read, not shown */
}

static int
log_printf(LV2_Log_Handle h, LV2_URID type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = log_vprintf(h, type, fmt, ap);
    va_end(ap);
    return r;
}

static void
fail(const char *what, double rate, uint32_t n, double value)
{
    fprintf(stderr, "fuzz_plugin: %s (rate %.0f, %u, %g)\n", what, rate, n, value);
    abort();
}

typedef struct {
    const LV2_Descriptor *d;
    LV2_Handle h;
    bool cv;
    double rate;
    bool active;
    float *audio[PORT_CV_FIXED_COUNT];
    float controls[PARAM_COUNT];
    LV2_Atom_Sequence *in;  /* malloc'd at exactly its size */
    LV2_Atom_Sequence *out; /* malloc'd at exactly its size */
    uint32_t out_capacity;  /* body bytes */
    int layout;             /* 0 separate, 1 in place, 2 aliased outputs, 3 NULL CV */
    float *shared;
    LV2_URID midi, object, reset, get, chunk, int_, stateVersion;
} fuzz_host;

static float *
port_buffer(fuzz_host *f, uint32_t port)
{
    const hillock_fixed_port *fp = hillock_fixed_port_at(port);
    switch (f->layout) {
    case 1:
        if (port == PORT_STIMULUS)
            return f->audio[PORT_OUT_LEFT];
        if (port == PORT_CV_STIMULUS)
            return f->audio[PORT_CV_FOCUS_V];
        return f->audio[port];
    case 2: return fp->output ? f->shared : f->audio[port];
    case 3: return fp->type == PORT_TYPE_CV ? NULL : f->audio[port];
    default: return f->audio[port];
    }
}

static void
connect_all(fuzz_host *f)
{
    uint32_t base = hillock_param_port_base(f->cv);
    for (uint32_t p = 0; p < base; ++p) {
        if (p == PORT_EVENTS_IN)
            f->d->connect_port(f->h, p, f->in);
        else if (p == PORT_EVENTS_OUT)
            f->d->connect_port(f->h, p, f->out);
        else
            f->d->connect_port(f->h, p, port_buffer(f, p));
    }
    for (uint32_t p = 0; p < PARAM_COUNT; ++p)
        f->d->connect_port(f->h, hillock_param_port_index(f->cv, p), &f->controls[p]);
}

/* The output buffer: a sequence header claiming `capacity` body bytes,
 * allocated at exactly that size. */
static void
new_output(fuzz_host *f, uint32_t capacity)
{
    free(f->out);
    f->out = malloc(sizeof(LV2_Atom) + capacity);
    f->out->atom.size = capacity;
    f->out->atom.type = f->chunk;
    f->out_capacity = capacity;
}

/* Writes an event header and `written` body bytes at p; returns the
 * padded size used. */
static uint32_t
put_event(uint8_t *p, int64_t time, uint32_t claimed, LV2_URID type, const uint8_t *body,
          uint32_t written)
{
    LV2_Atom_Event ev = {.time.frames = time, .body = {claimed, type}};
    memcpy(p, &ev, sizeof ev);
    memcpy(p + sizeof ev, body, written);
    return (uint32_t)sizeof ev + lv2_atom_pad_size(written);
}

/* Builds the input sequence from the fuzz bytes. */
static void
new_input(fuzz_host *f, fuzz_input *in, uint32_t n_frames)
{
    uint8_t body[1 << 14];
    uint32_t used = sizeof(LV2_Atom_Sequence_Body);
    memset(body, 0, sizeof body);
    uint32_t n_events = fuzz_u8(in) % 17u;
    for (uint32_t k = 0; k < n_events && used + 64 < sizeof body; ++k) {
        uint8_t kind = fuzz_u8(in);
        int64_t time;
        switch (fuzz_u8(in) % 6) {
        case 0: time = -1 - (int64_t)fuzz_u8(in); break;
        case 1: time = (int64_t)n_frames + fuzz_u16(in); break;
        case 2: time = (int64_t)fuzz_u32(in) << 16; break;
        default: time = n_frames ? fuzz_u16(in) % n_frames : 0; break;
        }
        uint8_t payload[32];
        uint32_t written = fuzz_u8(in) % 33u;
        fuzz_bytes(in, payload, written);
        LV2_URID type;
        switch (kind % 8) {
        case 0:
        case 1:
        case 2: type = f->midi; break;
        case 3: /* an object: its otype decides */
        case 4: {
            type = f->object;
            LV2_Atom_Object_Body ob = {0, (kind & 8) ? f->reset : f->get};
            if (kind & 16)
                ob.otype = fuzz_u32(in);
            if (written < sizeof ob)
                written = sizeof ob;
            memcpy(payload, &ob, sizeof ob);
            break;
        }
        case 5: type = fuzz_u16(in); break; /* mostly unmapped */
        case 6: type = 0; break;
        default: type = f->chunk; break;
        }
        /* the body size the event claims: honest, short, or too long
         * (only the last event may claim to run past the sequence) */
        uint32_t claimed = written;
        uint8_t lie = fuzz_u8(in) % 8;
        if (lie == 0)
            claimed = 0;
        else if (lie == 1 && written)
            claimed = written - 1;
        used += put_event(body + used, time, claimed, type, payload, written);
        if (lie == 2 && k + 1 == n_events) {
            /* rewrite the last claim to run past the end */
            LV2_Atom_Event *ev = (LV2_Atom_Event *)(body + used - sizeof(LV2_Atom_Event) -
                                                    lv2_atom_pad_size(written));
            ev->body.size = written + 8u + fuzz_u16(in);
        }
    }
    /* sometimes a truncated event header at the very end */
    uint32_t tail = fuzz_u8(in) % 24u == 0 ? 8u : 0u;
    used += tail;
    free(f->in);
    f->in = malloc(sizeof(LV2_Atom) + used);
    f->in->atom.size = used;
    f->in->atom.type = urid(LV2_ATOM__Sequence);
    memcpy(&f->in->body, body, used);
}

static void
check_run(fuzz_host *f, uint32_t n, uint32_t *note_ons)
{
    for (uint32_t p = 0; p < hillock_param_port_base(f->cv); ++p) {
        const hillock_fixed_port *fp = hillock_fixed_port_at(p);
        float *buf = port_buffer(f, p);
        if (!fp->output || fp->type == PORT_TYPE_ATOM || !buf)
            continue;
        for (uint32_t i = 0; i < n; ++i) {
            if (!isfinite(buf[i]))
                fail("an output is not finite", f->rate, p, buf[i]);
            /* aliased outputs (lv2bench) share one buffer: the last port
             * written, maybe a CV, is what it holds */
            if (fp->type == PORT_TYPE_AUDIO && f->layout != 2 && fabsf(buf[i]) > 1.0f)
                fail("audio beyond +-1", f->rate, p, buf[i]);
        }
    }
    /* the output: a sequence within the capacity, or untouched */
    const LV2_Atom_Sequence *s = f->out;
    if (s->atom.size > f->out_capacity)
        fail("output sequence larger than its buffer", f->rate, s->atom.size, f->out_capacity);
    if (s->atom.type == f->chunk)
        return; /* nothing written: allowed when it cannot hold a sequence */
    if (s->atom.size < sizeof(LV2_Atom_Sequence_Body))
        fail("output sequence shorter than its header", f->rate, s->atom.size, 0);
    int64_t last = 0;
    const uint8_t *end = (const uint8_t *)&s->body + s->atom.size;
    LV2_ATOM_SEQUENCE_FOREACH (s, ev) {
        if ((const uint8_t *)ev + sizeof *ev + ev->body.size > end)
            fail("output event runs past the sequence", f->rate, ev->body.size, 0);
        if (ev->time.frames < last || ev->time.frames >= (int64_t)n)
            fail("output event out of order or outside the block", f->rate, n,
                 (double)ev->time.frames);
        last = ev->time.frames;
        if (ev->body.type == f->midi) {
            const uint8_t *m = LV2_ATOM_BODY_CONST(&ev->body);
            if (ev->body.size < 1 || ev->body.size > 3 || !(m[0] & 0x80))
                fail("malformed MIDI out", f->rate, ev->body.size, m[0]);
            if ((m[0] & 0xF0) == 0x90 && ev->body.size == 3 && m[2])
                ++*note_ons;
        }
    }
}

static void
do_run(fuzz_host *f, fuzz_input *in, uint32_t n, uint32_t *note_ons)
{
    if (!f->active) {
        f->d->activate(f->h);
        f->active = true;
    }
    if (in) {
        fuzz_audio(in, f->audio[PORT_STIMULUS], n);
        if (f->cv)
            fuzz_audio(in, f->audio[PORT_CV_STIMULUS], n);
        new_input(f, in, n);
        static const uint32_t caps[] = {0, 4, 8, 15, 16, 40, 200, 1024, 8192, 65536};
        new_output(f, caps[fuzz_u8(in) % 10u]);
    } else {
        memset(f->audio[PORT_STIMULUS], 0, n * sizeof(float));
        if (f->cv)
            memset(f->audio[PORT_CV_STIMULUS], 0, n * sizeof(float));
        free(f->in);
        f->in = malloc(sizeof(LV2_Atom_Sequence));
        f->in->atom.size = sizeof(LV2_Atom_Sequence_Body);
        f->in->atom.type = urid(LV2_ATOM__Sequence);
        f->in->body.unit = 0;
        f->in->body.pad = 0;
        new_output(f, 65536);
    }
    connect_all(f);
    f->d->run(f->h, n);
    check_run(f, n, note_ons);
}

/* state:retrieve that hands back whatever the input says */
typedef struct {
    fuzz_input *in;
    uint8_t value[16];
    fuzz_host *f;
} retrieve_ctx;

static const void *
fuzz_retrieve(LV2_State_Handle handle, uint32_t key, size_t *size, uint32_t *type,
              uint32_t *flags)
{
    (void)key;
    retrieve_ctx *c = handle;
    uint8_t how = fuzz_u8(c->in) % 4;
    if (how == 0)
        return NULL;
    *size = how == 1 ? sizeof(int32_t) : fuzz_u8(c->in) % 17u;
    *type = how == 1 ? c->f->int_ : fuzz_u16(c->in);
    *flags = LV2_STATE_IS_POD;
    fuzz_bytes(c->in, c->value, sizeof c->value);
    return c->value;
}

static LV2_State_Status
null_store(LV2_State_Handle h, uint32_t key, const void *value, size_t size, uint32_t type,
           uint32_t flags)
{
    (void)h, (void)key, (void)value, (void)size, (void)type, (void)flags;
    return LV2_STATE_SUCCESS;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size, 0};
    fuzz_host f;
    memset(&f, 0, sizeof f);
    uint8_t setup = fuzz_u8(&in);
    f.cv = setup & 1;
    f.rate = fuzz_rate(&in);
    f.d = lv2_descriptor(f.cv ? 1 : 0);
    if (!f.d)
        fail("no descriptor", f.rate, 0, 0);

    LV2_URID_Map *map = test_urid_map();
    LV2_Log_Log log = {NULL, log_printf, log_vprintf};
    int32_t max_block = (setup & 4) ? (int32_t)fuzz_u16(&in) : (int32_t)MAX_BLOCK;
    int32_t min_block = 1;
    LV2_URID atom_int = urid(LV2_ATOM__Int);
    LV2_Options_Option options[] = {
        {LV2_OPTIONS_INSTANCE, 0, urid(LV2_BUF_SIZE__maxBlockLength), sizeof(int32_t),
         atom_int, &max_block},
        {LV2_OPTIONS_INSTANCE, 0, urid(LV2_BUF_SIZE__minBlockLength), sizeof(int32_t),
         atom_int, &min_block},
        {LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, NULL},
    };
    LV2_Feature f_map = {LV2_URID__map, map}, f_log = {LV2_LOG__log, &log},
                f_opt = {LV2_OPTIONS__options, options},
                f_bounded = {LV2_BUF_SIZE__boundedBlockLength, NULL};
    const LV2_Feature *features[5] = {&f_map};
    int nf = 1;
    if (setup & 2)
        features[nf++] = &f_log;
    if (setup & 8)
        features[nf++] = &f_opt;
    features[nf++] = &f_bounded;
    features[nf] = NULL;

    f.midi = urid(LV2_MIDI__MidiEvent);
    f.object = urid(LV2_ATOM__Object);
    f.reset = urid(HILLOCK__Reset);
    f.get = urid(LV2_PATCH__Get);
    f.chunk = urid(LV2_ATOM__Chunk);
    f.int_ = atom_int;

    f.h = f.d->instantiate(f.d, f.rate, "/nonexistent/hillock.lv2/", features);
    if (!f.h)
        fail("instantiate failed with urid:map given", f.rate, 0, 0);
    for (uint32_t p = 0; p < PORT_CV_FIXED_COUNT; ++p)
        f.audio[p] = calloc(MAX_BLOCK, sizeof(float));
    f.shared = calloc(MAX_BLOCK, sizeof(float));
    param_defaults(f.controls);
    new_output(&f, 65536);
    f.in = malloc(sizeof(LV2_Atom_Sequence));
    f.in->atom.size = sizeof(LV2_Atom_Sequence_Body);
    f.in->atom.type = urid(LV2_ATOM__Sequence);
    f.in->body.unit = f.in->body.pad = 0;
    connect_all(&f);

    uint32_t frames_left = FRAME_BUDGET, note_ons = 0;
    double steps_left = STEP_BUDGET;
    while (fuzz_more(&in) && frames_left) {
        switch (fuzz_u8(&in) % 10) {
        case 0:
        case 1: {
            uint8_t p = fuzz_u8(&in) % PARAM_COUNT;
            f.controls[p] = fuzz_param_value(&in, (param_id)p);
            break;
        }
        case 2:
        case 3:
        case 4: {
            uint32_t n = fuzz_block(&in);
            /* costly banks run briefly */
            float neurons = f.controls[P_NEURONS], speed = f.controls[P_SPEED];
            if (!(neurons <= 64.0f && speed <= 4.0f) && n > 256)
                n = 256;
            if (n > frames_left)
                n = frames_left;
            /* the bank the engine will run: the controls as it reads them */
            double per_frame = fuzz_steps_per_frame(param_sanitize(P_NEURONS, neurons),
                                                    param_sanitize(P_SPEED, speed), f.rate);
            if (n * per_frame > steps_left)
                n = (uint32_t)(steps_left / per_frame);
            steps_left -= n * per_frame;
            if (n == 0) {
                frames_left = 0; /* the budget is spent */
                break;
            }
            frames_left -= n;
            do_run(&f, &in, n, &note_ons);
            break;
        }
        case 5:
            if (f.active)
                f.d->deactivate(f.h);
            else
                f.d->activate(f.h);
            f.active = !f.active;
            break;
        case 6: {
            const LV2_State_Interface *st = f.d->extension_data(LV2_STATE__interface);
            if (!st)
                fail("no state interface", f.rate, 0, 0);
            retrieve_ctx c = {&in, {0}, &f};
            if (fuzz_u8(&in) & 1)
                st->save(f.h, null_store, NULL, LV2_STATE_IS_POD, features);
            st->restore(f.h, fuzz_retrieve, &c, 0, features);
            break;
        }
        case 7: {
            const fuzz_idpy_interface *di = f.d->extension_data(IDPY_INTERFACE);
            if (di) {
                uint32_t w = fuzz_u16(&in) % 700u, h = fuzz_u16(&in) % 700u;
                fuzz_idpy_surface *s = di->render(f.h, w, h);
                if (s && (s->width <= 0 || s->height <= 0 || (uint32_t)s->width > w ||
                          (uint32_t)s->height > h || !s->data))
                    fail("inline display surface of the wrong size", f.rate, w,
                         s->width);
            }
            break;
        }
        case 8: f.layout = fuzz_u8(&in) % 4; break;
        default: {
            /* an unknown extension must be refused, not crash */
            char uri[24];
            fuzz_bytes(&in, uri, sizeof uri - 1);
            uri[sizeof uri - 1] = '\0';
            (void)f.d->extension_data(uri);
            break;
        }
        }
    }

    /* The input turns sane: defaults, separate buffers, a System Reset. */
    param_defaults(f.controls);
    f.controls[P_DRIVE] = 20.0f; /* as fuzz_engine.c's RECOVERY_DRIVE explains */
    f.controls[P_DRIVE_MODE] = DRIVE_ABSOLUTE; /* in uA/cm2 */
    f.controls[P_NOISE] = 0.5f;  /* and its RECOVERY_NOISE */
    f.layout = 0;
    note_ons = 0;
    {
        static const uint8_t sysreset[1] = {0xFF};
        if (!f.active) {
            f.d->activate(f.h);
            f.active = true;
        }
        uint32_t bytes = sizeof(LV2_Atom_Sequence_Body) + sizeof(LV2_Atom_Event) + 8;
        free(f.in);
        f.in = calloc(1, sizeof(LV2_Atom) + bytes);
        f.in->atom.size = bytes;
        f.in->atom.type = urid(LV2_ATOM__Sequence);
        put_event((uint8_t *)&f.in->body + sizeof(LV2_Atom_Sequence_Body), 0, 1, f.midi,
                  sysreset, 1);
        new_output(&f, 65536);
        connect_all(&f);
        f.d->run(f.h, 1);
    }
    const uint32_t chunk = (uint32_t)(f.rate / 1000.0);
    const uint32_t settle = (uint32_t)(SETTLE_MS * 1e-3 * f.rate);
    const uint32_t frames = (uint32_t)(RECOVERY_MS * 1e-3 * f.rate);
    uint32_t done = 0, late = 0;
    while (done < frames && !late) {
        note_ons = 0;
        do_run(&f, NULL, chunk, &note_ons);
        if (done >= settle)
            late += note_ons;
        done += chunk;
    }
    if (!late)
        fail("no spike notes after the input turned sane", f.rate, done, 0);

    if (setup & 16) /* cleanup without deactivate: hosts do it */
        f.d->deactivate(f.h);
    f.d->cleanup(f.h);
    for (uint32_t p = 0; p < PORT_CV_FIXED_COUNT; ++p)
        free(f.audio[p]);
    free(f.shared);
    free(f.in);
    free(f.out);
    return 0;
}
