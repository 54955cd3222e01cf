/* notify.c — the plugin -> UI notification (specified in uris.h). */
#include "notify.h"

#include "uris.h"
#include "view.h"

#include "rng.h"
#include "zeroed.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_POINTS ((uint32_t)HILLOCK_NOTIFY_MAX_POINTS)
/* A block that skips samples keeps a full message's worth: the ring then
 * holds that block's newest samples alone, contiguous. */
_Static_assert(FOCUS_TRACE_MAX >= HILLOCK_NOTIFY_MAX_POINTS, "a skipping block fills a message");

bool
notify_init(hillock_notify *n, LV2_URID_Map *map, double sample_rate)
{
    memset(n, 0, sizeof *n);
#define MAP(name) n->u.name = map->map(map->handle, HILLOCK_NOTIFICATION_URI(name));
    HILLOCK_NOTIFICATION_TERMS(MAP)
#undef MAP
    n->sample_rate = sample_rate;
    long period = lround(sample_rate / HILLOCK_NOTIFY_HZ);
    n->period = period < 1 ? 1u : (uint32_t)period;
    n->mask_period = (uint32_t)sample_rate; /* about once a second */
    /* the rings and the same laid out oldest first, in one allocation;
     * run() writes all of these: every page written now (zeroed.h) */
    n->ring_soma = zeroed_alloc(6u * MAX_POINTS * sizeof(float), 1);
    if (n->ring_soma) {
        n->ring_dend = n->ring_soma + MAX_POINTS;
        n->ring_slow = n->ring_dend + MAX_POINTS;
        n->soma = n->ring_slow + MAX_POINTS;
        n->dend = n->soma + MAX_POINTS;
        n->slow = n->dend + MAX_POINTS;
    }
    n->spike_neuron = zeroed_alloc(HILLOCK_NOTIFY_MAX_SPIKES * sizeof(int32_t), 1);
    n->spike_time = zeroed_alloc(HILLOCK_NOTIFY_MAX_SPIKES * sizeof(float), 1);
    if (!n->ring_soma || !n->spike_neuron || !n->spike_time) {
        notify_free(n);
        return false;
    }
    notify_restart(n);
    return true;
}

void
notify_free(hillock_notify *n)
{
    zeroed_free(n->ring_soma);
    zeroed_free(n->spike_neuron);
    zeroed_free(n->spike_time);
    n->ring_soma = n->ring_dend = n->ring_slow = NULL;
    n->soma = n->dend = n->slow = NULL;
    n->spike_neuron = NULL;
    n->spike_time = NULL;
}

static void
start_collecting(hillock_notify *n, uint64_t frame)
{
    n->frame = frame;
    n->frames = 0;
    n->taken = 0;
    n->skipped = 0;
    n->n_spikes = 0;
    n->spikes_lost = 0;
    n->spikes_offered = 0;
}

void
notify_restart(hillock_notify *n)
{
    start_collecting(n, 0);
    n->mask_neurons = 0;
    n->frames_since_mask = 0;
    n->want_mask = true;
}

void
notify_set_ui_open(hillock_notify *n, bool open)
{
    if (open == n->ui_open)
        return;
    n->ui_open = open;
    start_collecting(n, n->frame + n->frames);
    n->want_mask = true;
}

/* Append a block's focus samples to the ring. Samples of another spacing
 * (the speed moved) cannot share the message's one focusStep: those held
 * are dropped and counted as skipped. */
static void
collect_focus(hillock_notify *n, const focus_trace *t)
{
    uint32_t count = focus_trace_count(t);
    if (count == 0)
        return;
    if (n->taken && fabsf(t->step_ms - n->step_ms) > 0.02f * n->step_ms) {
        n->skipped += n->taken;
        n->taken = 0;
    }
    if (n->taken == 0) {
        n->step_ms = t->step_ms;
        n->step_frames = t->step_frames;
    }
    n->skipped += focus_trace_skipped(t);
    for (uint32_t k = 0; k < count; ++k) {
        uint32_t from = focus_trace_index(t, k), to = n->taken++ % MAX_POINTS;
        n->ring_soma[to] = t->soma[from];
        n->ring_dend[to] = t->dend[from];
        n->ring_slow[to] = t->slow[from];
    }
}

/* The ring laid out oldest first; returns the samples and adds the ones
 * overwritten to n->skipped. */
static uint32_t
lay_out_focus(hillock_notify *n)
{
    uint32_t count = n->taken < MAX_POINTS ? n->taken : MAX_POINTS;
    uint32_t first = n->taken > MAX_POINTS ? n->taken % MAX_POINTS : 0u;
    n->skipped += n->taken - count;
    for (uint32_t k = 0; k < count; ++k) {
        uint32_t i = (first + k) % MAX_POINTS;
        n->soma[k] = n->ring_soma[i];
        n->dend[k] = n->ring_dend[i];
        n->slow[k] = n->ring_slow[i];
    }
    return count;
}

