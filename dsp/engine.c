/* engine.c — the engine's interface (engine.h): create, reset, parameters
 * and MIDI in, and engine_process, one way through the stages of a frame:
 *
 *   engine_frame_begin    glides, crossfade           engine_params.c
 *   engine_currents       stimulus -> currents        frame_input.c
 *   engine_release_notes  MIDI note offs due          frame_spikes.c
 *   engine_step_bank      bank -> spikes, voltages    frame_step.c
 *     (each step: engine_route_spikes to the list, gate, voices, MIDI)
 *   engine_outputs        voices -> audio, CV, traces frame_output.c
 *
 * or, for a bank on a thread pool while nothing reaches its steps, runs of
 * frames whose steps ran ahead of them (engine_frames_ahead, frame_ahead.c),
 *
 * and engine_publish_display at the end of the block: what displays show is
 * in engine_io, so nothing asks the engine afterwards.
 *
 * Every schedule counts absolute frames, never blocks, so the output is
 * bit-identical for any split of the same frames into blocks.
 */
#include "engine_state.h"
#include "bank_ahead.h"

#include "ftz.h"
#include "scale.h"
#include "zeroed.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static engine *
engine_create_with(double sample_rate, int touch)
{
    if (!(sample_rate >= 1000.0 && sample_rate <= 1536000.0))
        return NULL;
    engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->sample_rate = sample_rate;
    e->isa = simd_default();
    e->bank = touch ? bank_create(ENGINE_MAX_NEURONS) : bank_create_offline(ENGINE_MAX_NEURONS);
    if (e->bank)
        bank_keep_rows(e->bank); /* without the memory the bank draws every row */
    e->settle = settle_create(ENGINE_MAX_NEURONS, touch);
    e->settle_work = (uint32_t)ceil(SETTLE_WORK_48K * 48000.0 / sample_rate);
    e->son = sonify_create(sample_rate);
    e->bl = bandlimit_create(MAX_SUBSTEPS);
    e->vo = voices_create(sample_rate, ENGINE_MAX_NEURONS, touch);
    e->al = e->son ? align_create(engine_latency(e), touch) : NULL;
    if (!e->bank || !e->settle || !e->son || !e->al || !e->bl || !e->vo) {
        engine_destroy(e);
        return NULL;
    }
    uint32_t cap = e->bank->capacity;
    e->pan_l = zeroed_alloc(cap * sizeof(float), touch);
    e->pan_r = zeroed_alloc(cap * sizeof(float), touch);
    e->pan_pos = zeroed_alloc(cap * sizeof(float), touch);
    e->stat_mean = zeroed_alloc(cap * sizeof(float), touch);
    e->stat_msq = zeroed_alloc(cap * sizeof(float), touch);
    e->midi_amount = zeroed_alloc(cap * sizeof(float), touch);
    e->notes = zeroed_alloc(cap, touch);
    e->band_of = zeroed_alloc(cap, touch);
    e->rec = zeroed_alloc(ENGINE_RECORDED_QUEUE * sizeof *e->rec, touch);
    if (!e->pan_l || !e->pan_r || !e->pan_pos || !e->midi_amount || !e->notes ||
        !e->band_of || !e->stat_mean || !e->stat_msq || !e->rec ||
        !pitch_track_init(&e->pt, cap) || !fi_curve_init(&e->fc)) {
        engine_destroy(e);
        return NULL;
    }
    stimulus_init(&e->stim, sample_rate);
    guard_init(&e->guard, sample_rate);
    tempo_lock_init(&e->tempo, sample_rate);
    e->rate_coef = (float)exp(-1000.0 / (RATE_SMOOTH_MS * sample_rate));
    e->stat_coef = (float)(1.0 - exp(-1000.0 * STATS_EVERY / (STATS_MS * sample_rate)));
    e->glide_frames = (uint32_t)ceil(GLIDE_MS * 1e-3 * sample_rate);
    e->fade_frames = (uint32_t)ceil(FADE_MS * 1e-3 * sample_rate);
    e->note_frames = (uint32_t)ceil(MIDI_NOTE_MS * 1e-3 * sample_rate);
    e->gate_frames = (uint32_t)ceil(GATE_MS * 1e-3 * sample_rate);
    for (int k = 0; k < 3; ++k) {
        e->level_db[k] = 0.0f;
        e->level_lin[k] = 1.0f;
    }
    midi_out_reset(&e->mout);
    param_defaults(e->params);
    engine_reset(e);
    return e;
}

engine *
engine_create(double sample_rate)
{
    return engine_create_with(sample_rate, 1);
}

engine *
engine_create_offline(double sample_rate)
{
    return engine_create_with(sample_rate, 0);
}

