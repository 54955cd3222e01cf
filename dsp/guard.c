/* guard.c — the real-time guard (guard.h): plan, check, thin, fade. */
#include "guard.h"

#include "models/registry.h"

#include <math.h>
#include <string.h>

void
guard_init(guard *g, double sample_rate)
{
    memset(g, 0, sizeof *g);
    g->sample_rate = sample_rate;
    g->fade_frames = (uint32_t)ceil(GUARD_FADE_MS * 1e-3 * sample_rate);
    g->scale = g->scale_goal = g->last_scale = 1.0;
    g->scale_down = exp2(-1.0 / (GUARD_TIME_HALVE_MS * 1e-3 * sample_rate));
    g->scale_up = exp2(1.0 / (GUARD_TIME_DOUBLE_MS * 1e-3 * sample_rate));
}

void
guard_set_budget(guard *g, double units_per_second)
{
    g->per_frame = units_per_second > 0.0 ? units_per_second / g->sample_rate : 0.0;
}

void
guard_structure(guard *g, uint32_t n)
{
    g->n_set = g->n_play = n;
    g->tail_l = g->tail_r = g->tail_gain = 0.0f;
    g->hold = 0;
}

static uint32_t
ms_frames(const guard *g, double ms)
{
    return (uint32_t)ceil(ms * 1e-3 * g->sample_rate);
}

void
guard_set_costs(guard *g, int model, float noise_sigma, const network_params *np,
                int conductances_live, uint32_t n_sub, uint32_t extra_steps)
{
    g->neuron = model_info_of(model)->step_cost + (noise_sigma > 0.0f ? GUARD_NOISE_COST : 0.0) +
                (conductances_live ? GUARD_INPUTS_COST : 0.0);
    g->step = GUARD_STEP_COST + model_info_of(model)->step_overhead;
    g->frame = GUARD_FRAME_COST + extra_steps * (double)model_info_of(model)->step_cost;
    g->synapse = GUARD_SYNAPSE_COST;
    g->np = *np;
    g->n_sub = n_sub; /* 0 while the bank waits (a settled start's pre-roll) */
}

/* Expected synaptic operations of one step of n neurons at the smoothed
 * rate: a step with fewer than one spike on average pays for one spike that
 * often (the dense paths cost n per step with spikes, whatever their number). */
static double
syn_ops(const guard *g, uint32_t n)
{
    double s = g->spike_rate * n;
    if (s <= 0.0)
        return 0.0;
    if (s < 1.0)
        return s * (double)network_step_cost(&g->np, 1u, n);
    return (double)network_step_cost(&g->np, (uint32_t)ceil(s), n);
}

/* The work one step of n neurons is expected to cost. */
static double
step_units(const guard *g, uint32_t n)
{
    return g->step + n * g->neuron + g->synapse * syn_ops(g, n);
}

/* The work a frame of n neurons running s steps is expected to cost. */
static double
frame_units_at(const guard *g, uint32_t n, uint32_t s)
{
    return g->frame + s * step_units(g, n);
}

/* The same at the steps per frame set. */
static double
frame_units(const guard *g, uint32_t n)
{
    return frame_units_at(g, n, g->n_sub);
}

/* Steps per frame at time scale x: 1..n_sub. */
static uint32_t
steps_at(const guard *g, double x)
{
    double s = floor(x * g->n_sub + 0.5);
    return s >= g->n_sub ? g->n_sub : s >= 1.0 ? (uint32_t)s : 1u;
}

/* The most steps per frame (1..n_sub) n neurons run within target a frame. */
static uint32_t
steps_fitting(const guard *g, uint32_t n, double target)
{
    double s = (target - g->frame) / step_units(g, n);
    return s >= g->n_sub ? g->n_sub : s >= 1.0 ? (uint32_t)s : 1u;
}

static uint32_t
floor_of(const guard *g)
{
    return g->n_set < GUARD_MIN_NEURONS ? g->n_set : GUARD_MIN_NEURONS;
}

/* Largest n <= limit (limit itself or a multiple of the grain, at least the
 * floor) with fits(n); the floor when none does. */
