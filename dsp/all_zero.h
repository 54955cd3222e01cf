/* all_zero.h — whether a decay has ended in exact zeros. */
#ifndef HILLOCK_ALL_ZERO_H
#define HILLOCK_ALL_ZERO_H

#include <stdint.h>
#include <string.h>

/* Decays that run until flush-to-zero ends them (the noise switched off,
 * the synaptic conductances) are looked at every ZERO_CHECK steps to see
 * whether everything has reached exactly zero. */
#define ZERO_CHECK 256u

static inline int
all_zero(const float *x, uint32_t n)
{
    uint32_t acc = 0;
    for (uint32_t i = 0; i < n; ++i) {
        uint32_t bits;
        memcpy(&bits, &x[i], sizeof bits);
        acc |= bits << 1; /* -0.0 counts as zero */
    }
    return acc == 0;
}

#endif
