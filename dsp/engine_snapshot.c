/* engine_snapshot.c — the engine's state file (engine_snapshot.h): its
 * header, and the one list of its sections, each walked by the part that
 * owns the state (state_io.h).
 *
 * What is not saved is derived again on load from the running parameters
 * (the bank's configuration, placement, notes, calibrated gains), set by
 * the host (tuning, recorded units, stop query, thread pool), fixed at
 * create (kernels, filters' coefficients), or only shown (the weights'
 * census, recounted from the table). */
#include "engine_snapshot.h"

#include "bank_state.h"
#include "engine_state.h"
#include "le_bytes.h"
#include "models/registry.h"
#include "synapse_state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAG_BYTES 16u

/* Neurons the per-neuron arrays hold: the running ones and the rest of
 * their last vector (the mix reads whole vectors), as engine_apply_structure
 * starts them. */
static uint32_t
span_of(const engine *e)
{
    uint32_t n = (uint32_t)e->params[P_NEURONS];
    uint32_t c = (uint32_t)e->cur[P_NEURONS];
    n = c > n ? c : n;
    n = e->guard.n_set > n ? e->guard.n_set : n;
    n = (n + 63u) & ~63u;
    return n < e->bank->capacity ? n : e->bank->capacity;
}

/* ---- the sections ------------------------------------------------------- */

/* A parameter's value as the engine can hold it: inside its range (a model,
 * a scale, a neuron count index tables), the bank's neurons inside the
 * arrays the file holds; the pitch bend and mod wheel after them. */
static bool
parameter_valid(const void *span, size_t id, float v)
{
    if (id == G_BEND)
        return v >= -1.0f && v <= 1.0f;
    if (id == G_MOD)
        return v >= 0.0f && v <= 1.0f;
    if (id == P_NEURONS && v > (float)*(const uint32_t *)span)
        return false;
    return param_sanitize((param_id)id, v) == v;
}

/* A glide's target: as a value, or 0, a target never set */
static bool
glide_target_valid(const void *span, size_t id, float v)
{
    return v == 0.0f || parameter_valid(span, id, v);
}

static void
core_state(state_io *s, engine *e, uint32_t span)
{
    state_f32_valid(s, "parameters as set", e->params, PARAM_COUNT, parameter_valid, &span);
    state_f32_valid(s, "parameters as running", e->cur, G_COUNT, parameter_valid, &span);
    state_f32_valid(s, "glide targets", e->glide_to, G_COUNT, glide_target_valid, &span);
    state_f32_finite(s, "glide steps", e->glide_step, G_COUNT);
    state_u32_max(s, "glide frames left", e->glide_left, G_COUNT, e->glide_frames);
    state_u32_max(s, "glides", &e->gliding, 1, G_COUNT);
    state_int(s, "parameters changed", &e->dirty, 1, 0, 1);
    state_int(s, "crossfade", &e->fade_state, 1, FADE_NONE, FADE_IN);
    state_u32_max(s, "crossfade position", &e->fade_pos, 1, e->fade_frames);
    state_u32_max(s, "crossfade hold", &e->hold_left, 1, HOLD_FRAMES);
    state_u64(s, "model step", &e->step_index, 1);
    state_u32(s, "aligner spikes lost", &e->align_lost, 1);
    state_int(s, "MIDI all off", &e->midi_all_off, 1, 0, 1);
    state_f32_finite(s, "loudness reference", &e->mem_ref, 1);
    state_f32_finite(s, "current unit", &e->current_unit, 1);
    state_f32_finite(s, "calibrated gains", &e->mem_cal, 1);
    state_f32_finite(s, "calibrated gains", &e->spk_cal, 1);
    state_f32(s, "levels", e->level_db, 3);
    state_f32(s, "levels", e->level_lin, 3);
    state_f32_finite(s, "MIDI drive", e->midi_amount, span);
    state_int(s, "MIDI active", &e->midi_active, 1, 0, 1);
    state_int(s, "external current changed", &e->ext_dirty, 1, 0, 1);
    state_int(s, "external current", &e->ext_nonzero, 1, 0, 1);
    state_f32_finite(s, "level statistics", e->stat_mean, span);
    state_f32_finite(s, "level statistics", e->stat_msq, span);
    state_u32(s, "f-I curve seen", &e->fc_builds_seen, 1);
    state_u32(s, "gate frames left", &e->gate_left, 1);
    state_f32_finite(s, "population rate", &e->rate_hz, 1);
    state_int(s, "transport pending", &e->transport_pending, 1, 0, 1);
    state_f64(s, "transport", &e->transport_quarter, 1);
    state_f64(s, "transport", &e->transport_bpm, 1);
    state_f64(s, "transport", &e->transport_speed, 1);
    state_u64(s, "frames", &e->stats.frames, 1);
    state_u64(s, "spikes", &e->stats.spikes, 1);
    state_u64(s, "non-finite resets", &e->stats.nonfinite_resets, 1);
    state_f64_finite(s, "model time", &e->stats.model_time_ms, 1);
    state_u64(s, "MIDI out dropped", &e->stats.midi_out_dropped, 1);
    /* the small parts it holds */
    midi_in_state(s, &e->min);
    midi_out_state(s, &e->mout);
    tempo_lock_state(s, &e->tempo);
    guard_state(s, &e->guard, e->bank->capacity);
    stimulus_state(s, &e->stim);
    focus_trace_state(s, &e->trace);
}

