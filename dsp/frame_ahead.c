/* frame_ahead.c — frames whose bank steps ran ahead of them on the thread
 * pool (bank_ahead.h).
 *
 * While nothing a frame does reaches the bank's next steps, the bank may
 * step a run of frames at once, each thread through its own range without
 * meeting the others, and the frames play afterwards from what the steps
 * kept: the stages of engine_process in the same order, with the step's
 * spikes, mix, statistics and focus values read from the run instead of
 * the bank. A run plays while the pool steps the next one: its first
 * frames on the calling thread before its own range of the next run, the
 * rest on the last range's thread after that range, so that the two end
 * together (the cuts move by whole 512-neuron blocks, the frames by one
 * frame). The threads meet once a run instead of once a step, and the
 * frames' serial part and sound overlap the neurons. The bits are one
 * thread's: every stage computes from the same values in the same order,
 * one frame after another, whichever thread plays it.
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
#include "bank_split.h"
#include "ftz.h"
#include "simd.h"

#include <sched.h>
#include <stdatomic.h>

/* a spinning thread's hint to the core */
static inline void
spin_pause(void)
{
#if SIMD_X86
    __builtin_ia32_pause();
#endif
}

/* Frames a run holds at most, and the first and the last run of a call.
 * Each run ends in a meeting of the threads and a serial part: 64 frames
 * a run rendered HH 2048 and 4096 on two threads 4 % faster than 32 (and
 * 128 no faster than 64; docs/performance-log.md, "Two threads: runs of 64
 * frames"). The last run of an engine_process call plays alone, after
 * every step, and the first has no frames to play beside it, so the
 * calling thread's range, made shorter for them, ends first: both are
 * kept short (run_length). */
#define AHEAD_RUN_FRAMES 64u
#define AHEAD_FIRST_FRAMES 8u

/* Frames of a run, 0: the frames play as usual. */
static uint32_t
frames_per_run(const engine *e, const engine_io *io)
{
    const bank *b = e->bank;
    if (!e->ahead || io->stimulus || io->cv_in || e->gliding || e->fade_state != FADE_NONE ||
        e->ext_dirty || engine_pitch_tracking(e) || e->tempo.on || e->n_sub == 0 ||
        e->guard.per_frame > 0.0 || e->guard.tail_gain > 0.0f || b->n != e->guard.n_set)
        return 0;
    const uint32_t frames = bank_ahead_room(e->ahead, b, &e->cfg) / e->n_sub;
    return frames < AHEAD_RUN_FRAMES ? frames : AHEAD_RUN_FRAMES;
}

enum { FIRST_WAITING, FIRST_PLAYING, FIRST_PLAYED };

/* The frames of one run as they play, in order: the first part on the
 * calling thread before its range, up to split frames, or fewer if the
 * last range's thread has ended its range by then (ranged); the rest after
 * a range, by whichever of the two threads ends its range first (rest),
 * once the first part has played. The split is the plan from the costs
 * the runs before measured; the hand-over takes up each run's own jitter,
 * which left each thread waiting for the other in turn (a two-thread
 * render of 2048 HH neurons: the pool thread idle between runs 25 % of its
 * time and the calling thread at the join 10 %, docs/performance-log.md). */
