/* fi_curve.c — the f-I curve of the running model, measured by probe
 * neurons (fi_curve.h). */
#include "fi_curve.h"

#include "pitch_track.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static float *
probe_array(void)
{
    float *p = aligned_alloc(64, FI_POINTS * sizeof(float));
    if (p)
        memset(p, 0, FI_POINTS * sizeof(float));
    return p;
}

int
fi_curve_init(fi_curve *fc)
{
    memset(fc, 0, sizeof *fc);
    int ok = 1;
    for (int k = 0; k < MODEL_MAX_VARS; ++k)
        ok &= (fc->var[k] = probe_array()) != NULL;
    ok &= (fc->current = probe_array()) != NULL;
    ok &= (fc->zeros = probe_array()) != NULL;
    ok &= (fc->frac = probe_array()) != NULL;
    if (!ok)
        fi_curve_free(fc);
    return ok;
}

void
fi_curve_free(fi_curve *fc)
{
    for (int k = 0; k < MODEL_MAX_VARS; ++k)
        free(fc->var[k]);
    free(fc->current);
    free(fc->zeros);
    free(fc->frac);
    memset(fc, 0, sizeof *fc);
}

/* What shapes the curve: everything of mp but the step, its tables and the
 * instruction set. */
static int
same_key(const model_params *a, const model_params *b)
{
    return a->phi == b->phi && a->threshold == b->threshold && a->pr_gc == b->pr_gc &&
           a->pr_p == b->pr_p && a->izh_a == b->izh_a && a->izh_b == b->izh_b &&
           a->izh_c == b->izh_c && a->izh_d == b->izh_d && a->hr_r == b->hr_r;
}

static void
start(fi_curve *fc, const model_desc *m, const model_params *mp, float a, float b, uint32_t n)
{
    fc->model = m;
    fc->key = *mp;
    fc->key_a = a;
    fc->key_b = b;
    fc->n = n;
    for (int k = 0; k < MODEL_MAX_VARS; ++k)
        memset(fc->var[k], 0, FI_POINTS * sizeof(float));
    m->init(fc->var, 0, n, mp);
    for (uint32_t k = 0; k < FI_POINTS; ++k) {
        fc->last_spike[k] = fc->last_onset[k] = fc->first_onset[k] = -1.0;
        fc->max_isi[k] = fc->longest[k] = 0.0f;
        fc->cycles[k] = 0;
        fc->rate[k] = 0.0f;
    }
    fc->t = 0.0;
    fc->ready = 0;
}

static int
holds(const fi_curve *fc, const model_desc *m, const model_params *mp, float a, float b,
      uint32_t n)
{
    /* a NAN key_b (the bursting probe) compares unequal to itself: by bits */
    return fc->model == m && fc->n == n && same_key(&fc->key, mp) && fc->key_a == a &&
           memcmp(&fc->key_b, &b, sizeof b) == 0;
}

void
fi_curve_configure_tonic(fi_curve *fc, const model_desc *m, const model_params *mp,
                         float rheobase, float unit)
{
    if (holds(fc, m, mp, rheobase, unit, FI_POINTS))
        return;
    start(fc, m, mp, rheobase, unit, FI_POINTS);
    fc->settle_ms = FI_SETTLE_MS;
    fc->measure_ms = FI_MEASURE_MS;
    const double ratio = pow((double)FI_DRIVE_HI / FI_DRIVE_LO, 1.0 / (FI_POINTS - 1u));
    for (uint32_t k = 0; k < FI_POINTS; ++k) {
        float d = (float)(FI_DRIVE_LO * pow(ratio, (double)k));
        fc->current[k] = rheobase + (d - 1.0f) * unit;
        if (m->input_limit > 0.0f && fc->current[k] > m->input_limit)
            fc->current[k] = m->input_limit;
    }
}

void
fi_curve_configure_at(fi_curve *fc, const model_desc *m, const model_params *mp, float drive)
{
    if (holds(fc, m, mp, drive, NAN, 1))
        return;
    start(fc, m, mp, drive, NAN, 1);
    fc->settle_ms = FI_BURST_SETTLE_MS;
    fc->measure_ms = FI_BURST_MEASURE_MS;
    fc->current[0] = drive;
}

/* The tonic branch: from the lowest current that fires, while the rate
 * rises. */
static void
find_branch(fi_curve *fc)
{
    uint32_t lo = 0;
    while (lo < fc->n && !(fc->rate[lo] > 0.0f))
        ++lo;
    uint32_t hi = lo;
    while (hi + 1u < fc->n && fc->rate[hi + 1u] > fc->rate[hi])
        ++hi;
    fc->lo = lo;
    fc->hi = hi;
}

