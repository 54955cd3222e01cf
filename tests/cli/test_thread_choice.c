/* hillock render's choice between its threads and one thread
 * (cli/thread_choice.h), fed block times of banks whose two ways differ as
 * measured on a 2-vCPU machine (docs/performance-log.md, "Two threads: the
 * render chooses"): an uncoupled HH bank of 4096 neurons, 1.7x as fast on
 * two threads; a synchronous coupled HH bank of 1000, 1.9x as fast on one;
 * an Izhikevich bank of 4096, 1.1x as fast on two in one measurement, and
 * in another whose pool settled over two blocks after each switch (5.0 and
 * 2.4 us a frame, then 1.5; one thread 2.1); and a coupled Izhikevich bank
 * of 2048 whose first blocks (before it fires) were 1.5x as fast on two
 * threads and its later ones 2.4x as fast on one. */
#include "thread_choice.h"

#include <criterion/criterion.h>

#define FRAMES 1024u

/* ns per frame of each way; the pool's first two blocks after a switch
 * take settle[0] and settle[1] times as long (0: as long as the rest) */
typedef struct {
    double pool, one;
    double settle[2];
} costs;

/* Plays `blocks` blocks; returns the blocks played on the pool. */
static uint32_t
play_from(thread_choice *c, costs k, uint32_t blocks, uint32_t *since_switch)
{
    uint32_t on_pool = 0;
    for (uint32_t b = 0; b < blocks; ++b) {
        const int pool = thread_choice_mode(c);
        on_pool += (uint32_t)pool;
        double ns = pool ? k.pool : k.one;
        if (pool && *since_switch < 2 && k.settle[*since_switch] > 0.0)
            ns *= k.settle[*since_switch];
        *since_switch = pool ? *since_switch + 1u : 0u;
        thread_choice_played(c, ns * FRAMES, FRAMES);
    }
    return on_pool;
}

static uint32_t
play(thread_choice *c, costs k, uint32_t blocks)
{
    uint32_t since = 0;
    return play_from(c, k, blocks, &since);
}

/* The render's first trial: the pool settling, timed, then one thread's
 * first block */
#define START_BLOCKS (THREAD_CHOICE_START_SETTLE + THREAD_CHOICE_TRIALS + 1u)

Test(thread_choice, a_bank_faster_on_the_pool_stays_there_but_for_a_block_a_trial)
{
    thread_choice c;
    thread_choice_init(&c);
    const costs hh4096 = {80.0, 136.0, {0}};
    cr_expect_eq(thread_choice_mode(&c), 1, "the render starts on the pool");
    /* one thread's first block, 1.7x slower, ends the trial */
    cr_expect_eq(play(&c, hh4096, START_BLOCKS), START_BLOCKS - 1u);
    cr_expect_eq(c.trialing, 0);
    cr_expect_eq(thread_choice_mode(&c), 1);
    /* a verdict of 1.7x is wide: the next trial THREAD_CHOICE_WIDE_RUN
     * blocks on (5.5 s at 1024-frame blocks), not THREAD_CHOICE_FIRST_RUN */
    const uint32_t pool = play(&c, hh4096, THREAD_CHOICE_WIDE_RUN);
    cr_expect_eq(pool, THREAD_CHOICE_WIDE_RUN, "%u of %u blocks on the pool", pool,
                 THREAD_CHOICE_WIDE_RUN);
    cr_expect_eq(c.trialing, 1, "a trial after the wide verdict's run");
    cr_expect_eq(play(&c, hh4096, THREAD_CHOICE_TRIALS + 1u), THREAD_CHOICE_TRIALS);
    cr_expect_eq(c.trialing, 0);
    cr_expect_eq(c.run, 2u * THREAD_CHOICE_WIDE_RUN, "the same verdict doubles the run");
    /* the runs between trials double, up to THREAD_CHOICE_LONGEST_RUN:
     * over a long render, a block of 1024 on one thread */
    thread_choice_init(&c);
    const uint32_t long_pool = play(&c, hh4096, 10000);
    cr_expect_geq(long_pool, 10000u - 16u, "%u of 10000 blocks on the pool", long_pool);
}