static uint32_t
largest_fitting(const guard *g, uint32_t limit, double target)
{
    if (frame_units(g, limit) <= target)
        return limit;
    uint32_t lo = floor_of(g), hi = limit; /* answer in [lo, hi) */
    uint32_t k_lo = (lo + GUARD_GRAIN - 1u) / GUARD_GRAIN, k_hi = (hi - 1u) / GUARD_GRAIN;
    uint32_t best = lo;
    while (k_lo <= k_hi) {
        uint32_t k = k_lo + (k_hi - k_lo) / 2u;
        uint32_t n = k * GUARD_GRAIN;
        if (n < lo || n >= hi)
            break;
        if (frame_units(g, n) <= target) {
            best = n;
            k_lo = k + 1u;
        } else {
            if (k == 0)
                break;
            k_hi = k - 1u;
        }
    }
    return best;
}

/* Sum of w (v - c) over neurons [begin, end), both sides. */
static void
mix_part(const guard_mix_src *m, uint32_t begin, uint32_t end, float *l, float *r)
{
    double sl = 0.0, sr = 0.0;
    for (uint32_t i = begin; i < end; ++i) {
        double x = (double)m->v[i] - m->center;
        sl += m->wl[i] * x;
        sr += m->wr[i] * x;
    }
    *l = (float)sl;
    *r = (float)sr;
}

/* The fade goes on from where it is, with `add` joined at full weight. */
static void
restart_fade(guard *g, float add_l, float add_r)
{
    g->tail_l = g->tail_l * g->tail_gain + add_l;
    g->tail_r = g->tail_r * g->tail_gain + add_r;
    g->tail_gain = 1.0f;
    g->tail_step = 1.0f / (float)(g->fade_frames * (g->n_sub ? g->n_sub : 1u) + 1u);
}

/* Play neurons [0, n) from now on, n < n_play: the others freeze, their
 * part of the mix fades out. */
static void
drop_to(guard *g, uint32_t n, const guard_mix_src *mix)
{
    float l, r;
    mix_part(mix, n, g->n_play, &l, &r);
    restart_fade(g, l, r);
    g->work += (double)(g->n_play - n); /* the sum above, a unit a neuron */
    g->n_play = n;
    g->hold = ms_frames(g, GUARD_HOLD_MS);
    g->drops++;
}

/* Neurons [n_play, n) come back from their frozen state: the mix takes
 * them at once, less their frozen part, which fades in. */
static void
grow_to(guard *g, uint32_t n, const guard_mix_src *mix)
{
    float l, r;
    mix_part(mix, g->n_play, n, &l, &r);
    restart_fade(g, -l, -r);
    g->work += (double)(n - g->n_play);
    g->n_play = n;
    g->grows++;
}

/* Model time at the start of a block: slower when the neurons played are at
 * the floor and still do not fit, faster again (an eighth of the steps at a
 * time, after a hold) when they fit GUARD_GROW_AT. */
static void
plan_time(guard *g)
{
    if (g->time_locked) {
        g->scale = g->scale_goal = 1.0;
        return;
    }
    const uint32_t goal = steps_at(g, g->scale_goal);
    if (g->n_play <= floor_of(g) &&
        frame_units_at(g, g->n_play, goal) > GUARD_SHRINK_AT * g->per_frame) {
        uint32_t s = steps_fitting(g, g->n_play, GUARD_PLAN_AT * g->per_frame);
        if (s < goal) {
            g->scale_goal = (double)s / g->n_sub;
            g->time_hold = ms_frames(g, GUARD_HOLD_MS);
        }
    } else if (g->scale_goal < 1.0 && g->time_hold == 0) {
        uint32_t grow = g->n_sub / 8u, limit = goal + (grow > 1u ? grow : 1u);
        uint32_t s = steps_fitting(g, g->n_play, GUARD_GROW_AT * g->per_frame);
        s = s < limit ? s : limit;
        if (s > goal) {
            g->scale_goal = s >= g->n_sub ? 1.0 : (double)s / g->n_sub;
            g->time_hold = ms_frames(g, GUARD_GROW_HOLD_MS);
        }
    }
}

