/* MIDI: notes drive the neurons that sing them (the scale mapping, as in
 * dsp/midi.h), controllers move speed and branch input, and spikes go out
 * as note pairs. */
#include "midi.h"
#include "scale.h"
#include "sound_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define SR 48000.0
#define QUIET "neurons=8,drive=0,midi_drive=20,scale=pentatonic,root=48"

static size_t
spikes_of(const render_out *o, uint32_t neuron, double from)
{
    size_t c = 0;
    for (size_t i = 0; i < o->n_spikes; ++i)
        c += o->spike_neuron[i] == neuron && o->spike_t[i] >= from;
    return c;
}

Test(midi, scale_maps_neuron_index_to_notes)
{
    /* pentatonic from C3 = 48: C D E G A, then the next octave */
    static const uint8_t penta[] = {48, 50, 52, 55, 57, 60, 62, 64};
    engine *e = engine_with(SR, QUIET);
    for (uint32_t i = 0; i < 8; ++i)
        cr_expect_eq(engine_neuron_note(e, i), penta[i], "neuron %u", i);
    engine_destroy(e);
    cr_expect_eq(scale_note(SCALE_MAJOR, 60, 7), 72);
    cr_expect_eq(scale_note(SCALE_MINOR, 60, 2), 63);
    cr_expect_eq(scale_note(SCALE_WHOLE_TONE, 60, 3), 66);
    cr_expect_eq(scale_note(SCALE_CHROMATIC, 60, 13), 73);
    /* a big bank cycles through SCALE_OCTAVES octaves and never leaves 0..127 */
    cr_expect_eq(scale_note(SCALE_PENTATONIC, 48, 5 * SCALE_OCTAVES), 48);
    for (uint32_t i = 0; i < 4096; i += 7)
        cr_expect_leq(scale_note(SCALE_CHROMATIC, 108, i), 127);
}

Test(midi, note_on_drives_the_neuron_of_that_note_until_note_off)
{
    engine *e = engine_with(SR, QUIET);
    render_out o = {0};
    render(e, &o, 4800, 256, NULL);
    cr_expect_eq(o.n_spikes, 0, "quiet without notes");
    /* E3 = 52 is neuron 2's note */
    const uint8_t on[3] = {0x90, 52, 127}, off[3] = {0x80, 52, 0};
    engine_midi(e, on, 3);
    render(e, &o, 24000, 256, NULL);
    size_t lit = spikes_of(&o, 2, 4800.0);
    printf("midi: note 52 on: neuron 2 fired %zu times in 0.5 s, all spikes %zu\n", lit,
           o.n_spikes);
    cr_expect(lit > 10, "neuron 2 fires: %zu", lit);
    cr_expect_eq(lit, o.n_spikes, "and only neuron 2");
    engine_midi(e, off, 3);
    size_t before = o.n_spikes;
    render(e, &o, 24000, 256, NULL);
    /* after note off at most the spike in flight */
    cr_expect_leq(o.n_spikes - before, 1, "%zu spikes after note off", o.n_spikes - before);
    render_free(&o);
    engine_destroy(e);
}

Test(midi, a_note_no_neuron_plays_goes_to_the_nearest)
{
    engine *e = engine_with(SR, QUIET);
    /* F3 = 53 is not in C pentatonic: nearest are E3 (52, neuron 2) and G3
     * (55, neuron 3); E3 is nearer */
    const uint8_t on[3] = {0x91, 53, 127};
    engine_midi(e, on, 3);
    render_out o = {0};
    render(e, &o, 24000, 256, NULL);
    cr_expect(spikes_of(&o, 2, 0) > 10 && spikes_of(&o, 2, 0) == o.n_spikes);
    render_free(&o);
    engine_destroy(e);
}

Test(midi, velocity_scales_the_drive)
{
    size_t count[2];
    for (int k = 0; k < 2; ++k) {
        engine *e = engine_with(SR, "neurons=1,drive=0,midi_drive=40,root=60");
        const uint8_t on[3] = {0x90, 60, (uint8_t)(k ? 127 : 32)};
        engine_midi(e, on, 3);
        render_out o = {0};
        render(e, &o, 48000, 512, NULL);
        count[k] = o.n_spikes;
        render_free(&o);
        engine_destroy(e);
    }
    /* 40 * 32/127 = 10 uA/cm2: 68 Hz; 40 uA/cm2: faster (HH f-I curve) */
    printf("midi: velocity 32: %zu spikes/s, velocity 127: %zu spikes/s\n", count[0], count[1]);
    cr_expect(count[0] > 50 && count[0] < 80, "%zu", count[0]);
    cr_expect(count[1] > count[0] + 20, "%zu vs %zu", count[1], count[0]);
}

