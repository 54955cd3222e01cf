/* recording.h — recorded neurons in the plugin: the spikes file property
 * (hillock:spikes) streamed from disk and played along the host's
 * transport.
 *
 *   worker thread   recording_open(): opens and checks the file
 *                   (spikefile.h); JOB_FILL / JOB_SEEK (recording_work):
 *                   reads spikes ahead, in time order, into a spike_queue
 *   audio thread    recording_block(): pops the spikes the transport
 *                   passes in the next frames and hands each to
 *                   engine_play_spike() at its exact fractional frame;
 *                   asks the worker for more while the queue runs low, and
 *                   for a seek when the transport jumps (locate, loop)
 *
 * The queue (dsp/spike_queue.h, lock-free, one producer: the worker; one
 * consumer: run()) holds at most RECORDING_QUEUE spikes, so a recording far
 * larger than memory plays with a fixed footprint. After a seek the queue
 * may still hold spikes read before it: the worker pushes a marker (unit
 * RECORDING_MARKER, time = the seek's number) and run() drops everything
 * up to the marker of its latest seek. The transport: time:frame and
 * time:speed of the host's time:Position; the recording's time is the
 * transport's seconds times playback_rate. */
#ifndef HILLOCK_RECORDING_H
#define HILLOCK_RECORDING_H

#include "engine.h"
#include "spike_queue.h"
#include "spikefile.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RECORDING_QUEUE 32768u
#define RECORDING_MARKER UINT32_MAX

/* The property's data (path_props.h): made in the worker, read by run()
 * through the queue only. */
typedef struct {
    spikefile *file;  /* worker thread only */
    spike_queue queue;
    uint32_t units;   /* fixed once opened */
    _Atomic uint32_t jobs_done; /* by the worker, after each job */
    _Atomic bool at_end;        /* the worker read the last spike (until a seek) */
} recording;

/* path_property callbacks (path_props.c) */
bool recording_open(const char *path, void *data, char *err, size_t err_size);
void recording_apply(engine *e, const void *const data[]);
void recording_release(void *data);

/* What run() keeps of the playback (hillock_plugin.playback). */
typedef struct {
    recording *rec;       /* the current recording, NULL for none */
    double host_frame;    /* transport position at the next frame, host frames */
    double speed;         /* transport speed (0 stopped, 1 playing) */
    bool position_known;  /* a time:Position gave a frame */
    bool need_seek;       /* the transport jumped or the recording changed */
    uint32_t seek_number; /* the latest seek asked */
    bool awaiting_marker; /* dropping spikes read before it */
    uint32_t jobs_asked;  /* against rec->jobs_done: a job is on its way */
    bool have_next;
    spike_event next;     /* the next spike popped, not yet due */
    uint64_t late;        /* spikes that arrived after their time (underrun) */
} recording_playback;

struct hillock_plugin;

/* Audio thread. The recording changed (paths_apply). */
void recording_switch(struct hillock_plugin *self, recording *rec);
/* Audio thread. A time:Position said frame (if has_frame) and speed. */
void recording_on_position(struct hillock_plugin *self, bool has_frame, double frame,
                           double speed);
/* Audio thread, before engine_process() of n frames. */
void recording_block(struct hillock_plugin *self, uint32_t n);

/* Worker thread: a job of recording's (worker.c dispatches JOB_RECORDING). */
typedef struct {
    uint32_t kind;   /* JOB_RECORDING (worker.c) */
    uint32_t seek;   /* 1: seek to time_s first and push the marker `number` */
    uint32_t number;
    uint32_t pad;
    double time_s;
    recording *rec;
} recording_job;
void recording_work(const recording_job *job);

#endif
