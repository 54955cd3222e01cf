/* engine_params.c — the engine's parameters, from as set to as running:
 * the bank's configuration and time step, glides, the crossfade under
 * structural changes, the neurons' placement, notes and gains.
 *
 * Time: the model advances speed * 1000 / sample_rate ms per frame, split
 * into the fewest equal steps no longer than the model's dt_max_ms (shortened
 * further for HH above 6.3 degC, where the rates grow by phi). Spike times
 * are kept to the fraction of a step, so they agree across sample rates.
 *
 * Parameters (engine_set_param) take effect at the next engine_process():
 *  - the output levels (membrane, spike, master) and the MIDI pitch bend and
 *    mod wheel glide linearly to their new value over GLIDE_MS, one
 *    increment per frame, so automation never zippers or clicks;
 *  - structural ones (model, neurons, focus, listen, source) change under a
 *    crossfade: the output fades out over FADE_MS, the change is applied (a
 *    model switch re-initialises every neuron), HOLD_FRAMES pass in silence
 *    while the anti-aliasing filter fills with the new signal, and it fades
 *    back in;
 *  - every other parameter applies at once: each is a current, a rate, a
 *    conductance or a time base of the bank, so its step bends the membrane
 *    voltage's slope but never moves a sample (the voltage is the state of
 *    an ODE and stays continuous), or it only affects future notes. Gliding
 *    them would only blur the response the accuracy tests check.
 * Parameters set before the first engine_process() after create or
 * engine_set_all_params() apply at once, with no glide and no fade.
 * The glides and the crossfade play out frame by frame in frame_begin.c.
 */
#include "engine_state.h"

#include "models/rheobase.h"
#include "network.h"
#include "scale.h"

#include <math.h>
#include <string.h>

static int
is_structural(int id)
{
    return id == P_MODEL || id == P_NEURONS || id == P_FOCUS || id == P_LISTEN || id == P_SOURCE;
}

static int
glides(int id)
{
    return id >= PARAM_COUNT || id == P_MEMBRANE_LEVEL || id == P_SPIKE_LEVEL ||
           id == P_MASTER_LEVEL || id == P_LEVELLING;
}

static float
hh_phi(float temperature)
{
    return powf(3.0f, (temperature - 6.3f) / 10.0f);
}

