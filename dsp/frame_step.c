/* frame_step.c — bank -> spikes and voltages: the frame's model steps, each
 * followed by its spikes' routes, the focus neuron's samples, the
 * non-finite screen and the voltages into the band-limiting filter; then
 * the repair and the frame's counts. */
#include "engine_state.h"

#include "bank_mix.h"

void
engine_step_sound(engine *e, engine_io *io, const engine_frame *fr, uint32_t s,
                  const float focus_v[3], float mix_l, float mix_r, int heard)
{
    const model_desc *m = fr->m;
    const float center = m->audio_center, inv_half = 1.0f / m->audio_half_range;
    const float w = 1.0f / (float)fr->n_sub;
    if (io->want_focus_trace)
        focus_trace_step(&e->trace, m->to_mV_a * focus_v[0] + m->to_mV_b,
                         m->to_mV_a * focus_v[1] + m->to_mV_b, focus_v[2]);
    float x[BANDLIMIT_STREAMS] = {(focus_v[0] - center) * inv_half, mix_l, mix_r};
    if (!heard)
        x[0] = 0.0f; /* the membrane voice too */
    if (fr->bank_mix) {
        engine_guard_mix(e, &x[1], &x[2]);
        x[1] *= heard ? inv_half : 0.0f;
        x[2] *= heard ? inv_half : 0.0f;
    }
    engine_voice_push(e, (double)fr->now + (double)(s + 1u) * w, w, x);
}

void
engine_frame_counts(engine *e, engine_frame *fr, uint32_t frame_spikes, int heard)
{
    if (heard)
        e->stats.spikes += frame_spikes; /* else the recording counts its own */
    e->stats.model_time_ms += (double)fr->n_sub * e->cfg.mp.dt_ms;
    e->rate_hz = e->rate_coef * e->rate_hz + (1.0f - e->rate_coef) * (float)(heard ? frame_spikes : 0u) *
                                                 (float)e->sample_rate / (float)fr->n;
    fr->spikes = frame_spikes;
}

void
engine_frame_abandon(engine *e, engine_io *io, const engine_frame *fr, engine_frame_mark m)
{
    if (!io->spikes_lost)
        io->n_spikes = m.spikes;
    io->n_midi_out = m.midi;
    align_spike_rewind(e->al, m.align);
    io->n_done = fr->f;
}

/* Returns 0 if the stop query ended the call before the frame was complete
 * (io->n_done says how many frames were), else 1. */
int
engine_step_bank(engine *e, engine_io *io, engine_frame *fr, float ext)
{
    bank *b = e->bank;
    const bank_config *c = &e->cfg;
    const model_desc *m = fr->m;
    const uint32_t n_sub = fr->n_sub, focus = fr->focus;
    const float *v_soma = b->var[m->soma_var], *v_dend = b->var[m->dend_var],
                *v_slow = b->var[m->slow_var];
    const float center = m->audio_center;
    const uint64_t now = fr->now;

    uint32_t frame_spikes = 0;
    int suspect = 0;
    const engine_frame_mark mark = engine_frame_mark_now(e, io);
    const int heard = engine_bank_heard(e); /* else recorded units play alone */
    /* the non-finite screen of each step, on the mix's pass over V when
     * there is one: both done by the step, block by block (bank_mix.h) */
    bank_mix_request(b, fr->bank_mix ? BANK_MIX_STEREO : BANK_MIX_SCREEN, e->pan_l, e->pan_r,
                     center);
    const int stats = fr->bank_mix && now % STATS_EVERY == 0; /* the leveller's statistics */
    for (uint32_t s = 0; s < n_sub; ++s) {
        if (e->stop && e->stop(e->stop_arg)) {
            engine_frame_abandon(e, io, fr, mark);
            return 0;
        }
        engine_guard_before_step(e);
        if (stats && s + 1u == n_sub)
            level_reference_request(e); /* on the voltages after the frame's last step */
        uint32_t count = bank_step(b, c, ext, e->step_index++);
        engine_guard_after_step(e, count);
        engine_pitch_step(e, count);
        frame_spikes += count;
        if (heard)
            engine_route_spikes(e, io, fr, s, count);
        /* b->n: the neurons the guard plays; the rest is its fading part */
        float mix_l = 0.0f, mix_r = 0.0f;
        suspect |= bank_mix_total(b, m, e->isa, &mix_l, &mix_r);
        const float v[3] = {v_soma[focus], v_dend[focus], v_slow[focus]};
        engine_step_sound(e, io, fr, s, v, mix_l, mix_r, heard);
    }
    if (stats && n_sub)
        level_reference_from_step(e);
    else if (stats)
        level_reference_update(e);
    if (suspect)
        e->stats.nonfinite_resets += bank_repair_nonfinite(b, c);
    engine_frame_counts(e, fr, frame_spikes, heard);
    fr->focus_v[0] = v_soma[focus];
    fr->focus_v[1] = v_dend[focus];
    fr->focus_v[2] = v_slow[focus];
    return 1;
}
