/* network_marks.c — a batch of the network's marks delivered
 * (network_marks.h). The portable path walks the gaps one by one (reading
 * the targets first and writing them after, in two loops, measured no
 * faster on the AVX2 path). The AVX-512 path turns the gaps into
 * positions 16 at a time (a prefix sum in registers) and adds to the
 * targets by gather and scatter. A batch's marks are distinct: no two
 * lanes write one target, and all of them are read before any is
 * written, so that the reads' cache misses overlap (a fifth fewer
 * samples in the delivery than one gather and scatter after the other). */
#include "network_marks.h"

#if SIMD_X86
#include <immintrin.h>
#endif

static int64_t
add_marks_walk(float *restrict g, const int32_t *gaps, int64_t t, uint32_t n, uint32_t pre,
               float w, float g_bound)
{
    const int64_t end = n;
    for (uint32_t j = 0; j < NETWORK_GAP_LANES; ++j) {
        t += 1 + gaps[j];
        if (t >= end)
            break;
        if ((uint32_t)t != pre)
            g[t] = g_bound > 0.0f ? network_bounded_sum(g[t], w, g_bound) : g[t] + w;
    }
    return t;
}

#if SIMD_X86
/* x[i] + x[i-1] + ... + x[0] in lane i. */
SIMD_TARGET_AVX512 static inline __m512i
prefix_sum16(__m512i x)
{
    const __m512i zero = _mm512_setzero_si512();
    x = _mm512_add_epi32(x, _mm512_alignr_epi32(x, zero, 15)); /* lanes moved up by 1 */
    x = _mm512_add_epi32(x, _mm512_alignr_epi32(x, zero, 14)); /* by 2 */
    x = _mm512_add_epi32(x, _mm512_alignr_epi32(x, zero, 12)); /* by 4 */
    return _mm512_add_epi32(x, _mm512_alignr_epi32(x, zero, 8)); /* by 8 */
}

SIMD_TARGET_AVX512 static int64_t
add_marks_avx512(float *g, const int32_t *gaps, int64_t t, uint32_t n, uint32_t pre, float w,
                 float g_bound)
{
    enum { V = NETWORK_GAP_LANES / 16 };
    /* positions stay below 2^31: t < n <= 2^24 and each gap is at most n */
    const __m512i one = _mm512_set1_epi32(1), last = _mm512_set1_epi32(15);
    const __m512i end = _mm512_set1_epi32((int32_t)n), self = _mm512_set1_epi32((int32_t)pre);
    const __m512 wv = _mm512_set1_ps(w), bound = _mm512_set1_ps(g_bound);
    __m512i at = _mm512_set1_epi32((int32_t)t), pos[V];
    __mmask16 in[V];
    for (int v = 0; v < V; ++v) {
        __m512i steps = _mm512_add_epi32(_mm512_loadu_si512(gaps + 16 * v), one);
        pos[v] = _mm512_add_epi32(at, prefix_sum16(steps));
        in[v] = _mm512_cmplt_epi32_mask(pos[v], end) & _mm512_cmpneq_epi32_mask(pos[v], self);
        at = _mm512_permutexvar_epi32(last, pos[v]); /* the last position, in every lane */
    }
    /* every read before any write: the marks are distinct, and the reads'
     * cache misses overlap */
    __m512 s[V];
    for (int v = 0; v < V; ++v)
        s[v] = _mm512_add_ps(_mm512_mask_i32gather_ps(wv, in[v], pos[v], g, 4), wv);
    for (int v = 0; v < V; ++v) {
        if (g_bound > 0.0f)
            s[v] = _mm512_min_ps(s[v], bound); /* s < bound ? s : bound */
        _mm512_mask_i32scatter_ps(g, in[v], pos[v], s[v], 4);
    }
    return _mm_cvtsi128_si32(_mm512_castsi512_si128(at));
}
#endif

int64_t
network_add_marks(simd_isa isa, float *g, const int32_t *gaps, int64_t t, uint32_t n,
                  uint32_t pre, float w, float g_bound)
{
#if SIMD_X86
    if (isa == SIMD_AVX512)
        return add_marks_avx512(g, gaps, t, n, pre, w, g_bound);
#endif
    (void)isa;
    return add_marks_walk(g, gaps, t, n, pre, w, g_bound);
}
