/* network_marks.h — a spike's weight added to the targets of one batch of
 * the on-the-fly network's geometric gaps (network.c), per instruction
 * set. */
#ifndef HILLOCK_NETWORK_MARKS_H
#define HILLOCK_NETWORK_MARKS_H

#include "simd.h"

#include <stdint.h>

#define NETWORK_GAP_LANES 64u

/* g + w, bounded by g_bound > 0 as the bank's saturation bounds it (NaN
 * to the bound too). For w >= 0 and g <= g_bound, bounding each sum gives
 * the bits of bounding the last: rounding is monotonic, so once a sum
 * reaches the bound every later one does. */
static inline float
network_bounded_sum(float g, float w, float g_bound)
{
    float s = g + w;
    return s < g_bound ? s : g_bound;
}

/* The marks t + 1 + gaps[0], then 1 + gaps[1] further, ... (the batch's
 * NETWORK_GAP_LANES gaps): to each mark below n other than pre, w is added
 * in g (bounded by g_bound when it is > 0, network_bounded_sum; g_bound 0:
 * plain sums). Returns the position after the batch, or one at n or
 * beyond once a mark reaches n (the walk is over). Every path adds the
 * same sums to the same targets: the same bits. */
int64_t network_add_marks(simd_isa isa, float *g, const int32_t *gaps, int64_t t, uint32_t n,
                          uint32_t pre, float w, float g_bound);

#endif
