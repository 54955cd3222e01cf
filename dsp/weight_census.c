/* weight_census.c — the learned weights' histogram, a bounded part of the
 * table per call (weight_census.h). */
#include "weight_census.h"

#include <string.h>

void
weight_census_reset(weight_census *c)
{
    memset(c, 0, sizeof *c);
}

static void
start_pass(weight_census *c)
{
    memset(c->work, 0, sizeof c->work);
    c->work_counted = 0;
    c->next = 0;
    c->pre = 0;
}

void
weight_census_scan(weight_census *c, const synapse_table *t, const uint8_t *inhibitory,
                   uint32_t n_flags, float w_max, uint32_t budget)
{
    if (!t || !(w_max > 0.0f)) {
        weight_census_reset(c);
        return;
    }
    if (t != c->table || w_max != c->work_w_max) {
        weight_census_reset(c);
        c->table = t;
        c->work_w_max = w_max;
    }
    uint32_t stride = t->count > WEIGHT_CENSUS_SAMPLE
                          ? (t->count + WEIGHT_CENSUS_SAMPLE - 1u) / WEIGHT_CENSUS_SAMPLE
                          : 1u;
    const float per_bin = (float)WEIGHT_CENSUS_BINS / w_max;
    while (budget-- > 0) {
        if (c->next >= t->count) { /* a pass ends: publish it */
            memcpy(c->bins, c->work, sizeof c->bins);
            c->counted = c->work_counted;
            c->stride = stride;
            c->w_max = w_max;
            c->passes++;
            start_pass(c);
            if (t->count == 0)
                return;
        }
        uint32_t s = c->next;
        while (c->pre < t->n && t->row[c->pre + 1u] <= s)
            c->pre++; /* the CSR row holding s */
        if (c->pre < n_flags && !inhibitory[c->pre]) {
            float x = t->weight[s].w * per_bin;
            int k = x > 0.0f ? (int)x : 0;
            c->work[k < WEIGHT_CENSUS_BINS ? k : WEIGHT_CENSUS_BINS - 1]++;
            c->work_counted++;
        }
        c->next = s + stride;
    }
}
