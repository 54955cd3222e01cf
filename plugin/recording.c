/* recording.c — see recording.h. */
#include "recording.h"

#include "plugin.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FILL_CHUNK 1024u

/* Worker thread: the head, the first RECORDING_HEAD spikes, for run() to
 * play from memory after a jump (recording.h). The file stays where the
 * head ends; every play starts with a seek. */
static bool
read_head(recording *r, const char *path, char *err, size_t err_size)
{
    uint64_t total = spikefile_spikes(r->file);
    uint32_t want = total < RECORDING_HEAD ? (uint32_t)total : RECORDING_HEAD;
    r->head = calloc(want ? want : 1u, sizeof *r->head);
    r->memory = spike_memory_storage();
    if (!r->head || !r->memory) {
        snprintf(err, err_size, "%s: out of memory", path);
        return false;
    }
    spikefile_spike in[FILL_CHUNK];
    while (r->head_n < want) {
        size_t ask = want - r->head_n < FILL_CHUNK ? want - r->head_n : FILL_CHUNK;
        long got = spikefile_read(r->file, in, ask, err, err_size);
        if (got < 0)
            return false;
        if (got == 0)
            break;
        for (long k = 0; k < got; ++k)
            r->head[r->head_n++] = (spike_event){.unit = in[k].unit, .time_s = in[k].time_s};
    }
    r->whole = r->head_n == total;
    return true;
}

bool
recording_open(const char *path, void *data, char *err, size_t err_size)
{
    recording *r = data;
    memset(r, 0, sizeof *r);
    r->file = spikefile_open(path, err, err_size);
    if (!r->file)
        return false;
    if (!spike_queue_init(&r->queue, RECORDING_QUEUE)) {
        spikefile_close(r->file);
        snprintf(err, err_size, "%s: out of memory", path);
        return false;
    }
    r->units = spikefile_units(r->file);
    if (!read_head(r, path, err, err_size)) {
        recording_release(r);
        return false;
    }
    return true;
}

void
recording_release(void *data)
{
    recording *r = data;
    spikefile_close(r->file);
    spike_queue_free(&r->queue);
    free(r->head);
    spike_memory_storage_free(r->memory);
    r->file = NULL;
    r->head = r->memory = NULL;
}

void
recording_apply(engine *e, const void *const data[])
{
    const recording *r = data[PATH_SPIKES];
    engine_set_recorded_units(e, r ? r->units : 0u);
}

/* Worker thread: read ahead until the queue is full but for one slot,
 * which a seek's marker may need. */
static void
fill(recording *r)
{
    spikefile_spike in[FILL_CHUNK];
    spike_event out[FILL_CHUNK];
    char err[256];
    for (;;) {
        uint32_t room = RECORDING_QUEUE - spike_queue_waiting(&r->queue);
        if (room <= 1u)
            return;
        size_t want = room - 1u < FILL_CHUNK ? room - 1u : FILL_CHUNK;
        long got = spikefile_read(r->file, in, want, err, sizeof err);
        if (got <= 0) { /* the end (or a file changed under us: it plays what it had) */
            atomic_store_explicit(&r->at_end, true, memory_order_release);
            return;
        }
        for (long k = 0; k < got; ++k)
            out[k] = (spike_event){.unit = in[k].unit, .time_s = in[k].time_s};
        if (!spike_queue_push(&r->queue, out, (uint32_t)got))
            return;
    }
}

void
recording_work(const recording_job *job)
{
    recording *r = job->rec;
    if (job->seek) {
        char err[256];
        spikefile_seek(r->file, job->time_s, err, sizeof err);
        atomic_store_explicit(&r->at_end, false, memory_order_release);
        spike_event marker = {.unit = RECORDING_MARKER, .time_s = (double)job->number};
        spike_queue_push(&r->queue, &marker, 1);
    }
    fill(r);
    atomic_fetch_add_explicit(&r->jobs_done, 1u, memory_order_release);
}

static void
ask(hillock_plugin *self, bool seek, double time_s)
{
    recording_playback *p = &self->playback;
    LV2_Worker_Schedule *s = self->paths.schedule;
    if (!s || !p->rec)
        return;
    recording_job job = {.kind = WORKER_JOB_RECORDING, .seek = seek ? 1u : 0u,
                         .number = seek ? p->seek_number + 1u : p->seek_number,
                         .time_s = time_s, .rec = p->rec};
    if (s->schedule_work(s->handle, sizeof job, &job) != LV2_WORKER_SUCCESS)
        return; /* asked again next block */
    if (seek) {
        p->seek_number++;
        p->awaiting_marker = true;
        p->have_next = false;
        p->seek_pending = false;
    }
    p->jobs_asked++;
}

