/* midifile.h — Standard MIDI Files (SMF), read and written in one place.
 *
 * The format is the MIDI Manufacturers Association's "Standard MIDI Files
 * 1.0" (RP-001): a header chunk MThd (format, track count, division) and
 * one MTrk chunk per track, each a list of events with variable-length
 * delta times. Formats 0 (one track) and 1 (simultaneous tracks, the tempo
 * map usually in the first) are read and written; format 2 (independent
 * sequences) is refused, as are malformed files, with a message that names
 * the track and the byte offset. Unknown chunk types are skipped, as the
 * specification asks.
 *
 * Reading keeps the channel messages (notes, controllers, pitch bend,
 * programs, pressure), merged from every track in time order, each with its
 * time in seconds through the file's tempo map (Set Tempo meta events, 120
 * BPM until the first), or through the SMPTE time base when the division is
 * in frames. System exclusive and other meta events are skipped.
 *
 * The reader parses bytes in memory (the caller reads the file, as it
 * must anyway to keep a pipe or device from blocking it). No global state;
 * nothing here is for an audio thread (parsing allocates).
 */
#ifndef HILLOCK_MIDIFILE_H
#define HILLOCK_MIDIFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MIDIFILE_DEFAULT_TEMPO_US 500000u /* 120 BPM, the specification's default */
#define MIDIFILE_MAX_BYTES (64u << 20) /* a limit for readers of whole files: parsed,
                                           * a file takes up to 12 times its size */

/* A channel message of the file, at its time. */
typedef struct {
    uint64_t tick;   /* from the start of the file, in the file's division */
    double time_s;   /* the same time in seconds, through the tempo map */
    uint16_t track;  /* 0-based MTrk chunk it came from */
    uint8_t size;    /* 2 or 3 */
    uint8_t data[3]; /* status (with channel) and data bytes */
} midifile_event;

/* A tempo in force from a tick on. */
typedef struct {
    uint64_t tick;
    double time_s;      /* when it starts */
    uint32_t us_per_quarter;
} midifile_tempo;

typedef struct {
    int format;              /* 0 or 1 */
    uint16_t tracks;         /* MTrk chunks */
    uint16_t ticks_per_quarter; /* 0 when the division is SMPTE */
    double smpte_tick_s;     /* seconds per tick for an SMPTE division, else 0 */
    midifile_event *events;  /* channel messages of every track, by time (ties in track order) */
    size_t n_events;
    midifile_tempo *tempos;  /* the tempo map, by tick; tempos[0] is at tick 0 */
    size_t n_tempos;
    uint64_t end_tick;       /* the last event of any track (End of Track included) */
    double end_s;
} midifile;

/* Parse a file held in memory. On failure returns false, writes a message
 * into err and leaves *out empty (nothing to free). */
bool midifile_parse(const uint8_t *data, size_t size, midifile *out, char *err, size_t err_len);

void midifile_free(midifile *m);

/* Seconds at a tick, and the tick (fractional) at a time, through a tempo
 * map (tempos[0] at tick 0, sorted) in ticks_per_quarter. */
double midifile_tick_to_s(const midifile_tempo *tempos, size_t n, uint16_t ticks_per_quarter,
                          uint64_t tick);
double midifile_s_to_tick(const midifile_tempo *tempos, size_t n, uint16_t ticks_per_quarter,
                          double time_s);

/* ---- writing --------------------------------------------------------------
 *
 * Events go to each track in time order (ticks never decrease within a
 * track); each track's body is kept in an anonymous temporary file, so a
 * long recording needs no memory for its events. midifile_writer_finish()
 * writes the header and the tracks, each closed with End of Track, to out.
 * Channel messages are written with running status. */

#define MIDIFILE_MAX_TRACKS 16

typedef struct {
    FILE *body;
    uint64_t tick;      /* of the last event written */
    uint64_t bytes;
    uint8_t running;    /* running status, 0 when none */
} midifile_track_writer;

typedef struct {
    int format;
    uint16_t ticks_per_quarter;
    uint16_t n_tracks;
    midifile_track_writer track[MIDIFILE_MAX_TRACKS];
    bool failed;  /* a temporary file could not be written, or an event was out of order */
    char err[160];
} midifile_writer;

bool midifile_writer_open(midifile_writer *w, int format, uint16_t n_tracks,
                          uint16_t ticks_per_quarter, char *err, size_t err_len);
/* A channel message (2 or 3 bytes, status first). */
void midifile_write_message(midifile_writer *w, uint16_t track, uint64_t tick, const uint8_t *msg,
                            uint8_t size);
/* A meta event: Set Tempo (0x51), Track Name (0x03), ... */
void midifile_write_meta(midifile_writer *w, uint16_t track, uint64_t tick, uint8_t type,
                         const uint8_t *data, uint32_t len);
void midifile_write_tempo(midifile_writer *w, uint16_t track, uint64_t tick,
                          uint32_t us_per_quarter);
bool midifile_writer_finish(midifile_writer *w, FILE *out, char *err, size_t err_len);
/* Releases the temporary files (after finish, or instead of it). */
void midifile_writer_close(midifile_writer *w);

#endif
