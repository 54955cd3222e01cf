/* render_outputs.c — the files `hillock render` writes (render_outputs.h). */
#include "render_outputs.h"

#include "fixed9.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* RIFF sizes are 32-bit: beyond this the file is written as RF64. */
#define WAV_MAX_DATA_BYTES (0xFFFFFFFFull - 1024u)

void
render_outputs_init(render_outputs *out)
{
    memset(out, 0, sizeof *out);
    out->wav_file.fd = out->spikes_file.fd = out->trace_file.fd = out->midi_file.fd = -1;
}

bool
render_outputs_alloc(render_outputs *out, const render_options *o, uint32_t latency)
{
    out->interleaved = malloc(2 * (size_t)o->block * sizeof(float));
    out->n_marks = latency + 1u;
    if (o->spikes_path)
        out->spikes_marks = malloc(out->n_marks * sizeof *out->spikes_marks);
    if (o->trace_path)
        out->trace_marks = malloc(out->n_marks * sizeof *out->trace_marks);
    return out->interleaved && (!o->spikes_path || out->spikes_marks) &&
           (!o->trace_path || out->trace_marks);
}

/* Open a CSV output under its temporary name and write the header. */
static bool
open_csv(atomic_file *f, FILE **fp, uint64_t *bytes, const char *path, const char *header,
         char *err, size_t err_len)
{
    if (!atomic_file_begin(f, path, err, err_len))
        return false;
    *fp = fdopen(f->fd, "w");
    if (!*fp) {
        snprintf(err, err_len, "cannot write '%s': %s", path, strerror(errno));
        return false;
    }
    f->fd = -1; /* the FILE owns it now */
    fputs(header, *fp);
    *bytes = strlen(header);
    return true;
}

static bool
open_wav(render_outputs *out, const render_options *o, uint64_t frames, char *err,
         size_t err_len)
{
    if (!atomic_file_begin(&out->wav_file, o->output, err, err_len))
        return false;
    int bytes = o->bits / 8;
    bool big = frames * 2u * (uint64_t)bytes > WAV_MAX_DATA_BYTES;
    SF_INFO info = {
        .samplerate = (int)o->rate,
        .channels = 2,
        .format = (big ? SF_FORMAT_RF64 : SF_FORMAT_WAV) |
                  (o->bits == 16   ? SF_FORMAT_PCM_16
                   : o->bits == 24 ? SF_FORMAT_PCM_24
                                   : SF_FORMAT_FLOAT),
    };
    /* libsndfile gets its own descriptor, so whatever it does with it on
     * failure, ours is closed exactly once by atomic_file. */
    int fd = dup(out->wav_file.fd);
    if (fd < 0) {
        snprintf(err, err_len, "cannot write '%s': %s", o->output, strerror(errno));
        return false;
    }
    out->wav = sf_open_fd(fd, SFM_WRITE, &info, SF_TRUE);
    if (!out->wav) {
        snprintf(err, err_len, "cannot write '%s': %s", o->output, sf_strerror(NULL));
        return false;
    }
    close(out->wav_file.fd);
    out->wav_file.fd = -1;
    sf_command(out->wav, SFC_SET_CLIPPING, NULL, SF_TRUE);
    /* No PEAK chunk: it stamps the time of writing into float WAVs, so two
     * renders of the same thing would differ in their header bytes. */
    sf_command(out->wav, SFC_SET_ADD_PEAK_CHUNK, NULL, SF_FALSE);
    if (big) /* an interrupted render that ends up small is plain WAV again */
        sf_command(out->wav, SFC_RF64_AUTO_DOWNGRADE, NULL, SF_TRUE);
    return true;
}

/* The spikes' MIDI file: its temporary name now (so an unwritable target
 * fails before rendering), its contents when the render ends. */
static bool
open_midi_out(render_outputs *out, const render_options *o, const midifile *midi_in,
              char *err, size_t err_len)
{
    if (!atomic_file_begin(&out->midi_file, o->midi_out, err, err_len))
        return false;
    char why[512];
    if (!spike_midi_open(&out->midi, midi_in, o->bpm, why, sizeof why)) {
        snprintf(err, err_len, "cannot write '%s': %s", o->midi_out, why);
        return false;
    }
    out->midi_open = true;
    return true;
}

