/* jack_osc.c — see jack_osc.h. */
#include "jack_osc.h"

#include "exit_codes.h"

#include <stdio.h>
#include <string.h>

#ifdef HAVE_OSC
#include "osc_spikes.h"
#endif

#define OSC_QUEUE_SPIKES 65536u /* about a second of a busy bank */

#ifdef HAVE_OSC
/* The receiver thread's stamp: JACK's frame time now (any thread may ask). */
static uint64_t
frame_time_now(void *client)
{
    return jack_frame_time((jack_client_t *)client);
}
#endif

int
jack_osc_open(jack_osc *j, const jack_options *o, jack_rt *s, jack_client_t *client)
{
    memset(j, 0, sizeof *j);
    char err[512];
    if (o->osc) {
        j->out = osc_out_open(o->osc, err, sizeof err);
        if (!j->out || !osc_out_start_thread(j->out, OSC_QUEUE_SPIKES, err, sizeof err)) {
            fprintf(stderr, "hillock jack: --osc: %s\n", err);
            osc_out_close(j->out, "jack");
            j->out = NULL;
            return EXIT_OUTPUT;
        }
        s->osc_out = osc_out_queue(j->out);
    }
    if (o->osc_in) {
#ifdef HAVE_OSC
        if (!(j->in_q_ok = spike_queue_init(&j->in_q, OSC_QUEUE_SPIKES))) {
            fprintf(stderr, "hillock jack: out of memory\n");
            return EXIT_INTERNAL;
        }
        j->in = osc_receiver_open(o->osc_in, o->osc_in_any, &j->in_q, frame_time_now, client,
                                  err, sizeof err);
        if (!j->in) {
            fprintf(stderr, "hillock jack: --osc-in: %s\n", err);
            return EXIT_INPUT;
        }
        s->osc_in = &j->in_q;
        if (!o->quiet)
            fprintf(stderr, "hillock jack: playing OSC spikes received on %s port %d\n",
                    o->osc_in_any ? "every interface," : "127.0.0.1", osc_receiver_port(j->in));
#else
        (void)client;
        fprintf(stderr, "hillock jack: --osc-in: this hillock was built without liblo\n");
        return EXIT_INPUT;
#endif
    }
    return EXIT_OK;
}

void
jack_osc_close(jack_osc *j, jack_rt *s, bool quiet)
{
    if (j->out) {
        if (!quiet)
            fprintf(stderr, "hillock jack: OSC out: %llu spikes sent\n",
                    (unsigned long long)osc_out_sent(j->out));
        osc_out_close(j->out, "jack"); /* warns of spikes not sent */
        j->out = NULL;
        s->osc_out = NULL;
    }
#ifdef HAVE_OSC
    if (j->in) {
        uint64_t played = atomic_load(&s->osc_in_played);
        double rate = (double)atomic_load(&s->sample_rate);
        double mean_ms = played && rate > 0
                             ? 1e3 * (double)atomic_load(&s->osc_latency_sum) / played / rate
                             : 0.0;
        double max_ms = rate > 0 ? 1e3 * (double)atomic_load(&s->osc_latency_max) / rate : 0.0;
        uint64_t dropped = spike_queue_dropped(&j->in_q), ignored = osc_receiver_ignored(j->in);
        if (!quiet)
            fprintf(stderr,
                    "hillock jack: OSC in: %llu spikes played, latency from message to the "
                    "output port %.2f ms mean, %.2f ms most\n",
                    (unsigned long long)played, mean_ms, max_ms);
        if (dropped || ignored)
            fprintf(stderr,
                    "hillock jack: warning: OSC in: %llu spikes dropped (queue full), %llu "
                    "messages ignored (not /hillock/spike ,i or ,id)\n",
                    (unsigned long long)dropped, (unsigned long long)ignored);
        osc_receiver_close(j->in);
        j->in = NULL;
    }
#endif
    s->osc_in = NULL;
    if (j->in_q_ok)
        spike_queue_free(&j->in_q);
    j->in_q_ok = false;
}
