/* notify_view.c — see notify_view.h; the keys are specified in protocol/uris.h. */
#include "notify_view.h"

#include "atom_object.h"

#include <lv2/atom/util.h>
#include <lv2/patch/patch.h>

#include <math.h>

void
hv_urids_map(hv_urids *u, LV2_URID_Map *map)
{
#define MAP(field, uri) u->field = map->map(map->handle, uri)
    MAP(atom_Float, LV2_ATOM__Float);
    MAP(atom_Int, LV2_ATOM__Int);
    MAP(atom_Long, LV2_ATOM__Long);
    MAP(atom_Vector, LV2_ATOM__Vector);
    MAP(atom_Object, LV2_ATOM__Object);
    MAP(atom_eventTransfer, LV2_ATOM__eventTransfer);
    MAP(patch_Get, LV2_PATCH__Get);
    MAP(UiOn, HILLOCK__UiOn);
    MAP(UiOff, HILLOCK__UiOff);
#define MAP_TERM(name) MAP(name, HILLOCK_NOTIFICATION_URI(name));
    HILLOCK_NOTIFICATION_TERMS(MAP_TERM)
#undef MAP_TERM
#undef MAP
}

/* A vector of 4-byte children of the given type, or NULL; *n its length. */
static const void *
vector_of(const LV2_Atom *a, LV2_URID vector_type, LV2_URID child_type, uint32_t *n)
{
    *n = 0;
    if (!a || a->type != vector_type || a->size < sizeof(LV2_Atom_Vector_Body))
        return NULL;
    const LV2_Atom_Vector_Body *body = (const LV2_Atom_Vector_Body *)(a + 1);
    if (body->child_type != child_type || body->child_size != 4)
        return NULL;
    *n = (a->size - (uint32_t)sizeof *body) / 4u;
    return body + 1;
}

static bool
number_of(const LV2_Atom *a, const hv_urids *u, double *out)
{
    if (!a)
        return false;
    if (a->type == u->atom_Float && a->size >= 4)
        *out = ((const LV2_Atom_Float *)a)->body;
    else if (a->type == u->atom_Int && a->size >= 4)
        *out = ((const LV2_Atom_Int *)a)->body;
    else if (a->type == u->atom_Long && a->size >= 8)
        *out = (double)((const LV2_Atom_Long *)a)->body;
    else
        return false;
    return isfinite(*out);
}

/* The notification's properties this version reads, by key. */
enum {
    K_FRAME, K_FRAMES, K_RATE, K_STEP, K_SOMA, K_DEND, K_SLOW, K_TSLOW, K_SPIKE_NEURON,
    K_SPIKE_TIME, K_LOST, K_NEURONS, K_MASK, K_FSTEP, K_FFRAMES, K_FSOMA, K_FDEND, K_FSLOW,
    K_FSKIPPED, K_WHIST, K_WMAX, K_WSTRIDE, K_TSCALE, K_TERROR, K_PLO, K_PHI, K_PCLAMPED,
    K_COUNT
};

/* a[k]: the value of the property with key k, or NULL. Unknown keys are
 * ignored (uris.h: future versions may add some). */
static void
properties_of(const LV2_Atom_Object *obj, const hv_urids *u, const LV2_Atom *a[K_COUNT])
{
    const LV2_URID key[K_COUNT] = {
        [K_FRAME] = u->frame, [K_FRAMES] = u->frames, [K_RATE] = u->sampleRate,
        [K_STEP] = u->traceStep, [K_SOMA] = u->traceSoma, [K_DEND] = u->traceDendrite,
        [K_SLOW] = u->slow, [K_TSLOW] = u->traceSlow, [K_SPIKE_NEURON] = u->spikeNeuron,
        [K_SPIKE_TIME] = u->spikeTime, [K_LOST] = u->spikesLost, [K_NEURONS] = u->neurons,
        [K_MASK] = u->inhibitoryMask, [K_FSTEP] = u->focusStep, [K_FFRAMES] = u->focusFrames,
        [K_FSOMA] = u->focusSoma, [K_FDEND] = u->focusDendrite, [K_FSLOW] = u->focusSlow,
        [K_FSKIPPED] = u->focusSkipped, [K_WHIST] = u->weightHist, [K_WMAX] = u->weightMax,
        [K_WSTRIDE] = u->weightStride, [K_TSCALE] = u->tempoScale, [K_TERROR] = u->tempoError,
        [K_PLO] = u->pitchLow, [K_PHI] = u->pitchHigh, [K_PCLAMPED] = u->pitchClamped,
    };
    for (int k = 0; k < K_COUNT; ++k)
        a[k] = NULL;
    LV2_ATOM_OBJECT_FOREACH (obj, p)
        for (int k = 0; k < K_COUNT; ++k)
            if (p->key == key[k]) {
                a[k] = &p->value;
                break;
            }
}

