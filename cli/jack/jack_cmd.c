/* jack_cmd.c — `hillock jack`: the neuron bank live as a JACK client.
 *
 * Threads: JACK's process thread runs the engine (jack_rt.c); JACK's
 * notification thread handles rate/size changes, xruns and shutdown; the
 * recorder's disk thread writes the file (recorder.c); the settle thread
 * pre-rolls a coupled network's settled start (settler.c); this main thread
 * parses options, reads control lines from stdin, draws the status line and
 * decides when to stop. The process thread shares only atomics and lock-free
 * rings with the others, and posts the settle thread a semaphore. */
#include "commands.h"
#include "control.h"
#include "exit_codes.h"
#include "interrupt.h"
#include "jack_options.h"
#include "jack_osc.h"
#include "jack_spikes.h"
#include "tuning_opts.h"
#include "jack_rt.h"
#include "../synapse_opts.h"
#include "start_values.h"
#include "status_line.h"


#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STATUS_INTERVAL_S 0.25
#define RING_SECONDS 4.0 /* the disk may stall this long before overruns */

/* libjack reports its internal failures ("Cannot connect to server socket",
 * "CheckRes error") through this, often several lines for one event that our
 * own message states better; keep the last one for those messages. */
static char jack_last_error[256];

static void
on_jack_error(const char *msg)
{
    snprintf(jack_last_error, sizeof jack_last_error, "%s", msg);
}

static void
on_jack_info(const char *msg)
{
    (void)msg;
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void
connect_system_ports(jack_client_t *client, const char *self)
{
    const char **play = jack_get_ports(client, NULL, JACK_DEFAULT_AUDIO_TYPE,
                                       JackPortIsPhysical | JackPortIsInput);
    const char **capture = jack_get_ports(client, NULL, JACK_DEFAULT_AUDIO_TYPE,
                                          JackPortIsPhysical | JackPortIsOutput);
    char ours[512];
    if (play) {
        const int outs[2] = {PORT_OUT_L, PORT_OUT_R};
        for (int i = 0; i < 2 && play[i]; ++i) {
            snprintf(ours, sizeof ours, "%s:%s", self, audio_ports[outs[i]].jack_name);
            if (jack_connect(client, ours, play[i]) != 0)
                fprintf(stderr, "hillock jack: cannot connect %s to %s\n", ours, play[i]);
        }
        /* A mono output device still hears both channels. */
        if (play[0] && !play[1]) {
            snprintf(ours, sizeof ours, "%s:%s", self, audio_ports[PORT_OUT_R].jack_name);
            jack_connect(client, ours, play[0]);
        }
    } else {
        fprintf(stderr, "hillock jack: --connect: no system playback ports\n");
    }
    if (capture && capture[0]) {
        snprintf(ours, sizeof ours, "%s:%s", self, audio_ports[PORT_STIMULUS].jack_name);
        if (jack_connect(client, capture[0], ours) != 0)
            fprintf(stderr, "hillock jack: cannot connect %s to %s\n", capture[0], ours);
    }
    jack_free(play);
    jack_free(capture);
}

/* Whether reading stdin is sensible: not asked off, and not a terminal we do
 * not own (a backgrounded job reading its terminal would be stopped). */
static bool
stdin_usable(const jack_options *o)
{
    if (o->no_stdin)
        return false;
    if (isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) != getpgrp())
        return false;
    return true;
}

typedef struct {
    char buf[1024];
    size_t len;
    bool open;
    bool skipping; /* inside a line too long for buf: drop up to its newline */
} line_reader;

