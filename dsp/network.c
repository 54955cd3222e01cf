#include "network.h"

#include "rng.h"

#include <math.h>

enum { STREAM_TYPE = 1, STREAM_BRANCH = 2, STREAM_TARGETS = 3 };

void
network_assign_types(uint8_t *inhibitory, uint8_t *branch, uint32_t n, uint64_t seed,
                     float inh_fraction)
{
    for (uint32_t i = 0; i < n; ++i) {
        inhibitory[i] = rng_uniform_open(rng_hash(seed, STREAM_TYPE, i)) < inh_fraction;
        branch[i] = (uint8_t)(rng_hash(seed, STREAM_BRANCH, i) >> 63);
    }
}

void
network_deliver(const network_params *p, uint32_t pre, uint32_t n, int pre_inhibitory,
                float *g_exc_branch, float *g_inh)
{
    float w = pre_inhibitory ? p->w_inh : p->w_exc;
    if (p->p <= 0.0f || w <= 0.0f)
        return;
    float *target_g = pre_inhibitory ? g_inh : g_exc_branch;

    if (p->p >= 1.0f) {
        for (uint32_t t = 0; t < n; ++t)
            target_g[t] += (t != pre) ? w : 0.0f;
        return;
    }
    /* Geometric skipping: the gap to the next target is floor(ln u / ln(1-p)). */
    rng_stream s = {rng_hash(p->seed, STREAM_TARGETS, pre)};
    const double inv_log_q = 1.0 / log1p(-(double)p->p);
    double t = -1.0;
    for (;;) {
        t += 1.0 + floor(log(rng_uniform_open(rng_next(&s))) * inv_log_q);
        if (t >= (double)n)
            break;
        uint32_t k = (uint32_t)t;
        if (k != pre)
            target_g[k] += w;
    }
}
