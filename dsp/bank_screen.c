/* bank_screen.c — finding neurons whose state broke (not
 * finite, or beyond a volt). */
#include "bank_screen.h"

#include "screen_lanes.h"

#include <math.h>

/* LANES independent accumulators: a sum over 16 lanes would wait on the
 * add latency every 16 neurons. */
#define SUSPECT_LOOP(LANES)                                                              \
    SIMD_INLINE int v_suspect_loop##LANES(const float *v, float to_mV_a, float to_mV_b,   \
                                          uint32_t n)                                    \
    {                                                                                     \
        float nan_acc[LANES] = {0}, v_max[LANES] = {0};                                   \
        for (uint32_t i = 0; i < n; i += LANES) {                                         \
            const float *restrict vp = v + i;                                             \
            for (uint32_t j = 0; j < LANES; ++j)                                          \
                screen_lane(fabsf(to_mV_a * vp[j] + to_mV_b), &nan_acc[j], &v_max[j]);    \
        }                                                                                 \
        return screen_verdict(nan_acc, v_max, LANES);                                     \
    }

SUSPECT_LOOP(64)
SUSPECT_LOOP(16)

/* n16: a multiple of 16 */
SIMD_INLINE void
suspect_kernel(const bank *b, const model_desc *m, uint32_t base, uint32_t n16, int *out)
{
    const uint32_t n64 = n16 & ~63u, rest = n16 - n64;
    const float *v = b->var[m->soma_var] + base;
    int bad = 0;
    if (n64)
        bad |= v_suspect_loop64(v, m->to_mV_a, m->to_mV_b, n64);
    if (rest)
        bad |= v_suspect_loop16(v + n64, m->to_mV_a, m->to_mV_b, rest);
    *out = bad;
}

SIMD_MULTIVERSION(chunk_suspect, suspect_kernel,
                  (const bank *b, const model_desc *m, uint32_t base, uint32_t n16, int *out),
                  (b, m, base, n16, out))

/* inputs_zero: the noise and every synaptic conductance are known to be
 * exactly zero (bank.noise_live and bank.g_live 0), so they cannot make the
 * sum non-finite and are not read: the same verdict, without the loads that
 * miss the cache in a bank which does not use those arrays. */
static int
neuron_broken(const bank *b, const model_desc *m, uint32_t i, int inputs_zero)
{
    float sum = inputs_zero ? 0.0f : b->noise[i] + b->g_exc[0][i] + b->g_exc[1][i] + b->g_inh[i];
    for (uint32_t k = 0; k < m->n_vars; ++k)
        sum += b->var[k][i] * 0.0f;
    float v_mV = m->to_mV_a * b->var[m->soma_var][i] + m->to_mV_b;
    return !isfinite(sum) || !(fabsf(v_mV) < REPAIR_LIMIT_MV);
}

int
bank_neuron_broken(const bank *b, const model_desc *m, uint32_t i)
{
    return neuron_broken(b, m, i, 0);
}

/* A neuron this step broke emits no spike: bank_repair_nonfinite resets it
 * at the end of the frame, and until then it is silent. */
uint32_t
bank_drop_broken_spikes(bank *b, const model_desc *m, uint32_t first, uint32_t count)
{
    const int inputs_zero = !b->noise_live && !b->g_live;
    uint32_t kept = first;
    for (uint32_t k = first; k < count; ++k) {
        uint32_t i = b->spiked[k];
        if (neuron_broken(b, m, i, inputs_zero))
            continue;
        b->spiked[kept] = i;
        b->spiked_frac[kept++] = b->spiked_frac[k];
    }
    return kept;
}

/* Screened 16 at a time, then one by one for the last neurons of a range
 * that is not a multiple of 16. */
int
bank_screen_range(const bank *b, const model_desc *m, simd_isa isa, uint32_t begin,
                  uint32_t end)
{
    const uint32_t n16 = (end - begin) & ~15u;
    int bad = 0;
    if (n16)
        chunk_suspect(isa, b, m, begin, n16, &bad);
    for (uint32_t i = begin + n16; i < end && !bad; ++i)
        bad = bank_neuron_broken(b, m, i);
    return bad;
}

int
bank_screen(const bank *b, const model_desc *m, simd_isa isa)
{
    return bank_screen_range(b, m, isa, 0, b->n);
}
