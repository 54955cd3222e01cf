/* engine.c — bank + voices + stimulus + MIDI + smoothing: process(n frames).
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
 *  - structural ones (model, neurons, focus, listen) change under a
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
 *
 * Every schedule counts absolute frames, never blocks, so the output is
 * bit-identical for any split of the same frames into blocks.
 */
#include "engine.h"

#include "bandlimit.h"
#include "bank.h"
#include "bank_screen.h"
#include "focus_trace.h"
#include "ftz.h"
#include "level_stats.h"
#include "midi.h"
#include "rng.h"
#include "scale.h"
#include "settle.h"
#include "sonify.h"
#include "stereo_mix.h"
#include "stimulus.h"
#include "voices.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SUBSTEPS 256u
#define GATE_MS 1.0
#define RATE_SMOOTH_MS 100.0
#define GLIDE_MS 20.0
#define FADE_MS 10.0
#define HOLD_FRAMES (BANDLIMIT_LENGTH + 4u)
#define STATS_EVERY 8u   /* frames between updates of the neurons' running variance */
#define STATS_MS 200.0   /* its time constant */
/* Neuron-steps of the settled start's pre-roll per frame (dsp/settle.h):
 * the work of a 256-neuron bank, while the bank itself is not stepped */
#define SETTLE_WORK 256u

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
    settle *settle;
    bank_config cfg;
    simd_isa isa;
    uint32_t n_sub;
    uint64_t step_index;

    sonify *son;
    bandlimit *bl;
    voices *vo;
    stimulus stim;
    midi_in min;
    midi_out mout;
    int midi_all_off;          /* send note offs for every sounding note */
    uint32_t note_frames;

    float *pan_l, *pan_r;      /* membrane bank mix weights, unit sum of squares */
    float *pan_pos;            /* 0 = left .. 1 = right, per neuron */
    float *stat_mean, *stat_msq; /* running mean and mean square of each neuron's
                                    normalised voltage, for the loudness reference */
    float stat_coef;
    float mem_ref;             /* loudness of the mix if the neurons were independent */
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

    focus_trace trace;         /* the focus neuron in model time, for displays */

    engine_stats stats;
    uint32_t gate_left;        /* frames of spike gate still high */
    float rate_hz;             /* smoothed population rate per neuron */
    float rate_coef;

    engine_stop_query stop;    /* asked before every model step, or NULL */
    void *stop_arg;
};

static int
is_structural(int id)
{
    return id == P_MODEL || id == P_NEURONS || id == P_FOCUS || id == P_LISTEN;
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
static void
configure(engine *e)
{
    const float *p = e->cur;
    bank_config *c = &e->cfg;
    c->model = model_get((int)p[P_MODEL]);

    float phi = hh_phi(p[P_TEMPERATURE]);
    double speed = (double)p[P_SPEED] * exp2((double)p[G_BEND] * MIDI_BEND_SEMITONES / 12.0);
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
        .isa = e->isa,
    };
    float mod = p[G_MOD] * MIDI_MOD_BRANCH;
    c->dp = (dendrite_params){
        .mode = (int)p[P_DENDRITE_MODE],
        .mg_mM = p[P_NMDA_MG],
        .dcaap_threshold = p[P_DCAAP_THRESHOLD],
        .dcaap_width = p[P_DCAAP_WIDTH],
        .dcaap_amplitude = p[P_DCAAP_AMPLITUDE],
        .tonic_a = p[P_BRANCH_A] + mod,
        .tonic_b = p[P_BRANCH_B] + mod,
        .to_mV_a = c->model->to_mV_a,
        .to_mV_b = c->model->to_mV_b,
    };
    c->np = (network_params){
        .seed = (uint64_t)p[P_SEED],
        .p = p[P_CONNECTIVITY],
        .w_exc = p[P_W_EXC],
        .w_inh = p[P_W_INH],
        .isa = e->isa,
    };
    c->drive = p[P_DRIVE];
    c->gap = p[P_GAP];
    c->exc_decay = expf(-dt / p[P_TAU_EXC]);
    c->inh_decay = expf(-dt / p[P_TAU_INH]);
    c->noise_sigma = p[P_NOISE];
    c->noise_decay = expf(-dt / p[P_NOISE_TAU]);
    c->noise_kick = p[P_NOISE] * sqrtf(1.0f - c->noise_decay * c->noise_decay);
}