/* Rebuild the bank configuration from the running values. */
void
engine_configure(engine *e)
{
    const float *p = e->cur;
    bank_config *c = &e->cfg;
    c->model = model_get((int)p[P_MODEL]);

    float phi = hh_phi(p[P_TEMPERATURE]);
    /* pitch bend bends the whole dynamics, or, tracking, the notes' pitch;
     * the tempo lock's time scale is a global factor over everything else */
    const int tracking = (int)p[P_PITCH_MODE] == PITCH_TRACK;
    double bend = tracking ? 1.0 : exp2((double)p[G_BEND] * MIDI_BEND_SEMITONES / 12.0);
    double speed = (double)p[P_SPEED] * bend * e->tempo.scale;
    double frame_ms = speed * 1000.0 / e->sample_rate;
    const model_info *info = model_info_of((int)p[P_MODEL]);
    double dt_max = info->dt_max_ms;
    /* Faster rates need finer steps for the same accuracy; sqrt keeps the
     * cost moderate when warm (stability does not depend on it). */
    if (info->uses_temperature && phi > 1.0f)
        dt_max /= sqrt((double)phi);
    uint32_t n_sub = (uint32_t)ceil(frame_ms / dt_max - 1e-9);
    if (n_sub < 1)
        n_sub = 1;
    if (n_sub > MAX_SUBSTEPS) {
        n_sub = MAX_SUBSTEPS;
        /* A step past the model's dt_max_ms is where its integrator stops
         * being stable (the input limits of model_desc are measured there):
         * at low rates the top speeds then run slower than set, e.g. at
         * 8 kHz Pinsky-Rinzel reaches 51x (docs/manual.md, speed). */
        if (frame_ms / n_sub > info->dt_max_ms)
            frame_ms = n_sub * (double)info->dt_max_ms;
    }
    e->n_sub = n_sub;
    float dt = (float)(frame_ms / n_sub);
    focus_trace_configure(&e->trace, dt, n_sub);

    c->mp = (model_params){
        .dt_ms = dt,
        .phi = phi,
        .threshold = p[P_SPIKE_THRESHOLD],
        .pr_gc = p[P_PR_GC],
        .pr_p = p[P_PR_P],
        .izh_a = p[P_IZH_A],
        .izh_b = p[P_IZH_B],
        .izh_c = p[P_IZH_C],
        .izh_d = p[P_IZH_D],
        .hr_r = p[P_HR_R],
        .na_block = p[P_TTX],
        .k_block = p[P_TEA],
        .ahp_block = p[P_NOREPINEPHRINE],
        .isa = e->isa,
    };
    /* the current-like controls in the model's unit (models/rheobase.h);
     * the stimulus currents follow through current_unit */
    float unit = 1.0f, drive = p[P_DRIVE];
    if ((int)p[P_DRIVE_MODE] == DRIVE_RELATIVE) {
        model_current_scale cs =
            model_current_scale_of((int)p[P_MODEL], p[P_TEMPERATURE], p[P_IZH_B]);
        unit = cs.unit;
        drive = drive_current(cs, p[P_DRIVE]);
    }
    if (unit != e->current_unit) {
        e->current_unit = unit;
        e->ext_dirty = 1;
    }
    float mod = p[G_MOD] * MIDI_MOD_BRANCH;
    c->dp = (dendrite_params){
        .mode = (int)p[P_DENDRITE_MODE],
        .mg_mM = p[P_NMDA_MG],
        .dcaap_threshold = p[P_DCAAP_THRESHOLD],
        .dcaap_width = p[P_DCAAP_WIDTH],
        .dcaap_amplitude = p[P_DCAAP_AMPLITUDE] * unit,
        .tonic_a = p[P_BRANCH_A] + mod,
        .tonic_b = p[P_BRANCH_B] + mod,
        .to_mV_a = c->model->to_mV_a,
        .to_mV_b = c->model->to_mV_b,
        .receptors = (int)p[P_SYNAPSE_MODEL] == SYNAPSE_RECEPTORS,
        .subunits = p[P_BRANCH_SUBUNITS] >= 0.5f,
        .dt_ms = dt,
    };
    c->np = (network_params){
        .seed = (uint64_t)p[P_SEED],
        .p = p[P_CONNECTIVITY],
        .w_exc = p[P_W_EXC],
        .w_inh = p[P_W_INH],
        .isa = e->isa,
        .stop = e->stop,
        .stop_arg = e->stop_arg,
    };
    c->drive = drive;
    c->gap = p[P_GAP];
    e->tempo_population = network_delivers(&c->np);
    tempo_lock_configure(&e->tempo, (int)p[P_TEMPO_SYNC] == TEMPO_SYNC_ON,
                         tempo_division_quarters((int)p[P_SYNC_DIVISION]));
    c->exc_decay = expf(-dt / p[P_TAU_EXC]);
    c->inh_decay = expf(-dt / p[P_TAU_INH]);
    c->noise_sigma = p[P_NOISE] * unit;
    c->noise_decay = expf(-dt / p[P_NOISE_TAU]);
    c->noise_kick = c->noise_sigma * sqrtf(1.0f - c->noise_decay * c->noise_decay);
    if (tracking || e->bank->time_scaled) {
        /* the bias of the neurons without a note follows drive and spread */
        e->ext_dirty = 1;
        if (!tracking) { /* back to the bank's one time */
            for (uint32_t i = 0; i < e->bank->capacity; ++i)
                e->bank->time_scale[i] = 1.0f;
            e->bank->time_scaled = 0;
        }
    }
    c->synapse_model = (int)p[P_SYNAPSE_MODEL];
    /* the stable range of the model's step (bank.c saturates the
     * exponential synapses at the same bound) */
    float g_max = c->model->g_limit > 0.0f
                      ? c->model->g_limit * info->dt_max_ms / dt / 3.0f
                      : INFINITY;
    receptors_configure(&c->rc, dt, p[P_NMDA_RATIO], p[P_NMDA_MG], p[P_AP5],
                        p[P_BICUCULLINE], p[P_BENZODIAZEPINE], p[P_W_INH],
                        c->model->to_mV_a, c->model->to_mV_b, g_max);
    /* the branches are summed before any nonlinearity unless each has its
     * own (dendrite_currents) */
    c->rc.one_branch = !(c->dp.subunits && c->dp.mode != DENDRITE_LINEAR);
    c->sp = (synapse_params){
        .rate = p[P_PLASTICITY],
        .rule = (int)p[P_STDP_RULE],
        .w_max = p[P_W_MAX],
        .dopamine = p[P_DOPAMINE],
        .velocity = p[P_AXON_VELOCITY],
        .dt_ms = dt,
        /* receptors take the arrivals in at the step's end, with their own
         * kinetics: no decay before it */
        .tau_exc_ms = c->synapse_model == SYNAPSE_RECEPTORS ? INFINITY : p[P_TAU_EXC],
        .tau_inh_ms = c->synapse_model == SYNAPSE_RECEPTORS ? INFINITY : p[P_TAU_INH],
        .isa = e->isa,
    };
    c->poisson_rate_hz = p[P_POISSON_RATE];
    c->poisson_weight = p[P_POISSON_WEIGHT];
    engine_attach_synapses(e);
    c->mc = m_current_of((int)p[P_MODEL], p[P_ACETYLCHOLINE], dt);
}

