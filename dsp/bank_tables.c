/* bank_tables.c — each model's lookup tables, kept prepared for the step's
 * dt and temperature. */
#include "bank_tables.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* table_init's result for each model with tables (NULL: not made, or no
 * memory for it: each bank then computes its own), made by the first
 * real-time bank of the process that needs that model's (an offline render of one model
 * computes no other's: HH's took 2 million instructions and 76 page
 * faults of a render's start): banks created on several threads at once
 * (a host instantiating plugins) wait for the one making it. Freed when the
 * program or the plugin's module is unloaded (a host that loads and unloads
 * the plugin would otherwise lose it each time); no bank is being created
 * then. */
static float *initial_table[MODEL_COUNT];
static atomic_int initial_made[MODEL_COUNT];
static pthread_mutex_t initial_lock = PTHREAD_MUTEX_INITIALIZER;

static const float *
initial_of(int k)
{
    if (!atomic_load_explicit(&initial_made[k], memory_order_acquire)) {
        pthread_mutex_lock(&initial_lock);
        if (!atomic_load_explicit(&initial_made[k], memory_order_relaxed)) {
            const model_desc *m = model_get(k);
            initial_table[k] = calloc(m->table_floats, sizeof(float)); /* as a bank's zeroed memory */
            if (initial_table[k])
                m->table_init(initial_table[k]);
            atomic_store_explicit(&initial_made[k], 1, memory_order_release);
        }
        pthread_mutex_unlock(&initial_lock);
    }
    return initial_table[k];
}

__attribute__((destructor)) static void
free_initial_tables(void)
{
    for (int k = 0; k < MODEL_COUNT; ++k) {
        free(initial_table[k]);
        initial_table[k] = NULL;
        atomic_store_explicit(&initial_made[k], 0, memory_order_relaxed);
    }
}

/* Off the audio thread: an offline bank fills a model's tables at its first
 * step with that model, a real-time one at create (bank_tables_init). */
void
bank_tables_fill(bank *b, int k)
{
    const model_desc *m = model_get(k);
    if (b->table_filled[k] || !m->table_floats)
        return;
    /* An offline bank computes its own, in its own pages: the process's
     * copy and then this one cost a render twice the table's page faults,
     * 86 for HH's 344 KiB, about 1 ms on the virtual machines we measure on
     * (docs/performance-log.md, "Start-up: an offline bank's table made in
     * place"), for 0.3 ms of computing. Real-time banks, created by the
     * dozen when a host loads a session, share the copy. */
    const float *initial = b->touch_pages ? initial_of(k) : NULL;
    if (initial)
        memcpy(b->tables[k], initial, m->table_floats * sizeof(float));
    else
        m->table_init(b->tables[k]);
    b->table_filled[k] = 1;
}

void
bank_tables_init(bank *b)
{
    for (int k = 0; k < MODEL_COUNT; ++k) {
        b->table_dt[k] = b->table_phi[k] = -1.0f; /* not prepared yet */
        b->seen_dt[k] = b->seen_phi[k] = -1.0f;
        b->table_filled[k] = 0;
        if (b->touch_pages)
            bank_tables_fill(b, k);
    }
}

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
            bank_tables_fill(b, k);
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
