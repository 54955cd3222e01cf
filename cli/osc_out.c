/* osc_out.c — see osc_out.h. */
#include "osc_out.h"

#include <stdio.h>
#include <stdlib.h>

#ifdef HAVE_OSC
#include "osc_spikes.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#define CHUNK 4096u          /* spikes handled at once */
#define POLL_NS 1000000L     /* the sender thread looks at its queue every 1 ms */

struct osc_out {
    osc_sender *sender;
    char url[512];
    spike_event chunk[CHUNK];
    uint32_t n_chunk;
    _Atomic uint64_t sent, lost;
    char why[256];           /* the first failure */
    spike_queue q;
    bool queue_ok;
    pthread_t thread;
    bool thread_ok;
    atomic_bool stop;
};

osc_out *
osc_out_open(const char *url, char *err, size_t err_len)
{
    osc_out *o = calloc(1, sizeof *o);
    if (!o) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    o->sender = osc_sender_open(url, err, err_len);
    if (!o->sender) {
        free(o);
        return NULL;
    }
    snprintf(o->url, sizeof o->url, "%s", url);
    return o;
}

static void
send_chunk(osc_out *o)
{
    char why[256];
    if (!o->n_chunk)
        return;
    if (osc_sender_send(o->sender, o->chunk, o->n_chunk, why, sizeof why)) {
        atomic_fetch_add_explicit(&o->sent, o->n_chunk, memory_order_relaxed);
    } else {
        if (!atomic_load_explicit(&o->lost, memory_order_relaxed))
            snprintf(o->why, sizeof o->why, "%s", why);
        atomic_fetch_add_explicit(&o->lost, o->n_chunk, memory_order_relaxed);
    }
    o->n_chunk = 0;
}

void
osc_out_block(osc_out *o, const engine_io *io, uint64_t first, uint64_t end, double rate)
{
    for (uint32_t k = 0; k < io->n_spikes; ++k) {
        const engine_spike *s = &io->spikes[k];
        if (first + s->offset >= end)
            continue;
        if (o->n_chunk == CHUNK)
            send_chunk(o);
        o->chunk[o->n_chunk++] = (spike_event){
            .unit = s->neuron,
            .time_s = ((double)(first + s->offset) + (double)s->frac) / rate};
    }
    send_chunk(o);
}

static void *
sender_loop(void *arg)
{
    osc_out *o = arg;
    const struct timespec pause = {0, POLL_NS};
    for (;;) {
        bool stopping = atomic_load_explicit(&o->stop, memory_order_acquire);
        spike_event s;
        bool any = false;
        while (spike_queue_pop(&o->q, &s, 1) == 1) {
            any = true;
            if (s.unit == OSC_OUT_BLOCK_END) {
                send_chunk(o); /* one bundle per block */
                continue;
            }
            if (o->n_chunk == CHUNK)
                send_chunk(o);
            o->chunk[o->n_chunk++] = s;
        }
        if (stopping)
            break;
        if (!any)
            nanosleep(&pause, NULL);
    }
    send_chunk(o);
    return NULL;
}

bool
osc_out_start_thread(osc_out *o, uint32_t queue_capacity, char *err, size_t err_len)
{
    if (!(o->queue_ok = spike_queue_init(&o->q, queue_capacity))) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    atomic_init(&o->stop, false);
    if (pthread_create(&o->thread, NULL, sender_loop, o) != 0) {
        snprintf(err, err_len, "cannot start the OSC sender thread");
        return false;
    }
    o->thread_ok = true;
    return true;
}

spike_queue *
osc_out_queue(osc_out *o)
{
    return o->queue_ok ? &o->q : NULL;
}

uint64_t
osc_out_sent(const osc_out *o)
{
    return atomic_load_explicit(&o->sent, memory_order_relaxed);
}

uint64_t
osc_out_lost(const osc_out *o)
{
    uint64_t queue_lost = o->queue_ok ? spike_queue_dropped(&o->q) : 0;
    return atomic_load_explicit(&o->lost, memory_order_relaxed) + queue_lost;
}

void
osc_out_close(osc_out *o, const char *command)
{
    if (!o)
        return;
    if (o->thread_ok) {
        atomic_store_explicit(&o->stop, true, memory_order_release);
        pthread_join(o->thread, NULL);
    }
    uint64_t lost = osc_out_lost(o);
    if (lost)
        fprintf(stderr, "hillock %s: warning: %llu of %llu spikes were not sent to %s: %s\n",
                command, (unsigned long long)lost,
                (unsigned long long)(lost + osc_out_sent(o)), o->url,
                o->why[0] ? o->why : "the OSC queue was full");
    osc_sender_close(o->sender);
    if (o->queue_ok)
        spike_queue_free(&o->q);
    free(o);
}

#else /* built without liblo */

osc_out *
osc_out_open(const char *url, char *err, size_t err_len)
{
    snprintf(err, err_len, "cannot send OSC to %s: this hillock was built without liblo", url);
    return NULL;
}

void osc_out_close(osc_out *o, const char *command) { (void)o, (void)command; }
void osc_out_block(osc_out *o, const engine_io *io, uint64_t first, uint64_t end, double rate)
{
    (void)o, (void)io, (void)first, (void)end, (void)rate;
}
bool osc_out_start_thread(osc_out *o, uint32_t c, char *err, size_t err_len)
{
    (void)o, (void)c, (void)err, (void)err_len;
    return false;
}
spike_queue *osc_out_queue(osc_out *o) { (void)o; return NULL; }
uint64_t osc_out_sent(const osc_out *o) { (void)o; return 0; }
uint64_t osc_out_lost(const osc_out *o) { (void)o; return 0; }

#endif
