/* thread_choice.c — the render's choice between its pool of threads and
 * one thread, by timing both (thread_choice.h). */
#include "thread_choice.h"

#include <string.h>

void
thread_choice_init(thread_choice *c)
{
    memset(c, 0, sizeof *c);
    c->trialing = 1;
    c->parallel = 1;
    c->run = THREAD_CHOICE_FIRST_RUN;
    c->chosen = -1;
}

int
thread_choice_mode(const thread_choice *c)
{
    return c->parallel;
}

static double
median3(const double *x)
{
    const double a = x[0], b = x[1], m = x[2];
    if ((a <= b && b <= m) || (m <= b && b <= a))
        return b;
    if ((b <= a && a <= m) || (m <= a && a <= b))
        return a;
    return m;
}

_Static_assert(THREAD_CHOICE_TRIALS == 3, "median3 takes the trial's three pairs");

/* The way's time over the pairs timed: their median, or with fewer than
 * three the least */
static double
way_ns(const thread_choice *c, int parallel, uint32_t pairs)
{
    if (pairs == THREAD_CHOICE_TRIALS)
        return median3(c->ns[parallel]);
    double least = c->ns[parallel][0];
    for (uint32_t k = 1; k < pairs; ++k)
        least = c->ns[parallel][k] < least ? c->ns[parallel][k] : least;
    return least;
}

/* After `pairs` timed pairs: -1 to time another, else the choice. */
static int
verdict(const thread_choice *c, uint32_t pairs)
{
    if (pairs == THREAD_CHOICE_TRIALS)
        return median3(c->ns[1]) * THREAD_CHOICE_MARGIN < median3(c->ns[0]);
    int pool = 0, one = 0;
    for (uint32_t k = 0; k < pairs; ++k) {
        pool += c->ns[1][k] * THREAD_CHOICE_CLEAR < c->ns[0][k];
        one += c->ns[0][k] * THREAD_CHOICE_CLEAR < c->ns[1][k];
    }
    return pool == (int)pairs ? 1 : one == (int)pairs ? 0 : -1;
}

static void
end_trial(thread_choice *c, int parallel, uint32_t pairs)
{
    c->other_ns = way_ns(c, !parallel, pairs);
    if (parallel == c->chosen)
        c->run = c->run * 2u > THREAD_CHOICE_LONGEST_RUN ? THREAD_CHOICE_LONGEST_RUN : c->run * 2u;
    else
        c->run = THREAD_CHOICE_FIRST_RUN;
    if (c->chosen >= 0 && parallel != c->chosen)
        c->switches++;
    c->chosen = parallel;
    c->parallel = parallel;
    c->trialing = 0;
    c->run_left = c->run;
}

void
thread_choice_played(thread_choice *c, double ns, uint32_t frames)
{
    if (!frames)
        return;
    c->frames[c->parallel] += frames;
    if (!c->trialing) {
        /* A bank's cost changes as it plays (a coupled bank that starts
         * quiet and then fires in volleys): a block of the chosen way
         * slower than the other way was timed at ends the run early. */
        const int slower = ns / frames > c->other_ns * THREAD_CHOICE_RECHECK;
        if (slower)
            c->run = THREAD_CHOICE_FIRST_RUN / 2u; /* doubled back at the trial's end */
        if (slower || --c->run_left == 0) { /* a new trial, from the next block */
            c->trialing = 1;
            c->phase = 0;
            c->parallel = 1;
        }
        return;
    }
    if (!c->warm) {
        /* the render's first block, on the pool, is not timed: it touches
         * the ranges' memory and wakes the threads for the first time (a
         * bank of 4096 HH neurons took 1.7x as long as one thread there,
         * and 0.6x after) */
        c->warm = 1;
        return;
    }
    c->ns[c->parallel][c->phase / 2u] = ns / frames;
    c->phase++;
    const int choice = c->phase % 2u ? -1 : verdict(c, c->phase / 2u);
    if (choice >= 0)
        end_trial(c, choice, c->phase / 2u);
    else
        c->parallel = c->phase % 2u == 0u; /* in turn, the pool's first */
}
