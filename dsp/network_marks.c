/* network_marks.c — one spike of the on-the-fly network delivered
 * (network_marks.h): its gaps drawn a batch of NETWORK_GAP_LANES at a time
 * (a vectorised loop), and w added to each target. On AVX-512 a batch's
 * positions come first, from a prefix sum of its gaps in registers; the
 * additions are then scalar loads and stores at independent addresses, and
 * the next batch's draws (vector arithmetic) are interleaved with them
 * (loads and stores), 16 at a time, so that the two overlap. A batch is
 * drawn only when the walk goes on past the last one, as before. Drawing a
 * whole batch and then adding it by gather and scatter took about 1.9 ns a
 * target (4096 neurons, p = 0.1, Zen 4), this about 1.4 ns
 * (docs/performance-log.md). */
#include "network_marks.h"

#include "network_gaps.h"

#if SIMD_X86
#include <immintrin.h>
#endif

#define LANES NETWORK_GAP_LANES
#define SUB 16u /* draws interleaved with each SUB additions */

/* w added to the marks pos[from, to), pre skipped. */
SIMD_INLINE void
add_marks(float *restrict g, const int32_t *restrict pos, uint32_t from, uint32_t to,
          uint32_t pre, float w, float g_bound)
{
    for (uint32_t j = from; j < to; ++j) {
        const uint32_t q = (uint32_t)pos[j];
        if (q == pre)
            continue;
        g[q] = g_bound > 0.0f ? network_bounded_sum(g[q], w, g_bound) : g[q] + w;
    }
}

/* The portable paths: a batch drawn, then walked one gap after the other
 * (on AVX2, precomputed positions with the next batch's draws interleaved,
 * as on AVX-512, measured 5 to 10 % slower than this). */
SIMD_INLINE uint32_t
deliver_kernel(float *restrict g, uint32_t key, float inv_log_q, uint32_t n, uint32_t pre,
               float w, float g_bound, uint16_t *restrict room)
{
    int32_t gaps[LANES];
    const float cap = (float)n;
    int64_t t = -1;
    uint32_t marks = 0;
    for (uint32_t first = 0;; first += LANES) {
        network_draw_gaps(gaps, LANES, key, first, inv_log_q, cap);
        for (uint32_t j = 0; j < LANES; ++j) {
            t += 1 + gaps[j];
            if (t >= (int64_t)n)
                return marks;
            const uint32_t q = (uint32_t)t;
            if (room)
                room[marks] = (uint16_t)q;
            ++marks;
            if (q != pre)
                g[q] = g_bound > 0.0f ? network_bounded_sum(g[q], w, g_bound) : g[q] + w;
        }
    }
}

SIMD_INLINE void
deliver_portable_kernel(float *g, uint32_t key, float inv_log_q, uint32_t n, uint32_t pre,
                        float w, float g_bound, uint16_t *room, uint32_t *marks)
{
    *marks = deliver_kernel(g, key, inv_log_q, n, pre, w, g_bound, room);
}

SIMD_MULTIVERSION(deliver_portable, deliver_portable_kernel,
                  (float *g, uint32_t key, float inv_log_q, uint32_t n, uint32_t pre, float w,
                   float g_bound, uint16_t *room, uint32_t *marks),
                  (g, key, inv_log_q, n, pre, w, g_bound, room, marks))

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

/* positions_walk by prefix sums: positions stay below 2^31, as t < n <=
 * 2^24 and each gap is at most n. The positions are increasing, so those
 * below n are the first k. */
SIMD_TARGET_AVX512 static inline uint32_t
positions_avx512(const int32_t *restrict gaps, int32_t *restrict pos, int64_t *t, uint32_t n)
{
    const __m512i one = _mm512_set1_epi32(1), last = _mm512_set1_epi32(15);
    const __m512i end = _mm512_set1_epi32((int32_t)n);
    __m512i at = _mm512_set1_epi32((int32_t)*t);
    uint32_t k = 0;
    for (uint32_t v = 0; v < LANES; v += 16) {
        __m512i p = _mm512_add_epi32(at, prefix_sum16(_mm512_add_epi32(
                                             _mm512_loadu_si512(gaps + v), one)));
        _mm512_storeu_si512(pos + v, p);
        k += (uint32_t)__builtin_popcount(_mm512_cmplt_epi32_mask(p, end));
        at = _mm512_permutexvar_epi32(last, p); /* the last position, in every lane */
    }
    *t = _mm_cvtsi128_si32(_mm512_castsi512_si128(at));
    return k;
}

