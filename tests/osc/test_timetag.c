/* test_timetag.c — the OSC input honours a bundle's time tag (OSC 1.0: the
 * messages of a bundle take effect at its time tag; "immediately" is the
 * tag 1). A bundle tagged 0.6 s ahead by the wall clock is queued no
 * earlier than its tag, one tagged "immediately" and one tagged in the past
 * at once, and a nested bundle never before the bundle holding it. The
 * upper bounds are loose (a loaded machine may be late, never early). */
#include "osc_spikes.h"

#include <criterion/criterion.h>
#include <lo/lo.h>

#include <stdio.h>
#include <time.h>

static uint64_t
wall_stamp(void *arg)
{
    (void)arg;
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* lo_timetag now + seconds (may be negative) */
static lo_timetag
tag_in(double seconds)
{
    lo_timetag t;
    lo_timetag_now(&t);
    double frac = (double)t.frac / 4294967296.0 + seconds;
    double whole = frac >= 0 ? (double)(long)frac : (double)(long)frac - 1.0;
    t.sec = (uint32_t)((int64_t)t.sec + (int64_t)whole);
    t.frac = (uint32_t)((frac - whole) * 4294967296.0);
    return t;
}

static lo_bundle
spike_bundle(lo_timetag tag, int unit)
{
    lo_bundle b = lo_bundle_new(tag);
    lo_message m = lo_message_new();
    lo_message_add_int32(m, unit);
    lo_message_add_double(m, 0.0);
    lo_bundle_add_message(b, OSC_SPIKE_PATH, m);
    return b;
}

/* Pop spikes for up to `seconds`, recording each unit's arrival stamp. */
static int
collect(spike_queue *q, uint64_t *arrived, int units, int want, double seconds)
{
    int got = 0;
    for (int waited = 0; got < want && waited < (int)(seconds * 1000); ++waited) {
        spike_event ev[8];
        uint32_t n = spike_queue_pop(q, ev, 8);
        for (uint32_t k = 0; k < n; ++k)
            if ((int)ev[k].unit < units && !arrived[ev[k].unit]) {
                arrived[ev[k].unit] = ev[k].stamp;
                ++got;
            }
        nanosleep(&(struct timespec){0, 1000000L}, NULL);
    }
    return got;
}

Test(osc_in, bundles_wait_for_their_time_tag)
{
    spike_queue q;
    cr_assert(spike_queue_init(&q, 64));
    char err[256];
    osc_receiver *r = osc_receiver_open("0", false, &q, wall_stamp, NULL, err, sizeof err);
    cr_assert_not_null(r, "%s", err);
    char port[16];
    snprintf(port, sizeof port, "%d", osc_receiver_port(r));
    lo_address to = lo_address_new("127.0.0.1", port);

    const uint64_t sent = wall_stamp(NULL);
    lo_bundle later = spike_bundle(tag_in(0.6), 0);
    lo_bundle now = spike_bundle(LO_TT_IMMEDIATE, 1);
    lo_bundle past = spike_bundle(tag_in(-2.0), 2);
    /* an immediate bundle inside one tagged 0.6 s ahead waits for it */
    lo_bundle outer = spike_bundle(tag_in(0.6), 3);
    lo_bundle inner = spike_bundle(LO_TT_IMMEDIATE, 4);
    lo_bundle_add_bundle(outer, inner);
    cr_assert_geq(lo_send_bundle(to, later), 0);
    cr_assert_geq(lo_send_bundle(to, now), 0);
    cr_assert_geq(lo_send_bundle(to, past), 0);
    cr_assert_geq(lo_send_bundle(to, outer), 0);

    uint64_t arrived[5] = {0};
    cr_assert_eq(collect(&q, arrived, 5, 5, 10.0), 5, "not every spike arrived");
    const double ms[5] = {
        (double)(arrived[0] - sent) * 1e-6, (double)(arrived[1] - sent) * 1e-6,
        (double)(arrived[2] - sent) * 1e-6, (double)(arrived[3] - sent) * 1e-6,
        (double)(arrived[4] - sent) * 1e-6};
    printf("queued after (ms): tagged +0.6 s %.1f, immediate %.1f, past %.1f, "
           "nested %.1f / %.1f\n", ms[0], ms[1], ms[2], ms[3], ms[4]);
    cr_assert_geq(ms[0], 599.0, "a bundle tagged 0.6 s ahead queued after %.1f ms", ms[0]);
    cr_assert_geq(ms[3], 599.0);
    cr_assert_geq(ms[4], 599.0, "a nested bundle came before the bundle holding it");
    cr_assert_lt(ms[1], 500.0, "an immediate bundle was held (%.1f ms)", ms[1]);
    cr_assert_lt(ms[2], 500.0, "a bundle tagged in the past was held (%.1f ms)", ms[2]);

    lo_bundle_free_recursive(later);
    lo_bundle_free_recursive(now);
    lo_bundle_free_recursive(past);
    lo_bundle_free_recursive(outer);
    lo_address_free(to);
    osc_receiver_close(r);
    spike_queue_free(&q);
}
