/* jack_spikes.c — see jack_spikes.h. */
#include "jack_spikes.h"

#include "jack_rt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Reader thread: up to one chunk into the queue. False at the end or on
 * an error (then `failed`, with err). */
static bool
read_chunk(jack_spikes *j, uint32_t max)
{
    spikefile_spike *in = j->read_in;
    spike_event *out = j->read_out;
    long got = spikefile_read(j->file, in, max, j->err, sizeof j->err);
    if (got < 0) {
        atomic_store_explicit(&j->read_failed, true, memory_order_release);
        return false;
    }
    if (got == 0) {
        atomic_store_explicit(&j->at_end, true, memory_order_release);
        return false;
    }
    for (long k = 0; k < got; ++k)
        out[k] = (spike_event){.unit = in[k].unit, .time_s = in[k].time_s};
    spike_queue_push(&j->queue, out, (uint32_t)got); /* it fits: the room was measured */
    return true;
}

/* Reader thread: a seek the callback asked for, once the queue has room
 * for its marker. */
static void
serve_seek(jack_spikes *j)
{
    uint32_t asked = atomic_load_explicit(&j->seek_asked, memory_order_acquire);
    if (asked == j->seek_done || spike_queue_waiting(&j->queue) >= JACK_SPIKES_QUEUE)
        return;
    double t = atomic_load_explicit(&j->seek_to, memory_order_relaxed);
    char err[256];
    if (!spikefile_seek(j->file, t, err, sizeof err)) {
        snprintf(j->err, sizeof j->err, "%s", err);
        atomic_store_explicit(&j->read_failed, true, memory_order_release);
    } else {
        atomic_store_explicit(&j->at_end, false, memory_order_release);
    }
    spike_event marker = {.unit = JACK_SPIKES_MARKER, .time_s = (double)asked};
    spike_queue_push(&j->queue, &marker, 1);
    j->seek_done = asked;
}

static void *
reader_main(void *arg)
{
    jack_spikes *j = arg;
    const struct timespec nap = {0, 5000000}; /* 5 ms: a queue holds seconds */
    while (!atomic_load_explicit(&j->stop, memory_order_acquire)) {
        serve_seek(j);
        uint32_t room = JACK_SPIKES_QUEUE - spike_queue_waiting(&j->queue);
        /* at the end (or after a read error) only a seek reads again */
        if (room < JACK_SPIKES_CHUNK || atomic_load(&j->at_end) || atomic_load(&j->read_failed)) {
            nanosleep(&nap, NULL);
            continue;
        }
        read_chunk(j, JACK_SPIKES_CHUNK);
    }
    return NULL;
}

/* The head: the first JACK_SPIKES_HEAD spikes, for the callback to play
 * from memory after a locate (with the rest of its memory, allocated
 * here); then the file back at its start. */
static bool
read_head(jack_spikes *j, char *err, size_t err_len)
{
    uint64_t total = spikefile_spikes(j->file);
    uint32_t want = total < JACK_SPIKES_HEAD ? (uint32_t)total : JACK_SPIKES_HEAD;
    j->head = malloc((want ? want : 1u) * sizeof *j->head);
    j->memory_store = spike_memory_storage();
    if (!j->head || !j->memory_store) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    while (j->head_n < want) {
        uint32_t ask = want - j->head_n < JACK_SPIKES_CHUNK ? want - j->head_n
                                                            : JACK_SPIKES_CHUNK;
        long got = spikefile_read(j->file, j->read_in, ask, err, err_len);
        if (got < 0)
            return false;
        if (got == 0)
            break;
        for (long k = 0; k < got; ++k)
            j->head[j->head_n++] =
                (spike_event){.unit = j->read_in[k].unit, .time_s = j->read_in[k].time_s};
    }
    j->whole = j->head_n == total;
    spike_memory_reset(&j->mem, j->head, j->head_n, j->whole, j->memory_store);
    return spikefile_seek(j->file, 0.0, err, err_len);
}