typedef struct {
    engine *e;
    engine_io *io;
    unsigned which;  /* the run */
    uint32_t f;      /* its first frame in the block */
    uint32_t frames; /* ... and how many */
    uint32_t split;  /* the first part's at most */
    uint32_t done;   /* played */
    int stopped;     /* the stop query ended the block */
    atomic_int first; /* the first part: FIRST_WAITING, _PLAYING or _PLAYED */
    atomic_int ranged; /* the last range's thread has ended its range */
    atomic_int rest;   /* the rest has been taken by a thread */
    double first_time, after_time; /* bank_split_clock units */
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
    const engine_frame_mark mark = engine_frame_mark_now(e, io);
    const int heard = engine_bank_heard(e);
    const int stats = fr->bank_mix && now % STATS_EVERY == 0;
    for (uint32_t s = 0; s < n_sub; ++s) {
        if (e->stop && e->stop(e->stop_arg)) {
            engine_frame_abandon(e, io, fr, mark);
            return 0;
        }
        const uint32_t *spiked;
        const float *frac;
        const uint32_t count = bank_ahead_spikes(e->ahead, which, j0 + s, &spiked, &frac);
        e->step_index++;
        engine_guard_step_ahead(e, count, network_step_cost(&c->np, count, b->n));
        engine_pitch_step(e, count);
        frame_spikes += count;
        if (heard)
            engine_route_spike_list(e, io, fr, s, spiked, frac, count);
        float v[3];
        bank_ahead_focus(e->ahead, which, j0 + s, 0, v);
        float mix_l = 0.0f, mix_r = 0.0f;
        suspect |= bank_ahead_mix(e->ahead, b, which, j0 + s, &mix_l, &mix_r);
        engine_step_sound(e, io, fr, s, v, mix_l, mix_r, heard);
    }
    const uint32_t last = j0 + n_sub - 1u;
    if (stats) { /* level_reference_from_step, from the run's sums */
        float pl, pr;
        bank_ahead_stats(e->ahead, which, last, &pl, &pr);
        e->mem_ref = sqrtf(0.5f * (pl + pr));
    }
    if (suspect) /* the ranges reset the frame's broken neurons at its end */
        e->stats.nonfinite_resets += bank_ahead_repaired(e->ahead, which, last);
    engine_frame_counts(e, fr, frame_spikes, heard);
    bank_ahead_focus(e->ahead, which, last, 1, fr->focus_v);
    return 1;
}

/* A run's frames from p->done up to `to`, each through the stages of
 * engine_process; before each, none more once *until is set (NULL: all). */