uint32_t
guard_block_begin(guard *g, uint32_t n_frames, const guard_mix_src *mix, int *returning)
{
    *returning = 0;
    g->work = 0.0;
    g->allowed = g->per_frame * n_frames;
    g->block_frames = n_frames;
    g->frames_left = n_frames;
    g->steps_left = 0;
    g->spikes = 0;
    g->steps_played = 0;
    if (g->n_play > g->n_set)
        g->n_play = g->n_set;
    if (g->per_frame <= 0.0) {
        g->scale = g->scale_goal = 1.0; /* full accuracy: time as set at once */
        if (g->n_play < g->n_set) {
            grow_to(g, g->n_set, mix);
            *returning = 1;
        }
        return g->n_play;
    }
    g->hold = g->hold > n_frames ? g->hold - n_frames : 0u;
    g->time_hold = g->time_hold > n_frames ? g->time_hold - n_frames : 0u;
    if (frame_units(g, g->n_play) > GUARD_SHRINK_AT * g->per_frame) {
        uint32_t n = largest_fitting(g, g->n_play, GUARD_PLAN_AT * g->per_frame);
        if (n < g->n_play)
            drop_to(g, n, mix);
        plan_time(g);
    } else if (g->scale_goal < 1.0 || g->scale < 1.0) {
        plan_time(g); /* time comes back before neurons do */
    } else if (g->n_play < g->n_set && g->hold == 0) {
        /* at most an eighth of the bank at a time, as many as fit */
        uint32_t grow = g->n_set / 8u / GUARD_GRAIN * GUARD_GRAIN;
        uint32_t limit = g->n_play + (grow > GUARD_GRAIN ? grow : GUARD_GRAIN);
        limit = limit >= g->n_set ? g->n_set : limit / GUARD_GRAIN * GUARD_GRAIN;
        uint32_t n = largest_fitting(g, limit, GUARD_GROW_AT * g->per_frame);
        if (n > g->n_play) {
            grow_to(g, n, mix);
            g->hold = ms_frames(g, GUARD_GROW_HOLD_MS);
            *returning = 1;
        }
    }
    return g->n_play;
}

uint32_t
guard_extra_steps_fit(const guard *g, int model, uint32_t want)
{
    if (g->per_frame <= 0.0)
        return want;
    double room = GUARD_PLAN_AT * g->per_frame - GUARD_FRAME_COST;
    double fit = room / (double)model_info_of(model)->step_cost;
    if (fit < 1.0)
        return 1u;
    return fit < (double)want ? (uint32_t)fit : want;
}

void
guard_set_time_lock(guard *g, int locked)
{
    g->time_locked = locked != 0;
    if (g->time_locked)
        g->scale = g->scale_goal = 1.0;
}

/* The time scale one frame on: towards its goal at the glide's pace. */
static void
glide_scale(guard *g)
{
    if (g->scale > g->scale_goal) {
        g->scale *= g->scale_down;
        g->scale = g->scale < g->scale_goal ? g->scale_goal : g->scale;
    } else if (g->scale < g->scale_goal) {
        g->scale *= g->scale_up;
        g->scale = g->scale > g->scale_goal ? g->scale_goal : g->scale;
    }
}

/* Steps the next `frames` frames run from s steps a frame on, as the glide
 * takes them down to the goal (at most: the glide's geometric excess over
 * the goal is bounded by (s - goal) / (1 - factor)); at s when not falling. */
static double
glide_steps(const guard *g, uint32_t s, double frames)
{
    const double goal = steps_at(g, g->scale_goal);
    if (s <= goal)
        return frames * s;
    double excess = (s - goal) / (1.0 - g->scale_down) + frames; /* + rounding */
    return frames * goal + (excess < frames * (s - goal) ? excess : frames * (s - goal));
}

