/* smf.c — spikes from a Standard MIDI File, exported elsewhere: each note
 * on (velocity > 0) is a spike of unit 128 x channel + note, at its time
 * through the file's tempo map. Parsed by the one MIDI-file reader
 * (midifile.h); a MIDI file is small, so its spikes are kept in memory. */
#include "spikefile_impl.h"

#include "midifile.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    spikefile_spike *spikes;
    size_t n, next;
} smf_reader;

static long
smf_read(spikefile *f, spikefile_spike *out, size_t max, char *err, size_t err_len)
{
    (void)err;
    (void)err_len;
    smf_reader *r = f->impl;
    size_t n = r->n - r->next < max ? r->n - r->next : max;
    memcpy(out, r->spikes + r->next, n * sizeof *out);
    r->next += n;
    return (long)n;
}

static bool
smf_seek(spikefile *f, double time_s, char *err, size_t err_len)
{
    (void)err;
    (void)err_len;
    smf_reader *r = f->impl;
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r->spikes[mid].time_s < time_s)
            lo = mid + 1;
        else
            hi = mid;
    }
    r->next = lo;
    return true;
}

static void
smf_close(spikefile *f)
{
    smf_reader *r = f->impl;
    if (r)
        free(r->spikes);
    free(r);
}

static const spikefile_ops smf_ops = {smf_read, smf_seek, smf_close};

bool
spikefile_open_smf(spikefile *f, FILE *file, char *err, size_t err_len)
{
    uint8_t *data = malloc(MIDIFILE_MAX_BYTES);
    size_t size = data ? fread(data, 1, MIDIFILE_MAX_BYTES, file) : 0;
    bool too_big = data && size == MIDIFILE_MAX_BYTES && fgetc(file) != EOF;
    int read_error = ferror(file) ? errno : 0;
    fclose(file);
    if (!data || too_big || read_error) {
        free(data);
        snprintf(err, err_len, "%s",
                 !data ? "out of memory" : too_big ? "MIDI file larger than 64 MiB"
                                                   : strerror(read_error));
        return false;
    }
    midifile m;
    bool ok = midifile_parse(data, size, &m, err, err_len);
    free(data);
    if (!ok)
        return false;
    smf_reader *r = calloc(1, sizeof *r);
    if (r)
        r->spikes = malloc((m.n_events ? m.n_events : 1) * sizeof *r->spikes);
    if (!r || !r->spikes) {
        free(r);
        midifile_free(&m);
        snprintf(err, err_len, "out of memory");
        return false;
    }
    uint32_t units = 0;
    for (size_t i = 0; i < m.n_events; ++i) {
        const midifile_event *ev = &m.events[i];
        if ((ev->data[0] & 0xF0) != 0x90 || ev->size < 3 || ev->data[2] == 0)
            continue;
        uint32_t unit = 128u * (ev->data[0] & 0x0Fu) + ev->data[1];
        r->spikes[r->n++] = (spikefile_spike){ev->time_s, unit};
        if (unit + 1u > units)
            units = unit + 1u;
    }
    midifile_free(&m);
    f->format = SPIKEFILE_SMF;
    f->ops = &smf_ops;
    f->impl = r;
    f->units = units;
    f->spikes = r->n;
    f->duration = r->n ? r->spikes[r->n - 1].time_s : 0.0;
    return true;
}
