/* frame_guard.c — the real-time guard's stage (guard.h): the engine's side
 * of it. At the start of a block the bank is set to the neurons the guard
 * plays; every frame brings the costs of what runs and takes the model
 * steps the guard lets it run (fewer while it slows model time); every step is checked
 * before and counted after; the bank mix gets the faded neurons' part; at
 * the end the guard reports and the bank counts every neuron set again. */
#include "engine_state.h"

/* The bank mix's sources, for the guard's fades. */
static guard_mix_src
mix_src(const engine *e)
{
    const model_desc *m = e->cfg.model;
    return (guard_mix_src){e->pan_l, e->pan_r, e->bank->var[m->soma_var], m->audio_center};
}

/* Whether model time must run as set: pitch tracking (pitch_mode track)
 * ties each neuron's time to a note's pitch and tempo lock (tempo_sync)
 * ties the bank's to the host's beat grid, so the guard may only thin the
 * bank (guard_set_time_lock). */
int
engine_time_scale_locked(const engine *e)
{
    return engine_pitch_tracking(e) || e->tempo.on;
}

/* While a settled start pre-rolls the bank waits (no steps). An uncoupled
 * pre-roll runs here, in the frame, taking what the budget leaves
 * (guard_extra_steps_fit); a network's runs at once or on another thread.
 * Planning the bank's steps on top would thin a bank that then plays
 * thinned long after the silent pre-roll. */
static void
costs(engine *e)
{
    const int settling = e->fade_state == FADE_SETTLE;
    const uint32_t pre_roll = settling && !settle_is_network(e->settle)
                                  ? guard_extra_steps_fit(&e->guard, (int)e->cur[P_MODEL], e->settle_work)
                                  : 0u;
    guard_set_costs(&e->guard, (int)e->cur[P_MODEL], e->cfg.noise_sigma, &e->cfg.np,
                    e->bank->g_live, settling ? 0u : e->n_sub, pre_roll);
    guard_set_time_lock(&e->guard, engine_time_scale_locked(e));
}

void
engine_guard_begin(engine *e, uint32_t n_frames)
{
    costs(e);
    int returning;
    guard_mix_src src = mix_src(e);
    e->bank->n = guard_block_begin(&e->guard, n_frames, &src, &returning);
    e->ext_dirty |= returning; /* the neurons back take their stimulus again */
}

uint32_t
engine_guard_frame(engine *e)
{
    costs(e);
    return guard_frame_begin(&e->guard);
}

void
engine_guard_before_step(engine *e)
{
    bank *b = e->bank;
    guard_mix_src src = mix_src(e);
    b->n = guard_before_step(&e->guard, b->n, &src, &b->syn_allow);
}

void
engine_guard_after_step(engine *e, uint32_t spikes)
{
    guard_mix_src src = mix_src(e);
    guard_after_step(&e->guard, e->bank->n, spikes, e->bank->syn_ops, &src);
}

void
engine_guard_step_ahead(engine *e, uint32_t spikes, uint64_t syn_ops)
{
    guard_mix_src src = mix_src(e);
    uint64_t allow;
    const uint32_t n = guard_before_step(&e->guard, e->bank->n, &src, &allow);
    guard_after_step(&e->guard, n, spikes, syn_ops, &src);
}

void
engine_guard_mix(engine *e, float *l, float *r)
{
    guard_mix_tail(&e->guard, l, r);
}

void
engine_guard_end(engine *e, engine_io *io)
{
    guard_block_end(&e->guard, &io->guard_load, &io->guard_active, &io->guard_time_scale);
    e->bank->n = e->guard.n_set;
}
