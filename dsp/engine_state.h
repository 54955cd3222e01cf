/* engine_state.h — the engine's state, shared by the files of its frame
 * loop (engine.c and the stages it calls); nothing outside dsp/ includes
 * it. engine.h is the interface. */
#ifndef HILLOCK_ENGINE_STATE_H
#define HILLOCK_ENGINE_STATE_H

#include "engine.h"

#include "align.h"
#include "bandlimit.h"
#include "bank.h"
#include "focus_trace.h"
#include "guard.h"
#include "midi.h"
#include "fi_curve.h"
#include "pitch_track.h"
#include "settle.h"
#include "sonify.h"
#include "stimulus.h"
#include "tempo_lock.h"
#include "voices.h"

#include <stdatomic.h>

#define MAX_SUBSTEPS 256u
/* strikes and frames queued at most (frame_voices.c); a full queue runs */
#define ENGINE_DEFERRED_VOICES 1024u

/* A recorded unit's spike at an absolute frame (engine_frame.now) */
typedef struct {
    uint64_t frame;
    float frac;    /* in [0, 1) */
    uint32_t unit;
} recorded_spike;
#define GATE_MS 1.0
#define RATE_SMOOTH_MS 100.0
#define GLIDE_MS 20.0
#define FADE_MS 10.0
#define HOLD_FRAMES (BANDLIMIT_LENGTH + 4u)
#define STATS_EVERY 8u   /* frames between updates of the neurons' running variance */
#define STATS_MS 200.0   /* its time constant */
/* Neuron-steps of the settled start's pre-roll per frame at 48 kHz
 * (dsp/settle.h): the work of a 256-neuron bank, while the bank itself is
 * not stepped. Per second of audio the work is the same at every rate, so
 * the pre-roll's silence lasts as long at 8 kHz as at 384 kHz. */
#define SETTLE_WORK_48K 256.0
/* A coupled pre-roll the host leaves untaken this long starts from rest */
#define SETTLE_WAIT_MS 100.0
/* ... and one done is placed this long after it began, not earlier */
#define SETTLE_HOLD_MS 10.0

/* Who holds the settle object's coupled pre-roll (engine_settle_mode BY_HOST
 * and AT_ONCE): the engine (NONE), nobody yet (WAITING), the host's thread
 * (RUNNING), or the engine again, with the result (DONE). */
enum { SETTLE_JOB_NONE, SETTLE_JOB_WAITING, SETTLE_JOB_RUNNING, SETTLE_JOB_DONE };

/* Glided values beyond the parameter table: MIDI pitch bend and mod wheel. */
enum { G_BEND = PARAM_COUNT, G_MOD, G_COUNT };

/* FADE_SETTLE: silent, the bank waits while the settled start pre-rolls */
enum { FADE_NONE, FADE_OUT, FADE_SETTLE, FADE_HOLD, FADE_IN };

struct engine {
    double sample_rate;
    float params[PARAM_COUNT]; /* as set: the targets */
    float cur[G_COUNT];        /* as running now */
    float glide_to[G_COUNT];
    float glide_step[G_COUNT];
    uint32_t glide_left[G_COUNT];
    uint32_t gliding;          /* how many values are gliding */
    uint32_t glide_frames;
    int dirty;
    int fresh;                 /* nothing processed yet since create/reset */

    int fade_state;
    uint32_t fade_pos, fade_frames, hold_left;

    bank *bank;
    struct bank_ahead *ahead;  /* runs of the bank's steps ahead of their frames, with a
                                * thread pool (bank_ahead.h, frame_ahead.c); NULL: none */
    settle *settle;
    uint32_t settle_work;      /* neuron-steps of the pre-roll per frame */
    int settle_mode;           /* engine_settle_mode */
    _Atomic int settle_job;    /* SETTLE_JOB_*: who holds a coupled pre-roll */
    atomic_bool settle_signal; /* a pre-roll waits: engine_settle_wanted says so once */
    int settle_again;          /* begin anew once the host's thread returns it */
    uint32_t settle_waited;    /* frames a pre-roll has waited untaken */
    bank_config cfg;
    simd_isa isa;
    uint32_t n_sub;
    uint64_t step_index;

    sonify *son;
    align *al;                 /* the outputs beside the audio, for io->aligned */
    uint32_t align_lost;       /* spikes the aligner had no room for */
    bandlimit *bl;
    voices *vo;
    stimulus stim;
    midi_in min;
    midi_out mout;
    int midi_all_off;          /* send note offs for every sounding note */
    uint32_t note_frames;
    uint32_t gate_frames;      /* the CV gate after a focus spike */

