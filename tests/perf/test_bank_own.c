/* bank_own.h: a range's view steps its neurons in a block of its own, not
 * in the bank's arrays (two threads on neighbouring halves of one array
 * lose a quarter: scripts/two_ranges.c), and what a step wrote reaches the
 * bank when the block is returned, for the range's neurons only. The bits
 * of whole renders are tests/perf/test_frames_ahead.c's; this checks the
 * block itself. */
#include "bank.h"
#include "bank_own.h"

#include <criterion/criterion.h>
#include <stdint.h>

#define CAPACITY 4096u

static int
inside(const void *p, const void *lo, const void *hi)
{
    return (uintptr_t)p >= (uintptr_t)lo && (uintptr_t)p < (uintptr_t)hi;
}

Test(bank_own, a_view_steps_in_its_own_block_and_returns_its_range_only)
{
    bank *b = bank_create_offline(CAPACITY);
    bank_own *o = bank_own_create(CAPACITY);
    cr_assert(b && o);
    const model_desc *m = model_get(MODEL_HH);
    const uint32_t lo = 1536, hi = 3072;
    for (uint32_t i = 0; i < CAPACITY; ++i) {
        for (uint32_t k = 0; k < m->n_vars; ++k)
            b->var[k][i] = (float)(i + 1000u * k);
        b->drive_scale[i] = 1.0f + (float)i;
    }
    bank view;
    bank_own_view(o, 1, b, m, lo, hi, &view);
    cr_assert(bank_own_holds(o, 1, lo, hi));
    cr_assert(!bank_own_holds(o, 1, lo, hi + 16));
    /* the view's arrays for its neurons lie outside the bank's block, and
     * read what the bank held */
    const unsigned char *arrays = b->arrays;
    for (uint32_t k = 0; k < m->n_vars; ++k) {
        cr_assert(!inside(view.var[k] + lo, arrays, b->var[m->n_vars - 1] + CAPACITY),
                  "variable %u stepped in place", k);
        cr_assert_eq(view.var[k][lo], (float)(lo + 1000u * k));
        cr_assert_eq(view.var[k][hi - 1], (float)(hi - 1 + 1000u * k));
    }
    cr_assert_eq(view.drive_scale[lo + 7], 1.0f + (float)(lo + 7));
    /* a step's writes through the view stay in the block until returned */
    for (uint32_t i = lo; i < hi; ++i) {
        view.var[0][i] = -1.0f;
        view.spike_frac[i] = 0.5f;
    }
    cr_assert_eq(b->var[0][lo], (float)lo);
    /* viewed again over the same range: the block is not filled anew */
    bank again;
    bank_own_view(o, 1, b, m, lo, hi, &again);
    cr_assert_eq(again.var[0][lo], -1.0f);
    bank_own_return(o, 1, b);
    cr_assert(!bank_own_holds(o, 1, lo, hi));
    for (uint32_t i = 0; i < CAPACITY; ++i) {
        const int in = i >= lo && i < hi;
        cr_assert_eq(b->var[0][i], in ? -1.0f : (float)i, "neuron %u", i);
        cr_assert_eq(b->var[1][i], (float)(i + 1000u), "neuron %u", i);
        if (in)
            cr_assert_eq(b->spike_frac[i], 0.5f);
        cr_assert_eq(b->drive_scale[i], 1.0f + (float)i);
    }
    bank_own_return(o, 1, b); /* holds none: nothing */
    cr_assert_eq(b->var[0][lo], -1.0f);
    bank_own_destroy(o);
    bank_destroy(b);
}

Test(bank_own, ranges_hold_disjoint_blocks)
{
    bank *b = bank_create_offline(CAPACITY);
    bank_own *o = bank_own_create(CAPACITY);
    cr_assert(b && o);
    const model_desc *m = model_get(MODEL_PINSKY_RINZEL); /* the most variables */
    const uint32_t cut[] = {0, 1000, 1001, 2500, CAPACITY};
    bank view[4];
    for (unsigned p = 1; p < 4; ++p)
        bank_own_view(o, p, b, m, cut[p], cut[p + 1], &view[p]);
    /* every variable of every range written through its view, then returned */
    for (unsigned p = 1; p < 4; ++p)
        for (uint32_t k = 0; k < m->n_vars; ++k)
            for (uint32_t i = cut[p]; i < cut[p + 1]; ++i)
                view[p].var[k][i] = (float)(p * 100000u + k * 10000u + i % 9973u);
    bank_own_return_all(o, b);
    for (unsigned p = 1; p < 4; ++p)
        for (uint32_t k = 0; k < m->n_vars; ++k)
            for (uint32_t i = cut[p]; i < cut[p + 1]; ++i)
                cr_assert_eq(b->var[k][i], (float)(p * 100000u + k * 10000u + i % 9973u),
                             "range %u variable %u neuron %u", p, k, i);
    for (uint32_t i = 0; i < cut[1]; ++i)
        cr_assert_eq(b->var[0][i], 0.0f);
    bank_own_destroy(o);
    bank_destroy(b);
}