SIMD_TARGET_AVX512 static uint32_t
deliver_avx512(float *restrict g, uint32_t key, float inv_log_q, uint32_t n, uint32_t pre,
               float w, float g_bound, uint16_t *restrict room)
{
    int32_t gaps[LANES], pos[LANES];
    const float cap = (float)n;
    int64_t t = -1;
    uint32_t marks = 0;
    network_draw_gaps(gaps, LANES, key, 0, inv_log_q, cap);
    for (uint32_t first = LANES;; first += LANES) {
        const uint32_t k = positions_avx512(gaps, pos, &t, n);
        if (room)
            for (uint32_t j = 0; j < k; ++j)
                room[marks + j] = (uint16_t)pos[j];
        marks += k;
        if (k < LANES) {
            add_marks(g, pos, 0, k, pre, w, g_bound);
            return marks;
        }
        for (uint32_t s = 0; s < LANES; s += SUB) {
            network_draw_gaps(gaps + s, SUB, key, first + s, inv_log_q, cap);
            add_marks(g, pos, s, s + SUB, pre, w, g_bound);
        }
    }
}
#endif

/* A kept row: its marks' sums, in the order of the walk that drew it. */
static void
add_row(float *restrict g, const uint16_t *restrict row, uint32_t len, uint32_t pre, float w,
        float g_bound)
{
    if (g_bound > 0.0f) {
        for (uint32_t j = 0; j < len; ++j) {
            const uint32_t q = row[j];
            if (q != pre)
                g[q] = network_bounded_sum(g[q], w, g_bound);
        }
        return;
    }
    for (uint32_t j = 0; j < len; ++j) {
        const uint32_t q = row[j];
        if (q != pre)
            g[q] += w;
    }
}

/* A kept bitmap (network_rows.h): w added to each neuron whose bit is
 * set, in increasing order, bounded as add_row bounds it. */
static void
add_bits(float *restrict g, const uint16_t *restrict bits, uint32_t words, float w,
         float g_bound)
{
    for (uint32_t k = 0; k < words; ++k)
        for (unsigned m = bits[k]; m; m &= m - 1u) {
            const uint32_t q = 16u * k + (uint32_t)__builtin_ctz(m);
            g[q] = g_bound > 0.0f ? network_bounded_sum(g[q], w, g_bound) : g[q] + w;
        }
}

#if SIMD_X86
/* add_bits sixteen neurons at a time: each word the mask of a masked
 * load, addition (and minimum: vminps gives s < g_bound ? s : g_bound, as
 * network_bounded_sum) and store, so that the other neurons of the group
 * are neither read nor written. The same sums on each target. */
SIMD_TARGET_AVX512 static void
add_bits_avx512(float *restrict g, const uint16_t *restrict bits, uint32_t words, float w,
                float g_bound)
{
    const __m512 wv = _mm512_set1_ps(w), bound = _mm512_set1_ps(g_bound);
    if (g_bound > 0.0f) {
        for (uint32_t k = 0; k < words; ++k) {
            const __mmask16 m = (__mmask16)bits[k];
            const __m512 s = _mm512_add_ps(_mm512_maskz_loadu_ps(m, g + 16u * k), wv);
            _mm512_mask_storeu_ps(g + 16u * k, m, _mm512_min_ps(s, bound));
        }
        return;
    }
    for (uint32_t k = 0; k < words; ++k) {
        const __mmask16 m = (__mmask16)bits[k];
        _mm512_mask_storeu_ps(g + 16u * k, m,
                              _mm512_add_ps(_mm512_maskz_loadu_ps(m, g + 16u * k), wv));
    }
}
#endif

void
network_deliver_marks(simd_isa isa, float *g, uint32_t key, float inv_log_q, uint32_t n,
                      uint32_t pre, float w, float g_bound, network_rows *rows)
{
    uint16_t *room = NULL;
    if (rows) {
        uint32_t len;
        const uint16_t *row = network_rows_of(rows, pre, &len);
        if (row && network_rows_bitmap(rows, pre)) {
#if SIMD_X86
            if (isa == SIMD_AVX512) {
                add_bits_avx512(g, row, len, w, g_bound);
                return;
            }
#endif
            add_bits(g, row, len, w, g_bound);
            return;
        }
        if (row) {
            add_row(g, row, len, pre, w, g_bound);
            return;
        }
        room = network_rows_room(rows, n);
    }
    uint32_t marks;
#if SIMD_X86
    if (isa == SIMD_AVX512)
        marks = deliver_avx512(g, key, inv_log_q, n, pre, w, g_bound, room);
    else
#endif
        deliver_portable(isa, g, key, inv_log_q, n, pre, w, g_bound, room, &marks);
    if (room)
        network_rows_keep(rows, pre, marks, n);
}
