/* reader.c — parse a Standard MIDI File (midifile.h) from memory: chunks,
 * track events with running status, the tempo map, and every channel
 * message merged from all tracks in time order.
 *
 * Every length read from the file is checked against what remains before it
 * is used, so a truncated or lying file ends in an error message, never in
 * a read past the buffer.
 */
#include "midifile.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    midifile_event *events;
    size_t n_events, cap_events;
    midifile_tempo *tempos; /* as found; time_s filled later */
    size_t n_tempos, cap_tempos;
    char *err;
    size_t err_len;
} parse_state;

static bool
fail(parse_state *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, s->err_len, fmt, ap);
    va_end(ap);
    return false;
}

static uint32_t
be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t
be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static bool
grow(void **array, size_t *cap, size_t need, size_t item)
{
    if (need <= *cap)
        return true;
    size_t cap2 = *cap ? *cap * 2 : 256;
    while (cap2 < need)
        cap2 *= 2;
    void *p = realloc(*array, cap2 * item);
    if (!p)
        return false;
    *array = p;
    *cap = cap2;
    return true;
}

/* A variable-length quantity: at most four bytes of seven bits (the
 * specification's limit, 0x0FFFFFFF). */
static bool
read_vlq(parse_state *s, const uint8_t *p, size_t end, size_t *pos, uint32_t *out, int track,
         size_t base)
{
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
        if (*pos >= end)
            return fail(s, "track %d, byte %zu: the event runs past the end of its chunk", track,
                        base + *pos);
        uint8_t b = p[(*pos)++];
        v = v << 7 | (b & 0x7Fu);
        if (!(b & 0x80u)) {
            *out = v;
            return true;
        }
    }
    return fail(s, "track %d, byte %zu: a variable-length number longer than 4 bytes", track,
                base + *pos - 1);
}

/* Bytes a channel message carries after its status. */
static int
data_bytes(uint8_t status)
{
    switch (status & 0xF0u) {
    case 0xC0:
    case 0xD0: return 1;
    default: return 2;
    }
}

/* One MTrk chunk's body: body[0..len), at byte `base` of the file. */
static bool
parse_track(parse_state *s, const uint8_t *body, size_t len, size_t base, int track,
            uint64_t *end_tick)
{
    size_t pos = 0;
    uint64_t tick = 0;
    uint8_t running = 0;
    while (pos < len) {
        uint32_t delta = 0;
        if (!read_vlq(s, body, len, &pos, &delta, track, base))
            return false;
        tick += delta;
        if (pos >= len)
            return fail(s, "track %d, byte %zu: the event runs past the end of its chunk", track,
                        base + pos);
        size_t at = pos;
        uint8_t status = body[pos];
        if (status & 0x80u) {
            pos++;
        } else {
            if (!running)
                return fail(s,
                            "track %d, byte %zu: data byte 0x%02X with no status before it "
                            "(running status without a status)",
                            track, base + at, status);
            status = running;
        }
        if (status < 0xF0u) {
            int n = data_bytes(status);
            if (len - pos < (size_t)n)
                return fail(s, "track %d, byte %zu: the event runs past the end of its chunk",
                            track, base + at);
            uint8_t msg[3] = {status, 0, 0};
            for (int k = 0; k < n; ++k) {
                msg[1 + k] = body[pos + (size_t)k];
                if (msg[1 + k] & 0x80u)
                    return fail(s,
                                "track %d, byte %zu: byte 0x%02X where a data value 0-127 "
                                "belongs",
                                track, base + pos + (size_t)k, msg[1 + k]);
            }
            pos += (size_t)n;
            running = status;
            if (!grow((void **)&s->events, &s->cap_events, s->n_events + 1, sizeof *s->events))
                return fail(s, "out of memory");
            midifile_event *e = &s->events[s->n_events++];
            *e = (midifile_event){.tick = tick, .track = (uint16_t)track, .size = (uint8_t)(1 + n)};
            memcpy(e->data, msg, sizeof msg);
        } else if (status == 0xF0u || status == 0xF7u) {
            /* system exclusive (or an escape): skipped; it cancels running status */
            uint32_t n = 0;
            if (!read_vlq(s, body, len, &pos, &n, track, base))
                return false;
            if (len - pos < n)
                return fail(s,
                            "track %d, byte %zu: a system exclusive message of %u bytes runs "
                            "past the end of its chunk",
                            track, base + at, n);
            pos += n;
            running = 0;
        } else if (status == 0xFFu) {
            if (pos >= len)
                return fail(s, "track %d, byte %zu: the event runs past the end of its chunk",
                            track, base + at);
            uint8_t type = body[pos++];
            uint32_t n = 0;
            if (!read_vlq(s, body, len, &pos, &n, track, base))
                return false;
            if (len - pos < n)
                return fail(s,
                            "track %d, byte %zu: a meta event of %u bytes runs past the end of "
                            "its chunk",
                            track, base + at, n);
            running = 0;
            if (type == 0x2Fu) { /* End of Track: anything after it is not part of the track */
                *end_tick = tick;
                return true;
            }
            if (type == 0x51u) {
                if (n != 3)
                    return fail(s, "track %d, byte %zu: Set Tempo with %u data bytes (3 expected)",
                                track, base + at, n);
                uint32_t us = (uint32_t)body[pos] << 16 | (uint32_t)body[pos + 1] << 8 |
                              body[pos + 2];
                if (us == 0)
                    return fail(s, "track %d, byte %zu: Set Tempo of 0 microseconds per quarter",
                                track, base + at);
                if (!grow((void **)&s->tempos, &s->cap_tempos, s->n_tempos + 1,
                          sizeof *s->tempos))
                    return fail(s, "out of memory");
                s->tempos[s->n_tempos++] = (midifile_tempo){.tick = tick, .us_per_quarter = us};
            }
            pos += n;
        } else {
            return fail(s,
                        "track %d, byte %zu: status 0x%02X (a real-time or system common "
                        "message) has no place in a file",
                        track, base + at, status);
        }
    }
    *end_tick = tick; /* no End of Track: accepted, the chunk ends at an event boundary */
    return true;
}

