/* osc_probe — the latency of a plugin's OSC input under a JACK host, from
 * message to sound, on the server's frame clock.
 *
 *   osc_probe SOURCE_PORT OSC_PORT COUNT
 *
 * A JACK client whose input is connected from SOURCE_PORT (the plugin's
 * audio output). Its main thread sends COUNT messages /hillock/spike ,i 0
 * to 127.0.0.1:OSC_PORT with liblo, a quarter second apart, noting
 * jack_frame_time() at each send; its process callback notes the frame
 * time of each click's first sample above -46 dBFS (the plugin plays only the clicks). A sound
 * written in a cycle leaves for the backend at the cycle's end, one period
 * after its frame time (what `hillock jack` counts too), so the latency
 * is click frame + period - send frame. Prints one line per message and
 * the mean and the most in ms; exit 1 if a message made no click. */
#include <jack/jack.h>
#include <lo/lo.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CLICKS 64

static jack_port_t *in;
static jack_client_t *client;
static jack_nframes_t clicks[MAX_CLICKS];
static atomic_uint n_clicks;
static jack_nframes_t quiet_until; /* a click's own samples count once */
static atomic_bool armed;
static float peak; /* the loudest sample heard, for the report */

static int
process(jack_nframes_t n, void *arg)
{
    (void)arg;
    const float *x = jack_port_get_buffer(in, n);
    jack_nframes_t t0 = jack_last_frame_time(client);
    for (jack_nframes_t i = 0; i < n; ++i) {
        jack_nframes_t t = t0 + i;
        float a = x[i] < 0.0f ? -x[i] : x[i];
        peak = a > peak ? a : peak;
        if (!atomic_load(&armed) || (int32_t)(t - quiet_until) < 0)
            continue;
        if (a > 0.005f) { /* -46 dBFS: the bank is silent, a click is not */
            unsigned k = atomic_load(&n_clicks);
            if (k < MAX_CLICKS) {
                clicks[k] = t;
                atomic_store(&n_clicks, k + 1u);
            }
            quiet_until = t + jack_get_sample_rate(client) / 10u;
        }
    }
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: osc_probe SOURCE_PORT OSC_PORT COUNT\n");
        return 2;
    }
    int count = atoi(argv[3]);
    if (count < 1 || count > MAX_CLICKS)
        return 2;
    client = jack_client_open("osc_probe", JackNoStartServer, NULL);
    if (!client) {
        fprintf(stderr, "osc_probe: no JACK server\n");
        return 1;
    }
    in = jack_port_register(client, "in", JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
    jack_set_process_callback(client, process, NULL);
    if (!in || jack_activate(client) != 0 ||
        jack_connect(client, argv[1], jack_port_name(in)) != 0) {
        fprintf(stderr, "osc_probe: cannot connect %s\n", argv[1]);
        return 1;
    }
    lo_address to = lo_address_new("127.0.0.1", argv[2]);
    const struct timespec settle = {0, 500000000}, gap = {0, 250000000};
    nanosleep(&settle, NULL);
    atomic_store(&armed, true);
    jack_nframes_t sent[MAX_CLICKS];
    for (int k = 0; k < count; ++k) {
        sent[k] = jack_frame_time(client);
        lo_send(to, "/hillock/spike", "i", 0);
        nanosleep(&gap, NULL);
    }
    nanosleep(&settle, NULL);
    jack_deactivate(client);
    double rate = jack_get_sample_rate(client), period = jack_get_buffer_size(client);
    unsigned got = atomic_load(&n_clicks);
    double sum = 0.0, most = 0.0;
    int status = 0;
    for (int k = 0; k < count; ++k) {
        /* the first click after the send */
        unsigned j = 0;
        while (j < got && (int32_t)(clicks[j] - sent[k]) < 0)
            j++;
        if (j == got || (k + 1 < count && (int32_t)(clicks[j] - sent[k + 1]) >= 0)) {
            printf("message %d: no click (loudest sample %.4f)\n", k, (double)peak);
            status = 1;
            continue;
        }
        double ms = 1e3 * ((double)(int32_t)(clicks[j] - sent[k]) + period) / rate;
        printf("message %d: %.2f ms\n", k, ms);
        sum += ms;
        most = ms > most ? ms : most;
    }
    printf("latency from message to the output port: %.2f ms mean, %.2f ms most (%u-frame "
           "periods at %.0f Hz)\n", sum / count, most, (unsigned)period, rate);
    if (status) {
        /* what a failure needs to be told apart: a click that came too
         * late, early (before its send's frame estimate) or not at all */
        printf("sent at frames:");
        for (int k = 0; k < count; ++k)
            printf(" %u", (unsigned)sent[k]);
        printf("\nclicks at frames:");
        for (unsigned j = 0; j < got; ++j)
            printf(" %u", (unsigned)clicks[j]);
        printf("\n");
    }
    lo_address_free(to);
    jack_client_close(client);
    return status;
}
