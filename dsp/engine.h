/* engine.h — the one DSP entry point shared by the plugin, the JACK client
 * and the offline renderer.
 *
 * Data flows one way: stimulus (audio in, MIDI notes, drive) -> currents ->
 * bank step -> spikes + voltages -> sonify -> outputs.
 *
 * Contract:
 *  - engine_create() allocates everything the largest bank needs; nothing
 *    after it allocates, frees, locks, blocks, prints or touches files.
 *  - engine_process() is deterministic: the same parameters, stimulus, MIDI
 *    (at the same frames) and seed give bit-identical output whatever the
 *    block sizes. To place a MIDI event sample-accurately, process up to its
 *    frame, call engine_midi(), then process the rest.
 *  - Every output sample is finite; audio outputs are within [-1, 1].
 */
#ifndef HILLOCK_ENGINE_H
#define HILLOCK_ENGINE_H

#include "focus_trace.h"
#include "weight_census.h"
#include "midi_event.h"
#include "params.h"
#include "simd.h"

#include <stdbool.h>
#include <stdint.h>

#define ENGINE_MAX_NEURONS ((unsigned)PARAM_NEURONS_MAX)

typedef struct engine engine;

/* A spike, timed inside the block just processed. */
typedef struct {
    uint32_t neuron;
    float frame;     /* fractional frame offset in [0, n_frames): sub-sample time */
    uint32_t offset; /* the same time exactly: offset + frac, frac in [0, 1) ... */
    float frac;      /* ... use these where bit-exactness across block sizes matters */
} engine_spike;

/* What displays show of the bank, as of the end of the block just
 * processed: engine_process() fills it every call, so a display reads this
 * instead of asking the engine afterwards. The pointers stay valid until
 * the next call into the engine. */
typedef struct {
    /* the rows displays show: the bank's active neurons, or while a
     * recording is heard (source recorded or both) the units heard, at
     * least 1 */
    uint32_t neurons;
    /* the focus neuron of the simulated bank, clamped to it: with a
     * recording of fewer units heard instead of the bank, it may lie past
     * `neurons` (a display then marks no row) */
    uint32_t focus;
    float focus_slow;          /* its slow variable (h, n, u, y...), model units */
    const uint8_t *inhibitory; /* per neuron: 1 if inhibitory, else 0 */
    const float *params;       /* every parameter as set (engine_get_param) */
    /* the focus neuron sampled every ~0.1 model ms during the block (its
     * newest FOCUS_TRACE_MAX samples): the scope's and the phase plane's
     * data at every speed (focus_trace.h) */
    const focus_trace *focus_trace;
    /* the learned weights' histogram while plasticity is on and a display
     * watches (want_focus_trace), once a pass over the table has ended;
     * else NULL */
    const weight_census *weights;
    /* the instrument: the tempo lock (tempo_sync) and pitch tracking
     * (pitch_mode track), for their indicators */
    float tempo_scale;      /* the lock's time scale (engine_time_scale) */
    float tempo_error;      /* its last event's phase error, divisions (late > 0); NAN: none yet */
    float pitch_lo_hz, pitch_hi_hz; /* the pitches the model reaches (0: not measured) */
    int pitch_clamped;      /* the last note played out of reach, -1: none */
} engine_display;

/* A host may split a block into pieces (cli/timeline.c cuts it where MIDI
 * or automation is due): every per-frame buffer below is advanced there. */
typedef struct {
    /* inputs; NULL means silence */
    const float *stimulus; /* mono stimulus audio, n_frames */
    const float *cv_in;    /* CV stimulus, added as current in the drive's unit / 10 */

    /* in: 1 = delay the spike list, MIDI and the CV and trace outputs by
     * engine_latency() so they line up with the audio (for hosts that play
     * them together: the plugin, the JACK client); 0 = at the model's time
     * (offline renders, which trim the audio instead, and tests) */
    int aligned;

    /* outputs; audio required, everything else may be NULL */
    float *out_left, *out_right;
    float *cv_focus_v; /* focus neuron's somatic voltage, mV/100 */
    float *cv_dend_v;  /* its dendritic voltage (or soma for 1-compartment), mV/100 */
    float *cv_gate;    /* 1 for 1 ms (real time) after each focus spike, else 0 */
    float *cv_rate;    /* population firing rate per neuron, smoothed, Hz/1000 */
    float *trace_soma; /* focus neuron's somatic variable per frame, model units (mV, or x) */

    /* spike list of this block (may be NULL); overflow is counted */
    engine_spike *spikes;
    uint32_t spike_capacity;
    uint32_t n_spikes;     /* out */
    uint32_t spikes_lost;  /* out: spikes that did not fit in the list; a full list
                            * holds an even sample of the block (rng_reservoir_slot) */

    /* MIDI out (may be NULL) */
    engine_midi_event *midi_out;
    uint32_t midi_capacity;
    uint32_t n_midi_out; /* out */

    /* focus neuron's slow variable per frame (n, Ca, u, z: the phase plane's
     * second axis, model units); may be NULL */
    float *trace_slow;

    /* nonzero: sample the focus neuron in model time into
     * display.focus_trace (a display is watching); else that stays empty
     * and costs nothing */
    int want_focus_trace;

    /* out: reported to the host (the plugin's latency and guard ports) */
    uint32_t latency_frames; /* delay of the audio outputs behind the input, frames
                              * (engine_latency) */
    float guard_load;        /* work of this call over the real-time budget, 0..1 */
    uint32_t guard_active;   /* 1 while the real-time guard plays fewer neurons
                              * or slows model time */
    float guard_time_scale;  /* model time run over model time set at the end of
                              * this call: 1, or less while the guard slows it */
    uint32_t n_done;         /* out: frames processed, n_frames unless the stop query
                              * (engine_set_stop_query) ended the call early */

    engine_display display; /* out */
} engine_io;

