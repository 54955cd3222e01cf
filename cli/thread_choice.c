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

/* After `pairs` timed pairs: -1 to time another, else the choice. */
static int
verdict(const thread_choice *c, uint32_t pairs)
{
    if (pairs == THREAD_CHOICE_TRIALS)
        return median3(c->ns[1]) < median3(c->ns[0]);
    int pool = 0, one = 0;
    for (uint32_t k = 0; k < pairs; ++k) {
        pool += c->ns[1][k] * THREAD_CHOICE_CLEAR < c->ns[0][k];
        one += c->ns[0][k] * THREAD_CHOICE_CLEAR < c->ns[1][k];
    }
    return pool == (int)pairs ? 1 : one == (int)pairs ? 0 : -1;
}

static void
end_trial(thread_choice *c, int parallel)
{
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
        if (--c->run_left == 0) { /* a new trial, from the next block */
            c->trialing = 1;
            c->phase = 0;
            c->parallel = 1;
        }
        return;
    }
    if (!c->warm) { /* the render's first block: the pool's memory touched, not timed */
        c->warm = 1;
        return;
    }
    c->ns[c->parallel][c->phase / 2u] = ns / frames;
    c->phase++;
    const int choice = c->phase % 2u ? -1 : verdict(c, c->phase / 2u);
    if (choice >= 0)
        end_trial(c, choice);
    else
        c->parallel = c->phase % 2u == 0u; /* in turn, the pool's first */
}