void
engine_destroy(engine *e)
{
    if (!e)
        return;
    bank_ahead_destroy(e->ahead);
    bank_destroy(e->bank);
    settle_destroy(e->settle);
    sonify_destroy(e->son);
    align_destroy(e->al);
    bandlimit_destroy(e->bl);
    voices_destroy(e->vo);
    engine_voices_free(e);
    zeroed_free(e->pan_l);
    zeroed_free(e->pan_r);
    zeroed_free(e->pan_pos);
    zeroed_free(e->stat_mean);
    zeroed_free(e->stat_msq);
    zeroed_free(e->midi_amount);
    zeroed_free(e->notes);
    zeroed_free(e->rec);
    zeroed_free(e->band_of);
    pitch_track_free(&e->pt);
    fi_curve_free(&e->fc);
    free(e);
}

void
engine_reset(engine *e)
{
    e->fresh = 1;
    e->bank->n = 0;
    tempo_lock_restart(&e->tempo);
    midi_in_reset(&e->min);
    pitch_track_reset(&e->pt);
    memset(e->bank->ext, 0, e->bank->capacity * sizeof(float));
    e->ext_nonzero = 0;
    bank_inputs_changed(e->bank);
    sonify_reset(e->son);
    align_restart(e->al);
    e->align_lost = 0;
    engine_apply_all_now(e);
    bandlimit_reset(e->bl);
    voices_reset(e->vo);
    stimulus_reset(&e->stim);
    if (e->mout.sounding)
        e->midi_all_off = 1; /* the host still holds those notes */
    memset(&e->stats, 0, sizeof e->stats);
    e->mout.dropped = 0;
    e->step_index = 0;
    focus_trace_restart(&e->trace);
    e->gate_left = 0;
    e->rate_hz = 0.0f;
}

void
engine_set_param(engine *e, param_id id, float value)
{
    if ((unsigned)id >= PARAM_COUNT)
        return;
    float v = param_sanitize(id, value);
    if (v != e->params[id]) {
        e->params[id] = v;
        e->dirty = 1;
    }
}

float
engine_get_param(const engine *e, param_id id)
{
    return (unsigned)id < PARAM_COUNT ? e->params[id] : 0.0f;
}

void
engine_set_all_params(engine *e, const float values[PARAM_COUNT])
{
    for (int i = 0; i < PARAM_COUNT; ++i)
        e->params[i] = param_sanitize((param_id)i, values[i]);
    engine_reset(e);
}

void
engine_midi(engine *e, const uint8_t *msg, uint32_t size)
{
    engine_pitch_midi(e, msg, size);
    if (!midi_in_message(&e->min, msg, size))
        return;
    /* held notes are mapped to neurons once at the next engine_process(),
     * however many messages arrive at one position */
    if (e->fresh) {
        e->cur[G_BEND] = e->min.bend;
        e->cur[G_MOD] = e->min.mod;
        engine_configure(e);
    } else {
        engine_start_glide(e, G_BEND, e->min.bend);
        engine_start_glide(e, G_MOD, e->min.mod);
    }
}

/* One way through the stages, frame by frame: stimulus -> currents ->
 * bank -> spikes and voltages -> voices -> outputs; the display last. */
void
engine_process(engine *e, engine_io *io, uint32_t n_frames)
{
    const uint32_t fp_state = ftz_enter(); /* FTZ/DAZ: no slow denormals */
    if (e->fresh)
        engine_apply_all_now(e);
    else if (e->dirty)
        engine_take_params(e);
    if (e->min.changed)
        engine_map_notes(e);
    e->fresh = 0;

    io->n_spikes = 0;
    io->spikes_lost = 0;
    io->n_midi_out = 0;
    io->latency_frames = engine_latency(e);
    io->n_done = n_frames;
    focus_trace_begin_block(&e->trace);
    engine_guard_begin(e, n_frames); /* the neurons the real-time guard plays */

    engine_tempo_begin(e, io);                            /* the host's beat grid */

    for (uint32_t f = 0; f < n_frames; ++f) {
        if (e->ahead) {                                   /* bank steps run ahead */
            if (!engine_frames_ahead(e, io, &f, n_frames))
                break;                                    /* stopped: io->n_done frames */
            if (f == n_frames)
                break;
        }
        engine_frame fr = engine_frame_begin(e, f);      /* glides, crossfade */
        const float ext = engine_currents(e, io, &fr);   /* stimulus -> currents */
        engine_release_notes(e, io, &fr);                 /* MIDI note offs due */
        if (!engine_step_bank(e, io, &fr, ext))           /* bank -> spikes, voltages */
            break;                                        /* stopped: io->n_done frames */
        engine_tempo_frame(e, &fr);                       /* time scale to the grid */
        engine_route_recorded(e, io, &fr);                /* recorded units' spikes */
        engine_outputs(e, io, &fr);                       /* voices -> outputs */
    }
    engine_voices_run(e); /* what the last frames queued */
    e->stats.frames += io->n_done;
    e->stats.midi_out_dropped = e->mout.dropped;
    engine_guard_end(e, io);
    engine_census_weights(e, io, io->n_done);
    engine_publish_display(e, &io->display);
    ftz_leave(fp_state);
}

