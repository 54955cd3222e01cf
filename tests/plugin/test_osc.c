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

#define RATE 48000.0
#define BLOCK 512u
#define MAX_EVENTS 4096

static hb_world *world;

static void
setup(void)
{
    world = hb_world_new();
}

static void
teardown(void)
{
    hb_world_free(world);
}

TestSuite(osc, .init = setup, .fini = teardown, .timeout = 120);

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
        h->unit[h->n] = argv[0]->i;
        h->time[h->n++] = argv[1]->d;
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
