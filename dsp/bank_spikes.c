/* bank_spikes.c — the spike scan after a model step: which neurons of a
 * chunk spiked, in index order, vectorised per instruction set. */
#include "bank_spikes.h"

#if SIMD_X86
#include <immintrin.h>
#endif

/* Spikes among spike_frac[0, n): append (base + i, frac) to the bank's list,
 * in index order. A vector compare gives a bit mask per 16 (or 8, 4)
 * neurons; almost all masks are empty. */
static uint32_t
push_mask(bank *b, const float *frac, uint32_t base, uint32_t i, uint32_t mask, uint32_t count)
{
    while (mask) {
        uint32_t j = (uint32_t)__builtin_ctz(mask);
        mask &= mask - 1u;
        b->spiked[count] = base + i + j;
        b->spiked_frac[count++] = frac[i + j];
    }
    return count;
}

#if SIMD_X86
SIMD_TARGET_AVX512 static uint32_t
scan_avx512(bank *b, const float *frac, uint32_t base, uint32_t n, uint32_t count, uint32_t *done)
{
    const __m512 zero = _mm512_setzero_ps();
    uint32_t i = 0;
    /* 64 neurons a test while none spiked (almost always) */
    for (; i + 64 <= n; i += 64) {
        __mmask16 m0 = _mm512_cmp_ps_mask(_mm512_loadu_ps(frac + i), zero, _CMP_GE_OQ);
        __mmask16 m1 = _mm512_cmp_ps_mask(_mm512_loadu_ps(frac + i + 16), zero, _CMP_GE_OQ);
        __mmask16 m2 = _mm512_cmp_ps_mask(_mm512_loadu_ps(frac + i + 32), zero, _CMP_GE_OQ);
        __mmask16 m3 = _mm512_cmp_ps_mask(_mm512_loadu_ps(frac + i + 48), zero, _CMP_GE_OQ);
        if (!((m0 | m1) | (m2 | m3)))
            continue;
        count = push_mask(b, frac, base, i, m0, count);
        count = push_mask(b, frac, base, i + 16, m1, count);
        count = push_mask(b, frac, base, i + 32, m2, count);
        count = push_mask(b, frac, base, i + 48, m3, count);
    }
    for (; i + 16 <= n; i += 16) {
        uint32_t mask = _mm512_cmp_ps_mask(_mm512_loadu_ps(frac + i), zero, _CMP_GE_OQ);
        if (mask)
            count = push_mask(b, frac, base, i, mask, count);
    }
    *done = i;
    return count;
}

SIMD_TARGET_AVX2 static uint32_t
scan_avx2(bank *b, const float *frac, uint32_t base, uint32_t n, uint32_t count, uint32_t *done)
{
    const __m256 zero = _mm256_setzero_ps();
    uint32_t i = 0;
    /* 32 neurons a test while none spiked (almost always) */
    for (; i + 32 <= n; i += 32) {
        __m256 c0 = _mm256_cmp_ps(_mm256_loadu_ps(frac + i), zero, _CMP_GE_OQ);
        __m256 c1 = _mm256_cmp_ps(_mm256_loadu_ps(frac + i + 8), zero, _CMP_GE_OQ);
        __m256 c2 = _mm256_cmp_ps(_mm256_loadu_ps(frac + i + 16), zero, _CMP_GE_OQ);
        __m256 c3 = _mm256_cmp_ps(_mm256_loadu_ps(frac + i + 24), zero, _CMP_GE_OQ);
        if (_mm256_testz_ps(_mm256_or_ps(_mm256_or_ps(c0, c1), _mm256_or_ps(c2, c3)),
                            _mm256_castsi256_ps(_mm256_set1_epi32(-1))))
            continue;
        count = push_mask(b, frac, base, i, (uint32_t)_mm256_movemask_ps(c0), count);
        count = push_mask(b, frac, base, i + 8, (uint32_t)_mm256_movemask_ps(c1), count);
        count = push_mask(b, frac, base, i + 16, (uint32_t)_mm256_movemask_ps(c2), count);
        count = push_mask(b, frac, base, i + 24, (uint32_t)_mm256_movemask_ps(c3), count);
    }
    for (; i + 8 <= n; i += 8) {
        uint32_t mask = (uint32_t)_mm256_movemask_ps(
            _mm256_cmp_ps(_mm256_loadu_ps(frac + i), zero, _CMP_GE_OQ));
        if (mask)
            count = push_mask(b, frac, base, i, mask, count);
    }
    *done = i;
    return count;
}

static uint32_t
scan_sse2(bank *b, const float *frac, uint32_t base, uint32_t n, uint32_t count, uint32_t *done)
{
    const __m128 zero = _mm_setzero_ps();
    uint32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        uint32_t mask = (uint32_t)_mm_movemask_ps(_mm_cmpge_ps(_mm_loadu_ps(frac + i), zero));
        if (mask)
            count = push_mask(b, frac, base, i, mask, count);
    }
    *done = i;
    return count;
}
#endif

uint32_t
bank_collect_spikes(bank *b, simd_isa isa, const float *frac, uint32_t base, uint32_t n,
               uint32_t count)
{
    uint32_t i = 0;
#if SIMD_X86
    switch (isa) {
    case SIMD_AVX512:
        count = scan_avx512(b, frac, base, n, count, &i);
        break;
    case SIMD_AVX2:
        count = scan_avx2(b, frac, base, n, count, &i);
        break;
    default:
        count = scan_sse2(b, frac, base, n, count, &i);
        break;
    }
#else
    (void)isa;
#endif
    for (; i < n; ++i)
        if (frac[i] >= 0.0f) {
            b->spiked[count] = base + i;
            b->spiked_frac[count++] = frac[i];
        }
    return count;
}
