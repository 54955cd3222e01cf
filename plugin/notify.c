/* notify.c — the plugin -> UI notification (specified in uris.h). */
#include "notify.h"

#include "uris.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool
notify_init(hillock_notify *n, LV2_URID_Map *map, double sample_rate, uint32_t max_chunk)
{
    memset(n, 0, sizeof *n);
#define MAP(name) n->u.name = map->map(map->handle, HILLOCK_NOTIFICATION_URI(name));
    HILLOCK_NOTIFICATION_TERMS(MAP)
#undef MAP
    n->sample_rate = sample_rate;
    long step = lround(sample_rate / HILLOCK_TRACE_HZ);
    n->step = step < 1 ? 1u : (uint32_t)step;
    long period = lround(sample_rate / HILLOCK_NOTIFY_HZ);
    n->period = period < 1 ? 1u : (uint32_t)period;
    n->mask_period = (uint32_t)sample_rate; /* about once a second */
    /* A notification goes out as soon as period frames are in, so it never
     * holds more than period - 1 + one chunk. */
    n->cap_points = (n->period + max_chunk) / n->step + 2;
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
    n->bucket_fill = 0;
    n->n_points = 0;
    n->n_spikes = 0;
    n->spikes_lost = 0;
}

void
notify_restart(hillock_notify *n)
{
    start_collecting(n, 0);
    n->prev_s = n->prev_d = 0.0f;
    n->mask_neurons = 0;
    n->frames_since_mask = 0;
    n->want_mask = true;
}

/* The bucket's extreme farther from the previous point: a spike's peak
 * and the trough after it both survive decimation. */
static float
extreme(float lo, float hi, float prev)
{
    return (hi - prev >= prev - lo) ? hi : lo;
}

static void
display_push(notify_display *d, float soma_mV)
{
    uint32_t w = atomic_load_explicit(&d->written, memory_order_relaxed);
    d->soma_mV[w & (NOTIFY_DISPLAY_POINTS - 1)] = soma_mV;
    atomic_store_explicit(&d->written, w + 1, memory_order_release);
}

void
notify_collect(hillock_notify *n, const float *focus_cv, const float *dend_cv,
               const float *slow, const float *rate_cv, const engine_spike *spikes,
               uint32_t n_spikes, uint32_t spikes_lost, uint32_t n_frames)
{
    if (n_frames)
        atomic_store_explicit(&n->display.rate_hz, rate_cv[n_frames - 1] * 1000.0f,
                              memory_order_relaxed);
    for (uint32_t k = 0; k < n_spikes; ++k) {
        if (n->n_spikes < HILLOCK_NOTIFY_MAX_SPIKES) {
            n->spike_neuron[n->n_spikes] = (int32_t)spikes[k].neuron;
            n->spike_time[n->n_spikes] = (float)n->frames + spikes[k].frame;
            n->n_spikes++;
        } else {
            n->spikes_lost++;
        }
    }
    n->spikes_lost += spikes_lost;

    for (uint32_t f = 0; f < n_frames; ++f) {
        /* CV outputs carry 1 V per 100 mV (engine.h). */
        float s = focus_cv[f] * 100.0f, d = dend_cv[f] * 100.0f, z = slow ? slow[f] : 0.0f;
        if (n->bucket_fill == 0) {
            n->bmin_s = n->bmax_s = s;
            n->bmin_d = n->bmax_d = d;
            n->bslow_min = n->bslow_max = z;
        } else {
            if (s < n->bmin_s) {
                n->bmin_s = s;
                n->bslow_min = z;
            }
            if (s > n->bmax_s) {
                n->bmax_s = s;
                n->bslow_max = z;
            }
            n->bmin_d = fminf(n->bmin_d, d);
            n->bmax_d = fmaxf(n->bmax_d, d);
        }
        if (++n->bucket_fill == n->step) {
            float ps = extreme(n->bmin_s, n->bmax_s, n->prev_s);
            float pd = extreme(n->bmin_d, n->bmax_d, n->prev_d);
            if (n->n_points < n->cap_points) {
                n->soma[n->n_points] = ps;
                n->dend[n->n_points] = pd;
                n->slow[n->n_points] = ps == n->bmax_s ? n->bslow_max : n->bslow_min;
                n->n_points++;
            }
            n->prev_s = ps;
            n->prev_d = pd;
            n->bucket_fill = 0;
            display_push(&n->display, ps);
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
update_mask(hillock_notify *n, const engine *e, uint32_t neurons)
{
    bool changed = neurons != n->mask_neurons;
    uint32_t words = (neurons + 31u) / 32u;
    for (uint32_t w = 0; w < words; ++w) {
        uint32_t bits = 0;
        for (uint32_t b = 0; b < 32u; ++b) {
            uint32_t i = w * 32u + b;
            if (i < neurons && engine_neuron_is_inhibitory(e, i))
                bits |= 1u << b;
        }
        changed |= bits != n->mask[w];
        n->mask[w] = bits;
    }
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
            const engine *e)
{
    const notify_urids *u = &n->u;
    uint32_t neurons = engine_active_neurons(e);
    if (neurons > ENGINE_MAX_NEURONS)
        neurons = ENGINE_MAX_NEURONS;
    bool mask_changed = update_mask(n, e, neurons);
    bool with_mask = mask_changed || n->want_mask || n->frames_since_mask >= n->mask_period;
    uint32_t mask_words = (neurons + 31u) / 32u;
    uint32_t focus = (uint32_t)engine_get_param(e, P_FOCUS);
    if (neurons && focus >= neurons)
        focus = neurons - 1;
    atomic_store_explicit(&n->display.neurons, neurons, memory_order_relaxed);

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
        lv2_atom_forge_float(forge, neurons ? engine_focus_slow(e) : 0.0f);
        lv2_atom_forge_key(forge, u->spikeNeuron);
        lv2_atom_forge_vector(forge, sizeof(int32_t), forge->Int, n->n_spikes,
                              n->spike_neuron);
        lv2_atom_forge_key(forge, u->spikeTime);
        lv2_atom_forge_vector(forge, sizeof(float), forge->Float, n->n_spikes,
                              n->spike_time);
        lv2_atom_forge_key(forge, u->spikesLost);
        lv2_atom_forge_int(forge, (int32_t)n->spikes_lost);
        lv2_atom_forge_key(forge, u->rate);
        lv2_atom_forge_float(forge, atomic_load_explicit(&n->display.rate_hz,
                                                         memory_order_relaxed));
        lv2_atom_forge_key(forge, u->neurons);
        lv2_atom_forge_int(forge, (int32_t)neurons);
        lv2_atom_forge_key(forge, u->focus);
        lv2_atom_forge_int(forge, (int32_t)focus);
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
    return fits;
}
