/* view.c — fixed rings behind the displays; see view.h. */
#include "view.h"

#include <math.h>
#include <string.h>

#include "engine.h"

void
hillock_view_init(hillock_view *v)
{
    memset(v, 0, sizeof *v);
    param_defaults(v->params);
    v->trace_dt_s = 1e-3f;
    trace_decimator_restart(&v->decimator);
    v->lost_at_s = -1.0;
    v->spike_share = 1.0f;
    v->weights_at_s = -1.0;
    v->tempo_scale = 1.0f;
    v->tempo_error = NAN;
    v->pitch_clamped = -1;
}

void
hillock_view_set_param(hillock_view *v, param_id id, float value)
{
    if ((int)id >= 0 && id < PARAM_COUNT)
        v->params[id] = param_sanitize(id, value);
}

uint32_t
hillock_view_neurons(const hillock_view *v)
{
    if (v->active_neurons)
        return v->active_neurons < ENGINE_MAX_NEURONS ? v->active_neurons
                                                      : ENGINE_MAX_NEURONS;
    float n = v->params[P_NEURONS];
    if (!(n >= 1.0f))
        return 1;
    if (n > (float)ENGINE_MAX_NEURONS)
        return ENGINE_MAX_NEURONS;
    return (uint32_t)n;
}

void
hillock_view_restart(hillock_view *v, double t_s)
{
    v->spike_head = v->trace_head = v->rate_head = 0;
    trace_decimator_restart(&v->decimator);
    v->rate_bin_spikes = 0;
    v->rate_bin_start_s = t_s;
    v->now_s = t_s;
    v->phase_head = 0;
    v->lost_at_s = -1.0;
    v->weights_at_s = -1.0;
}

static void
close_bin(hillock_view *v)
{
    float n = (float)hillock_view_neurons(v);
    v->rate_hz[v->rate_head & (HV_RATE_RING - 1)] =
        (float)v->rate_bin_spikes / (n * (float)HV_RATE_BIN_S);
    v->rate_head++;
    v->rate_bin_spikes = 0;
    v->rate_bin_start_s += HV_RATE_BIN_S;
}

void
hillock_view_advance(hillock_view *v, double t_s)
{
    if (!isfinite(t_s) || t_s <= v->now_s)
        return;
    v->now_s = t_s;
    /* A long silence: the whole ring becomes zeros at once, in bounded time. */
    if (t_s - v->rate_bin_start_s > HV_RATE_RING * HV_RATE_BIN_S) {
        double bins = floor((t_s - v->rate_bin_start_s) / HV_RATE_BIN_S);
        close_bin(v);
        for (uint32_t i = 1; i < HV_RATE_RING; ++i) {
            v->rate_hz[v->rate_head & (HV_RATE_RING - 1)] = 0.0f;
            v->rate_head++;
        }
        v->rate_bin_start_s += (bins - 1.0) * HV_RATE_BIN_S;
    }
    while (t_s >= v->rate_bin_start_s + HV_RATE_BIN_S)
        close_bin(v);
}

void
hillock_view_push_spike(hillock_view *v, double t_s, uint32_t neuron, bool inhibitory)
{
    hillock_view_advance(v, t_s);
    hv_spike *s = &v->spikes[v->spike_head & (HV_SPIKE_RING - 1)];
    s->t_s = t_s;
    s->neuron = (uint16_t)(neuron < ENGINE_MAX_NEURONS ? neuron : ENGINE_MAX_NEURONS - 1);
    s->inhibitory = inhibitory ? 1 : 0;
    s->pad = 0;
    v->spike_head++;
    v->rate_bin_spikes++;
}

void
hillock_view_push_lost(hillock_view *v, uint32_t n)
{
    v->rate_bin_spikes += n;
    v->spikes_lost += n;
    if (n)
        v->lost_at_s = v->now_s;
}

void
hillock_view_spike_share(hillock_view *v, uint32_t sent, uint32_t lost)
{
    if (sent + lost > 0)
        v->spike_share = (float)sent / (float)(sent + lost);
}

