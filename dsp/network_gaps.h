/* network_gaps.h — one draw of the on-the-fly network's geometric gaps
 * (network.c), inline so that the walk (network.c) and the delivery
 * (network_marks.c) vectorise the same float operations: the same bits on
 * every path and in either file. */
#ifndef HILLOCK_NETWORK_GAPS_H
#define HILLOCK_NETWORK_GAPS_H

#include "rng.h"
#include "simd.h"
#include "vmath.h"

#include <stdint.h>

#define NETWORK_GOLDEN32 0x9E3779B9u

/* ln u for u in (0, 1), to 8e-6 relative: u = m 2^e with m in
 * [sqrt(1/2), sqrt(2)), ln(m) = f Q(f) for f = m - 1, Q of degree 5 fitted
 * by least squares on Chebyshev nodes (made for Hillock). A gap needs no
 * more: an error of 1e-5 in ln u moves a gap across an integer once in
 * 10^4 draws or so, and changes no connection probability measurably;
 * vm_logf's degree-9 polynomial was half the cost of a draw. */
SIMD_INLINE float
network_gap_log(float u)
{
    int32_t bits = vm_float_to_bits(u);
    int32_t e = ((bits >> 23) & 0xff) - 126;
    float m = vm_bits_to_float((bits & 0x007fffff) | 0x3f000000); /* [0.5, 1) */
    int small = m < 0.70710678f;
    e = small ? e - 1 : e;
    m = small ? m + m : m;
    float f = m - 1.0f;
    float q = -0.14338312559f;
    q = q * f + 0.22070299638f;
    q = q * f - 0.25397831766f;
    q = q * f + 0.33256777805f;
    q = q * f - 0.49990361588f;
    q = q * f + 1.00000468490f;
    return f * q + (float)e * 0.69314718056f;
}

/* Gap k of the stream keyed `key`: floor(ln u / ln(1 - q)) for its uniform
 * u, at most cap (inv_log_q = 1 / ln(1 - q)). */
SIMD_INLINE int32_t
network_gap(uint32_t key, uint32_t k, float inv_log_q, float cap)
{
    uint32_t z = rng_lowbias32(key ^ (k * NETWORK_GOLDEN32));
    float u = ((float)(int32_t)(z >> 8) + 0.5f) * (1.0f / 16777216.0f);
    float g = network_gap_log(u) * inv_log_q; /* >= 0: both factors negative */
    g = g < cap ? g : cap;
    return (int32_t)g; /* truncation: floor, as g >= 0 */
}

/* count gaps of the stream, from gap k on, into gaps (count a constant
 * where inlined, so that the loop is whole vectors). */
SIMD_INLINE void
network_draw_gaps(int32_t *restrict gaps, uint32_t count, uint32_t key, uint32_t k,
                  float inv_log_q, float cap)
{
    for (uint32_t j = 0; j < count; ++j)
        gaps[j] = network_gap(key, k + j, inv_log_q, cap);
}

#endif