static void
bank_section(state_io *s, engine *e, uint32_t span)
{
    bank_state(s, e->bank, span, e->isa);
}

static void
voices_section(state_io *s, engine *e, uint32_t span)
{
    /* the bank's neurons and the recorded units after them (frame_recorded.c) */
    voices_state(s, e->vo, span + e->rec_units);
}

static void
output_section(state_io *s, engine *e, uint32_t span)
{
    (void)span;
    bandlimit_state(s, e->bl);
    sonify_state(s, e->son);
    align_state(s, e->al, ENGINE_MAX_NEURONS - 1u);
}

static void
pitch_section(state_io *s, engine *e, uint32_t span)
{
    pitch_track_state(s, &e->pt, span);
    fi_curve_state(s, &e->fc);
}

/* the recorded units' spikes queued ahead, oldest first */
static void
recorded_section(state_io *s, engine *e, uint32_t span)
{
    (void)span;
    state_u32_max(s, "recorded queue head", &e->rec_head, 1, ENGINE_RECORDED_QUEUE - 1u);
    const uint32_t count =
        state_count(s, "recorded spikes queued", e->rec_count, ENGINE_RECORDED_QUEUE);
    for (uint32_t k = 0; k < count; ++k) {
        recorded_spike r = e->rec[(e->rec_head + k) % ENGINE_RECORDED_QUEUE];
        state_u64(s, "recorded spike", &r.frame, 1);
        state_f32_finite(s, "recorded spike", &r.frac, 1);
        state_u32_max(s, "recorded spike", &r.unit, 1, ENGINE_MAX_NEURONS - 1u);
        if (s->mode == STATE_LOAD)
            e->rec[(e->rec_head + k) % ENGINE_RECORDED_QUEUE] = r;
    }
    if (s->mode == STATE_LOAD)
        e->rec_count = count;
}

/* The one list of sections, in file order (after the synapses'). */
static const struct {
    const char *tag;
    void (*walk)(state_io *s, engine *e, uint32_t span);
} sections[] = {
    {"engine", core_state},     {"bank", bank_section},   {"voices", voices_section},
    {"output", output_section}, {"pitch", pitch_section}, {"recorded", recorded_section},
};
#define N_SECTIONS (sizeof sections / sizeof sections[0])
#define SYNAPSES_TAG "synapses"
#define HOST_TAG "host"

/* ---- the header ---------------------------------------------------------- */

typedef struct {
    int version;
    double rate;
    char isa[24], model[24];
    unsigned neurons, synapses, span;
    unsigned long long seed, frames;
    float connectivity;
} header;

static header
header_of(const engine *e, uint32_t span)
{
    header h = {
        .version = ENGINE_STATE_VERSION,
        .rate = e->sample_rate,
        .neurons = (unsigned)e->params[P_NEURONS],
        .synapses = e->syn ? e->syn->count : 0u,
        .span = span,
        .seed = (unsigned long long)e->params[P_SEED],
        .frames = (unsigned long long)e->stats.frames,
        .connectivity = e->params[P_CONNECTIVITY],
    };
    snprintf(h.isa, sizeof h.isa, "%s", simd_name(e->isa));
    snprintf(h.model, sizeof h.model, "%s", model_info_of((int)e->params[P_MODEL])->symbol);
    return h;
}