bool
jack_spikes_open(jack_spikes *j, const char *path, char *err, size_t err_len)
{
    memset(j, 0, sizeof *j);
    j->file = spikefile_open(path, err, err_len);
    if (!j->file)
        return false;
    j->read_in = malloc(JACK_SPIKES_CHUNK * sizeof *j->read_in);
    j->read_out = malloc(JACK_SPIKES_CHUNK * sizeof *j->read_out);
    if (!j->read_in || !j->read_out ||
        !(j->queue_ok = spike_queue_init(&j->queue, JACK_SPIKES_QUEUE))) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    if (!read_head(j, err, err_len))
        return false;
    /* the first chunk before the first period */
    if (!read_chunk(j, JACK_SPIKES_CHUNK) && atomic_load(&j->read_failed)) {
        snprintf(err, err_len, "%s", j->err);
        return false;
    }
    if (!j->whole || !atomic_load(&j->at_end)) { /* a seek may need it */
        if (pthread_create(&j->reader, NULL, reader_main, j) != 0) {
            snprintf(err, err_len, "cannot start the reader thread");
            return false;
        }
        j->reader_running = true;
    }
    return true;
}

uint32_t
jack_spikes_units(const jack_spikes *j)
{
    return spikefile_units(j->file);
}

void
jack_spikes_close(jack_spikes *j)
{
    if (j->reader_running) {
        atomic_store_explicit(&j->stop, true, memory_order_release);
        pthread_join(j->reader, NULL);
        j->reader_running = false;
    }
    spikefile_close(j->file);
    j->file = NULL;
    if (j->queue_ok)
        spike_queue_free(&j->queue);
    j->queue_ok = false;
    free(j->read_in);
    free(j->read_out);
    free(j->head);
    spike_memory_storage_free(j->memory_store);
    j->head = NULL;
    j->memory_store = NULL;
    j->read_in = NULL;
    j->read_out = NULL;
}

void
jack_spikes_describe(const jack_spikes *j, FILE *out, const char *path)
{
    static const char *const formats[] = {"CSV", "NWB", "MIDI"};
    const spikefile *f = j->file;
    fprintf(out, "hillock jack: playing '%s' (%s): %u units, %llu spikes over %.3f s\n", path,
            formats[spikefile_format_of(f)], spikefile_units(f),
            (unsigned long long)spikefile_spikes(f), spikefile_duration(f));
}

void
jack_spikes_period(jack_spikes *j, engine *e, uint64_t frame0, uint32_t n, double sample_rate,
                   double rate)
{
    if (!(rate > 0.0) || !(sample_rate > 0.0))
        return;
    if (rate != j->rate) { /* the file's position here stays; its pace changes */
        if (j->rate > 0.0)
            j->anchor_s += (double)(frame0 - j->anchor_frame) * j->rate / sample_rate;
        j->anchor_frame = frame0;
        j->rate = rate;
    }
    const double frames_per_s = sample_rate / rate; /* output frames per second of the file */
    const double start = (double)(frame0 - j->anchor_frame), end = start + (double)n;
    uint64_t played = 0, late = 0;
    for (;;) {
        if (!j->have_next) {
            if (spike_queue_pop(&j->queue, &j->next, 1) == 0)
                break;
            j->have_next = true;
        }
        /* the spike's frame from the anchor, fractional */
        double at = (j->next.time_s - j->anchor_s) * frames_per_s;
        if (at >= end)
            break;
        j->have_next = false;
        if (at >= start && engine_play_spike(e, j->next.unit, at - start))
            played++;
        else
            late++;
    }
    if (played)
        atomic_fetch_add_explicit(&j->played, played, memory_order_relaxed);
    if (late)
        atomic_fetch_add_explicit(&j->late, late, memory_order_relaxed);
}

/* Asks the reader to seek to t; what the queue holds up to its marker
 * goes. */
static void
ask_seek(jack_spikes *j, double t)
{
    j->seek_number++;
    atomic_store_explicit(&j->seek_to, t, memory_order_relaxed);
    atomic_store_explicit(&j->seek_asked, j->seek_number, memory_order_release);
    j->awaiting_marker = true;
    j->have_next = false;
}

/* The queue plays from the latest seek: its marker is through and the
 * spikes after it are there (the reader pushes a chunk at a time), or the
 * recording ends there. */