/* Read what stdin has and run complete lines; returns CONTROL_QUIT on quit. */
static control_result
read_controls(line_reader *lr, jack_rt *s, float values[PARAM_COUNT], status_line *st,
              bool quiet)
{
    ssize_t got = read(STDIN_FILENO, lr->buf + lr->len, sizeof lr->buf - 1 - lr->len);
    if (got <= 0) {
        if (got == 0 || (errno != EINTR && errno != EAGAIN))
            lr->open = false; /* EOF: keep running, stop listening */
        return CONTROL_OK;
    }
    lr->len += (size_t)got;
    lr->buf[lr->len] = '\0';
    char *start = lr->buf, *nl;
    while ((nl = strchr(start, '\n'))) {
        *nl = '\0';
        if (lr->skipping) { /* the end of an overlong line, already reported */
            lr->skipping = false;
            start = nl + 1;
            continue;
        }
        char msg[600];
        control_result r = control_line(s, start, values, msg, sizeof msg);
        if (r == CONTROL_QUIT)
            return r;
        if (msg[0] && (!quiet || r == CONTROL_ERROR)) {
            status_line_clear(st, stderr);
            fprintf(stderr, "hillock jack: %s\n", msg);
        }
        start = nl + 1;
    }
    lr->len = strlen(start);
    memmove(lr->buf, start, lr->len + 1);
    if (lr->len == sizeof lr->buf - 1) {
        /* An absurdly long line is dropped whole, up to its newline: its
         * tail must not run as a command of its own. */
        lr->len = 0;
        if (!lr->skipping) {
            status_line_clear(st, stderr);
            fprintf(stderr, "hillock jack: control line too long, ignored\n");
        }
        lr->skipping = true;
    } else if (lr->skipping) {
        lr->len = 0; /* still inside the overlong line */
    }
    return CONTROL_OK;
}

typedef enum {
    STOP_DONE,     /* --duration reached */
    STOP_QUIT,     /* `quit` on stdin */
    STOP_SIGNAL,   /* SIGINT / SIGTERM */
    STOP_SHUTDOWN, /* the server went away */
    STOP_DISK,     /* the recording could not be written */
    STOP_ENGINE,   /* no engine for a new sample rate */
} stop_reason;

static stop_reason
run_until_stopped(jack_rt *s, const jack_options *o, float values[PARAM_COUNT])
{
    status_line st = {0};
    bool show_status = !o->quiet && isatty(STDERR_FILENO);
    line_reader lr = {.open = stdin_usable(o)};
    double next_status = now_s();
    bool warned_rate = false;
    for (;;) {
        struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
        int ready = poll(&pfd, lr.open ? 1 : 0, 50);
        if (interrupt_signal())
            return STOP_SIGNAL;
        if (ready > 0 && lr.open) {
            if (pfd.revents & (POLLIN | POLLHUP)) {
                if (read_controls(&lr, s, values, &st, o->quiet) == CONTROL_QUIT)
                    return STOP_QUIT;
            } else if (pfd.revents & (POLLERR | POLLNVAL)) {
                lr.open = false;
            }
        }
        jack_rt_collect_retired(s);
        /* a new rate changed the engine's latency in frames: JACK calls
         * on_latency again for every port (JACK's API: after a client's
         * own latency changes, jack_recompute_total_latencies) */
        if (atomic_exchange(&s->latency_stale, false))
            jack_recompute_total_latencies(s->client);
        if (atomic_load(&s->shutdown))
            return STOP_SHUTDOWN;
        if (atomic_load(&s->done))
            return STOP_DONE;
        if (atomic_load(&s->engine_failed))
            return STOP_ENGINE;
        if (s->rec && !warned_rate &&
            atomic_load(&s->sample_rate) != recorder_sample_rate(s->rec)) {
            status_line_clear(&st, stderr);
            fprintf(stderr,
                    "hillock jack: warning: the server now runs at %u Hz; the recording's "
                    "header says %u Hz, so what follows plays at the wrong speed\n",
                    (unsigned)atomic_load(&s->sample_rate), recorder_sample_rate(s->rec));
            warned_rate = true;
        }
        char err[256];
        if (s->rec && recorder_failed(s->rec, err, sizeof err))
            return STOP_DISK;
        if (show_status && now_s() >= next_status) {
            status_line_draw(&st, s, stderr);
            next_status = now_s() + STATUS_INTERVAL_S;
        }
    }
}

