/* test_osc — the plugin's OSC output (hillock:oscUrl), received by a liblo
 * server in this test.
 *
 * References: the OSC 1.0 bundle (liblo's server reports each bundle and
 * message), and the plugin's own MIDI output: each spike's note on leaves
 * at the frame where the spike sounds (aligned with the audio), so each
 * /hillock/spike message's time (seconds of the output since activate)
 * times the rate must fall within one frame of a note on, one message per
 * note, one bundle per run() that had spikes (blocks of at most the
 * plugin's chunk). run() only queues; the host's worker sends. */
#include "host.h"
#include "rt_trap.h"
#include "uris.h"

#include <criterion/criterion.h>
#include <lo/lo.h>
#include <lv2/atom/util.h>
#include <lv2/midi/midi.h>

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define RATE 48000.0
#define BLOCK 512u
#define MAX_EVENTS 4096

HB_WORLD_SUITE(osc, 120);

typedef struct {
    double time[MAX_EVENTS];
    int unit[MAX_EVENTS];
    unsigned n, bundles;
} heard;

static int
on_bundle(lo_timetag t, void *user)
{
    (void)t;
    ((heard *)user)->bundles++;
    return 0;
}

static int
on_bundle_end(void *user)
{
    (void)user;
    return 0;
}

static int
on_spike(const char *path, const char *types, lo_arg **argv, int argc, lo_message m, void *user)
{
    (void)path, (void)argc, (void)m;
    heard *h = user;
    cr_assert_str_eq(types, "id", "/hillock/spike carries int32 unit, float64 time");
    if (h->n < MAX_EVENTS) {
        /* liblo packs arguments at 4-byte offsets: read by copy */
        int32_t unit;
        double time;
        memcpy(&unit, (const void *)argv[0], sizeof unit);
        memcpy(&time, (const void *)argv[1], sizeof time);
        h->unit[h->n] = unit;
        h->time[h->n++] = time;
    }
    return 0;
}

Test(osc, every_spike_arrives_at_the_frame_of_its_note_one_bundle_per_block)
{
    heard got = {.n = 0};
    lo_server server = lo_server_new_with_proto(NULL, LO_UDP, NULL);
    cr_assert_not_null(server);
    lo_server_add_method(server, "/hillock/spike", NULL, on_spike, &got);
    lo_server_add_bundle_handlers(server, on_bundle, on_bundle_end, &got);
    char url[64];
    snprintf(url, sizeof url, "osc.udp://127.0.0.1:%d/", lo_server_get_port(server));

    hb_instance h;
    cr_assert(hb_instantiate(&h, world, false, RATE));
    h.controls[P_NEURONS] = 2.0f; /* HH at the default drive: 68 spikes/s each */
    lilv_instance_activate(h.inst);
    LV2_URID_Map *map = hb_map(world);
    LV2_URID midi_type = map->map(map->handle, LV2_MIDI__MidiEvent);
    double notes[MAX_EVENTS];
    unsigned n_notes = 0, blocks_with_notes = 0;
    uint64_t frame = 0;
    for (int b = 0; b < 60; ++b) { /* 0.64 s */
        if (b == 0)
            hb_send_patch_string(&h, HILLOCK__oscUrl, url);
        else
            hb_prepare_events(&h, NULL, NULL, 0);
        rt_trap_arm();
        lilv_instance_run(h.inst, BLOCK);
        cr_assert_eq(rt_trap_disarm(), 0, "run() called %s", rt_trap_last());
        hb_worker_settle(&h); /* the worker opens the URL, then sends */
        unsigned before = n_notes;
        LV2_ATOM_SEQUENCE_FOREACH ((const LV2_Atom_Sequence *)h.atom_out, ev) {
            const uint8_t *m = LV2_ATOM_BODY_CONST(&ev->body);
            if (ev->body.type == midi_type && (m[0] & 0xf0) == 0x90 && m[2] && b > 0 &&
                n_notes < MAX_EVENTS)
                notes[n_notes++] = (double)(frame + (uint64_t)ev->time.frames);
        }
        blocks_with_notes += n_notes > before;
        frame += BLOCK;
    }
    while (lo_server_recv_noblock(server, 200) > 0) {
    }
    lo_server_free(server);
    hb_free(&h);

    /* from the second block (the first opened the URL) */
    cr_assert_gt(n_notes, 40u, "only %u spikes", n_notes);
    cr_assert_eq(got.n, n_notes, "%u messages for %u spike notes", got.n, n_notes);
    cr_assert_eq(got.bundles, blocks_with_notes, "%u bundles for %u blocks with spikes",
                 got.bundles, blocks_with_notes);
    for (unsigned i = 0; i < got.n; ++i) {
        cr_assert(got.unit[i] == 0 || got.unit[i] == 1);
        cr_expect_leq(fabs(got.time[i] * RATE - notes[i]), 1.0,
                      "message %u at frame %.2f, its note at %.0f", i, got.time[i] * RATE,
                      notes[i]);
    }
}