/* Scale notes of the running neurons; the MIDI drive follows them. */
void
engine_map_notes(engine *e)
{
    const uint32_t n = e->bank->n;
    for (uint32_t i = 0; i < n; ++i)
        e->notes[i] = scale_note((int)e->cur[P_SCALE], (int)e->cur[P_ROOT], i);
    midi_in_map(&e->min, e->notes, n, e->midi_amount);
    e->midi_active = 0;
    for (uint32_t i = 0; i < n; ++i)
        e->midi_active |= e->midi_amount[i] != 0.0f;
    e->min.changed = 0;
    e->ext_dirty = 1;
}

/* Stereo placement of every neuron: spread from 15 % to 85 % across the
 * field, constant-power, scaled so the weights' squares sum to one per side
 * (incoherent neurons then sum to the loudness of one). */
static void
place_neurons(engine *e)
{
    const uint32_t n = e->bank->n;
    double sl = 0.0, sr = 0.0;
    for (uint32_t i = 0; i < n; ++i) {
        float pos = n > 1 ? 0.15f + 0.7f * (float)i / (float)(n - 1) : 0.5f;
        e->pan_pos[i] = pos;
        e->pan_l[i] = cosf(1.5707963f * pos);
        e->pan_r[i] = sinf(1.5707963f * pos);
        sl += (double)e->pan_l[i] * e->pan_l[i];
        sr += (double)e->pan_r[i] * e->pan_r[i];
    }
    /* neurons beyond the bank weigh nothing in the (vectorised) mix; those
     * never placed are zero already, and an offline engine's pages for them
     * stay unmapped */
    if (e->pans_placed > n) {
        size_t rest = (e->pans_placed - n) * sizeof(float);
        memset(e->pan_l + n, 0, rest);
        memset(e->pan_r + n, 0, rest);
        memset(e->pan_pos + n, 0, rest);
    }
    e->pans_placed = n;
    float kl = (float)(1.0 / sqrt(sl)), kr = (float)(1.0 / sqrt(sr));
    for (uint32_t i = 0; i < n; ++i) {
        e->pan_l[i] *= kl;
        e->pan_r[i] *= kr;
    }
    stimulus_configure(&e->stim, n);
    for (uint32_t i = 0; i < n; ++i)
        e->band_of[i] = (uint8_t)stimulus_band_of(i, n, e->stim.n_bands);
}

/* The calibrated gains (sonify.h). The membrane mix of independent neurons
 * is as loud as one (unit sum of squares), so its gain depends on the model
 * alone: a tonic neuron of the model at its default settings sounds at
 * SONIFY_LEVEL_TARGET RMS. Up to VOICES_MAX plucks ring at once; they are
 * tuned apart, so they add in power, and 1/sqrt of their number holds a bank
 * firing in step as loud as one neuron. */
static void
calibrate(engine *e)
{
    const model_desc *m = e->cfg.model;
    e->mem_cal = SONIFY_LEVEL_TARGET / m->audio_tonic_rms;
    uint32_t n = e->bank->n < VOICES_MAX ? e->bank->n : VOICES_MAX;
    e->spk_cal = SONIFY_SPIKE_CAL / sqrtf((float)(n ? n : 1));
}

/* start = settled. A coupled network pre-rolls whole (settle.h), which only
 * a host that can run it outside the audio thread offers
 * (engine_settle_mode); without one it starts from rest. */
static int
engine_starts_settled(const engine *e)
{
    return (int)e->cur[P_START] == START_SETTLED &&
           (!settle_coupled(&e->cfg) || (e->settle_mode != ENGINE_SETTLE_IN_PROCESS &&
                                         settle_network_can_pre_roll(&e->cfg)));
}

