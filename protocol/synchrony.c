/* synchrony.c — see synchrony.h. */
#include "synchrony.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define TWO_PI 6.283185307179586

/* The rhythm of P (mean removed, Hann-windowed in place against leakage):
 * its power spectrum over the frequencies k / T, k >= 1 (a direct DFT:
 * bins <= 500, so at most 125000 terms). A train of synchronous volleys
 * has power at every harmonic of its rate, nearly equal, so the rhythm is
 * the lowest peak within half the strongest, in model Hz, if the strongest
 * is HV_SYNC_PEAK times the spectrum's mean; else NAN. */
static double
rhythm_of(double *p, uint32_t bins)
{
    uint32_t kmax = bins / 2u;
    double *power = kmax >= 2 ? malloc((kmax + 2) * sizeof *power) : NULL;
    if (!power)
        return NAN;
    for (uint32_t b = 0; b < bins; ++b)
        p[b] *= 0.5 - 0.5 * cos(TWO_PI * b / bins);
    double best = 0.0, sum = 0.0;
    power[0] = power[kmax + 1] = 0.0;
    for (uint32_t k = 1; k <= kmax; ++k) {
        /* e^{-i w b} by rotation: two multiplications a term, not two
         * trigonometric calls (double: the drift over 500 terms is ~1e-13) */
        double re = 0.0, im = 0.0, w = TWO_PI * k / bins, cw = cos(w), sw = sin(w);
        double c = 1.0, s = 0.0;
        for (uint32_t b = 0; b < bins; ++b) {
            re += p[b] * c;
            im -= p[b] * s;
            double c2 = c * cw - s * sw;
            s = s * cw + c * sw;
            c = c2;
        }
        power[k] = re * re + im * im;
        sum += power[k];
        best = fmax(best, power[k]);
    }
    double hz = NAN;
    if (best > HV_SYNC_PEAK * sum / kmax)
        for (uint32_t k = 1; k <= kmax && isnan(hz); ++k)
            if (power[k] >= 0.5 * best && power[k] >= power[k - 1] && power[k] >= power[k + 1])
                hz = k * 1000.0 / (bins * HV_SYNC_BIN_MS);
    free(power);
    return hz;
}

bool
hillock_view_synchrony(const hillock_view *v, hv_synchrony *out)
{
    *out = (hv_synchrony){NAN, NAN, 0.0, false};
    uint32_t count = hillock_view_spike_count(v), n = hillock_view_neurons(v);
    double mps = hillock_view_model_ms_per_s(v);
    if (count < HV_SYNC_MIN_SPIKES || n < 2 || !(mps > 0))
        return false;
    /* the window: the last HV_SYNC_WINDOW_MS, or the ring's span if less */
    double oldest_ms = (v->now_s - hillock_view_spike_at(v, count - 1)->t_s) * mps;
    double window_ms = fmin(HV_SYNC_WINDOW_MS, oldest_ms);
    uint32_t bins = (uint32_t)floor(window_ms / HV_SYNC_BIN_MS);
    window_ms = bins * HV_SYNC_BIN_MS;
    if (window_ms < HV_SYNC_MIN_MS)
        return false;

    double *pop = calloc(bins, sizeof *pop);
    uint32_t *spikes = calloc(n, sizeof *spikes), *in_bin = calloc(n, sizeof *in_bin);
    int32_t *last_bin = malloc(n * sizeof *last_bin);
    bool ok = pop && spikes && in_bin && last_bin;
    if (ok) {
        for (uint32_t i = 0; i < n; ++i)
            last_bin[i] = -1;
        /* sum_i sum_b c_i(b)^2 = spikes + 2 x pairs of a neuron's spikes in one bin */
        double squares = 0.0;
        uint32_t used = 0;
        for (uint32_t k = 0; k < count; ++k) { /* newest first: bins in order per neuron */
            const hv_spike *s = hillock_view_spike_at(v, k);
            double age_ms = (v->now_s - s->t_s) * mps;
            if (age_ms >= window_ms)
                break;
            if (s->neuron >= n || age_ms < 0)
                continue;
            int32_t b = (int32_t)(bins - 1u - (uint32_t)floor(age_ms / HV_SYNC_BIN_MS));
            pop[b] += 1.0;
            spikes[s->neuron]++;
            if (last_bin[s->neuron] == b) {
                squares += 2.0 * in_bin[s->neuron];
                in_bin[s->neuron]++;
            } else {
                last_bin[s->neuron] = b;
                in_bin[s->neuron] = 1;
            }
            squares += 1.0;
            used++;
        }
        double mean_sq = 0.0; /* sum_i (n_i / B)^2 */
        for (uint32_t i = 0; i < n; ++i)
            mean_sq += ((double)spikes[i] / bins) * ((double)spikes[i] / bins);
        double sum_var_i = squares / bins - mean_sq; /* sum_i Var_b(c_i) */
        double mean_p = (double)used / bins, var_p = 0.0;
        for (uint32_t b = 0; b < bins; ++b)
            var_p += (pop[b] - mean_p) * (pop[b] - mean_p);
        var_p /= bins;
        out->sampled = v->lost_at_s >= 0.0 && (v->now_s - v->lost_at_s) * mps < window_ms;
        if (out->sampled) {
            /* each spike sent with probability q: thinning adds (1 - q) x
             * the mean to both variances (binomial), whatever the bank does */
            double q = v->spike_share > 0.0f && v->spike_share <= 1.0f ? v->spike_share : 1.0;
            var_p -= (1.0 - q) * mean_p;
            sum_var_i -= (1.0 - q) * mean_p;
        }
        if (used >= HV_SYNC_MIN_SPIKES && sum_var_i > 0.0) {
            double chi2 = var_p > 0.0 ? var_p / (n * sum_var_i) : 0.0;
            out->chi = sqrt(chi2 < 1.0 ? chi2 : 1.0);
            for (uint32_t b = 0; b < bins; ++b)
                pop[b] -= mean_p;
            out->rhythm_hz = rhythm_of(pop, bins);
            out->window_ms = window_ms;
        } else {
            ok = false;
        }
    }
    free(pop);
    free(spikes);
    free(in_bin);
    free(last_bin);
    return ok;
}
