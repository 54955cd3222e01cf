/* bank_tables.c — each model's lookup tables, kept prepared for the step's
 * dt and temperature. */
#include "bank_tables.h"

#include <math.h>
#include <stddef.h>

/* The model's tables, prepared for the current dt and phi.
 *
 * A rebuild costs tens of microseconds (HH: 60000 expm1), fine once per
 * parameter change but not on every frame of a glide (pitch bend glides the
 * speed, hence dt, frame by frame). So while dt * phi keeps changing, the
 * tables are rebuilt only when they have drifted more than TABLE_DRIFT from
 * it (HH: the gates relax at most 0.5 % too fast or slow for the few ms of a
 * glide; V always uses the true dt), and exactly as soon as the value holds
 * for two steps in a row. The rule depends only on the sequence of steps, so
 * output stays independent of block sizes. */
#define TABLE_DRIFT 0.005f

const float *
bank_model_tables(bank *b, const bank_config *c)
{
    const model_desc *m = c->model;
    if (!m->table_floats)
        return NULL;
    int k = model_index(m);
    const float dt = c->mp.dt_ms, phi = c->mp.phi;
    if (b->table_dt[k] != dt || b->table_phi[k] != phi) {
        const int steady = dt == b->seen_dt[k] && phi == b->seen_phi[k];
        const float want = dt * phi, have = b->table_dt[k] * b->table_phi[k];
        if (steady || b->table_dt[k] <= 0.0f || !(fabsf(want - have) <= TABLE_DRIFT * have)) {
            m->table_prepare(b->tables[k], &c->mp);
            b->table_builds++;
            b->table_dt[k] = dt;
            b->table_phi[k] = phi;
        }
    }
    b->seen_dt[k] = dt;
    b->seen_phi[k] = phi;
    return b->tables[k];
}