void
hillock_view_push_sample(hillock_view *v, double t_s, float dt_s, float soma, float dend,
                         float slow)
{
    hillock_view_advance(v, t_s);
    if (dt_s > 0.0f && isfinite(dt_s))
        v->trace_dt_s = dt_s;
    hv_sample *s = &v->trace[v->trace_head & (HV_TRACE_RING - 1)];
    s->soma = soma;
    s->dend = dend;
    s->slow = slow;
    v->trace_head++;
}

void
hillock_view_push_trace(hillock_view *v, double t0_s, double dt_s, const float *soma,
                        const float *dend, uint32_t n, float slow_end)
{
    hillock_view_push_trace_slow(v, t0_s, dt_s, soma, dend, NULL, n, slow_end);
}

/* Points k of a block at t0_s + k * dt_s, step_ms of model time apart:
 * the extreme of every HV_TRACE_MODEL_MS into the ring. Without per-point
 * slow values (slow NULL) the block's last point carries slow_end, the one
 * known at the block's end. */
static void
push_decimated(hillock_view *v, double t0_s, double dt_s, double step_ms, const float *soma,
               const float *dend, const float *slow, uint32_t n, float slow_end)
{
    uint32_t factor = step_ms > 0.0 ? (uint32_t)(HV_TRACE_MODEL_MS / step_ms + 1e-6) : 1u;
    if (factor < 1)
        factor = 1;
    for (uint32_t k = 0; k < n; ++k) {
        trace_point p;
        if (!trace_decimator_push(&v->decimator, factor, soma[k], dend ? dend[k] : NAN,
                                  slow ? slow[k] : NAN, &p))
            continue;
        if (!slow)
            p.slow = k + 1 == n ? slow_end : NAN;
        hillock_view_push_sample(v, t0_s + k * dt_s, (float)(dt_s * factor), p.soma, p.dend,
                                 p.slow);
    }
}

void
hillock_view_push_trace_slow(hillock_view *v, double t0_s, double dt_s, const float *soma,
                             const float *dend, const float *slow, uint32_t n,
                             float slow_end)
{
    if (!(dt_s > 0.0) || !soma || n == 0)
        return;
    push_decimated(v, t0_s, dt_s, dt_s * hillock_view_model_ms_per_s(v), soma, dend, slow, n,
                   slow_end);
    if (isfinite(soma[n - 1]) && isfinite(slow_end))
        hillock_view_push_phase(v, soma[n - 1], slow_end);
}

void
hillock_view_push_focus(hillock_view *v, double t_end_s, double dt_s, double step_ms,
                        const float *soma, const float *dend, const float *slow, uint32_t n,
                        uint32_t skipped)
{
    if (!(dt_s > 0.0) || !(step_ms > 0.0) || !soma || n == 0)
        return;
    double t0_s = t_end_s - (n - 1) * dt_s;
    if (skipped && hillock_view_trace_count(v)) {
        hillock_view_push_sample(v, t0_s, (float)dt_s, NAN, NAN, NAN);
        trace_decimator_restart(&v->decimator);
    }
    push_decimated(v, t0_s, dt_s, step_ms, soma, dend, slow, n, NAN);
}

void
hillock_view_push_phase(hillock_view *v, float soma, float slow)
{
    hv_phase_point *p = &v->phase[v->phase_head & (HV_PHASE_RING - 1)];
    p->soma = soma;
    p->slow = slow;
    v->phase_head++;
}

void
hillock_view_set_inhibitory_mask(hillock_view *v, const uint32_t *words, uint32_t n_neurons)
{
    const uint32_t max_words = sizeof v->inhibitory_mask / sizeof v->inhibitory_mask[0];
    uint32_t n_words = (n_neurons + 31u) / 32u;
    memset(v->inhibitory_mask, 0, sizeof v->inhibitory_mask);
    if (n_words > max_words)
        n_words = max_words;
    memcpy(v->inhibitory_mask, words, n_words * sizeof *words);
}

bool
hillock_mask_pack(uint32_t *words, const uint8_t *flags, uint32_t n_neurons)
{
    bool changed = false;
    for (uint32_t w = 0; w < (n_neurons + 31u) / 32u; ++w) {
        uint32_t bits = 0;
        for (uint32_t b = 0; b < 32u; ++b) {
            uint32_t i = w * 32u + b;
            if (i < n_neurons && flags[i])
                bits |= 1u << b;
        }
        changed |= bits != words[w];
        words[w] = bits;
    }
    return changed;
}