uint32_t
guard_frame_begin(guard *g)
{
    if (g->frames_left)
        g->frames_left--;
    g->work += g->frame;
    uint32_t s = g->n_sub;
    if (g->per_frame > 0.0 && !g->time_locked) {
        glide_scale(g);
        s = steps_at(g, g->scale);
        /* at the floor, the rest of the block as the glide will run it
         * must fit: else the steps that fit, at once (as a speed step would) */
        const double frames = g->frames_left + 1.0, per = step_units(g, g->n_play);
        const double room = g->allowed - g->work - g->frames_left * g->frame - g->n_play;
        if (g->n_play <= floor_of(g) && room < glide_steps(g, s, frames) * per) {
            double fit = room / (frames * per);
            uint32_t f = fit >= 1.0 ? (uint32_t)fit : 1u;
            if (f < s) {
                s = f;
                g->scale = (double)s / g->n_sub; /* then back up to its goal */
            }
        }
    }
    g->steps = g->steps_left = s;
    return s;
}

/* The least work left in the block from this step on with n neurons,
 * and the unit a neuron a later drop would cost (drop_to). */
static double
work_left(const guard *g, uint32_t n)
{
    double steps = (double)g->steps_left + (double)g->frames_left * g->steps;
    return steps * (g->step + n * g->neuron) + g->frames_left * g->frame + n;
}

uint32_t
guard_before_step(guard *g, uint32_t n_now, const guard_mix_src *mix, uint64_t *syn_allow)
{
    *syn_allow = UINT64_MAX;
    g->n_stepped = n_now;
    if (g->per_frame <= 0.0)
        return n_now;
    if (g->work + work_left(g, g->n_play) > g->allowed) {
        double steps = (double)g->steps_left + (double)g->frames_left * g->steps;
        double room = g->allowed - g->work - g->frames_left * g->frame - steps * g->step;
        double fit = room > 0.0 ? room / (steps * g->neuron + 1.0) : 0.0;
        uint32_t n = fit >= g->n_play ? g->n_play : (uint32_t)fit / GUARD_GRAIN * GUARD_GRAIN;
        if (n < floor_of(g))
            n = floor_of(g);
        if (n < g->n_play)
            drop_to(g, n, mix);
    }
    double room = g->allowed - g->work - work_left(g, g->n_play);
    *syn_allow = room > 0.0 ? (uint64_t)(room / g->synapse) : 0u;
    g->n_stepped = g->n_play;
    return g->n_play;
}

void
guard_after_step(guard *g, uint32_t n_after, uint32_t spikes, uint64_t ops,
                 const guard_mix_src *mix)
{
    if (g->steps_left)
        g->steps_left--;
    g->work += g->step + g->n_stepped * g->neuron + g->synapse * (double)ops;
    g->spikes += spikes;
    g->steps_played += g->n_stepped;
    if (n_after < g->n_play)
        drop_to(g, n_after, mix);
}

void
guard_mix_tail(guard *g, float *l, float *r)
{
    if (g->tail_gain <= 0.0f)
        return;
    *l += g->tail_l * g->tail_gain;
    *r += g->tail_r * g->tail_gain;
    g->tail_gain -= g->tail_step;
    if (g->tail_gain <= 0.0f)
        g->tail_gain = g->tail_l = g->tail_r = 0.0f;
}

void
guard_block_end(guard *g, float *load, uint32_t *active, float *time_scale)
{
    g->last_work = g->work;
    g->last_allowed = g->allowed;
    g->last_scale = g->steps && g->steps < g->n_sub ? (double)g->steps / g->n_sub : 1.0;
    *load = g->allowed > 0.0 ? (float)(g->work / g->allowed) : 0.0f;
    *active = g->n_play < g->n_set || g->last_scale < 1.0;
    *time_scale = (float)g->last_scale;
    g->thinned_blocks += g->n_play < g->n_set;
    g->slowed_blocks += g->last_scale < 1.0;
    /* spikes per neuron-step: at once when it rises (the next block must
     * not be planned on a quiet past), over a quarter second when it falls */
    if (g->steps_played) {
        double rate = (double)g->spikes / (double)g->steps_played;
        double a = g->block_frames / (0.25 * g->sample_rate);
        g->spike_rate = rate > g->spike_rate ? rate : g->spike_rate + (rate - g->spike_rate) * (a < 1.0 ? a : 1.0);
    }
}

