/* stdp.c — spike-timing-dependent plasticity on the stored synapses, with
 * traces (event-driven: each neuron's traces are kept with the time of
 * their last spike and decayed exactly when read).
 *
 * One form covers the three rules: at a presynaptic spike
 *     w -= o1 (A2- + A3- r2)        (depression)
 * at a postsynaptic spike
 *     w += r1 (A2+ + A3+ o2)        (potentiation)
 * with r1, r2 the presynaptic traces (time constants tau_plus, tau_x), o1,
 * o2 the postsynaptic ones (tau_minus, tau_y), each read just before the
 * spike's own increment of 1 (all-to-all interaction). The pair rule is the
 * triplet rule with A3 = 0 (Pfister & Gerstner 2006, eq. 3-4).
 *
 *  - pair, additive, hard bounds [0, w_max]: Song, Miller & Abbott 2000,
 *    tau_plus = tau_minus = 20 ms, A+ = 0.005 w_max, A- = 1.05 A+;
 *  - pair, multiplicative: van Rossum, Bi & Turrigiano 2000: potentiation
 *    as above, independent of w; depression proportional to w, A- w o1;
 *  - triplet: Pfister & Gerstner 2006, Table 4, visual cortex, all-to-all:
 *    tau_plus 16.8, tau_minus 33.7, tau_x 101, tau_y 125 ms, A2+ 5e-10,
 *    A3+ 6.2e-3, A2- 7e-3, A3- 2.3e-4 (times w_max).
 *
 * `plasticity` scales every amplitude (1: the published ones). Every change
 * also goes to the synapse's eligibility trace (Izhikevich 2007,
 * tau_c = 1 s), which dopamine turns into a further change (synapses_reward).
 * The eligibility is kept in a frame too, elig exp(age ms / tau_c), so that
 * its decay is one factor a millisecond, not a pass over every synapse; the
 * pass comes once every SYNAPSES_ELIG_FRAME_STEPS, when the frame starts
 * anew. The age is part of the saved state.
 *
 * A spike reads the traces of every neuron on the other side of its
 * synapses (r1 at a postsynaptic spike, o1 at a presynaptic one). Those two
 * are also kept in a reference frame, r1 exp((t_pre - frame_ms) / tau_plus)
 * (o1 likewise), so that a read is one product with the spike's own
 * exp(-(t - frame_ms) / tau) rather than one exponential per synapse. A
 * frame starts at the spike that falls FRAME_MS or more after the last one
 * began, rebuilt from r1, t_pre, o1, t_post; the frame's start and time
 * constants are part of the saved state, so a loaded state reads the same
 * values as the run that saved it.
 */
#include "stdp_depress.h"
#include "synapses.h"

#include <math.h>

#define TAU_C_MS 1000.0 /* eligibility, Izhikevich 2007 */
#define REWARD_STEP_MS 1.0
/* The reference frame's span: exp(FRAME_MS / tau) stays far inside float's
 * range for the shortest tau (16.8 ms: e^61). */
#define FRAME_MS 1024.0
/* exp of at most this in the frame (a time beyond the frame, only in a
 * damaged state): finite */
#define FRAME_MAX_EXPONENT 80.0

typedef struct {
    float tau_plus, tau_minus, tau_x, tau_y;
    float a2p, a3p, a2m, a3m;
} stdp_rule;

static const stdp_rule rules[] = {
    [STDP_PAIR_ADDITIVE] = {20.0f, 20.0f, 20.0f, 20.0f, 0.005f, 0.0f, 0.00525f, 0.0f},
    [STDP_PAIR_MULTIPLICATIVE] = {20.0f, 20.0f, 20.0f, 20.0f, 0.005f, 0.0f, 0.00525f, 0.0f},
    [STDP_TRIPLET] = {16.8f, 33.7f, 101.0f, 125.0f, 5e-10f, 6.2e-3f, 7e-3f, 2.3e-4f},
};

static const stdp_rule *
rule_of(const synapse_params *sp)
{
    int r = sp->rule;
    return &rules[r < STDP_PAIR_ADDITIVE || r > STDP_TRIPLET ? STDP_PAIR_ADDITIVE : r];
}

