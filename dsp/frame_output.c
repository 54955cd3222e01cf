/* frame_output.c — voices -> outputs: the membrane and spike voices mixed
 * to the audio outputs, the CV and trace outputs, and what displays show
 * of the block. */
#include "engine_state.h"

#include <math.h>

/* A level in dB as a gain; powf only when the level moved. */
static float
level_gain(engine *e, int k, float db)
{
    if (db != e->level_db[k]) {
        e->level_db[k] = db;
        e->level_lin[k] = sonify_db_gain(db);
    }
    return e->level_lin[k];
}

void
engine_publish_display(const engine *e, engine_display *d)
{
    const bank *b = e->bank;
    uint32_t focus = (uint32_t)e->cur[P_FOCUS];
    d->neurons = engine_units_heard(e);
    if (d->neurons == 0)
        d->neurons = 1; /* a recording not loaded yet: the bank's first row */
    d->focus = focus < b->n ? focus : b->n - 1;
    d->focus_slow = b->var[e->cfg.model->slow_var][d->focus];
    d->inhibitory = b->inhibitory;
    d->params = e->params;
    d->focus_trace = &e->trace;
    d->tempo_scale = (float)e->tempo.scale;
    d->tempo_error = e->tempo.events > 0 ? (float)e->tempo.last_error : NAN;
    engine_pitch_range(e, &d->pitch_lo_hz, &d->pitch_hi_hz);
    d->pitch_clamped = e->pt.last_clamped;
    d->weights = b->syn && e->census.passes > 0 && e->cur[P_PLASTICITY] > 0.0f ? &e->census
                                                                                : NULL;
}

void
engine_outputs(engine *e, engine_io *io, const engine_frame *fr)
{
    const uint32_t f = fr->f;
    const model_desc *m = fr->m;

    /* the voices (the membrane's from the band-limiting filter) */
    const int listen_bank = e->cur[P_LISTEN] == LISTEN_BANK;
    sonify_in in = {
        .mem_ref = listen_bank ? e->mem_ref : -1.0f,
        .mem_gain = level_gain(e, 0, e->cur[P_MEMBRANE_LEVEL]),
        .spk_gain = level_gain(e, 1, e->cur[P_SPIKE_LEVEL]),
        .master_gain = level_gain(e, 2, e->cur[P_MASTER_LEVEL]),
        .mem_cal = e->mem_cal,
        .spk_cal = e->spk_cal,
        .level_amount = e->cur[P_LEVELLING],
        .spike_rate = e->rate_hz,
        .fade = fr->fade,
        .prime = fr->prime,
    };
    engine_voice_frame(e, &in, fr->now, listen_bank, &io->out_left[f], &io->out_right[f]);

    /* control outputs */
    const float vf = fr->focus_v[0], vd = fr->focus_v[1];
    float cv[ALIGN_VALUES] = {
        [ALIGN_FOCUS_V] = (m->to_mV_a * vf + m->to_mV_b) * 0.01f,
        [ALIGN_DEND_V] = (m->to_mV_a * vd + m->to_mV_b) * 0.01f,
        [ALIGN_GATE] = e->gate_left > 0 ? 1.0f : 0.0f,
        [ALIGN_RATE] = e->rate_hz * 0.001f,
        [ALIGN_TRACE_V] = vf,
        [ALIGN_TRACE_SLOW] = fr->focus_v[2],
    };
    engine_align_frame(e, io, fr, cv); /* with io->aligned, as late as the audio */
    if (io->trace_soma)
        io->trace_soma[f] = cv[ALIGN_TRACE_V];
    if (io->trace_slow)
        io->trace_slow[f] = cv[ALIGN_TRACE_SLOW];
    if (io->cv_focus_v)
        io->cv_focus_v[f] = cv[ALIGN_FOCUS_V];
    if (io->cv_dend_v)
        io->cv_dend_v[f] = cv[ALIGN_DEND_V];
    if (io->cv_gate)
        io->cv_gate[f] = cv[ALIGN_GATE];
    if (io->cv_rate)
        io->cv_rate[f] = cv[ALIGN_RATE];
    if (e->gate_left)
        e->gate_left--;
}