/* Spikes among spiked[0..count) below n (the list is in index order). */
static uint32_t
spikes_below(const uint32_t *spiked, uint32_t count, uint32_t n)
{
    uint32_t lo = 0, hi = count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2u;
        if (spiked[mid] < n)
            lo = mid + 1u;
        else
            hi = mid;
    }
    return lo;
}

uint32_t
guard_fit_delivery(const network_params *np, const uint32_t *spiked, uint32_t count,
                   uint32_t *n, uint64_t allow)
{
    if (network_step_cost(np, count, *n) <= allow)
        return count;
    const uint32_t lo = *n < GUARD_MIN_NEURONS ? *n : GUARD_MIN_NEURONS;
    uint32_t best = lo;
    uint32_t k_lo = lo / GUARD_GRAIN + 1u, k_hi = (*n - 1u) / GUARD_GRAIN;
    while (k_lo <= k_hi) {
        uint32_t k = k_lo + (k_hi - k_lo) / 2u, m = k * GUARD_GRAIN;
        if (network_step_cost(np, spikes_below(spiked, count, m), m) <= allow) {
            best = m;
            k_lo = k + 1u;
        } else {
            k_hi = k - 1u;
        }
    }
    *n = best;
    return spikes_below(spiked, count, best);
}

void
guard_state(state_io *s, guard *g, uint32_t capacity)
{
    state_f64_finite(s, "guard budget", &g->per_frame, 1);
    state_u32_max(s, "guard neurons set", &g->n_set, 1, capacity);
    state_u32_max(s, "guard neurons played", &g->n_play, 1, capacity);
    state_u32(s, "guard hold", &g->hold, 1);
    state_f64(s, "guard spike rate", &g->spike_rate, 1);
    float *tail[] = {&g->tail_l, &g->tail_r, &g->tail_gain, &g->tail_step};
    for (int k = 0; k < 4; ++k)
        state_f32(s, "guard tail", tail[k], 1);
    double *costs[] = {&g->neuron, &g->step, &g->frame, &g->synapse};
    for (int k = 0; k < 4; ++k)
        state_f64(s, "guard costs", costs[k], 1);
    state_u32(s, "guard steps per frame", &g->n_sub, 1);
    state_u64(s, "guard network seed", &g->np.seed, 1);
    state_f32(s, "guard network", &g->np.p, 1);
    state_f32(s, "guard network", &g->np.w_exc, 1);
    state_f32(s, "guard network", &g->np.w_inh, 1);
    state_u32(s, "guard steps", &g->steps, 1);
    double *scale[] = {&g->scale, &g->scale_goal, &g->scale_down, &g->scale_up};
    for (int k = 0; k < 4; ++k)
        state_f64_finite(s, "guard time scale", scale[k], 1);
    state_u32(s, "guard time hold", &g->time_hold, 1);
    state_int(s, "guard time locked", &g->time_locked, 1, 0, 1);
    state_f64(s, "guard work", &g->work, 1);
    state_f64(s, "guard work", &g->allowed, 1);
    uint32_t *counts[] = {&g->frames_left, &g->steps_left, &g->n_stepped, &g->block_frames};
    for (int k = 0; k < 4; ++k)
        state_u32(s, "guard counts", counts[k], 1);
    state_u64(s, "guard spikes", &g->spikes, 1);
    state_u64(s, "guard steps played", &g->steps_played, 1);
    state_f64(s, "guard last block", &g->last_work, 1);
    state_f64(s, "guard last block", &g->last_allowed, 1);
    state_f64(s, "guard last block", &g->last_scale, 1);
    uint64_t *events[] = {&g->thinned_blocks, &g->drops, &g->grows, &g->slowed_blocks};
    for (int k = 0; k < 4; ++k)
        state_u64(s, "guard events", events[k], 1);
}
