/* smf_play.c — plays a Standard MIDI File into a JACK MIDI input and
 * records an audio output, both on the server's frame clock.
 *
 *   smf_play FILE.mid MIDI_DEST AUDIO_SOURCE SECONDS OUT.wav
 *
 * Two clients in one process, so the graph runs player -> plugin ->
 * recorder within each cycle (one client doing both would be a feedback
 * loop, which JACK breaks with a period of delay). Frame 0 of OUT.wav is
 * the server frame at which the file's time 0 is played: an event at
 * time t leaves at frame round(t x rate) of the recording, at its offset
 * within the period, exactly as `hillock render --midi-in` feeds it.
 * The file is read with midifile/ (the renderer's reader), so both see the
 * same events at the same times.
 *
 * Exit 0; 2 when a cycle was lost (the machine too busy for the dummy
 * backend's real-time clock: the caller may measure again); 1 on errors.
 * The process callbacks only copy into memory allocated before activation.
 */
#include "jack_open_client.h"
#include "midifile.h"

#include <jack/jack.h>
#include <jack/midiport.h>

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static midifile song;
static uint64_t *event_frame; /* each event's frame from the start */
static size_t next_event;

static jack_port_t *midi_out, *audio_in;
static jack_client_t *player, *recorder;
static float *recorded;
static jack_nframes_t want;

/* the server frame of the file's time 0, once armed (a cycle start) */
static _Atomic int armed;
static _Atomic jack_nframes_t start_frame;
static _Atomic jack_nframes_t got;   /* frames recorded (a lost cycle: a hole) */
static _Atomic int lost_cycles;
static jack_nframes_t last_player_cycle, last_recorder_cycle;
static int player_seen, recorder_seen;

static int
play(jack_nframes_t n, void *arg)
{
    (void)arg;
    void *buf = jack_port_get_buffer(midi_out, n);
    jack_midi_clear_buffer(buf);
    jack_nframes_t now = jack_last_frame_time(player);
    if (player_seen && now - last_player_cycle != n)
        atomic_fetch_add(&lost_cycles, 1);
    player_seen = 1, last_player_cycle = now;
    if (!atomic_load(&armed))
        return 0;
    int64_t from = (int32_t)(now - atomic_load(&start_frame)); /* wraps safely */
    while (next_event < song.n_events && (int64_t)event_frame[next_event] < from + (int64_t)n) {
        const midifile_event *e = &song.events[next_event];
        int64_t at = (int64_t)event_frame[next_event] - from;
        if (at < 0) /* this cycle was missed: late, counted above */
            at = 0;
        jack_midi_event_write(buf, (jack_nframes_t)at, e->data, e->size);
        ++next_event;
    }
    return 0;
}

static int
record(jack_nframes_t n, void *arg)
{
    (void)arg;
    const float *in = jack_port_get_buffer(audio_in, n);
    jack_nframes_t now = jack_last_frame_time(recorder);
    if (recorder_seen && now - last_recorder_cycle != n)
        atomic_fetch_add(&lost_cycles, 1);
    recorder_seen = 1, last_recorder_cycle = now;
    if (!atomic_load(&armed))
        return 0;
    int64_t at = (int32_t)(now - atomic_load(&start_frame));
    if (at < 0 || at >= (int64_t)want)
        return 0;
    jack_nframes_t take = (jack_nframes_t)at + n > want ? want - (jack_nframes_t)at : n;
    memcpy(recorded + at, in, take * sizeof(float));
    atomic_store(&got, (jack_nframes_t)at + take);
    return 0;
}


static int
write_wav(const char *path, const float *x, uint32_t frames, uint32_t rate)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    uint32_t bytes = frames * 4u;
    uint8_t h[44];
    memcpy(h, "RIFF", 4);
    uint32_t v = 36u + bytes;
    memcpy(h + 4, &v, 4);
    memcpy(h + 8, "WAVEfmt ", 8);
    v = 16;
    memcpy(h + 16, &v, 4);
    uint16_t s = 3; /* IEEE float */
    memcpy(h + 20, &s, 2);
    s = 1;
    memcpy(h + 22, &s, 2);
    memcpy(h + 24, &rate, 4);
    v = rate * 4u;
    memcpy(h + 28, &v, 4);
    s = 4;
    memcpy(h + 32, &s, 2);
    s = 32;
    memcpy(h + 34, &s, 2);
    memcpy(h + 36, "data", 4);
    memcpy(h + 40, &bytes, 4);
    int ok = fwrite(h, 1, sizeof h, f) == sizeof h && fwrite(x, 4, frames, f) == frames;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static int
read_song(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    static uint8_t data[1 << 20];
    size_t size = fread(data, 1, sizeof data, f);
    fclose(f);
    char err[256];
    if (!midifile_parse(data, size, &song, err, sizeof err)) {
        fprintf(stderr, "smf_play: %s: %s\n", path, err);
        return -1;
    }
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: smf_play FILE.mid MIDI_DEST AUDIO_SOURCE SECONDS OUT.wav\n");
        return 1;
    }
    if (read_song(argv[1]))
        return 1;
    player = test_jack_open_client("hillock_smf_play");
    recorder = test_jack_open_client("hillock_smf_record");
    if (!player || !recorder) {
        fprintf(stderr, "smf_play: no JACK server\n");
        return 1;
    }
    jack_nframes_t rate = jack_get_sample_rate(player);
    want = (jack_nframes_t)(atof(argv[4]) * rate);
    recorded = calloc(want, sizeof(float));
    event_frame = calloc(song.n_events + 1, sizeof *event_frame);
    if (!recorded || !event_frame)
        return 1;
    for (size_t i = 0; i < song.n_events; ++i)
        event_frame[i] = (uint64_t)(song.events[i].time_s * rate + 0.5);
    midi_out = jack_port_register(player, "out", JACK_DEFAULT_MIDI_TYPE, JackPortIsOutput, 0);
    audio_in = jack_port_register(recorder, "in", JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
    jack_set_process_callback(player, play, NULL);
    jack_set_process_callback(recorder, record, NULL);
    if (!midi_out || !audio_in || jack_activate(player) || jack_activate(recorder) ||
        jack_connect(player, jack_port_name(midi_out), argv[2]) ||
        jack_connect(recorder, argv[3], jack_port_name(audio_in))) {
        fprintf(stderr, "smf_play: cannot connect %s and %s\n", argv[2], argv[3]);
        return 1;
    }
    /* start on a cycle boundary a few periods ahead, once connected */
    nanosleep(&(struct timespec){0, 200000000L}, NULL);
    jack_nframes_t period = jack_get_buffer_size(player);
    atomic_store(&start_frame, jack_last_frame_time(player) + 4 * period);
    atomic_store(&lost_cycles, 0);
    atomic_store(&armed, 1);
    double seconds = (double)want / rate;
    for (long waited = 0; atomic_load(&got) < want && waited < (long)(seconds * 100) + 500;
         ++waited)
        nanosleep(&(struct timespec){0, 10000000L}, NULL);
    jack_deactivate(player);
    jack_deactivate(recorder);
    int lost = atomic_load(&lost_cycles);
    jack_nframes_t frames = atomic_load(&got);
    printf("smf_play: %zu events, %u of %u frames recorded, %d cycles lost\n", song.n_events,
           (unsigned)frames, (unsigned)want, lost);
    int status = frames < want ? 1 : lost ? 2 : 0;
    if (write_wav(argv[5], recorded, want, rate)) {
        perror(argv[5]);
        status = 1;
    }
    jack_client_close(player);
    jack_client_close(recorder);
    midifile_free(&song);
    free(recorded);
    free(event_frame);
    return status;
}
