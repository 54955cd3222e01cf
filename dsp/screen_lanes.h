/* screen_lanes.h — one lane of the non-finite screen (bank_screen.c and the
 * stereo mix's pass over V). */
#ifndef HILLOCK_SCREEN_LANES_H
#define HILLOCK_SCREEN_LANES_H

#include "simd.h"

#include <stdint.h>

/* Neuron i's state is broken when some variable, the noise or a conductance
 * is not finite, or the voltage is beyond a volt either way (an absurd input
 * current: treat it like NaN). The screen after each step looks at the
 * somatic voltage only: each model's step carries every variable, input and
 * conductance into V within the step (HH's V update uses the new gates; the RK stages carry
 * u, y, z, Ca, ... into V), so a broken neuron shows a V that is not finite
 * or beyond the limit by the end of the step that broke it, at the latest
 * the next one. The screen is 16 lanes at a time: x * 0 is NaN exactly when
 * x is inf or NaN, and the lanes also keep the largest |V|. Only when it
 * fails are the neurons looked at one by one (bank_repair_nonfinite). */
#define REPAIR_LIMIT_MV 1000.0f

/* One lane of the screen, for a = |V| in mV: NaN stays in nan_acc, the
 * largest |V| in v_max. */
SIMD_INLINE void
screen_lane(float a, float *nan_acc, float *v_max)
{
    *nan_acc += a * 0.0f;
    *v_max = a > *v_max ? a : *v_max;
}

/* 1 if some lane saw a non-finite V or one beyond the limit. */
SIMD_INLINE int
screen_verdict(const float *nan_acc, const float *v_max, uint32_t lanes)
{
    int bad = 0;
    for (uint32_t j = 0; j < lanes; ++j)
        bad |= !(nan_acc[j] == 0.0f) | !(v_max[j] < REPAIR_LIMIT_MV);
    return bad;
}

#endif
