/* spike_midi.c — spikes as notes in a Standard MIDI File (spike_midi.h). */
#include "spike_midi.h"

#include "midi.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct spike_time {
    double t;
    uint32_t neuron;
};

enum { TRACK_TEMPO, TRACK_EXCITATORY, TRACK_INHIBITORY, TRACKS };

static void
name_track(spike_midi *s, uint16_t track, const char *name)
{
    midifile_write_meta(&s->w, track, 0, 0x03, (const uint8_t *)name, (uint32_t)strlen(name));
}

/* The tempo map re-expressed in SPIKE_MIDI_PPQ: each tempo starts at the
 * tick nearest its time. */
static bool
build_tempo_map(spike_midi *s, const midifile *src, double bpm)
{
    size_t n = src && src->ticks_per_quarter && src->n_tempos ? src->n_tempos : 1;
    s->tempos = calloc(n, sizeof *s->tempos);
    if (!s->tempos)
        return false;
    if (!src || !src->ticks_per_quarter || !src->n_tempos) {
        s->tempos[0] = (midifile_tempo){.us_per_quarter = (uint32_t)llround(60e6 / bpm)};
        s->n_tempos = 1;
        return true;
    }
    midifile_tempo *t = s->tempos;
    t[0] = (midifile_tempo){.us_per_quarter = src->tempos[0].us_per_quarter};
    size_t m = 1;
    for (size_t k = 1; k < n; ++k) {
        const midifile_tempo *p = &t[m - 1];
        uint64_t tick = (uint64_t)llround(
            (double)p->tick + (src->tempos[k].time_s - p->time_s) * SPIKE_MIDI_PPQ * 1e6 /
                                  (double)p->us_per_quarter);
        if (tick == p->tick) {
            t[m - 1].us_per_quarter = src->tempos[k].us_per_quarter;
            continue;
        }
        t[m++] = (midifile_tempo){
            .tick = tick,
            .time_s = p->time_s +
                      (double)(tick - p->tick) * (double)p->us_per_quarter * 1e-6 / SPIKE_MIDI_PPQ,
            .us_per_quarter = src->tempos[k].us_per_quarter,
        };
    }
    s->n_tempos = m;
    return true;
}

bool
spike_midi_open(spike_midi *s, const midifile *tempo_source, double bpm, char *err,
                size_t err_len)
{
    memset(s, 0, sizeof *s);
    for (int c = 0; c < 2; ++c)
        for (int k = 0; k < 128; ++k)
            s->pending_off[c][k] = -1.0;
    if (!build_tempo_map(s, tempo_source, bpm)) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    if (!midifile_writer_open(&s->w, 1, TRACKS, SPIKE_MIDI_PPQ, err, err_len)) {
        spike_midi_close(s);
        return false;
    }
    name_track(s, TRACK_TEMPO, "hillock");
    for (size_t k = 0; k < s->n_tempos; ++k)
        midifile_write_tempo(&s->w, TRACK_TEMPO, s->tempos[k].tick, s->tempos[k].us_per_quarter);
    name_track(s, TRACK_EXCITATORY, "excitatory");
    name_track(s, TRACK_INHIBITORY, "inhibitory");
    return true;
}

static uint64_t
tick_of(const spike_midi *s, double t)
{
    return (uint64_t)llround(midifile_s_to_tick(s->tempos, s->n_tempos, SPIKE_MIDI_PPQ, t));
}

/* A note on, or (velocity 0) its note off with release velocity 64, as the
 * live output sends them (dsp/midi.c). */
static void
note(spike_midi *s, int channel, uint8_t key, uint8_t velocity, double t)
{
    uint8_t msg[3] = {(uint8_t)((velocity ? 0x90 : 0x80) | channel), key, velocity ? velocity : 64};
    midifile_write_message(&s->w, (uint16_t)(TRACK_EXCITATORY + channel), tick_of(s, t), msg, 3);
}

/* Every pending note off up to time t, in time order. Notes last equally
 * long, so they end in the order they started: a queue. An entry whose
 * note was retriggered since is stale and skipped. */
static void
flush_offs(spike_midi *s, double t)
{
    while (s->off_count && s->offs[s->off_head].off_s <= t) {
        spike_midi_off o = s->offs[s->off_head];
        s->off_head = (s->off_head + 1) % s->off_cap;
        s->off_count--;
        if (s->pending_off[o.channel][o.note] == o.off_s) {
            note(s, o.channel, o.note, 0, o.off_s);
            s->pending_off[o.channel][o.note] = -1.0;
        }
    }
}

static bool
push_off(spike_midi *s, spike_midi_off o)
{
    if (s->off_count == s->off_cap) {
        size_t cap = s->off_cap ? 2 * s->off_cap : 1024;
        spike_midi_off *q = malloc(cap * sizeof *q);
        if (!q)
            return false;
        for (size_t i = 0; i < s->off_count; ++i)
            q[i] = s->offs[(s->off_head + i) % s->off_cap];
        free(s->offs);
        s->offs = q;
        s->off_head = 0;
        s->off_cap = cap;
    }
    s->offs[(s->off_head + s->off_count++) % s->off_cap] = o;
    return true;
}

static int
spike_time_cmp(const void *x, const void *y)
{
    const struct spike_time *a = x, *b = y;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return (a->neuron > b->neuron) - (a->neuron < b->neuron);
}

bool
spike_midi_block(spike_midi *s, const engine *e, const engine_io *io, uint64_t frame0,
                 uint64_t end, double rate, char *err, size_t err_len)
{
    if (io->n_spikes > s->sorted_cap) {
        free(s->sorted);
        s->sorted_cap = io->n_spikes;
        s->sorted = malloc(s->sorted_cap * sizeof *s->sorted);
        if (!s->sorted) {
            s->sorted_cap = 0;
            snprintf(err, err_len, "out of memory");
            return false;
        }
    }
    uint32_t n = 0;
    for (uint32_t k = 0; k < io->n_spikes; ++k)
        if (frame0 + io->spikes[k].offset < end)
            s->sorted[n++] = (struct spike_time){
                ((double)(frame0 + io->spikes[k].offset) + (double)io->spikes[k].frac) / rate,
                io->spikes[k].neuron};
    if (n > 1)
        qsort(s->sorted, n, sizeof *s->sorted, spike_time_cmp);
    const uint8_t velocity = (uint8_t)engine_get_param(e, P_VELOCITY);
    for (uint32_t k = 0; k < n; ++k) {
        const double t = s->sorted[k].t;
        const uint32_t who = s->sorted[k].neuron;
        const int channel = engine_neuron_is_inhibitory(e, who);
        const uint8_t key = engine_neuron_note(e, who);
        flush_offs(s, t);
        if (s->pending_off[channel][key] >= 0.0) /* retrigger: end it, start again */
            note(s, channel, key, 0, t);
        note(s, channel, key, velocity, t);
        s->pending_off[channel][key] = t + MIDI_NOTE_MS * 1e-3;
        if (!push_off(s, (spike_midi_off){t + MIDI_NOTE_MS * 1e-3, (uint8_t)channel, key})) {
            snprintf(err, err_len, "out of memory");
            return false;
        }
        s->notes++;
    }
    return true;
}

bool
spike_midi_finish(spike_midi *s, FILE *out, char *err, size_t err_len)
{
    flush_offs(s, INFINITY);
    return midifile_writer_finish(&s->w, out, err, err_len);
}

void
spike_midi_close(spike_midi *s)
{
    midifile_writer_close(&s->w);
    free(s->tempos);
    free(s->offs);
    free(s->sorted);
    memset(s, 0, sizeof *s);
}