static void
print_summary(jack_rt *s, const jack_options *o, const recorder_totals *rec,
              const char *rec_names)
{
    double rate = (double)atomic_load(&s->sample_rate);
    uint64_t frames = atomic_load(&s->frames), spikes = atomic_load(&s->spikes);
    double t = rate > 0 ? (double)frames / rate : 0.0;
    fprintf(stderr,
            "hillock jack: ran %.3f s (%llu frames at %.0f Hz): %llu spikes (%.1f/s), "
            "%llu xruns, %llu MIDI events in, %llu MIDI out lost\n",
            t, (unsigned long long)frames, rate, (unsigned long long)spikes,
            t > 0 ? (double)spikes / t : 0.0, (unsigned long long)atomic_load(&s->xruns),
            (unsigned long long)atomic_load(&s->midi_in_events),
            (unsigned long long)atomic_load(&s->midi_out_lost));
    uint64_t pre_rolls = atomic_load(&s->settler.runs);
    if (pre_rolls)
        fprintf(stderr, "hillock jack: %llu settled start%s of a coupled network pre-rolled off "
                        "the audio thread\n",
                (unsigned long long)pre_rolls, pre_rolls == 1 ? "" : "s");
    if (rec)
        fprintf(stderr, "hillock jack: recorded %llu frames (%s) to %s, %llu ring overruns\n",
                (unsigned long long)rec->frames_written, rec_names, o->record,
                (unsigned long long)rec->overruns);
}

static jack_client_t *
open_client(const jack_options *o)
{
    jack_options_t flags = o->start_server ? JackNullOption : JackNoStartServer;
    if (o->server)
        flags |= JackServerName;
    /* A client opening while another JACK server of the same user starts
     * can fail on the shared shm registry although its server is up
     * (seen with jackd 1.9.21): try three times. With no server at all each
     * attempt fails at once on the missing socket, so the whole thing stays
     * well inside the 2 s promised for that case. */
    jack_status_t status = 0;
    jack_client_t *client = NULL;
    for (int attempt = 0; attempt < 3 && !client; ++attempt) {
        if (attempt) {
            struct timespec pause = {0, 150000000L};
            nanosleep(&pause, NULL);
        }
        status = 0;
        client = o->server ? jack_client_open(o->name, flags, &status, o->server)
                           : jack_client_open(o->name, flags, &status);
        if (!client && !(status & JackServerFailed))
            break; /* a refusal that waiting will not change */
    }
    if (client)
        return client;
    const char *server = o->server ? o->server : getenv("JACK_DEFAULT_SERVER");
    if (!server || !*server)
        server = "default";
    if (status & JackServerFailed)
        fprintf(stderr,
                "hillock jack: no JACK server '%s' is running%s. Start one (e.g. `jackd -d "
                "alsa`, qjackctl, or a PipeWire session with pipewire-jack), or pass "
                "--start-server.\n",
                server, o->start_server ? " and none could be started" : "");
    else
        fprintf(stderr, "hillock jack: cannot open a JACK client on server '%s' (status 0x%x)%s%s\n",
                server, (unsigned)status, jack_last_error[0] ? ": " : "", jack_last_error);
    return NULL;
}

/* --play-spikes' summary: what played, what came late (always), a read error
 * (always). */
static void
report_spikes(jack_spikes *j, bool quiet)
{
    uint64_t played = atomic_load(&j->played), late = atomic_load(&j->late);
    if (!quiet)
        fprintf(stderr, "hillock jack: recording: %llu spikes played%s\n",
                (unsigned long long)played,
                atomic_load(&j->at_end) ? ", to its end" : "");
    uint64_t waits = atomic_load(&j->sync_waits), gave_up = atomic_load(&j->sync_gave_up);
    if (!quiet && waits)
        fprintf(stderr, "hillock jack: recording: JACK's transport waited for the reader's "
                        "seek on %llu locates, %llu frames at most\n", (unsigned long long)waits,
                (unsigned long long)atomic_load(&j->sync_wait_longest));
    if (gave_up)
        fprintf(stderr, "hillock jack: warning: recording: the reader did not seek within "
                        "%.0f s on %llu locates; the transport went on without it\n",
                JACK_SPIKES_SYNC_WAIT_S, (unsigned long long)gave_up);
    if (late)
        fprintf(stderr, "hillock jack: warning: recording: %llu spikes came too late to play "
                        "(the disk or the engine's queue did not keep up)\n",
                (unsigned long long)late);
    if (atomic_load_explicit(&j->read_failed, memory_order_acquire))
        fprintf(stderr, "hillock jack: warning: recording: %s; what was read before "
                        "played\n", j->err);
}

