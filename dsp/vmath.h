/* vmath.h — exp and expm1 in plain branch-free float C that GCC vectorises
 * on every instruction-set path (no libm call in a hot loop).
 *
 * Cephes-style: n = round(x / ln2) by the 1.5*2^23 trick, r = x - n ln2 in
 * two parts (the high part has few bits, so n*C1 is exact without FMA), a
 * degree-6 polynomial for e^r on |r| <= ln2/2, and 2^n built in the exponent
 * field. Within 2 ulp of expf over [-87, 88]; inputs are clamped to that
 * range (NaN passes through as NaN).
 */
#ifndef HILLOCK_VMATH_H
#define HILLOCK_VMATH_H

#include <stdint.h>
#include <string.h>

static inline __attribute__((always_inline)) float
vm_bits_to_float(int32_t i)
{
    float f;
    memcpy(&f, &i, sizeof f);
    return f;
}

static inline __attribute__((always_inline)) int32_t
vm_float_to_bits(float f)
{
    int32_t i;
    memcpy(&i, &f, sizeof i);
    return i;
}

/* a's bit pattern minus b's, as the 1.5*2^23 rounding trick reads an integer
 * out of a float: modulo 2^32, so a NaN or huge input gives a wrong but
 * defined value (every caller clamps it), never a signed overflow. */
static inline __attribute__((always_inline)) int32_t
vm_bits_diff(float a, float b)
{
    return (int32_t)((uint32_t)vm_float_to_bits(a) - (uint32_t)vm_float_to_bits(b));
}

static inline __attribute__((always_inline)) float
vm_expf(float x)
{
    x = x < -87.0f ? -87.0f : x;
    x = x > 88.0f ? 88.0f : x;
    const float shifter = 12582912.0f; /* 1.5 * 2^23 */
    float t = x * 1.44269504088896341f + shifter;
    int32_t n = vm_bits_diff(t, shifter);
    float nf = t - shifter;
    float r = x - nf * 0.693359375f;
    r = r - nf * -2.12194440e-4f;
    float z = r * r;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * z + r + 1.0f;
    /* unsigned shift: for a NaN x, n is garbage and (n + 127) * 2^23 would
     * overflow a signed int (undefined); the result is NaN either way */
    return p * vm_bits_to_float((int32_t)((uint32_t)(n + 127) << 23));
}

/* expm1(x) / x, accurate near 0 (Taylor to x^8 for |x| < 0.35, where the
 * truncation is below 3e-10 relative), exact value 1 at 0. */
static inline __attribute__((always_inline)) float
vm_expm1_over_x(float x)
{
    float q = 1.0f / 362880.0f;
    q = q * x + 1.0f / 40320.0f;
    q = q * x + 1.0f / 5040.0f;
    q = q * x + 1.0f / 720.0f;
    q = q * x + 1.0f / 120.0f;
    q = q * x + 1.0f / 24.0f;
    q = q * x + 1.0f / 6.0f;
    q = q * x + 0.5f;
    q = q * x + 1.0f;
    float far = (vm_expf(x) - 1.0f) / x;
    return (x < 0.35f && x > -0.35f) ? q : far;
}

static inline __attribute__((always_inline)) float
vm_expm1f(float x)
{
    return x * vm_expm1_over_x(x);
}

/* Natural log for x in the normal range (0, inf): x = m 2^e with m in
 * [sqrt(1/2), sqrt(2)), log x = e ln2 + log m, log(1 + f) by Cephes' logf
 * polynomial. Within 2 ulp. Only for positive normal x (the noise
 * generator's uniforms in (0, 1)). */
static inline __attribute__((always_inline)) float
vm_logf(float x)
{
    int32_t bits = vm_float_to_bits(x);
    int32_t e = ((bits >> 23) & 0xff) - 126;            /* x = m 2^e, m in [0.5, 1) */
    float m = vm_bits_to_float((bits & 0x007fffff) | 0x3f000000);
    int small = m < 0.70710678f;
    e = small ? e - 1 : e;
    m = small ? m + m : m;
    float f = m - 1.0f;
    float z = f * f;
    float y = 7.0376836292e-2f;
    y = y * f - 1.1514610310e-1f;
    y = y * f + 1.1676998740e-1f;
    y = y * f - 1.2420140846e-1f;
    y = y * f + 1.4249322787e-1f;
    y = y * f - 1.6668057665e-1f;
    y = y * f + 2.0000714765e-1f;
    y = y * f - 2.4999993993e-1f;
    y = y * f + 3.3333331174e-1f;
    y = y * f * z;
    float ef = (float)e;
    y = y + ef * -2.12194440e-4f;
    y = y - 0.5f * z;
    return f + y + ef * 0.693359375f;
}

/* cos(2 pi t) and sin(2 pi t) for t in [0, 1), from one reduction: less
 * its nearest quarter turn q/4 (exactly), t leaves x = 2 pi (t - q/4) in
 * [-pi/4, pi/4], where the Taylor series of sin to x^9 and of cos to x^8
 * are within 2e-9 and 3e-8; the quadrant then swaps and signs the two. */
static inline __attribute__((always_inline)) void
vm_sincos_turns(float t, float *sin_out, float *cos_out)
{
    int32_t q = (int32_t)(4.0f * t + 0.5f); /* t >= 0: truncation is floor */
    float x = 6.28318530718f * (t - 0.25f * (float)q);
    float z = x * x;
    float s = 1.0f / 362880.0f;
    s = s * z - 1.0f / 5040.0f;
    s = s * z + 1.0f / 120.0f;
    s = s * z - 1.0f / 6.0f;
    s = x + x * z * s;
    float c = 1.0f / 40320.0f;
    c = c * z - 1.0f / 720.0f;
    c = c * z + 1.0f / 24.0f;
    c = c * z - 0.5f;
    c = c * z + 1.0f;
    /* quadrant q & 3: cos, sin = (c, s), (-s, c), (-c, -s), (s, -c) */
    int swap = q & 1, cos_neg = (q + 1) & 2, sin_neg = q & 2;
    float co = swap ? s : c, si = swap ? c : s;
    *cos_out = cos_neg ? -co : co;
    *sin_out = sin_neg ? -si : si;
}

/* x / (exp(x/y) - 1) with its limit y (1 - x/2y) near x = 0: model_vtrap
 * (NEURON's vtrap) in vectorisable form. */
static inline __attribute__((always_inline)) float
vm_vtrap(float x, float y)
{
    float r = x / y;
    float near = y * (1.0f - 0.5f * r);
    float far = x / vm_expm1f(r);
    return ((r < 1e-4f) & (r > -1e-4f)) ? near : far;
}

#endif
