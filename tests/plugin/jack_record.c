/* jack_record.c — records JACK output ports and judges them.
 *
 *   jack_record SECONDS [-q QUIET_PORT]... PORT...
 *
 * Connects one input per PORT, records SECONDS of audio once every
 * connection is made, then prints frames, peak and non-finite samples per
 * port. Exit 0 when every sample is finite and every port (except those
 * named with -q, which may be silent) has a peak above 1e-4; 1 otherwise;
 * 2 when JACK fails. The process callback only copies into buffers
 * allocated before activation.
 */
#include <jack/jack.h>

#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PORTS 16

static jack_port_t *inputs[MAX_PORTS];
static float *recorded[MAX_PORTS];
static int n_ports;
static jack_nframes_t want;
static _Atomic jack_nframes_t got;
static _Atomic int recording;

static int
process(jack_nframes_t n, void *arg)
{
    (void)arg;
    if (!atomic_load(&recording))
        return 0;
    jack_nframes_t at = atomic_load(&got);
    jack_nframes_t take = at + n > want ? want - at : n;
    for (int i = 0; i < n_ports; ++i) {
        const float *in = jack_port_get_buffer(inputs[i], n);
        memcpy(recorded[i] + at, in, take * sizeof(float));
    }
    atomic_store(&got, at + take);
    return 0;
}

static void
sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: jack_record SECONDS [-q PORT]... PORT...\n");
        return 2;
    }
    double seconds = atof(argv[1]);
    const char *sources[MAX_PORTS];
    bool may_be_quiet[MAX_PORTS] = {false};
    for (int a = 2; a < argc && n_ports < MAX_PORTS; ++a) {
        if (!strcmp(argv[a], "-q") && a + 1 < argc) {
            may_be_quiet[n_ports] = true;
            sources[n_ports++] = argv[++a];
        } else {
            sources[n_ports++] = argv[a];
        }
    }
    jack_status_t status;
    jack_client_t *client = jack_client_open("hillock_record", JackNoStartServer, &status);
    if (!client) {
        fprintf(stderr, "jack_record: no JACK server (status 0x%x)\n", (unsigned)status);
        return 2;
    }
    want = (jack_nframes_t)(seconds * jack_get_sample_rate(client));
    for (int i = 0; i < n_ports; ++i) {
        char name[32];
        snprintf(name, sizeof name, "in_%d", i);
        inputs[i] = jack_port_register(client, name, JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
        recorded[i] = calloc(want, sizeof(float));
        if (!inputs[i] || !recorded[i]) {
            fprintf(stderr, "jack_record: cannot register %s\n", name);
            return 2;
        }
    }
    jack_set_process_callback(client, process, NULL);
    if (jack_activate(client)) {
        fprintf(stderr, "jack_record: cannot activate\n");
        return 2;
    }
    for (int i = 0; i < n_ports; ++i) {
        if (jack_connect(client, sources[i], jack_port_name(inputs[i]))) {
            fprintf(stderr, "jack_record: cannot connect %s\n", sources[i]);
            return 2;
        }
    }
    atomic_store(&recording, 1);
    /* the dummy backend runs in real time: allow it twice the length */
    for (long waited = 0; atomic_load(&got) < want && waited < (long)(seconds * 2000) + 5000;
         waited += 20)
        sleep_ms(20);
    atomic_store(&recording, 0);
    jack_deactivate(client);

    jack_nframes_t frames = atomic_load(&got);
    int fail = frames < want;
    printf("recorded %u of %u frames\n", (unsigned)frames, (unsigned)want);
    for (int i = 0; i < n_ports; ++i) {
        float peak = 0.0f;
        unsigned nonfinite = 0;
        for (jack_nframes_t f = 0; f < frames; ++f) {
            if (!isfinite(recorded[i][f]))
                nonfinite++;
            else if (fabsf(recorded[i][f]) > peak)
                peak = fabsf(recorded[i][f]);
        }
        bool silent = peak <= 1e-4f;
        bool bad = nonfinite || (silent && !may_be_quiet[i]);
        printf("%-24s peak %.6f  non-finite %u%s\n", sources[i], (double)peak, nonfinite,
               bad ? "  <- FAIL" : "");
        fail |= bad;
        free(recorded[i]);
    }
    jack_client_close(client);
    return fail ? 1 : 0;
}