void
engine_set_budget(engine *e, double units_per_second)
{
    guard_set_budget(&e->guard, units_per_second);
}

void
engine_set_parallel(engine *e, engine_parallel_for run, void *pool, unsigned parts)
{
    bank_set_parallel(e->bank, run, pool, parts);
    if (run && parts > 1 && !e->ahead) /* NULL: every step joins its threads */
        e->ahead = bank_ahead_create(e->bank->capacity);
    /* the voices and the output stage overlap the next step's neurons, or
     * the caller's serial part after a step */
    e->defer_voices = e->bank->par_run != NULL && engine_voices_init(e);
    if (!e->defer_voices)
        bank_set_side_part(e->bank, NULL, e, 0);
    else if (e->post && e->wait)
        bank_set_side_part(e->bank, engine_voices_after_step, e, 1);
    else
        bank_set_side_part(e->bank, engine_voices_part, e, 0);
}

void
engine_set_parallel_tasks(engine *e, engine_post_task post, engine_wait_task wait)
{
    e->post = post;
    e->wait = wait;
    engine_set_parallel(e, e->bank->par_run, e->bank->par_pool, e->bank->par_parts);
}

void
engine_set_stop_query(engine *e, engine_stop_query stop, void *arg)
{
    e->stop = stop;
    e->stop_arg = arg;
    e->cfg.np.stop = stop;
    e->cfg.np.stop_arg = arg;
}

void
engine_set_settle_mode(engine *e, engine_settle_mode mode)
{
    e->settle_mode = (int)mode;
}

int
engine_settle_wanted(engine *e)
{
    return atomic_exchange_explicit(&e->settle_signal, false, memory_order_acq_rel);
}

int
engine_settle_run(engine *e)
{
    int want = SETTLE_JOB_WAITING;
    if (!atomic_compare_exchange_strong_explicit(&e->settle_job, &want, SETTLE_JOB_RUNNING,
                                                 memory_order_acq_rel, memory_order_acquire))
        return 0;
    const uint32_t fp_state = ftz_enter(); /* as the audio thread steps it */
    while (!settle_advance(e->settle, UINT32_MAX))
        ;
    ftz_leave(fp_state);
    atomic_store_explicit(&e->settle_job, SETTLE_JOB_DONE, memory_order_release);
    return 1;
}

simd_isa
engine_set_isa(engine *e, int isa)
{
    e->isa = simd_cap(isa);
    e->cfg.mp.isa = e->isa;
    e->cfg.np.isa = e->isa;
    e->cfg.sp.isa = e->isa;
    voices_set_isa(e->vo, e->isa);
    return e->isa;
}

simd_isa
engine_isa(const engine *e)
{
    return e->isa;
}

void
engine_get_stats(const engine *e, engine_stats *stats)
{
    *stats = e->stats;
    stats->substeps = e->n_sub;
    stats->guard_work = e->guard.last_work;
    stats->guard_budget = e->guard.last_allowed;
    stats->guard_neurons = e->guard.n_play;
    stats->guard_time_scale = e->guard.last_scale;
    stats->guard_slowed_blocks = e->guard.slowed_blocks;
    stats->guard_thinned_blocks = e->guard.thinned_blocks;
    stats->guard_drops = e->guard.drops;
    stats->guard_grows = e->guard.grows;
    stats->midi_out_dropped = e->mout.dropped;
    stats->pitch_clamped = e->pt.clamped_notes;
    stats->pitch_last_clamped = e->pt.last_clamped;
    engine_pitch_range(e, &stats->pitch_lo_hz, &stats->pitch_hi_hz);
}

uint32_t
engine_latency(const engine *e)
{
    return engine_sound_latency(e);
}

uint32_t
engine_active_neurons(const engine *e)
{
    return e->bank->n;
}

int
engine_bank_splits(const engine *e)
{
    return bank_splits(e->bank->n);
}

int
engine_neuron_is_inhibitory(const engine *e, uint32_t i)
{
    return i < e->bank->n ? e->bank->inhibitory[i] : 0;
}

uint8_t
engine_neuron_note(const engine *e, uint32_t i)
{
    return scale_note((int)e->cur[P_SCALE], (int)e->cur[P_ROOT], i);
}

void
engine_set_tuning(engine *e, const double hz[128])
{
    e->tuned = hz != NULL;
    for (int k = 0; k < 128; ++k)
        e->tuned_hz[k] = hz ? (float)hz[k] : 0.0f;
}

float
engine_note_hz(const engine *e, uint8_t note)
{
    return engine_note_pitch(e, (float)(note & 127u), 0);
}
