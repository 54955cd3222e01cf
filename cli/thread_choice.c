/* thread_choice.c — the render's choice between its pool of threads and
 * one thread, by timing both (thread_choice.h). */
#include "thread_choice.h"

#include <string.h>

/* A trial from the next block on, on the way the render is on */
static void
start_trial(thread_choice *c)
{
    c->trialing = 1;
    c->first = c->parallel;
    c->timed[0] = c->timed[1] = 0;
}

void
thread_choice_init(thread_choice *c)
{
    memset(c, 0, sizeof *c);
    c->parallel = 1;
    c->settle_left = THREAD_CHOICE_START_SETTLE;
    c->run = THREAD_CHOICE_FIRST_RUN;
    c->chosen = -1;
    start_trial(c);
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

_Static_assert(THREAD_CHOICE_TRIALS == 3, "median3 takes a way's three blocks");

/* The mode of the next block; a switch to the pool lets it settle first */
static void
set_mode(thread_choice *c, int parallel)
{
    if (parallel && !c->parallel)
        c->settle_left = THREAD_CHOICE_SETTLE;
    c->parallel = parallel;
}

/* The trial's verdict: parallel, the way chosen, which took chosen_ns a
 * frame against other_ns for the other way */
static void
end_trial(thread_choice *c, int parallel, double chosen_ns, double other_ns)
{
    c->other_ns = other_ns;
    if (parallel == c->chosen)
        c->run = c->run * 2u > THREAD_CHOICE_LONGEST_RUN ? THREAD_CHOICE_LONGEST_RUN : c->run * 2u;
    else
        c->run = THREAD_CHOICE_FIRST_RUN;
    if (other_ns >= chosen_ns * THREAD_CHOICE_WIDE && c->run < THREAD_CHOICE_WIDE_RUN)
        c->run = THREAD_CHOICE_WIDE_RUN;
    if (c->chosen >= 0 && parallel != c->chosen)
        c->switches++;
    c->chosen = parallel;
    c->trialing = 0;
    c->run_left = c->run;
    set_mode(c, parallel);
}

void
thread_choice_played(thread_choice *c, double ns, uint32_t frames)
{
    if (!frames)
        return;
    c->frames[c->parallel] += frames;
    const double per_frame = ns / frames;
    const int settling = c->parallel && c->settle_left > 0;
    if (settling)
        c->settle_left--;
    if (!c->trialing) {
        /* A bank's cost changes as it plays (a coupled bank that starts
         * quiet and then fires in volleys): a settled block of the chosen
         * way slower than the other way was timed at ends the run early. */
        const int slower = !settling && per_frame > c->other_ns * THREAD_CHOICE_RECHECK;
        if (slower)
            c->run = THREAD_CHOICE_FIRST_RUN / 2u; /* doubled back at the trial's end */
        if (slower || --c->run_left == 0)
            start_trial(c);
        return;
    }
    if (settling) {
        /* untimed, unless clearly slower after a switch: a trial that
         * started on one thread has timed its blocks (the render's first
         * trial starts on the pool) */
        if (c->first == 0 && per_frame > median3(c->ns[0]) * THREAD_CHOICE_CLEAR_SETTLING)
            end_trial(c, 0, median3(c->ns[0]), per_frame);
        return;
    }
    const int way = c->parallel;
    c->ns[way][c->timed[way]++] = per_frame;
    if (way == c->first) {
        if (c->timed[way] == THREAD_CHOICE_TRIALS)
            set_mode(c, !way); /* the other way's turn */
        return;
    }
    const double first = median3(c->ns[c->first]);
    if (c->timed[way] == 1u && per_frame > first * THREAD_CHOICE_CLEAR) {
        end_trial(c, c->first, first, per_frame); /* clearly slower */
    } else if (c->timed[way] == THREAD_CHOICE_TRIALS) {
        const double pool = median3(c->ns[1]), one = median3(c->ns[0]);
        const int on_pool = pool * THREAD_CHOICE_MARGIN < one;
        end_trial(c, on_pool, on_pool ? pool : one, on_pool ? one : pool);
    }
}
