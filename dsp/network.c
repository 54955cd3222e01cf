#include "network.h"

#include "rng.h"
#include "simd.h"
#include "vmath.h"

#include <math.h>

enum { STREAM_TYPE = 1, STREAM_BRANCH = 2, STREAM_TARGETS = 3 };

void
network_assign_types(uint8_t *inhibitory, uint8_t *branch, uint32_t n, uint64_t seed,
                     float inh_fraction)
{
    for (uint32_t i = 0; i < n; ++i) {
        inhibitory[i] = rng_uniform_open(rng_hash(seed, STREAM_TYPE, i)) < inh_fraction;
        branch[i] = (uint8_t)(rng_hash(seed, STREAM_BRANCH, i) >> 63);
    }
}

/* Geometric skipping: the gap to the next target is floor(ln u / ln(1-p))
 * for u uniform in (0, 1). The draws of neuron pre's stream come GAP_LANES
 * at a time, as a vectorised loop (64: four AVX-512 vectors, so the latency
 * of one vector's hash and log polynomial hides behind the others). Draw k
 * is rng_lowbias32(key ^ k * golden), the key drawn from rng_hash(seed,
 * STREAM_TARGETS, pre). XOR, not addition: with key + k * golden, two
 * neurons whose keys differ by a small multiple of golden (a few dozen pairs
 * in a bank of 4096) would draw the same gaps shifted by a few places. The
 * logarithm is gap_log (plain float arithmetic: the same bits on every
 * path). The gaps are then walked one by one; a batch may run past the last
 * neuron, and the draws beyond it are unused. */
#define GAP_LANES 64u
#define GOLDEN32 0x9E3779B9u

/* ln u for u in (0, 1), to 8e-6 relative: u = m 2^e with m in
 * [sqrt(1/2), sqrt(2)), ln(m) = f Q(f) for f = m - 1, Q of degree 5 fitted
 * by least squares on Chebyshev nodes (made for Hillock). A gap needs no
 * more: an error of 1e-5 in ln u moves a gap across an integer once in
 * 10^4 draws or so, and changes no connection probability measurably;
 * vm_logf's degree-9 polynomial was half the cost of a draw. */
SIMD_INLINE float
gap_log(float u)
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

SIMD_INLINE void
gaps_loop(uint32_t key, uint32_t first, float inv_log_q, float cap, int32_t *restrict gaps)
{
    for (uint32_t j = 0; j < GAP_LANES; ++j) {
        uint32_t z = rng_lowbias32(key ^ ((first + j) * GOLDEN32));
        float u = ((float)(int32_t)(z >> 8) + 0.5f) * (1.0f / 16777216.0f);
        float g = gap_log(u) * inv_log_q; /* >= 0: both factors negative */
        g = g < cap ? g : cap;
        gaps[j] = (int32_t)g; /* truncation: floor, as g >= 0 */
    }
}

SIMD_INLINE void
gaps_kernel(uint32_t key, uint32_t first, float inv_log_q, float cap, int32_t *gaps)
{
    gaps_loop(key, first, inv_log_q, cap, gaps);
}

SIMD_MULTIVERSION(draw_gaps, gaps_kernel,
                  (uint32_t key, uint32_t first, float inv_log_q, float cap, int32_t *gaps),
                  (key, first, inv_log_q, cap, gaps))

void
network_deliver(const network_params *p, uint32_t pre, uint32_t n, int pre_inhibitory,
                float *g_exc_branch, float *g_inh)
{
    float w = pre_inhibitory ? p->w_inh : p->w_exc;
    if (p->p <= 0.0f || w <= 0.0f)
        return;
    float *target_g = pre_inhibitory ? g_inh : g_exc_branch;

    if (p->p >= 1.0f) {
        for (uint32_t t = 0; t < n; ++t)
            target_g[t] += (t != pre) ? w : 0.0f;
        return;
    }
    const uint32_t key = (uint32_t)(rng_hash(p->seed, STREAM_TARGETS, pre) >> 32);
    const float inv_log_q = (float)(1.0 / log1p(-(double)p->p));
    /* no gap needs to be longer than the bank (and the cap keeps the
     * conversion in range for a tiny p) */
    const float cap = (float)n;
    int32_t gaps[GAP_LANES];
    int64_t t = -1;
    for (uint32_t first = 0;; first += GAP_LANES) {
        draw_gaps(key, first, inv_log_q, cap, gaps);
        for (uint32_t j = 0; j < GAP_LANES; ++j) {
            t += 1 + gaps[j];
            if (t >= (int64_t)n)
                return;
            if ((uint32_t)t != pre)
                target_g[t] += w;
        }
    }
}