/* The instrument's state: tempo lock and pitch tracking. */
static void
apply_instrument(hillock_view *v, const hv_urids *u, const LV2_Atom *const a[K_COUNT])
{
    double x;
    if (!number_of(a[K_TSCALE], u, &x) || !(x > 0))
        return;
    v->instrument_known = true;
    v->tempo_scale = (float)x;
    /* a NaN error (no event yet) is no number: it stays NAN */
    const LV2_Atom *te = a[K_TERROR];
    v->tempo_error = te && te->type == u->atom_Float && te->size >= 4
                         ? ((const LV2_Atom_Float *)te)->body
                         : NAN;
    v->pitch_lo_hz = number_of(a[K_PLO], u, &x) && x > 0 ? (float)x : 0.0f;
    v->pitch_hi_hz = number_of(a[K_PHI], u, &x) && x > 0 ? (float)x : 0.0f;
    v->pitch_clamped = number_of(a[K_PCLAMPED], u, &x) && x >= 0 && x < 128 ? (int)x : -1;
}

/* The learned weights' histogram. */
static void
apply_weights(hillock_view *v, const hv_urids *u, const LV2_Atom *const a[K_COUNT])
{
    uint32_t n_whist;
    const int32_t *whist = vector_of(a[K_WHIST], u->atom_Vector, u->atom_Int, &n_whist);
    double wmax = 0, wstride = 1;
    if (!whist || !number_of(a[K_WMAX], u, &wmax))
        return;
    if (!number_of(a[K_WSTRIDE], u, &wstride) || wstride < 1)
        wstride = 1;
    hillock_view_set_weights(v, whist, n_whist, (float)wmax, (uint32_t)fmin(wstride, 1e9));
}

/* The block's spikes, ascending, so each lands in its own rate bin, and
 * those the plugin could not list. */
static void
apply_spikes(hillock_view *v, const hv_urids *u, const LV2_Atom *const a[K_COUNT],
             double frame, double sr)
{
    uint32_t n_sn, n_st;
    const int32_t *sn = vector_of(a[K_SPIKE_NEURON], u->atom_Vector, u->atom_Int, &n_sn);
    const float *st = vector_of(a[K_SPIKE_TIME], u->atom_Vector, u->atom_Float, &n_st);
    uint32_t n_spikes = n_sn < n_st ? n_sn : n_st;
    for (uint32_t k = 0; k < n_spikes; ++k) {
        if (sn[k] < 0 || !isfinite(st[k]))
            continue;
        uint32_t neuron = (uint32_t)sn[k];
        hillock_view_push_spike(v, (frame + st[k]) / sr, neuron,
                                hillock_view_is_inhibitory(v, neuron));
    }
    double x;
    uint32_t lost = number_of(a[K_LOST], u, &x) && x >= 1 ? (uint32_t)fmin(x, 1e9) : 0u;
    if (lost)
        hillock_view_push_lost(v, lost);
    hillock_view_spike_share(v, n_spikes, lost);
}

/* The focus neuron in model time (version 1.2); false if the notification
 * has none. t_end: the block's end, s. */