static int jack_client_session(const jack_options *o, float *values, jack_spikes **spikes);

static int
jack_session(int argc, char **argv)
{
    jack_options o;
    int rc = jack_options_parse(argc, argv, &o);
    if (rc < 0)
        return EXIT_OK; /* --help */
    if (rc != EXIT_OK)
        return rc;
    char load_err[256];
    if (!jack_api_load(load_err, sizeof load_err)) {
        fprintf(stderr, "hillock jack: %s\n", load_err);
        return EXIT_JACK;
    }

    float values[PARAM_COUNT];
    rc = start_values("jack", o.preset, o.sets, o.n_sets, values);
    if (rc != EXIT_OK)
        return rc;
    /* the received spikes are recorded units: heard unless source says only
     * the simulated bank */
    if (o.osc_in && (int)values[P_SOURCE] == SOURCE_SIMULATED) {
        values[P_SOURCE] = SOURCE_RECORDED;
        if (!o.quiet)
            fputs("hillock jack: --osc-in: source = recorded, so the spikes received are "
                  "heard (--set source=both plays the bank too)\n", stderr);
    }
    if (o.play_spikes && (int)values[P_SOURCE] == SOURCE_SIMULATED)
        values[P_SOURCE] = SOURCE_RECORDED; /* as render --play-spikes */
    /* the recording is checked before anything connects */
    jack_spikes *spikes = NULL;
    if (o.play_spikes) {
        char err[512];
        interrupt_stage("spike file");
        spikes = malloc(sizeof *spikes);
        if (!spikes || !jack_spikes_open(spikes, o.play_spikes, err, sizeof err)) {
            fprintf(stderr, "hillock jack: --play-spikes: %s\n", spikes ? err : "out of memory");
            if (spikes)
                jack_spikes_close(spikes);
            free(spikes);
            return EXIT_INPUT;
        }
        if (!o.quiet)
            jack_spikes_describe(spikes, stderr, o.play_spikes);
    }
    rc = jack_client_session(&o, values, &spikes);
    if (spikes) { /* not handed to the client */
        jack_spikes_close(spikes);
        free(spikes);
    }
    return rc;
}

/* What a session holds open: closed in one place (close_session), whatever
 * the way out. */
typedef struct {
    jack_client_t *client;
    jack_rt *s;   /* once jack_rt_init'ed */
    jack_osc osc; /* zero until jack_osc_open */
    bool detach;  /* the ports' metadata removed at the end: not once the server is gone */
} session;

static void
close_session(session *ss)
{
    if (ss->s) {
        char err[512];
        if (ss->s->rec) /* opened, never run */
            recorder_close(ss->s->rec, NULL, err, sizeof err);
        jack_osc_close(&ss->osc, ss->s, true); /* nothing left to say if already closed */
        if (ss->detach)
            jack_rt_detach(ss->s);
    }
    if (ss->client)
        jack_client_close(ss->client);
    if (ss->s) {
        jack_rt_free(ss->s);
        free(ss->s);
    }
}

/* The client, its engine and ports, the OSC endpoints and the recording,
 * up to but not including activation. tuning_hz: NULL when untuned.
 * EXIT_OK, or an exit status after a message. */
