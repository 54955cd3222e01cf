/* engine.c — bank + sonify + parameters: process(n frames).
 *
 * Time: the model advances speed * 1000 / sample_rate ms per frame, split
 * into the fewest equal steps no longer than the model's dt_max_ms (shortened
 * further for HH above 6.3 degC, where the rates grow by phi). Spike times
 * are kept to the fraction of a step, so they agree across sample rates.
 */
#include "engine.h"

#include "bank.h"
#include "sonify.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SUBSTEPS 256u
#define GATE_MS 1.0
#define RATE_SMOOTH_MS 100.0

struct engine {
    double sample_rate;
    float params[PARAM_COUNT]; /* as set */
    float applied[PARAM_COUNT];/* as the bank runs them */
    int dirty;
    int fresh;                 /* nothing processed yet since create/reset */

    bank *bank;
    bank_config cfg;
    sonify *son;
    uint32_t n_sub;
    uint64_t step_index;

    engine_stats stats;
    uint32_t gate_left;        /* frames of spike gate still high */
    float rate_hz;             /* smoothed population rate per neuron */
    float rate_coef;
};

static float
hh_phi(float temperature)
{
    return powf(3.0f, (temperature - 6.3f) / 10.0f);
}

/* Rebuild the bank configuration from the parameters. */
static void
configure(engine *e)
{
    const float *p = e->applied;
    bank_config *c = &e->cfg;
    c->model = model_get((int)p[P_MODEL]);

    float phi = hh_phi(p[P_TEMPERATURE]);
    double frame_ms = (double)p[P_SPEED] * 1000.0 / e->sample_rate;
    double dt_max = c->model->dt_max_ms;
    /* Faster rates need finer steps for the same accuracy; sqrt keeps the
     * cost moderate when warm (stability does not depend on it). */
    if ((int)p[P_MODEL] == MODEL_HH && phi > 1.0f)
        dt_max /= sqrt((double)phi);
    uint32_t n_sub = (uint32_t)ceil(frame_ms / dt_max - 1e-9);
    if (n_sub < 1)
        n_sub = 1;
    if (n_sub > MAX_SUBSTEPS)
        n_sub = MAX_SUBSTEPS;
    e->n_sub = n_sub;
    float dt = (float)(frame_ms / n_sub);

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
    };
    c->dp = (dendrite_params){
        .mode = (int)p[P_DENDRITE_MODE],
        .mg_mM = p[P_NMDA_MG],
        .dcaap_threshold = p[P_DCAAP_THRESHOLD],
        .dcaap_width = p[P_DCAAP_WIDTH],
        .dcaap_amplitude = p[P_DCAAP_AMPLITUDE],
        .tonic_a = p[P_BRANCH_A],
        .tonic_b = p[P_BRANCH_B],
        .to_mV_a = c->model->to_mV_a,
        .to_mV_b = c->model->to_mV_b,
    };
    c->np = (network_params){
        .seed = (uint64_t)p[P_SEED],
        .p = p[P_CONNECTIVITY],
        .w_exc = p[P_W_EXC],
        .w_inh = p[P_W_INH],
    };
    c->drive = p[P_DRIVE];
    c->gap = p[P_GAP];
    c->exc_decay = expf(-dt / p[P_TAU_EXC]);
    c->inh_decay = expf(-dt / p[P_TAU_INH]);
    c->noise_sigma = p[P_NOISE];
    c->noise_decay = expf(-dt / p[P_NOISE_TAU]);
    c->noise_kick = p[P_NOISE] * sqrtf(1.0f - c->noise_decay * c->noise_decay);
}

/* Bring the bank in line with changed parameters, keeping neuron state
 * wherever the change allows it. */
static void
apply_params(engine *e)
{
    float old[PARAM_COUNT];
    memcpy(old, e->applied, sizeof old);
    memcpy(e->applied, e->params, sizeof old);
    configure(e);

    bank *b = e->bank;
    uint32_t n_old = b->n;
    b->n = (uint32_t)e->applied[P_NEURONS];
    if (e->fresh || old[P_MODEL] != e->applied[P_MODEL])
        bank_init_neurons(b, &e->cfg, 0, b->capacity);
    else if (b->n > n_old)
        bank_init_neurons(b, &e->cfg, n_old, b->n);
    bank_set_spread(b, e->applied[P_SPREAD]);
    network_assign_types(b->inhibitory, b->branch, b->n, (uint64_t)e->applied[P_SEED],
                         e->applied[P_INHIBITORY_FRACTION]);
    e->dirty = 0;
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
    e->bank = bank_create(ENGINE_MAX_NEURONS);
    e->son = sonify_create(sample_rate);
    if (!e->bank || !e->son) {
        engine_destroy(e);
        return NULL;
    }
    e->rate_coef = (float)exp(-1000.0 / (RATE_SMOOTH_MS * sample_rate));
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
    sonify_destroy(e->son);
    free(e);
}

