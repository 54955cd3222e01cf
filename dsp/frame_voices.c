/* frame_voices.c — the sound of the frames: what a spike sounds like and a
 * settled start's voices ringing, the spike voices' strikes, the
 * membrane voice's band-limiting filter, the voices' render and sonify
 * (filters, leveller, limiter), at once or, for a bank stepped on a thread
 * pool, later: during the next model step, as one more part of its
 * parallel job.
 *
 * Nothing the bank steps reads what these write (the voices, the filter
 * and sonify keep their own state, the audio goes to io's buffers), and
 * what they read of the frame is taken when the frame plays and queued
 * with them (a strike's neuron and time, the filter's input, sonify's
 * gains). What a bank neuron's strike sounds like (its type, note and pan)
 * is looked up when it runs: those change only at a block's start or at a
 * frame that glides or crossfades, before which the queue runs
 * (engine_frame_begin). Run in the order queued, on any one thread, the
 * work computes exactly what it would have at once, so a render stays
 * bit-identical to one thread while this serial work overlaps the step's
 * neurons (docs/performance-log.md). The queue is empty between engine_process
 * calls, where everything else that touches the voices, the filter or
 * sonify runs. */
#include "engine_state.h"

#include "ftz.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>

/* The spike voice's sound of a neuron (or recorded unit) with scale note
 * `note`, at `pan`. Excitatory neurons pluck their scale note with a bright
 * ring; inhibitory ones a muted note an octave lower, shorter and of
 * opposite polarity. Clicks: excitatory a short high tick three octaves
 * above the note, inhibitory a dull low knock. */
voice_sound
engine_spike_sound(const engine *e, int inh, uint8_t note_index, float pan)
{
    float note = (float)note_index;
    voice_sound s = {.pan = pan, .in_step = (int)e->cur[P_RETRIGGER] == RETRIGGER_IN_STEP};
    if (e->tuned && e->tuned_hz[note_index] == 0.0f) {
        s.amp = 0.0f; /* unmapped by the tuning: no strike */
        return s;
    }
    if ((int)e->cur[P_SPIKE_SOUND] == SPIKE_SOUND_PLUCK) {
        float f = inh ? engine_note_pitch(e, note, 1) : engine_note_pitch(e, note, 0);
        float decay = 0.35f * sqrtf(220.0f / f);
        decay = decay < 0.06f ? 0.06f : decay > 0.8f ? 0.8f : decay;
        s.freq_hz = f;
        s.decay_s = inh ? 0.35f * decay : decay;
        s.amp = inh ? -0.8f : 1.0f;
    } else {
        float f = engine_note_pitch(e, note, 0);
        if (inh) {
            s.freq_hz = fminf(fmaxf(2.0f * f, 300.0f), 2000.0f);
            s.decay_s = 0.002f;
            s.amp = -1.0f;
        } else {
            s.freq_hz = fminf(fmaxf(8.0f * f, 1500.0f), 9000.0f);
            s.decay_s = 0.0007f;
            s.amp = 1.0f;
        }
    }
    return s;
}

/* rng streams of the voices' priming (settle.c uses 4-5) */
enum { STREAM_RING_AGE = 6, STREAM_RING_PHASE = 7 };

/* A settled start's spike voices. A pluck struck at each spike of a neuron
 * firing at r Hz rings up to a level its strikes and its decay balance:
 * between strikes it falls by d = exp(-1 / (r decay)); struck in step
 * (voices.c), a ring of magnitude m grows by a (1 - m / 4a), so just after
 * a strike it holds a / (1 - 3d/4); struck afresh at random phases the
 * powers add, a / sqrt(1 - d^2). Started silent, a slow low pluck would take
 * seconds to get there (cochlea: 5 Hz, decay 0.64 s, +7 dB): a fade-in.
 * Each neuron's voice starts at that level, a random part of the way
 * through its interval (d^u) at a random phase. Only while every neuron
 * has a voice of its own: a larger bank shares the pool, which fills with
 * its first VOICES_MAX spikes. */