/* Begin the pre-roll, silent until it is placed (frame_begin.c). While
 * the host's thread runs an earlier one, the settle object is its: begin
 * anew once it comes back. */
static void
settle_start(engine *e)
{
    e->fade_state = FADE_SETTLE;
    e->fade_pos = 0;
    e->settle_waited = 0;
    int job = SETTLE_JOB_WAITING;
    if (!atomic_compare_exchange_strong_explicit(&e->settle_job, &job, SETTLE_JOB_NONE,
                                                 memory_order_acq_rel, memory_order_acquire) &&
        job == SETTLE_JOB_RUNNING) {
        e->settle_again = 1;
        return;
    }
    e->settle_again = 0;
    atomic_store_explicit(&e->settle_job, SETTLE_JOB_NONE, memory_order_relaxed);
    settle_begin(e->settle, e->bank, &e->cfg, e->pan_l, e->pan_r, (uint64_t)e->cur[P_SEED]);
    if (!settle_is_network(e->settle))
        return; /* advanced here, frame by frame */
    if (e->settle_mode == ENGINE_SETTLE_AT_ONCE) {
        while (!settle_advance(e->settle, UINT32_MAX))
            ;
        atomic_store_explicit(&e->settle_job, SETTLE_JOB_DONE, memory_order_relaxed);
        return;
    }
    atomic_store_explicit(&e->settle_job, SETTLE_JOB_WAITING, memory_order_release);
    atomic_store_explicit(&e->settle_signal, true, memory_order_release);
}

/* FADE_SETTLE, each frame: 1 once the pre-roll is done and the engine's
 * to place, -1 to start from rest instead (nobody took a coupled one), 0
 * while it goes on. */
int
engine_settle_ready(engine *e)
{
    int job = atomic_load_explicit(&e->settle_job, memory_order_acquire);
    if (e->settle_again) {
        if (job == SETTLE_JOB_DONE)
            settle_start(e); /* the old result is not this bank's */
        return 0;
    }
    if (!settle_is_network(e->settle))
        return settle_advance(e->settle, guard_extra_steps_fit(&e->guard, (int)e->cur[P_MODEL],
                                                               e->settle_work));
    /* placed SETTLE_HOLD_MS in, whoever ran it and however fast: a host
     * whose worker keeps up sounds as `hillock render` does, sample for
     * sample */
    e->settle_waited++;
    if (job == SETTLE_JOB_DONE) {
        if (e->settle_waited < (uint32_t)(SETTLE_HOLD_MS * 1e-3 * e->sample_rate))
            return 0;
        atomic_store_explicit(&e->settle_job, SETTLE_JOB_NONE, memory_order_relaxed);
        return 1;
    }
    if (job == SETTLE_JOB_WAITING &&
        e->settle_waited > (uint32_t)(SETTLE_WAIT_MS * 1e-3 * e->sample_rate) &&
        atomic_compare_exchange_strong_explicit(&e->settle_job, &job, SETTLE_JOB_NONE,
                                                memory_order_acq_rel, memory_order_acquire))
        return -1;
    return 0;
}

/* Apply the running structural values: bank size, model, placement. */
void
engine_apply_structure(engine *e, int reinit_all)
{
    bank *b = e->bank;
    /* while the guard thins the bank (inside engine_process) b->n counts
     * the neurons played; the neurons set are the guard's */
    uint32_t n_old = b->n < e->guard.n_set ? e->guard.n_set : b->n;
    engine_configure(e);
    b->n = (uint32_t)e->cur[P_NEURONS];
    if (reinit_all) {
        /* the running neurons and the rest of their last vector (the mix
         * reads whole vectors); the others start when the bank grows to
         * them (below), so a reset costs what the bank runs, not its
         * capacity */
        uint32_t end = (b->n + 63u) & ~63u;
        bank_init_neurons(b, &e->cfg, 0, end < b->capacity ? end : b->capacity);
        level_reference_start(e, 0, b->n);
        if (b->syn)
            synapses_fresh_start(b->syn); /* weights kept; a loaded state kept */
    } else if (b->n > n_old) {
        bank_init_neurons(b, &e->cfg, n_old, b->n);
        level_reference_start(e, n_old, b->n);
    }
    bank_set_spread(b, e->cur[P_SPREAD]);
    network_assign_types(b->inhibitory, b->branch, b->n, (uint64_t)e->cur[P_SEED],
                         e->cur[P_INHIBITORY_FRACTION]);
    place_neurons(e);
    pitch_track_set_neurons(&e->pt, b->n);
    if (reinit_all)
        pitch_track_restart(&e->pt, b);
    engine_map_notes(e);
    calibrate(e);
    guard_structure(&e->guard, b->n);
    if (reinit_all && engine_starts_settled(e))
        settle_start(e); /* the neurons wait at rest, silent, until the
                          * pre-roll places them (frame_begin.c) */
}


