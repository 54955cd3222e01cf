/* test_spike_memory — what a recording's player holds in memory across a
 * jump (dsp/spike_memory.h). Reference: the recording itself. A jump to t
 * that memory holds must give, in order, exactly the recording's spikes
 * from the first at or after t on (ties included, none twice), up to what
 * it says it covers; a stream that passes the history again adds nothing
 * twice; a loop longer than the history plays its start from the landing. */
#define _GNU_SOURCE /* mincore, RUSAGE_THREAD (page_faults.h) */
#include "spike_memory.h"

#include "../page_faults.h"

#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>

/* A recording with ties: three units at each of n/3 times 1 ms apart, a
 * quarter of them missing (k % 4 == 3) so the groups differ. */
static spike_event *
recording(uint32_t *n_out, uint32_t times)
{
    spike_event *r = calloc((size_t)times * 3u, sizeof *r);
    cr_assert(r);
    uint32_t n = 0;
    for (uint32_t i = 0; i < times; ++i)
        for (uint32_t u = 0; u < 3u; ++u)
            if ((i * 3u + u) % 4u != 3u)
                r[n++] = (spike_event){.unit = u, .time_s = 0.001 * (double)(i + 1u)};
    *n_out = n;
    return r;
}

static uint32_t
first_at(const spike_event *r, uint32_t n, double t)
{
    uint32_t k = 0;
    while (k < n && r[k].time_s < t)
        k++;
    return k;
}

/* The stream after a jump to t: the recording from t, spikes [from, to). */
static void
stream(spike_memory *m, const spike_event *r, uint32_t from, uint32_t to)
{
    for (uint32_t k = from; k < to; ++k)
        spike_memory_keep(m, &r[k]);
}

/* A jump to t must bridge exactly r's spikes from t up to what it covers,
 * at least up to `until`. Returns how many it gave. */
static uint32_t
expect_bridge(spike_memory *m, const spike_event *r, uint32_t n, double t, double until)
{
    cr_assert(spike_memory_jump(m, t), "a jump to %.4f s is not held", t);
    double end = spike_memory_covered(m);
    cr_assert_geq(end, until, "held only up to %.4f s", end);
    uint32_t k = first_at(r, n, t), given = 0;
    const spike_event *s;
    for (; (s = spike_memory_peek(m)); spike_memory_advance(m)) {
        cr_assert_lt(k, n);
        cr_assert(s->time_s == r[k].time_s && s->unit == r[k].unit,
                  "spike %u: %.4f s unit %u, not %.4f s unit %u", given, s->time_s, s->unit,
                  r[k].time_s, r[k].unit);
        k++;
        given++;
    }
    /* everything before its end: the next one of r is at or after it */
    cr_assert(k == n || r[k].time_s >= end, "stopped at %.4f s, before %.4f s", r[k].time_s,
              end);
    return given;
}

Test(spike_memory, a_jump_back_plays_the_history_once_ties_included)
{
    uint32_t n;
    spike_event *r = recording(&n, 3000);
    spike_event *store = spike_memory_storage();
    cr_assert(store);
    spike_memory m;
    spike_memory_reset(&m, r, 0, false, store); /* no head */
    cr_assert_not(spike_memory_jump(&m, 0.5), "nothing held yet");
    /* 1.501 s: a time with three spikes (1501 - 1 = 1500, 3 x 1500 % 4 == 0) */
    uint32_t a = first_at(r, n, 0.5), b = first_at(r, n, 1.5005);
    cr_assert(r[b].time_s == r[b + 2u].time_s);
    stream(&m, r, a, b + 2u); /* ends inside a group of ties */
    expect_bridge(&m, r, n, 0.5, 1.4);
    /* the stream from 0.5 s again, past where it was: nothing twice */
    stream(&m, r, a, first_at(r, n, 2.0) + 1u);
    uint32_t given = expect_bridge(&m, r, n, 0.5, 1.9);
    cr_assert_geq(given, first_at(r, n, 1.9) - a);
    /* again, to the recording's end; a jump into the middle */
    stream(&m, r, a, n);
    spike_memory_stream_end(&m);
    given = expect_bridge(&m, r, n, 1.2345, INFINITY);
    cr_assert_eq(given, n - first_at(r, n, 1.2345), "the history lost or doubled spikes: %u",
                 given);
    spike_memory_storage_free(store);
    free(r);
}

Test(spike_memory, the_head_holds_a_jump_and_a_new_place_does_not)
{
    uint32_t n;
    spike_event *r = recording(&n, 3000);
    spike_event *store = spike_memory_storage();
    spike_memory m;
    spike_memory_reset(&m, r, 1000, false, store); /* the head: r's first 1000 */
    cr_assert(spike_memory_holds(&m, 0.1, 0.3));
    cr_assert_not(spike_memory_holds(&m, 0.1, r[999].time_s + 0.001), "past the head");
    expect_bridge(&m, r, n, 0.1, r[999].time_s);
    cr_assert_not(spike_memory_jump(&m, 2.0));
    cr_assert_eq(spike_memory_covered(&m), 2.0);
    /* a whole recording in the head: held everywhere */
    spike_memory_reset(&m, r, n, true, store);
    cr_assert(spike_memory_holds(&m, 5.0, INFINITY));
    cr_assert_eq(expect_bridge(&m, r, n, 2.5, INFINITY), n - first_at(r, n, 2.5));
    spike_memory_storage_free(store);
    free(r);
}

Test(spike_memory, a_loop_longer_than_the_history_plays_its_start_from_the_landing)
{
    uint32_t n;
    uint32_t times = (SPIKE_MEMORY_HISTORY + 3000u) * 4u / 9u + 10u; /* 3/4 x 3 per time */
    spike_event *r = recording(&n, times);
    cr_assert_gt(n, SPIKE_MEMORY_HISTORY + 2000u);
    spike_event *store = spike_memory_storage();
    spike_memory m;
    spike_memory_reset(&m, r, 0, false, store);
    double loop = r[100].time_s;
    cr_assert_not(spike_memory_jump(&m, loop)); /* the first pass: a new place */
    uint32_t a = first_at(r, n, loop);
    stream(&m, r, a, n); /* more than the history holds */
    /* the latest spikes are in the history */
    expect_bridge(&m, r, n, r[n - 1000u].time_s, r[n - 2u].time_s);
    /* the loop's start has left it; the landing holds it */
    uint32_t given = expect_bridge(&m, r, n, loop, r[a + 4000u].time_s);
    cr_assert_leq(given, SPIKE_MEMORY_LANDING);
    spike_memory_storage_free(store);
    free(r);
}

/* The storage is resident when it is handed out (mincore): the audio
 * thread fills the history a spike at a time, and calloc's fresh pages
 * (1.6 MiB) faulted in on it through the first 70 000 spikes played (1 of
 * 409 pages resident when mapped as used). */
Test(spike_memory, its_storage_is_resident_when_allocated)
{
    spike_event *store = spike_memory_storage();
    cr_assert(store);
    const size_t bytes = (SPIKE_MEMORY_HISTORY + SPIKE_MEMORY_LANDING) * sizeof(spike_event);
    size_t total;
    const size_t resident = page_faults_resident(store, bytes, &total);
    cr_expect_eq(resident, total, "%zu of %zu pages of the storage resident", resident, total);
    spike_memory_storage_free(store);
}
