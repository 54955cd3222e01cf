/* bank_poisson.c — the Poisson background. Each neuron waits an
 * exponential interval (mean 1/rate) for its next event, drawn from the
 * seeded hash of (seed, its stream, its event count): the same seed gives
 * the same events whatever the blocks. An event adds its weight at the end
 * of its step, as a spike of the network does. */
#include "bank_poisson.h"

#include "rng.h"

#include <math.h>

#define STREAM_POISSON (UINT64_C(0x506f6973) << 32)

static float
interval_ms(uint64_t seed, uint32_t i, uint32_t k, float rate_hz)
{
    float u = rng_uniform_open(rng_hash(seed, STREAM_POISSON | i, k));
    return -logf(u) * 1000.0f / rate_hz;
}

int
bank_poisson_step(bank *b, const bank_config *c, float *const g[3])
{
    const uint32_t n = b->n;
    const float rate = c->poisson_rate_hz, dt = c->mp.dt_ms, w = c->poisson_weight;
    const uint64_t seed = c->np.seed;
    if (!b->poisson_armed) {
        /* started now: every neuron draws its first wait */
        for (uint32_t i = 0; i < b->capacity; ++i) {
            b->poisson_count[i] = 0;
            b->poisson_wait[i] = interval_ms(seed, i, b->poisson_count[i]++, rate);
        }
        b->poisson_armed = 1;
    }
    int added = 0;
    for (uint32_t i = 0; i < n; ++i) {
        float left = b->poisson_wait[i] - dt;
        while (left <= 0.0f) {
            g[b->branch[i]][i] += w;
            added = 1;
            left += interval_ms(seed, i, b->poisson_count[i]++, rate);
        }
        b->poisson_wait[i] = left;
    }
    return added && w > 0.0f;
}