static inline float
decayed(float x, double since_ms, float tau_ms)
{
    return x == 0.0f ? 0.0f : x * expf(-(float)since_ms / tau_ms);
}

static inline float
bounded(float w, float w_max)
{
    return w < 0.0f ? 0.0f : w > w_max ? w_max : w;
}

/* exp((a_ms - b_ms) / tau), the exponent in double (a float difference of
 * two times seconds apart loses their sub-step part), clamped to stay
 * finite. */
static inline float
frame_factor(double a_ms, double b_ms, float tau_ms)
{
    const double a = (a_ms - b_ms) / tau_ms;
    return (float)exp(a < FRAME_MAX_EXPONENT ? a : FRAME_MAX_EXPONENT);
}

/* A trace x read at `since` in the frame: x exp((since - frame_ms) / tau). */
static inline float
in_frame(float x, double since_ms, double frame_ms, float tau_ms)
{
    return x == 0.0f ? 0.0f : x * frame_factor(since_ms, frame_ms, tau_ms);
}

void
synapses_frame_rebuild(synapse_table *t)
{
    for (uint32_t i = 0; i < t->n; ++i) {
        t->r1_frame[i] = in_frame(t->r1[i], t->t_pre[i], t->frame_ms, t->frame_tau_plus);
        t->o1_frame[i] = in_frame(t->o1[i], t->t_post[i], t->frame_ms, t->frame_tau_minus);
    }
}

/* The frame that holds t_ms: the one in use, or a new one starting at
 * t_ms. Times enter the frame only as differences, as they enter the
 * traces: the table's clock may start anywhere (a host attaches the table
 * after its first block) and the frame gives the same values. */
static void
frame_for(synapse_table *t, const stdp_rule *r, double t_ms)
{
    if (t->frame_valid && t_ms >= t->frame_ms && t_ms < t->frame_ms + FRAME_MS &&
        t->frame_tau_plus == r->tau_plus && t->frame_tau_minus == r->tau_minus)
        return;
    t->frame_ms = t_ms;
    t->frame_tau_plus = r->tau_plus;
    t->frame_tau_minus = r->tau_minus;
    t->frame_valid = 1;
    synapses_frame_rebuild(t);
}

void
synapses_stdp_pre(synapse_table *t, const synapse_params *sp, uint32_t pre, double t_ms)
{
    const stdp_rule *r = rule_of(sp);
    const float w_max = sp->w_max, eta = sp->rate;
    const int multiplicative = sp->rule == STDP_PAIR_MULTIPLICATIVE;
    frame_for(t, r, t_ms);
    const float r2 = decayed(t->r2[pre], t_ms - t->t_pre[pre], r->tau_x);
    const float amp = eta * (r->a2m + r->a3m * r2);
    const float to_now = frame_factor(t->frame_ms, t_ms, r->tau_minus); /* o1 to t_ms */
    const uint32_t begin = t->row[pre];
    const stdp_row row = {
        .post = t->post + begin, .weight = t->weight + begin, .count = t->row[pre + 1] - begin,
        .o1_frame = t->o1_frame, .to_now = to_now, .amp = amp, .w_max = w_max,
        .unscale = t->elig_unscale, .multiplicative = multiplicative,
    };
    stdp_depress_row(sp->isa, &row);
    t->r1[pre] = decayed(t->r1[pre], t_ms - t->t_pre[pre], r->tau_plus) + 1.0f;
    t->r2[pre] = r2 + 1.0f;
    t->t_pre[pre] = t_ms;
    t->r1_frame[pre] = in_frame(t->r1[pre], t_ms, t->frame_ms, r->tau_plus);
}

