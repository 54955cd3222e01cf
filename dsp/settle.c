/* settle.c — see settle.h. */
#include "settle.h"

#include "bank_screen.h"
#include "params.h"
#include "rng.h"
#include "zeroed.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* rng streams of the settled start (network.c uses 1-3, the noise 16 on,
 * the voices' priming 6-7) */
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

    /* A coupled network (settle_begin with the network on): the whole bank
     * pre-rolls in `net`, and over the recording half, per neuron, the sum
     * and sum of squares of its somatic variable and its spikes, and of the
     * two sides of the stereo mix (weights pan_l, pan_r). */
    int coupled;
    uint32_t capacity; /* neurons the network's arrays hold, once made */
    int touch;         /* made at create (real-time), else at the first coupled pre-roll */
    bank *net;
    float *pan_l, *pan_r;
    double *net_sum, *net_sq;
    uint32_t *net_spikes;
    double mix_sum[2], mix_sq[2];
};

/* The coupled pre-roll's bank and sums, made once; 0 if there is no
 * memory for them. */
static int
network_arrays(settle *s)
{
    if (s->net)
        return 1;
    const uint32_t cap = s->capacity;
    bank *net = s->touch ? bank_create(cap) : bank_create_offline(cap);
    float *pan_l = zeroed_alloc(cap * sizeof(float), s->touch);
    float *pan_r = zeroed_alloc(cap * sizeof(float), s->touch);
    double *sum = zeroed_alloc(cap * sizeof(double), s->touch);
    double *sq = zeroed_alloc(cap * sizeof(double), s->touch);
    uint32_t *spikes = zeroed_alloc(cap * sizeof(uint32_t), s->touch);
    if (!net || !pan_l || !pan_r || !sum || !sq || !spikes) {
        bank_destroy(net);
        zeroed_free(pan_l);
        zeroed_free(pan_r);
        zeroed_free(sum);
        zeroed_free(sq);
        zeroed_free(spikes);
        return 0;
    }
    s->net = net;
    s->pan_l = pan_l;
    s->pan_r = pan_r;
    s->net_sum = sum;
    s->net_sq = sq;
    s->net_spikes = spikes;
    return 1;
}