static int
open_session(session *ss, const jack_options *o, float *values, const double *tuning_hz,
             const int *rec_ports, int n_rec, jack_spikes **spikes)
{
    char err[512];
    jack_set_error_function(on_jack_error);
    jack_set_info_function(on_jack_info);
    interrupt_stage("connect");
    ss->client = open_client(o);
    if (!ss->client)
        return EXIT_JACK;

    jack_rt *s = malloc(sizeof *s);
    if (!s || !jack_rt_init(s)) {
        fprintf(stderr, "hillock jack: out of memory\n");
        free(s);
        return EXIT_INTERNAL;
    }
    ss->s = s;
    ss->detach = true;
    jack_nframes_t rate = jack_get_sample_rate(ss->client);
    /* a frame limit of 0 would mean "no limit": refuse, as render does */
    if (o->duration > 0 && llround(o->duration * rate) < 1) {
        fprintf(stderr, "hillock jack: --duration %g s is shorter than one sample at %u Hz\n",
                o->duration, (unsigned)rate);
        return EXIT_USAGE;
    }
    interrupt_stage("engine");
    s->eng = engine_create((double)rate);
    if (!s->eng) {
        fprintf(stderr, "hillock jack: cannot create the engine at %u Hz\n", (unsigned)rate);
        return EXIT_INTERNAL;
    }
    s->engine_rate = (double)rate;
    atomic_store(&s->latency, engine_latency(s->eng));
    engine_set_all_params(s->eng, values);
    /* stored synapses for the starting settings (plasticity, delays): built
     * here, before the callback runs */
    cli_synapses_update("jack", s->eng, false);
    jack_rt_calibrate_guard(s, s->eng, (double)rate); /* before the callback runs */
    if (tuning_hz) {
        s->tuned = true;
        memcpy(s->tuning_hz, tuning_hz, sizeof s->tuning_hz);
        engine_set_tuning(s->eng, tuning_hz);
    }
    if (o->duration > 0)
        s->frame_limit = (uint64_t)llround(o->duration * rate);
    s->spikes_follow_transport = o->spikes_transport;
    if (*spikes) { /* s owns it from here (jack_rt_free closes it) */
        s->spikes_in = *spikes;
        *spikes = NULL;
        s->osc_in_units = jack_spikes_units(s->spikes_in); /* --osc-in's units number on */
        engine_set_recorded_units(s->eng, s->osc_in_units);
    }

    if (!jack_rt_attach(s, ss->client, err, sizeof err)) {
        fprintf(stderr, "hillock jack: %s\n", err);
        return EXIT_JACK;
    }

    /* before anything is recorded: an unreachable OSC host stops here */
    int rc = jack_osc_open(&ss->osc, o, s, ss->client);
    if (rc != EXIT_OK)
        return rc;

    if (o->record) {
        for (int i = 0; i < n_rec; ++i)
            s->rec_ports[i] = rec_ports[i];
        s->n_rec = (unsigned)n_rec;
        interrupt_stage("record");
        /* until the client runs, a signal removes the new file: nothing is in it */
        interrupt_hold();
        s->rec = recorder_open(o->record, (unsigned)n_rec, rate, RING_SECONDS, err, sizeof err);
        if (s->rec)
            interrupt_track(0, o->record);
        interrupt_release();
        if (!s->rec) {
            fprintf(stderr, "hillock jack: %s\n", err);
            return EXIT_OUTPUT;
        }
    }
    return EXIT_OK;
}

/* The session from activation until it stops, its recording closed and its
 * summary said. rec_names: the recorded ports, for the summary. EXIT_OK,
 * or the exit status of how it stopped. */
