/* test_midifile.c — the Standard MIDI File reader and writer against the
 * specification (MMA "Standard MIDI Files 1.0", RP-001): hand-assembled
 * files whose event times follow from the division and Set Tempo by hand,
 * running status, chunks the reader must skip, every kind of corruption,
 * and the writer read back. */
#include "midifile.h"

#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool
parse(const uint8_t *d, size_t n, midifile *m, char *err)
{
    return midifile_parse(d, n, m, err, 256);
}

/* format 1, 2 tracks, 480 ticks per quarter. Track 0: tempo 120 BPM at 0,
 * 60 BPM (1 000 000 us) at tick 960. Track 1: note on 60 at 480 (running
 * status for a second note on at 1440), pitch bend at 1920. */
static const uint8_t type1[] = {
    'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 1, 0, 2, 0x01, 0xE0,
    'M', 'T', 'r', 'k', 0, 0, 0, 19,
    0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20,       /* 500 000 us */
    0x87, 0x40, 0xFF, 0x51, 0x03, 0x0F, 0x42, 0x40, /* delta 960: 1 000 000 us */
    0x00, 0xFF, 0x2F, 0x00,
    'M', 'T', 'r', 'k', 0, 0, 0, 18,
    0x83, 0x60, 0x90, 60, 100,   /* delta 480 */
    0x87, 0x40, 64, 90,          /* delta 960, running status */
    0x83, 0x60, 0xE0, 0x00, 0x50, /* delta 480: pitch bend */
    0x00, 0xFF, 0x2F, 0x00,
};

Test(midifile, type_1_times_follow_the_tempo_map)
{
    midifile m;
    char err[256];
    cr_assert(parse(type1, sizeof type1, &m, err), "%s", err);
    cr_assert_eq(m.format, 1);
    cr_assert_eq(m.ticks_per_quarter, 480);
    cr_assert_eq(m.n_events, 3);
    /* 480 ticks (a quarter) at 120 BPM = 0.5 s; 1440 = 960 at 120 BPM (1 s) + 480 at
     * 60 BPM (1 s); 1920 one more second */
    cr_assert_eq(m.events[0].tick, 480);
    cr_assert_float_eq(m.events[0].time_s, 0.5, 1e-12);
    cr_assert_eq(m.events[1].data[0], 0x90, "running status keeps the note on");
    cr_assert_eq(m.events[1].data[1], 64);
    cr_assert_eq(m.events[1].data[2], 90);
    cr_assert_float_eq(m.events[1].time_s, 2.0, 1e-12);
    cr_assert_eq(m.events[2].size, 3);
    cr_assert_eq(m.events[2].data[0], 0xE0);
    cr_assert_float_eq(m.events[2].time_s, 3.0, 1e-12);
    cr_assert_eq(m.n_tempos, 2);
    cr_assert_float_eq(m.tempos[1].time_s, 1.0, 1e-12);
    cr_assert_eq(m.end_tick, 1920);
    cr_assert_float_eq(m.end_s, 3.0, 1e-12);
    cr_assert_float_eq(midifile_s_to_tick(m.tempos, m.n_tempos, 480, 2.0), 1440.0, 1e-9);
    midifile_free(&m);
}

Test(midifile, default_tempo_is_120_bpm_and_unknown_chunks_are_skipped)
{
    static const uint8_t d[] = {
        'M', 'T', 'h', 'd', 0, 0, 0, 8, 0, 0, 0, 1, 0x00, 0x60, 0xAB, 0xCD, /* longer header */
        'X', 'Y', 'Z', 'W', 0, 0, 0, 3, 1, 2, 3,                          /* alien chunk */
        'M', 'T', 'r', 'k', 0, 0, 0, 17,
        0x60, 0xC0, 5,                   /* program change (one data byte) at 96 */
        0x00, 0xF0, 0x03, 0x43, 0x12, 0xF7, /* sysex, skipped */
        0x60, 0x90, 62, 1,               /* 96 ticks later */
        0x00, 0xFF, 0x2F, 0x00,
    };
    midifile m;
    char err[256];
    cr_assert(parse(d, sizeof d, &m, err), "%s", err);
    cr_assert_eq(m.format, 0);
    cr_assert_eq(m.n_events, 2);
    cr_assert_eq(m.events[0].size, 2);
    cr_assert_float_eq(m.events[0].time_s, 0.5, 1e-12); /* 96 ticks of 96/quarter at 120 BPM */
    cr_assert_float_eq(m.events[1].time_s, 1.0, 1e-12);
    midifile_free(&m);
}