static void
format_header(const header *h, uint8_t *out)
{
    char line[ENGINE_STATE_HEADER];
    int len = snprintf(line, sizeof line,
                       "%s %d rate=%.17g isa=%s model=%s neurons=%u seed=%llu connectivity=%.9g "
                       "synapses=%u span=%u frames=%llu",
                       ENGINE_STATE_TITLE, h->version, h->rate, h->isa, h->model, h->neurons,
                       h->seed, (double)h->connectivity, h->synapses, h->span, h->frames);
    memset(out, ' ', ENGINE_STATE_HEADER);
    memcpy(out, line, (size_t)len < ENGINE_STATE_HEADER - 1 ? (size_t)len : ENGINE_STATE_HEADER - 1);
    out[ENGINE_STATE_HEADER - 1] = '\n';
}

static bool
fail(char *err, size_t len, const char *msg)
{
    snprintf(err, len, "%s", msg);
    return false;
}

bool
engine_state_is_one(const uint8_t *data, size_t size)
{
    return size >= sizeof ENGINE_STATE_TITLE &&
           memcmp(data, ENGINE_STATE_TITLE " ", sizeof ENGINE_STATE_TITLE) == 0;
}

static bool
parse_header(const uint8_t *data, size_t size, header *h, char *err, size_t err_len)
{
    if (!engine_state_is_one(data, size))
        return fail(err, err_len, "not a Hillock state file (no 'hillock-state' header)");
    if (size < ENGINE_STATE_HEADER)
        return fail(err, err_len, "truncated: the file ends inside its header");
    char line[ENGINE_STATE_HEADER + 1];
    memcpy(line, data, ENGINE_STATE_HEADER);
    line[ENGINE_STATE_HEADER] = '\0';
    memset(h, 0, sizeof *h);
    if (sscanf(line, ENGINE_STATE_TITLE " %d", &h->version) != 1)
        return fail(err, err_len, "the state file's header has no version");
    if (h->version != ENGINE_STATE_VERSION) {
        snprintf(err, err_len, "state file version %d; this Hillock reads version %d",
                 h->version, ENGINE_STATE_VERSION);
        return false;
    }
    if (sscanf(line,
               ENGINE_STATE_TITLE " %*d rate=%lf isa=%23s model=%23s neurons=%u seed=%llu "
                                  "connectivity=%g synapses=%u span=%u frames=%llu",
               &h->rate, h->isa, h->model, &h->neurons, &h->seed, &h->connectivity,
               &h->synapses, &h->span, &h->frames) != 9)
        return fail(err, err_len, "the state file's header does not name its configuration");
    return true;
}

uint64_t
engine_state_clock(const uint8_t *data, size_t size)
{
    header h;
    char err[256];
    return parse_header(data, size, &h, err, sizeof err) ? h.frames : 0u;
}

/* The header against the engine that loads it. */
static bool
same_configuration(const header *h, const header *mine, uint32_t capacity, char *err,
                   size_t err_len)
{
    if (h->rate != mine->rate || strcmp(h->isa, mine->isa) != 0 ||
        strcmp(h->model, mine->model) != 0 || h->neurons != mine->neurons ||
        h->seed != mine->seed || h->connectivity != mine->connectivity ||
        h->synapses != mine->synapses) {
        snprintf(err, err_len,
                 "a state of another configuration (%.17g Hz, isa %s, model %s, %u neurons, "
                 "seed %llu, connectivity %g, %u stored synapses); this one is %.17g Hz, isa %s, "
                 "model %s, %u neurons, seed %llu, connectivity %g, %u stored synapses",
                 h->rate, h->isa, h->model, h->neurons, h->seed, (double)h->connectivity,
                 h->synapses, mine->rate, mine->isa, mine->model, mine->neurons, mine->seed,
                 (double)mine->connectivity, mine->synapses);
        return false;
    }
    if (h->span < mine->span || h->span > capacity || h->span % 16u != 0) {
        snprintf(err, err_len, "the state's arrays hold %u neurons, which this bank cannot take "
                               "(damaged file)", h->span);
        return false;
    }
    return true;
}