void
fi_curve_advance(fi_curve *fc, const model_params *mp)
{
    if (fc->ready || !fc->model)
        return;
    const model_desc *m = fc->model;
    const float dt = mp->dt_ms;
    model_input in = {fc->current, fc->zeros, fc->zeros, fc->zeros, fc->zeros, fc->zeros, 1, 1};
    const uint32_t n = fc->n, steps = FI_WORK_PER_FRAME / n;
    for (uint32_t s = 0; s < steps && fc->t < fc->settle_ms + fc->measure_ms; ++s) {
        m->step(fc->var, &in, mp, fc->frac, n);
        for (uint32_t k = 0; k < n; ++k) {
            if (!(fc->frac[k] >= 0.0f))
                continue;
            double at = fc->t + (double)fc->frac[k] * dt;
            if (fc->last_spike[k] >= 0.0) {
                /* the cycles as pitch_track.h tells them */
                float isi = (float)(at - fc->last_spike[k]);
                float forgot = fc->max_isi[k] * PITCH_GAP_FORGET;
                fc->max_isi[k] = isi > forgot ? isi : forgot;
                if (at >= fc->settle_ms && isi > fc->longest[k])
                    fc->longest[k] = isi;
                if (isi >= PITCH_CYCLE_GAP * fc->max_isi[k] && at >= fc->settle_ms) {
                    if (fc->first_onset[k] < 0.0)
                        fc->first_onset[k] = at;
                    else
                        fc->cycles[k]++;
                    fc->last_onset[k] = at;
                }
            }
            fc->last_spike[k] = at;
        }
        fc->t += dt;
    }
    if (fc->t < fc->settle_ms + fc->measure_ms)
        return;
    for (uint32_t k = 0; k < n; ++k) {
        /* at least two cycles, and still firing at the end (not a burst
         * of spikes into a block) */
        int firing = fc->cycles[k] >= 2 &&
                     fc->t - fc->last_spike[k] < 2.0 * (fc->last_onset[k] - fc->first_onset[k]) /
                                                    fc->cycles[k];
        fc->rate[k] = firing ? (float)(1000.0 * fc->cycles[k] /
                                       (fc->last_onset[k] - fc->first_onset[k]))
                             : 0.0f;
    }
    find_branch(fc);
    fc->ready = 1;
    fc->builds++;
}

int
fi_curve_current_for(const fi_curve *fc, float rate_hz, float *current, float *rate_out)
{
    if (!fc->ready || fc->lo >= fc->n)
        return 0;
    uint32_t lo = fc->lo, hi = fc->hi;
    if (!(rate_hz > fc->rate[lo])) {
        *current = fc->current[lo];
        *rate_out = fc->rate[lo];
        return 1;
    }
    if (rate_hz >= fc->rate[hi]) {
        *current = fc->current[hi];
        *rate_out = fc->rate[hi];
        return 1;
    }
    uint32_t k = lo;
    while (k + 1u < hi && fc->rate[k + 1u] < rate_hz)
        ++k;
    float w = (rate_hz - fc->rate[k]) / (fc->rate[k + 1u] - fc->rate[k]);
    *current = fc->current[k] + w * (fc->current[k + 1u] - fc->current[k]);
    *rate_out = rate_hz;
    return 1;
}

void
fi_curve_state(state_io *s, fi_curve *fc)
{
    for (int k = 0; k < MODEL_MAX_VARS; ++k)
        state_f32(s, "f-I probes", fc->var[k], FI_POINTS);
    state_f32(s, "f-I currents", fc->current, FI_POINTS);
    state_f32(s, "f-I currents", fc->zeros, FI_POINTS);
    state_f32(s, "f-I spike fractions", fc->frac, FI_POINTS);
    state_u32_max(s, "f-I probes", &fc->n, 1, FI_POINTS);
    state_f64(s, "f-I times", &fc->settle_ms, 1);
    state_f64(s, "f-I times", &fc->measure_ms, 1);
    int model = fc->model ? model_index(fc->model) : -1;
    state_int(s, "f-I model", &model, 1, -1, MODEL_COUNT - 1);
    if (s->mode == STATE_LOAD)
        fc->model = model < 0 ? NULL : model_get(model);
    model_params *p = &fc->key;
    float *key[] = {&p->dt_ms, &p->phi,   &p->threshold, &p->pr_gc,    &p->pr_p,
                    &p->izh_a, &p->izh_b, &p->izh_c,     &p->izh_d,    &p->hr_r,
                    &p->na_block, &p->k_block, &p->ahp_block, &fc->key_a, &fc->key_b};
    for (size_t k = 0; k < sizeof key / sizeof key[0]; ++k)
        state_f32(s, "f-I key", key[k], 1);
    state_f64(s, "f-I time", &fc->t, 1);
    state_f64(s, "f-I spikes", fc->last_spike, FI_POINTS);
    state_f64(s, "f-I onsets", fc->last_onset, FI_POINTS);
    state_f64(s, "f-I onsets", fc->first_onset, FI_POINTS);
    state_f32(s, "f-I intervals", fc->max_isi, FI_POINTS);
    state_f32(s, "f-I intervals", fc->longest, FI_POINTS);
    state_u32(s, "f-I cycles", fc->cycles, FI_POINTS);
    state_int(s, "f-I ready", &fc->ready, 1, 0, 1);
    state_u32_max(s, "f-I branch", &fc->lo, 1, FI_POINTS);
    state_u32_max(s, "f-I branch", &fc->hi, 1, FI_POINTS);
    state_f32(s, "f-I rates", fc->rate, FI_POINTS);
    state_u32(s, "f-I curves measured", &fc->builds, 1);
}
