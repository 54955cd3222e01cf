/* recorder.h — record some of the JACK client's port buffers to a WAV or
 * FLAC file without touching the file from the process callback.
 *
 * The process callback calls recorder_write(), which interleaves the frames
 * into a lock-free ring (spsc_ring.h) or, when the ring is too full, drops
 * the whole block and counts an overrun. A disk thread drains the ring into
 * libsndfile and refreshes the file header about once a second, so even a
 * killed process leaves a readable file. recorder_close() drains what is
 * left, writes the final header and joins the thread. */
#ifndef HILLOCK_RECORDER_H
#define HILLOCK_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RECORDER_MAX_CHANNELS 8

typedef struct recorder recorder;

/* Container and sample format from the file name's extension: .wav (32-bit
 * float, so CV values beyond +-1 survive), .flac (24-bit), .w64, .caf (float).
 * ring_seconds of audio fit in the ring. Returns NULL with a message in err. */
recorder *recorder_open(const char *path, unsigned channels, unsigned sample_rate,
                        double ring_seconds, char *err, size_t err_len);

/* Process thread: append n_frames frames, channel c read from chans[c].
 * Never blocks, allocates or locks. Returns false on overrun (block dropped). */
bool recorder_write(recorder *r, const float *const *chans, uint32_t n_frames);

/* Any thread: counters. */
uint64_t recorder_frames_written(const recorder *r); /* reached the file */
uint64_t recorder_overruns(const recorder *r);       /* blocks dropped */
uint64_t recorder_frames_dropped(const recorder *r);
/* True once a write to the file failed (disk full...); message in err. */
bool recorder_failed(const recorder *r, char *err, size_t err_len);
unsigned recorder_sample_rate(const recorder *r);

typedef struct {
    uint64_t frames_written, overruns, frames_dropped;
} recorder_totals;

/* Drain, finalise the header, close, free; the final counters go to totals
 * (if not NULL). Returns false if writing failed. NULL r is a no-op. */
bool recorder_close(recorder *r, recorder_totals *totals, char *err, size_t err_len);

#endif