void
synapses_stdp_post(synapse_table *t, const synapse_params *sp, const uint8_t *inhibitory,
                   uint32_t post, double t_ms)
{
    const stdp_rule *r = rule_of(sp);
    const float w_max = sp->w_max, eta = sp->rate;
    frame_for(t, r, t_ms);
    const float o2 = decayed(t->o2[post], t_ms - t->t_post[post], r->tau_y);
    const float amp = w_max * eta * (r->a2p + r->a3p * o2);
    const float to_now = frame_factor(t->frame_ms, t_ms, r->tau_plus); /* r1 to t_ms */
    /* Two passes over the neuron's column of the table: the presynaptic
     * traces first (per neuron: small arrays, in cache), kept with their
     * synapse when they count (an excitatory presynaptic neuron, a trace
     * above 0), while the weights and eligibilities, which lie one per row,
     * far apart in memory (a synapse's two on one line), are asked for;
     * then those, with nothing else in the loop, not even a branch, so that
     * their loads are all in flight at once instead of one by one. */
    const uint32_t begin = t->in_row[post], end = t->in_row[post + 1];
    float *restrict x = t->trace_scratch;
    uint32_t *restrict syn = t->syn_scratch;
    const float *restrict r1_frame = t->r1_frame;
    const uint32_t *restrict in_pre = t->in_pre, *restrict in_syn = t->in_syn;
    synapse_weight *restrict weight = t->weight;
    /* Whether a synapse is kept is counted, not branched on: a fifth of
     * the presynaptic neurons are inhibitory, at random, and a branch on
     * it was mispredicted about once a column in five synapses (the loop's
     * hottest instructions). */
    uint32_t kept = 0;
    if (inhibitory)
        for (uint32_t k = begin; k < end; ++k) {
            const uint32_t j = in_pre[k];
            const float r1 = r1_frame[j] * to_now;
            x[kept] = r1;
            syn[kept] = in_syn[k];
            __builtin_prefetch(&weight[in_syn[k]], 1);
            kept += (uint32_t)(r1 != 0.0f) & (uint32_t)(inhibitory[j] == 0);
        }
    else
        for (uint32_t k = begin; k < end; ++k) {
            const float r1 = r1_frame[in_pre[k]] * to_now;
            x[kept] = r1;
            syn[kept] = in_syn[k];
            __builtin_prefetch(&weight[in_syn[k]], 1);
            kept += (uint32_t)(r1 != 0.0f);
        }
    const float unscale = t->elig_unscale;
    for (uint32_t k = 0; k < kept; ++k) {
        synapse_weight *sw = &weight[syn[k]];
        const float was = sw->w, now = bounded(was + amp * x[k], w_max);
        sw->elig += (now - was) * unscale;
        sw->w = now;
    }
    t->o1[post] = decayed(t->o1[post], t_ms - t->t_post[post], r->tau_minus) + 1.0f;
    t->o2[post] = o2 + 1.0f;
    t->t_post[post] = t_ms;
    t->o1_frame[post] = in_frame(t->o1[post], t_ms, t->frame_ms, r->tau_minus);
}

void
synapses_set_elig_age(synapse_table *t, uint32_t age)
{
    const double decayed_by = (double)age * REWARD_STEP_MS / TAU_C_MS;
    t->elig_age = age;
    t->elig_scale = (float)exp(-decayed_by);
    t->elig_unscale = (float)exp(decayed_by);
}

void
synapses_reward(synapse_table *t, const synapse_params *sp, double t_ms)
{
    const float gain = sp->dopamine * (float)(REWARD_STEP_MS / TAU_C_MS);
    const float w_max = sp->w_max;
    while (t->reward_ms + REWARD_STEP_MS <= t_ms) {
        t->reward_ms += REWARD_STEP_MS;
        synapse_weight *restrict sw = t->weight;
        const uint32_t count = t->count;
        const float scale = t->elig_scale;
        if (gain != 0.0f)
            for (uint32_t s = 0; s < count; ++s) {
                float nw = sw[s].w + gain * (sw[s].elig * scale);
                sw[s].w = nw < 0.0f ? 0.0f : nw > w_max ? w_max : nw;
            }
        synapses_set_elig_age(t, t->elig_age + 1u);
        if (t->elig_age == SYNAPSES_ELIG_FRAME_STEPS) {
            const float to_now = t->elig_scale;
            for (uint32_t s = 0; s < count; ++s)
                sw[s].elig *= to_now;
            synapses_set_elig_age(t, 0);
        }
    }
}
