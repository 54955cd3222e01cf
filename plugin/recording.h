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
 * transport's seconds times playback_rate.
 *
 * A seek takes the worker at least until the next run(), so the spikes of
 * the blocks after a jump come from memory run() already holds when it
 * holds the jump's target (dsp/spike_memory.h), never from the file: the
 * head (the recording's first RECORDING_HEAD spikes, read when it is
 * opened: a recording no longer than that plays from memory alone and the
 * worker is not asked), the history (the last spikes the transport passed:
 * a loop is exact from its first pass) and the landing (the first spikes
 * after the latest jump to a place nothing held: a loop longer than the
 * history is exact from its second pass). A jump while the transport is
 * stopped is exact as soon as one run() has passed before it rolls (the
 * worker seeks meanwhile). Only a jump while rolling to a place no memory
 * holds (never played, past the head) loses the spikes until the worker's
 * seek arrives: LV2 has no way to hold the host's transport until then
 * (counted in `late`). */
#ifndef HILLOCK_RECORDING_H
#define HILLOCK_RECORDING_H

#include "engine.h"
#include "spike_memory.h"
#include "spike_queue.h"
#include "spikefile.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RECORDING_QUEUE 32768u
#define RECORDING_MARKER UINT32_MAX
#define RECORDING_HEAD 65536u

/* The property's data (path_props.h): made in the worker, read by run()
 * through the queue only. */
typedef struct {
    spikefile *file;  /* worker thread only */
    spike_queue queue;
    uint32_t units;   /* fixed once opened */
    spike_event *head; /* the first head_n spikes, in time order; read-only once opened */
    uint32_t head_n;
    bool whole;            /* the head is the whole recording */
    spike_event *memory;   /* spike_memory_storage(): run()'s alone (recording_playback) */
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
    spike_memory mem;     /* the head, the history, the landing: the bridge of a jump */
    double seek_time;     /* the latest jump's target, recording seconds */
    bool seek_pending;    /* the worker has not taken the seek yet */
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
