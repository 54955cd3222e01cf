/* synth.c — see synth.h. */
#include "synth.h"

#include <math.h>

void
synth_fill(hillock_view *v, unsigned n, double end_s, double seconds, int model,
           int dendrite)
{
    hillock_view_init(v);
    hillock_view_set_param(v, P_MODEL, (float)model);
    hillock_view_set_param(v, P_NEURONS, (float)n);
    hillock_view_set_param(v, P_FOCUS, 2.0f);
    const double dt = 0.25e-3, t0 = end_s - seconds;
    const double focus_period = 1.0 / (4.0 + 1.5 * 2);
    double slow = 0.3, last_spike = -1.0;
    for (long k = 0; k * dt <= seconds; ++k) {
        double t = t0 + k * dt;
        /* spikes of every neuron in this millisecond, in neuron order */
        for (unsigned i = 0; i < n; ++i) {
            /* big banks fire slower so the raster ring holds the whole span */
            double period = 1.0 / ((4.0 + 1.5 * (i % 16)) / (n > 32 ? 8.0 : 1.0));
            double phase0 = 0.37 * i;
            if (floor((t - t0) / period + phase0) != floor((t - t0 - dt) / period + phase0) &&
                k > 0)
                hillock_view_push_spike(v, t, i, i % 5 == 4);
        }
        if (floor((t - t0) / focus_period + 0.74) !=
                floor((t - t0 - dt) / focus_period + 0.74) && k > 0)
            last_spike = t;
        double since = (t - last_spike) * 1000.0; /* ms */
        double soma, dend, s;
        if (last_spike < 0 || since > 60.0) {
            soma = -65.0 + 8.0 * (1.0 - exp(-(since > 0 ? since : 0) / 40.0));
        } else {
            soma = -75.0 + 115.0 * exp(-since / 1.2) * (since < 0.5 ? since / 0.5 : 1.0) +
                   10.0 * (1.0 - exp(-since / 20.0));
        }
        slow += (0.32 - slow) * dt / 0.05;
        if (since >= 0 && since < 1.0)
            slow += 0.03;
        s = slow;
        dend = dendrite ? -68.0 + 0.45 * (soma + 65.0) : NAN;
        if (model == MODEL_HINDMARSH_ROSE)
            s = 1.5 + slow;
        float fs = (float)soma, fd = (float)dend;
        hillock_view_push_trace(v, t, dt, &fs, dendrite ? &fd : NULL, 1, (float)s);
    }
    hillock_view_advance(v, end_s);
}
