/* frame_ahead.c — frames whose bank steps ran ahead of them on the thread
 * pool (bank_ahead.h).
 *
 * While nothing a frame does reaches the bank's next steps, the bank may
 * step a run of frames at once, each thread through its own range without
 * meeting the others, and the frames play afterwards from what the steps
 * kept: the stages of engine_process in the same order, with the step's
 * spikes, mix, statistics and focus values read from the run instead of
 * the bank. A run plays on the calling thread while the pool steps the
 * next one (the calling thread steps its own range of it after), so the
 * threads meet once a run instead of once a step, and the frames' serial
 * part and sound overlap the neurons. The bits are one thread's: every
 * stage computes from the same values in the same order.
 *
 * What must hold for a whole block's frames (engine_process changes
 * parameters, MIDI and the guard only at a block's start): the bank steps
 * ahead at all (bank_ahead_room: uncoupled, no synapse of any kind, no
 * conductances live, ...), no per-frame input (stimulus audio, CV in, the
 * cochlea), no glide and no crossfade running, no per-neuron input to
 * rewrite, no pitch tracking (time scales per frame from the spikes), no
 * tempo lock (the speed from the spikes), and the real-time guard idle
 * (no budget: offline). The stop query is asked before each step as the
 * frames play; once it stops a block the bank has stepped further than
 * the frames played (a render then ends, cli/render.c). */
#include "engine_state.h"

#include "bank_ahead.h"
#include "bank_mix.h"
#include "ftz.h"

/* Frames a run holds at most, and the first run of a call. The last run
 * of an engine_process call plays alone, after every step, so a shorter
 * run leaves less serial work at the end of a call (hillock render: 256
 * frames), for one more meeting of the threads per run. The first run
 * has no frames to play beside it, so the calling thread's range, made
 * shorter for them, ends first: it is kept short too. */
#define AHEAD_RUN_FRAMES 32u
#define AHEAD_FIRST_FRAMES 8u

/* Frames of a run, 0: the frames play as usual. */
static uint32_t
frames_per_run(const engine *e, const engine_io *io)
{
    const bank *b = e->bank;
    if (!b->ahead || io->stimulus || io->cv_in || e->gliding || e->fade_state != FADE_NONE ||
        e->ext_dirty || engine_pitch_tracking(e) || e->tempo.on || e->n_sub == 0 ||
        e->guard.per_frame > 0.0 || e->guard.tail_gain > 0.0f || b->n != e->guard.n_set)
        return 0;
    const uint32_t frames = bank_ahead_room(b, &e->cfg) / e->n_sub;
    return frames < AHEAD_RUN_FRAMES ? frames : AHEAD_RUN_FRAMES;
}

/* The frames of one run as they play. */
typedef struct {
    engine *e;
    engine_io *io;
    unsigned which;  /* the run */
    uint32_t f;      /* its first frame in the block */
    uint32_t frames; /* ... and how many */
    uint32_t done;   /* played */
    int stopped;     /* the stop query ended the block */
} ahead_play;

/* engine_step_bank from a run's kept steps: step j0 on are the frame's. */
static int
play_steps(engine *e, engine_io *io, engine_frame *fr, unsigned which, uint32_t j0)
{
    bank *b = e->bank;
    const bank_config *c = &e->cfg;
    const uint32_t n_sub = fr->n_sub;
    const uint64_t now = fr->now;

    uint32_t frame_spikes = 0;
    int suspect = 0;
    const uint32_t spikes_before = io->n_spikes, midi_before = io->n_midi_out;
    const uint32_t align_mark = align_spike_mark(e->al);
    const int heard = engine_bank_heard(e);
    const int stats = fr->bank_mix && now % STATS_EVERY == 0;
    for (uint32_t s = 0; s < n_sub; ++s) {
        if (e->stop && e->stop(e->stop_arg)) {
            if (!io->spikes_lost)
                io->n_spikes = spikes_before;
            io->n_midi_out = midi_before;
            align_spike_rewind(e->al, align_mark);
            io->n_done = fr->f;
            return 0;
        }
        const uint32_t *spiked;
        const float *frac;
        const uint32_t count = bank_ahead_spikes(b, which, j0 + s, &spiked, &frac);
        e->step_index++;
        engine_guard_step_ahead(e, count, network_step_cost(&c->np, count, b->n));
        engine_pitch_step(e, count);
        frame_spikes += count;
        if (heard)
            engine_route_spike_list(e, io, fr, s, spiked, frac, count);
        float v[3];
        bank_ahead_focus(b, which, j0 + s, 0, v);
        float mix_l = 0.0f, mix_r = 0.0f;
        suspect |= bank_ahead_mix(b, which, j0 + s, &mix_l, &mix_r);
        engine_step_sound(e, io, fr, s, v, mix_l, mix_r, heard);
    }
    const uint32_t last = j0 + n_sub - 1u;
    if (stats) { /* level_reference_from_step, from the run's sums */
        float pl, pr;
        bank_ahead_stats(b, which, last, &pl, &pr);
        e->mem_ref = sqrtf(0.5f * (pl + pr));
    }
    if (suspect) /* the ranges reset the frame's broken neurons at its end */
        e->stats.nonfinite_resets += bank_ahead_repaired(b, which, last);
    engine_frame_counts(e, fr, frame_spikes, heard);
    bank_ahead_focus(b, which, last, 1, fr->focus_v);
    return 1;
}

