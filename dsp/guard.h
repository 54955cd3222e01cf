/* guard.h — the real-time guard: bounded work per block.
 *
 * The engine's work is counted in deterministic work units, never timed:
 * one unit is about a nanosecond of the reference machine (docs/
 * reliability.md). A block costs
 *
 *     frames x GUARD_FRAME_COST                (voices, sonify, control outputs)
 *   + steps  x (GUARD_STEP_COST                (band-limiting, bank bookkeeping)
 *               + played neurons x neuron cost (model_info.step_cost, + noise))
 *   + synaptic operations x GUARD_SYNAPSE_COST (network_step_cost)
 *
 * With a budget set (units per frame, from a calibration of the CPU made
 * outside the audio thread), no block spends more than frames x budget:
 *  - at the start of a block the guard plans how many neurons to play from
 *    the spike rate of the blocks before (thinning when the plan exceeds
 *    GUARD_SHRINK_AT of the budget, growing back in steps of an eighth of
 *    the bank when it fits GUARD_GROW_AT, never sooner than GUARD_HOLD_MS
 *    after the last thinning: hysteresis);
 *  - before every step it checks that the work done plus the neuron work
 *    left fits the block's budget, else it plays fewer neurons;
 *  - before a step's spikes are delivered it checks that their synaptic
 *    operations fit (guard_fit_delivery), else the neurons above the
 *    largest count that fits stop at that step and their spikes go
 *    nowhere.
 * The neurons dropped are the highest indices (the bank is played from
 * neuron 0 up, on GUARD_GRAIN boundaries, down to GUARD_MIN_NEURONS).
 * They keep their state frozen (voltages, gates, conductances) and resume
 * from it when the load drops. Their part of the bank mix at the moment
 * they stop is held and faded out linearly over GUARD_FADE_MS, and when they
 * come back their frozen part is faded in the same way, so the mix stays
 * continuous; their spike voices ring out, with no new plucks.
 *
 * Model time, the last resort: when even GUARD_MIN_NEURONS do not fit (the
 * per-step cost alone, times the steps per frame a high speed needs,
 * exceeds the budget), the guard runs fewer model steps per frame than set,
 * each of the same dt, so model time runs slower than the speed set, by
 * the time scale steps / n_sub. It never does while time is locked (pitch
 * tracking or tempo lock: guard_set_time_lock). The scale glides down by at
 * most a factor 2 per GUARD_TIME_HALVE_MS and back up by at most 2 per
 * GUARD_TIME_DOUBLE_MS, never faster than a change of the speed knob
 * would move it (which applies at once); only when a block would exceed
 * its budget even then does it take the steps that fit at once, as a speed
 * step does. Time comes back before neurons do; neurons are thinned before
 * time slows.
 *
 * Everything is a function of the settings, the input, the block sizes and
 * the budget: no clock is read here.
 */
#ifndef HILLOCK_GUARD_H
#define HILLOCK_GUARD_H

#include "state_io.h"
#include "network.h"

#include <stdint.h>

/* Work units of the parts of a block that do not scale with the bank
 * (measured with `hillock bench`: its fixed cost per frame, one step per
 * frame at 48 kHz). */
#define GUARD_FRAME_COST 400.0
#define GUARD_STEP_COST 110.0
/* An OU noise draw per neuron-step (bench: "noise 1" rows less plain). */
#define GUARD_NOISE_COST 3.0
/* Assembling synaptic inputs every step while conductances are live. */
#define GUARD_INPUTS_COST 0.5
/* One synaptic operation (network_step_cost). */
#define GUARD_SYNAPSE_COST 2.0

/* The calibration (engine_calibrate_budget) keeps this share of what the
 * CPU did in its timed runs: they ran warm, alone and at their best, a
 * host's block shares the core with the rest of the host. */
#define GUARD_SAFETY 0.8

#define GUARD_GRAIN 16u
#define GUARD_MIN_NEURONS 1u
#define GUARD_FADE_MS 20.0
#define GUARD_HOLD_MS 500.0
#define GUARD_GROW_HOLD_MS 50.0
#define GUARD_SHRINK_AT 0.95
#define GUARD_PLAN_AT 0.8
#define GUARD_GROW_AT 0.65
/* Model time's glide (see above): halving and doubling times. */
#define GUARD_TIME_HALVE_MS 0.25
#define GUARD_TIME_DOUBLE_MS 20.0

/* Where the bank mix comes from: weights, voltages, centre (bank_mix_screened). */
typedef struct {
    const float *wl, *wr, *v;
    float center;
} guard_mix_src;