/* Scale notes of the running neurons; the MIDI drive follows them. */
static void
map_notes(engine *e)
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
    /* neurons beyond the bank weigh nothing in the (vectorised) mix */
    size_t rest = (e->bank->capacity - n) * sizeof(float);
    memset(e->pan_l + n, 0, rest);
    memset(e->pan_r + n, 0, rest);
    memset(e->pan_pos + n, 0, rest);
    float kl = (float)(1.0 / sqrt(sl)), kr = (float)(1.0 / sqrt(sr));
    for (uint32_t i = 0; i < n; ++i) {
        e->pan_l[i] *= kl;
        e->pan_r[i] *= kr;
    }
    stimulus_configure(&e->stim, n);
    for (uint32_t i = 0; i < n; ++i)
        e->band_of[i] = (uint8_t)stimulus_band_of(i, n, e->stim.n_bands);
}

/* Running statistics of neurons [begin, end) start from their present state. */
static void
stats_start(engine *e, uint32_t begin, uint32_t end)
{
    const model_desc *m = e->cfg.model;
    const float *v = e->bank->var[m->soma_var];
    for (uint32_t i = begin; i < end; ++i) {
        float d = (v[i] - m->audio_center) / m->audio_half_range;
        e->stat_mean[i] = d;
        e->stat_msq[i] = d * d;
    }
}

/* Update every neuron's running mean and mean square, and from them the
 * loudness the stereo mix would have if the neurons were independent:
 * sqrt(sum w_i^2 var_i), averaged over both sides. */
