#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
apply_settings(float values[PARAM_COUNT], const char *settings)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", settings ? settings : "");
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            fprintf(stderr, "bad setting %s\n", tok);
            abort();
        }
        *eq = '\0';
        int id = param_find(tok);
        char err[256];
        float v;
        if (id < 0 || !param_parse((param_id)id, eq + 1, &v, err, sizeof err)) {
            fprintf(stderr, "bad setting %s: %s\n", tok, id < 0 ? "unknown" : err);
            abort();
        }
        values[id] = v;
    }
}

spike_record
run_engine(double sample_rate, double model_ms, const char *settings, unsigned block)
{
    spike_record r = {0};
    r.cap = 1024;
    r.t_ms = malloc(r.cap * sizeof *r.t_ms);
    r.neuron = malloc(r.cap * sizeof *r.neuron);
    r.v_min = INFINITY;
    r.v_max = -INFINITY;
    r.first_peak = NAN;
    r.all_finite = 1;

    float values[PARAM_COUNT];
    /* the references speak the model's own current unit */
    param_defaults_absolute(values);
    values[P_NEURONS] = 1;
    /* and start every neuron from rest (a settled start would put it on
     * its cycle at a seeded phase) */
    values[P_START] = START_REST;
    apply_settings(values, settings);

    engine *e = engine_create(sample_rate);
    engine_set_all_params(e, values);
    const double ms_per_frame = values[P_SPEED] * 1000.0 / sample_rate;
    const unsigned long long frames = (unsigned long long)llround(model_ms / ms_per_frame);

    float *left = malloc(block * sizeof(float)), *right = malloc(block * sizeof(float));
    float *trace = malloc(block * sizeof(float));
    engine_spike *spikes = malloc(65536 * sizeof *spikes);
    float prev2 = NAN, prev1 = NAN;

    for (unsigned long long done = 0; done < frames;) {
        unsigned n = (unsigned)((frames - done) < block ? frames - done : block);
        engine_io io = {.out_left = left,
                        .out_right = right,
                        .trace_soma = trace,
                        .spikes = spikes,
                        .spike_capacity = 65536};
        engine_process(e, &io, n);
        for (unsigned k = 0; k < io.n_spikes; ++k) {
            if (r.n == r.cap) {
                r.cap *= 2;
                r.t_ms = realloc(r.t_ms, r.cap * sizeof *r.t_ms);
                r.neuron = realloc(r.neuron, r.cap * sizeof *r.neuron);
            }
            r.t_ms[r.n] = ((double)done + spikes[k].offset + spikes[k].frac) * ms_per_frame;
            r.neuron[r.n++] = spikes[k].neuron;
        }
        for (unsigned f = 0; f < n; ++f) {
            float v = trace[f];
            if (!isfinite(v) || !isfinite(left[f]) || !isfinite(right[f]) ||
                fabsf(left[f]) > 1.0f || fabsf(right[f]) > 1.0f)
                r.all_finite = 0;
            r.v_min = fminf(r.v_min, v);
            r.v_max = fmaxf(r.v_max, v);
            if (isnan(r.first_peak) && prev1 > 0.0f && prev1 >= prev2 && prev1 > v)
                r.first_peak = prev1;
            prev2 = prev1;
            prev1 = v;
            r.last_v = v;
        }
        done += n;
    }
    free(left);
    free(right);
    free(trace);
    free(spikes);
    engine_destroy(e);
    return r;
}

void
record_free(spike_record *r)
{
    free(r->t_ms);
    free(r->neuron);
    memset(r, 0, sizeof *r);
}

size_t
count_between(const spike_record *r, double t0, double t1)
{
    size_t c = 0;
    for (size_t i = 0; i < r->n; ++i)
        c += r->t_ms[i] >= t0 && r->t_ms[i] < t1;
    return c;
}

double
steady_rate_hz(const spike_record *r, double t0)
{
    size_t first = 0;
    while (first < r->n && r->t_ms[first] < t0)
        ++first;
    if (r->n < first + 2)
        return 0.0;
    return 1000.0 * (double)(r->n - 1 - first) / (r->t_ms[r->n - 1] - r->t_ms[first]);
}

burst_stats
burst_analysis(const spike_record *r, double gap_ms, double t0)
{
    burst_stats b = {0, 0.0, ~0u, 0};
    double first_start = 0, last_start = 0;
    unsigned size = 0;
    int in_window = 0;
    for (size_t i = 0; i < r->n; ++i) {
        int starts = i == 0 || r->t_ms[i] - r->t_ms[i - 1] > gap_ms;
        if (starts) {
            if (in_window && size) { /* close the previous burst */
                b.min_size = size < b.min_size ? size : b.min_size;
                b.max_size = size > b.max_size ? size : b.max_size;
            }
            in_window = r->t_ms[i] >= t0;
            if (in_window) {
                if (b.bursts == 0)
                    first_start = r->t_ms[i];
                last_start = r->t_ms[i];
                b.bursts++;
            }
            size = 0;
        }
        size++;
    }
    /* the last burst may be cut off by the end of the run: not counted in sizes */
    if (b.bursts > 1)
        b.period_ms = (last_start - first_start) / (double)(b.bursts - 1);
    if (b.min_size == ~0u)
        b.min_size = 0;
    return b;
}
