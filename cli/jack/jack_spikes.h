/* jack_spikes.h — `hillock jack --play-spikes FILE`: a recording played
 * live. A reader thread streams the spike file (spikefile.h) a chunk at a
 * time into a lock-free queue; the process callback takes from it the
 * spikes each period passes and hands each to engine_play_spike() at its
 * exact fractional frame, as render --play-spikes does. Nothing in the
 * callback reads the file, allocates, locks or waits: a reader that falls
 * behind costs the spikes it brings too late (counted), never a period.
 *
 * The recording's time starts with the client's first frame and runs at
 * playback_rate: a spike at t s of the file sounds at output frame
 * t / rate x sample rate + the engine's latency; a change of rate takes
 * effect from the next period, the recording's position kept. */
#ifndef HILLOCK_JACK_SPIKES_H
#define HILLOCK_JACK_SPIKES_H

#include "engine.h"
#include "spike_queue.h"
#include "spikefile.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JACK_SPIKES_QUEUE 32768u
#define JACK_SPIKES_CHUNK 4096u

typedef struct jack_spikes {
    /* the reader thread's */
    spikefile *file;
    pthread_t reader;
    bool reader_running;
    atomic_bool stop;
    char err[256];           /* a read error, written before `failed` */
    atomic_bool read_failed, at_end;
    spikefile_spike *read_in; /* a chunk read, and as queued */
    spike_event *read_out;
    spike_queue queue;       /* reader -> process callback */
    bool queue_ok;
    /* the process callback's */
    bool have_next;
    spike_event next;
    double rate, anchor_s;   /* file time = anchor_s + (frame - anchor_frame) x rate / sr */
    uint64_t anchor_frame;
    _Atomic uint64_t played, late; /* late: came after their period, or no room */
} jack_spikes;

/* Before jack_activate: open and check the file (a bad one: false, the
 * reason in err), read its first chunk into the queue and start the
 * reader. */
bool jack_spikes_open(jack_spikes *j, const char *path, char *err, size_t err_len);
/* Units in the recording (for engine_set_recorded_units). */
uint32_t jack_spikes_units(const jack_spikes *j);
/* After the process callback stopped: stop the reader, close the file. */
void jack_spikes_close(jack_spikes *j);
/* One line: what plays (format, units, spikes, length). */
void jack_spikes_describe(const jack_spikes *j, FILE *out, const char *path);

/* Process callback: take the recording a `spikes FILE` control line left in
 * s->spikes_pending, unless the last one replaced is not collected yet. */
struct jack_rt;
void jack_spikes_adopt(struct jack_rt *s);
/* Control thread: `spikes FILE`. Opens and checks it (a bad file: false,
 * the reason in msg; the current recording plays on) and leaves it for
 * the process callback, which plays it from its next period. */
bool jack_spikes_offer(struct jack_rt *s, const char *path, char *msg, size_t msg_len);
/* Main thread: close a recording the process callback replaced. */
void jack_spikes_collect(struct jack_rt *s);

/* Process callback: queue into e the spikes of output frames
 * [frame0, frame0 + n) at sample_rate and playback rate `rate`. */
void jack_spikes_period(jack_spikes *j, engine *e, uint64_t frame0, uint32_t n,
                        double sample_rate, double rate);

#endif