/* ---- save ---------------------------------------------------------------- */

bool
engine_state_savable(const engine *e, char *err, size_t err_len)
{
    if (e->fade_state == FADE_SETTLE ||
        atomic_load_explicit(&e->settle_job, memory_order_acquire) != SETTLE_JOB_NONE)
        return fail(err, err_len,
                    "the state cannot be saved while the settled start pre-rolls");
    return true;
}

static void
put_tag(state_io *s, const char *tag, size_t *length_at)
{
    uint8_t name[TAG_BYTES] = {0};
    memcpy(name, tag, strlen(tag));
    state_u8(s, "tag", name, TAG_BYTES);
    uint64_t zero = 0;
    *length_at = s->pos;
    state_u64(s, "length", &zero, 1);
}

static void
end_tag(state_io *s, size_t length_at)
{
    if (!s->failed)
        le_put64(s->out + length_at, (uint64_t)(s->pos - length_at - 8u));
}

bool
engine_state_save(engine *e, uint8_t **data, size_t *size, char *err, size_t err_len)
{
    if (!engine_state_savable(e, err, err_len))
        return false;
    const uint32_t span = span_of(e);
    state_io s = {.mode = STATE_SAVE};
    uint8_t head[ENGINE_STATE_HEADER];
    header h = header_of(e, span);
    format_header(&h, head);
    state_u8(&s, "header", head, ENGINE_STATE_HEADER);

    size_t at = 0;
    put_tag(&s, SYNAPSES_TAG, &at);
    if (e->syn) {
        uint8_t *syn = NULL;
        size_t syn_size = 0;
        if (!synapse_state_format(e->syn, &syn, &syn_size)) {
            free(s.out);
            return fail(err, err_len, "out of memory");
        }
        state_u8(&s, "synapses", syn, syn_size);
        free(syn);
    }
    end_tag(&s, at);
    for (size_t k = 0; k < N_SECTIONS; ++k) {
        s.section = sections[k].tag;
        put_tag(&s, sections[k].tag, &at);
        sections[k].walk(&s, e, span);
        end_tag(&s, at);
    }
    if (s.failed) {
        free(s.out);
        return fail(err, err_len, s.err);
    }
    *data = s.out;
    *size = s.pos;
    return true;
}

/* ---- load ---------------------------------------------------------------- */

typedef struct {
    size_t at, length; /* the section's payload */
} located;

/* The next section: its tag must be `tag`, its payload inside the file. */
static bool
locate(const uint8_t *data, size_t size, size_t *pos, const char *tag, located *out,
       char *err, size_t err_len)
{
    if (size - *pos < TAG_BYTES + 8u) {
        snprintf(err, err_len, "truncated: the file ends before section '%s'", tag);
        return false;
    }
    char name[TAG_BYTES + 1];
    memcpy(name, data + *pos, TAG_BYTES);
    name[TAG_BYTES] = '\0';
    if (strncmp(name, tag, TAG_BYTES) != 0) {
        for (size_t i = 0; i < TAG_BYTES; ++i)
            if (name[i] && (name[i] < 0x20 || name[i] > 0x7e))
                name[i] = '?';
        snprintf(err, err_len, "section '%s' expected where the file has '%s' (damaged file)",
                 tag, name);
        return false;
    }
    const uint64_t length = le_get64(data + *pos + TAG_BYTES);
    *pos += TAG_BYTES + 8u;
    if (length > size - *pos) {
        snprintf(err, err_len, "truncated: section '%s' needs %llu bytes, the file has %zu more",
                 tag, (unsigned long long)length, size - *pos);
        return false;
    }
    out->at = *pos;
    out->length = (size_t)length;
    *pos += (size_t)length;
    return true;
}

static bool
walk_section(engine *e, size_t k, const uint8_t *data, located where, uint32_t span,
             state_mode mode, char *err, size_t err_len)
{
    state_io s = {.mode = mode, .in = data, .pos = where.at, .end = where.at + where.length,
                  .section = sections[k].tag};
    sections[k].walk(&s, e, span);
    if (!s.failed && s.pos != s.end)
        snprintf(s.err, sizeof s.err, "section '%s': %zu bytes where %zu were read (damaged "
                 "file or another build)", sections[k].tag, where.length, s.pos - where.at),
            s.failed = true;
    if (s.failed)
        return fail(err, err_len, s.err);
    return true;
}

