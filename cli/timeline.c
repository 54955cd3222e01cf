/* timeline.c — cut each block at the frames where events are due
 * (timeline.h). */
#include "timeline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool
timeline_init(timeline *t, const midifile *midi, automation *automation, double rate,
              double bpm)
{
    memset(t, 0, sizeof *t);
    t->midi = midi;
    t->automation = automation;
    t->rate = rate;
    t->bpm = bpm;
    t->tempo_map = midi && midi->ticks_per_quarter && midi->n_tempos;
    if (midi && midi->n_events) {
        t->midi_frame = malloc(midi->n_events * sizeof *t->midi_frame);
        if (!t->midi_frame)
            return false;
        for (size_t i = 0; i < midi->n_events; ++i)
            t->midi_frame[i] = (uint64_t)llround(midi->events[i].time_s * rate);
    }
    return true;
}

void
timeline_free(timeline *t)
{
    free(t->midi_frame);
    memset(t, 0, sizeof *t);
}

/* Give the engine every MIDI event due at frame `now`; returns the frames
 * from now to the next event (UINT64_MAX if none). */
static uint64_t
play_midi_due(timeline *t, engine *e, uint64_t now)
{
    if (!t->midi)
        return UINT64_MAX;
    while (t->next_midi < t->midi->n_events && t->midi_frame[t->next_midi] <= now) {
        const midifile_event *ev = &t->midi->events[t->next_midi++];
        engine_midi(e, ev->data, ev->size);
    }
    return t->next_midi < t->midi->n_events ? t->midi_frame[t->next_midi] - now : UINT64_MAX;
}

/* The beat grid at frame `now`: the render's start and each of the tempo
 * map's changes; returns the frames to the next change (UINT64_MAX if none). */
static uint64_t
play_tempo_due(timeline *t, engine *e, uint64_t now)
{
    if (!t->tempo_map) {
        if (now == 0 && t->next_tempo == 0) {
            engine_set_transport(e, 0.0, t->bpm, 1.0);
            t->next_tempo = 1;
        }
        return UINT64_MAX;
    }
    const midifile *m = t->midi;
    size_t k = t->next_tempo;
    while (k < m->n_tempos && (uint64_t)llround(m->tempos[k].time_s * t->rate) <= now)
        ++k;
    if (k != t->next_tempo) {
        const midifile_tempo *in = &m->tempos[k - 1];
        double bpm = 60e6 / (double)in->us_per_quarter;
        double quarter = (double)in->tick / m->ticks_per_quarter +
                         ((double)now / t->rate - in->time_s) * bpm / 60.0;
        engine_set_transport(e, quarter, bpm, 1.0);
        t->next_tempo = k;
    }
    return k < m->n_tempos ? (uint64_t)llround(m->tempos[k].time_s * t->rate) - now : UINT64_MAX;
}

/* Set every automated parameter to its value at frame `now`; returns the
 * frames for which those values hold (at least 1). */
static uint64_t
play_automation(timeline *t, engine *e, uint64_t now)
{
    if (!t->automation)
        return UINT64_MAX;
    automation *a = t->automation;
    for (uint32_t k = 0; k < automation_lanes(a); ++k)
        engine_set_param(e, automation_lane_param(a, k), automation_value(a, k, now));
    return automation_steady_frames(a, now);
}

static float *
advance(float *p, uint32_t by)
{
    return p ? p + by : NULL;
}

void
timeline_process(timeline *t, engine *e, engine_io *io, uint32_t n, uint64_t frame0)
{
    uint32_t done = 0, spikes = 0, lost = 0;
    engine_io piece = *io;
    while (done < n) {
        const uint64_t now = frame0 + done;
        uint64_t len = n - done;
        uint64_t next = play_midi_due(t, e, now);
        if (next < len)
            len = next;
        next = play_tempo_due(t, e, now);
        if (next < len)
            len = next;
        next = play_automation(t, e, now);
        if (next < len)
            len = next;
        if (done == 0 && len == n) { /* nothing due inside the block: one call */
            engine_process(e, io, n);
            return;
        }
        piece.stimulus = io->stimulus ? io->stimulus + done : NULL;
        piece.cv_in = io->cv_in ? io->cv_in + done : NULL;
        piece.out_left = advance(io->out_left, done);
        piece.out_right = advance(io->out_right, done);
        piece.cv_focus_v = advance(io->cv_focus_v, done);
        piece.cv_dend_v = advance(io->cv_dend_v, done);
        piece.cv_gate = advance(io->cv_gate, done);
        piece.cv_rate = advance(io->cv_rate, done);
        piece.trace_soma = advance(io->trace_soma, done);
        piece.trace_slow = advance(io->trace_slow, done);
        piece.spikes = io->spikes ? io->spikes + spikes : NULL;
        piece.spike_capacity = io->spikes ? io->spike_capacity - spikes : 0;
        piece.midi_out = NULL; /* the renderer writes no live MIDI */
        piece.midi_capacity = 0;
        engine_process(e, &piece, (uint32_t)len);
        const bool cut_short = piece.n_done < (uint32_t)len; /* the stop query */
        for (uint32_t k = 0; k < piece.n_spikes; ++k) {
            engine_spike *s = &piece.spikes[k];
            s->offset += done;
            s->frame = (float)s->offset + s->frac;
        }
        spikes += piece.n_spikes;
        lost += piece.spikes_lost;
        done += cut_short ? piece.n_done : (uint32_t)len;
        if (cut_short)
            break;
    }
    io->n_done = done;
    io->n_spikes = spikes;
    io->spikes_lost = lost;
    io->n_midi_out = 0;
    io->latency_frames = piece.latency_frames;
    io->guard_load = piece.guard_load;
    io->guard_active = piece.guard_active;
    io->display = piece.display;
}

void
timeline_seek(timeline *t, uint64_t frame)
{
    if (t->midi)
        while (t->next_midi < t->midi->n_events && t->midi_frame[t->next_midi] < frame)
            t->next_midi++;
    if (!t->tempo_map) {
        t->next_tempo = frame > 0 ? 1u : 0u;
        return;
    }
    const midifile *m = t->midi;
    while (t->next_tempo < m->n_tempos &&
           (uint64_t)llround(m->tempos[t->next_tempo].time_s * t->rate) < frame)
        t->next_tempo++;
}
