/* frame_begin.c — a frame's first stage: the glides of the levels, bend
 * and mod wheel a frame further, the crossfade under a structural change
 * (out, the change applied at its bottom, held silent while a settled
 * start's pre-roll runs and the filters fill, back in), then what the
 * other stages need of the frame (engine_frame). engine_params.c says how
 * parameters reach the running values; this plays them out frame by
 * frame. */
#include "engine_state.h"

#include <math.h>

/* One frame of every glide; reconfigures the bank if it needs it. */
static void
glide_frame(engine *e)
{
    int bank_changed = 0;
    for (int id = 0; id < G_COUNT; ++id) {
        if (!e->glide_left[id])
            continue;
        if (--e->glide_left[id] == 0) {
            e->cur[id] = e->glide_to[id];
            e->gliding--;
        } else {
            e->cur[id] += e->glide_step[id];
        }
        bank_changed |= id >= PARAM_COUNT;
    }
    if (bank_changed)
        engine_configure(e);
}

/* Raised-cosine crossfade gain; switches structure at the bottom. Returns
 * the gain and sets *prime while the output is held silent. */
static float
fade_frame(engine *e, int *prime)
{
    *prime = 0;
    switch (e->fade_state) {
    case FADE_OUT:
        if (e->fade_pos > 0) {
            e->fade_pos--;
            break;
        }
        {
            int reinit = e->cur[P_MODEL] != e->params[P_MODEL];
            int restructure = reinit || e->cur[P_NEURONS] != e->params[P_NEURONS] ||
                              e->cur[P_FOCUS] != e->params[P_FOCUS] ||
                              e->cur[P_LISTEN] != e->params[P_LISTEN];
            e->cur[P_MODEL] = e->params[P_MODEL];
            e->cur[P_NEURONS] = e->params[P_NEURONS];
            e->cur[P_FOCUS] = e->params[P_FOCUS];
            e->cur[P_LISTEN] = e->params[P_LISTEN];
            /* the source switches the bank's voices in or out, nothing else */
            e->cur[P_SOURCE] = e->params[P_SOURCE];
            if (restructure)
                engine_apply_structure(e, reinit);
        }
        if (e->fade_state == FADE_SETTLE) {
            *prime = 1;
            return 0.0f;
        }
        e->fade_state = FADE_HOLD;
        e->hold_left = HOLD_FRAMES;
        /* fall through */
    case FADE_SETTLE:
        if (e->fade_state == FADE_SETTLE) {
            *prime = 1;
            const int ready = engine_settle_ready(e);
            if (ready == 0)
                return 0.0f;
            if (ready < 0) {
                /* from rest, the neurons in step: the start gains as for
                 * start = rest */
                e->fade_state = FADE_HOLD;
                e->hold_left = HOLD_FRAMES;
                sonify_set_membrane_gain(e->son, 1.0f / sqrtf((float)e->bank->n));
                return 0.0f;
            }
            settle_place(e->settle, e->bank, &e->cfg, (uint64_t)e->cur[P_SEED], 0, e->bank->n);
            /* the loudness statistics and the rate as they will run on */
            float rate_model_hz;
            settle_stats(e->settle, e->cfg.model->audio_center, e->cfg.model->audio_half_range, 0,
                         e->bank->n, e->stat_mean, e->stat_msq, &rate_model_hz);
            e->rate_hz = rate_model_hz * (float)(e->cfg.mp.dt_ms * e->n_sub * e->sample_rate / 1000.0);
            level_reference_update(e);
            /* the loudness laws start afresh: over the silent pre-roll they
             * heard a bank that does not fire and turned it down */
            sonify_reset(e->son);
            /* a network's mix as it measured it (synchrony and all), else
             * that of independent neurons */
            const float mix = settle_mix_rms(e->settle, e->cfg.model->audio_half_range);
            sonify_start_settled(e->son, mix >= 0.0f ? mix : e->mem_ref,
                                 e->cur[P_LISTEN] == LISTEN_BANK ? e->mem_ref : -1.0f,
                                 e->rate_hz);
            engine_start_gains(e);
            engine_prime_voices(e);
            e->fade_state = FADE_HOLD;
            e->hold_left = HOLD_FRAMES;
        }
        /* fall through */
    case FADE_HOLD:
        *prime = 1;
        if (--e->hold_left == 0)
            e->fade_state = FADE_IN;
        return 0.0f;
    case FADE_IN:
        if (++e->fade_pos >= e->fade_frames) {
            e->fade_pos = e->fade_frames;
            e->fade_state = FADE_NONE;
        }
        break;
    default:
        return 1.0f;
    }
    float x = (float)e->fade_pos / (float)e->fade_frames;
    return 0.5f - 0.5f * cosf(3.14159265f * x);
}

/* The frame's glides and crossfade, then what the stages need of it. */
engine_frame
engine_frame_begin(engine *e, uint32_t f)
{
    engine_frame fr = {.f = f, .now = e->stats.frames + f};
    if (engine_voices_pending(e) && (e->gliding || e->fade_state != FADE_NONE))
        engine_voices_run(e); /* glides and crossfades may touch the voices or sonify */
    if (e->gliding)
        glide_frame(e);
    fr.fade = fade_frame(e, &fr.prime);
    const bank *b = e->bank;
    fr.m = e->cfg.model;
    fr.n = b->n;
    /* the bank waits while a settled start pre-rolls */
    fr.n_sub = e->fade_state == FADE_SETTLE ? 0u : e->n_sub;
    const uint32_t focus_i = (uint32_t)e->cur[P_FOCUS];
    const uint32_t n_all = e->guard.n_set; /* a focus the guard stops stays, frozen */
    fr.focus = focus_i < n_all ? focus_i : n_all - 1;
    const uint32_t steps = engine_guard_frame(e); /* fewer while the guard slows time */
    fr.n_sub = fr.n_sub < steps ? fr.n_sub : steps;
    fr.bank_mix = e->cur[P_LISTEN] == LISTEN_BANK || e->params[P_LISTEN] == LISTEN_BANK;
    return fr;
}
