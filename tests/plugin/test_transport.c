/* test_transport — tempo_sync through the plugin: the host's time:Position
 * in the atom input sets the beat grid, and the spikes' MIDI notes (which
 * leave the plugin with the audio, as late as its latency) land on it.
 *
 * Reference: the grid. At 120 quarter notes per minute a quarter lasts
 * 24000 frames at 48 kHz from the position the host gave (LV2 time:
 * bar, barBeat, beatUnit, beatsPerBar, beatsPerMinute, speed); at 6/8 with
 * 240 eighths per minute it is the same grid. The requirement: Pinsky-
 * Rinzel bursts within 5 ms of the quarter notes after two bars. A burst's onset is its first note (its doublet's notes are ms
 * apart, bursts about 0.5 s). */
#include "host.h"
#include "rt_trap.h"

#include <criterion/criterion.h>
#include <lv2/atom/util.h>
#include <lv2/midi/midi.h>

#include <math.h>

#define RATE 48000.0
#define BLOCK 256u
/* The requirement is 5 ms (240 frames); locked, the loop holds the bursts
 * far closer, and a MIDI note sits on a whole frame: 2 frames, so that a
 * grid not shifted by the plugin's latency (the notes leave with the audio,
 * engine_latency() frames after the model's spike) fails too. */
#define TOLERANCE_FRAMES 2.0

HB_WORLD_SUITE(transport, 120);

/* Burst onsets, in output frames: note ons after a silence of 1/8 s. */
typedef struct {
    double onset[64];
    unsigned n;
    double last_note;
} onsets;

static void
collect(hb_instance *h, uint64_t block_start, onsets *o)
{
    LV2_URID_Map *map = hb_map(world);
    LV2_URID midi_type = map->map(map->handle, LV2_MIDI__MidiEvent);
    LV2_ATOM_SEQUENCE_FOREACH ((const LV2_Atom_Sequence *)h->atom_out, ev) {
        const uint8_t *m = LV2_ATOM_BODY_CONST(&ev->body);
        if (ev->body.type != midi_type || (m[0] & 0xf0) != 0x90 || m[2] == 0)
            continue;
        double at = (double)block_start + (double)ev->time.frames;
        if ((o->n == 0 || at - o->last_note > RATE / 8.0) && o->n < 64)
            o->onset[o->n++] = at;
        o->last_note = at;
    }
}

/* Runs `blocks` blocks; the first carries a Position when given. */
static void
run_blocks(hb_instance *h, uint64_t *frame, unsigned blocks, onsets *o, const float *position)
{
    for (unsigned b = 0; b < blocks; ++b) {
        if (b == 0 && position)
            hb_send_position(h, (int64_t)position[0], position[1], (int32_t)position[2],
                             position[3], position[4], position[5]);
        else
            hb_prepare_events(h, NULL, NULL, 0);
        rt_trap_arm();
        lilv_instance_run(h->inst, BLOCK);
        cr_assert_eq(rt_trap_disarm(), 0, "run() called %s", rt_trap_last());
        collect(h, *frame, o);
        *frame += BLOCK;
    }
}

/* h in place: the plugin's control ports point into it */
static void
pinsky_rinzel_synced(hb_instance *h)
{
    cr_assert(hb_instantiate(h, world, false, RATE));
    h->controls[P_MODEL] = MODEL_PINSKY_RINZEL;
    h->controls[P_NEURONS] = 1.0f;
    h->controls[P_TEMPO_SYNC] = TEMPO_SYNC_ON;
    lilv_instance_activate(h->inst);
}

static double
grid_error(double frame, double quarter_frames, double origin)
{
    double k = round((frame - origin) / quarter_frames);
    return frame - origin - k * quarter_frames;
}

static void
check_locked(const onsets *o, double from, double quarter_frames, double origin,
             const char *what)
{
    unsigned checked = 0;
    for (unsigned i = 0; i < o->n; ++i) {
        if (o->onset[i] < from)
            continue;
        double err = grid_error(o->onset[i], quarter_frames, origin);
        cr_expect_leq(fabs(err), TOLERANCE_FRAMES, "%s: burst at frame %.0f is %.1f frames off",
                      what, o->onset[i], err);
        checked++;
    }
    cr_assert_geq(checked, 3u, "%s: %u bursts to check", what, checked);
}

Test(transport, time_position_locks_bursts_to_the_hosts_quarter_notes)
{
    hb_instance h;
    pinsky_rinzel_synced(&h);
    onsets o = {.n = 0};
    uint64_t frame = 0;
    /* bar 0, beat 0, 4/4, 120 BPM, rolling: 6 s */
    const float position[6] = {0, 0, 4, 4, 120, 1};
    run_blocks(&h, &frame, (unsigned)(6.0 * RATE / BLOCK), &o, position);
    check_locked(&o, 8 * 24000.0 - TOLERANCE_FRAMES, 24000.0, 0.0, "120 BPM from bar 0");
    hb_free(&h);
}

Test(transport, a_located_transport_in_six_eight_is_followed)
{
    hb_instance h;
    pinsky_rinzel_synced(&h);
    onsets o = {.n = 0};
    uint64_t frame = 0;
    /* bar 3, eighth 1.5 of 6, 240 eighths per minute: quarter 3 * 3 + 0.75
     * at frame 0, so quarter lines fall 0.25 quarters (6000 frames) on */
    const float position[6] = {3, 1.5f, 8, 6, 240, 1};
    run_blocks(&h, &frame, (unsigned)(6.0 * RATE / BLOCK), &o, position);
    check_locked(&o, 4.0 * RATE, 24000.0, 6000.0, "6/8 located");
    hb_free(&h);
}

Test(transport, a_stopped_transport_keeps_the_locked_tempo)
{
    hb_instance h;
    pinsky_rinzel_synced(&h);
    onsets o = {.n = 0};
    uint64_t frame = 0;
    /* locked to 180 BPM for 5 s, then stopped for 2 s */
    const float rolling[6] = {0, 0, 4, 4, 180, 1}, stopped[6] = {4, 0, 4, 4, 180, 0};
    run_blocks(&h, &frame, (unsigned)(5.0 * RATE / BLOCK), &o, rolling);
    unsigned before = o.n;
    run_blocks(&h, &frame, (unsigned)(2.0 * RATE / BLOCK), &o, stopped);
    cr_assert_geq(o.n - before, 4u, "bursts go on while stopped");
    for (unsigned i = before; i + 1 < o.n; ++i)
        cr_expect_leq(fabs(o.onset[i + 1] - o.onset[i] - 16000.0), 0.01 * 16000.0,
                      "stopped: burst interval %.0f frames, the locked 180 BPM has 16000",
                      o.onset[i + 1] - o.onset[i]);
    hb_free(&h);
}