void
engine_reset(engine *e)
{
    e->fresh = 1;
    e->bank->n = 0;
    apply_params(e);
    sonify_reset(e->son);
    memset(&e->stats, 0, sizeof e->stats);
    memset(e->bank->ext, 0, e->bank->capacity * sizeof(float));
    e->step_index = 0;
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
    (void)e;
    (void)msg;
    (void)size;
}

static float
normalised(const model_desc *m, float v)
{
    return (v - m->audio_center) / m->audio_half_range;
}

void
engine_process(engine *e, engine_io *io, uint32_t n_frames)
{
    if (e->dirty || e->fresh)
        apply_params(e);
    e->fresh = 0;

    bank *b = e->bank;
    const bank_config *c = &e->cfg;
    const model_desc *m = c->model;
    const uint32_t n_sub = e->n_sub, focus_i = (uint32_t)e->applied[P_FOCUS];
    const uint32_t focus = focus_i < b->n ? focus_i : b->n - 1;
    const float *v_soma = b->var[m->soma_var], *v_dend = b->var[m->dend_var];
    const float gain = e->applied[P_INPUT_GAIN];
    const float out_gain = powf(10.0f, e->applied[P_MASTER_LEVEL] / 20.0f);
    const uint32_t gate_frames = (uint32_t)ceil(GATE_MS * 1e-3 * e->sample_rate);
    const float inv_n = 1.0f / (float)b->n;
    const float rate_scale = (float)(e->sample_rate) * inv_n; /* spikes/frame -> Hz */

    io->n_spikes = 0;
    io->spikes_lost = 0;
    io->n_midi_out = 0;

    for (uint32_t f = 0; f < n_frames; ++f) {
        float ext = 0.0f;
        if (io->stimulus && isfinite(io->stimulus[f]))
            ext += gain * io->stimulus[f];
        if (io->cv_in && isfinite(io->cv_in[f]))
            ext += 10.0f * io->cv_in[f];

        uint32_t frame_spikes = 0;
        for (uint32_t s = 0; s < n_sub; ++s) {
            uint32_t count = bank_step(b, c, ext, e->step_index++);
            frame_spikes += count;
            for (uint32_t k = 0; k < count; ++k) {
                uint32_t who = b->spiked[k];
                if (who == focus)
                    e->gate_left = gate_frames;
                if (io->spikes && io->n_spikes < io->spike_capacity)
                {
                    float frac = fminf(((float)s + b->spiked_frac[k]) / (float)n_sub,
                                       0.99999994f);
                    io->spikes[io->n_spikes++] =
                        (engine_spike){who, (float)f + frac, f, frac};
                }
                else if (io->spikes)
                    io->spikes_lost++;
            }
        }
        e->stats.spikes += frame_spikes;
        e->stats.nonfinite_resets += bank_repair_nonfinite(b, c);

        float mix = 0.0f;
        for (uint32_t i = 0; i < b->n; ++i)
            mix += v_soma[i];
        mix *= inv_n;

        e->rate_hz = e->rate_coef * e->rate_hz +
                     (1.0f - e->rate_coef) * (float)frame_spikes * rate_scale;

        float vf = v_soma[focus];
        sonify_frame(e->son, normalised(m, vf), normalised(m, mix), out_gain,
                     &io->out_left[f], &io->out_right[f]);
        float vf_mV = m->to_mV_a * vf + m->to_mV_b;
        float vd_mV = m->to_mV_a * v_dend[focus] + m->to_mV_b;
        if (io->trace_mV)
            io->trace_mV[f] = vf;
        if (io->cv_focus_v)
            io->cv_focus_v[f] = vf_mV * 0.01f;
        if (io->cv_dend_v)
            io->cv_dend_v[f] = vd_mV * 0.01f;
        if (io->cv_gate)
            io->cv_gate[f] = e->gate_left > 0 ? 1.0f : 0.0f;
        if (io->cv_rate)
            io->cv_rate[f] = e->rate_hz * 0.001f;
        if (e->gate_left)
            e->gate_left--;
    }
    e->stats.frames += n_frames;
    e->stats.model_time_ms += (double)n_frames * n_sub * c->mp.dt_ms;
}

void
engine_get_stats(const engine *e, engine_stats *stats)
{
    *stats = e->stats;
    stats->substeps = e->n_sub;
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
    int note = (int)e->applied[P_ROOT] + (int)i;
    return (uint8_t)(note > 127 ? 127 : note);
}

float
engine_focus_slow(const engine *e)
{
    const bank *b = e->bank;
    uint32_t focus = (uint32_t)e->applied[P_FOCUS];
    if (focus >= b->n)
        focus = b->n - 1;
    return b->var[e->cfg.model->slow_var][focus];
}