static bool
stream_ready(const jack_spikes *j)
{
    return !j->awaiting_marker &&
           (j->have_next || spike_queue_waiting(&j->queue) > 0u ||
            atomic_load_explicit(&j->at_end, memory_order_acquire));
}

/* The sync callback's seek to t is the latest, and nothing played since. */
static bool
synced_to(const jack_spikes *j, double t)
{
    return j->sync_fresh && j->sync_number == j->seek_number && j->sync_t == t;
}

/* A locate to recording time t: memory plays from there, if it holds it,
 * while the reader seeks (jack_spikes.h). */
static void
locate(jack_spikes *j, engine *e, double t)
{
    engine_clear_recorded(e); /* what was scheduled belongs to another time */
    spike_memory_jump(&j->mem, t);
    if (!j->whole && !synced_to(j, t)) /* whole: memory plays it all */
        ask_seek(j, t);
}

bool
jack_spikes_sync(jack_spikes *j, uint64_t frame, double sample_rate, double rate, uint64_t now)
{
    if (!(rate > 0.0) || !(sample_rate > 0.0) || j->whole ||
        atomic_load_explicit(&j->read_failed, memory_order_acquire))
        return true;
    const double t = (double)frame / sample_rate * rate;
    bool ready;
    if (j->have_pos && frame == j->expect_frame && rate == j->pos_rate) {
        /* no jump (a start where it stopped, or a wait going on): the
         * queue goes on where it is, or memory plays while a seek the
         * process callback asked is on its way */
        ready = stream_ready(j) || spike_memory_bridging(&j->mem);
    } else if (synced_to(j, t)) {
        ready = stream_ready(j);
    } else if (spike_memory_holds(&j->mem, t, t + JACK_SPIKES_SYNC_MARGIN_S * rate)) {
        return true; /* memory plays while the reader seeks */
    } else {
        ask_seek(j, t); /* the process callback's locate takes it (synced_to) */
        j->sync_fresh = true;
        j->sync_t = t;
        j->sync_number = j->seek_number;
        ready = false;
    }
    if (ready) {
        if (j->waiting) { /* the wait that ends here, measured */
            j->waiting = false;
            if (now - j->wait_since > atomic_load_explicit(&j->sync_wait_longest,
                                                           memory_order_relaxed))
                atomic_store_explicit(&j->sync_wait_longest, now - j->wait_since,
                                      memory_order_relaxed);
        }
        return true;
    }
    /* wait for the latest seek (the process callback drops what came
     * before it), a bounded time */
    if (!j->waiting || j->wait_number != j->seek_number) {
        j->waiting = true;
        j->wait_number = j->seek_number;
        j->wait_since = now;
        atomic_fetch_add_explicit(&j->sync_waits, 1u, memory_order_relaxed);
    }
    if ((double)(now - j->wait_since) < JACK_SPIKES_SYNC_WAIT_S * sample_rate)
        return false;
    if (j->wait_number != j->gave_up_number) { /* counted once */
        j->gave_up_number = j->wait_number;
        atomic_fetch_add_explicit(&j->sync_gave_up, 1u, memory_order_relaxed);
    }
    return true;
}

/* Drop what the queue holds from before the latest seek, up to its marker. */
static void
drop_to_marker(jack_spikes *j)
{
    spike_event s;
    while (j->awaiting_marker && spike_queue_pop(&j->queue, &s, 1) == 1)
        if (s.unit == JACK_SPIKES_MARKER && s.time_s == (double)j->seek_number)
            j->awaiting_marker = false;
}