static bool
apply_focus(hillock_view *v, const hv_urids *u, const LV2_Atom *const a[K_COUNT],
            double t_end, double sr)
{
    uint32_t n_fsoma, n_fdend, n_fslow;
    const float *fsoma = vector_of(a[K_FSOMA], u->atom_Vector, u->atom_Float, &n_fsoma);
    const float *fdend = vector_of(a[K_FDEND], u->atom_Vector, u->atom_Float, &n_fdend);
    const float *fslow = vector_of(a[K_FSLOW], u->atom_Vector, u->atom_Float, &n_fslow);
    double fstep = 0, fframes = 0, fskipped = 0;
    if (!(fsoma && n_fsoma && number_of(a[K_FSTEP], u, &fstep) && fstep > 0 &&
          number_of(a[K_FFRAMES], u, &fframes) && fframes > 0))
        return false;
    if (!number_of(a[K_FSKIPPED], u, &fskipped) || fskipped < 0)
        fskipped = 0;
    hillock_view_push_focus(v, t_end - 1.0 / sr, fframes / sr, fstep, fsoma,
                            n_fdend == n_fsoma ? fdend : NULL, n_fslow == n_fsoma ? fslow : NULL,
                            n_fsoma, (uint32_t)fmin(fskipped, 1e9));
    return true;
}

/* The focus neuron frame by frame (before version 1.2): a sample every
 * `step` frames from t0, s. */
static void
apply_trace(hillock_view *v, const hv_urids *u, const LV2_Atom *const a[K_COUNT], double t0,
            double step, double sr)
{
    uint32_t n_soma, n_dend, n_tslow;
    const float *soma = vector_of(a[K_SOMA], u->atom_Vector, u->atom_Float, &n_soma);
    const float *dend = vector_of(a[K_DEND], u->atom_Vector, u->atom_Float, &n_dend);
    const float *tslow = vector_of(a[K_TSLOW], u->atom_Vector, u->atom_Float, &n_tslow);
    double slow = NAN;
    if (!number_of(a[K_SLOW], u, &slow))
        slow = NAN;
    if (soma && n_soma)
        hillock_view_push_trace_slow(v, t0, step / sr, soma, n_dend == n_soma ? dend : NULL,
                                     n_tslow == n_soma ? tslow : NULL, n_soma, (float)slow);
}

bool
hillock_view_apply_atom(hillock_view *v, const hv_urids *u, const LV2_Atom *atom)
{
    if (!atom || atom->type != u->atom_Object ||
        !atom_object_holds((const LV2_Atom_Object *)atom))
        return false;
    const LV2_Atom_Object *obj = (const LV2_Atom_Object *)atom;
    if (obj->body.otype != u->Notification)
        return false;
    const LV2_Atom *a[K_COUNT];
    properties_of(obj, u, a);

    double frame = 0, frames = 0, sr = 0, step = 1, x;
    /* without a clock nothing can be placed in time */
    if (!number_of(a[K_FRAME], u, &frame) || !number_of(a[K_RATE], u, &sr) || !(sr > 0))
        return false;
    if (!number_of(a[K_FRAMES], u, &frames) || frames < 0)
        frames = 0;
    if (!number_of(a[K_STEP], u, &step) || step < 1)
        step = 1;
    const double t0 = frame / sr, t_end = (frame + frames) / sr;

    if (number_of(a[K_NEURONS], u, &x) && x >= 1)
        v->active_neurons = (uint32_t)x;
    uint32_t n_mask;
    const uint32_t *mask = vector_of(a[K_MASK], u->atom_Vector, u->atom_Int, &n_mask);
    if (mask)
        hillock_view_set_inhibitory_mask(v, mask, n_mask * 32u);

    /* each notification starts where the last ended (or later, after a drop):
     * an earlier start means the plugin restarted its frame count */
    if (t0 < v->now_s - 1e-3)
        hillock_view_restart(v, t0);
    hillock_view_advance(v, t0);

    apply_instrument(v, u, a);
    apply_weights(v, u, a);
    apply_spikes(v, u, a, frame, sr);
    if (!apply_focus(v, u, a, t_end, sr))
        apply_trace(v, u, a, t0, step, sr);
    hillock_view_advance(v, t_end);
    return true;
}