/* Stable merge sort by tick: ties keep the order the tracks were read in. */
static bool
sort_events(midifile_event *a, size_t n)
{
    if (n < 2)
        return true;
    midifile_event *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return false;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = a[j].tick < a[i].tick ? a[j++] : a[i++];
            while (i < mid)
                tmp[k++] = a[i++];
            while (j < hi)
                tmp[k++] = a[j++];
        }
        memcpy(a, tmp, n * sizeof *a);
    }
    free(tmp);
    return true;
}

static int
tempo_cmp(const void *x, const void *y)
{
    const midifile_tempo *a = x, *b = y;
    if (a->tick != b->tick)
        return a->tick < b->tick ? -1 : 1;
    /* the same tick: file order (kept in time_s, see build_tempo_map) */
    return a->time_s < b->time_s ? -1 : a->time_s > b->time_s;
}

/* Sort the tempo events, keep the last of several at one tick, start the
 * map at tick 0 and give every entry its time. */
static bool
build_tempo_map(parse_state *s, uint16_t tpq)
{
    for (size_t i = 0; i < s->n_tempos; ++i)
        s->tempos[i].time_s = (double)i; /* file order, for a stable sort */
    if (s->n_tempos > 1)
        qsort(s->tempos, s->n_tempos, sizeof *s->tempos, tempo_cmp);
    if (!grow((void **)&s->tempos, &s->cap_tempos, s->n_tempos + 1, sizeof *s->tempos))
        return fail(s, "out of memory");
    size_t n = 0;
    midifile_tempo *t = s->tempos;
    if (s->n_tempos == 0 || t[0].tick != 0) {
        memmove(t + 1, t, s->n_tempos * sizeof *t);
        t[0] = (midifile_tempo){.tick = 0, .us_per_quarter = MIDIFILE_DEFAULT_TEMPO_US};
        s->n_tempos++;
    }
    for (size_t i = 0; i < s->n_tempos; ++i) {
        if (n > 0 && t[n - 1].tick == t[i].tick)
            t[n - 1] = t[i];
        else
            t[n++] = t[i];
    }
    s->n_tempos = n;
    t[0].time_s = 0.0;
    for (size_t i = 1; i < n; ++i)
        t[i].time_s = t[i - 1].time_s + (double)(t[i].tick - t[i - 1].tick) *
                                            (double)t[i - 1].us_per_quarter * 1e-6 / (double)tpq;
    return true;
}

double
midifile_tick_to_s(const midifile_tempo *tempos, size_t n, uint16_t tpq, uint64_t tick)
{
    size_t k = 0;
    while (k + 1 < n && tempos[k + 1].tick <= tick)
        ++k;
    return tempos[k].time_s +
           (double)(tick - tempos[k].tick) * (double)tempos[k].us_per_quarter * 1e-6 / (double)tpq;
}

double
midifile_s_to_tick(const midifile_tempo *tempos, size_t n, uint16_t tpq, double time_s)
{
    size_t k = 0;
    while (k + 1 < n && tempos[k + 1].time_s <= time_s)
        ++k;
    return (double)tempos[k].tick +
           (time_s - tempos[k].time_s) * (double)tpq * 1e6 / (double)tempos[k].us_per_quarter;
}