bool
render_outputs_open(render_outputs *out, const render_options *o, uint64_t frames,
                    const midifile *midi_in, char *err, size_t err_len)
{
    return open_wav(out, o, frames, err, err_len) &&
           (!o->spikes_path || open_csv(&out->spikes_file, &out->spikes_csv, &out->spikes_bytes,
                                        o->spikes_path, "time_s,neuron\n", err, err_len)) &&
           (!o->trace_path || open_csv(&out->trace_file, &out->trace_csv, &out->trace_bytes,
                                       o->trace_path, "time_s,v\n", err, err_len)) &&
           (!o->midi_out || open_midi_out(out, o, midi_in, err, err_len));
}

void
render_outputs_track(const render_outputs *out)
{
    const atomic_file *files[INTERRUPT_TRACKED_FILES] = {&out->wav_file, &out->spikes_file,
                                                         &out->trace_file, &out->midi_file};
    for (int i = 0; i < INTERRUPT_TRACKED_FILES; ++i)
        interrupt_track(i, files[i]->open ? files[i]->temp : NULL);
}

/* Spikes in time order: an overflowed list is a sample in no order. */
static int
spike_order(const void *a, const void *b)
{
    const engine_spike *x = a, *y = b;
    if (x->offset != y->offset)
        return x->offset < y->offset ? -1 : 1;
    return (x->frac > y->frac) - (x->frac < y->frac);
}

/* The engine lists a frame's spikes in neuron order, and frames in order;
 * the rows go in time order (--play-spikes reads them back and needs it).
 * A frame holds few spikes, so an insertion sort moves only within frames;
 * spikes at the same time keep their neuron order. */
static void
order_within_frames(engine_spike *s, uint32_t n)
{
    for (uint32_t i = 1; i < n; ++i) {
        const engine_spike x = s[i];
        uint32_t j = i;
        for (; j > 0 && spike_order(&s[j - 1], &x) > 0; --j)
            s[j] = s[j - 1];
        s[j] = x;
    }
}

static void
count_bytes(uint64_t *bytes, int written)
{
    if (written > 0)
        *bytes += (uint64_t)written;
}

bool
render_outputs_block(render_outputs *out, const render_options *o, const engine *e,
                     engine_io *io, const float *left, const float *right,
                     const float *trace, uint32_t n, uint64_t frames_before, uint64_t begin,
                     uint64_t total, uint32_t latency, char *err, size_t err_len)
{
    uint64_t a_from = frames_before < begin + latency ? begin + latency - frames_before : 0;
    uint64_t a_to = frames_before + n < total + latency ? n : total + latency - frames_before;
    uint32_t m = 0;
    for (uint64_t f = a_from; f < a_to; ++f, ++m) {
        out->interleaved[2 * m] = left[f];
        out->interleaved[2 * m + 1] = right[f];
    }
    if (sf_writef_float(out->wav, out->interleaved, m) != (sf_count_t)m) {
        snprintf(err, err_len, "writing '%s': %s", o->output, sf_strerror(out->wav));
        return false;
    }
    const double rate = (double)o->rate;
    if (out->spikes_csv && io->spikes_lost)
        qsort(io->spikes, io->n_spikes, sizeof *io->spikes, spike_order);
    else if (out->spikes_csv)
        order_within_frames(io->spikes, io->n_spikes);
    /* frame by frame, marking where each frame's rows start (cut_csvs) */
    const uint64_t rows = frames_before >= total ? 0 : total - frames_before;
    uint32_t k = 0;
    for (uint32_t f = 0; f < n && f < rows; ++f) {
        const uint64_t frame = frames_before + f;
        if (out->spikes_csv) {
            out->spikes_marks[frame % out->n_marks] = out->spikes_bytes;
            /* offset + frac is the exact time; the float frame loses digits
             * in long blocks */
            for (; k < io->n_spikes && io->spikes[k].offset == f; ++k) {
                /* "%.9f,%u\n" without printf (fixed9.h) */
                char row[FIXED9_MAX + 16];
                size_t len =
                    fixed9(row, ((double)frame + (double)io->spikes[k].frac) / rate);
                row[len++] = ',';
                len += decimal_u32(row + len, io->spikes[k].neuron);
                row[len++] = '\n';
                out->spikes_bytes += fwrite(row, 1, len, out->spikes_csv);
            }
        }
        if (out->trace_csv) {
            out->trace_marks[frame % out->n_marks] = out->trace_bytes;
            count_bytes(&out->trace_bytes, fprintf(out->trace_csv, "%.9f,%.9g\n",
                                                 (double)frame / rate,
                                                 (double)trace[f]));
        }
    }
    if (out->spikes_csv && ferror(out->spikes_csv)) {
        snprintf(err, err_len, "writing '%s': %s", o->spikes_path, strerror(errno));
        return false;
    }
    if (out->trace_csv && ferror(out->trace_csv)) {
        snprintf(err, err_len, "writing '%s': %s", o->trace_path, strerror(errno));
        return false;
    }
    return !out->midi_open ||
           spike_midi_block(&out->midi, e, io, frames_before, total, rate, err, err_len);
}