typedef struct {
    uint64_t frames;          /* frames processed since create/reset */
    uint64_t spikes;          /* spikes detected */
    uint64_t nonfinite_resets;/* neurons reset after a non-finite state */
    uint32_t substeps;        /* model steps per frame at current rate and speed */
    double model_time_ms;     /* model time since reset */
    uint64_t midi_out_dropped;/* spike notes that did not fit in midi_out */
    /* the real-time guard (engine_set_budget), as of the last block */
    double guard_work;        /* work units it spent */
    double guard_budget;      /* work units it was allowed (0: guard off) */
    uint32_t guard_neurons;   /* neurons played at its end */
    uint64_t guard_thinned_blocks; /* blocks that ended thinned, since create */
    uint64_t guard_drops, guard_grows; /* times it played fewer / more neurons */
    double guard_time_scale;  /* model time run over model time set, last frame */
    uint64_t guard_slowed_blocks; /* blocks that ended with model time slowed */
    /* pitch_mode track: notes out of the model's reach, played at the
     * nearest pitch it reaches, since reset, and the last of them (-1: none) */
    uint64_t pitch_clamped;
    int pitch_last_clamped;
    /* ... and the pitches the model reaches now, Hz (0 until measured) */
    float pitch_lo_hz, pitch_hi_hz;
    /* frames whose bank steps ran ahead of them on the thread pool
     * (engine_set_parallel; dsp/frame_ahead.c), since create or reset */
    uint64_t frames_ahead;
    /* ... of them, played on the last range's thread after its steps (a
     * run's frames split between the threads to balance them) */
    uint64_t frames_moved;
} engine_stats;

engine *engine_create(double sample_rate);
/* The same engine for offline work (renders, benches): the bank's arrays,
 * sized for ENGINE_MAX_NEURONS, are mapped as the neurons first use them,
 * not all written at create (zeroed.h). Not for the audio thread of a host,
 * which would then take page faults as the bank grows. */
engine *engine_create_offline(double sample_rate);
void engine_destroy(engine *e);

/* Every neuron back to its model's start state, parameters kept. */
void engine_reset(engine *e);

/* Real-time safe. Values are sanitised (clamped, NaN -> default). The change
 * takes effect at the next engine_process(); continuous values glide. */
void engine_set_param(engine *e, param_id id, float value);
float engine_get_param(const engine *e, param_id id);

/* Apply every parameter at once with no gliding, as for a fresh start
 * (used when loading a preset before rendering). */
void engine_set_all_params(engine *e, const float values[PARAM_COUNT]);

/* A raw MIDI message (note on/off, CC, pitch bend) at the current position. */
void engine_midi(engine *e, const uint8_t *msg, uint32_t size);

void engine_process(engine *e, engine_io *io, uint32_t n_frames);

/* The real-time guard (dsp/guard.h): a budget of work units per second of
 * audio; every block then spends at most its share, thinning the bank
 * (fewer neurons, faded) when it must, and slowing model time when even its
 * fewest neurons do not fit (unless time is locked), and
 * io->guard_load/guard_active/guard_time_scale say so. 0 turns it off (the default; offline renders and freewheeling keep
 * full accuracy). Real-time safe; takes effect at the next block. */
void engine_set_budget(engine *e, double units_per_second);

/* A budget for this CPU (outside the audio thread only: it allocates and
 * reads the clock, for about 40 ms): times a short run of each model on the
 * instruction-set path isa at this sample rate and returns share x
 * GUARD_SAFETY x the work units per second the slowest of them achieved,
 * so that a block takes at most `share` of its duration (dsp/guard_calibrate.c). */