Test(midifile, smpte_division_counts_frames)
{
    /* -25 frames/s (0xE7), 40 ticks per frame: a tick is 1 ms */
    static const uint8_t d[] = {
        'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0xE7, 40,
        'M', 'T', 'r', 'k', 0, 0, 0, 8, 0x87, 0x68, 0x90, 60, 100, 0x00, 0xFF, 0x2F, /* cut EOT */
    };
    midifile m;
    char err[256];
    /* the track's End of Track lacks its length byte: an event past the chunk */
    cr_assert_not(parse(d, sizeof d, &m, err));
    cr_assert(strstr(err, "past the end"), "%s", err);
    uint8_t ok[sizeof d + 1];
    memcpy(ok, d, sizeof d);
    ok[21] = 9;
    ok[sizeof d] = 0x00;
    cr_assert(parse(ok, sizeof ok, &m, err), "%s", err);
    cr_assert_float_eq(m.events[0].time_s, 1.0, 1e-12); /* 1000 ticks */
    midifile_free(&m);
}

/* Each broken file is refused with a message naming the problem. */
static void
refused(const uint8_t *d, size_t n, const char *expect)
{
    midifile m;
    char err[256] = "";
    cr_assert_not(parse(d, n, &m, err), "accepted a file that should fail with '%s'", expect);
    cr_assert(strstr(err, expect), "message '%s' lacks '%s'", err, expect);
    cr_assert_null(m.events);
}

Test(midifile, corrupt_files_are_refused_with_a_reason)
{
    refused((const uint8_t *)"RIFF\0\0\0\6", 8, "not a Standard MIDI File");
    refused(type1, 10, "header");                     /* cut inside the header */
    refused(type1, sizeof type1 - 5, "truncated");     /* second track cut short */
    refused(type1, 22 + 19, "2 tracks");               /* second track missing */

    uint8_t d[sizeof type1];
    memcpy(d, type1, sizeof d);
    d[9] = 2;
    refused(d, sizeof d, "format 2");
    memcpy(d, type1, sizeof d);
    d[12] = d[13] = 0;
    refused(d, sizeof d, "division of 0");
    memcpy(d, type1, sizeof d);
    d[18] = 0x7F; /* first track claims ~2 GB */
    refused(d, sizeof d, "only");
    memcpy(d, type1, sizeof d);
    d[9] = 0; /* format 0 with two tracks */
    refused(d, sizeof d, "format 0 with 2 tracks");

    static const uint8_t no_status[] = {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0, 96,
                                        'M', 'T', 'r', 'k', 0, 0, 0, 3, 0x00, 60, 100};
    refused(no_status, sizeof no_status, "running status without a status");
    static const uint8_t long_vlq[] = {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0, 96,
                                       'M', 'T', 'r', 'k', 0, 0, 0, 8,
                                       0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x90, 60, 100};
    refused(long_vlq, sizeof long_vlq, "longer than 4 bytes");
    static const uint8_t bad_data[] = {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0, 96,
                                       'M', 'T', 'r', 'k', 0, 0, 0, 4, 0x00, 0x90, 0x80, 100};
    refused(bad_data, sizeof bad_data, "data value");
    static const uint8_t bad_tempo[] = {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0, 96,
                                        'M', 'T', 'r', 'k', 0, 0, 0, 6, 0x00, 0xFF, 0x51, 0x02,
                                        0x07, 0xA1};
    refused(bad_tempo, sizeof bad_tempo, "Set Tempo");
    static const uint8_t huge_meta[] = {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0, 96,
                                        'M', 'T', 'r', 'k', 0, 0, 0, 7, 0x00, 0xFF, 0x01,
                                        0x8F, 0xFF, 0xFF, 0x7F};
    refused(huge_meta, sizeof huge_meta, "meta event");
    static const uint8_t realtime[] = {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0, 96,
                                       'M', 'T', 'r', 'k', 0, 0, 0, 2, 0x00, 0xF8};
    refused(realtime, sizeof realtime, "no place in a file");
}

