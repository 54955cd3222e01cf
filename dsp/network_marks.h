/* network_marks.h — a spike delivered to the targets that the on-the-fly
 * network's geometric gaps mark (network.c), per instruction set. */
#ifndef HILLOCK_NETWORK_MARKS_H
#define HILLOCK_NETWORK_MARKS_H

#include "network_rows.h"
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

/* The marks of the stream keyed `key` (gap k drawn by network_gap(key, k,
 * inv_log_q, n): the first mark at gap 0, each next one 1 + its gap
 * further): to each mark below n other than pre, w is added in g (bounded
 * by g_bound when it is > 0, network_bounded_sum; g_bound 0: plain sums).
 * Every path adds the same sums to the same targets: the same bits. With
 * rows (NULL: none), pre's row is read from there if kept (the caller has
 * keyed the rows with the stream's seed, p and n: network_rows_key), and
 * kept there once drawn if there is room. */
void network_deliver_marks(simd_isa isa, float *g, uint32_t key, float inv_log_q, uint32_t n,
                           uint32_t pre, float w, float g_bound, network_rows *rows);

#endif
