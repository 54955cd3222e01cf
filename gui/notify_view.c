/* notify_view.c — see notify_view.h; the keys are specified in protocol/uris.h. */
#include "notify_view.h"

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

bool
hillock_view_apply_atom(hillock_view *v, const hv_urids *u, const LV2_Atom *atom)
{
    if (!atom || atom->type != u->atom_Object || atom->size < sizeof(LV2_Atom_Object_Body))
        return false;
    const LV2_Atom_Object *obj = (const LV2_Atom_Object *)atom;
    if (obj->body.otype != u->Notification)
        return false;

    const LV2_Atom *a_frame = NULL, *a_frames = NULL, *a_rate_hz = NULL, *a_step = NULL,
                   *a_soma = NULL, *a_dend = NULL, *a_slow = NULL, *a_tslow = NULL, *a_sn = NULL,
                   *a_st = NULL, *a_lost = NULL, *a_neurons = NULL, *a_mask = NULL,
                   *a_fstep = NULL, *a_fframes = NULL, *a_fsoma = NULL, *a_fdend = NULL,
                   *a_fslow = NULL, *a_fskipped = NULL, *a_whist = NULL, *a_wmax = NULL,
                   *a_wstride = NULL, *a_tscale = NULL, *a_terror = NULL, *a_plo = NULL,
                   *a_phi = NULL, *a_pclamped = NULL;
    LV2_ATOM_OBJECT_FOREACH (obj, p) {
        const LV2_Atom *val = &p->value;
        if (p->key == u->frame) a_frame = val;
        else if (p->key == u->frames) a_frames = val;
        else if (p->key == u->sampleRate) a_rate_hz = val;
        else if (p->key == u->traceStep) a_step = val;
        else if (p->key == u->traceSoma) a_soma = val;
        else if (p->key == u->traceDendrite) a_dend = val;
        else if (p->key == u->slow) a_slow = val;
        else if (p->key == u->traceSlow) a_tslow = val;
        else if (p->key == u->spikeNeuron) a_sn = val;
        else if (p->key == u->spikeTime) a_st = val;
        else if (p->key == u->spikesLost) a_lost = val;
        else if (p->key == u->neurons) a_neurons = val;
        else if (p->key == u->inhibitoryMask) a_mask = val;
        else if (p->key == u->focusStep) a_fstep = val;
        else if (p->key == u->focusFrames) a_fframes = val;
        else if (p->key == u->focusSoma) a_fsoma = val;
        else if (p->key == u->focusDendrite) a_fdend = val;
        else if (p->key == u->focusSlow) a_fslow = val;
        else if (p->key == u->focusSkipped) a_fskipped = val;
        else if (p->key == u->weightHist) a_whist = val;
        else if (p->key == u->weightMax) a_wmax = val;
        else if (p->key == u->weightStride) a_wstride = val;
        else if (p->key == u->tempoScale) a_tscale = val;
        else if (p->key == u->tempoError) a_terror = val;
        else if (p->key == u->pitchLow) a_plo = val;
        else if (p->key == u->pitchHigh) a_phi = val;
        else if (p->key == u->pitchClamped) a_pclamped = val;
        /* unknown keys are ignored (uris.h: future versions may add some) */
    }

    double frame = 0, frames = 0, sr = 0, step = 1, x;
    /* without a clock nothing can be placed in time */
    if (!number_of(a_frame, u, &frame) || !number_of(a_rate_hz, u, &sr) || !(sr > 0))
        return false;
    if (!number_of(a_frames, u, &frames) || frames < 0)
        frames = 0;
    if (!number_of(a_step, u, &step) || step < 1)
        step = 1;
    const double t0 = frame / sr, t_end = (frame + frames) / sr;

    if (number_of(a_neurons, u, &x) && x >= 1)
        v->active_neurons = (uint32_t)x;
    uint32_t n_mask;
    const uint32_t *mask = vector_of(a_mask, u->atom_Vector, u->atom_Int, &n_mask);
    if (mask)
        hillock_view_set_inhibitory_mask(v, mask, n_mask * 32u);

    /* each notification starts where the last ended (or later, after a drop):
     * an earlier start means the plugin restarted its frame count */
    if (t0 < v->now_s - 1e-3)
        hillock_view_restart(v, t0);
    hillock_view_advance(v, t0);

    if (number_of(a_tscale, u, &x) && x > 0) {
        v->instrument_known = true;
        v->tempo_scale = (float)x;
        /* a NaN error (no event yet) is no number: it stays NAN */
        v->tempo_error = a_terror && a_terror->type == u->atom_Float && a_terror->size >= 4
                             ? ((const LV2_Atom_Float *)a_terror)->body
                             : NAN;
        v->pitch_lo_hz = number_of(a_plo, u, &x) && x > 0 ? (float)x : 0.0f;
        v->pitch_hi_hz = number_of(a_phi, u, &x) && x > 0 ? (float)x : 0.0f;
        v->pitch_clamped = number_of(a_pclamped, u, &x) && x >= 0 && x < 128 ? (int)x : -1;
    }

    uint32_t n_whist;
    const int32_t *whist = vector_of(a_whist, u->atom_Vector, u->atom_Int, &n_whist);
    double wmax = 0, wstride = 1;
    if (whist && number_of(a_wmax, u, &wmax)) {
        if (!number_of(a_wstride, u, &wstride) || wstride < 1)
            wstride = 1;
        hillock_view_set_weights(v, whist, n_whist, (float)wmax, (uint32_t)fmin(wstride, 1e9));
    }

    /* spikes first, ascending, so each lands in its own rate bin */
    uint32_t n_sn, n_st;
    const int32_t *sn = vector_of(a_sn, u->atom_Vector, u->atom_Int, &n_sn);
    const float *st = vector_of(a_st, u->atom_Vector, u->atom_Float, &n_st);
    uint32_t n_spikes = n_sn < n_st ? n_sn : n_st;
    for (uint32_t k = 0; k < n_spikes; ++k) {
        if (sn[k] < 0 || !isfinite(st[k]))
            continue;
        uint32_t neuron = (uint32_t)sn[k];
        hillock_view_push_spike(v, (frame + st[k]) / sr, neuron,
                                hillock_view_is_inhibitory(v, neuron));
    }
    uint32_t lost = number_of(a_lost, u, &x) && x >= 1 ? (uint32_t)fmin(x, 1e9) : 0u;
    if (lost)
        hillock_view_push_lost(v, lost);
    hillock_view_spike_share(v, n_spikes, lost);

    /* the focus neuron in model time (version 1.2), else frame-based */
    uint32_t n_fsoma, n_fdend, n_fslow;
    const float *fsoma = vector_of(a_fsoma, u->atom_Vector, u->atom_Float, &n_fsoma);
    const float *fdend = vector_of(a_fdend, u->atom_Vector, u->atom_Float, &n_fdend);
    const float *fslow = vector_of(a_fslow, u->atom_Vector, u->atom_Float, &n_fslow);
    double fstep = 0, fframes = 0, fskipped = 0;
    if (fsoma && n_fsoma && number_of(a_fstep, u, &fstep) && fstep > 0 &&
        number_of(a_fframes, u, &fframes) && fframes > 0) {
        if (!number_of(a_fskipped, u, &fskipped) || fskipped < 0)
            fskipped = 0;
        hillock_view_push_focus(v, t_end - 1.0 / sr, fframes / sr, fstep, fsoma,
                                n_fdend == n_fsoma ? fdend : NULL,
                                n_fslow == n_fsoma ? fslow : NULL, n_fsoma,
                                (uint32_t)fmin(fskipped, 1e9));
        hillock_view_advance(v, t_end);
        return true;
    }

    uint32_t n_soma, n_dend;
    const float *soma = vector_of(a_soma, u->atom_Vector, u->atom_Float, &n_soma);
    const float *dend = vector_of(a_dend, u->atom_Vector, u->atom_Float, &n_dend);
    double slow = NAN;
    if (!number_of(a_slow, u, &slow))
        slow = NAN;
    uint32_t n_tslow;
    const float *tslow = vector_of(a_tslow, u->atom_Vector, u->atom_Float, &n_tslow);
    if (soma && n_soma)
        hillock_view_push_trace_slow(v, t0, step / sr, soma, n_dend == n_soma ? dend : NULL,
                                     n_tslow == n_soma ? tslow : NULL, n_soma, (float)slow);
    hillock_view_advance(v, t_end);
    return true;
}