bool
engine_state_load(engine *e, const uint8_t *data, size_t size, float w_limit, char *err,
                  size_t err_len)
{
    header h;
    if (!parse_header(data, size, &h, err, err_len))
        return false;
    const header mine = header_of(e, span_of(e));
    if (!same_configuration(&h, &mine, e->bank->capacity, err, err_len))
        return false;

    /* check: every section read, nothing stored */
    size_t pos = ENGINE_STATE_HEADER;
    located syn, where[N_SECTIONS];
    if (!locate(data, size, &pos, SYNAPSES_TAG, &syn, err, err_len))
        return false;
    if ((syn.length == 0) != (e->syn == NULL))
        return fail(err, err_len, "section 'synapses' does not match the stored synapses "
                                  "(damaged file)");
    for (size_t k = 0; k < N_SECTIONS; ++k)
        if (!locate(data, size, &pos, sections[k].tag, &where[k], err, err_len) ||
            !walk_section(e, k, data, where[k], h.span, STATE_CHECK, err, err_len))
            return false;
    located host;
    if (pos < size && size - pos >= TAG_BYTES && strncmp((const char *)data + pos, HOST_TAG,
                                                        TAG_BYTES) == 0 &&
        !locate(data, size, &pos, HOST_TAG, &host, err, err_len))
        return false;
    if (pos != size) {
        snprintf(err, err_len, "trailing data: %zu bytes after the last section", size - pos);
        return false;
    }

    /* the synapses check themselves as they load, and change nothing when
     * they refuse: first, before anything else is changed */
    if (e->syn) {
        char why[400];
        if (!synapse_state_parse(e->syn, data + syn.at, syn.length, w_limit, why, sizeof why)) {
            snprintf(err, err_len, "section 'synapses': %s", why);
            return false;
        }
        e->syn->resume = 0; /* its activity continues here, not at a fresh start */
    }

    /* load; derive what the running parameters decide; load again over
     * whatever the derivation set (engine_params.c) */
    for (int pass = 0; pass < 2; ++pass) {
        for (size_t k = 0; k < N_SECTIONS; ++k)
            walk_section(e, k, data, where[k], h.span, STATE_LOAD, err, err_len);
        if (pass == 0)
            engine_derive_running(e);
    }
    e->fresh = 0;
    e->settle_again = 0;
    e->settle_waited = 0;
    atomic_store_explicit(&e->settle_job, SETTLE_JOB_NONE, memory_order_relaxed);
    atomic_store_explicit(&e->settle_signal, false, memory_order_relaxed);
    weight_census_reset(&e->census);
    return true;
}

/* ---- the host's own section ---------------------------------------------- */

bool
engine_state_add_host(uint8_t **data, size_t *size, const uint8_t *host, size_t host_size)
{
    uint8_t *grown = realloc(*data, *size + TAG_BYTES + 8u + host_size);
    if (!grown)
        return false;
    uint8_t *p = grown + *size;
    memset(p, 0, TAG_BYTES);
    memcpy(p, HOST_TAG, strlen(HOST_TAG));
    le_put64(p + TAG_BYTES, (uint64_t)host_size);
    if (host_size)
        memcpy(p + TAG_BYTES + 8u, host, host_size);
    *data = grown;
    *size += TAG_BYTES + 8u + host_size;
    return true;
}

bool
engine_state_host(const uint8_t *data, size_t size, const uint8_t **host, size_t *host_size)
{
    /* the sections' framing, as engine_state_load has checked it */
    size_t pos = ENGINE_STATE_HEADER;
    while (size - pos >= TAG_BYTES + 8u) {
        const uint64_t length = le_get64(data + pos + TAG_BYTES);
        if (length > size - pos - TAG_BYTES - 8u)
            return false;
        if (strncmp((const char *)data + pos, HOST_TAG, TAG_BYTES) == 0) {
            *host = data + pos + TAG_BYTES + 8u;
            *host_size = (size_t)length;
            return true;
        }
        pos += TAG_BYTES + 8u + (size_t)length;
    }
    return false;
}
