/* fuzz_midifile.c — libFuzzer harness for the Standard MIDI File reader
 * (midifile/midifile.h): any bytes are parsed as a file. The reader must
 * either refuse them with a message or return events that keep its
 * promises: channel messages only (status 0x80-0xEF, data bytes 0-127,
 * 2 or 3 bytes as the status says), in time order with finite,
 * non-decreasing times, from tracks that exist, and a tempo map that starts
 * at tick 0 and runs forward. A file accepted is written again with the
 * writer, which must read back to the same messages at the same ticks.
 */
#include "midifile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "fuzz_midifile: broken promise: %s (line %d)\n", #cond, __LINE__); \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

static void
check_file(const midifile *m)
{
    CHECK(m->format == 0 || m->format == 1);
    CHECK(m->tracks >= 1 && (m->format == 1 || m->tracks == 1));
    CHECK((m->ticks_per_quarter > 0) != (m->smpte_tick_s > 0.0));
    for (size_t i = 0; i < m->n_events; ++i) {
        const midifile_event *e = &m->events[i];
        CHECK(e->data[0] >= 0x80 && e->data[0] < 0xF0);
        int want = (e->data[0] & 0xF0) == 0xC0 || (e->data[0] & 0xF0) == 0xD0 ? 2 : 3;
        CHECK(e->size == want);
        for (int k = 1; k < e->size; ++k)
            CHECK(e->data[k] < 0x80);
        CHECK(e->track < m->tracks);
        CHECK(isfinite(e->time_s) && e->time_s >= 0.0);
        CHECK(e->tick <= m->end_tick);
        if (i) {
            CHECK(e->tick >= m->events[i - 1].tick);
            CHECK(e->time_s >= m->events[i - 1].time_s);
        }
    }
    if (m->ticks_per_quarter) {
        CHECK(m->n_tempos >= 1 && m->tempos[0].tick == 0 && m->tempos[0].time_s == 0.0);
        for (size_t i = 1; i < m->n_tempos; ++i) {
            CHECK(m->tempos[i].tick > m->tempos[i - 1].tick);
            CHECK(m->tempos[i].time_s >= m->tempos[i - 1].time_s);
        }
    }
}

/* Write the messages again (format 1, a track per source track) and read
 * them back: the same messages at the same ticks. */
static void
check_rewrite(const midifile *m)
{
    if (!m->ticks_per_quarter || m->tracks > MIDIFILE_MAX_TRACKS)
        return;
    midifile_writer w;
    char err[256];
    CHECK(midifile_writer_open(&w, 1, m->tracks, m->ticks_per_quarter, err, sizeof err));
    for (size_t i = 0; i < m->n_events; ++i)
        midifile_write_message(&w, m->events[i].track, m->events[i].tick, m->events[i].data,
                               m->events[i].size);
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    CHECK(f);
    CHECK(midifile_writer_finish(&w, f, err, sizeof err));
    midifile_writer_close(&w);
    CHECK(fclose(f) == 0);
    midifile back;
    CHECK(midifile_parse((const uint8_t *)buf, size, &back, err, sizeof err));
    CHECK(back.n_events == m->n_events);
    for (size_t i = 0; i < m->n_events; ++i) {
        CHECK(back.events[i].tick == m->events[i].tick);
        CHECK(back.events[i].track == m->events[i].track);
        CHECK(memcmp(back.events[i].data, m->events[i].data, m->events[i].size) == 0);
    }
    midifile_free(&back);
    free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    midifile m;
    char err[256];
    err[0] = '\0';
    if (!midifile_parse(data, size, &m, err, sizeof err)) {
        CHECK(err[0] != '\0'); /* a refusal always says why */
        CHECK(m.events == NULL && m.tempos == NULL);
        return 0;
    }
    check_file(&m);
    check_rewrite(&m);
    midifile_free(&m);
    return 0;
}