static int
run_session(session *ss, const jack_options *o, float *values, const char *rec_names)
{
    jack_rt *s = ss->s;
    jack_client_t *client = ss->client;
    char err[512];
    interrupt_stage("activate");
    /* a coupled network's settled start pre-rolls on a thread of its own;
     * jack_rt_free stops and joins it on every way out from here */
    if (!jack_rt_start_settler(s) && !o->quiet)
        fputs("hillock jack: warning: no thread for the settled start's pre-roll; a coupled "
              "network starts from rest\n", stderr);
    if (jack_activate(client) != 0) {
        fprintf(stderr, "hillock jack: cannot activate the JACK client\n");
        return EXIT_JACK;
    }
    /* Running: a signal stops the session below, which closes the recording;
     * a second one abandons it as it is (its header is rewritten every second). */
    interrupt_running();
    interrupt_track(0, NULL);
    const char *self = jack_get_client_name(client);
    if (!o->quiet)
        fprintf(stderr, "hillock jack: client '%s' at %u Hz, %u frames per period%s%s\n", self,
                (unsigned)s->engine_rate, (unsigned)jack_get_buffer_size(client),
                o->record ? ", recording to " : "", o->record ? o->record : "");
    if (o->connect)
        connect_system_ports(client, self);
    if (o->freewheel && jack_set_freewheel(client, 1) != 0)
        fprintf(stderr, "hillock jack: the server refused freewheel mode; running in real time\n");

    stop_reason why = run_until_stopped(s, o, values);
    interrupt_stage("teardown");

    ss->detach = why != STOP_SHUTDOWN;
    if (ss->detach) { /* the server is alive */
        if (o->freewheel)
            jack_set_freewheel(client, 0);
        jack_deactivate(client); /* the process callback has returned for good */
    }
    /* After deactivation, or once the server is gone, JACK calls process no
     * more: the ring is the disk thread's alone to drain. */
    recorder_totals totals = {0};
    bool recording = s->rec != NULL;
    bool rec_ok = recorder_close(s->rec, &totals, err, sizeof err);
    s->rec = NULL;

    if (isatty(STDERR_FILENO) && !o->quiet)
        fputs("\r\033[K", stderr); /* the status line */
    int rc = EXIT_OK;
    switch (why) {
    case STOP_SHUTDOWN:
        fprintf(stderr, "hillock jack: the JACK server went away (%s)%s\n", s->shutdown_reason,
                recording ? "; the recording is closed" : "");
        rc = EXIT_JACK;
        break;
    case STOP_SIGNAL:
        if (!o->quiet)
            fprintf(stderr, "hillock jack: stopped by %s%s, %.3f s after the signal\n",
                    interrupt_signal_name(interrupt_signal()),
                    recording ? "; the recording is complete" : "", interrupt_seconds_since());
        rc = EXIT_INTERRUPTED;
        break;
    case STOP_DISK: rc = EXIT_OUTPUT; break;
    case STOP_ENGINE:
        fprintf(stderr, "hillock jack: cannot create an engine for the new sample rate\n");
        rc = EXIT_INTERNAL;
        break;
    case STOP_DONE:
    case STOP_QUIT: rc = EXIT_OK; break;
    }
    if (!rec_ok) {
        fprintf(stderr, "hillock jack: %s: %s\n", o->record, err);
        rc = EXIT_OUTPUT;
    }
    if (!o->quiet)
        print_summary(s, o, recording ? &totals : NULL, rec_names);
    jack_osc_close(&ss->osc, s, o->quiet);
    if (s->spikes_in)
        report_spikes(s->spikes_in, o->quiet);
    if (totals.overruns) /* never silent, even with --quiet */
        fprintf(stderr,
                "hillock jack: WARNING: the disk did not keep up: %llu blocks (%llu frames) "
                "are missing from the recording\n",
                (unsigned long long)totals.overruns, (unsigned long long)totals.frames_dropped);
    return rc;
}

/* The session once its options, values and recording are ready. */
static int
jack_client_session(const jack_options *o, float *values, jack_spikes **spikes)
{
    double tuning_hz[128];
    interrupt_stage("tuning");
    const bool tuned = o->tuning || o->keymap;
    if (tuned && !cli_tuning_load("jack", o->tuning, o->keymap, tuning_hz))
        return EXIT_INPUT;

    int rec_ports[RECORDER_MAX_CHANNELS];
    int n_rec = 0;
    char rec_names[128] = "";
    if (o->record) {
        char err[512];
        n_rec = jack_ports_parse_list(o->record_ports, rec_ports, RECORDER_MAX_CHANNELS, err,
                                      sizeof err);
        if (n_rec < 0) {
            fprintf(stderr, "hillock jack: %s\n", err);
            return EXIT_USAGE;
        }
        for (int i = 0; i < n_rec; ++i) {
            size_t used = strlen(rec_names);
            snprintf(rec_names + used, sizeof rec_names - used, "%s%s", i ? "," : "",
                     audio_ports[rec_ports[i]].record_name);
        }
    }

    session ss;
    memset(&ss, 0, sizeof ss);
    int rc = open_session(&ss, o, values, tuned ? tuning_hz : NULL, rec_ports, n_rec, spikes);
    if (rc == EXIT_OK)
        rc = run_session(&ss, o, values, rec_names);
    close_session(&ss);
    return rc;
}

int
jack_command(int argc, char **argv)
{
    /* first thing: a signal at any stage ends the session cleanly */
    interrupt_install("jack", "before the client ran; nothing recorded",
                      "abandoned; the recording holds what its header last counted");
    int rc = jack_session(argc, argv);
    interrupt_restore();
    return rc;
}
