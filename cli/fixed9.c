/* fixed9.c — "%.9f" without printf (fixed9.h). */
#include "fixed9.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

size_t
decimal_u32(char *buf, unsigned n)
{
    char digits[10];
    size_t k = 0;
    do {
        digits[k++] = (char)('0' + n % 10u);
        n /= 10u;
    } while (n);
    for (size_t i = 0; i < k; ++i)
        buf[i] = digits[k - 1 - i];
    return k;
}

size_t
fixed9(char *buf, double x)
{
    /* from 1 ns to 46 days x * 1e9 lies in [1, 2^52): its last place is at
     * most half a unit, which the rounding below needs */
    if (!(x >= 1e-9 && x < 4.0e6)) {
        int len = snprintf(buf, FIXED9_MAX, "%.9f", x);
        return len > 0 ? (size_t)len : 0;
    }
    /* the exact x * 1e9 is p + e (1e9 is exact in binary, and a product's
     * rounding error is itself a double) */
    const double p = x * 1e9;
    const double e = fma(x, 1e9, -p);
    double whole = floor(p);
    /* (p - whole) - 0.5 is exact; when it is not zero it is at least a unit
     * of p's last place, which outweighs e (at most half of one) */
    const double d = (p - whole) - 0.5;
    int up = d > 0.0 || (d == 0.0 && (e > 0.0 || (e == 0.0 && fmod(whole, 2.0) != 0.0)));
    uint64_t ns = (uint64_t)whole + (uint64_t)up;
    size_t len = decimal_u32(buf, (unsigned)(ns / 1000000000u));
    buf[len++] = '.';
    unsigned frac = (unsigned)(ns % 1000000000u);
    for (int i = 8; i >= 0; --i) {
        buf[len + (size_t)i] = (char)('0' + frac % 10u);
        frac /= 10u;
    }
    len += 9;
    buf[len] = '\0';
    return len;
}