void
engine_prime_voices(engine *e)
{
    const uint32_t n = e->bank->n;
    if (n > VOICES_MAX)
        return;
    const uint64_t seed = (uint64_t)e->cur[P_SEED];
    /* model time per second of audio, seconds */
    const double speed = e->cfg.mp.dt_ms * e->n_sub * e->sample_rate / 1000.0;
    for (uint32_t i = 0; i < n; ++i) {
        const double rate = settle_rate(e->settle, i) * speed;
        voice_sound vs = engine_spike_sound(e, e->bank->inhibitory[i], e->notes[i], e->pan_pos[i]);
        if (!(rate > 0.0) || vs.amp == 0.0f)
            continue;
        const double d = exp(-1.0 / (rate * vs.decay_s));
        const double a = fabs(vs.amp);
        const double peak = vs.in_step ? a / (1.0 - 0.75 * d) : a / sqrt(1.0 - d * d);
        const double u = rng_uniform_open(rng_hash(seed, STREAM_RING_AGE, i));
        const double phase =
            6.283185307179586 * rng_uniform_open(rng_hash(seed, STREAM_RING_PHASE, i));
        voices_prime(e->vo, i, &vs, (float)(peak * pow(d, u)), (float)phase);
    }
}

enum { DEFER_STRIKE_NEURON, DEFER_STRIKE, DEFER_PUSH, DEFER_FRAME };

struct deferred_voice {
    int kind;
    uint32_t who;      /* strikes: the neuron */
    double t;          /* strikes: the time; push: the step's end */
    voice_sound sound; /* DEFER_STRIKE: its sound */
    float w, x[BANDLIMIT_STREAMS]; /* push: weight and the streams' values */
    sonify_in in;      /* frame: sonify's inputs, the voices still 0 */
    uint64_t now;      /* frame: the absolute frame */
    int listen_bank;   /* frame: the membrane voice is the bank's mix */
    float *left, *right;
};

/* The queues, allocated when a render first steps the bank on a pool (a
 * plugin's engine never has them): 1 if they are there. */
int
engine_voices_init(engine *e)
{
    if (!e->deferred)
        e->deferred = calloc(2u * ENGINE_DEFERRED_VOICES, sizeof *e->deferred);
    return e->deferred != NULL;
}

void
engine_voices_free(engine *e)
{
    free(e->deferred);
}

static void
strike_neuron(engine *e, uint32_t who, double t)
{
    voice_sound vs =
        engine_spike_sound(e, e->bank->inhibitory[who], e->notes[who], e->pan_pos[who]);
    if (vs.amp != 0.0f)
        voices_trigger(e->vo, who, t, &vs);
}

static void
sound_frame(engine *e, sonify_in *in, uint64_t now, int listen_bank, float *left, float *right)
{
    float y[BANDLIMIT_STREAMS];
    bandlimit_read(e->bl, (double)now + 1.0 - BANDLIMIT_DELAY, y);
    in->mem_l = listen_bank ? y[1] : y[0];
    in->mem_r = listen_bank ? y[2] : y[0];
    voices_render(e->vo, now, &in->spk_l, &in->spk_r);
    sonify_frame(e->son, in, left, right);
}

static void
run_queue(engine *e, const struct deferred_voice *q, uint32_t n)
{
    for (uint32_t k = 0; k < n; ++k) { /* what the strikes read, misses overlapped */
        const struct deferred_voice *d = &q[k];
        if (d->kind == DEFER_STRIKE_NEURON) {
            __builtin_prefetch(&e->bank->inhibitory[d->who]);
            __builtin_prefetch(&e->notes[d->who]);
            __builtin_prefetch(&e->pan_pos[d->who]);
        }
        if (d->kind <= DEFER_STRIKE)
            voices_prefetch(e->vo, d->who);
    }
    for (uint32_t k = 0; k < n; ++k) {
        const struct deferred_voice *d = &q[k];
        switch (d->kind) {
        case DEFER_STRIKE_NEURON: strike_neuron(e, d->who, d->t); break;
        case DEFER_STRIKE: voices_trigger(e->vo, d->who, d->t, &d->sound); break;
        case DEFER_PUSH: bandlimit_push(e->bl, d->t, d->w, d->x); break;
        default: {
            sonify_in in = d->in;
            sound_frame(e, &in, d->now, d->listen_bank, d->left, d->right);
        } break;
        }
    }
}