static void
play_frames(ahead_play *p, uint32_t to, const atomic_int *until)
{
    engine *e = p->e;
    engine_io *io = p->io;
    const uint32_t fp_state = ftz_enter(); /* on whichever thread plays them */
    for (uint32_t i = p->done; i < to && !p->stopped; ++i) {
        if (until && atomic_load_explicit(until, memory_order_relaxed))
            break;
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

/* bank_ahead_step's first: the first part, on the calling thread */
static void
play_first(void *arg)
{
    ahead_play *p = arg;
    atomic_store_explicit(&p->first, FIRST_PLAYING, memory_order_relaxed);
    const double t0 = bank_split_clock();
    play_frames(p, p->split, &p->ranged);
    p->first_time = bank_split_clock() - t0;
    atomic_store_explicit(&p->first, FIRST_PLAYED, memory_order_release);
}

/* bank_ahead_step's after: the rest, on the thread of the first range or
 * of the last (last_range), whichever asks first, once the first part has
 * played; 1 if this thread played it. The last range's thread first tells
 * the first part to end (its range is done: the frames are better played
 * here, beside the calling thread's range). A pool takes the ranges in
 * order, so the first part has started on another thread and has mostly
 * ended: the wait is rare and short. A first part not started yet may be
 * this thread's to run later (a pool that takes the ranges in another
 * order): the rest is then left to the first range's thread. */
static int
play_rest(void *arg, int last_range)
{
    ahead_play *p = arg;
    if (last_range)
        atomic_store_explicit(&p->ranged, 1, memory_order_relaxed);
    int first = atomic_load_explicit(&p->first, memory_order_acquire);
    if (first == FIRST_WAITING)
        return 0;
    for (unsigned spins = 0; first != FIRST_PLAYED;
         first = atomic_load_explicit(&p->first, memory_order_acquire))
        if (++spins % 4096u == 0)
            sched_yield();
        else
            spin_pause();
    int free_rest = 0;
    if (!atomic_compare_exchange_strong_explicit(&p->rest, &free_rest, 1, memory_order_acq_rel,
                                                 memory_order_relaxed))
        return 0;
    const double t0 = bank_split_clock();
    const uint32_t from = p->done;
    play_frames(p, p->frames, NULL);
    if (last_range)
        p->e->stats.frames_moved += p->done - from;
    p->after_time = bank_split_clock() - t0;
    return 1;
}

/* Moving frames to the other thread costs up to about this many frames'
 * time more: 2048 HH neurons, runs of 32 frames, a run's frames took 69
 * thousand ticks split against 53 played by one thread on a busy host, 39
 * against 38 on a quiet one. Not their state (the voices', the output
 * stage's) crossing between the cores: swapping the parts' threads every
 * run, so that it crosses once, took as long (docs/performance-log.md). */
#define AHEAD_MOVE_COST_FRAMES 7.0

/* How many of a run's frames the calling thread plays before its range:
 * all, unless moving some to the last range's thread shortens the run. The
 * cuts move by whole 512-neuron blocks and balance the ranges alone
 * (bank_ahead.c); at 2048 HH neurons the calling thread's frames then left
 * the pool thread waiting a fifth of each run (docs/performance-log.md, "Two
 * threads: a run's parts"). With the costs the runs before measured, the
 * calling thread ends at split fc + first and the last range's at last +
 * (frames - split) fc + move: equal at the split returned. */
static uint32_t
split_frames(const engine *e, uint32_t frames)
{
    const double fc = e->ahead_frame_cost;
    if (!(fc > 0.0) || !(e->ahead_first_cost > 0.0) || !(e->ahead_last_cost > 0.0))
        return frames;
    const double f = (double)frames;
    const double ahead = f * (fc + e->ahead_first_cost - e->ahead_last_cost); /* the caller's excess */
    const double moved = (ahead - AHEAD_MOVE_COST_FRAMES * fc) / (2.0 * fc);
    if (!(moved >= 1.0))
        return frames;
    return moved >= f ? 0u : frames - (uint32_t)(moved + 0.5);
}

/* The costs a frame, smoothed over about four runs: the frames' from the
 * run that played, the ranges' from the run that stepped beside it. */
static void
learn_costs(engine *e, const ahead_play *p, unsigned stepped, uint32_t stepped_frames)
{
    double first, last;
    bank_ahead_range_times(e->ahead, stepped, &first, &last);
    const double fc = p->done ? (p->first_time + p->after_time) / p->done : 0.0;
    const double w = stepped_frames ? 1.0 / stepped_frames : 0.0;
    double *cost[3] = {&e->ahead_frame_cost, &e->ahead_first_cost, &e->ahead_last_cost};
    const double seen[3] = {fc, first * w, last * w};
    for (int k = 0; k < 3; ++k)
        if (seen[k] > 0.0)
            *cost[k] = *cost[k] > 0.0 ? *cost[k] + 0.25 * (seen[k] - *cost[k]) : seen[k];
}

/* The frames of a call's first and last runs */
static uint32_t
short_run(uint32_t per_run)
{
    return per_run < AHEAD_FIRST_FRAMES ? per_run : AHEAD_FIRST_FRAMES;
}

/* The frames of the next run, `left` frames being left in the call, at most
 * per_run: a whole run while more than a run and a short one are left, then
 * all but a short one, so that the call's last run, whose frames play alone
 * after every step, is short (a long last run left the pool thread idle
 * for its frames). What is left within two short runs, and within a run,
 * is one run. */
static uint32_t
run_length(uint32_t per_run, uint32_t left)
{
    const uint32_t last = short_run(per_run);
    if (left > per_run + last)
        return per_run;
    if (left <= 2u * last && left <= per_run)
        return left;
    return left - last; /* left > last here, and left - last <= per_run */
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
    bank_ahead_prepare(e->ahead, e->bank, &e->cfg, which, frames * n_sub, 0.0f, *step_index, stats,
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
    uint32_t frames =
        prepare_run(e, which, next, short_run(per_run), n_frames, &step_index, bank_mix, focus);
    next += frames;
    bank_ahead_step(e->ahead, b, which, NULL, NULL, NULL, next >= n_frames);
    int ok = 1;
    for (;;) {
        ahead_play play = {.e = e, .io = io, .which = which, .f = *f, .frames = frames};
        frames = 0;
        if (next < n_frames) { /* this run plays while the next one steps */
            frames = prepare_run(e, which ^ 1u, next, run_length(per_run, n_frames - next),
                                 n_frames, &step_index, bank_mix, focus);
            next += frames;
            play.split = split_frames(e, play.frames);
            bank_ahead_step(e->ahead, b, which ^ 1u, play_first, play_rest, &play,
                            next >= n_frames);
            learn_costs(e, &play, which ^ 1u, frames);
        }
        play_frames(&play, play.frames, NULL); /* the call's last run, alone (or what is left) */
        *f += play.done;
        if (play.stopped) {
            ok = 0;
            break;
        }
        if (!frames)
            break;
        which ^= 1u;
    }
    bank_ahead_release(e->ahead, b); /* a call the stop query ended before its last run */
    e->defer_voices = defer;
    return ok;
}