static bool
cut_csv(FILE *fp, uint64_t bytes, const char *path, char *err, size_t err_len)
{
    if (fflush(fp) != 0 || ftruncate(fileno(fp), (off_t)bytes) != 0) {
        snprintf(err, err_len, "writing '%s': %s", path, strerror(errno));
        return false;
    }
    return true;
}

bool
render_outputs_cut(render_outputs *out, const render_options *o, uint64_t frame, char *err,
                   size_t err_len)
{
    const uint32_t at = (uint32_t)(frame % out->n_marks);
    return (!out->spikes_csv ||
            cut_csv(out->spikes_csv, out->spikes_marks[at], o->spikes_path, err, err_len)) &&
           (!out->trace_csv ||
            cut_csv(out->trace_csv, out->trace_marks[at], o->trace_path, err, err_len));
}

/* The MIDI file of the spikes, written whole into its temporary file. */
static bool
write_midi_out(render_outputs *out, const render_options *o, char *err, size_t err_len)
{
    FILE *f = fdopen(out->midi_file.fd, "wb");
    if (!f) {
        snprintf(err, err_len, "cannot write '%s': %s", o->midi_out, strerror(errno));
        return false;
    }
    out->midi_file.fd = -1; /* the FILE owns it now */
    char why[512];
    bool ok = spike_midi_finish(&out->midi, f, why, sizeof why);
    if (fclose(f) != 0 && ok) {
        snprintf(why, sizeof why, "%s", strerror(errno));
        ok = false;
    }
    if (!ok)
        snprintf(err, err_len, "writing '%s': %s", o->midi_out, why);
    return ok;
}

/* CSVs and MIDI closed first, the WAV last. */
bool
render_outputs_finish(render_outputs *out, const render_options *o, char *err,
                      size_t err_len)
{
    bool ok = true;
    if (out->spikes_csv) {
        if (fclose(out->spikes_csv) != 0 && ok) {
            snprintf(err, err_len, "writing '%s': %s", o->spikes_path, strerror(errno));
            ok = false;
        }
        out->spikes_csv = NULL;
    }
    if (out->trace_csv) {
        if (fclose(out->trace_csv) != 0 && ok) {
            snprintf(err, err_len, "writing '%s': %s", o->trace_path, strerror(errno));
            ok = false;
        }
        out->trace_csv = NULL;
    }
    if (out->midi_open && ok)
        ok = write_midi_out(out, o, err, err_len);
    if (out->wav) {
        int e = sf_close(out->wav);
        out->wav = NULL;
        if (e != 0 && ok) {
            snprintf(err, err_len, "writing '%s': %s", o->output, sf_error_number(e));
            ok = false;
        }
    }
    if (!ok)
        return false;
    /* together, the WAV last: none replaced unless every one's data is on
     * disk (atomic_file_commit_all) */
    atomic_file *files[4];
    size_t n = 0;
    if (o->spikes_path)
        files[n++] = &out->spikes_file;
    if (o->trace_path)
        files[n++] = &out->trace_file;
    if (o->midi_out)
        files[n++] = &out->midi_file;
    files[n++] = &out->wav_file;
    return atomic_file_commit_all(files, n, err, err_len);
}

void
render_outputs_release(render_outputs *out)
{
    if (out->wav)
        sf_close(out->wav);
    if (out->spikes_csv)
        fclose(out->spikes_csv);
    if (out->trace_csv)
        fclose(out->trace_csv);
    atomic_file_discard(&out->wav_file);
    atomic_file_discard(&out->spikes_file);
    atomic_file_discard(&out->trace_file);
    atomic_file_discard(&out->midi_file);
    if (out->midi_open)
        spike_midi_close(&out->midi);
    free(out->interleaved);
    free(out->spikes_marks);
    free(out->trace_marks);
    render_outputs_init(out);
}
