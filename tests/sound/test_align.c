/* The outputs beside the audio line up with it (engine_io.aligned, dsp/align.h):
 * one spike's click, its MIDI note, its CV gate and its entry in the spike
 * list start on the same frame; offline (not aligned) the audio is
 * engine_latency() frames behind the spike, which render trims. */
#include "sound_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define SR 48000.0
#define N 16384u
#define KICK 4800u

typedef struct {
    float l[N], gate[N], focus_v[N];
    double spike_at; /* frame + frac of the one spike, or -1 */
    long note_on;    /* frame of the first note on, or -1 */
    uint32_t latency;
} one_spike;

/* HH at rest kicked by a 1 ms current pulse (stimulus input): one spike,
 * heard as a click only (membrane voice off). */
static void
kick(one_spike *o, int aligned, unsigned block)
{
    engine *e = engine_with(SR, "neurons=1,drive=0,noise=0,listen=focus,membrane_level=-60,"
                                "spike_level=0,spike_sound=click");
    float *stim = calloc(N, sizeof(float)), r[N];
    for (uint32_t i = KICK; i < KICK + 48; ++i)
        stim[i] = 1.0f;
    engine_spike spikes[64];
    engine_midi_event midi[64];
    o->spike_at = -1;
    o->note_on = -1;
    for (uint32_t done = 0; done < N; done += block) {
        uint32_t n = N - done < block ? N - done : block;
        engine_io io = {.aligned = aligned, .stimulus = stim + done, .out_left = o->l + done,
                        .out_right = r + done, .cv_gate = o->gate + done,
                        .cv_focus_v = o->focus_v + done, .spikes = spikes, .spike_capacity = 64,
                        .midi_out = midi, .midi_capacity = 64};
        engine_process(e, &io, n);
        o->latency = io.latency_frames;
        for (uint32_t k = 0; k < io.n_spikes; ++k)
            if (o->spike_at < 0)
                o->spike_at = done + spikes[k].offset + (double)spikes[k].frac;
        for (uint32_t k = 0; k < io.n_midi_out; ++k)
            if ((midi[k].data[0] & 0xf0) == 0x90 && o->note_on < 0)
                o->note_on = (long)(done + midi[k].frame);
    }
    free(stim);
    engine_destroy(e);
}

/* first frame at which |x| reaches a tenth of its peak */
static long
onset(const float *x, size_t n)
{
    float peak = max_abs(x, n);
    for (size_t i = 0; i < n; ++i)
        if (fabsf(x[i]) >= 0.1f * peak)
            return (long)i;
    return -1;
}

static long
first_high(const float *x, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        if (x[i] > 0.5f)
            return (long)i;
    return -1;
}

/* The click is a resonator struck at the spike's time at zero phase behind a
 * band-limited impulse: a tenth of its peak comes within 2 frames of it. */
Test(align, a_spike_starts_on_the_same_frame_in_every_output)
{
    static one_spike o;
    kick(&o, 1, 256);
    cr_assert(o.spike_at > KICK && o.spike_at < KICK + 2000, "spike at %.2f", o.spike_at);
    long at = (long)floor(o.spike_at), sound = onset(o.l, N), gate = first_high(o.gate, N);
    printf("align: spike listed at %.2f, note on %ld, gate %ld, click %ld (latency %u)\n",
           o.spike_at, o.note_on, gate, sound, o.latency);
    cr_expect_eq(o.note_on, at, "note on at %ld, spike at %ld", o.note_on, at);
    cr_expect_eq(gate, at, "gate at %ld, spike at %ld", gate, at);
    cr_expect(sound >= at - 1 && sound <= at + 2, "click at %ld, spike at %ld", sound, at);
}

/* Not aligned (offline), the outputs are at the model's time: the same
 * spike engine_latency() frames earlier than aligned, the audio not moved,
 * the CV output the aligned one moved back by the latency. Any block size. */
Test(align, offline_outputs_are_the_aligned_ones_moved_back_by_the_latency)
{
    static one_spike a, o;
    kick(&a, 1, 256);
    kick(&o, 0, 77);
    cr_assert_gt(a.latency, 0u);
    cr_expect_float_eq(a.spike_at - o.spike_at, (double)a.latency, 1e-6, "spike %.3f vs %.3f",
                       a.spike_at, o.spike_at);
    cr_expect_eq(a.note_on - o.note_on, (long)a.latency);
    for (uint32_t i = 0; i < N; ++i)
        cr_assert(a.l[i] == o.l[i], "audio frame %u", i);
    for (uint32_t i = a.latency; i < N; ++i)
        cr_assert(a.focus_v[i] == o.focus_v[i - a.latency] && a.gate[i] == o.gate[i - a.latency],
                  "CV frame %u", i);
    /* before the latency, the aligned CV holds the first value (rest) */
    for (uint32_t i = 0; i < a.latency; ++i)
        cr_assert(a.focus_v[i] == o.focus_v[0], "CV frame %u before the latency", i);
}