/* The OSC input (hillock:oscInPort): messages from a sender (liblo's
 * client here, apart from the plugin's receiver) play as spikes of
 * recorded units. Reference: the plugin's rule, one block at most: run()
 * drains what arrived before it at its block's first frame, so each
 * message's note leaves at the first frame of the first block run after
 * it arrived, plus the plugin's latency (the notes leave with the
 * audio), and never a block later. The test runs a block, then waits
 * 10 ms, until the note shows. */

static int
free_udp_port(void)
{
    lo_server s = lo_server_new_with_proto(NULL, LO_UDP, NULL);
    cr_assert_not_null(s);
    int port = lo_server_get_port(s);
    lo_server_free(s);
    return port;
}

/* Runs blocks until a note on leaves (2 s at most); returns the frame of
 * its block's start and sets *at to the note's frame, *notes to how many
 * left in that block. */
static uint64_t
run_until_note(hb_instance *h, uint64_t *frame, uint64_t *at, unsigned *notes)
{
    LV2_URID_Map *map = hb_map(world);
    LV2_URID midi_type = map->map(map->handle, LV2_MIDI__MidiEvent);
    for (int tries = 0; tries < 200; ++tries) {
        hb_prepare_events(h, NULL, NULL, 0);
        rt_trap_arm();
        lilv_instance_run(h->inst, BLOCK);
        cr_assert_eq(rt_trap_disarm(), 0, "run() called %s", rt_trap_last());
        hb_worker_settle(h);
        uint64_t start = *frame;
        *frame += BLOCK;
        *notes = 0;
        LV2_ATOM_SEQUENCE_FOREACH ((const LV2_Atom_Sequence *)h->atom_out, ev) {
            const uint8_t *m = LV2_ATOM_BODY_CONST(&ev->body);
            if (ev->body.type == midi_type && (m[0] & 0xf0) == 0x90 && m[2]) {
                if (!*notes)
                    *at = start + (uint64_t)ev->time.frames;
                ++*notes;
            }
        }
        if (*notes)
            return start;
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    cr_assert_fail("no note in 2 s");
    return 0;
}

Test(osc, spikes_sent_to_the_input_port_play_at_the_next_block_start)
{
    const int port = free_udp_port();
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, false, RATE));
    h.controls[P_NEURONS] = 1.0f;
    h.controls[P_SOURCE] = SOURCE_RECORDED; /* the bank silent: only what is sent plays */
    lilv_instance_activate(h.inst);
    hb_send_patch_int(&h, HILLOCK__oscInPort, port);
    lilv_instance_run(h.inst, BLOCK);
    hb_worker_settle(&h); /* the worker opens the port */
    uint64_t frame = BLOCK;
    char want[96];
    snprintf(want, sizeof want, "127.0.0.1 port %d", port);
    const char *log = hb_take_log(world);
    cr_assert(log && strstr(log, want), "log: %s", log ? log : "(none)");

    char port_name[16];
    snprintf(port_name, sizeof port_name, "%d", port);
    lo_address to = lo_address_new("127.0.0.1", port_name);
    cr_assert_not_null(to);
    const uint32_t lat = (uint32_t)h.late[PORT_LATE_LATENCY];
    /* ,i and ,id (a time, not used), units 0 and 3; a message of another
     * shape in between plays nothing */
    for (int k = 0; k < 4; ++k) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (k == 2)
            cr_assert_geq(lo_send(to, "/hillock/spike", "s", "zero"), 0);
        cr_assert_geq(k % 2 ? lo_send(to, "/hillock/spike", "id", 3, 12.5)
                            : lo_send(to, "/hillock/spike", "i", 0), 0);
        uint64_t at = 0;
        unsigned notes = 0;
        uint64_t start = run_until_note(&h, &frame, &at, &notes);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        cr_assert_eq(notes, 1u, "message %d: %u notes", k, notes);
        cr_assert_eq(at, start + lat, "message %d: note at frame %llu, its block starts at %llu "
                     "(+ latency %u)", k, (unsigned long long)at, (unsigned long long)start, lat);
        printf("osc in: message %d heard at its block's first frame + %u, %.1f ms after the "
               "send\n", k, lat, 1e3 * (double)(t1.tv_sec - t0.tv_sec) +
                                     1e-6 * (double)(t1.tv_nsec - t0.tv_nsec));
    }

    /* a port that cannot be opened (taken here): logged, and the one
     * before goes on playing */
    lo_server taken = lo_server_new_with_proto(NULL, LO_UDP, NULL);
    cr_assert_not_null(taken);
    hb_send_patch_int(&h, HILLOCK__oscInPort, lo_server_get_port(taken));
    lilv_instance_run(h.inst, BLOCK);
    hb_worker_settle(&h);
    frame += BLOCK;
    log = hb_take_log(world);
    cr_assert(log && strstr(log, "goes on listening"), "log: %s", log ? log : "(none)");
    cr_assert_geq(lo_send(to, "/hillock/spike", "i", 1), 0);
    uint64_t at = 0;
    unsigned notes = 0;
    uint64_t start = run_until_note(&h, &frame, &at, &notes);
    cr_assert_eq(at, start + lat);
    lo_server_free(taken);
    lo_address_free(to);
    hb_free(&h);
}
