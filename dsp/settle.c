/* settle.c — see settle.h. */
#include "settle.h"

#include "bank_screen.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* rng streams of the settled start (network.c uses 1-3, the noise 16 on) */
enum { STREAM_PHASE = 4, STREAM_NOISE_START = 5 };

struct settle {
    bank *pre;        /* the reference neurons, one per lane */
    bank_config cfg;  /* the bank's configuration, uncoupled */
    uint32_t lanes;   /* lanes in use */
    uint32_t n;       /* neurons of the bank the lanes sample */
    uint32_t total, done;      /* steps of the pre-roll, steps taken */
    uint32_t record_from;      /* first step of the recording half */
    uint32_t every;            /* steps between snapshots */
    uint32_t snapshots;        /* snapshots taken */
    uint32_t n_vars;
    float *snap;      /* [snapshot][var][lane] */
    /* over the recording half, per lane: the somatic variable's sum and sum
     * of squares (model units), and the spikes */
    double sum[SETTLE_LANES], sum_sq[SETTLE_LANES];
    uint32_t spikes[SETTLE_LANES];
    uint32_t recorded; /* steps summed */
};

settle *
settle_create(void)
{
    settle *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->pre = bank_create(SETTLE_LANES);
    s->snap = calloc((size_t)SETTLE_SNAPSHOTS * MODEL_MAX_VARS * SETTLE_LANES, sizeof(float));
    if (!s->pre || !s->snap) {
        settle_destroy(s);
        return NULL;
    }
    return s;
}

void
settle_destroy(settle *s)
{
    if (!s)
        return;
    bank_destroy(s->pre);
    free(s->snap);
    free(s);
}

/* The lane whose drive neuron i of n shares (nearest), and back: lane g
 * takes the drive of neuron lane_neuron(g). With n <= lanes, lane i is
 * neuron i. */
static uint32_t
lane_of(uint32_t i, uint32_t n, uint32_t lanes)
{
    return n <= 1 ? 0 : (uint32_t)(((uint64_t)i * (lanes - 1) * 2 + (n - 1)) / (2u * (n - 1)));
}

static uint32_t
lane_neuron(uint32_t g, uint32_t n, uint32_t lanes)
{
    return lanes <= 1 ? 0 : (uint32_t)(((uint64_t)g * (n - 1) * 2 + (lanes - 1)) / (2u * (lanes - 1)));
}

void
settle_begin(settle *s, const bank *b, const bank_config *c)
{
    const model_info *info = model_info_of(0);
    for (int k = 0; k < MODEL_COUNT; ++k)
        if (model_get(k) == c->model)
            info = model_info_of(k);
    s->n = b->n ? b->n : 1;
    s->lanes = s->n < SETTLE_LANES ? s->n : SETTLE_LANES;
    s->n_vars = c->model->n_vars;

    /* the largest stable step (as configure() derives it at speed 1 or
     * below): the attractor does not depend on the step, the cost does */
    float dt = info->dt_max_ms;
    float time_scale = 1.0f;
    if (info->uses_temperature) {
        if (c->mp.phi > 1.0f)
            dt /= sqrtf(c->mp.phi);
        else
            time_scale = 1.0f / c->mp.phi; /* cold: slower rates, longer cycles */
    }
    s->cfg = *c;
    s->cfg.mp.dt_ms = dt;
    s->cfg.np.p = 0.0f;
    s->cfg.np.w_exc = s->cfg.np.w_inh = 0.0f;
    s->cfg.gap = 0.0f;
    /* the noise runs too (a noise-driven bank fires only with it), its
     * decay and kick for the pre-roll's step: decay^(dt / dt_running) */
    if (c->noise_sigma > 0.0f && c->mp.dt_ms > 0.0f) {
        s->cfg.noise_decay = powf(c->noise_decay, dt / c->mp.dt_ms);
        s->cfg.noise_kick =
            c->noise_sigma * sqrtf(1.0f - s->cfg.noise_decay * s->cfg.noise_decay);
    }

    s->total = (uint32_t)ceilf(info->settle_ms * time_scale / dt);
    s->record_from = s->total / 2u;
    s->every = (s->total - s->record_from) / SETTLE_SNAPSHOTS;
    if (s->every < 1)
        s->every = 1;
    s->done = 0;
    s->snapshots = 0;
    s->recorded = 0;
    memset(s->sum, 0, sizeof s->sum);
    memset(s->sum_sq, 0, sizeof s->sum_sq);
    memset(s->spikes, 0, sizeof s->spikes);

    bank *pre = s->pre;
    pre->n = s->lanes;
    bank_init_neurons(pre, &s->cfg, 0, pre->capacity);
    for (uint32_t g = 0; g < s->lanes; ++g)
        pre->drive_scale[g] = b->drive_scale[lane_neuron(g, s->n, s->lanes)];
    memset(pre->ext, 0, pre->capacity * sizeof(float));
    bank_inputs_changed(pre);
}