Test(midifile, every_prefix_of_a_file_is_refused_or_read_safely)
{
    /* truncation anywhere: never a read past the buffer (ASan/valgrind
     * runs see it), never an accepted file with events past its length */
    for (size_t n = 0; n < sizeof type1; ++n) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, type1, n);
        midifile m;
        char err[256];
        if (parse(copy, n, &m, err))
            midifile_free(&m);
        free(copy);
    }
}

Test(midifile, written_file_reads_back_event_for_event)
{
    midifile_writer w;
    char err[256];
    cr_assert(midifile_writer_open(&w, 1, 2, 9600, err, sizeof err), "%s", err);
    midifile_write_tempo(&w, 0, 0, 500000);
    midifile_write_tempo(&w, 0, 19200, 250000);                /* 240 BPM from beat 2 */
    static const uint8_t on[3] = {0x91, 70, 99}, off[3] = {0x81, 70, 64};
    midifile_write_message(&w, 1, 4800, on, 3);
    midifile_write_message(&w, 1, 4800 + (1ull << 29), off, 3); /* a delta beyond 28 bits */
    midifile_write_message(&w, 1, 4800 + (1ull << 29), on, 3);  /* running status */
    FILE *f = tmpfile();
    cr_assert(midifile_writer_finish(&w, f, err, sizeof err), "%s", err);
    midifile_writer_close(&w);
    long size = ftell(f);
    rewind(f);
    uint8_t *d = malloc((size_t)size);
    cr_assert_eq(fread(d, 1, (size_t)size, f), (size_t)size);
    fclose(f);

    midifile m;
    cr_assert(parse(d, (size_t)size, &m, err), "%s", err);
    free(d);
    cr_assert_eq(m.format, 1);
    cr_assert_eq(m.tracks, 2);
    cr_assert_eq(m.ticks_per_quarter, 9600);
    cr_assert_eq(m.n_events, 3);
    cr_assert_eq(m.events[0].tick, 4800);
    cr_assert_float_eq(m.events[0].time_s, 0.25, 1e-12);
    cr_assert_eq(m.events[1].tick, 4800 + (1ull << 29));
    cr_assert_eq(memcmp(m.events[1].data, off, 3), 0);
    cr_assert_eq(memcmp(m.events[2].data, on, 3), 0);
    /* 19200 ticks at 120 BPM (1 s), the rest at 240 BPM */
    double expect = 1.0 + (double)(4800 + (1ull << 29) - 19200) * 0.25 / 9600.0;
    cr_assert_float_eq(m.events[2].time_s, expect, 1e-9);
    midifile_free(&m);
}

Test(midifile, writer_refuses_events_out_of_order)
{
    midifile_writer w;
    char err[256];
    cr_assert(midifile_writer_open(&w, 0, 1, 960, err, sizeof err));
    static const uint8_t on[3] = {0x90, 60, 100};
    midifile_write_message(&w, 0, 100, on, 3);
    midifile_write_message(&w, 0, 50, on, 3);
    cr_assert_not(midifile_writer_finish(&w, stdout, err, sizeof err));
    cr_assert(strstr(err, "tick 50"), "%s", err);
    midifile_writer_close(&w);
}