double engine_calibrate_budget(double sample_rate, simd_isa isa, double share);

/* The environment may turn the guard off for the process: HILLOCK_GUARD=off
 * (or 0), read by the plugin and the JACK client when they calibrate. For
 * offline exports in hosts that do not tell a plugin they freewheel, and
 * for tests that need every neuron at any cost (the sanitizer run, whose
 * slowdown the guard would otherwise answer by thinning the bank). */
int engine_guard_wanted(void);

/* Offline renders only, never from a plugin's audio thread: step the bank on
 * the caller's thread pool of `parts` threads. run(pool, job, arg, n) must
 * call job(arg, p) for every p in 0..n-1 (on any threads, in any order; n is
 * a few ranges per thread) and return when all are done. The output is bit-identical to one thread
 * (dsp/bank.h, bank_set_parallel). run = NULL or parts <= 1: one thread. */
typedef void (*engine_job)(void *arg, unsigned part);
typedef void (*engine_parallel_for)(void *pool, engine_job job, void *arg, unsigned parts);
void engine_set_parallel(engine *e, engine_parallel_for run, void *pool, unsigned parts);
/* Optional, after engine_set_parallel: post(pool, task, arg) runs task(arg)
 * once on one of the pool's threads while the caller goes on, wait(pool)
 * returns when it has run (running it on the caller if no thread took it),
 * one task at a time. The engine then runs the sound of the frames (spike
 * voices, band-limiting filter, sonify) beside its serial part between two
 * steps rather than as a part of the next step. NULL: not used. */
typedef void (*engine_post_task)(void *pool, void (*task)(void *arg), void *arg);
typedef void (*engine_wait_task)(void *pool);
void engine_set_parallel_tasks(engine *e, engine_post_task post, engine_wait_task wait);

/* Offline renders only: engine_process() calls stop(arg) before every model
 * step, and the network every few spikes of a step, so Ctrl-C acts within
 * milliseconds even where one step of a huge coupled bank takes most of a
 * second. Once stop answers nonzero it must keep doing so: the call returns
 * at the next model step. The frames before the one cut short are complete:
 * io->n_done says how many, and their samples, traces and (unless the list
 * overflowed) spikes and MIDI events are exactly those of an uninterrupted
 * call. The engine itself is left mid-step, fit only for engine_destroy().
 * stop = NULL (the default): never asked, no cost. */
typedef int (*engine_stop_query)(void *arg);
void engine_set_stop_query(engine *e, engine_stop_query stop, void *arg);

/* Who runs the pre-roll of a settled start (start = settled) when the bank
 * is a coupled network (dsp/settle.h): the whole bank, work of its size,
 * more than the audio thread can spare. An uncoupled bank's pre-roll is
 * small and always runs inside engine_process, over silent frames.
 *   IN_PROCESS (the default): nobody; a coupled network starts from rest.
 *   AT_ONCE: engine_process itself, all of it in the call that begins it
 *     (offline renders: unbounded work in that call).
 *   BY_HOST: another thread, through engine_settle_run (a plugin's worker,
 *     `hillock jack`'s settle thread);
 *     the output is silent until it is done. One the host leaves untaken for
 *     100 ms starts from rest instead.
 * Done, it is placed 10 ms after it began (later only if the host's thread
 * is slower), so a host that runs its worker promptly sounds, sample for
 * sample, as AT_ONCE does. */
typedef enum {
    ENGINE_SETTLE_IN_PROCESS,
    ENGINE_SETTLE_AT_ONCE,
    ENGINE_SETTLE_BY_HOST,
} engine_settle_mode;
/* Not while engine_process runs; takes effect at the next start. */
void engine_set_settle_mode(engine *e, engine_settle_mode mode);
/* BY_HOST, audio thread, after engine_process: 1 once for each pre-roll
 * that waits for engine_settle_run. Real-time safe. */
int engine_settle_wanted(engine *e);
/* BY_HOST, any thread but the audio thread: run the waiting pre-roll to its
 * end (bounded: SETTLE_NET_WORK neuron-steps). Returns 0 if none waits (it
 * was run, or replaced). The engine takes the result at its next frame. */
int engine_settle_run(engine *e);

/* This engine's instruction-set path (simd.h): every path gives the same
 * bits, only speed differs. A new engine starts on simd_default(); isa is
 * capped to what the CPU runs, the path chosen is returned. Not for the
 * audio thread while it processes. */
simd_isa engine_set_isa(engine *e, int isa);
simd_isa engine_isa(const engine *e);

