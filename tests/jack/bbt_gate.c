/* bbt_gate.c — where a gate's rising edges fall on JACK's beat grid.
 *
 *   bbt_gate SOURCE_PORT SECONDS
 *
 * Records SOURCE_PORT (a spike gate, 0 or 1) and, in the same cycles, the
 * transport's bar-beat-tick position as the timebase master reports it
 * (jack_transport_query in the process callback). Prints one line per
 * cycle while the transport rolls with a valid BBT,
 *     cycle C FRAME BEATS BPM
 * FRAME the server's frame at the cycle's start, BEATS the position there in beats from bar 1 beat 1
 * ((bar - 1) x beats per bar + beat - 1 + tick / ticks per beat), and one
 * per rising edge (a sample >= 0.5 after one < 0.5),
 *     edge C OFFSET
 * in the frames of cycle C. A frame's beat position is then the cycle's
 * plus its share of the way to the next cycle's (by server frames: a cycle
 * this client missed leaves a longer way). The process callback only
 * writes into arrays allocated before activation.
 */
#include "jack_open_client.h"

#include <jack/jack.h>
#include <jack/transport.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_CYCLES 20000
#define MAX_EDGES 4000

static jack_port_t *in;
static jack_client_t *client;
static double beats[MAX_CYCLES], bpm[MAX_CYCLES];
static jack_nframes_t frame[MAX_CYCLES];
static unsigned char valid[MAX_CYCLES];
static unsigned edge_cycle[MAX_EDGES], edge_offset[MAX_EDGES];
static atomic_uint cycles, edges;
static float last = 0.0f;

static int
process(jack_nframes_t n, void *arg)
{
    (void)arg;
    unsigned c = atomic_load(&cycles);
    if (c >= MAX_CYCLES)
        return 0;
    jack_position_t pos;
    const int rolling = jack_transport_query(client, &pos) == JackTransportRolling;
    frame[c] = jack_last_frame_time(client);
    valid[c] = rolling && (pos.valid & JackPositionBBT) && pos.ticks_per_beat > 0;
    if (valid[c]) {
        beats[c] = (pos.bar - 1) * (double)pos.beats_per_bar + (pos.beat - 1) +
                   pos.tick / pos.ticks_per_beat;
        bpm[c] = pos.beats_per_minute;
    }
    const float *x = jack_port_get_buffer(in, n);
    unsigned e = atomic_load(&edges);
    for (jack_nframes_t f = 0; f < n; ++f) {
        if (last < 0.5f && x[f] >= 0.5f && e < MAX_EDGES) {
            edge_cycle[e] = c;
            edge_offset[e++] = f;
        }
        last = x[f];
    }
    atomic_store(&edges, e);
    atomic_store(&cycles, c + 1);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bbt_gate SOURCE_PORT SECONDS\n");
        return 2;
    }
    client = test_jack_open_client("hillock_bbt_gate");
    if (!client) {
        fprintf(stderr, "bbt_gate: no JACK server\n");
        return 1;
    }
    in = jack_port_register(client, "in", JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
    jack_set_process_callback(client, process, NULL);
    if (!in || jack_activate(client) || jack_connect(client, argv[1], jack_port_name(in))) {
        fprintf(stderr, "bbt_gate: cannot record %s\n", argv[1]);
        jack_client_close(client);
        return 1;
    }
    const double seconds = atof(argv[2]);
    const unsigned want = (unsigned)(seconds * jack_get_sample_rate(client) /
                                     jack_get_buffer_size(client));
    /* on the server's clock: the dummy backend runs in real time */
    for (long waited = 0; atomic_load(&cycles) < want && waited < (long)(seconds * 200) + 1000;
         ++waited)
        nanosleep(&(struct timespec){0, 10000000L}, NULL);
    jack_deactivate(client);
    unsigned n = atomic_load(&cycles), ne = atomic_load(&edges);
    for (unsigned c = 0; c < n; ++c)
        if (valid[c])
            printf("cycle %u %u %.9f %.6f\n", c, (unsigned)frame[c], beats[c], bpm[c]);
    for (unsigned e = 0; e < ne; ++e)
        printf("edge %u %u\n", edge_cycle[e], edge_offset[e]);
    jack_client_close(client);
    return n >= want ? 0 : 1;
}