static void
snapshot(settle *s)
{
    float *at = s->snap + (size_t)s->snapshots * MODEL_MAX_VARS * SETTLE_LANES;
    for (uint32_t k = 0; k < s->n_vars; ++k)
        memcpy(at + k * SETTLE_LANES, s->pre->var[k], s->lanes * sizeof(float));
    s->snapshots++;
}

int
settle_advance(settle *s, uint32_t max_lane_steps)
{
    uint32_t steps = max_lane_steps / s->lanes;
    if (steps < 1)
        steps = 1;
    for (; steps > 0 && s->done < s->total; --steps) {
        uint32_t fired = bank_step(s->pre, &s->cfg, 0.0f, s->done);
        if (bank_screen(s->pre, s->cfg.model, s->cfg.mp.isa))
            bank_repair_nonfinite(s->pre, &s->cfg);
        s->done++;
        if (s->done > s->record_from) {
            const float *v = s->pre->var[s->cfg.model->soma_var];
            for (uint32_t g = 0; g < s->lanes; ++g) {
                s->sum[g] += v[g];
                s->sum_sq[g] += (double)v[g] * v[g];
            }
            for (uint32_t k = 0; k < fired; ++k)
                s->spikes[s->pre->spiked[k]]++;
            s->recorded++;
        }
        if (s->done > s->record_from && (s->done - s->record_from) % s->every == 0 &&
            s->snapshots < SETTLE_SNAPSHOTS)
            snapshot(s);
    }
    if (s->done >= s->total && s->snapshots == 0)
        snapshot(s); /* a pre-roll too short to record: its last state */
    return s->done >= s->total;
}

uint32_t
settle_total_steps(const settle *s)
{
    return s->total;
}

void
settle_place(const settle *s, bank *b, const bank_config *c, uint64_t seed, uint32_t begin,
             uint32_t end)
{
    if (!s->snapshots)
        return;
    const uint32_t n_vars = c->model->n_vars < s->n_vars ? c->model->n_vars : s->n_vars;
    for (uint32_t i = begin; i < end && i < b->capacity; ++i) {
        uint32_t lane = lane_of(i < s->n ? i : s->n - 1, s->n, s->lanes);
        uint64_t h = rng_hash(seed, STREAM_PHASE, i);
        uint32_t k = (uint32_t)(((h >> 32) * s->snapshots) >> 32);
        const float *at = s->snap + (size_t)k * MODEL_MAX_VARS * SETTLE_LANES;
        for (uint32_t v = 0; v < n_vars; ++v)
            b->var[v][i] = at[v * SETTLE_LANES + lane];
        /* the OU current's stationary distribution: normal, sd sigma */
        b->noise[i] = c->noise_sigma * rng_normal(rng_hash(seed, STREAM_NOISE_START, i));
    }
    bank_inputs_changed(b);
}

void
settle_stats(const settle *s, float center, float half_range, uint32_t begin, uint32_t end,
             float *mean, float *msq, float *rate_hz)
{
    double rate = 0.0;
    const double t_ms = (double)s->recorded * s->cfg.mp.dt_ms;
    for (uint32_t i = begin; i < end; ++i) {
        uint32_t lane = lane_of(i < s->n ? i : s->n - 1, s->n, s->lanes);
        double m = s->recorded ? s->sum[lane] / s->recorded : 0.0;
        double sq = s->recorded ? s->sum_sq[lane] / s->recorded : 0.0;
        /* of d = (v - center) / half_range */
        mean[i] = (float)((m - center) / half_range);
        msq[i] = (float)((sq - 2.0 * center * m + (double)center * center) /
                         ((double)half_range * half_range));
        rate += t_ms > 0.0 ? 1000.0 * s->spikes[lane] / t_ms : 0.0;
    }
    *rate_hz = end > begin ? (float)(rate / (end - begin)) : 0.0f;
}