    float *pan_l, *pan_r;      /* membrane bank mix weights, unit sum of squares */
    float *pan_pos;            /* 0 = left .. 1 = right, per neuron */
    uint32_t pans_placed;      /* the pans from here on are zero (pages mapped as used) */
    float *stat_mean, *stat_msq; /* running mean and mean square of each neuron's
                                    normalised voltage, for the loudness reference */
    float stat_coef;
    float mem_ref;             /* loudness of the mix if the neurons were independent */
    float current_unit;        /* model's unit per unit of the current-like controls */
    float mem_cal, spk_cal;    /* calibrated voice gains for the model and bank size */
    float level_db[3], level_lin[3]; /* dB -> gain of the three levels, cached */
    uint8_t *notes;            /* scale note per neuron */
    int tuned;                 /* tuned_hz holds a loaded tuning, else 12-TET */
    float tuned_hz[128];       /* Hz per MIDI note, 0 = the tuning leaves it silent */
    uint8_t *band_of;          /* cochlea band per neuron */
    float *midi_amount;        /* held MIDI drive per neuron, units of midi_drive */
    int midi_active;           /* some neuron has MIDI drive */
    int ext_dirty;             /* bank->ext must be rewritten */
    int ext_nonzero;           /* bank->ext holds something */
    pitch_track pt;            /* pitch_mode track: notes -> voices -> time scales */
    fi_curve fc;               /* ... the tonic model's f-I curve for their currents */
    uint32_t fc_builds_seen;   /* ... the curve the voices' ratios were measured on */

    focus_trace trace;         /* the focus neuron in model time, for displays */
    weight_census census;      /* the learned weights' histogram, for displays */

    engine_stats stats;
    uint32_t gate_left;        /* frames of spike gate still high */
    float rate_hz;             /* smoothed population rate per neuron */
    float rate_coef;

    /* recorded units (source recorded|both): spikes queued ahead of the
     * frames that play them (frame_recorded.c) */
    recorded_spike *rec;       /* ring of ENGINE_RECORDED_QUEUE, in time order */
    uint32_t rec_head, rec_count;
    uint32_t rec_units;        /* units in the recording */

    engine_stop_query stop;    /* asked before every model step, or NULL */
    void *stop_arg;

    guard guard;               /* the real-time guard: neurons played (guard.h) */

    tempo_lock tempo;          /* the time scale locked to the host's grid (tempo_lock.h) */
    int tempo_population;      /* it follows the whole bank's spikes (a coupled
                                  network's rhythm), else the focus neuron's */
    int transport_pending;     /* engine_set_transport since the last block */
    double transport_quarter, transport_bpm, transport_speed;
    struct synapse_table *syn; /* the host's stored synapses, or NULL (engine_set_synapses) */

    /* frame_ahead.c: a frame's cost and the first and last ranges' costs a
     * frame (bank_split_clock units, smoothed), which split a run's frames
     * between the calling thread and the last range's; 0: not known yet */
    double ahead_frame_cost, ahead_first_cost, ahead_last_cost;

    /* the spike voices and the output stage queued while the bank steps
     * on a thread pool (frame_voices.c) */
    int defer_voices;
    struct deferred_voice *deferred; /* two queues of ENGINE_DEFERRED_VOICES */
    uint32_t queue;            /* the one being filled, 0 or 1 */
    uint32_t n_deferred;       /* its length */
    uint32_t n_task;           /* the other's, while a pool thread runs it */
    int task_posted;           /* a pool thread may be running the other */
    engine_post_task post;     /* engine_set_parallel_tasks, or NULL */
    engine_wait_task wait;
};

/* One frame as the stages see it, fixed by engine_frame_begin after the
 * glides and the crossfade (which may change the bank's structure). */
typedef struct {
    uint32_t f;            /* frame in the block */
    uint64_t now;          /* frames since create or reset */
    const model_desc *m;   /* the running model */
    uint32_t n;            /* neurons running */
    uint32_t n_sub;        /* model steps this frame (0 while a settled start pre-rolls) */
    uint32_t focus;        /* the focus neuron, clamped to the bank */
    int bank_mix;          /* the bank's stereo mix is computed */
    float fade;            /* crossfade gain */
    int prime;             /* held silent while the filters fill */
    uint32_t spikes;       /* spikes this frame (engine_step_bank) */
    float focus_v[3];      /* ... and the focus neuron's soma, dendrite and slow
                              variables after it (engine_outputs reads them) */
} engine_frame;

/* Frames the sound leaves the engine after the model (engine_latency): the
 * band-limited membrane is read BANDLIMIT_DELAY - 1 frames late, and
 * sonify looks ahead */
static inline uint32_t
engine_sound_latency(const engine *e)
{
    return BANDLIMIT_DELAY - 1u + sonify_latency(e->son);
}

