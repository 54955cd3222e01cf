/* jack_spikes.h — `hillock jack --play-spikes FILE`: a recording played
 * live. A reader thread streams the spike file (spikefile.h) a chunk at a
 * time into a lock-free queue; the process callback takes from it the
 * spikes each period passes and hands each to engine_play_spike() at its
 * exact fractional frame, as render --play-spikes does. Nothing in the
 * callback reads the file, allocates, locks or waits: a reader that falls
 * behind costs the spikes it brings too late (counted), never a period.
 *
 * Free-running (the default), the recording's time starts with the
 * client's first frame and runs at playback_rate: a spike at t s of the
 * file sounds at output frame t / rate x sample rate + the engine's
 * latency; a change of rate takes effect from the next period, the
 * recording's position kept.
 *
 * Following JACK's transport (--transport, jack_spikes_transport), the
 * recording's time is the transport's seconds x playback_rate, as the
 * plugin's is with its host's: a spike at t s sounds when the transport
 * is at frame t / rate x sample rate (+ the latency); nothing plays while
 * it is stopped. A locate (the frame not where the last period left it,
 * or a change of rate) asks the reader to seek (an atomic number and
 * time, no wait); the reader pushes a marker (unit JACK_SPIKES_MARKER,
 * time = the seek's number) after which the queue holds the new place,
 * and the callback drops what came before it. Meanwhile the callback plays
 * from memory when memory holds the place (dsp/spike_memory.h: the
 * recording's first JACK_SPIKES_HEAD spikes, read at open; the history of
 * the spikes the transport last passed; the landing after the latest jump
 * to a new place): a recording no longer than the head plays from memory
 * alone.
 *
 * Where memory does not hold the place, the transport waits for the
 * reader: the client is one of JACK's slow-sync clients
 * (jack_spikes_sync, the sync callback, run in the process thread before
 * the process callback). On a locate (or a start) JACK holds the
 * transport in JackTransportStarting until every such client is ready;
 * this one is ready at once when memory holds the target, else when the
 * queue plays from the seek the callback asked (the reader's marker is
 * through and spikes follow it; atomics, no wait),
 * or after JACK_SPIKES_SYNC_WAIT_S when the reader does not answer (a
 * failed read is ready at once: it plays what it has). So every locate
 * and every pass of a loop plays every spike; only a reader that took
 * longer than that bound loses the spikes until it answers (late). */
#ifndef HILLOCK_JACK_SPIKES_H
#define HILLOCK_JACK_SPIKES_H

#include "engine.h"
#include "spike_memory.h"
#include "spike_queue.h"
#include "spikefile.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JACK_SPIKES_QUEUE 32768u
#define JACK_SPIKES_CHUNK 4096u
#define JACK_SPIKES_HEAD 65536u
#define JACK_SPIKES_MARKER UINT32_MAX
#define JACK_SPIKES_SYNC_WAIT_S 2.0 /* JACK's own default sync timeout */
#define JACK_SPIKES_SYNC_MARGIN_S 0.2 /* memory must hold this much of the transport */

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
    /* the head: the first head_n spikes, read-only once opened */
    spike_event *head;
    uint32_t head_n;
    bool whole;              /* the head is the whole recording */
    /* seeks: the callback stores seek_to, then seek_asked; the reader
     * answers with a marker and seek_done */
    _Atomic double seek_to;
    _Atomic uint32_t seek_asked;
    uint32_t seek_done;      /* the reader's */
    /* the process callback's */
    bool have_next;
    spike_event next;
    double rate, anchor_s;   /* file time = anchor_s + (frame - anchor_frame) x rate / sr */
    uint64_t anchor_frame;
    /* following the transport (jack_spikes_transport) */
    bool have_pos, awaiting_marker;
    uint64_t expect_frame;   /* where the transport is if it did not jump */
    double pos_rate;         /* playback_rate of the last period */
    uint32_t seek_number;
    spike_event *memory_store; /* spike_memory_storage() */
    spike_memory mem;        /* the head, the history, the landing */
    /* the sync callback's seek: to sync_t, number sync_number; fresh until
     * the transport rolls. The seek it waits for, since JACK frame
     * wait_since (gave_up_number: the last it stopped waiting for) */
    bool sync_fresh, waiting;
    double sync_t;
    uint32_t sync_number, wait_number, gave_up_number;
    uint64_t wait_since;
    _Atomic uint64_t played, late; /* late: came after their period, or no room */
    _Atomic uint64_t sync_waits, sync_gave_up; /* locates the transport waited for */
    _Atomic uint64_t sync_wait_longest; /* JACK frames, the longest wait that ended */
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
/* Process callback, following JACK's transport: queue into e the spikes
 * the transport passes in this period of n frames (none unless rolling),
 * the transport at `frame` at its start. */
void jack_spikes_transport(jack_spikes *j, engine *e, bool rolling, uint64_t frame, uint32_t n,
                           double sample_rate, double rate);
/* Sync callback (process thread), following JACK's transport: the
 * transport is starting or located at `frame`; `now` is JACK's frame time
 * (jack_last_frame_time). Ready (true) when the period at `frame` will
 * play every spike. */
bool jack_spikes_sync(jack_spikes *j, uint64_t frame, double sample_rate, double rate,
                      uint64_t now);

#endif
