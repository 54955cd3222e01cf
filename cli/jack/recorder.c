/* recorder.c — see recorder.h. One ring of interleaved float frames, one
 * disk thread; the process thread only ever touches the ring and atomics. */
#include "recorder.h"

#include "spsc_ring.h"

#include <sndfile.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define DISK_CHUNK_FRAMES 4096u
#define DISK_POLL_MS 10
#define HEADER_UPDATE_S 1.0

struct recorder {
    SNDFILE *file;
    unsigned channels, sample_rate;
    spsc_ring ring; /* floats, interleaved */
    pthread_t thread;
    bool thread_started;
    float *chunk; /* disk thread's buffer, DISK_CHUNK_FRAMES frames */
    atomic_bool stop;
    atomic_bool failed;
    char fail_msg[256]; /* written by the disk thread before failed is set */
    _Atomic uint64_t frames_written, overruns, frames_dropped;
};

static int
format_for(const char *path, char *err, size_t err_len)
{
    const char *dot = strrchr(path, '.');
    const char *ext = dot ? dot + 1 : "";
    if (!strcasecmp(ext, "wav"))
        return SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    if (!strcasecmp(ext, "flac"))
        return SF_FORMAT_FLAC | SF_FORMAT_PCM_24;
    if (!strcasecmp(ext, "w64"))
        return SF_FORMAT_W64 | SF_FORMAT_FLOAT;
    if (!strcasecmp(ext, "caf"))
        return SF_FORMAT_CAF | SF_FORMAT_FLOAT;
    snprintf(err, err_len, "%s: unknown extension (use .wav, .flac, .w64 or .caf)", path);
    return 0;
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Write what the ring holds, in chunks; false once the file refuses data. */
static bool
drain(recorder *r)
{
    const unsigned ch = r->channels;
    for (;;) {
        uint64_t avail = spsc_ring_read_space(&r->ring) / ch;
        if (avail == 0)
            return true;
        uint64_t frames = avail < DISK_CHUNK_FRAMES ? avail : DISK_CHUNK_FRAMES;
        const float *ring = (const float *)spsc_ring_read_slot(&r->ring, 0);
        const float *base = (const float *)r->ring.data;
        uint64_t start = (uint64_t)(ring - base);
        for (uint64_t i = 0; i < frames * ch; ++i)
            r->chunk[i] = base[(start + i) & r->ring.mask];
        spsc_ring_commit_read(&r->ring, frames * ch);
        sf_count_t done = sf_writef_float(r->file, r->chunk, (sf_count_t)frames);
        if (done != (sf_count_t)frames) {
            snprintf(r->fail_msg, sizeof r->fail_msg, "writing the recording failed: %s",
                     sf_strerror(r->file));
            atomic_store(&r->failed, true);
            return false;
        }
        atomic_fetch_add(&r->frames_written, frames);
    }
}

static void *
disk_thread(void *arg)
{
    recorder *r = arg;
    double last_header = now_s();
    for (;;) {
        /* Read stop before draining: whatever was written before stop was
         * set is then guaranteed to be drained by this pass. */
        bool stopping = atomic_load(&r->stop);
        if (!atomic_load(&r->failed))
            drain(r);
        else /* keep the producer from overrunning forever: discard */
            spsc_ring_commit_read(&r->ring, spsc_ring_read_space(&r->ring));
        if (stopping)
            break;
        if (now_s() - last_header > HEADER_UPDATE_S) {
            sf_command(r->file, SFC_UPDATE_HEADER_NOW, NULL, 0);
            last_header = now_s();
        }
        struct timespec ts = {0, DISK_POLL_MS * 1000000L};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

recorder *
recorder_open(const char *path, unsigned channels, unsigned sample_rate, double ring_seconds,
              char *err, size_t err_len)
{
    if (channels == 0 || channels > RECORDER_MAX_CHANNELS) {
        snprintf(err, err_len, "can record 1 to %d ports", RECORDER_MAX_CHANNELS);
        return NULL;
    }
    int format = format_for(path, err, err_len);
    if (!format)
        return NULL;
    recorder *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    r->channels = channels;
    r->sample_rate = sample_rate;
    uint64_t ring_frames = (uint64_t)(ring_seconds * sample_rate) + 1;
    r->chunk = malloc(sizeof(float) * DISK_CHUNK_FRAMES * channels);
    if (!r->chunk || !spsc_ring_init(&r->ring, sizeof(float), ring_frames * channels)) {
        snprintf(err, err_len, "out of memory");
        free(r->chunk);
        free(r);
        return NULL;
    }
    SF_INFO info = {.samplerate = (int)sample_rate, .channels = (int)channels, .format = format};
    r->file = sf_open(path, SFM_WRITE, &info);
    if (!r->file) {
        snprintf(err, err_len, "%s: %s", path, sf_strerror(NULL));
        spsc_ring_free(&r->ring);
        free(r->chunk);
        free(r);
        return NULL;
    }
    /* CV and out-of-range values are clipped, not wrapped, in integer formats. */
    sf_command(r->file, SFC_SET_CLIPPING, NULL, SF_TRUE);
    sf_set_string(r->file, SF_STR_SOFTWARE, "hillock jack");
    atomic_init(&r->stop, false);
    atomic_init(&r->failed, false);
    atomic_init(&r->frames_written, 0);
    atomic_init(&r->overruns, 0);
    atomic_init(&r->frames_dropped, 0);
    if (pthread_create(&r->thread, NULL, disk_thread, r) != 0) {
        snprintf(err, err_len, "cannot start the disk thread: %s", strerror(errno));
        sf_close(r->file);
        spsc_ring_free(&r->ring);
        free(r->chunk);
        free(r);
        return NULL;
    }
    r->thread_started = true;
    return r;
}

bool
recorder_write(recorder *r, const float *const *chans, uint32_t n_frames)
{
    const unsigned ch = r->channels;
    uint64_t need = (uint64_t)n_frames * ch;
    if (spsc_ring_write_space(&r->ring) < need) {
        atomic_fetch_add_explicit(&r->overruns, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&r->frames_dropped, n_frames, memory_order_relaxed);
        return false;
    }
    float *base = (float *)r->ring.data;
    uint64_t start = (uint64_t)((float *)spsc_ring_write_slot(&r->ring, 0) - base);
    for (uint32_t f = 0; f < n_frames; ++f)
        for (unsigned c = 0; c < ch; ++c)
            base[(start + (uint64_t)f * ch + c) & r->ring.mask] = chans[c][f];
    spsc_ring_commit_write(&r->ring, need);
    return true;
}

uint64_t
recorder_frames_written(const recorder *r)
{
    return atomic_load(&((recorder *)r)->frames_written);
}

uint64_t
recorder_overruns(const recorder *r)
{
    return atomic_load(&((recorder *)r)->overruns);
}

uint64_t
recorder_frames_dropped(const recorder *r)
{
    return atomic_load(&((recorder *)r)->frames_dropped);
}

unsigned
recorder_sample_rate(const recorder *r)
{
    return r->sample_rate;
}

bool
recorder_failed(const recorder *r, char *err, size_t err_len)
{
    if (!atomic_load(&((recorder *)r)->failed))
        return false;
    snprintf(err, err_len, "%s", r->fail_msg);
    return true;
}

bool
recorder_close(recorder *r, recorder_totals *totals, char *err, size_t err_len)
{
    if (!r)
        return true;
    atomic_store(&r->stop, true);
    if (r->thread_started)
        pthread_join(r->thread, NULL);
    if (totals)
        *totals = (recorder_totals){atomic_load(&r->frames_written), atomic_load(&r->overruns),
                                    atomic_load(&r->frames_dropped)};
    bool ok = !recorder_failed(r, err, err_len);
    if (sf_close(r->file) != 0 && ok) {
        snprintf(err, err_len, "closing the recording failed");
        ok = false;
    }
    spsc_ring_free(&r->ring);
    free(r->chunk);
    free(r);
    return ok;
}
