/* synth_speed.c — see synth_speed.h. */
#include "synth_speed.h"

#include "uris.h"

#include <math.h>
#include <stdlib.h>

typedef struct {
    double t;
    unsigned neuron;
} spike;

static int
by_time(const void *a, const void *b)
{
    double ta = ((const spike *)a)->t, tb = ((const spike *)b)->t;
    return ta < tb ? -1 : ta > tb;
}

#define RATE 48000.0
#define BLOCK 960u      /* frames per notification (uris.h: 50 per second) */
#define MAX_SPIKES 1024u /* uris.h HILLOCK_NOTIFY_MAX_SPIKES */

void
synth_orbit(double t_ms, float *soma, float *slow)
{
    double t = fmod(t_ms, SYNTH_ORBIT_MS);
    if (t < 0)
        t += SYNTH_ORBIT_MS;
    /* upstroke over 0.5 ms, fall over ~1 ms, undershoot, slow recovery */
    double spike = 105.0 * exp(-pow((t - 0.6) / 0.4, 2.0));
    double ahp = -14.0 * (t > 1.0 ? (t - 1.0) / 1.5 * exp(1.0 - (t - 1.0) / 1.5) : 0.0);
    double ramp = 8.0 * t / SYNTH_ORBIT_MS;
    *soma = (float)(-66.0 + spike + ahp + ramp);
    double rise = 0.5 * (1.0 + tanh((t - 0.6) / 0.25));
    *slow = (float)(0.32 + 0.42 * rise * exp(-(t > 0.6 ? t - 0.6 : 0.0) / 4.0));
}

static double
period_ms(unsigned i)
{
    return SYNTH_ORBIT_MS + 0.5 * (i % 16u);
}

void
synth_fill_speed(hillock_view *v, unsigned n, double speed, double end_s, double seconds,
                 int synchronous)
{
    hillock_view_init(v);
    hillock_view_set_param(v, P_NEURONS, (float)n);
    hillock_view_set_param(v, P_SPEED, (float)speed);
    static uint32_t mask[ENGINE_MAX_NEURONS / 32];
    for (unsigned i = 0; i < ENGINE_MAX_NEURONS / 32; ++i)
        mask[i] = 0;
    for (unsigned i = 4; i < n; i += 5)
        mask[i / 32] |= 1u << (i % 32);
    hillock_view_set_inhibitory_mask(v, mask, n);
    synth_run_speed(v, n, speed, end_s - seconds, end_s, synchronous);
}

void
synth_run_speed(hillock_view *v, unsigned n, double speed, double from_s, double to_s,
                int synchronous)
{
    long first = lround(from_s * RATE / BLOCK), last = lround(to_s * RATE / BLOCK);
    static float soma[HILLOCK_NOTIFY_MAX_POINTS], slow[HILLOCK_NOTIFY_MAX_POINTS];
    const double dt_s = FOCUS_TRACE_MS * 1e-3 / speed; /* host s between focus samples */
    for (long b = first; b < last; ++b) {
        double t0 = (double)b * BLOCK / RATE, t1 = t0 + BLOCK / RATE;
        hillock_view_advance(v, t0);
        /* the engine's blocks in order, the first MAX_SPIKES sent in time
         * order (uris.h: ascending), the rest counted as lost */
        static spike out[MAX_SPIKES];
        uint32_t sent = 0, lost = 0;
        for (int q = 0; q < 4; ++q) {
            double q0 = t0 + q * (t1 - t0) / 4, q1 = q0 + (t1 - t0) / 4;
            for (unsigned i = 0; i < n; ++i) {
                double p_s = synchronous ? 0.1 : period_ms(i) / speed * 1e-3;
                double off = synchronous ? 0.0 : 0.37 * (i % 97) * p_s;
                double k0 = ceil((q0 - off) / p_s), k1 = ceil((q1 - off) / p_s);
                for (double k = k0; k < k1; ++k) {
                    if (sent == MAX_SPIKES) {
                        lost += (uint32_t)(k1 - k);
                        break;
                    }
                    out[sent++] = (spike){k * p_s + off, i};
                }
            }
        }
        qsort(out, sent, sizeof *out, by_time);
        for (uint32_t k = 0; k < sent; ++k)
            hillock_view_push_spike(v, out[k].t, out[k].neuron,
                                    hillock_view_is_inhibitory(v, out[k].neuron));
        if (lost)
            hillock_view_push_lost(v, lost);
        /* the focus neuron every FOCUS_TRACE_MS of model time, the newest
         * HILLOCK_NOTIFY_MAX_POINTS of the notification, the rest skipped,
         * as plugin/notify.c sends them */
        uint32_t taken = (uint32_t)floor((t1 - t0) / dt_s + 1e-6);
        uint32_t count = taken < HILLOCK_NOTIFY_MAX_POINTS ? taken : HILLOCK_NOTIFY_MAX_POINTS;
        for (uint32_t k = 0; k < count; ++k) {
            double t = t1 - (count - k) * dt_s;
            synth_orbit(synchronous ? fmod(t * 1e3, 100.0) : t * 1e3 * speed, &soma[k],
                        &slow[k]);
        }
        hillock_view_push_focus(v, t1 - dt_s, dt_s, FOCUS_TRACE_MS, soma, NULL, slow, count,
                                taken - count);
    }
    hillock_view_advance(v, to_s);
}
