#include "midi.h"

#include <string.h>

void
midi_in_reset(midi_in *m)
{
    memset(m, 0, sizeof *m);
    m->changed = 1;
}

static void
release_all_notes(midi_in *m)
{
    memset(m->held, 0, sizeof m->held);
    m->changed = 1;
}

int
midi_in_message(midi_in *m, const uint8_t *msg, uint32_t size)
{
    if (!msg || size < 1)
        return 0;
    uint8_t status = msg[0];
    if (status == 0xFF) { /* System Reset */
        release_all_notes(m);
        m->bend = 0.0f;
        m->mod = 0.0f;
        return 1;
    }
    if (status < 0x80 || status >= 0xF0)
        return 0;
    uint8_t type = status & 0xF0, ch = status & 0x0F;
    uint8_t d1 = size > 1 ? (msg[1] & 0x7F) : 0, d2 = size > 2 ? (msg[2] & 0x7F) : 0;
    switch (type) {
    case 0x90:
        if (size < 3)
            return 0;
        if (m->held[ch][d1] == d2)
            return 0;
        m->held[ch][d1] = d2; /* velocity 0 is a note off */
        m->changed = 1;
        return 1;
    case 0x80:
        if (size < 3 || !m->held[ch][d1])
            return 0;
        m->held[ch][d1] = 0;
        m->changed = 1;
        return 1;
    case 0xE0: {
        if (size < 3)
            return 0;
        int v = ((int)d2 << 7 | d1) - 8192;
        m->bend = (float)v / (v < 0 ? 8192.0f : 8191.0f);
        return 1;
    }
    case 0xB0:
        if (size < 3)
            return 0;
        if (d1 == 1) {
            m->mod = (float)d2 / 127.0f;
            return 1;
        }
        if (d1 == 121) {
            m->bend = 0.0f;
            m->mod = 0.0f;
            return 1;
        }
        if (d1 == 120 || d1 >= 123) {
            release_all_notes(m);
            return 1;
        }
        return 0;
    default:
        return 0;
    }
}

void
midi_in_map(const midi_in *m, const uint8_t *notes, uint32_t n, float *amount)
{
    float by_note[128] = {0};
    uint8_t present[128] = {0};
    for (uint32_t i = 0; i < n; ++i)
        present[notes[i] & 0x7F] = 1;
    int any = 0;
    for (int note = 0; note < 128; ++note) {
        float v = 0.0f;
        for (int ch = 0; ch < 16; ++ch)
            v += (float)m->held[ch][note] / 127.0f;
        if (v == 0.0f || n == 0)
            continue;
        /* the nearest note some neuron plays, the lower one on a tie */
        int target = -1;
        for (int d = 0; d < 128 && target < 0; ++d) {
            if (note - d >= 0 && present[note - d])
                target = note - d;
            else if (note + d < 128 && present[note + d])
                target = note + d;
        }
        if (target >= 0) {
            by_note[target] += v;
            any = 1;
        }
    }
    for (uint32_t i = 0; i < n; ++i)
        amount[i] = any ? by_note[notes[i] & 0x7F] : 0.0f;
}

void
midi_out_reset(midi_out *m)
{
    memset(m, 0, sizeof *m);
    m->next_off = UINT64_MAX;
}

static int
put(engine_midi_event *events, uint32_t capacity, uint32_t *n, uint32_t offset, uint8_t status,
    uint8_t note, uint8_t velocity)
{
    if (!events || *n >= capacity)
        return 0;
    events[(*n)++] = (engine_midi_event){offset, 3, {status, note, velocity}};
    return 1;
}

void
midi_out_release_due(midi_out *m, uint64_t frame, uint32_t offset, engine_midi_event *events,
                     uint32_t capacity, uint32_t *n)
{
    if (m->sounding == 0 || frame < m->next_off)
        return;
    uint64_t next = UINT64_MAX;
    for (int ch = 0; ch < 2; ++ch)
        for (int note = 0; note < 128; ++note) {
            uint64_t off = m->off_frame[ch][note];
            if (!off)
                continue;
            if (off <= frame && put(events, capacity, n, offset, (uint8_t)(0x80 | ch),
                                    (uint8_t)note, 64)) {
                m->off_frame[ch][note] = 0;
                m->sounding--;
                continue;
            }
            /* not yet due, or no room: try again next frame */
            uint64_t when = off <= frame ? frame + 1 : off;
            if (when < next)
                next = when;
        }
    m->next_off = next;
}

void
midi_out_spike(midi_out *m, int inhibitory, uint8_t note, uint8_t velocity, uint64_t off_frame,
               uint32_t offset, engine_midi_event *events, uint32_t capacity, uint32_t *n)
{
    int ch = inhibitory ? 1 : 0;
    note &= 0x7F;
    int retrigger = m->off_frame[ch][note] != 0;
    if (!events || *n + 1u + (uint32_t)retrigger > capacity) {
        m->dropped++;
        return;
    }
    if (retrigger)
        put(events, capacity, n, offset, (uint8_t)(0x80 | ch), note, 64);
    else
        m->sounding++;
    put(events, capacity, n, offset, (uint8_t)(0x90 | ch), note, velocity);
    m->off_frame[ch][note] = off_frame;
    if (off_frame < m->next_off)
        m->next_off = off_frame;
}

void
midi_out_release_all(midi_out *m, uint32_t offset, engine_midi_event *events,
                     uint32_t capacity, uint32_t *n)
{
    for (int ch = 0; ch < 2; ++ch)
        for (int note = 0; note < 128; ++note)
            if (m->off_frame[ch][note] && put(events, capacity, n, offset,
                                              (uint8_t)(0x80 | ch), (uint8_t)note, 64)) {
                m->off_frame[ch][note] = 0;
                m->sounding--;
            }
    /* anything left is due at once: midi_out_release_due sends it as room allows */
    for (int ch = 0; ch < 2; ++ch)
        for (int note = 0; note < 128; ++note)
            if (m->off_frame[ch][note])
                m->off_frame[ch][note] = 1;
    m->next_off = 0;
}

void
midi_in_state(state_io *s, midi_in *m)
{
    state_u8(s, "held notes", &m->held[0][0], sizeof m->held);
    state_f32_finite(s, "pitch bend", &m->bend, 1);
    state_f32_finite(s, "mod wheel", &m->mod, 1);
    state_int(s, "notes changed", &m->changed, 1, 0, 1);
}

void
midi_out_state(state_io *s, midi_out *m)
{
    state_u64(s, "pending note offs", &m->off_frame[0][0], 2 * 128);
    state_u32(s, "notes sounding", &m->sounding, 1);
    state_u64(s, "next note off", &m->next_off, 1);
    state_u64(s, "notes dropped", &m->dropped, 1);
}