static void
stats_update(engine *e)
{
    const model_desc *m = e->cfg.model;
    float pl, pr;
    level_stats_update(e->isa, e->bank->var[m->soma_var], e->stat_mean, e->stat_msq, e->pan_l,
                          e->pan_r, m->audio_center, 1.0f / m->audio_half_range, e->stat_coef,
                          e->bank->n, &pl, &pr);
    e->mem_ref = sqrtf(0.5f * (pl + pr));
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

/* Apply the running structural values: bank size, model, placement. */
static void
apply_structure(engine *e, int reinit_all)
{
    bank *b = e->bank;
    uint32_t n_old = b->n;
    configure(e);
    b->n = (uint32_t)e->cur[P_NEURONS];
    if (reinit_all) {
        /* the running neurons and the rest of their last vector (the mix
         * reads whole vectors); the others start when the bank grows to
         * them (below), so a reset costs what the bank runs, not its
         * capacity */
        uint32_t end = (b->n + 63u) & ~63u;
        bank_init_neurons(b, &e->cfg, 0, end < b->capacity ? end : b->capacity);
        stats_start(e, 0, b->n);
    } else if (b->n > n_old) {
        bank_init_neurons(b, &e->cfg, n_old, b->n);
        stats_start(e, n_old, b->n);
    }
    bank_set_spread(b, e->cur[P_SPREAD]);
    network_assign_types(b->inhibitory, b->branch, b->n, (uint64_t)e->cur[P_SEED],
                         e->cur[P_INHIBITORY_FRACTION]);
    place_neurons(e);
    map_notes(e);
    calibrate(e);
    if (reinit_all && (int)e->cur[P_START] == START_SETTLED) {
        /* the neurons wait at rest, silent, until the pre-roll places them
         * (fade_frame) */
        settle_begin(e->settle, b, &e->cfg);
        e->fade_state = FADE_SETTLE;
        e->fade_pos = 0;
    }
}

static int
network_coupled(const network_params *np)
{
    return np->p > 0.0f && (np->w_exc > 0.0f || np->w_inh > 0.0f);
}

/* The leveller's gains for a bank starting now. From rest every neuron
 * starts from the same state, so the bank starts in step; settled, at
 * independent phases, it is as loud as one. */
static void
start_gains(engine *e)
{
    const uint32_t n = e->bank->n;
    sonify_set_membrane_gain(e->son, e->fade_state == FADE_SETTLE ||
                                             (int)e->cur[P_START] == START_SETTLED
                                         ? 1.0f
                                         : 1.0f / sqrtf((float)n));
    sonify_set_spike_gain(e->son, 1.0f / sqrtf((float)(n < VOICES_MAX ? n : VOICES_MAX)));
}

/* Everything at once, as for a fresh start. */
static void
apply_all_now(engine *e)
{
    for (int i = 0; i < PARAM_COUNT; ++i)
        e->cur[i] = e->params[i];
    e->cur[G_BEND] = e->min.bend;
    e->cur[G_MOD] = e->min.mod;
    memset(e->glide_left, 0, sizeof e->glide_left);
    e->gliding = 0;
    e->fade_state = FADE_NONE;
    e->fade_pos = e->fade_frames;
    apply_structure(e, 1);
    e->mem_ref = 0.0f;
    start_gains(e);
    e->dirty = 0;
}

static void
start_glide(engine *e, int id, float to)
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
static void
take_params(engine *e)
{
    int reconfigure = 0, types = 0, notes = 0, fade = 0, spread = 0;
    for (int id = 0; id < PARAM_COUNT; ++id) {
        float to = e->params[id];
        if (is_structural(id)) {
            fade |= to != e->cur[id];
        } else if (glides(id)) {
            start_glide(e, id, to);
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
        configure(e);
    if (types)
        network_assign_types(e->bank->inhibitory, e->bank->branch, e->bank->n,
                             (uint64_t)e->cur[P_SEED], e->cur[P_INHIBITORY_FRACTION]);
    if (notes)
        map_notes(e);
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

/* One frame of every glide; reconfigures the bank if it needs it. */
static void
glide_frame(engine *e)
{
    int bank_changed = 0;
    for (int id = 0; id < G_COUNT; ++id) {
        if (!e->glide_left[id])
            continue;
        if (--e->glide_left[id] == 0) {
            e->cur[id] = e->glide_to[id];
            e->gliding--;
        } else {
            e->cur[id] += e->glide_step[id];
        }
        bank_changed |= id >= PARAM_COUNT;
    }
    if (bank_changed)
        configure(e);
}

/* Raised-cosine crossfade gain; switches structure at the bottom. Returns
 * the gain and sets *prime while the output is held silent. */
static float
fade_frame(engine *e, int *prime)
{
    *prime = 0;
    switch (e->fade_state) {
    case FADE_OUT:
        if (e->fade_pos > 0) {
            e->fade_pos--;
            break;
        }
        {
            int reinit = e->cur[P_MODEL] != e->params[P_MODEL];
            e->cur[P_MODEL] = e->params[P_MODEL];
            e->cur[P_NEURONS] = e->params[P_NEURONS];
            e->cur[P_FOCUS] = e->params[P_FOCUS];
            e->cur[P_LISTEN] = e->params[P_LISTEN];
            apply_structure(e, reinit);
        }
        if (e->fade_state == FADE_SETTLE) {
            *prime = 1;
            return 0.0f;
        }
        e->fade_state = FADE_HOLD;
        e->hold_left = HOLD_FRAMES;
        /* fall through */
    case FADE_SETTLE:
        if (e->fade_state == FADE_SETTLE) {
            *prime = 1;
            if (!settle_advance(e->settle, SETTLE_WORK))
                return 0.0f;
            settle_place(e->settle, e->bank, &e->cfg, (uint64_t)e->cur[P_SEED], 0, e->bank->n);
            /* the loudness statistics and the rate as they will run on */
            float rate_model_hz;
            settle_stats(e->settle, e->cfg.model->audio_center, e->cfg.model->audio_half_range, 0,
                         e->bank->n, e->stat_mean, e->stat_msq, &rate_model_hz);
            e->rate_hz = rate_model_hz * (float)(e->cfg.mp.dt_ms * e->n_sub * e->sample_rate / 1000.0);
            if (network_coupled(&e->cfg.np))
                stats_start(e, 0, e->bank->n); /* coupled, it will not fire as it did alone */
            stats_update(e);
            /* the loudness laws start afresh: over the silent pre-roll they
             * heard a bank that does not fire and turned it down */
            sonify_reset(e->son);
            sonify_start_independent(e->son, e->mem_ref);
            start_gains(e);
            e->fade_state = FADE_HOLD;
            e->hold_left = HOLD_FRAMES;
        }
        /* fall through */
    case FADE_HOLD:
        *prime = 1;
        if (--e->hold_left == 0)
            e->fade_state = FADE_IN;
        return 0.0f;
    case FADE_IN:
        if (++e->fade_pos >= e->fade_frames) {
            e->fade_pos = e->fade_frames;
            e->fade_state = FADE_NONE;
        }
        break;
    default:
        return 1.0f;
    }
    float x = (float)e->fade_pos / (float)e->fade_frames;
    return 0.5f - 0.5f * cosf(3.14159265f * x);
}

engine *
engine_create(double sample_rate)
{
    if (!(sample_rate >= 1000.0 && sample_rate <= 1536000.0))
        return NULL;
    engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->sample_rate = sample_rate;
    e->isa = simd_default();
    e->bank = bank_create(ENGINE_MAX_NEURONS);
    e->settle = settle_create();
    e->son = sonify_create(sample_rate);
    e->bl = bandlimit_create(MAX_SUBSTEPS);
    e->vo = voices_create(sample_rate, ENGINE_MAX_NEURONS);
    if (!e->bank || !e->settle || !e->son || !e->bl || !e->vo) {
        engine_destroy(e);
        return NULL;
    }
    uint32_t cap = e->bank->capacity;
    e->pan_l = calloc(cap, sizeof(float));
    e->pan_r = calloc(cap, sizeof(float));
    e->pan_pos = calloc(cap, sizeof(float));
    e->stat_mean = calloc(cap, sizeof(float));
    e->stat_msq = calloc(cap, sizeof(float));
    e->midi_amount = calloc(cap, sizeof(float));
    e->notes = calloc(cap, 1);
    e->band_of = calloc(cap, 1);
    if (!e->pan_l || !e->pan_r || !e->pan_pos || !e->midi_amount || !e->notes ||
        !e->band_of || !e->stat_mean || !e->stat_msq) {
        engine_destroy(e);
        return NULL;
    }
    stimulus_init(&e->stim, sample_rate);
    e->rate_coef = (float)exp(-1000.0 / (RATE_SMOOTH_MS * sample_rate));
    e->stat_coef = (float)(1.0 - exp(-1000.0 * STATS_EVERY / (STATS_MS * sample_rate)));
    e->glide_frames = (uint32_t)ceil(GLIDE_MS * 1e-3 * sample_rate);
    e->fade_frames = (uint32_t)ceil(FADE_MS * 1e-3 * sample_rate);
    e->note_frames = (uint32_t)ceil(MIDI_NOTE_MS * 1e-3 * sample_rate);
    for (int k = 0; k < 3; ++k) {
        e->level_db[k] = 0.0f;
        e->level_lin[k] = 1.0f;
    }
    midi_out_reset(&e->mout);
    param_defaults(e->params);
    engine_reset(e);
    return e;
}

void
engine_destroy(engine *e)
{
    if (!e)
        return;
    bank_destroy(e->bank);
    settle_destroy(e->settle);
    sonify_destroy(e->son);
    bandlimit_destroy(e->bl);
    voices_destroy(e->vo);
    free(e->pan_l);
    free(e->pan_r);
    free(e->pan_pos);
    free(e->stat_mean);
    free(e->stat_msq);
    free(e->midi_amount);
    free(e->notes);
    free(e->band_of);
    free(e);
}

void
engine_reset(engine *e)
{
    e->fresh = 1;
    e->bank->n = 0;
    midi_in_reset(&e->min);
    memset(e->bank->ext, 0, e->bank->capacity * sizeof(float));
    e->ext_nonzero = 0;
    bank_inputs_changed(e->bank);
    sonify_reset(e->son);
    apply_all_now(e);
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
    if (!midi_in_message(&e->min, msg, size))
        return;
    /* held notes are mapped to neurons once at the next engine_process(),
     * however many messages arrive at one position */
    if (e->fresh) {
        e->cur[G_BEND] = e->min.bend;
        e->cur[G_MOD] = e->min.mod;
        configure(e);
    } else {
        start_glide(e, G_BEND, e->min.bend);
        start_glide(e, G_MOD, e->min.mod);
    }
}

/* Frequency of MIDI note `note`, `down` octaves lower: the loaded
 * tuning's, else 12-tone equal temperament with A4 = 440 Hz. */
static float
note_pitch(const engine *e, float note, int down)
{
    if (!e->tuned)
        return scale_note_hz(note - 12.0f * (float)down);
    return ldexpf(e->tuned_hz[(uint8_t)note], -down);
}

/* The spike voice's sound for neuron i. Excitatory neurons pluck their scale
 * note with a bright ring; inhibitory ones a muted note an octave lower,
 * shorter and of opposite polarity. Clicks: excitatory a short high tick
 * three octaves above the note, inhibitory a dull low knock. */
static voice_sound
spike_sound_of(const engine *e, uint32_t i)
{
    int inh = e->bank->inhibitory[i];
    float note = (float)e->notes[i];
    voice_sound s = {.pan = e->pan_pos[i],
                     .in_step = (int)e->cur[P_RETRIGGER] == RETRIGGER_IN_STEP};
    if (e->tuned && e->tuned_hz[e->notes[i]] == 0.0f) {
        s.amp = 0.0f; /* unmapped by the tuning: no strike */
        return s;
    }
    if ((int)e->cur[P_SPIKE_SOUND] == SPIKE_SOUND_PLUCK) {
        float f = inh ? note_pitch(e, note, 1) : note_pitch(e, note, 0);
        float decay = 0.35f * sqrtf(220.0f / f);
        decay = decay < 0.06f ? 0.06f : decay > 0.8f ? 0.8f : decay;
        s.freq_hz = f;
        s.decay_s = inh ? 0.35f * decay : decay;
        s.amp = inh ? -0.8f : 1.0f;
    } else {
        float f = note_pitch(e, note, 0);
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

/* A level in dB as a gain; powf only when the level moved. */
static float
level_gain(engine *e, int k, float db)
{
    if (db != e->level_db[k]) {
        e->level_db[k] = db;
        e->level_lin[k] = sonify_db_gain(db);
    }
    return e->level_lin[k];
}

/* Per-neuron stimulus current: cochlea bands and held MIDI notes. */
static void
write_ext(engine *e, int cochlea)
{
    bank *b = e->bank;
    const uint32_t n = b->n;
    const float md = e->cur[P_MIDI_DRIVE];
    if (cochlea) {
        float band_i[STIMULUS_MAX_BANDS];
        for (uint32_t k = 0; k < e->stim.n_bands; ++k)
            band_i[k] = e->cur[P_INPUT_GAIN] * e->stim.band_out[k] + e->cur[P_INPUT_OFFSET];
        for (uint32_t i = 0; i < n; ++i)
            b->ext[i] = band_i[e->band_of[i]] + md * e->midi_amount[i];
        e->ext_nonzero = 1;
        e->ext_dirty = 1; /* rewrite once more when the cochlea stops */
        bank_inputs_changed(b);
        return;
    }
    if (e->midi_active) {
        for (uint32_t i = 0; i < n; ++i)
            b->ext[i] = md * e->midi_amount[i];
        e->ext_nonzero = 1;
    } else if (e->ext_nonzero) {
        memset(b->ext, 0, b->capacity * sizeof(float));
        e->ext_nonzero = 0;
    }
    e->ext_dirty = 0;
    bank_inputs_changed(b);
}

static void
publish_display(const engine *e, engine_display *d)
{
    const bank *b = e->bank;
    uint32_t focus = (uint32_t)e->cur[P_FOCUS];
    d->neurons = b->n;
    d->focus = focus < b->n ? focus : b->n - 1;
    d->focus_slow = b->var[e->cfg.model->slow_var][d->focus];
    d->inhibitory = b->inhibitory;
    d->params = e->params;
    d->focus_trace = &e->trace;
}

void
engine_process(engine *e, engine_io *io, uint32_t n_frames)
{
    const uint32_t fp_state = ftz_enter(); /* FTZ/DAZ: no slow denormals */
    if (e->fresh)
        apply_all_now(e);
    else if (e->dirty)
        take_params(e);
    if (e->min.changed)
        map_notes(e);
    e->fresh = 0;

    bank *b = e->bank;
    const uint32_t gate_frames = (uint32_t)ceil(GATE_MS * 1e-3 * e->sample_rate);
    uint32_t midi_cap = io->midi_out ? io->midi_capacity : 0;

    io->n_spikes = 0;
    io->spikes_lost = 0;
    io->n_midi_out = 0;
    io->latency_frames = engine_latency(e);
    io->guard_load = 0.0f;
    io->guard_active = 0;
    io->n_done = n_frames;
    focus_trace_begin_block(&e->trace);

    for (uint32_t f = 0; f < n_frames; ++f) {
        const uint64_t now = e->stats.frames + f;
        if (e->gliding)
            glide_frame(e);
        int prime;
        float fade = fade_frame(e, &prime);

        const bank_config *c = &e->cfg;
        const model_desc *m = c->model;
        /* the bank waits while a settled start pre-rolls */
        const uint32_t n = b->n, n_sub = e->fade_state == FADE_SETTLE ? 0u : e->n_sub;
        const uint32_t focus_i = (uint32_t)e->cur[P_FOCUS];
        const uint32_t focus = focus_i < n ? focus_i : n - 1;
        const float *v_soma = b->var[m->soma_var], *v_dend = b->var[m->dend_var],
                    *v_slow = b->var[m->slow_var];
        const int bank_mix = e->cur[P_LISTEN] == LISTEN_BANK || e->params[P_LISTEN] == LISTEN_BANK;
        const float center = m->audio_center, inv_half = 1.0f / m->audio_half_range;

        /* stimulus -> current */
        float ext = 0.0f;
        int cochlea = 0;
        if (io->stimulus) {
            float x = isfinite(io->stimulus[f]) ? io->stimulus[f] : 0.0f;
            int mode = (int)e->cur[P_INPUT_MODE];
            if ((int)e->cur[P_INPUT_ROUTING] == ROUTING_COCHLEA) {
                stimulus_cochlea(&e->stim, x, mode);
                cochlea = 1;
            } else {
                ext += e->cur[P_INPUT_GAIN] * stimulus_shape_all(&e->stim, x, mode) +
                       e->cur[P_INPUT_OFFSET];
            }
        }
        if (io->cv_in && isfinite(io->cv_in[f]))
            ext += 10.0f * io->cv_in[f];
        if (cochlea || e->ext_dirty)
            write_ext(e, cochlea);

        /* MIDI out: note offs first, so a retrigger at this frame follows them */
        if (io->midi_out) {
            if (e->midi_all_off) {
                midi_out_release_all(&e->mout, f, io->midi_out, midi_cap, &io->n_midi_out);
                e->midi_all_off = 0;
            }
            midi_out_release_due(&e->mout, now, f, io->midi_out, midi_cap, &io->n_midi_out);
        }

        uint32_t frame_spikes = 0;
        int suspect = 0;
        const float w = 1.0f / (float)n_sub;
        const uint32_t spikes_before = io->n_spikes, midi_before = io->n_midi_out;
        for (uint32_t s = 0; s < n_sub; ++s) {
            if (e->stop && e->stop(e->stop_arg)) {
                /* drop what this frame listed; an overflowed list is a sample anyway */
                if (!io->spikes_lost)
                    io->n_spikes = spikes_before;
                io->n_midi_out = midi_before;
                io->n_done = f;
                goto stopped;
            }
            uint32_t count = bank_step(b, c, ext, e->step_index++);
            frame_spikes += count;
            /* more spikes than voices: voice an even sample across the bank */
            const uint32_t stride = (count + VOICES_MAX - 1u) / VOICES_MAX;
            const uint32_t pick = stride > 1 ? (uint32_t)((now * n_sub + s) % stride) : 0;
            for (uint32_t k = 0; k < count; ++k) {
                uint32_t who = b->spiked[k];
                /* the same fraction the engine tests expect, never reaching 1 */
                float at = fminf(((float)s + b->spiked_frac[k]) / (float)n_sub, 0.99999994f);
                if (who == focus)
                    e->gate_left = gate_frames;
                if (io->spikes) {
                    engine_spike sp = {who, (float)f + at, f, at};
                    if (io->n_spikes < io->spike_capacity) {
                        io->spikes[io->n_spikes++] = sp;
                    } else {
                        /* full: keep an even sample of the block's spikes */
                        uint64_t seen = (uint64_t)io->n_spikes + io->spikes_lost + 1u;
                        int64_t slot = rng_reservoir_slot(seen, io->spike_capacity, (uint32_t)now);
                        if (slot >= 0)
                            io->spikes[slot] = sp;
                        io->spikes_lost++;
                    }
                }
                /* the voice sounds where the band-limited membrane shows the spike */
                if (stride <= 1 || k % stride == pick) {
                    voice_sound vs = spike_sound_of(e, who);
                    if (vs.amp != 0.0f)
                        voices_trigger(e->vo, who, (double)now + at + (BANDLIMIT_DELAY - 1u),
                                       &vs);
                }
                if (io->midi_out)
                    midi_out_spike(&e->mout, b->inhibitory[who], e->notes[who],
                                   (uint8_t)e->cur[P_VELOCITY], now + e->note_frames, f,
                                   io->midi_out, midi_cap, &io->n_midi_out);
            }
            if (io->want_focus_trace)
                focus_trace_step(&e->trace, m->to_mV_a * v_soma[focus] + m->to_mV_b,
                                 m->to_mV_a * v_dend[focus] + m->to_mV_b, v_slow[focus]);
            float x[BANDLIMIT_STREAMS] = {(v_soma[focus] - center) * inv_half, 0.0f, 0.0f};
            /* the non-finite screen of this step: on the mix's pass over V
             * when there is one */
            if (bank_mix) {
                suspect |= stereo_mix_screened(e->isa, v_soma, e->pan_l, e->pan_r, center, n,
                                               m->to_mV_a, m->to_mV_b, &x[1], &x[2]);
                x[1] *= inv_half;
                x[2] *= inv_half;
            } else if (!suspect) {
                suspect = bank_screen(b, m, e->isa);
            }
            bandlimit_push(e->bl, (double)now + (double)(s + 1u) * w, w, x);
        }
        if (bank_mix && now % STATS_EVERY == 0)
            stats_update(e);
        e->stats.spikes += frame_spikes;
        if (suspect)
            e->stats.nonfinite_resets += bank_repair_nonfinite(b, c);
        e->stats.model_time_ms += (double)n_sub * c->mp.dt_ms;

        e->rate_hz = e->rate_coef * e->rate_hz + (1.0f - e->rate_coef) * (float)frame_spikes *
                                                     (float)e->sample_rate / (float)n;

        /* the voices */
        float y[BANDLIMIT_STREAMS];
        bandlimit_read(e->bl, (double)now + 1.0 - BANDLIMIT_DELAY, y);
        sonify_in in = {
            .mem_l = e->cur[P_LISTEN] == LISTEN_BANK ? y[1] : y[0],
            .mem_r = e->cur[P_LISTEN] == LISTEN_BANK ? y[2] : y[0],
            .mem_ref = e->cur[P_LISTEN] == LISTEN_BANK ? e->mem_ref : -1.0f,
            .mem_gain = level_gain(e, 0, e->cur[P_MEMBRANE_LEVEL]),
            .spk_gain = level_gain(e, 1, e->cur[P_SPIKE_LEVEL]),
            .master_gain = level_gain(e, 2, e->cur[P_MASTER_LEVEL]),
            .mem_cal = e->mem_cal,
            .spk_cal = e->spk_cal,
            .level_amount = e->cur[P_LEVELLING],
            .spike_rate = e->rate_hz,
            .fade = fade,
            .prime = prime,
        };
        voices_render(e->vo, now, &in.spk_l, &in.spk_r);
        sonify_frame(e->son, &in, &io->out_left[f], &io->out_right[f]);

        /* control outputs */
        float vf = v_soma[focus];
        if (io->trace_soma)
            io->trace_soma[f] = vf;
        if (io->trace_slow)
            io->trace_slow[f] = v_slow[focus];
        if (io->cv_focus_v)
            io->cv_focus_v[f] = (m->to_mV_a * vf + m->to_mV_b) * 0.01f;
        if (io->cv_dend_v)
            io->cv_dend_v[f] = (m->to_mV_a * v_dend[focus] + m->to_mV_b) * 0.01f;
        if (io->cv_gate)
            io->cv_gate[f] = e->gate_left > 0 ? 1.0f : 0.0f;
        if (io->cv_rate)
            io->cv_rate[f] = e->rate_hz * 0.001f;
        if (e->gate_left)
            e->gate_left--;
    }
stopped:
    e->stats.frames += io->n_done;
    e->stats.midi_out_dropped = e->mout.dropped;
    publish_display(e, &io->display);
    ftz_leave(fp_state);
}

void
engine_set_parallel(engine *e, engine_parallel_for run, void *pool, unsigned parts)
{
    bank_set_parallel(e->bank, run, pool, parts);
}

void
engine_set_stop_query(engine *e, engine_stop_query stop, void *arg)
{
    e->stop = stop;
    e->stop_arg = arg;
}

simd_isa
engine_set_isa(engine *e, int isa)
{
    e->isa = simd_cap(isa);
    e->cfg.mp.isa = e->isa;
    e->cfg.np.isa = e->isa;
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
    stats->midi_out_dropped = e->mout.dropped;
}

uint32_t
engine_latency(const engine *e)
{
    /* the band-limited membrane is read BANDLIMIT_DELAY - 1 frames late */
    return BANDLIMIT_DELAY - 1u + sonify_latency(e->son);
}

uint32_t
engine_active_neurons(const engine *e)
{
    return e->bank->n;
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
    return note_pitch(e, (float)(note & 127u), 0);
}