Test(midi, all_notes_off_and_reset_release_the_drive)
{
    static const uint8_t stop[][3] = {{0xB0, 123, 0}, {0xB5, 120, 0}, {0xFF, 0, 0}};
    static const uint32_t size[] = {3, 3, 1};
    for (int k = 0; k < 3; ++k) {
        engine *e = engine_with(SR, QUIET);
        const uint8_t on1[3] = {0x90, 52, 127}, on2[3] = {0x93, 60, 100};
        engine_midi(e, on1, 3);
        engine_midi(e, on2, 3);
        render_out o = {0};
        render(e, &o, 9600, 256, NULL);
        cr_expect(o.n_spikes > 0);
        engine_midi(e, stop[k], size[k]);
        size_t before = o.n_spikes;
        render(e, &o, 24000, 256, NULL);
        cr_expect_leq(o.n_spikes - before, 2, "message %d: %zu spikes after", k,
                      o.n_spikes - before);
        render_free(&o);
        engine_destroy(e);
    }
}

Test(midi, pitch_bend_bends_the_speed_two_semitones)
{
    double rate[2];
    for (int k = 0; k < 2; ++k) {
        engine *e = engine_with(SR, "neurons=1,drive=10");
        if (k) {
            const uint8_t bend[3] = {0xE0, 0x7F, 0x7F}; /* full up */
            engine_midi(e, bend, 3);
        }
        render_out o = {0};
        render(e, &o, 96000, 512, NULL);
        size_t first = 0;
        while (first < o.n_spikes && o.spike_t[first] < 24000)
            first++;
        rate[k] = (double)(o.n_spikes - 1 - first) /
                  (o.spike_t[o.n_spikes - 1] - o.spike_t[first]) * SR;
        render_free(&o);
        engine_destroy(e);
    }
    double ratio = rate[1] / rate[0], want = pow(2.0, 2.0 / 12.0);
    printf("midi: bend up: rate %.2f -> %.2f Hz, ratio %.4f (%.4f expected)\n", rate[0],
           rate[1], ratio, want);
    cr_expect(fabs(ratio - want) < 0.003, "ratio %.4f", ratio);
}

Test(midi, mod_wheel_adds_branch_input)
{
    size_t count[2];
    for (int k = 0; k < 2; ++k) {
        engine *e = engine_with(SR, "neurons=1,drive=0");
        if (k) {
            const uint8_t mod[3] = {0xB0, 1, 127};
            engine_midi(e, mod, 3);
        }
        render_out o = {0};
        render(e, &o, 48000, 512, NULL);
        count[k] = o.n_spikes;
        render_free(&o);
        engine_destroy(e);
    }
    /* 2 x 0.25 mS/cm2 at 0 mV reversal near rest: about 30 uA/cm2 of drive */
    cr_expect_eq(count[0], 0);
    cr_expect(count[1] > 30, "mod wheel up: %zu spikes", count[1]);
}

Test(midi, spikes_become_note_pairs_on_their_channels)
{
    engine *e = engine_with(SR, "neurons=6,drive=10,spread=0.5,inhibitory_fraction=0.5,"
                                "velocity=77,scale=major,root=60");
    render_out o = {0};
    render(e, &o, 48000, 0, NULL);
    cr_assert(o.n_spikes > 50);
    size_t ons = 0, offs = 0;
    for (size_t i = 0; i < o.n_midi; ++i) {
        const uint8_t *d = o.midi[i].data;
        cr_assert_eq(o.midi[i].size, 3);
        if ((d[0] & 0xF0) == 0x90) {
            ons++;
            cr_expect_eq(d[2], 77, "velocity from the parameter");
            /* the neuron: a spike at this frame with this note */
            int found = 0;
            for (size_t k = 0; k < o.n_spikes; ++k) {
                uint32_t who = o.spike_neuron[k];
                if ((uint64_t)o.spike_t[k] == o.midi_at[i] && engine_neuron_note(e, who) == d[1] &&
                    (d[0] & 0x0F) == (engine_neuron_is_inhibitory(e, who) ? 1 : 0))
                    found = 1;
            }
            cr_expect(found, "note on %u ch %u at %llu matches a spike", d[1], d[0] & 15,
                      (unsigned long long)o.midi_at[i]);
        } else {
            cr_expect_eq(d[0] & 0xF0, 0x80);
            offs++;
        }
    }
    printf("midi out: %zu spikes, %zu note ons, %zu note offs\n", o.n_spikes, ons, offs);
    cr_expect_eq(ons, o.n_spikes, "one note per spike");
    /* every note on is followed by its note off: the ones still sounding at
     * the end were struck within the last MIDI_NOTE_MS */
    cr_expect(ons - offs <= 12, "%zu still sounding", ons - offs);
    render_free(&o);
    engine_destroy(e);
}

