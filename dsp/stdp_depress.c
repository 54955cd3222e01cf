/* stdp_depress.c — see stdp_depress.h. One synapse a lane: the trace
 * gathered by target, the synapse's weight and eligibility (side by side)
 * read, both written back, unchanged where the trace is 0 (the value read
 * is stored, so an eligibility of -0 stays -0). The same operations in the
 * same order as one synapse at a time: the same bits on every path. The
 * row's fields come to the loop as arguments: GCC 12 does not vectorise
 * the gather from a base pointer read out of a structure. */
#include "stdp_depress.h"

SIMD_INLINE float
bounded(float w, float w_max)
{
    return w < 0.0f ? 0.0f : w > w_max ? w_max : w;
}

SIMD_INLINE void
depress_loop(const uint32_t *restrict post, synapse_weight *restrict weight, uint32_t count,
             const float *restrict o1_frame, float to_now, float amp, float w_max,
             float unscale, int multiplicative)
{
    for (uint32_t s = 0; s < count; ++s) {
        const float o1 = o1_frame[post[s]] * to_now;
        const float w = weight[s].w, e = weight[s].elig;
        const float nw = bounded(w - (multiplicative ? w : w_max) * amp * o1, w_max);
        const int hit = o1 != 0.0f;
        weight[s].elig = hit ? e + (nw - w) * unscale : e;
        weight[s].w = hit ? nw : w;
    }
}

SIMD_INLINE void
depress_kernel(const uint32_t *post, synapse_weight *weight, uint32_t count,
               const float *o1_frame, float to_now, float amp, float w_max, float unscale,
               int multiplicative)
{
    if (multiplicative)
        depress_loop(post, weight, count, o1_frame, to_now, amp, w_max, unscale, 1);
    else
        depress_loop(post, weight, count, o1_frame, to_now, amp, w_max, unscale, 0);
}

SIMD_MULTIVERSION(depress_on, depress_kernel,
                  (const uint32_t *post, synapse_weight *weight, uint32_t count,
                   const float *o1_frame, float to_now, float amp, float w_max, float unscale,
                   int multiplicative),
                  (post, weight, count, o1_frame, to_now, amp, w_max, unscale, multiplicative))

void
stdp_depress_row(simd_isa isa, const stdp_row *r)
{
    depress_on(isa, r->post, r->weight, r->count, r->o1_frame, r->to_now, r->amp, r->w_max,
               r->unscale, r->multiplicative);
}