/* Parameters as set -> as running (engine_params.c) */
void engine_configure(engine *e);
void engine_map_notes(engine *e);
void engine_apply_all_now(engine *e);
void engine_attach_synapses(engine *e); /* engine_synapses.c: the table, if it fits the wiring */
void engine_derive_running(engine *e);  /* a loaded state's configuration (engine_snapshot.c) */
void engine_start_glide(engine *e, int id, float to);
void engine_take_params(engine *e);
/* ... and what a frame's first stage (frame_begin.c) applies of them: the
 * structural values under the crossfade, the leveller's starting gains,
 * and a settled start's pre-roll, 1 once placed, -1 to start from rest
 * instead, 0 while it goes on */
void engine_apply_structure(engine *e, int reinit_all);
void engine_start_gains(engine *e);
int engine_settle_ready(engine *e);

/* A frame's glides and crossfade, then what the stages need of it
 * (frame_begin.c) */
engine_frame engine_frame_begin(engine *e, uint32_t f);

/* A settled start's voices: the plucks ringing as the neurons' rates leave
 * them (frame_voices.c) */
void engine_prime_voices(engine *e);

/* The leveller's loudness reference (level_reference.c) */
void level_reference_start(engine *e, uint32_t begin, uint32_t end);
void level_reference_update(engine *e);
/* ... by the next model step itself, on its threads (bank_mix.h), and its
 * result after it */
void level_reference_request(engine *e);
void level_reference_from_step(engine *e);

/* The stages of a frame, in order */
float engine_currents(engine *e, const engine_io *io, const engine_frame *fr); /* frame_input.c */
void engine_release_notes(engine *e, engine_io *io, const engine_frame *fr);   /* frame_spikes.c */
int engine_step_bank(engine *e, engine_io *io, engine_frame *fr, float ext);    /* frame_step.c */
/* A step's sound, whoever stepped it (engine_step_bank, or frame_ahead.c
 * from a run's kept steps): the focus neuron's samples (focus_v: soma,
 * dendrite, slow variable), and the membrane and the bank's mix (the
 * step's sums) into the band-limiting filter at step s of the frame. */
void engine_step_sound(engine *e, engine_io *io, const engine_frame *fr, uint32_t s,
                       const float focus_v[3], float mix_l, float mix_r, int heard);
/* The frame's counts once its steps are done: spikes, model time, rate. */
void engine_frame_counts(engine *e, engine_frame *fr, uint32_t frame_spikes, int heard);
/* Where a frame's listings start: the stop query may end the block inside
 * the frame, which then drops what it listed (engine_frame_abandon). */
typedef struct {
    uint32_t spikes, midi, align;
} engine_frame_mark;
static inline engine_frame_mark
engine_frame_mark_now(const engine *e, const engine_io *io)
{
    return (engine_frame_mark){io->n_spikes, io->n_midi_out, align_spike_mark(e->al)};
}
/* The block ends at frame fr->f: its spikes (unless the list overflowed:
 * a sample anyway), MIDI and alignment marks back to m. */
void engine_frame_abandon(engine *e, engine_io *io, const engine_frame *fr,
                          engine_frame_mark m);
void engine_route_spikes(engine *e, engine_io *io, const engine_frame *fr, uint32_t s,
                         uint32_t count);                                       /* frame_spikes.c */
/* ... the same for a step's list given (frame_ahead.c) */
void engine_route_spike_list(engine *e, engine_io *io, const engine_frame *fr, uint32_t s,
                             const uint32_t *spiked, const float *frac, uint32_t count);
/* Frames from *f on whose bank steps ran ahead of them on the thread pool
 * (frame_ahead.c, bank_ahead.h), each played as the stages above play it;
 * *f moves past them (not at all when the bank cannot step ahead). 0 if
 * the stop query ended the call (io->n_done says how many frames were). */
int engine_frames_ahead(engine *e, engine_io *io, uint32_t *f, uint32_t n_frames);
void engine_outputs(engine *e, engine_io *io, const engine_frame *fr);         /* frame_output.c */
void engine_publish_display(const engine *e, engine_display *d);                /* frame_output.c */

/* The sound of the frames (frame_voices.c): a bank neuron's strike (its
 * sound from its type, note and pan), a strike of a given sound, a model
 * step's values into the band-limiting filter, and a frame's membrane
 * voice, spike voices and sonify into left / right; at once, or queued
 * while e->defer_voices and run in order by engine_voices_run (or as the
 * extra part of a parallel step, engine_voices_part, or as a task posted to
 * the pool after the step, engine_voices_after_step). */