settle *
settle_create(uint32_t capacity, int touch)
{
    settle *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->capacity = capacity;
    s->touch = touch;
    s->pre = touch ? bank_create(SETTLE_LANES) : bank_create_offline(SETTLE_LANES);
    s->snap = calloc((size_t)SETTLE_SNAPSHOTS * MODEL_MAX_VARS * SETTLE_LANES, sizeof(float));
    /* A real-time engine makes the coupled pre-roll's arrays now: it may
     * run on a host's thread that must not allocate, or not at all. An
     * offline engine makes them at its first coupled pre-roll: a render
     * of an uncoupled bank never needs the second bank of 16384 neurons,
     * a millisecond of its start (docs/performance-log.md, "Start-up: the
     * coupled pre-roll's bank when one runs"). */
    if (!s->pre || !s->snap || (touch && !network_arrays(s))) {
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
    bank_destroy(s->net);
    zeroed_free(s->pan_l);
    zeroed_free(s->pan_r);
    zeroed_free(s->net_sum);
    zeroed_free(s->net_sq);
    zeroed_free(s->net_spikes);
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

int
settle_coupled(const bank_config *c)
{
    return network_delivers(&c->np);
}

int
settle_network_can_pre_roll(const bank_config *c)
{
    /* both synapse models: settle_place hands the receptors' state over */
    return c->synapse_model == SYNAPSE_EXPONENTIAL || c->synapse_model == SYNAPSE_RECEPTORS;
}

/* The coupled network's pre-roll: the whole bank from rest, network,
 * gap junctions and noise on, for SETTLE_NET_MS (at most SETTLE_NET_WORK
 * neuron-steps), at the bank's own step: every per-step decay of the
 * configuration (synapses, noise) holds as it is. */
static void
begin_network(settle *s, const bank *b, const bank_config *run, const float *pan_l,
              const float *pan_r, float time_scale, uint64_t seed)
{
    s->cfg = *run;
    const bank_config *c = &s->cfg;
    const float dt = c->mp.dt_ms;
    s->coupled = 1;
    s->cfg.np.stop = NULL; /* an offline render's stop query: not from the worker */
    const uint32_t n = s->n;
    uint64_t steps = (uint64_t)ceilf(SETTLE_NET_MS * time_scale / dt);
    if (steps * n > SETTLE_NET_WORK)
        steps = SETTLE_NET_WORK / n;
    s->total = (uint32_t)(steps > 2 ? steps : 2);
    s->record_from = s->total / 2u;
    bank *net = s->net;
    net->n = n;
    bank_init_neurons(net, c, 0, n);
    memcpy(net->drive_scale, b->drive_scale, n * sizeof(float));
    memcpy(net->time_scale, b->time_scale, n * sizeof(float));
    net->time_scaled = b->time_scaled;
    memcpy(net->inhibitory, b->inhibitory, n);
    memcpy(net->branch, b->branch, n);
    memset(net->ext, 0, n * sizeof(float));
    for (uint32_t i = 0; i < n; ++i)
        net->noise[i] = c->noise_sigma * rng_normal(rng_hash(seed, STREAM_NOISE_START, i));
    memcpy(s->pan_l, pan_l, n * sizeof(float));
    memcpy(s->pan_r, pan_r, n * sizeof(float));
    memset(s->net_sum, 0, n * sizeof(double));
    memset(s->net_sq, 0, n * sizeof(double));
    memset(s->net_spikes, 0, n * sizeof(uint32_t));
    memset(s->mix_sum, 0, sizeof s->mix_sum);
    memset(s->mix_sq, 0, sizeof s->mix_sq);
    bank_inputs_changed(net);
}

void
settle_begin(settle *s, const bank *b, const bank_config *c, const float *pan_l,
             const float *pan_r, uint64_t seed)
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
    s->done = 0;
    s->snapshots = 0;
    s->recorded = 0;
    s->coupled = 0;
    /* the noise runs too (a noise-driven bank fires only with it), its
     * decay and kick for the pre-roll's step: decay^(dt / dt_running) */
    if (c->noise_sigma > 0.0f && c->mp.dt_ms > 0.0f) {
        s->cfg.noise_decay = powf(c->noise_decay, dt / c->mp.dt_ms);
        s->cfg.noise_kick =
            c->noise_sigma * sqrtf(1.0f - s->cfg.noise_decay * s->cfg.noise_decay);
    }
    /* without memory for the network's pre-roll (offline, made now), the
     * lanes' uncoupled one: the bank starts settled, as if uncoupled */
    if (settle_coupled(c) && network_arrays(s)) {
        begin_network(s, b, c, pan_l, pan_r, time_scale, seed);
        return;
    }
    s->cfg.np.p = 0.0f;
    s->cfg.np.w_exc = s->cfg.np.w_inh = 0.0f;
    s->cfg.gap = 0.0f;

    s->total = (uint32_t)ceilf(info->settle_ms * time_scale / dt);
    s->record_from = s->total / 2u;
    s->every = (s->total - s->record_from) / SETTLE_SNAPSHOTS;
    if (s->every < 1)
        s->every = 1;
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

/* One step of the coupled pre-roll, recorded over its second half. */
static void
network_step(settle *s)
{
    bank *net = s->net;
    const uint32_t n = s->n;
    uint32_t fired = bank_step(net, &s->cfg, 0.0f, s->done);
    if (bank_screen(net, s->cfg.model, s->cfg.mp.isa))
        bank_repair_nonfinite(net, &s->cfg);
    s->done++;
    if (s->done <= s->record_from)
        return;
    const float *v = net->var[s->cfg.model->soma_var];
    double ml = 0.0, mr = 0.0;
    for (uint32_t i = 0; i < n; ++i) {
        s->net_sum[i] += v[i];
        s->net_sq[i] += (double)v[i] * v[i];
        ml += (double)s->pan_l[i] * v[i];
        mr += (double)s->pan_r[i] * v[i];
    }
    s->mix_sum[0] += ml;
    s->mix_sq[0] += ml * ml;
    s->mix_sum[1] += mr;
    s->mix_sq[1] += mr * mr;
    for (uint32_t k = 0; k < fired; ++k)
        s->net_spikes[net->spiked[k]]++;
    s->recorded++;
}

int
settle_advance(settle *s, uint32_t max_lane_steps)
{
    if (s->coupled) {
        uint32_t steps = max_lane_steps / s->n;
        for (steps = steps < 1 ? 1 : steps; steps > 0 && s->done < s->total; --steps)
            network_step(s);
        return s->done >= s->total;
    }
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
    if (s->coupled) {
        /* the network's own state, conductances included */
        const uint32_t to = end < s->n ? end : s->n;
        if (begin >= to)
            return;
        const size_t bytes = (to - begin) * sizeof(float);
        for (uint32_t v = 0; v < s->n_vars; ++v)
            memcpy(b->var[v] + begin, s->net->var[v] + begin, bytes);
        memcpy(b->noise + begin, s->net->noise + begin, bytes);
        memcpy(b->g_exc[0] + begin, s->net->g_exc[0] + begin, bytes);
        memcpy(b->g_exc[1] + begin, s->net->g_exc[1] + begin, bytes);
        memcpy(b->g_inh + begin, s->net->g_inh + begin, bytes);
        /* and the mechanisms with state of their own: the M-current's gate,
         * the subunit branches' voltages, the receptors' kinetics */
        memcpy(b->m_gate + begin, s->net->m_gate + begin, bytes);
        memcpy(b->branch_v[0] + begin, s->net->branch_v[0] + begin, bytes);
        memcpy(b->branch_v[1] + begin, s->net->branch_v[1] + begin, bytes);
        receptors_copy(b->rec, s->net->rec, begin, to);
        b->g_live = 1; /* the bank looks again whether they are all zero */
        bank_inputs_changed(b);
        return;
    }
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
    for (uint32_t i = begin; i < end; ++i) {
        uint32_t lane = lane_of(i < s->n ? i : s->n - 1, s->n, s->lanes);
        const double *sum = s->sum, *sum_sq = s->sum_sq;
        if (s->coupled) {
            lane = i < s->n ? i : s->n - 1;
            sum = s->net_sum;
            sum_sq = s->net_sq;
        }
        double m = s->recorded ? sum[lane] / s->recorded : 0.0;
        double sq = s->recorded ? sum_sq[lane] / s->recorded : 0.0;
        /* of d = (v - center) / half_range */
        mean[i] = (float)((m - center) / half_range);
        msq[i] = (float)((sq - 2.0 * center * m + (double)center * center) /
                         ((double)half_range * half_range));
        rate += settle_rate(s, i);
    }
    *rate_hz = end > begin ? (float)(rate / (end - begin)) : 0.0f;
}

float
settle_rate(const settle *s, uint32_t i)
{
    const double t_ms = (double)s->recorded * s->cfg.mp.dt_ms;
    if (t_ms <= 0.0 || !s->n)
        return 0.0f;
    i = i < s->n ? i : s->n - 1;
    uint32_t spikes = s->coupled ? s->net_spikes[i] : s->spikes[lane_of(i, s->n, s->lanes)];
    return (float)(1000.0 * spikes / t_ms);
}

float
settle_mix_rms(const settle *s, float half_range)
{
    if (!s->coupled || !s->recorded)
        return -1.0f;
    double var = 0.0;
    for (int k = 0; k < 2; ++k) {
        double m = s->mix_sum[k] / s->recorded;
        double v = s->mix_sq[k] / s->recorded - m * m;
        var += v > 0.0 ? 0.5 * v : 0.0;
    }
    return (float)(sqrt(var) / half_range);
}

int
settle_is_network(const settle *s)
{
    return s->coupled;
}
