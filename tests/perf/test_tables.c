/* The HH gate tables are rebuilt (tens of microseconds) when dt or phi
 * changes, but not on every step of a glide (dsp/bank.c, model_tables):
 * a pitch-bend glide changes dt every frame for 20 ms. */
#include "bank.h"
#include "params.h"

#include <criterion/criterion.h>

static bank_config
hh_config(float dt)
{
    bank_config c = {0};
    c.model = model_get(MODEL_HH);
    c.mp = (model_params){.dt_ms = dt, .phi = 1.0f, .threshold = -20.0f};
    c.dp.to_mV_a = 1.0f;
    c.drive = 10.0f;
    c.exc_decay = c.inh_decay = 0.9f;
    return c;
}

Test(tables, a_glide_rebuilds_now_and_then_and_exactly_when_it_ends)
{
    bank *b = bank_create(64);
    cr_assert(b);
    b->n = 64;
    bank_config c = hh_config(1.0f / 48.0f);
    bank_init_neurons(b, &c, 0, 64);
    bank_step(b, &c, 0.0f, 0);
    bank_step(b, &c, 0.0f, 1);
    cr_expect_eq(b->table_builds, 1, "first step builds once: %u", b->table_builds);

    /* a 2-semitone bend over 960 steps: dt grows 12 % */
    const float dt0 = 1.0f / 48.0f, dt1 = dt0 * 1.1225f;
    for (int k = 1; k <= 960; ++k) {
        c.mp.dt_ms = dt0 + (dt1 - dt0) * (float)k / 960.0f;
        bank_step(b, &c, 0.0f, (uint64_t)k + 1);
    }
    uint32_t during = b->table_builds - 1;
    /* 0.5 % drift allowed: about 12 / 0.5 = 23 rebuilds, not 960 */
    cr_expect(during >= 15 && during <= 30, "%u rebuilds during the glide", during);
    cr_expect_neq(b->table_dt[MODEL_HH], dt1, "the last glide step lags");

    bank_step(b, &c, 0.0f, 2000); /* dt held: rebuilt exactly */
    cr_expect_eq(b->table_dt[MODEL_HH], dt1);
    uint32_t after = b->table_builds;
    for (int k = 0; k < 10; ++k)
        bank_step(b, &c, 0.0f, 2001 + (uint64_t)k);
    cr_expect_eq(b->table_builds, after, "no rebuild while dt holds");

    /* a jump (new speed, new sample rate) rebuilds at once */
    c.mp.dt_ms = dt0 * 0.5f;
    bank_step(b, &c, 0.0f, 3000);
    cr_expect_eq(b->table_dt[MODEL_HH], dt0 * 0.5f);
    bank_destroy(b);
}