typedef struct {
    /* settings */
    double per_frame;      /* budget in units per frame; 0: off */
    double sample_rate;

    /* the bank */
    uint32_t n_set;        /* neurons set */
    uint32_t n_play;       /* neurons played, <= n_set */
    uint32_t hold;         /* frames before the guard may grow the bank again */
    double spike_rate;     /* spikes per step per played neuron, smoothed */

    /* the faded neurons' part of the mix: tail x gain; the gain falls by
     * tail_step per step to 0 */
    float tail_l, tail_r, tail_gain, tail_step;
    uint32_t fade_frames;

    /* costs of this frame (guard_frame_begin) */
    double neuron, step, frame, synapse;
    uint32_t n_sub;        /* steps per frame as set */
    network_params np;

    /* model time (guard_frame_begin): steps run this frame, <= n_sub */
    uint32_t steps;
    double scale;          /* steps / n_sub, gliding towards scale_goal */
    double scale_goal;     /* 1: model time as set */
    double scale_down, scale_up; /* the glide's factors per frame */
    uint32_t time_hold;    /* frames before model time may speed up again */
    int time_locked;       /* pitch tracking or tempo lock: never slow time */

    /* this block */
    double work, allowed;
    uint32_t frames_left, steps_left; /* after the current one */
    uint64_t spikes, steps_played;    /* for the rate */
    uint32_t n_stepped;               /* neurons the current step runs */
    uint32_t block_frames;

    /* the last block, reported */
    double last_work, last_allowed;
    double last_scale;     /* the time scale of the block's last frame */
    uint64_t thinned_blocks, drops, grows, slowed_blocks;
} guard;

void guard_init(guard *g, double sample_rate);

/* Budget in work units per second of audio; 0 (or less) turns the guard off. */
void guard_set_budget(guard *g, double units_per_second);

/* The bank was (re)structured with n neurons: all of them play. */
void guard_structure(guard *g, uint32_t n);

/* Start of a block of n_frames: plans the neurons to play and returns how
 * many (the engine sets its bank to them). returning: set to 1 when some
 * come back (their per-neuron inputs must be written again). */
uint32_t guard_block_begin(guard *g, uint32_t n_frames, const guard_mix_src *mix,
                           int *returning);

/* The costs of what the bank runs now (model index, noise, network,
 * whether synaptic conductances are live, steps per frame, neuron-steps a
 * frame spends besides the bank's: a settled start's pre-roll): at the
 * start of every block and every frame. */
void guard_set_costs(guard *g, int model, float noise_sigma, const network_params *np,
                     int conductances_live, uint32_t n_sub, uint32_t extra_steps);

/* Model time may not be slowed (pitch tracking or tempo lock): the time
 * scale returns to 1 at once and stays there. */
void guard_set_time_lock(guard *g, int locked);

/* Of want neuron-steps of model that a frame may spend besides the bank's
 * (a settled start's pre-roll, while the bank waits), the most that fit the
 * budget's planning share, at least one so that the pre-roll ends: the
 * pre-roll takes longer on a slow CPU instead of thinning the bank that
 * follows it. All of want when the guard is off. */
uint32_t guard_extra_steps_fit(const guard *g, int model, uint32_t want);

/* Start of a frame (after guard_set_costs): the model steps it runs,
 * <= n_sub (fewer only while the guard slows model time). */
uint32_t guard_frame_begin(guard *g);

/* Before a step: the neurons to play for it (<= n_now); *syn_allow gets
 * the synaptic operations its delivery may spend (UINT64_MAX: no limit). */
uint32_t guard_before_step(guard *g, uint32_t n_now, const guard_mix_src *mix,
                           uint64_t *syn_allow);

/* After a step that ran n_stepped neurons, delivered syn_ops operations
 * and ended with n_after neurons (fewer if the delivery was cut). */
void guard_after_step(guard *g, uint32_t n_after, uint32_t spikes, uint64_t syn_ops,
                      const guard_mix_src *mix);

/* Adds the faded neurons' part to this step's bank mix (l, r as
 * bank_mix_screened gives them). */
void guard_mix_tail(guard *g, float *l, float *r);

/* End of a block: load (work over budget, 0 when off), whether thinning
 * or slowing, and the time scale of its last frame (1: as set). */
void guard_block_end(guard *g, float *load, uint32_t *active, float *time_scale);

/* The largest bank n' <= *n (n itself, or a multiple of GUARD_GRAIN, at
 * least GUARD_MIN_NEURONS) whose delivery of the spikes among [0, n')
 * costs at most allow operations; spiked[0..count) in index order. Sets
 * *n = n' and returns the spikes kept (those below n'). */
uint32_t guard_fit_delivery(const network_params *np, const uint32_t *spiked, uint32_t count,
                            uint32_t *n, uint64_t allow);

/* Its running state for a saved engine (state_io.h); the settings stay. */
void guard_state(state_io *s, guard *g, uint32_t capacity);

#endif