void
recording_switch(hillock_plugin *self, recording *rec)
{
    recording_playback *p = &self->playback;
    p->rec = rec;
    p->have_next = false;
    p->awaiting_marker = false;
    p->seek_pending = false;
    if (rec)
        spike_memory_reset(&p->mem, rec->head, rec->head_n, rec->whole, rec->memory);
    p->jobs_asked = rec ? atomic_load_explicit(&rec->jobs_done, memory_order_acquire) : 0u;
    p->need_seek = rec != NULL;
    engine_clear_recorded(self->eng);
}

void
recording_on_position(hillock_plugin *self, bool has_frame, double frame, double speed)
{
    recording_playback *p = &self->playback;
    if (has_frame && (!p->position_known || frame != p->host_frame)) {
        /* a locate or a loop: the queued spikes belong to another time */
        p->need_seek = true;
        engine_clear_recorded(self->eng);
    }
    if (has_frame) {
        p->host_frame = frame;
        p->position_known = true;
    }
    p->speed = speed;
}

/* A jump to recording time t: play from memory until the worker's seek
 * arrives (recording.h). */
static void
jump(recording_playback *p, double t)
{
    p->seek_time = t;
    p->seek_pending = !p->rec->whole;
    spike_memory_jump(&p->mem, t);
}

/* The next spike, from the queue; false when none is there yet. */
static bool
peek(recording_playback *p)
{
    while (!p->have_next) {
        if (spike_queue_pop(&p->rec->queue, &p->next, 1) == 0)
            return false;
        if (p->next.unit == RECORDING_MARKER) {
            if (p->next.time_s == (double)p->seek_number)
                p->awaiting_marker = false;
            continue;
        }
        p->have_next = !p->awaiting_marker;
        if (p->have_next)
            spike_memory_keep(&p->mem, &p->next);
    }
    return true;
}

/* Plays spike s at its frame in the block of n frames. */
static void
play(hillock_plugin *self, const spike_event *s, double rate, uint32_t n)
{
    recording_playback *p = &self->playback;
    const double sr = self->sample_rate;
    /* its frame in the block: exact, at any speed and rate */
    double ahead = (s->time_s / rate * sr - p->host_frame) / p->speed;
    engine_play_spike(self->eng, s->unit, ahead < (double)n ? ahead : (double)n);
}

void
recording_block(hillock_plugin *self, uint32_t n)
{
    recording_playback *p = &self->playback;
    recording *r = p->rec;
    if (!r)
        return;
    const double sr = self->sample_rate;
    const double rate = (double)engine_get_param(self->eng, P_PLAYBACK_RATE);
    const double speed = p->speed;
    /* the recording's time over the block: the transport's seconds x rate */
    const double t0 = p->host_frame / sr * rate;
    const double t1 = (p->host_frame + (double)n * speed) / sr * rate;
    if (p->need_seek) {
        p->need_seek = false;
        jump(p, t0);
    }
    if (p->seek_pending)
        ask(self, true, p->seek_time);
    if (p->awaiting_marker)
        peek(p); /* what was read before the seek goes, stopped or not */
    if (spike_memory_bridging(&p->mem) && !r->whole && !p->awaiting_marker && !p->seek_pending &&
        (peek(p) || atomic_load_explicit(&r->at_end, memory_order_acquire)))
        spike_memory_end_bridge(&p->mem); /* the seek's spikes arrived: the queue goes on */
    if (speed > 0.0 && spike_memory_bridging(&p->mem)) {
        const spike_event *s;
        for (; (s = spike_memory_peek(&p->mem)) && s->time_s < t1; spike_memory_advance(&p->mem))
            if (s->time_s >= t0)
                play(self, s, rate, n);
    } else if (speed > 0.0) {
        while (peek(p)) {
            double t = p->next.time_s;
            if (t >= t1)
                break;
            p->have_next = false;
            if (t < t0) {
                /* played from memory, or read too late to play */
                if (t >= spike_memory_covered(&p->mem))
                    p->late++;
                continue;
            }
            play(self, &p->next, rate, n);
        }
    }
    p->host_frame += (double)n * speed;
    if (r->whole)
        return;
    if (!p->seek_pending && !p->awaiting_marker && !p->have_next &&
        atomic_load_explicit(&r->at_end, memory_order_acquire) &&
        spike_queue_waiting(&r->queue) == 0u)
        spike_memory_stream_end(&p->mem); /* nothing follows what it holds */
    bool busy = p->jobs_asked != atomic_load_explicit(&r->jobs_done, memory_order_acquire);
    if (!busy && !p->seek_pending && !atomic_load_explicit(&r->at_end, memory_order_acquire) &&
        spike_queue_waiting(&r->queue) < RECORDING_QUEUE / 2u)
        ask(self, false, 0.0);
}