int engine_voices_init(engine *e);
void engine_voices_free(engine *e);
void engine_voice_strike_neuron(engine *e, uint32_t who, double t_frames);
void engine_voice_strike(engine *e, uint32_t who, double t_frames, const voice_sound *s);
void engine_voice_push(engine *e, double t_frames, float w, const float x[BANDLIMIT_STREAMS]);
void engine_voice_frame(engine *e, const sonify_in *in, uint64_t now, int listen_bank, float *left,
                        float *right);
void engine_voices_run(engine *e);
void engine_voices_part(void *arg);
void engine_voices_after_step(void *arg);
int engine_voices_pending(const engine *e);
/* A bounded part of the weights' census while a display watches. */
void engine_census_weights(engine *e, const engine_io *io, uint32_t n_frames); /* engine_synapses.c */

/* The real-time guard's stage (frame_guard.c, guard.h): the bank plays
 * neurons [0, bank->n) of the guard's n_set from engine_guard_begin to
 * engine_guard_end. */
void engine_guard_begin(engine *e, uint32_t n_frames);
uint32_t engine_guard_frame(engine *e); /* the frame's model steps, <= n_sub */
int engine_time_scale_locked(const engine *e);
void engine_guard_before_step(engine *e);
void engine_guard_after_step(engine *e, uint32_t spikes);
/* ... both, for a step taken ahead (frame_ahead.c): the guard plays every
 * neuron (no budget), so the bank's size and synapse allowance stay */
void engine_guard_step_ahead(engine *e, uint32_t spikes, uint64_t syn_ops);
void engine_guard_mix(engine *e, float *l, float *r);
void engine_guard_end(engine *e, engine_io *io);

/* The outputs beside the audio (frame_align.c): a spike into the list and
 * its MIDI note, at once or, with io->aligned, through the aligner with the
 * CV values, engine_latency() frames late */
void engine_list_spike(engine *e, engine_io *io, const engine_frame *fr, uint32_t who, float at);
void engine_note_spike(engine *e, engine_io *io, uint32_t f, uint64_t now, uint32_t who);
void engine_release_due(engine *e, engine_io *io, uint32_t f, uint64_t now);
void engine_align_frame(engine *e, engine_io *io, const engine_frame *fr,
                        float cv[ALIGN_VALUES]);

/* The tempo lock's stage (frame_tempo.c): the host's grid at the block's
 * start, the time scale after each frame's spikes (engine_route_spikes
 * hands them to it through engine_tempo_spike) */
void engine_tempo_begin(engine *e, const engine_io *io);
void engine_tempo_spike(engine *e, const engine_frame *fr, uint32_t who, float at);
void engine_tempo_frame(engine *e, const engine_frame *fr);

/* pitch_mode track (frame_pitch.c): a MIDI message to the voices; each
 * frame the neurons' time scales; after each step the spikes' times */
void engine_pitch_midi(engine *e, const uint8_t *msg, uint32_t size);
int engine_pitch_tracking(const engine *e);
void engine_pitch_frame(engine *e);
void engine_pitch_step(engine *e, uint32_t count);
void engine_pitch_range(const engine *e, float *lo_hz, float *hi_hz);

/* Recorded units (frame_recorded.c): whether the bank's own spikes and
 * membrane sound (source simulated|both), the neuron index of the first
 * recorded unit, and the frame's recorded spikes routed as the bank's are */
static inline int
engine_bank_heard(const engine *e)
{
    return (int)e->cur[P_SOURCE] != SOURCE_RECORDED;
}
static inline uint32_t
engine_recorded_first(const engine *e)
{
    return (int)e->cur[P_SOURCE] == SOURCE_BOTH ? e->bank->n : 0u;
}
static inline int
engine_is_recorded(const engine *e, uint32_t who)
{
    const int source = (int)e->cur[P_SOURCE];
    return source == SOURCE_RECORDED || (source == SOURCE_BOTH && who >= e->bank->n);
}
/* neurons and units the outputs number */
static inline uint32_t
engine_units_heard(const engine *e)
{
    if ((int)e->cur[P_SOURCE] == SOURCE_SIMULATED)
        return e->bank->n;
    const uint32_t n = engine_recorded_first(e) + e->rec_units;
    return n < ENGINE_MAX_NEURONS ? n : ENGINE_MAX_NEURONS;
}
void engine_route_recorded(engine *e, engine_io *io, const engine_frame *fr);

/* The spike voice's strike for scale note `note` at pan (frame_voices.c) */
voice_sound engine_spike_sound(const engine *e, int inhibitory, uint8_t note, float pan);

/* The frequency of a MIDI note, `down` octaves lower (frame_pitch.c) */
float engine_note_pitch(const engine *e, float note, int down);

#endif