void
hillock_view_set_inhibitory_flags(hillock_view *v, const uint8_t *flags, uint32_t n_neurons)
{
    if (n_neurons > ENGINE_MAX_NEURONS)
        n_neurons = ENGINE_MAX_NEURONS;
    memset(v->inhibitory_mask, 0, sizeof v->inhibitory_mask);
    hillock_mask_pack(v->inhibitory_mask, flags, n_neurons);
}

bool
hillock_view_is_inhibitory(const hillock_view *v, uint32_t neuron)
{
    return neuron < ENGINE_MAX_NEURONS && (v->inhibitory_mask[neuron / 32u] >> (neuron % 32u)) & 1u;
}

static uint32_t
ring_count(uint32_t head, uint32_t size)
{
    return head < size ? head : size;
}

uint32_t
hillock_view_trace_count(const hillock_view *v)
{
    return ring_count(v->trace_head, HV_TRACE_RING);
}

const hv_sample *
hillock_view_trace_at(const hillock_view *v, uint32_t i)
{
    return &v->trace[(v->trace_head - 1u - i) & (HV_TRACE_RING - 1)];
}

uint32_t
hillock_view_spike_count(const hillock_view *v)
{
    return ring_count(v->spike_head, HV_SPIKE_RING);
}

const hv_spike *
hillock_view_spike_at(const hillock_view *v, uint32_t i)
{
    return &v->spikes[(v->spike_head - 1u - i) & (HV_SPIKE_RING - 1)];
}

uint32_t
hillock_view_phase_count(const hillock_view *v)
{
    return ring_count(v->phase_head, HV_PHASE_RING);
}

const hv_phase_point *
hillock_view_phase_at(const hillock_view *v, uint32_t i)
{
    return &v->phase[(v->phase_head - 1u - i) & (HV_PHASE_RING - 1)];
}

uint32_t
hillock_view_rate_count(const hillock_view *v)
{
    return ring_count(v->rate_head, HV_RATE_RING);
}

float
hillock_view_rate_at(const hillock_view *v, uint32_t i)
{
    return v->rate_hz[(v->rate_head - 1u - i) & (HV_RATE_RING - 1)];
}

double
hillock_view_model_ms_per_s(const hillock_view *v)
{
    /* the tempo lock and the CPU guard scale the time the model runs */
    double tempo = v->tempo_scale > 0.0f ? v->tempo_scale : 1.0;
    double guard = v->guard_time > 0.0f ? v->guard_time : 1.0;
    return 1000.0 * v->params[P_SPEED] * tempo * guard;
}

float
hillock_view_rate_smooth_at(const hillock_view *v, uint32_t i)
{
    const double sigma = HV_RATE_SMOOTH_S / HV_RATE_BIN_S;
    const int reach = (int)ceil(3.0 * sigma);
    uint32_t count = hillock_view_rate_count(v);
    double sum = 0.0, weight = 0.0;
    for (int k = -reach; k <= reach; ++k) {
        long j = (long)i + k;
        if (j < 0 || j >= (long)count)
            continue;
        double w = exp(-0.5 * (k / sigma) * (k / sigma));
        sum += w * hillock_view_rate_at(v, (uint32_t)j);
        weight += w;
    }
    return weight > 0.0 ? (float)(sum / weight) : 0.0f;
}

void
hillock_view_set_weights(hillock_view *v, const int32_t *bins, uint32_t n, float w_max,
                         uint32_t stride)
{
    if (!bins || n == 0 || !(w_max > 0.0f) || !isfinite(w_max))
        return;
    memset(v->weight_bins, 0, sizeof v->weight_bins);
    for (uint32_t k = 0; k < n; ++k)
        v->weight_bins[(uint64_t)k * HV_WEIGHT_BINS / n] += bins[k] > 0 ? (uint32_t)bins[k] : 0u;
    v->weight_max = w_max;
    v->weight_stride = stride ? stride : 1u;
    v->weights_at_s = v->now_s;
}

bool
hillock_view_weights_live(const hillock_view *v)
{
    return v->weights_at_s >= 0.0 && v->now_s - v->weights_at_s < 1.0 &&
           v->params[P_PLASTICITY] > 0.0f;
}