/* A loaded state's running values in force (engine_snapshot.c): what
 * engine_apply_structure derives from them, nothing started anew. */
void
engine_derive_running(engine *e)
{
    bank *b = e->bank;
    const uint32_t played = b->n;
    engine_configure(e);
    b->n = (uint32_t)e->cur[P_NEURONS];
    bank_set_spread(b, e->cur[P_SPREAD]);
    network_assign_types(b->inhibitory, b->branch, b->n, (uint64_t)e->cur[P_SEED],
                         e->cur[P_INHIBITORY_FRACTION]);
    place_neurons(e);
    engine_map_notes(e);
    calibrate(e);
    b->n = played;
}

/* The leveller's gains for a bank starting now. From rest every neuron
 * starts from the same state, so the bank starts in step; settled, at
 * independent phases, it is as loud as one. */
void
engine_start_gains(engine *e)
{
    const uint32_t n = e->bank->n;
    sonify_set_membrane_gain(e->son, e->fade_state == FADE_SETTLE || engine_starts_settled(e)
                                         ? 1.0f
                                         : 1.0f / sqrtf((float)n));
    sonify_set_spike_gain(e->son, 1.0f / sqrtf((float)(n < VOICES_MAX ? n : VOICES_MAX)));
}

/* Everything at once, as for a fresh start. */
void
engine_apply_all_now(engine *e)
{
    for (int i = 0; i < PARAM_COUNT; ++i)
        e->cur[i] = e->params[i];
    e->cur[G_BEND] = e->min.bend;
    e->cur[G_MOD] = e->min.mod;
    memset(e->glide_left, 0, sizeof e->glide_left);
    e->gliding = 0;
    e->fade_state = FADE_NONE;
    e->fade_pos = e->fade_frames;
    engine_apply_structure(e, 1);
    e->mem_ref = 0.0f;
    engine_start_gains(e);
    e->dirty = 0;
}

void
engine_start_glide(engine *e, int id, float to)
{
    if (e->glide_left[id] && e->glide_to[id] == to)
        return;
    if (!e->glide_left[id] && e->cur[id] == to)
        return;
    if (!e->glide_left[id])
        e->gliding++;
    e->glide_to[id] = to;
    e->glide_step[id] = (to - e->cur[id]) / (float)e->glide_frames;
    e->glide_left[id] = e->glide_frames;
}

/* Take in parameters set since the last block. */
void
engine_take_params(engine *e)
{
    int reconfigure = 0, types = 0, notes = 0, fade = 0, spread = 0;
    for (int id = 0; id < PARAM_COUNT; ++id) {
        float to = e->params[id];
        if (is_structural(id)) {
            fade |= to != e->cur[id];
        } else if (glides(id)) {
            engine_start_glide(e, id, to);
        } else if (to != e->cur[id]) {
            e->cur[id] = to;
            reconfigure = 1;
            types |= id == P_SEED || id == P_INHIBITORY_FRACTION;
            notes |= id == P_SCALE || id == P_ROOT;
            spread |= id == P_SPREAD;
            e->ext_dirty |= id == P_INPUT_ROUTING || id == P_MIDI_DRIVE;
        }
    }
    if (reconfigure)
        engine_configure(e);
    if (types)
        network_assign_types(e->bank->inhibitory, e->bank->branch, e->bank->n,
                             (uint64_t)e->cur[P_SEED], e->cur[P_INHIBITORY_FRACTION]);
    if (notes)
        engine_map_notes(e);
    if (spread)
        bank_set_spread(e->bank, e->cur[P_SPREAD]);
    if (fade) {
        if (e->fade_state == FADE_NONE || e->fade_state == FADE_IN)
            e->fade_state = FADE_OUT;
        else if (e->fade_state == FADE_HOLD || e->fade_state == FADE_SETTLE)
            e->fade_pos = 0, e->fade_state = FADE_OUT; /* switch again at once */
    }
    e->dirty = 0;
}