void
jack_spikes_transport(jack_spikes *j, engine *e, bool rolling, uint64_t frame, uint32_t n,
                      double sample_rate, double rate)
{
    if (!(rate > 0.0) || !(sample_rate > 0.0))
        return;
    if (!j->have_pos || frame != j->expect_frame || rate != j->pos_rate)
        locate(j, e, (double)frame / sample_rate * rate);
    j->have_pos = true;
    j->expect_frame = frame + (rolling ? n : 0u);
    j->pos_rate = rate;
    drop_to_marker(j);
    if (spike_memory_bridging(&j->mem) && !j->whole && stream_ready(j))
        spike_memory_end_bridge(&j->mem); /* the seek arrived: the queue goes on from here */
    if (!rolling)
        return;
    j->sync_fresh = false; /* the stream moves on from the sync's seek */
    /* a spike's frame in the period: its time at this rate, from the
     * transport's frame, fractional */
    const double frames_per_s = sample_rate / rate, from = (double)frame, end = (double)n;
    uint64_t played = 0, late = 0;
    if (spike_memory_bridging(&j->mem)) {
        const spike_event *s;
        for (; (s = spike_memory_peek(&j->mem)); spike_memory_advance(&j->mem)) {
            double at = s->time_s * frames_per_s - from;
            if (at >= end)
                break;
            if (at >= 0.0 && engine_play_spike(e, s->unit, at))
                played++;
            else
                late++;
        }
    } else if (!j->awaiting_marker) {
        for (;;) {
            if (!j->have_next) {
                if (spike_queue_pop(&j->queue, &j->next, 1) == 0)
                    break;
                if (j->next.unit == JACK_SPIKES_MARKER)
                    continue; /* an older seek's */
                j->have_next = true;
                spike_memory_keep(&j->mem, &j->next);
            }
            double at = j->next.time_s * frames_per_s - from;
            if (at >= end)
                break;
            j->have_next = false;
            if (at >= 0.0 && engine_play_spike(e, j->next.unit, at))
                played++;
            else if (j->next.time_s >= spike_memory_covered(&j->mem)) /* else memory played it */
                late++;
        }
        if (!j->have_next && atomic_load_explicit(&j->at_end, memory_order_acquire) &&
            spike_queue_waiting(&j->queue) == 0u)
            spike_memory_stream_end(&j->mem); /* nothing follows what it holds */
    }
    if (played)
        atomic_fetch_add_explicit(&j->played, played, memory_order_relaxed);
    if (late)
        atomic_fetch_add_explicit(&j->late, late, memory_order_relaxed);
}

void
jack_spikes_adopt(jack_rt *s)
{
    if (!atomic_load_explicit(&s->spikes_pending, memory_order_acquire) ||
        atomic_load_explicit(&s->spikes_retired, memory_order_acquire))
        return; /* nothing new, or the last one replaced is not closed yet */
    jack_spikes *fresh = atomic_exchange_explicit(&s->spikes_pending, NULL, memory_order_acq_rel);
    if (!fresh)
        return;
    if (s->spikes_in)
        atomic_store_explicit(&s->spikes_retired, s->spikes_in, memory_order_release);
    s->spikes_in = fresh; /* its time starts with this period (jack_spikes_period) */
    uint32_t units = jack_spikes_units(fresh);
    if (units > s->osc_in_units)
        s->osc_in_units = units;
    engine_set_recorded_units(s->eng, s->osc_in_units);
}

bool
jack_spikes_offer(jack_rt *s, const char *path, char *msg, size_t msg_len)
{
    if (atomic_load_explicit(&s->spikes_pending, memory_order_acquire)) {
        snprintf(msg, msg_len, "spikes: the recording before is not playing yet; try again");
        return false;
    }
    char err[512];
    jack_spikes *j = malloc(sizeof *j);
    if (!j || !jack_spikes_open(j, path, err, sizeof err)) {
        snprintf(msg, msg_len, "spikes: %s; the current recording plays on",
                 j ? err : "out of memory");
        if (j)
            jack_spikes_close(j);
        free(j);
        return false;
    }
    snprintf(msg, msg_len, "spikes: playing '%s' from now: %u units, %llu spikes over %.3f s",
             path, spikefile_units(j->file), (unsigned long long)spikefile_spikes(j->file),
             spikefile_duration(j->file));
    atomic_store_explicit(&s->spikes_pending, j, memory_order_release);
    return true;
}

void
jack_spikes_collect(jack_rt *s)
{
    jack_spikes *old = atomic_exchange_explicit(&s->spikes_retired, NULL, memory_order_acq_rel);
    if (old) {
        jack_spikes_close(old);
        free(old);
    }
}
