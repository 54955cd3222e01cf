/* stereo_mix.h — the bank's membrane voltages mixed to stereo. */
#ifndef HILLOCK_STEREO_MIX_H
#define HILLOCK_STEREO_MIX_H

#include "simd.h"

#include <stdint.h>

/* The stereo mix of the somatic voltages v[0, n): l = sum wl[i] (v[i] - c),
 * r likewise, in a fixed order (the same bits on every instruction-set path
 * and for any block split), vectorised. Screens them on the way, as
 * bank_screen does (to_mV_a v + to_mV_b in mV, model.h): returns 1 if some
 * voltage is not finite or beyond a volt. */
int stereo_mix_screened(simd_isa isa, const float *v, const float *wl, const float *wr,
                        float center, uint32_t n, float to_mV_a, float to_mV_b, float *l,
                        float *r);

/* stereo_mix_screened and level_stats_update(isa, v, mean, msq, wl, wr,
 * center, k, a, n, sum_l, sum_r) in one pass over the voltages, the same
 * bits as the two calls. */
int stereo_mix_screened_stats(simd_isa isa, const float *v, const float *wl, const float *wr,
                              float center, uint32_t n, float to_mV_a, float to_mV_b, float *l,
                              float *r, float *mean, float *msq, float k, float a,
                              float *sum_l, float *sum_r);

#endif
