/* hillock render's choice between its threads and one thread
 * (cli/thread_choice.h), fed block times of banks whose two ways differ as
 * measured on a 2-vCPU machine (docs/performance.md, "Two threads: the
 * render chooses"): an uncoupled HH bank of 4096 neurons, 1.7x as fast on
 * two threads; a synchronous coupled HH bank of 1000, 1.9x as fast on one;
 * an Izhikevich bank of 4096, 1.1x as fast on two; and a coupled
 * Izhikevich bank of 2048 whose first block (before it fires) was 1.5x as
 * fast on two threads and its later ones 2.4x as fast on one. */
#include "thread_choice.h"

#include <criterion/criterion.h>

#define FRAMES 1024u

/* ns per frame of each way */
typedef struct {
    double pool, one;
} costs;

/* Plays `blocks` blocks; returns the blocks played on the pool. */
static uint32_t
play(thread_choice *c, costs k, uint32_t blocks)
{
    uint32_t on_pool = 0;
    for (uint32_t b = 0; b < blocks; ++b) {
        const int pool = thread_choice_mode(c);
        on_pool += (uint32_t)pool;
        thread_choice_played(c, (pool ? k.pool : k.one) * FRAMES, FRAMES);
    }
    return on_pool;
}

Test(thread_choice, a_bank_faster_on_the_pool_stays_there_but_for_one_block_a_trial)
{
    thread_choice c;
    thread_choice_init(&c);
    const costs hh4096 = {80.0, 136.0};
    /* the untimed first block and the first pair: clear at once */
    cr_expect_eq(play(&c, hh4096, 3), 2u);
    cr_expect_eq(thread_choice_mode(&c), 1);
    /* 2 s at 1024-frame blocks: 94 blocks; one more trial in them */
    uint32_t pool = play(&c, hh4096, 91);
    cr_expect_eq(pool, 90u, "%u of 91 blocks on the pool", pool);
    cr_expect_eq(c.frames[0], 2u * FRAMES, "one thread played %llu frames",
                 (unsigned long long)c.frames[0]);
    /* the runs between trials double, up to THREAD_CHOICE_LONGEST_RUN:
     * over a long render, one block of 1024 on one thread */
    thread_choice_init(&c);
    pool = play(&c, hh4096, 10000);
    cr_expect_geq(pool, 10000u - 16u, "%u of 10000 blocks on the pool", pool);
}

Test(thread_choice, a_bank_faster_on_one_thread_goes_there_after_one_pooled_block)
{
    thread_choice c;
    thread_choice_init(&c);
    const costs coupled_sync = {370.0, 190.0};
    cr_expect_eq(play(&c, coupled_sync, 3), 2u); /* untimed, then the first pair */
    cr_expect_eq(thread_choice_mode(&c), 0);
    const uint32_t pool = play(&c, coupled_sync, 10000);
    cr_expect_leq(pool, 16u, "%u of 10000 blocks on the pool", pool);
}

Test(thread_choice, close_ways_are_timed_three_times_each_and_the_medians_decide)
{
    thread_choice c;
    thread_choice_init(&c);
    const costs izh4096 = {45.0, 50.0};
    cr_expect_eq(play(&c, izh4096, 6), 4u); /* untimed, then pool, one, pool, one, pool */
    cr_expect_eq(thread_choice_mode(&c), 0, "the third pair's one-thread block");
    play(&c, izh4096, 1);
    cr_expect_eq(thread_choice_mode(&c), 1, "chosen: the pool, 10 %% faster");
    /* one slow block of the pool (another program on its core) in a trial
     * does not move the median */
    thread_choice_init(&c);
    thread_choice_played(&c, 9600.0 * FRAMES, FRAMES); /* untimed: first touches */
    const double pool_ns[3] = {45.0, 400.0, 46.0}, one_ns[3] = {50.0, 49.0, 51.0};
    for (int k = 0; k < 3; ++k) {
        cr_assert_eq(thread_choice_mode(&c), 1);
        thread_choice_played(&c, pool_ns[k] * FRAMES, FRAMES);
        cr_assert_eq(thread_choice_mode(&c), 0);
        thread_choice_played(&c, one_ns[k] * FRAMES, FRAMES);
    }
    cr_expect_eq(thread_choice_mode(&c), 1);
    /* within THREAD_CHOICE_MARGIN the pool is not worth its cores: a
     * coupled HH bank of 4096 neurons, 3 % faster on two threads in a trial
     * and 10 % slower over the render */
    thread_choice_init(&c);
    const costs coupled4096 = {48.5, 50.0};
    play(&c, coupled4096, 7);
    cr_expect_eq(thread_choice_mode(&c), 0);
}

Test(thread_choice, a_change_of_the_bank_or_the_machine_is_followed)
{
    thread_choice c;
    thread_choice_init(&c);
    const costs fast_pool = {80.0, 136.0}, busy_machine = {300.0, 140.0};
    play(&c, fast_pool, 3 + THREAD_CHOICE_FIRST_RUN); /* first trial, its run */
    cr_expect_eq(thread_choice_mode(&c), 1, "a new trial starts on the pool");
    play(&c, busy_machine, 2); /* its first pair */
    cr_expect_eq(thread_choice_mode(&c), 0);
    cr_expect_eq(c.switches, 1u);
    /* a coupled bank that starts quiet (cheaper on the pool) and then fires
     * in volleys (dearer there than one thread): the first block of the
     * pool slower than one thread was timed at starts a trial at once */
    thread_choice_init(&c);
    const costs quiet_start = {1630.0, 2380.0}, volleys = {3270.0, 1370.0};
    play(&c, quiet_start, 3);
    cr_expect_eq(thread_choice_mode(&c), 1);
    play(&c, volleys, 1); /* the pool's run, slower than 1.2 x 2380 */
    cr_expect_eq(thread_choice_mode(&c), 1, "the trial's first block");
    play(&c, volleys, 2);
    cr_expect_eq(thread_choice_mode(&c), 0, "one thread chosen after the pair");
    const uint32_t pool = play(&c, volleys, 1000);
    cr_expect_leq(pool, 8u, "%u of 1000 blocks on the pool", pool);
    /* a block that played no frame (a render stopped at once) changes nothing */
    thread_choice before = c;
    thread_choice_played(&c, 0.0, 0);
    cr_expect(memcmp(&before, &c, sizeof c) == 0);
}
