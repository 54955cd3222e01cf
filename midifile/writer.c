/* writer.c — write a Standard MIDI File (midifile.h): each track's events
 * stream into an anonymous temporary file with delta times and running
 * status; finishing writes the header and copies the tracks behind it. */
#include "midifile.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

static void
writer_fail(midifile_writer *w, const char *fmt, ...)
{
    if (w->failed)
        return; /* the first problem is the one to report */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err, sizeof w->err, fmt, ap);
    va_end(ap);
    w->failed = true;
}

bool
midifile_writer_open(midifile_writer *w, int format, uint16_t n_tracks, uint16_t ticks_per_quarter,
                     char *err, size_t err_len)
{
    memset(w, 0, sizeof *w);
    if ((format != 0 && format != 1) || n_tracks == 0 || n_tracks > MIDIFILE_MAX_TRACKS ||
        (format == 0 && n_tracks != 1) || ticks_per_quarter == 0 || ticks_per_quarter > 0x7FFF) {
        snprintf(err, err_len, "a MIDI file of format %d with %u tracks and %u ticks per quarter "
                               "cannot be written",
                 format, n_tracks, ticks_per_quarter);
        return false;
    }
    w->format = format;
    w->n_tracks = n_tracks;
    w->ticks_per_quarter = ticks_per_quarter;
    for (uint16_t t = 0; t < n_tracks; ++t) {
        w->track[t].body = tmpfile();
        if (!w->track[t].body) {
            snprintf(err, err_len, "cannot create a temporary file for a MIDI track: %s",
                     strerror(errno));
            midifile_writer_close(w);
            return false;
        }
    }
    return true;
}

static void
put_vlq(FILE *f, uint32_t v, uint64_t *bytes)
{
    uint8_t buf[5];
    int n = 0;
    buf[4 - n++] = (uint8_t)(v & 0x7Fu);
    while ((v >>= 7) != 0)
        buf[4 - n++] = (uint8_t)(0x80u | (v & 0x7Fu));
    fwrite(buf + 5 - n, 1, (size_t)n, f);
    *bytes += (uint64_t)n;
}

/* The delta time to tick, or false when it goes back in time. */
static bool
put_delta(midifile_writer *w, uint16_t track, uint64_t tick)
{
    if (w->failed)
        return false;
    if (track >= w->n_tracks) {
        writer_fail(w, "MIDI track %u does not exist", track);
        return false;
    }
    midifile_track_writer *t = &w->track[track];
    if (tick < t->tick) {
        writer_fail(w, "MIDI track %u: an event at tick %llu after one at %llu", track,
                    (unsigned long long)tick, (unsigned long long)t->tick);
        return false;
    }
    uint64_t delta = tick - t->tick;
    /* a delta beyond 28 bits goes out in several steps, each through a
     * no-op: an empty Text meta event */
    while (delta > 0x0FFFFFFFu) {
        put_vlq(t->body, 0x0FFFFFFFu, &t->bytes);
        static const uint8_t empty_text[3] = {0xFF, 0x01, 0x00};
        fwrite(empty_text, 1, sizeof empty_text, t->body);
        t->bytes += sizeof empty_text;
        t->running = 0;
        delta -= 0x0FFFFFFFu;
    }
    put_vlq(t->body, (uint32_t)delta, &t->bytes);
    t->tick = tick;
    return true;
}

void
midifile_write_message(midifile_writer *w, uint16_t track, uint64_t tick, const uint8_t *msg,
                       uint8_t size)
{
    if (size < 2 || size > 3 || msg[0] < 0x80u || msg[0] >= 0xF0u) {
        writer_fail(w, "not a channel message (status 0x%02X, %u bytes)", msg[0], size);
        return;
    }
    if (!put_delta(w, track, tick))
        return;
    midifile_track_writer *t = &w->track[track];
    if (msg[0] == t->running) {
        fwrite(msg + 1, 1, size - 1u, t->body);
        t->bytes += size - 1u;
    } else {
        fwrite(msg, 1, size, t->body);
        t->bytes += size;
        t->running = msg[0];
    }
}

void
midifile_write_meta(midifile_writer *w, uint16_t track, uint64_t tick, uint8_t type,
                    const uint8_t *data, uint32_t len)
{
    if (!put_delta(w, track, tick))
        return;
    midifile_track_writer *t = &w->track[track];
    uint8_t head[2] = {0xFF, type};
    fwrite(head, 1, 2, t->body);
    t->bytes += 2;
    put_vlq(t->body, len, &t->bytes);
    if (len)
        fwrite(data, 1, len, t->body);
    t->bytes += len;
    t->running = 0; /* meta events cancel running status */
}

void
midifile_write_tempo(midifile_writer *w, uint16_t track, uint64_t tick, uint32_t us_per_quarter)
{
    uint8_t d[3] = {(uint8_t)(us_per_quarter >> 16), (uint8_t)(us_per_quarter >> 8),
                    (uint8_t)us_per_quarter};
    midifile_write_meta(w, track, tick, 0x51, d, 3);
}

static void
put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

bool
midifile_writer_finish(midifile_writer *w, FILE *out, char *err, size_t err_len)
{
    static const uint8_t end_of_track[4] = {0x00, 0xFF, 0x2F, 0x00};
    for (uint16_t t = 0; t < w->n_tracks && !w->failed; ++t) {
        fflush(w->track[t].body);
        if (ferror(w->track[t].body))
            writer_fail(w, "writing a temporary MIDI track: %s", strerror(errno));
        else if (w->track[t].bytes + sizeof end_of_track > 0xFFFFFFFFu)
            writer_fail(w, "MIDI track %u holds more than 4 GiB of events", t);
    }
    if (w->failed) {
        snprintf(err, err_len, "%s", w->err);
        return false;
    }
    uint8_t head[14] = {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, (uint8_t)w->format,
                        (uint8_t)(w->n_tracks >> 8), (uint8_t)w->n_tracks,
                        (uint8_t)(w->ticks_per_quarter >> 8), (uint8_t)w->ticks_per_quarter};
    fwrite(head, 1, sizeof head, out);
    for (uint16_t t = 0; t < w->n_tracks; ++t) {
        midifile_track_writer *tr = &w->track[t];
        uint8_t chunk[8] = {'M', 'T', 'r', 'k'};
        put_be32(chunk + 4, (uint32_t)(tr->bytes + sizeof end_of_track));
        fwrite(chunk, 1, sizeof chunk, out);
        rewind(tr->body);
        uint8_t buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, tr->body)) > 0)
            fwrite(buf, 1, n, out);
        if (ferror(tr->body)) {
            snprintf(err, err_len, "reading back a temporary MIDI track: %s", strerror(errno));
            return false;
        }
        fwrite(end_of_track, 1, sizeof end_of_track, out);
    }
    if (ferror(out)) {
        snprintf(err, err_len, "%s", strerror(errno));
        return false;
    }
    return true;
}

void
midifile_writer_close(midifile_writer *w)
{
    for (uint16_t t = 0; t < MIDIFILE_MAX_TRACKS; ++t) {
        if (w->track[t].body)
            fclose(w->track[t].body);
        w->track[t].body = NULL;
    }
}
