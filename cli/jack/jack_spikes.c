/* jack_spikes.c — see jack_spikes.h. */
#include "jack_spikes.h"

#include "jack_rt.h"

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

static void *
reader_main(void *arg)
{
    jack_spikes *j = arg;
    const struct timespec nap = {0, 5000000}; /* 5 ms: a queue holds seconds */
    while (!atomic_load_explicit(&j->stop, memory_order_acquire)) {
        uint32_t room = JACK_SPIKES_QUEUE - spike_queue_waiting(&j->queue);
        if (room < JACK_SPIKES_CHUNK) {
            nanosleep(&nap, NULL);
            continue;
        }
        if (!read_chunk(j, JACK_SPIKES_CHUNK))
            break;
    }
    return NULL;
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
    /* the first chunk before the first period */
    if (!read_chunk(j, JACK_SPIKES_CHUNK) && atomic_load(&j->read_failed)) {
        snprintf(err, err_len, "%s", j->err);
        return false;
    }
    if (!atomic_load(&j->at_end)) {
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