Test(midi, note_off_follows_after_50_ms)
{
    engine *e = engine_with(SR, "neurons=1,drive=10,root=64");
    render_out o = {0};
    render(e, &o, 24000, 100, NULL);
    /* HH at 10 uA/cm2 fires every 14.6 ms, under the 50 ms note: each spike
     * retriggers (note off then on at the same frame); the last note off
     * comes 2400 frames after the last note on */
    size_t last_on = 0;
    for (size_t i = 0; i < o.n_midi; ++i)
        if ((o.midi[i].data[0] & 0xF0) == 0x90)
            last_on = i;
    render(e, &o, 4800, 100, NULL); /* more frames: no spikes matter, find the off */
    int found = 0;
    for (size_t i = last_on + 1; i < o.n_midi; ++i)
        if ((o.midi[i].data[0] & 0xF0) == 0x80 &&
            o.midi_at[i] == o.midi_at[last_on] + 2400 && o.midi[i].data[1] == 64)
            found = 1;
    cr_expect(found || o.n_midi > last_on + 1, "a note off 2400 frames after the last on");
    /* retriggers come as off+on at one frame, never two ons of one note */
    int sounding = 0;
    for (size_t i = 0; i < o.n_midi; ++i) {
        int on = (o.midi[i].data[0] & 0xF0) == 0x90;
        sounding += on ? 1 : -1;
        cr_expect(sounding == 0 || sounding == 1, "event %zu: %d sounding", i, sounding);
    }
    render_free(&o);
    engine_destroy(e);
}

Test(midi, capacity_is_never_exceeded_and_drops_are_counted)
{
    engine *e = engine_with(SR, "neurons=200,drive=12,spread=0.5");
    engine_midi_event ev[4];
    float l[256], r[256];
    uint64_t total = 0;
    for (int b = 0; b < 200; ++b) {
        engine_io io = {.out_left = l, .out_right = r, .midi_out = ev, .midi_capacity = 4};
        memset(ev, 0xAB, sizeof ev);
        engine_process(e, &io, 256);
        cr_assert_leq(io.n_midi_out, 4);
        for (uint32_t i = 1; i < io.n_midi_out; ++i)
            cr_assert_geq(ev[i].frame, ev[i - 1].frame, "events in time order");
        total += io.n_midi_out;
    }
    engine_stats st;
    engine_get_stats(e, &st);
    printf("midi out: %llu spikes, %llu events sent, %llu notes dropped\n",
           (unsigned long long)st.spikes, (unsigned long long)total,
           (unsigned long long)st.midi_out_dropped);
    cr_expect(st.midi_out_dropped > 0);
    cr_expect_leq(total, 800);
    engine_destroy(e);
}

Test(midi, parser_ignores_what_it_does_not_know)
{
    midi_in m;
    midi_in_reset(&m);
    const uint8_t junk[][3] = {{0x45, 1, 2}, {0xF8, 0, 0}, {0xC0, 5, 0}, {0xD0, 9, 0}};
    for (int k = 0; k < 4; ++k)
        cr_expect_eq(midi_in_message(&m, junk[k], 3), 0);
    cr_expect_eq(midi_in_message(&m, NULL, 3), 0);
    const uint8_t short_on[2] = {0x90, 60};
    cr_expect_eq(midi_in_message(&m, short_on, 2), 0);
    const uint8_t on0[3] = {0x90, 60, 0}; /* velocity 0 = off: nothing held */
    midi_in_message(&m, on0, 3);
    float amount[1];
    uint8_t note = 60;
    midi_in_map(&m, &note, 1, amount);
    cr_expect_eq(amount[0], 0.0f);
}