static struct deferred_voice *
queue_of(engine *e, uint32_t which)
{
    return e->deferred + which * ENGINE_DEFERRED_VOICES;
}

int
engine_voices_pending(const engine *e)
{
    return e->n_deferred || e->task_posted;
}

/* Everything queued, in order: the posted task's queue first. */
void
engine_voices_run(engine *e)
{
    if (e->task_posted) {
        e->wait(e->bank->par_pool);
        e->task_posted = 0;
    }
    /* an engine that never stepped on a pool has no queues (NULL) */
    if (e->n_deferred)
        run_queue(e, queue_of(e, e->queue), e->n_deferred);
    e->n_deferred = 0;
}

/* The part of a parallel step that runs the queue: on whichever thread
 * takes it, with the denormal mode engine_process set on its own. */
void
engine_voices_part(void *arg)
{
    const uint32_t fp_state = ftz_enter();
    engine_voices_run(arg);
    ftz_leave(fp_state);
}

/* A pool thread's task: the queue handed over after a step. */
static void
voices_task(void *arg)
{
    engine *e = arg;
    const uint32_t fp_state = ftz_enter();
    run_queue(e, queue_of(e, e->queue ^ 1u), e->n_task);
    ftz_leave(fp_state);
}

/* After a parallel step, on the calling thread: the queue so far goes to a
 * pool thread, which runs it while this thread goes on with the serial part
 * until the next step, filling the other queue. */
void
engine_voices_after_step(void *arg)
{
    engine *e = arg;
    if (!e->n_deferred)
        return;
    if (e->task_posted)
        e->wait(e->bank->par_pool); /* the other queue is free again */
    e->n_task = e->n_deferred;
    e->queue ^= 1u;
    e->n_deferred = 0;
    e->task_posted = 1;
    e->post(e->bank->par_pool, voices_task, e);
}

static struct deferred_voice *
next_slot(engine *e, int kind)
{
    if (e->n_deferred == ENGINE_DEFERRED_VOICES)
        engine_voices_run(e); /* full: at once, still in order */
    struct deferred_voice *d = &queue_of(e, e->queue)[e->n_deferred++];
    d->kind = kind;
    return d;
}

void
engine_voice_strike_neuron(engine *e, uint32_t who, double t_frames)
{
    if (!e->defer_voices) {
        strike_neuron(e, who, t_frames);
        return;
    }
    struct deferred_voice *d = next_slot(e, DEFER_STRIKE_NEURON);
    d->who = who;
    d->t = t_frames;
}

void
engine_voice_strike(engine *e, uint32_t who, double t_frames, const voice_sound *s)
{
    if (!e->defer_voices) {
        voices_trigger(e->vo, who, t_frames, s);
        return;
    }
    struct deferred_voice *d = next_slot(e, DEFER_STRIKE);
    d->who = who;
    d->t = t_frames;
    d->sound = *s;
}

void
engine_voice_push(engine *e, double t_frames, float w, const float x[BANDLIMIT_STREAMS])
{
    if (!e->defer_voices) {
        bandlimit_push(e->bl, t_frames, w, x);
        return;
    }
    struct deferred_voice *d = next_slot(e, DEFER_PUSH);
    d->t = t_frames;
    d->w = w;
    for (int s = 0; s < BANDLIMIT_STREAMS; ++s)
        d->x[s] = x[s];
}

void
engine_voice_frame(engine *e, const sonify_in *in, uint64_t now, int listen_bank, float *left,
                   float *right)
{
    if (!e->defer_voices) {
        sonify_in x = *in;
        sound_frame(e, &x, now, listen_bank, left, right);
        return;
    }
    struct deferred_voice *d = next_slot(e, DEFER_FRAME);
    d->in = *in;
    d->now = now;
    d->listen_bank = listen_bank;
    d->left = left;
    d->right = right;
}