Test(thread_choice, a_bank_faster_on_one_thread_leaves_the_pool_after_the_first_trial)
{
    thread_choice c;
    thread_choice_init(&c);
    const costs coupled_sync = {370.0, 190.0, {0}};
    const uint32_t first = THREAD_CHOICE_START_SETTLE + 2u * THREAD_CHOICE_TRIALS;
    cr_expect_eq(play(&c, coupled_sync, first), first - THREAD_CHOICE_TRIALS);
    cr_expect_eq(c.trialing, 0);
    cr_expect_eq(thread_choice_mode(&c), 0);
    /* a later trial (the verdict, 1.9x, was wide): one thread's three
     * blocks, then the pool's first, 1.9x slower though still settling,
     * ends it */
    play(&c, coupled_sync, THREAD_CHOICE_WIDE_RUN - 1u);
    cr_expect_eq(c.trialing, 0);
    play(&c, coupled_sync, 1);
    cr_expect_eq(c.trialing, 1);
    cr_expect_eq(play(&c, coupled_sync, THREAD_CHOICE_TRIALS + 1u), 1u);
    cr_expect_eq(c.trialing, 0);
    cr_expect_eq(thread_choice_mode(&c), 0);
    thread_choice_init(&c);
    const uint32_t pool = play(&c, coupled_sync, 10000);
    cr_expect_leq(pool, 25u, "%u of 10000 blocks on the pool", pool);
}

Test(thread_choice, the_pool_is_timed_once_it_has_settled)
{
    /* At the render's start the first two blocks of this pool (the
     * threads' first work, the bank's first volley) look 2.4x and 1.1x
     * slower than one thread; settled, it is 1.4x faster. Timed one block
     * each way in turn, with only the render's first block untimed, the
     * render stayed on one thread. */
    thread_choice c;
    thread_choice_init(&c);
    const costs izh4096 = {1500.0, 2100.0, {5000.0 / 1500.0, 2400.0 / 1500.0}};
    play(&c, izh4096, THREAD_CHOICE_START_SETTLE + 2u * THREAD_CHOICE_TRIALS);
    cr_expect_eq(c.trialing, 0);
    cr_expect_eq(thread_choice_mode(&c), 1, "chosen: the pool");
    cr_expect_eq(c.ns[1][0], 1500.0, "the first timed block is a settled one");
    thread_choice_init(&c);
    const uint32_t pool = play(&c, izh4096, 1000);
    cr_expect_geq(pool, 970u, "%u of 1000 blocks on the pool", pool);
    /* a switch back to the pool in a later trial (its first blocks 1.7x
     * and 1.2x its steady time) is settled before it is timed, and not
     * taken for clearly slower */
    thread_choice_init(&c);
    const costs quiet = {370.0, 190.0, {0}};
    const costs later = {1500.0, 2100.0, {2609.0 / 1500.0, 1811.0 / 1500.0}};
    uint32_t since = 0;
    play_from(&c, quiet, THREAD_CHOICE_START_SETTLE + 2u * THREAD_CHOICE_TRIALS, &since);
    cr_expect_eq(thread_choice_mode(&c), 0);
    play_from(&c, later, 1, &since); /* one thread slower than the pool was: a trial */
    cr_expect_eq(c.trialing, 1);
    play_from(&c, later, THREAD_CHOICE_TRIALS + THREAD_CHOICE_SETTLE + THREAD_CHOICE_TRIALS,
              &since);
    cr_expect_eq(c.trialing, 0);
    cr_expect_eq(thread_choice_mode(&c), 1, "back on the pool");
}