/* A run's frames, each through the stages of engine_process. */
static void
play_frames(void *arg)
{
    ahead_play *p = arg;
    engine *e = p->e;
    engine_io *io = p->io;
    const uint32_t fp_state = ftz_enter(); /* on whichever thread plays them */
    for (uint32_t i = 0; i < p->frames; ++i) {
        engine_frame fr = engine_frame_begin(e, p->f + i);
        (void)engine_currents(e, io, &fr); /* 0: no stimulus, no CV in */
        engine_release_notes(e, io, &fr);
        if (!play_steps(e, io, &fr, p->which, i * fr.n_sub)) {
            p->stopped = 1;
            break;
        }
        engine_tempo_frame(e, &fr);
        engine_route_recorded(e, io, &fr);
        engine_outputs(e, io, &fr);
        p->done++;
        e->stats.frames_ahead++;
    }
    ftz_leave(fp_state);
}

/* The next run, frames from `first` on: its steps' bookkeeping. */
static uint32_t
prepare_run(engine *e, unsigned which, uint32_t first, uint32_t per_run, uint32_t n_frames,
            uint64_t *step_index, int bank_mix, uint32_t focus)
{
    const model_desc *m = e->cfg.model;
    const uint32_t n_sub = e->n_sub;
    const uint32_t frames = n_frames - first < per_run ? n_frames - first : per_run;
    uint8_t stats[BANK_AHEAD_STEPS];
    for (uint32_t i = 0; i < frames; ++i)
        for (uint32_t s = 0; s < n_sub; ++s) /* level_reference_request's steps */
            stats[i * n_sub + s] = bank_mix && s + 1u == n_sub &&
                                   (e->stats.frames + first + i) % STATS_EVERY == 0;
    const bank_mix_stats st = {e->stat_mean, e->stat_msq, 1.0f / m->audio_half_range,
                               e->stat_coef};
    bank_ahead_prepare(e->bank, &e->cfg, which, frames * n_sub, 0.0f, *step_index, stats,
                       bank_mix ? &st : NULL, n_sub, focus);
    *step_index += frames * n_sub;
    return frames;
}

int
engine_frames_ahead(engine *e, engine_io *io, uint32_t *f, uint32_t n_frames)
{
    const uint32_t per_run = frames_per_run(e, io);
    if (!per_run)
        return 1;
    bank *b = e->bank;
    engine_voices_run(e); /* what the frames before queued, in order */
    const int defer = e->defer_voices;
    e->defer_voices = 0; /* the frames' sound plays with them, beside the steps */
    /* as engine_frame_begin and engine_step_bank set them for every frame */
    const int bank_mix = e->cur[P_LISTEN] == LISTEN_BANK || e->params[P_LISTEN] == LISTEN_BANK;
    bank_mix_request(b, bank_mix ? BANK_MIX_STEREO : BANK_MIX_SCREEN, e->pan_l, e->pan_r,
                     e->cfg.model->audio_center);
    const uint32_t focus_i = (uint32_t)e->cur[P_FOCUS], n_all = e->guard.n_set;
    const uint32_t focus = focus_i < n_all ? focus_i : n_all - 1;

    uint64_t step_index = e->step_index;
    unsigned which = 0;
    uint32_t next = *f; /* the first frame not stepped */
    const uint32_t first = per_run < AHEAD_FIRST_FRAMES ? per_run : AHEAD_FIRST_FRAMES;
    uint32_t frames = prepare_run(e, which, next, first, n_frames, &step_index, bank_mix, focus);
    next += frames;
    bank_ahead_step(b, &e->cfg, which, NULL, NULL, next >= n_frames);
    int ok = 1;
    for (;;) {
        ahead_play play = {.e = e, .io = io, .which = which, .f = *f, .frames = frames};
        frames = 0;
        if (next < n_frames) { /* this run plays while the next one steps */
            frames = prepare_run(e, which ^ 1u, next, per_run, n_frames, &step_index, bank_mix,
                                 focus);
            next += frames;
            bank_ahead_step(b, &e->cfg, which ^ 1u, play_frames, &play, next >= n_frames);
        } else {
            play_frames(&play);
        }
        *f += play.done;
        if (play.stopped) {
            ok = 0;
            break;
        }
        if (!frames)
            break;
        which ^= 1u;
    }
    bank_ahead_release(b); /* a call the stop query ended before its last run */
    e->defer_voices = defer;
    return ok;
}