/* The pitches of the 128 MIDI notes the spike voice plays (Hz; 0: the
 * note is unmapped and does not sound), from a tuning (tuning.h,
 * tuning_build), or NULL for 12-tone equal temperament with A4 = 440 Hz.
 * Copied: real-time safe, the table may be freed on return. Neurons keep
 * their notes (scale, root); only the notes' frequencies change. */
void engine_set_tuning(engine *e, const double hz[128]);
/* The frequency note plays now (0 if the tuning leaves it unmapped). */
float engine_note_hz(const engine *e, uint8_t note);

void engine_get_stats(const engine *e, engine_stats *stats);

/* The host's musical time, for tempo_sync (dsp/tempo_lock.h): at the first
 * frame of the next engine_process() the transport is `quarter` quarter
 * notes from the song's start (fractional), its tempo bpm quarter notes per
 * minute and speed its rate (0: stopped, 1: playing). The engine advances
 * the position itself between calls, so a host calls this when the
 * position, tempo or speed changed (a locate, a loop, a tempo ramp), or
 * every block. The position is that of the block's audio: with aligned
 * outputs the engine offsets it by its latency. Real-time safe. */
void engine_set_transport(engine *e, double quarter, double bpm, double speed);
/* The tempo lock's time scale now: a factor over speed (and over any
 * per-neuron time scale), exactly 1 while tempo_sync is off and settled. */
double engine_time_scale(const engine *e);

/* Recorded neurons (the source parameter: simulated | recorded | both).
 * A host plays a recording by timing its spikes ahead of the blocks that
 * play them: engine_play_spike() queues a spike of recorded unit `unit`
 * `frames_ahead` frames (fractional: sub-sample exact) after the start of
 * the next engine_process() call, in time order; it returns false when the
 * queue is full (engine_recorded_room() says how much room is left), the
 * time is out of order or negative. A queued spike plays in its frame as a
 * simulated neuron's spike would: spike list, raster, CV gate, spike voice,
 * MIDI note. With source = recorded unit u is neuron u and the bank is
 * silent; with both it is neuron (neurons + u); units past
 * ENGINE_MAX_NEURONS - 1 are dropped. All real-time safe. */
#define ENGINE_RECORDED_QUEUE 16384u
bool engine_play_spike(engine *e, uint32_t unit, double frames_ahead);
uint32_t engine_recorded_room(const engine *e);
/* Drop the queued spikes (the host's transport moved: a locate, a loop). */
void engine_clear_recorded(engine *e);
/* Units in the recording: their stereo placement and the raster's rows. */
void engine_set_recorded_units(engine *e, uint32_t units);

/* Frames the audio outputs lag the input and the spikes: the membrane
 * voice's anti-aliasing filter (the spike voice sounds in step with it) and
 * the limiter's look-ahead. Constant for the engine's sample rate. A spike
 * at frame t sounds at frame t + engine_latency(); an offline render drops
 * the first engine_latency() frames of audio so the file starts at t = 0. */
uint32_t engine_latency(const engine *e);

/* The stored synapse table (synapses.h): plasticity and axonal delays need
 * it. The host builds it outside the audio thread (synapses_build, for the
 * engine's seed, neurons and connectivity) and hands it over here between
 * blocks; the previous table is returned for the host to free, the engine
 * never frees one. The engine plays through the table while its wiring
 * matches the running one, else through the on-the-fly network (as with
 * no table: no learning, no delays) and engine_synapses_status says
 * REBUILD. Real-time safe. */
struct synapse_table;
struct synapse_table *engine_set_synapses(engine *e, struct synapse_table *t);
const struct synapse_table *engine_synapses(const engine *e);
enum {
    ENGINE_SYNAPSES_OFF,     /* no table, and nothing asks for one */
    ENGINE_SYNAPSES_ACTIVE,  /* the table plays */
    ENGINE_SYNAPSES_REBUILD, /* plasticity or delays are asked for (or the wiring
                              * changed) and no table of this wiring is attached:
                              * the host should build one */
};
int engine_synapses_status(const engine *e);
/* The wiring a table must be built for: network parameters and neurons. */
void engine_synapse_wiring(const engine *e, uint64_t *seed, uint32_t *neurons, float *p);

/* Read-only views of the bank for hosts and tests (displays read
 * engine_io.display, published by engine_process). */
uint32_t engine_active_neurons(const engine *e);
/* 1 if the bank, at its present size, steps on several threads when
 * engine_set_parallel gives it them (bank_splits) */
int engine_bank_splits(const engine *e);
/* 1 if neuron i is inhibitory in the current network, else 0. */
int engine_neuron_is_inhibitory(const engine *e, uint32_t i);
/* MIDI note that neuron i plays (scale mapping), 0..127. */
uint8_t engine_neuron_note(const engine *e, uint32_t i);

#endif