Test(thread_choice, close_ways_are_timed_three_times_each_and_the_medians_decide)
{
    thread_choice c;
    thread_choice_init(&c);
    const costs izh4096 = {45.0, 50.0, {0}};
    const uint32_t trial = THREAD_CHOICE_START_SETTLE + 2u * THREAD_CHOICE_TRIALS;
    play(&c, izh4096, trial - 1u);
    cr_expect_eq(c.trialing, 1, "one thread's third block to come");
    play(&c, izh4096, 1);
    cr_expect_eq(c.trialing, 0);
    cr_expect_eq(thread_choice_mode(&c), 1, "chosen: the pool, 10 %% faster");
    /* a narrow verdict is checked again soon */
    cr_expect_eq(c.run, THREAD_CHOICE_FIRST_RUN);
    play(&c, izh4096, THREAD_CHOICE_FIRST_RUN);
    cr_expect_eq(c.trialing, 1);
    /* one slow block of the pool (another program on its core) in a trial
     * does not move the median, nor does one slow block of one thread */
    thread_choice_init(&c);
    const double pool_ns[3] = {45.0, 400.0, 46.0}, one_ns[3] = {50.0, 300.0, 51.0};
    for (uint32_t k = 0; k < THREAD_CHOICE_START_SETTLE; ++k)
        thread_choice_played(&c, 9600.0 * FRAMES, FRAMES); /* untimed: settling */
    for (int k = 0; k < 3; ++k) {
        cr_assert_eq(thread_choice_mode(&c), 1);
        thread_choice_played(&c, pool_ns[k] * FRAMES, FRAMES);
    }
    for (int k = 0; k < 3; ++k) {
        cr_assert_eq(thread_choice_mode(&c), 0);
        thread_choice_played(&c, one_ns[k] * FRAMES, FRAMES);
    }
    cr_expect_eq(c.trialing, 0);
    cr_expect_eq(thread_choice_mode(&c), 1);
    /* within THREAD_CHOICE_MARGIN the pool is not worth its cores: a
     * coupled HH bank of 4096 neurons, 3 % faster on two threads in a trial
     * and 10 % slower over the render */
    thread_choice_init(&c);
    const costs coupled4096 = {48.5, 50.0, {0}};
    play(&c, coupled4096, trial);
    cr_expect_eq(c.trialing, 0);
    cr_expect_eq(thread_choice_mode(&c), 0);
}

Test(thread_choice, a_change_of_the_bank_or_the_machine_is_followed)
{
    thread_choice c;
    thread_choice_init(&c);
    const costs fast_pool = {80.0, 136.0, {0}}, busy_machine = {300.0, 140.0, {0}};
    play(&c, fast_pool, START_BLOCKS); /* the first trial */
    cr_expect_eq(thread_choice_mode(&c), 1);
    /* back on the pool after one thread's block, it settles untimed; then
     * the machine gets busy: a block of the pool slower than 1.2x one
     * thread's time in the trial starts a new trial at once, on the pool */
    play(&c, busy_machine, THREAD_CHOICE_SETTLE);
    cr_expect_eq(c.trialing, 0, "settling blocks start no trial");
    play(&c, busy_machine, 1);
    cr_expect_eq(c.trialing, 1);
    play(&c, busy_machine, 2u * THREAD_CHOICE_TRIALS);
    cr_expect_eq(c.trialing, 0);
    cr_expect_eq(thread_choice_mode(&c), 0, "one thread, by the medians");
    cr_expect_eq(c.switches, 1u);
    /* a coupled bank that starts quiet (cheaper on the pool) and then fires
     * in volleys (dearer there than one thread) */
    thread_choice_init(&c);
    const costs quiet_start = {1630.0, 2380.0, {0}}, volleys = {3270.0, 1370.0, {0}};
    play(&c, quiet_start, THREAD_CHOICE_START_SETTLE + 2u * THREAD_CHOICE_TRIALS);
    cr_expect_eq(thread_choice_mode(&c), 1);
    play(&c, volleys, THREAD_CHOICE_SETTLE + 1u); /* settled, slower than 1.2 x 2380 */
    cr_expect_eq(c.trialing, 1);
    play(&c, volleys, 2u * THREAD_CHOICE_TRIALS);
    cr_expect_eq(thread_choice_mode(&c), 0, "one thread chosen");
    const uint32_t pool = play(&c, volleys, 1000);
    cr_expect_leq(pool, 8u, "%u of 1000 blocks on the pool", pool);
    /* a block that played no frame (a render stopped at once) changes nothing */
    thread_choice before = c;
    thread_choice_played(&c, 0.0, 0);
    cr_expect(memcmp(&before, &c, sizeof c) == 0);
}
