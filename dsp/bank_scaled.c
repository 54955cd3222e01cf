/* bank_scaled.c — neurons on their own time scale ts take ts * dt of model
 * time per bank step: floor(ts) steps of the bank's dt (its tables, its
 * accuracy and stability) and one of the rest, shorter (step_at for a model
 * whose tables hold dt). Stepped one at a time, a neuron pays a whole
 * vector's step for each of its steps; gathered, the scaled neurons of a
 * range share them: sorted by their number of whole steps, step j runs the
 * first of them that still have one. */
#include "bank_scaled.h"

#include <string.h>

/* Scratch layout per bank neuron slot: the vars, the six inputs, the step's
 * spike fraction and the first spike's fraction. */
enum { S_IN = MODEL_MAX_VARS, S_FRAC = S_IN + 6, S_FIRST, S_ROWS };
_Static_assert(S_ROWS == BANK_SCALED_ROWS, "the bank's scratch holds these rows");

static void
step_rest(const model_desc *m, float *const var[], const model_input *in,
          const model_params *mp, float dt, float *frac)
{
    if (m->step_at) {
        m->step_at(var, in, mp, dt, frac, 1);
        return;
    }
    model_params at = *mp;
    at.dt_ms = dt;
    m->step(var, in, &at, frac, 1);
}

static void
step_gathered(bank *b, const model_desc *m, float *const var[], const model_input *in,
              const model_params *mp, uint32_t base, const uint32_t *who, uint32_t count)
{
    const uint32_t cap = b->capacity;
    float *row[S_ROWS];
    for (int r = 0; r < S_ROWS; ++r)
        row[r] = b->scaled_scratch + (size_t)r * cap + base;
    const float *src_in[6] = {in->soma_i, in->soma_g, in->soma_ge,
                              in->dend_i, in->dend_g, in->dend_ge};
    const float *ts = b->time_scale + base;
    for (uint32_t q = 0; q < count; ++q) {
        const uint32_t i = who[q];
        for (uint32_t k = 0; k < m->n_vars; ++k)
            row[k][q] = var[k][i];
        for (int k = 0; k < 6; ++k)
            row[S_IN + k][q] = src_in[k][i];
        row[S_FIRST][q] = -1.0f;
    }
    /* gathered from uniform arrays, the rows are uniform */
    model_input gin = {row[S_IN],     row[S_IN + 1], row[S_IN + 2],        row[S_IN + 3],
                       row[S_IN + 4], row[S_IN + 5], in->soma_g_uniform, in->dend_uniform};
    /* whole steps: who is sorted by them, most first */
    for (uint32_t j = 0;; ++j) {
        uint32_t c = 0;
        while (c < count && (uint32_t)ts[who[c]] > j)
            ++c;
        if (!c)
            break;
        model_step(m, row, &gin, mp, row[S_FRAC], c);
        for (uint32_t q = 0; q < c; ++q)
            if (row[S_FRAC][q] >= 0.0f && row[S_FIRST][q] < 0.0f)
                row[S_FIRST][q] = ((float)j + row[S_FRAC][q]) / ts[who[q]];
    }
    /* each one's rest */
    for (uint32_t q = 0; q < count; ++q) {
        const float s = ts[who[q]];
        const uint32_t whole = (uint32_t)s;
        const float rest = s - (float)whole;
        if (!(rest > 0.0f))
            continue;
        float *v1[MODEL_MAX_VARS];
        for (uint32_t k = 0; k < m->n_vars; ++k)
            v1[k] = row[k] + q;
        const model_input in1 = model_input_from(&gin, q);
        float f;
        step_rest(m, v1, &in1, mp, mp->dt_ms * rest, &f);
        if (f >= 0.0f && row[S_FIRST][q] < 0.0f)
            row[S_FIRST][q] = ((float)whole + f * rest) / s;
    }
    float *frac = b->spike_frac + base;
    for (uint32_t q = 0; q < count; ++q) {
        const uint32_t i = who[q];
        for (uint32_t k = 0; k < m->n_vars; ++k)
            var[k][i] = row[k][q];
        frac[i] = row[S_FIRST][q];
    }
}

void
bank_step_scaled(bank *b, const model_desc *m, float *const var[], const model_input *in,
                 const model_params *mp, uint32_t base, uint32_t n)
{
    float *frac = b->spike_frac + base;
    const float *ts = b->time_scale + base;
    uint32_t *who = b->scaled_index + base;
    uint32_t count = 0;
    uint32_t i = 0;
    while (i < n) {
        if (ts[i] != 1.0f) {
            who[count++] = i;
            ++i;
            continue;
        }
        uint32_t j = i;
        while (j < n && ts[j] == 1.0f)
            ++j;
        float *v[MODEL_MAX_VARS];
        for (uint32_t k = 0; k < m->n_vars; ++k)
            v[k] = var[k] + i;
        const model_input at = model_input_from(in, i);
        model_step(m, v, &at, mp, frac + i, j - i);
        i = j;
    }
    if (!count)
        return;
    /* most whole steps first: a stable insertion sort (few distinct counts) */
    for (uint32_t q = 1; q < count; ++q) {
        uint32_t x = who[q], wx = (uint32_t)ts[x], p = q;
        while (p > 0 && (uint32_t)ts[who[p - 1]] < wx) {
            who[p] = who[p - 1];
            --p;
        }
        who[p] = x;
    }
    step_gathered(b, m, var, in, mp, base, who, count);
}
