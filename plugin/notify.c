/* notify.c — the plugin -> UI notification (specified in uris.h). */
#include "notify.h"

#include "uris.h"
#include "view.h"

#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Frames per trace point: one point per 1/HILLOCK_TRACE_HZ s of model
 * time, so the UI gets the same model-time resolution at every speed (a
 * point per frame from speed 4 at 48 kHz). */
static uint32_t
trace_step(double sample_rate, float speed)
{
    double model_per_real = speed > 0.0f ? speed : 1.0;
    long step = lround(sample_rate / (HILLOCK_TRACE_HZ * model_per_real));
    return step < 1 ? 1u : (uint32_t)step;
}

bool
notify_init(hillock_notify *n, LV2_URID_Map *map, double sample_rate, uint32_t max_chunk)
{
    memset(n, 0, sizeof *n);
#define MAP(name) n->u.name = map->map(map->handle, HILLOCK_NOTIFICATION_URI(name));
    HILLOCK_NOTIFICATION_TERMS(MAP)
#undef MAP
    n->sample_rate = sample_rate;
    n->step = trace_step(sample_rate, 1.0f);
    long period = lround(sample_rate / HILLOCK_NOTIFY_HZ);
    n->period = period < 1 ? 1u : (uint32_t)period;
    n->mask_period = (uint32_t)sample_rate; /* about once a second */
    /* A notification goes out as soon as period frames are in, so it never
     * holds more than period - 1 + one chunk: that many points at the
     * smallest step, 1. */
    n->cap_points = n->period + max_chunk + 2;
    n->soma = calloc(n->cap_points, sizeof(float));
    n->dend = calloc(n->cap_points, sizeof(float));
    n->slow = calloc(n->cap_points, sizeof(float));
    n->spike_neuron = calloc(HILLOCK_NOTIFY_MAX_SPIKES, sizeof(int32_t));
    n->spike_time = calloc(HILLOCK_NOTIFY_MAX_SPIKES, sizeof(float));
    if (!n->soma || !n->dend || !n->slow || !n->spike_neuron || !n->spike_time) {
        notify_free(n);
        return false;
    }
    notify_restart(n);
    return true;
}

void
notify_free(hillock_notify *n)
{
    free(n->soma);
    free(n->dend);
    free(n->slow);
    free(n->spike_neuron);
    free(n->spike_time);
    n->soma = n->dend = n->slow = NULL;
    n->spike_neuron = NULL;
    n->spike_time = NULL;
}

static void
start_collecting(hillock_notify *n, uint64_t frame)
{
    n->frame = frame;
    n->frames = 0;
    n->decimator.fill = 0;
    n->n_points = 0;
    n->n_spikes = 0;
    n->spikes_lost = 0;
    n->spikes_offered = 0;
}

void
notify_restart(hillock_notify *n)
{
    start_collecting(n, 0);
    trace_decimator_restart(&n->decimator);
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
    trace_decimator_restart(&n->decimator);
    n->want_mask = true;
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

    for (uint32_t f = 0; f < n_frames; ++f) {
        /* CV outputs carry 1 V per 100 mV (engine.h) */
        float z = io->trace_slow ? io->trace_slow[f] : 0.0f;
        trace_point p;
        if (trace_decimator_push(&n->decimator, n->step, io->cv_focus_v[f] * 100.0f,
                                 io->cv_dend_v[f] * 100.0f, z, &p) &&
            n->n_points < n->cap_points) {
            n->soma[n->n_points] = p.soma;
            n->dend[n->n_points] = p.dend;
            n->slow[n->n_points] = p.slow;
            n->n_points++;
        }
    }
    n->frames += n_frames;
    n->frames_since_mask += n_frames;
}

bool
notify_due(const hillock_notify *n)
{
    return n->frames >= n->period;
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

    const uint32_t vec = sizeof(LV2_Atom_Vector_Body);
    uint32_t need = (uint32_t)sizeof(LV2_Atom_Event) + (uint32_t)sizeof(LV2_Atom_Object) +
                    prop_size(8) * 2 /* Long frame; (Int frames) padded */ +
                    prop_size(4) * 8 /* scalar Int/Float keys */ +
                    prop_size(vec + 4 * n->n_points) * 3 +
                    prop_size(vec + 4 * n->n_spikes) * 2 +
                    (with_mask ? prop_size(vec + 4 * mask_words) : 0);
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
        lv2_atom_forge_key(forge, u->traceStep);
        lv2_atom_forge_int(forge, (int32_t)n->step);
        lv2_atom_forge_key(forge, u->traceSoma);
        lv2_atom_forge_vector(forge, sizeof(float), forge->Float, n->n_points, n->soma);
        lv2_atom_forge_key(forge, u->traceDendrite);
        lv2_atom_forge_vector(forge, sizeof(float), forge->Float, n->n_points, n->dend);
        lv2_atom_forge_key(forge, u->traceSlow);
        lv2_atom_forge_vector(forge, sizeof(float), forge->Float, n->n_points, n->slow);
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
        if (with_mask) {
            lv2_atom_forge_key(forge, u->inhibitoryMask);
            lv2_atom_forge_vector(forge, sizeof(int32_t), forge->Int, mask_words, n->mask);
            n->want_mask = false;
            n->frames_since_mask = 0;
        }
        lv2_atom_forge_pop(forge, &obj);
    } else {
        n->dropped++;
        /* a changed mask must still reach the UI: send it next time */
        n->want_mask |= mask_changed;
    }
    start_collecting(n, n->frame + n->frames);
    /* the next notification's step follows the speed (a new bucket starts
     * here, so no point mixes two steps) */
    if (d->params)
        n->step = trace_step(n->sample_rate, d->params[P_SPEED]);
    return fits;
}
