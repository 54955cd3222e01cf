/* trace_decimator.c — see trace_decimator.h. */
#include "trace_decimator.h"

#include <math.h>

void
trace_decimator_restart(trace_decimator *t)
{
    t->fill = 0;
    t->prev_s = t->prev_d = NAN;
}

static float
extreme(float lo, float hi, float prev)
{
    if (isnan(prev))
        return hi;
    return (hi - prev >= prev - lo) ? hi : lo;
}

bool
trace_decimator_push(trace_decimator *t, uint32_t step, float soma, float dend, float slow,
                     trace_point *out)
{
    if (t->fill == 0) {
        t->min_s = t->max_s = soma;
        t->min_d = t->max_d = dend;
        t->slow_at_min = t->slow_at_max = slow;
    } else {
        if (soma < t->min_s) {
            t->min_s = soma;
            t->slow_at_min = slow;
        }
        if (soma > t->max_s) {
            t->max_s = soma;
            t->slow_at_max = slow;
        }
        t->min_d = fminf(t->min_d, dend);
        t->max_d = fmaxf(t->max_d, dend);
    }
    if (++t->fill < step)
        return false;
    t->fill = 0;
    out->soma = extreme(t->min_s, t->max_s, t->prev_s);
    out->dend = extreme(t->min_d, t->max_d, t->prev_d);
    out->slow = out->soma == t->max_s ? t->slow_at_max : t->slow_at_min;
    t->prev_s = out->soma;
    t->prev_d = out->dend;
    return true;
}