/* The header's division: ticks per quarter, or SMPTE frames x ticks. */
static bool
read_division(parse_state *s, uint16_t division, midifile *m)
{
    if (division & 0x8000u) {
        int fps = -(int8_t)(division >> 8);
        int ticks = division & 0xFF;
        double rate = fps == 29 ? 30000.0 / 1001.0 : (double)fps;
        if ((fps != 24 && fps != 25 && fps != 29 && fps != 30) || ticks == 0)
            return fail(s, "header: SMPTE division of %d frames per second and %d ticks per frame "
                           "(24, 25, 29 or 30 frames and at least one tick expected)",
                        fps, ticks);
        m->smpte_tick_s = 1.0 / (rate * ticks);
    } else {
        if (division == 0)
            return fail(s, "header: a division of 0 ticks per quarter note");
        m->ticks_per_quarter = division;
    }
    return true;
}

bool
midifile_parse(const uint8_t *data, size_t size, midifile *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    parse_state s = {.err = err, .err_len = err_len};
    midifile m = {0};
    bool ok = false;
    if (size < 8 || memcmp(data, "MThd", 4) != 0) {
        fail(&s, "not a Standard MIDI File (it does not start with an MThd header)");
        goto done;
    }
    uint32_t hlen = be32(data + 4);
    if (hlen < 6 || hlen > size - 8) {
        fail(&s, "header: length %u (6 expected, %zu bytes in the file)", hlen, size);
        goto done;
    }
    int format = be16(data + 8);
    uint16_t ntrks = be16(data + 10);
    if (format == 2) {
        fail(&s, "header: format 2 (independent sequences) is not supported; formats 0 and 1 are");
        goto done;
    }
    if (format > 2) {
        fail(&s, "header: unknown format %d (0 and 1 are read)", format);
        goto done;
    }
    if (ntrks == 0 || (format == 0 && ntrks != 1)) {
        fail(&s, "header: format %d with %u tracks", format, ntrks);
        goto done;
    }
    m.format = format;
    if (!read_division(&s, be16(data + 12), &m))
        goto done;

    size_t pos = 8 + (size_t)hlen;
    int track = 0;
    uint64_t end_tick = 0;
    while (pos < size && track < ntrks) {
        if (size - pos < 8) {
            fail(&s, "byte %zu: a chunk header cut short (%zu bytes left)", pos, size - pos);
            goto done;
        }
        uint32_t clen = be32(data + pos + 4);
        if (clen > size - pos - 8) {
            fail(&s, "byte %zu: a '%.4s' chunk of %u bytes, but only %zu remain (truncated file)",
                 pos, (const char *)(data + pos), clen, size - pos - 8);
            goto done;
        }
        if (memcmp(data + pos, "MTrk", 4) == 0) {
            uint64_t t_end = 0;
            if (!parse_track(&s, data + pos + 8, clen, pos + 8, track, &t_end))
                goto done;
            if (t_end > end_tick)
                end_tick = t_end;
            ++track;
        } /* other chunk types are skipped, as the specification asks */
        pos += 8 + (size_t)clen;
    }
    if (track < ntrks) {
        fail(&s, "the header lists %u tracks, the file holds %d (truncated file)", ntrks, track);
        goto done;
    }
    m.tracks = ntrks;

    if (!sort_events(s.events, s.n_events)) {
        fail(&s, "out of memory");
        goto done;
    }
    if (m.smpte_tick_s > 0.0) {
        s.n_tempos = 0; /* an SMPTE time base has no tempo */
        for (size_t i = 0; i < s.n_events; ++i)
            s.events[i].time_s = (double)s.events[i].tick * m.smpte_tick_s;
        m.end_s = (double)end_tick * m.smpte_tick_s;
    } else {
        if (!build_tempo_map(&s, m.ticks_per_quarter))
            goto done;
        size_t k = 0;
        const midifile_tempo *t = s.tempos;
        for (size_t i = 0; i < s.n_events; ++i) {
            while (k + 1 < s.n_tempos && t[k + 1].tick <= s.events[i].tick)
                ++k;
            s.events[i].time_s = t[k].time_s + (double)(s.events[i].tick - t[k].tick) *
                                                   (double)t[k].us_per_quarter * 1e-6 /
                                                   (double)m.ticks_per_quarter;
        }
        m.end_s = midifile_tick_to_s(s.tempos, s.n_tempos, m.ticks_per_quarter, end_tick);
    }
    m.end_tick = end_tick;
    m.events = s.events;
    m.n_events = s.n_events;
    m.tempos = s.tempos;
    m.n_tempos = s.n_tempos;
    s.events = NULL;
    s.tempos = NULL;
    *out = m;
    ok = true;
done:
    free(s.events);
    free(s.tempos);
    return ok;
}

void
midifile_free(midifile *m)
{
    if (!m)
        return;
    free(m->events);
    free(m->tempos);
    memset(m, 0, sizeof *m);
}