void
notify_collect(hillock_notify *n, const engine_io *io, uint32_t n_frames)
{
    if (!n->ui_open) {
        n->frame += n_frames;
        return;
    }
    if (n_frames)
        n->rate_hz = io->cv_rate[n_frames - 1] * 1000.0f; /* CV: 1 V per kHz */
    for (uint32_t k = 0; k < io->n_spikes; ++k) {
        /* a full message keeps an even sample of the spikes since the last
         * one, so a dense raster thins evenly instead of losing its end */
        int64_t slot = n->n_spikes < HILLOCK_NOTIFY_MAX_SPIKES
                           ? (int64_t)n->n_spikes++
                           : rng_reservoir_slot(n->spikes_offered + 1u, HILLOCK_NOTIFY_MAX_SPIKES,
                                                (uint32_t)n->frame);
        if (n->spikes_offered >= HILLOCK_NOTIFY_MAX_SPIKES)
            n->spikes_lost++;
        n->spikes_offered++;
        if (slot >= 0) {
            n->spike_neuron[slot] = (int32_t)io->spikes[k].neuron;
            n->spike_time[slot] = (float)n->frames + io->spikes[k].frame;
        }
    }
    n->spikes_lost += io->spikes_lost;

    const focus_trace *t = io->display.focus_trace;
    if (t)
        collect_focus(n, t);
    n->frames += n_frames;
    n->frames_since_mask += n_frames;
}

bool
notify_due(const hillock_notify *n)
{
    return n->frames >= n->period;
}

/* Heap sort of the kept spikes by time, in place (no allocation, unlike
 * glibc's qsort): a full list holds a reservoir sample, whose replaced
 * slots are out of order, and uris.h promises ascending times (the UI's
 * raster reads them newest first and stops at the first one too old). */
static void
sift_down(float *t, int32_t *who, uint32_t root, uint32_t n)
{
    for (uint32_t child; (child = 2u * root + 1u) < n; root = child) {
        if (child + 1u < n && t[child + 1u] > t[child])
            child++;
        if (!(t[child] > t[root]))
            return;
        float tt = t[root];
        t[root] = t[child];
        t[child] = tt;
        int32_t ww = who[root];
        who[root] = who[child];
        who[child] = ww;
    }
}

static void
sort_spikes(float *t, int32_t *who, uint32_t n)
{
    for (uint32_t i = n / 2u; i-- > 0;)
        sift_down(t, who, i, n);
    for (uint32_t end = n; end-- > 1u;) {
        float tt = t[0];
        t[0] = t[end];
        t[end] = tt;
        int32_t ww = who[0];
        who[0] = who[end];
        who[end] = ww;
        sift_down(t, who, 0, end);
    }
}

/* Rebuild the inhibitory mask; true if it differs from the last one sent. */
static bool
update_mask(hillock_notify *n, const uint8_t *inhibitory, uint32_t neurons)
{
    bool changed = hillock_mask_pack(n->mask, inhibitory, neurons) || neurons != n->mask_neurons;
    n->mask_neurons = neurons;
    return changed;
}

/* Bytes one property holding an atom body of `body` bytes takes. */
static uint32_t
prop_size(uint32_t body)
{
    return (uint32_t)sizeof(LV2_Atom_Property_Body) + lv2_atom_pad_size(body);
}

