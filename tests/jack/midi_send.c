/* midi_send.c — a tiny JACK MIDI client for the tests.
 *
 *   midi_send DEST_PORT 90,3C,7F +1.5 80,3C,00 ...
 *       connect our output to DEST_PORT and send the messages (hex bytes),
 *       one per period; "+SECONDS" waits that much audio time (on the
 *       server's frame clock, so the spacing does not depend on scheduling).
 *   midi_send --count SOURCE_PORT SECONDS
 *       connect SOURCE_PORT to our input, listen that long, print how many
 *       note-ons (velocity > 0) arrived, exit.
 *
 * Both close their client cleanly (killing jack_midi_dump instead left the
 * dummy server unable to unregister itself). */
#include "jack_open_client.h"

#include <jack/jack.h>
#include <jack/midiport.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_MSGS 64

static jack_port_t *out;

static unsigned char msgs[MAX_MSGS][3];
static size_t sizes[MAX_MSGS];
static double delay_s[MAX_MSGS]; /* audio time to wait before message i */
static int n_msgs;
static atomic_int next_msg;
static jack_port_t *in;
static atomic_long note_ons;

static int
count_process(jack_nframes_t n, void *arg)
{
    (void)arg;
    void *buf = jack_port_get_buffer(in, n);
    uint32_t events = jack_midi_get_event_count(buf);
    long found = 0;
    for (uint32_t i = 0; i < events; ++i) {
        jack_midi_event_t ev;
        if (jack_midi_event_get(&ev, buf, i) == 0 && ev.size == 3 &&
            (ev.buffer[0] & 0xF0) == 0x90 && ev.buffer[2] > 0)
            ++found;
    }
    atomic_fetch_add(&note_ons, found);
    return 0;
}

static int
count_notes(const char *source, double seconds)
{
    jack_client_t *c = test_jack_open_client("hillock_midi_count");
    if (!c) {
        fprintf(stderr, "midi_send: no JACK server\n");
        return 1;
    }
    in = jack_port_register(c, "in", JACK_DEFAULT_MIDI_TYPE, JackPortIsInput, 0);
    jack_set_process_callback(c, count_process, NULL);
    if (!in || jack_activate(c) != 0 || jack_connect(c, source, jack_port_name(in)) != 0) {
        fprintf(stderr, "midi_send: cannot listen to %s\n", source);
        jack_client_close(c);
        return 1;
    }
    struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    nanosleep(&ts, NULL);
    jack_deactivate(c);
    printf("%ld\n", atomic_load(&note_ons));
    jack_client_close(c);
    return 0;
}

/* Messages are timed on the server's frame clock (jack_last_frame_time),
 * which keeps counting through cycles this client misses on a busy machine. */
static jack_nframes_t due_frame; /* server frame of the next message */
static int due_set;

static int
process(jack_nframes_t n, void *arg)
{
    jack_client_t *c = arg;
    void *buf = jack_port_get_buffer(out, n);
    jack_midi_clear_buffer(buf);
    int i = atomic_load(&next_msg);
    if (i >= n_msgs)
        return 0;
    jack_nframes_t now = jack_last_frame_time(c);
    double rate = jack_get_sample_rate(c);
    if (!due_set) {
        due_frame = now + (jack_nframes_t)(delay_s[i] * rate);
        due_set = 1;
    }
    int32_t ahead = (int32_t)(due_frame - now); /* wraps safely */
    if (ahead >= (int32_t)n)
        return 0;
    jack_nframes_t at = ahead > 0 ? (jack_nframes_t)ahead : 0;
    if (jack_midi_event_write(buf, at, msgs[i], sizes[i]) == 0) {
        if (i + 1 < n_msgs)
            due_frame = now + at + (jack_nframes_t)(delay_s[i + 1] * rate);
        atomic_store(&next_msg, i + 1);
    }
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "--count"))
        return count_notes(argv[2], atof(argv[3]));
    if (argc < 3) {
        fprintf(stderr, "usage: midi_send DEST_PORT HEX,HEX[,HEX] ...\n"
                        "       midi_send --count SOURCE_PORT SECONDS\n");
        return 2;
    }
    for (int i = 2; i < argc && n_msgs < MAX_MSGS; ++i, ++n_msgs) {
        if (argv[i][0] == '+') {
            delay_s[n_msgs--] += atof(argv[i] + 1);
            continue;
        }
        char *p = argv[i];
        while (*p && sizes[n_msgs] < 3) {
            msgs[n_msgs][sizes[n_msgs]++] = (unsigned char)strtoul(p, &p, 16);
            if (*p == ',')
                ++p;
        }
    }
    jack_client_t *c = test_jack_open_client("hillock_midi_send");
    if (!c) {
        fprintf(stderr, "midi_send: no JACK server\n");
        return 1;
    }
    out = jack_port_register(c, "out", JACK_DEFAULT_MIDI_TYPE, JackPortIsOutput, 0);
    /* Hold the messages until the connection exists. */
    atomic_store(&next_msg, n_msgs);
    jack_set_process_callback(c, process, c);
    if (!out || jack_activate(c) != 0 ||
        jack_connect(c, jack_port_name(out), argv[1]) != 0) {
        fprintf(stderr, "midi_send: cannot connect to %s\n", argv[1]);
        jack_client_close(c);
        return 1;
    }
    double total = 0;
    for (int i = 0; i < n_msgs; ++i)
        total += delay_s[i];
    atomic_store(&next_msg, 0);
    struct timespec ts = {0, 20000000L};
    for (int waited = 0; atomic_load(&next_msg) < n_msgs && waited < 100 + 50 * total; ++waited)
        nanosleep(&ts, NULL);
    nanosleep(&ts, NULL);
    int sent = atomic_load(&next_msg);
    jack_client_close(c);
    if (sent < n_msgs) {
        fprintf(stderr, "midi_send: sent only %d of %d messages\n", sent, n_msgs);
        return 1;
    }
    return 0;
}
