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

static inline __attribute__((always_inline)) float
vm_expf(float x)
{
    x = x < -87.0f ? -87.0f : x;
    x = x > 88.0f ? 88.0f : x;
    const float shifter = 12582912.0f; /* 1.5 * 2^23 */
    float t = x * 1.44269504088896341f + shifter;
    int32_t n = vm_float_to_bits(t) - vm_float_to_bits(shifter);
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