bool
notify_send(hillock_notify *n, LV2_Atom_Forge *forge, int64_t frame, uint32_t reserve,
            const engine_display *d)
{
    const notify_urids *u = &n->u;
    uint32_t neurons = d->neurons;
    if (neurons > ENGINE_MAX_NEURONS)
        neurons = ENGINE_MAX_NEURONS;
    bool mask_changed = update_mask(n, d->inhibitory, neurons);
    bool with_mask = mask_changed || n->want_mask || n->frames_since_mask >= n->mask_period;
    uint32_t mask_words = (neurons + 31u) / 32u;
    uint32_t n_points = lay_out_focus(n);
    if (n->spikes_lost)
        sort_spikes(n->spike_time, n->spike_neuron, n->n_spikes);

    const uint32_t vec = sizeof(LV2_Atom_Vector_Body);
    uint32_t need = (uint32_t)sizeof(LV2_Atom_Event) + (uint32_t)sizeof(LV2_Atom_Object) +
                    prop_size(8) * 2 /* Long frame; (Int frames) padded */ +
                    prop_size(4) * 15 /* scalar Int/Float keys */ +
                    prop_size(vec + 4 * n_points) * 3 +
                    prop_size(vec + 4 * n->n_spikes) * 2 +
                    (with_mask ? prop_size(vec + 4 * mask_words) : 0) +
                    (d->weights ? prop_size(vec + 4 * WEIGHT_CENSUS_BINS) + prop_size(4) * 2
                                : 0);
    bool fits = forge->buf && forge->offset + need + reserve <= forge->size;
    if (fits) {
        LV2_Atom_Forge_Frame obj;
        lv2_atom_forge_frame_time(forge, frame);
        lv2_atom_forge_object(forge, &obj, 0, u->Notification);
        lv2_atom_forge_key(forge, u->frame);
        lv2_atom_forge_long(forge, (int64_t)n->frame);
        lv2_atom_forge_key(forge, u->frames);
        lv2_atom_forge_int(forge, (int32_t)n->frames);
        lv2_atom_forge_key(forge, u->sampleRate);
        lv2_atom_forge_float(forge, (float)n->sample_rate);
        lv2_atom_forge_key(forge, u->focusStep);
        lv2_atom_forge_float(forge, n->step_ms);
        lv2_atom_forge_key(forge, u->focusFrames);
        lv2_atom_forge_float(forge, n->step_frames);
        lv2_atom_forge_key(forge, u->focusSoma);
        lv2_atom_forge_vector(forge, sizeof(float), forge->Float, n_points, n->soma);
        lv2_atom_forge_key(forge, u->focusDendrite);
        lv2_atom_forge_vector(forge, sizeof(float), forge->Float, n_points, n->dend);
        lv2_atom_forge_key(forge, u->focusSlow);
        lv2_atom_forge_vector(forge, sizeof(float), forge->Float, n_points, n->slow);
        lv2_atom_forge_key(forge, u->focusSkipped);
        lv2_atom_forge_int(forge, (int32_t)n->skipped);
        lv2_atom_forge_key(forge, u->slow);
        lv2_atom_forge_float(forge, neurons ? d->focus_slow : 0.0f);
        lv2_atom_forge_key(forge, u->spikeNeuron);
        lv2_atom_forge_vector(forge, sizeof(int32_t), forge->Int, n->n_spikes,
                              n->spike_neuron);
        lv2_atom_forge_key(forge, u->spikeTime);
        lv2_atom_forge_vector(forge, sizeof(float), forge->Float, n->n_spikes,
                              n->spike_time);
        lv2_atom_forge_key(forge, u->spikesLost);
        lv2_atom_forge_int(forge, (int32_t)n->spikes_lost);
        lv2_atom_forge_key(forge, u->rate);
        lv2_atom_forge_float(forge, n->rate_hz);
        lv2_atom_forge_key(forge, u->neurons);
        lv2_atom_forge_int(forge, (int32_t)neurons);
        lv2_atom_forge_key(forge, u->focus);
        lv2_atom_forge_int(forge, (int32_t)d->focus);
        lv2_atom_forge_key(forge, u->tempoScale);
        lv2_atom_forge_float(forge, d->tempo_scale);
        lv2_atom_forge_key(forge, u->tempoError);
        lv2_atom_forge_float(forge, d->tempo_error);
        lv2_atom_forge_key(forge, u->pitchLow);
        lv2_atom_forge_float(forge, d->pitch_lo_hz);
        lv2_atom_forge_key(forge, u->pitchHigh);
        lv2_atom_forge_float(forge, d->pitch_hi_hz);
        lv2_atom_forge_key(forge, u->pitchClamped);
        lv2_atom_forge_int(forge, d->pitch_clamped);
        if (with_mask) {
            lv2_atom_forge_key(forge, u->inhibitoryMask);
            lv2_atom_forge_vector(forge, sizeof(int32_t), forge->Int, mask_words, n->mask);
            n->want_mask = false;
            n->frames_since_mask = 0;
        }
        if (d->weights) {
            lv2_atom_forge_key(forge, u->weightHist);
            lv2_atom_forge_vector(forge, sizeof(int32_t), forge->Int, WEIGHT_CENSUS_BINS,
                                  d->weights->bins);
            lv2_atom_forge_key(forge, u->weightMax);
            lv2_atom_forge_float(forge, d->weights->w_max);
            lv2_atom_forge_key(forge, u->weightStride);
            lv2_atom_forge_int(forge, (int32_t)d->weights->stride);
        }
        lv2_atom_forge_pop(forge, &obj);
    } else {
        n->dropped++;
        /* a changed mask must still reach the UI: send it next time */
        n->want_mask |= mask_changed;
    }
    /* samples of a dropped notification are skipped for the next one */
    uint32_t unsent = fits ? 0u : n->skipped + n_points;
    start_collecting(n, n->frame + n->frames);
    n->skipped = unsent;
    return fits;
}
