/* test_jack_spikes.c — `hillock jack --play-spikes --transport`'s slow-sync
 * callback (jack_spikes_sync) without a server: the calls JACK makes (the
 * sync callback, then the process callback, each period) with a transport
 * and JACK's frame clock of the test's. Reference: the recording itself
 * (a spike every 5 ms, 70000 of them: past the head of 65536) and JACK's
 * rules for slow-sync clients (jack/types.h, JackSyncCallback: the
 * transport starts once every one is ready, the callback never waits).
 *  - a locate past the head: not ready until the reader's seek arrives;
 *    then the first periods play every spike from the target, none late;
 *  - the target in memory (the head, the history of what just played):
 *    ready at once;
 *  - a reader that does not answer holds the transport 2 s of JACK's
 *    frames at most, counted; a failed one not at all. */
#include "jack_spikes.h"
#include "../long_recording.h"

#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define SR 48000.0
#define PERIOD 256u

static char path[64];
static jack_spikes j;
static engine *e;

static void
setup(void)
{
    snprintf(path, sizeof path, "/tmp/hillock-jack-spikes-%d.csv", (int)getpid());
    cr_assert(long_recording_write(path));
    char err[256];
    cr_assert(jack_spikes_open(&j, path, err, sizeof err), "%s", err);
    cr_assert_not(j.whole, "the recording must be longer than the head");
    e = engine_create(SR);
    cr_assert(e);
    engine_set_recorded_units(e, jack_spikes_units(&j));
    /* the first period: the transport stopped at 0 */
    jack_spikes_transport(&j, e, false, 0, PERIOD, SR, 1.0);
}

static void
teardown(void)
{
    jack_spikes_close(&j);
    engine_destroy(e);
    unlink(path);
}

TestSuite(jack_spikes, .init = setup, .fini = teardown, .timeout = 60);

/* Spikes of the recording in [from, to) s. */
static uint64_t
spikes_in(double from, double to)
{
    uint64_t n = 0;
    for (unsigned k = 0; k < LONG_RECORDING_SPIKES; ++k)
        n += long_recording_time(k) >= from && long_recording_time(k) < to;
    return n;
}

/* Periods rolling from transport frame `frame`: every spike played, none
 * late. */
static void
roll(uint64_t frame, unsigned periods)
{
    uint64_t played0 = atomic_load(&j.played), late0 = atomic_load(&j.late);
    for (unsigned p = 0; p < periods; ++p) {
        jack_spikes_transport(&j, e, true, frame + (uint64_t)p * PERIOD, PERIOD, SR, 1.0);
        engine_clear_recorded(e); /* the engine would play them in its period */
    }
    double from = (double)frame / SR, to = (double)(frame + (uint64_t)periods * PERIOD) / SR;
    cr_assert_eq(atomic_load(&j.late) - late0, 0u, "spikes late");
    cr_assert_eq(atomic_load(&j.played) - played0, spikes_in(from, to),
                 "%llu spikes played from %.4f s to %.4f s, the recording has %llu",
                 (unsigned long long)(atomic_load(&j.played) - played0), from, to,
                 (unsigned long long)spikes_in(from, to));
}

/* The sync callback each period until ready (JACK's clock advancing a
 * period each, a millisecond of real time for the reader); the periods it
 * took. */
static unsigned
sync_until_ready(uint64_t frame, uint64_t *now)
{
    const struct timespec ms = {0, 1000000};
    unsigned calls = 0;
    while (!jack_spikes_sync(&j, frame, SR, 1.0, *now)) {
        cr_assert_lt(++calls, 100000u);
        /* JACK runs the process callback in each Starting period too */
        jack_spikes_transport(&j, e, false, frame, PERIOD, SR, 1.0);
        *now += PERIOD;
        nanosleep(&ms, NULL);
    }
    return calls;
}

Test(jack_spikes, a_locate_past_the_head_waits_for_the_seek_then_loses_nothing)
{
    const uint64_t at = (uint64_t)(340.0 * SR); /* past the head (327.7 s) */
    uint64_t now = 1000;
    unsigned waited = sync_until_ready(at, &now);
    uint64_t waits = atomic_load(&j.sync_waits); /* 1, unless the reader beat the first call */
    cr_assert_leq(waits, 1u);
    cr_assert_eq(atomic_load(&j.sync_gave_up), 0u, "the reader did not answer in time");
    printf("locate to 340 s: ready after %u periods\n", waited);
    jack_spikes_transport(&j, e, false, at, PERIOD, SR, 1.0); /* its Starting period */
    roll(at, 200); /* 1.07 s: the history holds it */
    /* a loop's jump back: memory holds it, ready at once, exact */
    uint32_t seeks = atomic_load(&j.seek_asked);
    cr_assert(jack_spikes_sync(&j, at, SR, 1.0, now), "the history holds 340 s");
    cr_assert_eq(atomic_load(&j.seek_asked), seeks, "the sync asked a seek it needs not");
    jack_spikes_transport(&j, e, false, at, PERIOD, SR, 1.0);
    roll(at, 200);
    cr_assert_eq(atomic_load(&j.sync_waits), waits, "the jump back waited");
}

Test(jack_spikes, a_locate_into_the_head_is_ready_at_once)
{
    uint32_t seeks = atomic_load(&j.seek_asked);
    cr_assert(jack_spikes_sync(&j, (uint64_t)(100.0 * SR), SR, 1.0, 0));
    cr_assert_eq(atomic_load(&j.seek_asked), seeks, "the sync asked a seek it needs not");
    cr_assert_eq(atomic_load(&j.sync_waits), 0u);
    jack_spikes_transport(&j, e, false, (uint64_t)(100.0 * SR), PERIOD, SR, 1.0);
    roll((uint64_t)(100.0 * SR), 20);
}

Test(jack_spikes, a_reader_that_does_not_answer_holds_the_transport_2_s_at_most)
{
    /* the reader stops answering */
    atomic_store(&j.stop, true);
    pthread_join(j.reader, NULL);
    j.reader_running = false;
    const uint64_t at = (uint64_t)(340.0 * SR), t0 = 5000;
    const uint64_t bound = (uint64_t)(JACK_SPIKES_SYNC_WAIT_S * SR);
    cr_assert_not(jack_spikes_sync(&j, at, SR, 1.0, t0));
    cr_assert_not(jack_spikes_sync(&j, at, SR, 1.0, t0 + bound - 1u));
    cr_assert(jack_spikes_sync(&j, at, SR, 1.0, t0 + bound));
    cr_assert(jack_spikes_sync(&j, at, SR, 1.0, t0 + bound + PERIOD));
    cr_assert_eq(atomic_load(&j.sync_gave_up), 1u);
    cr_assert_eq(atomic_load(&j.sync_waits), 1u);
}

Test(jack_spikes, a_failed_reader_does_not_hold_the_transport)
{
    atomic_store(&j.read_failed, true);
    cr_assert(jack_spikes_sync(&j, (uint64_t)(340.0 * SR), SR, 1.0, 0));
}
