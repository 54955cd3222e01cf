/* render.c — `hillock render`: the engine offline, block by block, into a
 * WAV file (plus optional spike and voltage CSVs).
 *
 * Every output is written under a temporary name beside its target and
 * renamed into place at the end (atomic_file), so a refused or failed render
 * leaves nothing behind, and an interrupted one leaves complete files holding
 * what was rendered. This file holds no DSP: the engine makes every sample.
 */
#include "atomic_file.h"
#include "bench/workers.h"
#include "commands.h"
#include "engine.h"
#include "exit_codes.h"
#include "fixed9.h"
#include "input_file.h"
#include "interrupt.h"
#include "options.h"
#include "osc_out.h"
#include "progress.h"
#include "start_values.h"
#include "spike_midi.h"
#include "stimulus.h"
#include "state_opts.h"
#include "synapse_opts.h"
#include "tuning_opts.h"
#include "play_spikes.h"
#include "series_map.h"
#include "thread_choice.h"
#include "timeline.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_DURATION_S 86400.0   /* 24 h: anything longer is surely a typo */
#define MIN_RATE_HZ 1000L        /* engine_create's limits, kept to what WAV holds */
#define MAX_RATE_HZ 768000L
#define MAX_BLOCK 8192L
/* After a signal the block in progress and the audio still in the engine's
 * latency are rendered if that takes no longer than this; else the engine
 * stops within a model step (engine_set_stop_query) and the outputs end
 * where its audio did. */
#define STOP_GRACE_S 0.25
#define MAX_THREADS 64L         /* workers_create's limit */
/* --threads auto: the CPUs this process may run on, at most this many (more
 * were not measured: docs/performance-log.md, "Two threads: the render
 * chooses") */
#define AUTO_THREADS_MAX 8
#define MAX_SPIKE_LIST (1u << 22)
#define THREADED_BLOCK 1024 /* frames per engine call, --threads 2 or more */
#define MIDI_IN_TAIL_S 1.0       /* rendered after a --midi-in file's end unless --duration */
#define MIN_BPM 4.0              /* a Set Tempo holds at most 2^24 - 1 us per quarter */
#define MAX_BPM 999.0
#define MAX_AUTOMATION_BYTES (64u << 20)
#define AUTOMATION_RAMP_FRAMES 32u /* a ramp moves every 32 frames (dsp/automation.h) */
/* RIFF sizes are 32-bit: beyond this the file is written as RF64. */
#define WAV_MAX_DATA_BYTES (0xFFFFFFFFull - 1024u)

typedef struct {
    const char *preset;
    const char **sets;
    int n_sets;
    double duration_s;
    long rate;
    long block;
    const char *input;
    const char *output;
    int bits;
    const char *spikes_path;
    const char *trace_path;
    const char *tuning, *keymap; /* Scala .scl / .kbm */
    const char *midi_in;
    const char *midi_out;
    const char *automate;
    const char *osc; /* URL */
    const char *play_spikes;
    const char **maps; /* --map SYMBOL=FILE[,MIN,MAX] */
    int n_maps;
    const char *save_weights, *load_weights; /* .npy */
    const char *save_state, *load_state;     /* the table's whole state */
    double bpm;
    bool duration_given, block_given;
    bool threads_given; /* --threads: the summary says how they were used */
    long threads;
    bool quiet;
} render_options;

enum {
    OPT_BITS = 1000,
    OPT_SPIKES,
    OPT_TRACE,
    OPT_TUNING,
    OPT_KEYMAP,
    OPT_MIDI_IN,
    OPT_MIDI_OUT,
    OPT_BPM,
    OPT_AUTOMATE,
    OPT_OSC,
    OPT_PLAY_SPIKES,
    OPT_MAP,
    OPT_SAVE_WEIGHTS,
    OPT_LOAD_WEIGHTS,
    OPT_SAVE_STATE,
    OPT_LOAD_STATE,
};

static const cli_option render_options_table[] = {
    {'o', 'o', "output", "FILE",
     "the WAV file to write (required). Written under a temporary name beside it and "
     "renamed when complete; a symbolic link is written through"},
    {OPT_BITS, 0, "bits", "16|24|32",
     "sample format: 16- or 24-bit integer, or 32 = 32-bit float (default 32). Files over "
     "4 GiB become RF64."},
    {'p', 'p', "preset", "NAME",
     "start from a preset (`hillock presets` lists them): a name, label, URI or path to a "
     ".ttl file"},
    {'s', 's', "set", "SYMBOL=VALUE",
     "set one parameter, after the preset; repeatable. Enumerations take their names "
     "(--set model=izhikevich); `hillock params` lists every symbol and range"},
    {'d', 'd', "duration", "SECONDS", "length of the render (default 10, at most 86400)"},
    {'r', 'r', "rate", "HZ", "sample rate (default 48000; 1000 to 768000)"},
    {'b', 'b', "block", "FRAMES",
     "frames per engine call (default 256 on one thread, 1024 on more unless --osc or "
     "--play-spikes is given; 1 to 8192). The output does not depend on it"},
    {'i', 'i', "input", "FILE",
     "stimulus audio, any format libsndfile reads: mixed to mono, resampled to --rate by "
     "linear interpolation (no anti-alias filter) if its rate differs, and fed to every "
     "neuron as current through input_gain. Silence after it ends"},
    {OPT_SPIKES, 0, "spikes", "FILE.csv",
     "write every spike: header time_s,neuron, one row per spike, time in seconds with "
     "sub-sample precision"},
    {OPT_TRACE, 0, "trace", "FILE.csv",
     "write the focus neuron's somatic voltage: header time_s,v, one row per sample (mV "
     "for hh, pinsky_rinzel and izhikevich; the model's x for hindmarsh_rose)"},
    {OPT_TUNING, 0, "tuning", "FILE.scl",
     "tune the spike voice's notes to a Scala scale (docs/manual.md, Tunings); without "
     "--keymap, MIDI note 60 plays its 1/1 at 261.63 Hz"},
    {OPT_KEYMAP, 0, "keymap", "FILE.kbm",
     "a Scala keyboard mapping for the tuning: which note plays which degree, the "
     "reference note and frequency; unmapped notes do not sound"},
    {OPT_MIDI_IN, 0, "midi-in", "FILE.mid",
     "play a Standard MIDI File (format 0 or 1) into the bank as live MIDI: notes, pitch "
     "bend and controllers, each at its sample through the file's tempo map. Without "
     "--duration the render lasts until the file ends, plus one second"},
    {OPT_MIDI_OUT, 0, "midi-out", "FILE.mid",
     "write every spike as a note at its exact time (format 1, 9600 ticks per quarter): "
     "excitatory neurons on channel 1 in track 2, inhibitory on channel 2 in track 3, the "
     "tempo map in track 1 (from --midi-in, else --bpm)"},
    {OPT_BPM, 0, "bpm", "BPM",
     "tempo of --midi-out and of tempo_sync's beat grid when there is no "
     "--midi-in (default 120; 4 to 999)"},
    {OPT_AUTOMATE, 0, "automate", "FILE.csv",
     "automate parameters from a table of rows time_s,symbol,value[,curve] (curve step, "
     "linear or exp; default step): each breakpoint at its exact sample, ramps moving every "
     "32 frames, through the engine's own smoothing, as a host's automation"},
    {OPT_OSC, 0, "osc", "URL",
     "send every spike as an OSC message /hillock/spike (int32 neuron, float64 time in "
     "seconds of the WAV), a bundle per block, to osc.udp://HOST:PORT/ or "
     "osc.tcp://HOST:PORT/, as fast as the render goes (a TCP receiver loses none); an "
     "unreachable host stops the render before it starts"},
    {OPT_MAP, 0, "map", "SYMBOL=FILE[,MIN,MAX]",
     "automate a parameter from a continuous signal: a WAV (its first channel, a point "
     "every 5 ms) or a CSV time series time_s,value, scaled from the series' lowest..highest "
     "value onto MIN..MAX (default the parameter's range), linear ramps through the same "
     "automation engine as --automate; repeatable"},
    {OPT_PLAY_SPIKES, 0, "play-spikes", "FILE",
     "play a recording's spikes (CSV/TSV time_s,neuron as --spikes writes, an NWB 2.x "
     "file's units table, or a MIDI file's notes) on the voices, MIDI and spike list in "
     "place of the bank's: source recorded unless --set source=both, at playback_rate. "
     "Without --duration the render lasts until the last spike, plus one second"},
    {OPT_LOAD_WEIGHTS, 0, "load-weights", "FILE.npy",
     "start from the synapse weights of a file --save-weights wrote, for the same seed, "
     "neurons and connectivity (anything else is refused with the reason)"},
    {OPT_SAVE_WEIGHTS, 0, "save-weights", "FILE.npy",
     "write the stored synapses as they are at the end (NumPy .npy: pre, post, weight, "
     "delay_ms; the seed, neurons, connectivity and format version in the pre field's "
     "title)"},
    {OPT_LOAD_STATE, 0, "load-state", "FILE",
     "continue from the engine's state a --save-state wrote: the render goes on from where "
     "that one ended, its WAV the next samples of the same sound (bit for bit, on the same "
     "instruction-set path); the same model, neurons, seed, connectivity and rate (anything "
     "else is refused with the reason), --input, --midi-in, --automate and --play-spikes read "
     "on from there"},
    {OPT_SAVE_STATE, 0, "save-state", "FILE",
     "write the engine's whole state where the render's audio ends (neurons, synapses, "
     "spikes in flight, noise, voices, filters, limiter; a header naming the format version "
     "and the configuration, then one section per part)"},
    {'t', 't', "threads", "N",
     "threads stepping the bank: auto (the default: the CPUs this process may run on, at "
     "most 8) or 1 to 64. The bank steps on them or on one thread, whichever the render "
     "times faster as it goes; the output is bit-identical to one thread"},
    {'q', 'q', "quiet", NULL, "no progress bar and no summary"},
    {'h', 'h', "help", NULL, "this help"},
};

const cli_command_doc render_doc = {
    .name = "render",
    .synopsis = "[OPTIONS] -o OUT.wav",
    .summary = "render the neuron bank offline to a WAV file",
    .description = "Render the neuron bank offline to a stereo WAV file.",
    .options = render_options_table,
    .n_options = sizeof render_options_table / sizeof render_options_table[0],
    .notes =
        "A progress bar appears on stderr when it is a terminal and the render takes more "
        "than a second; a summary line (duration, spikes, spikes/s, real-time factor, "
        "non-finite resets) ends the render unless --quiet.\n"
        "Ctrl-C (SIGINT) or SIGTERM stops within a second, even inside a frame of the "
        "heaviest settings, and keeps a valid WAV (and CSVs) of what was rendered (exit "
        "status 5); before rendering begins it stops at once and writes nothing. A second "
        "Ctrl-C abandons the render at once and removes its unfinished files.\n\n"
        "Exit status: 0 done, 2 bad option, symbol or value, 3 unreadable input, bad "
        "preset, corrupt MIDI file or bad automation row, 4 output cannot be written, 5 "
        "interrupted, 70 internal error.",
    .examples = "hillock render -p tonic-hh -d 5 -o tonic.wav\n"
                "hillock render -s model=hh -s neurons=1 -s drive=10 -d 1 --spikes s.csv "
                "-o hh.wav\n"
                "hillock render -i voice.wav -s input_gain=20 -o heard.wav\n"
                "hillock render -p tonic-hh --tuning bp.scl --keymap bp.kbm -o bp.wav\n"

                "hillock render --midi-in melody.mid --midi-out spikes.mid -o melody.wav\n"
                "hillock render --automate ramp.csv -d 4 -o ramp.wav\n"
                "hillock render --play-spikes units.nwb -s playback_rate=0.5 -o units.wav",
};

/* ---- option parsing ------------------------------------------------------ */

static bool
parse_long(const char *text, long lo, long hi, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end != '\0' || errno || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* --threads auto: the CPUs this process may run on (its affinity, which
 * taskset and containers narrow), at most AUTO_THREADS_MAX */
static long
auto_threads(void)
{
    const unsigned n = workers_usable_cpus();
    return n > AUTO_THREADS_MAX ? AUTO_THREADS_MAX : (long)n;
}

/* Returns EXIT_OK to render, -1 after --help, or an exit status. */
static int
parse_options(int argc, char **argv, render_options *o)
{
    cli_getopt g;
    cli_getopt_begin(&g, &render_doc);
    *o = (render_options){.duration_s = 10.0, .rate = 48000, .block = 256, .bits = 32,
                          .threads = 0 /* auto */, .bpm = 120.0};
    o->sets = calloc((size_t)argc, sizeof *o->sets);
    o->maps = calloc((size_t)argc, sizeof *o->maps);
    if (!o->sets || !o->maps) {
        fputs("hillock render: out of memory\n", stderr);
        return EXIT_INTERNAL;
    }
    int c;
    while ((c = cli_getopt_next(&g, argc, argv)) != -1) {
        char *end = NULL;
        long v;
        switch (c) {
        case 'p': o->preset = optarg; break;
        case 's': o->sets[o->n_sets++] = optarg; break;
        case 'd':
            o->duration_s = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || !(o->duration_s > 0.0) ||
                !(o->duration_s <= MAX_DURATION_S)) {
                fprintf(stderr,
                        "hillock render: --duration '%s': expected seconds, more than 0 and "
                        "at most %.0f (24 h)\n",
                        optarg, MAX_DURATION_S);
                return EXIT_USAGE;
            }
            o->duration_given = true;
            break;
        case 'r':
            if (!parse_long(optarg, MIN_RATE_HZ, MAX_RATE_HZ, &o->rate)) {
                fprintf(stderr,
                        "hillock render: --rate '%s': expected a whole number of Hz from "
                        "%ld to %ld\n",
                        optarg, MIN_RATE_HZ, MAX_RATE_HZ);
                return EXIT_USAGE;
            }
            break;
        case 'b':
            if (!parse_long(optarg, 1, MAX_BLOCK, &o->block)) {
                fprintf(stderr,
                        "hillock render: --block '%s': expected a whole number of frames "
                        "from 1 to %ld\n",
                        optarg, MAX_BLOCK);
                return EXIT_USAGE;
            }
            o->block_given = true;
            break;
        case 't':
            o->threads_given = true;
            if (strcmp(optarg, "auto") == 0)
                o->threads = 0;
            else if (!parse_long(optarg, 1, MAX_THREADS, &o->threads)) {
                fprintf(stderr,
                        "hillock render: --threads '%s': expected auto or a whole number from 1 "
                        "to %ld\n",
                        optarg, MAX_THREADS);
                return EXIT_USAGE;
            }
            break;
        case 'i': o->input = optarg; break;
        case 'o': o->output = optarg; break;
        case OPT_BITS:
            if (!parse_long(optarg, 16, 32, &v) || (v != 16 && v != 24 && v != 32)) {
                fprintf(stderr, "hillock render: --bits '%s': expected 16, 24 or 32\n", optarg);
                return EXIT_USAGE;
            }
            o->bits = (int)v;
            break;
        case OPT_SPIKES: o->spikes_path = optarg; break;
        case OPT_TRACE: o->trace_path = optarg; break;
        case OPT_TUNING: o->tuning = optarg; break;
        case OPT_KEYMAP: o->keymap = optarg; break;
        case OPT_MIDI_IN: o->midi_in = optarg; break;
        case OPT_MIDI_OUT: o->midi_out = optarg; break;
        case OPT_AUTOMATE: o->automate = optarg; break;
        case OPT_SAVE_WEIGHTS: o->save_weights = optarg; break;
        case OPT_LOAD_WEIGHTS: o->load_weights = optarg; break;
        case OPT_SAVE_STATE: o->save_state = optarg; break;
        case OPT_LOAD_STATE: o->load_state = optarg; break;
        case OPT_OSC: o->osc = optarg; break;
        case OPT_PLAY_SPIKES: o->play_spikes = optarg; break;
        case OPT_MAP: o->maps[o->n_maps++] = optarg; break;
        case OPT_BPM:
            o->bpm = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || !(o->bpm >= MIN_BPM) || !(o->bpm <= MAX_BPM)) {
                fprintf(stderr, "hillock render: --bpm '%s': expected beats per minute from "
                                "%g to %g\n",
                        optarg, MIN_BPM, MAX_BPM);
                return EXIT_USAGE;
            }
            break;
        case 'q': o->quiet = true; break;
        case 'h': cli_print_help(stdout, &render_doc); return -1;
        case ':':
            fprintf(stderr, "hillock render: option '%s' needs a value (try --help)\n",
                    argv[optind - 1]);
            return EXIT_USAGE;
        default:
            if (optopt)
                fprintf(stderr, "hillock render: unknown option '-%c' (try --help)\n", optopt);
            else
                fprintf(stderr, "hillock render: unknown option '%s' (try --help)\n",
                        argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (!cli_no_operands(&render_doc, argc, argv))
        return EXIT_USAGE;
    /* Each engine call's last run of frames plays on one thread while the
     * others wait (dsp/frame_ahead.c): longer calls leave less of it, 3 to
     * 12 % faster on two threads (docs/performance-log.md, "Two threads:
     * longer render blocks"). Not where the block shows: the OSC bundles
     * (one a block) and --play-spikes (playback_rate read once a block). */
    if (o->threads == 0)
        o->threads = auto_threads();
    if (!o->block_given && o->threads > 1 && !o->osc && !o->play_spikes)
        o->block = THREADED_BLOCK;
    if (!o->output) {
        fputs("hillock render: missing -o/--output FILE (try --help)\n", stderr);
        return EXIT_USAGE;
    }
    const char *paths[] = {o->output, o->spikes_path, o->trace_path, o->midi_out,
                           o->save_weights, o->save_state};
    const int n_paths = (int)(sizeof paths / sizeof paths[0]);
    for (int a = 0; a < n_paths; ++a)
        for (int b = a + 1; b < n_paths; ++b)
            if (paths[a] && paths[b] && atomic_file_same(paths[a], paths[b])) {
                fprintf(stderr, "hillock render: '%s' is named for two outputs\n", paths[a]);
                return EXIT_USAGE;
            }
    return EXIT_OK;
}

/* ---- the render ---------------------------------------------------------- */

typedef struct {
    atomic_file wav_file, spikes_file, trace_file, midi_file;
    SNDFILE *wav;
    FILE *spikes_csv, *trace_csv;
    midifile midi_in;
    play_spikes *play; /* --play-spikes */
    automation *automation;
    timeline timeline;
    spike_midi midi_out;
    bool midi_out_open;
    osc_out *osc;
    stimulus *stim;
    engine *eng;
    workers *pool; /* NULL for one thread */
    thread_choice threads; /* with a pool: whether the next block steps on it */
    int on_pool;           /* the mode the engine is set to */
    float *left, *right, *interleaved, *stim_buf, *trace_buf;
    engine_spike *spike_list;
    uint32_t spike_capacity;
    /* Bytes each CSV holds, and held at the start of each of the last
     * n_marks model frames (ring by frame), so a render stopped inside a
     * block can cut them back to where its audio ends. */
    uint64_t spikes_bytes, trace_bytes;
    uint64_t *spikes_marks, *trace_marks;
    uint32_t n_marks;
} render_state;

/* The bank steps on the pool (1) or on this thread alone (0) from the next
 * block on (thread_choice.h): the same bits either way. */
static void
use_threads(render_state *s, int on_pool)
{
    if (on_pool == s->on_pool)
        return;
    engine_set_parallel(s->eng, workers_run, s->pool, on_pool ? workers_count(s->pool) : 1u);
    s->on_pool = on_pool;
}

static void
release(render_state *s)
{
    if (s->wav)
        sf_close(s->wav);
    if (s->spikes_csv)
        fclose(s->spikes_csv);
    if (s->trace_csv)
        fclose(s->trace_csv);
    s->wav = NULL;
    s->spikes_csv = s->trace_csv = NULL;
    atomic_file_discard(&s->wav_file);
    atomic_file_discard(&s->spikes_file);
    atomic_file_discard(&s->trace_file);
    atomic_file_discard(&s->midi_file);
    if (s->midi_out_open)
        spike_midi_close(&s->midi_out);
    timeline_free(&s->timeline);
    osc_out_close(s->osc, "render"); /* says so if spikes were lost */
    if (s->play)
        play_spikes_close(s->play);
    free(s->play);
    automation_destroy(s->automation);
    midifile_free(&s->midi_in);
    stimulus_close(s->stim);
    if (s->eng)
        cli_synapses_release(s->eng);
    engine_destroy(s->eng);
    workers_destroy(s->pool); /* after the engine that uses it */
    free(s->left);
    free(s->right);
    free(s->interleaved);
    free(s->stim_buf);
    free(s->trace_buf);
    free(s->spike_list);
    free(s->spikes_marks);
    free(s->trace_marks);
    memset(s, 0, sizeof *s);
}

/* Open a CSV output under its temporary name and write the header. */
static bool
open_csv(atomic_file *f, FILE **fp, uint64_t *bytes, const char *path, const char *header,
         char *err, size_t err_len)
{
    if (!atomic_file_begin(f, path, err, err_len))
        return false;
    *fp = fdopen(f->fd, "w");
    if (!*fp) {
        snprintf(err, err_len, "cannot write '%s': %s", path, strerror(errno));
        return false;
    }
    f->fd = -1; /* the FILE owns it now */
    fputs(header, *fp);
    *bytes = strlen(header);
    return true;
}

static bool
open_wav(render_state *s, const render_options *o, uint64_t frames, char *err,
         size_t err_len)
{
    if (!atomic_file_begin(&s->wav_file, o->output, err, err_len))
        return false;
    int bytes = o->bits / 8;
    bool big = frames * 2u * (uint64_t)bytes > WAV_MAX_DATA_BYTES;
    SF_INFO info = {
        .samplerate = (int)o->rate,
        .channels = 2,
        .format = (big ? SF_FORMAT_RF64 : SF_FORMAT_WAV) |
                  (o->bits == 16   ? SF_FORMAT_PCM_16
                   : o->bits == 24 ? SF_FORMAT_PCM_24
                                   : SF_FORMAT_FLOAT),
    };
    /* libsndfile gets its own descriptor, so whatever it does with it on
     * failure, ours is closed exactly once by atomic_file. */
    int fd = dup(s->wav_file.fd);
    if (fd < 0) {
        snprintf(err, err_len, "cannot write '%s': %s", o->output, strerror(errno));
        return false;
    }
    s->wav = sf_open_fd(fd, SFM_WRITE, &info, SF_TRUE);
    if (!s->wav) {
        snprintf(err, err_len, "cannot write '%s': %s", o->output, sf_strerror(NULL));
        return false;
    }
    close(s->wav_file.fd);
    s->wav_file.fd = -1;
    sf_command(s->wav, SFC_SET_CLIPPING, NULL, SF_TRUE);
    /* No PEAK chunk: it stamps the time of writing into float WAVs, so two
     * renders of the same thing would differ in their header bytes. */
    sf_command(s->wav, SFC_SET_ADD_PEAK_CHUNK, NULL, SF_FALSE);
    if (big) /* an interrupted render that ends up small is plain WAV again */
        sf_command(s->wav, SFC_RF64_AUTO_DOWNGRADE, NULL, SF_TRUE);
    return true;
}

/* The spikes' MIDI file: its temporary name now (so an unwritable target
 * fails before rendering), its contents when the render ends. */
static bool
open_midi_out(render_state *s, const render_options *o, char *err, size_t err_len)
{
    if (!atomic_file_begin(&s->midi_file, o->midi_out, err, err_len))
        return false;
    char why[512];
    if (!spike_midi_open(&s->midi_out, o->midi_in ? &s->midi_in : NULL, o->bpm, why,
                         sizeof why)) {
        snprintf(err, err_len, "cannot write '%s': %s", o->midi_out, why);
        return false;
    }
    s->midi_out_open = true;
    return true;
}

static bool
allocate_buffers(render_state *s, const render_options *o)
{
    size_t n = (size_t)o->block;
    s->left = malloc(n * sizeof(float));
    s->right = malloc(n * sizeof(float));
    s->interleaved = malloc(2 * n * sizeof(float));
    s->stim_buf = o->input ? malloc(n * sizeof(float)) : NULL;
    s->trace_buf = o->trace_path ? malloc(n * sizeof(float)) : NULL;
    if (o->spikes_path || o->midi_out || o->osc) {
        /* At most one spike per neuron per model step fits in a block. A
         * render whose automation or MIDI may grow the bank or speed it up
         * gets the most the list may hold: its pages are touched only as
         * spikes fill them (a bank automated from 3000 to 5000 neurons lost
         * spikes to a list sized for 3000). */
        engine_stats st;
        engine_get_stats(s->eng, &st);
        uint64_t cap = (uint64_t)engine_active_neurons(s->eng) * n *
                       (st.substeps ? st.substeps : 1);
        if (s->automation || o->midi_in)
            cap = MAX_SPIKE_LIST;
        s->spike_capacity = (uint32_t)(cap < MAX_SPIKE_LIST ? cap : MAX_SPIKE_LIST);
        s->spike_list = malloc(s->spike_capacity * sizeof *s->spike_list);
    }
    s->n_marks = engine_latency(s->eng) + 1u;
    if (o->spikes_path)
        s->spikes_marks = malloc(s->n_marks * sizeof *s->spikes_marks);
    if (o->trace_path)
        s->trace_marks = malloc(s->n_marks * sizeof *s->trace_marks);
    return s->left && s->right && s->interleaved && (!o->input || s->stim_buf) &&
           (!o->trace_path || (s->trace_buf && s->trace_marks)) &&
           (!s->spike_capacity || s->spike_list) && (!o->spikes_path || s->spikes_marks);
}

/* Spikes in time order: an overflowed list is a sample in no order. */
static int
spike_order(const void *a, const void *b)
{
    const engine_spike *x = a, *y = b;
    if (x->offset != y->offset)
        return x->offset < y->offset ? -1 : 1;
    return (x->frac > y->frac) - (x->frac < y->frac);
}

/* The engine lists a frame's spikes in neuron order, and frames in order;
 * the rows go in time order (--play-spikes reads them back and needs it).
 * A frame holds few spikes, so an insertion sort moves only within frames;
 * spikes at the same time keep their neuron order. */
static void
order_within_frames(engine_spike *s, uint32_t n)
{
    for (uint32_t i = 1; i < n; ++i) {
        const engine_spike x = s[i];
        uint32_t j = i;
        for (; j > 0 && spike_order(&s[j - 1], &x) > 0; --j)
            s[j] = s[j - 1];
        s[j] = x;
    }
}

static void
count_bytes(uint64_t *bytes, int written)
{
    if (written > 0)
        *bytes += (uint64_t)written;
}

/* Write one processed block to every output; false with a message on error.
 * The engine's audio lags its spikes and trace by `latency` frames: the
 * first `latency` frames of audio are dropped and the model runs that much
 * longer than `total`, whose spikes and trace are not written, so every
 * output starts at `begin` (0, or where a continued render's saved state
 * ended) and ends at `total`. */
static bool
write_block(render_state *s, const render_options *o, engine_io *io, uint32_t n,
            uint64_t frames_before, uint64_t begin, uint64_t total, uint32_t latency,
            char *err, size_t err_len)
{
    uint64_t a_from = frames_before < begin + latency ? begin + latency - frames_before : 0;
    uint64_t a_to = frames_before + n < total + latency ? n : total + latency - frames_before;
    uint32_t m = 0;
    for (uint64_t f = a_from; f < a_to; ++f, ++m) {
        s->interleaved[2 * m] = s->left[f];
        s->interleaved[2 * m + 1] = s->right[f];
    }
    if (sf_writef_float(s->wav, s->interleaved, m) != (sf_count_t)m) {
        snprintf(err, err_len, "writing '%s': %s", o->output, sf_strerror(s->wav));
        return false;
    }
    const double rate = (double)o->rate;
    if (s->spikes_csv && io->spikes_lost)
        qsort(io->spikes, io->n_spikes, sizeof *io->spikes, spike_order);
    else if (s->spikes_csv)
        order_within_frames(io->spikes, io->n_spikes);
    /* frame by frame, marking where each frame's rows start (cut_csvs) */
    const uint64_t rows = frames_before >= total ? 0 : total - frames_before;
    uint32_t k = 0;
    for (uint32_t f = 0; f < n && f < rows; ++f) {
        const uint64_t frame = frames_before + f;
        if (s->spikes_csv) {
            s->spikes_marks[frame % s->n_marks] = s->spikes_bytes;
            /* offset + frac is the exact time; the float frame loses digits
             * in long blocks */
            for (; k < io->n_spikes && io->spikes[k].offset == f; ++k) {
                /* "%.9f,%u\n" without printf (fixed9.h) */
                char row[FIXED9_MAX + 16];
                size_t len =
                    fixed9(row, ((double)frame + (double)io->spikes[k].frac) / rate);
                row[len++] = ',';
                len += decimal_u32(row + len, io->spikes[k].neuron);
                row[len++] = '\n';
                s->spikes_bytes += fwrite(row, 1, len, s->spikes_csv);
            }
        }
        if (s->trace_csv) {
            s->trace_marks[frame % s->n_marks] = s->trace_bytes;
            count_bytes(&s->trace_bytes, fprintf(s->trace_csv, "%.9f,%.9g\n",
                                                 (double)frame / rate,
                                                 (double)s->trace_buf[f]));
        }
    }
    if (s->spikes_csv && ferror(s->spikes_csv)) {
        snprintf(err, err_len, "writing '%s': %s", o->spikes_path, strerror(errno));
        return false;
    }
    if (s->trace_csv && ferror(s->trace_csv)) {
        snprintf(err, err_len, "writing '%s': %s", o->trace_path, strerror(errno));
        return false;
    }
    return true;
}

static bool
cut_csv(FILE *fp, uint64_t bytes, const char *path, char *err, size_t err_len)
{
    if (fflush(fp) != 0 || ftruncate(fileno(fp), (off_t)bytes) != 0) {
        snprintf(err, err_len, "writing '%s': %s", path, strerror(errno));
        return false;
    }
    return true;
}

/* Cut the CSVs back to the rows of frames before `frame`, written less than
 * n_marks frames ago. */
static bool
cut_csvs(render_state *s, const render_options *o, uint64_t frame, char *err, size_t err_len)
{
    const uint32_t at = (uint32_t)(frame % s->n_marks);
    return (!s->spikes_csv ||
            cut_csv(s->spikes_csv, s->spikes_marks[at], o->spikes_path, err, err_len)) &&
           (!s->trace_csv ||
            cut_csv(s->trace_csv, s->trace_marks[at], o->trace_path, err, err_len));
}

/* The MIDI file of the spikes, written whole into its temporary file. */
static bool
write_midi_out(render_state *s, const render_options *o, char *err, size_t err_len)
{
    FILE *f = fdopen(s->midi_file.fd, "wb");
    if (!f) {
        snprintf(err, err_len, "cannot write '%s': %s", o->midi_out, strerror(errno));
        return false;
    }
    s->midi_file.fd = -1; /* the FILE owns it now */
    char why[512];
    bool ok = spike_midi_finish(&s->midi_out, f, why, sizeof why);
    if (fclose(f) != 0 && ok) {
        snprintf(why, sizeof why, "%s", strerror(errno));
        ok = false;
    }
    if (!ok)
        snprintf(err, err_len, "writing '%s': %s", o->midi_out, why);
    return ok;
}

/* Close every output and rename it into place: CSVs and MIDI first, the WAV last. */
static bool
finish_outputs(render_state *s, const render_options *o, char *err, size_t err_len)
{
    bool ok = true;
    if (s->spikes_csv) {
        if (fclose(s->spikes_csv) != 0 && ok) {
            snprintf(err, err_len, "writing '%s': %s", o->spikes_path, strerror(errno));
            ok = false;
        }
        s->spikes_csv = NULL;
    }
    if (s->trace_csv) {
        if (fclose(s->trace_csv) != 0 && ok) {
            snprintf(err, err_len, "writing '%s': %s", o->trace_path, strerror(errno));
            ok = false;
        }
        s->trace_csv = NULL;
    }
    if (s->midi_out_open && ok)
        ok = write_midi_out(s, o, err, err_len);
    if (s->wav) {
        int e = sf_close(s->wav);
        s->wav = NULL;
        if (e != 0 && ok) {
            snprintf(err, err_len, "writing '%s': %s", o->output, sf_error_number(e));
            ok = false;
        }
    }
    if (!ok)
        return false;
    /* together, the WAV last: none replaced unless every one's data is on
     * disk (atomic_file_commit_all) */
    atomic_file *files[4];
    size_t n = 0;
    if (o->spikes_path)
        files[n++] = &s->spikes_file;
    if (o->trace_path)
        files[n++] = &s->trace_file;
    if (o->midi_out)
        files[n++] = &s->midi_file;
    files[n++] = &s->wav_file;
    return atomic_file_commit_all(files, n, err, err_len);
}

/* engine_set_stop_query: the engine stops where it is once a signal is
 * older than STOP_GRACE_S. */
static int
stop_now(void *unused)
{
    (void)unused;
    return interrupt_signal() && interrupt_seconds_since() >= STOP_GRACE_S;
}

/* The MIDI file and the automation table, read and checked before anything
 * is written; a problem in either is an input error. */
static int
load_timed_inputs(render_state *s, const render_options *o, const float values[PARAM_COUNT])
{
    char err[1024];
    char *data = NULL;
    size_t size = 0;
    if (o->midi_in) {
        if (!input_file_read_all(o->midi_in, "MIDI file", MIDIFILE_MAX_BYTES, &data, &size, err,
                                 sizeof err)) {
            fprintf(stderr, "hillock render: %s\n", err);
            return EXIT_INPUT;
        }
        bool ok = midifile_parse((const uint8_t *)data, size, &s->midi_in, err, sizeof err);
        free(data);
        if (!ok) {
            fprintf(stderr, "hillock render: --midi-in '%s': %s\n", o->midi_in, err);
            return EXIT_INPUT;
        }
    }
    if (o->automate) {
        if (!input_file_read_all(o->automate, "automation table", MAX_AUTOMATION_BYTES, &data,
                                 &size, err, sizeof err)) {
            fprintf(stderr, "hillock render: %s\n", err);
            return EXIT_INPUT;
        }
        s->automation = automation_create();
        bool ok = s->automation &&
                  automation_parse_table(s->automation, data, size, err, sizeof err);
        free(data);
        if (!ok) {
            fprintf(stderr, "hillock render: --automate '%s': %s\n", o->automate,
                    s->automation ? err : "out of memory");
            return EXIT_INPUT;
        }
    }
    if (o->n_maps && !s->automation && !(s->automation = automation_create())) {
        fputs("hillock render: out of memory\n", stderr);
        return EXIT_INTERNAL;
    }
    for (int i = 0; i < o->n_maps; ++i)
        if (!series_map_add(s->automation, o->maps[i], err, sizeof err)) {
            fprintf(stderr, "hillock render: --map %s\n", err);
            return EXIT_INPUT;
        }
    if (s->automation && !automation_prepare(s->automation, (double)o->rate, values,
                                             AUTOMATION_RAMP_FRAMES, err, sizeof err)) {
        if (o->n_maps)
            fprintf(stderr, "hillock render: --automate/--map: %s\n", err);
        else
            fprintf(stderr, "hillock render: --automate '%s': %s\n", o->automate, err);
        return EXIT_INPUT;
    }
    if (!timeline_init(&s->timeline, o->midi_in ? &s->midi_in : NULL, s->automation,
                       (double)o->rate, o->bpm)) {
        fputs("hillock render: out of memory\n", stderr);
        return EXIT_INTERNAL;
    }
    return EXIT_OK;
}

/* --play-spikes: the recording opened and checked (a bad file is an input
 * error), the source recorded unless a --set chose it, the render as long
 * as the recording at its rate unless --duration. */
static int
open_recording(render_state *s, const render_options *o, float values[PARAM_COUNT],
               double *duration_s)
{
    char err[1024];
    s->play = malloc(sizeof *s->play);
    if (!s->play) {
        fputs("hillock render: out of memory\n", stderr);
        return EXIT_INTERNAL;
    }
    if (!play_spikes_open(s->play, o->play_spikes, err, sizeof err)) {
        free(s->play);
        s->play = NULL;
        fprintf(stderr, "hillock render: --play-spikes %s\n", err);
        return EXIT_INPUT;
    }
    bool source_set = false;
    for (int i = 0; i < o->n_sets; ++i)
        source_set |= strncmp(o->sets[i], "source=", 7) == 0;
    if (!source_set)
        values[P_SOURCE] = SOURCE_RECORDED;
    if (!o->duration_given)
        *duration_s = fmin(spikefile_duration(s->play->file) / values[P_PLAYBACK_RATE] +
                               MIDI_IN_TAIL_S, MAX_DURATION_S);
    if (!o->quiet)
        play_spikes_describe(s->play, stderr, o->play_spikes);
    return EXIT_OK;
}

static int
render(const render_options *o)
{
    float values[PARAM_COUNT];
    int status = start_values("render", o->preset, o->sets, o->n_sets, values);
    if (status != EXIT_OK)
        return status;

    double tuning_hz[128];
    interrupt_stage("tuning");
    if ((o->tuning || o->keymap) &&
        !cli_tuning_load("render", o->tuning, o->keymap, tuning_hz))
        return EXIT_INPUT;

    render_state s;
    memset(&s, 0, sizeof s);
    s.wav_file.fd = s.spikes_file.fd = s.trace_file.fd = s.midi_file.fd = -1;
    char err[1024];
    interrupt_stage("input");
    status = load_timed_inputs(&s, o, values);
    if (status != EXIT_OK) {
        release(&s);
        return status;
    }
    double duration_s = o->duration_s;
    if (o->midi_in && !o->duration_given)
        duration_s = fmin(s.midi_in.end_s + MIDI_IN_TAIL_S, MAX_DURATION_S);
    if (o->play_spikes) {
        status = open_recording(&s, o, values, &duration_s);
        if (status != EXIT_OK) {
            release(&s);
            return status;
        }
    }

    uint64_t frames = (uint64_t)llround(duration_s * (double)o->rate);
    if (frames == 0) {
        fprintf(stderr, "hillock render: --duration %g s is shorter than one sample\n",
                duration_s);
        release(&s);
        return EXIT_USAGE;
    }

    if (o->input) {
        s.stim = stimulus_open(o->input, (double)o->rate, err, sizeof err);
        if (!s.stim) {
            fprintf(stderr, "hillock render: %s\n", err);
            release(&s);
            return EXIT_INPUT;
        }
        if (!o->quiet && stimulus_file_rate(s.stim) != (double)o->rate)
            fprintf(stderr, "hillock render: resampling '%s' from %.0f Hz to %ld Hz (linear)\n",
                    o->input, stimulus_file_rate(s.stim), o->rate);
    }

    if (o->osc && !(s.osc = osc_out_open(o->osc, err, sizeof err))) {
        fprintf(stderr, "hillock render: --osc: %s\n", err);
        release(&s);
        return EXIT_OUTPUT;
    }

    interrupt_stage("engine");
    s.eng = engine_create_offline((double)o->rate);
    if (!s.eng) {
        fprintf(stderr, "hillock render: cannot create the engine at %ld Hz\n", o->rate);
        release(&s);
        return EXIT_INTERNAL;
    }
    engine_set_all_params(s.eng, values);
    if (s.play)
        engine_set_recorded_units(s.eng, spikefile_units(s.play->file));
    /* offline: a coupled network's settled start pre-rolls at once */
    engine_set_settle_mode(s.eng, ENGINE_SETTLE_AT_ONCE);
    if (o->tuning || o->keymap)
        engine_set_tuning(s.eng, tuning_hz);
    cli_synapses_update("render", s.eng, o->quiet);
    if (o->load_weights && !cli_synapses_load("render", s.eng, o->load_weights)) {
        release(&s);
        return EXIT_INPUT;
    }
    if (o->load_state &&
        !cli_state_load("render", s.eng, o->load_state, values, s.automation, s.play,
                        o->quiet)) {
        release(&s);
        return EXIT_INPUT;
    }
    /* a continued render goes on from the engine's clock: its inputs too */
    engine_stats at_begin;
    engine_get_stats(s.eng, &at_begin);
    const uint64_t begin = at_begin.frames;
    if (begin && (o->midi_in || o->play_spikes) && !o->duration_given) /* to the end, as whole */
        frames = frames > begin ? frames - begin : 1u;
    const uint64_t total = begin + frames;
    timeline_seek(&s.timeline, begin);
    if (s.stim && !stimulus_skip(s.stim, begin, err, sizeof err)) {
        fprintf(stderr, "hillock render: %s\n", err);
        release(&s);
        return EXIT_INPUT;
    }
    /* auto: no pool for a bank that cannot use it and whose size no input
     * will change (the default bank of 64 rendered 5 % slower with one) */
    const bool steady_size = !s.automation && !o->midi_in;
    if (o->threads > 1 && (o->threads_given || !steady_size || engine_bank_splits(s.eng))) {
        s.pool = workers_create((unsigned)o->threads);
        if (!s.pool) {
            fprintf(stderr, "hillock render: cannot start %ld threads\n", o->threads);
            release(&s);
            return EXIT_INTERNAL;
        }
        engine_set_parallel(s.eng, workers_run, s.pool, workers_count(s.pool));
        engine_set_parallel_tasks(s.eng, workers_post, workers_wait);
        thread_choice_init(&s.threads);
        s.on_pool = 1;
    }
    if (!allocate_buffers(&s, o)) {
        fputs("hillock render: out of memory\n", stderr);
        release(&s);
        return EXIT_INTERNAL;
    }

    /* A signal now removes the temporary files: none may exist untracked. */
    interrupt_hold();
    bool opened =
        open_wav(&s, o, frames, err, sizeof err) &&
        (!o->spikes_path || open_csv(&s.spikes_file, &s.spikes_csv, &s.spikes_bytes,
                                     o->spikes_path, "time_s,neuron\n", err, sizeof err)) &&
        (!o->trace_path || open_csv(&s.trace_file, &s.trace_csv, &s.trace_bytes, o->trace_path,
                                    "time_s,v\n", err, sizeof err)) &&
        (!o->midi_out || open_midi_out(&s, o, err, sizeof err));
    const atomic_file *files[INTERRUPT_TRACKED_FILES] = {&s.wav_file, &s.spikes_file,
                                                         &s.trace_file, &s.midi_file};
    for (int i = 0; i < INTERRUPT_TRACKED_FILES; ++i)
        interrupt_track(i, files[i]->open ? files[i]->temp : NULL);
    interrupt_release();
    if (!opened) {
        fprintf(stderr, "hillock render: %s\n", err);
        release(&s);
        return EXIT_OUTPUT;
    }
    interrupt_stage("outputs");

    /* From here a signal raises a flag: see STOP_GRACE_S. */
    interrupt_running();
    engine_set_stop_query(s.eng, stop_now, NULL);
    progress bar;
    progress_start(&bar, !o->quiet && isatty(STDERR_FILENO));

    uint64_t done = begin, spikes_lost = 0;
    uint8_t *state = NULL; /* --save-state: taken where the model ends */
    size_t state_size = 0;
    bool state_taken = false;
    status = EXIT_OK;
    const uint64_t block = (uint64_t)o->block;
    const uint32_t latency = engine_latency(s.eng);
    uint64_t model_end = total, end = total + latency;
    bool stopping = false, cut_short = false;
    while (done < end) {
        if (o->save_state && !state_taken && done == model_end) {
            if (!cli_state_take(s.eng, s.play, &state, &state_size, err, sizeof err)) {
                status = EXIT_OUTPUT;
                break;
            }
            state_taken = true;
        }
        if (interrupt_signal() && !stopping) {
            /* stop the model here and play out the audio still in the
             * latency, so the WAV and the CSVs end together */
            stopping = true;
            model_end = done < total ? done : total;
            end = model_end + latency;
            if (done >= end)
                break;
            continue; /* the state where the model now ends */
        }
        /* blocks on the whole render's grid, a continued one's first cut
         * short: what is read once a block (playback_rate) is read where
         * it would have been */
        const uint64_t to_grid = block - done % block;
        uint32_t n = (uint32_t)(end - done < to_grid ? end - done : to_grid);
        if (o->save_state && done < model_end && done + n > model_end)
            n = (uint32_t)(model_end - done); /* a block ends where the state is taken */
        if (s.stim && !stimulus_read(s.stim, s.stim_buf, n, err, sizeof err)) {
            status = EXIT_INPUT;
            break;
        }
        engine_io io = {
            .stimulus = s.stim_buf,
            .out_left = s.left,
            .out_right = s.right,
            .trace_soma = s.trace_buf,
            .spikes = s.spike_list,
            .spike_capacity = s.spike_capacity,
        };
        if (s.play && !play_spikes_block(s.play, s.eng, done, n, (double)o->rate,
                                         engine_get_param(s.eng, P_PLAYBACK_RATE), err,
                                         sizeof err)) {
            status = EXIT_INPUT;
            break;
        }
        if (s.pool)
            use_threads(&s, thread_choice_mode(&s.threads));
        const double t0 = progress_now();
        timeline_process(&s.timeline, s.eng, &io, n, done);
        if (s.pool)
            thread_choice_played(&s.threads, 1e9 * (progress_now() - t0), io.n_done);
        cli_synapses_update("render", s.eng, o->quiet); /* the wiring automated */
        if (io.n_done < n) { /* stopped inside the block: the engine is spent */
            n = io.n_done;
            cut_short = true;
        }
        spikes_lost += io.spikes_lost;
        if (!write_block(&s, o, &io, n, done, begin, model_end, latency, err, sizeof err) ||
            (s.midi_out_open && !spike_midi_block(&s.midi_out, s.eng, &io, done, model_end,
                                                  (double)o->rate, err, sizeof err))) {
            status = EXIT_OUTPUT;
            break;
        }
        if (s.osc)
            osc_out_block(s.osc, &io, done, model_end, (double)o->rate);
        done += n;
        progress_update(&bar, (double)((done < total ? done : total) - begin) / (double)o->rate,
                        (double)frames / (double)o->rate);
        if (cut_short)
            break;
    }
    if (cut_short && status == EXIT_OK) {
        /* no audio past done - latency came out: the CSVs end there too */
        const uint64_t audio = done > begin + latency ? done - latency : begin;
        const uint64_t rows = done < model_end ? done : model_end;
        if (audio < rows && !cut_csvs(&s, o, audio, err, sizeof err))
            status = EXIT_OUTPUT;
        if (audio < model_end)
            model_end = audio;
    }
    progress_finish(&bar);
    double wall_s = progress_now() - bar.start_s;
    const int stopped_by = interrupt_signal();

    if (status == EXIT_OK && o->save_state && !state_taken) {
        snprintf(err, sizeof err, "--save-state '%s': not written: the render stopped inside "
                                  "a model step, where no state continues",
                 o->save_state);
        status = EXIT_OUTPUT;
    }
    if (status != EXIT_OK) {
        fprintf(stderr, "hillock render: %s\n", err);
        free(state);
        release(&s);
        return status;
    }
    interrupt_stage("finish");
    if (o->save_weights && !cli_synapses_save(s.eng, o->save_weights, err, sizeof err)) {
        fprintf(stderr, "hillock render: %s\n", err);
        release(&s);
        return EXIT_OUTPUT;
    }
    if (o->save_state) {
        bool written = atomic_file_write(o->save_state, state, state_size, err, sizeof err);
        free(state);
        if (!written) {
            fprintf(stderr, "hillock render: %s\n", err);
            release(&s);
            return EXIT_OUTPUT;
        }
    }
    if (!finish_outputs(&s, o, err, sizeof err)) {
        fprintf(stderr, "hillock render: %s\n", err);
        release(&s);
        return EXIT_OUTPUT;
    }

    engine_stats st;
    engine_get_stats(s.eng, &st);
    const double seconds = (double)(model_end - begin) / (double)o->rate;
    st.spikes -= at_begin.spikes;
    st.nonfinite_resets -= at_begin.nonfinite_resets;
    if (spikes_lost)
        fprintf(stderr,
                "hillock render: warning: %llu spikes did not fit the per-block list and "
                "are missing from '%s'; use a smaller --block\n",
                (unsigned long long)spikes_lost, o->spikes_path ? o->spikes_path : o->midi_out);
    if (engine_get_param(s.eng, P_PITCH_MODE) == PITCH_TRACK && !o->quiet)
        fprintf(stderr, "hillock render: pitch tracking reaches %.2f - %.1f Hz\n",
                (double)st.pitch_lo_hz, (double)st.pitch_hi_hz);
    if (st.pitch_clamped)
        fprintf(stderr,
                "hillock render: warning: %llu notes were out of the model's pitch range "
                "and played at the nearest pitch it reaches (the last: MIDI note %d; "
                "docs/manual.md, Pitch tracking)\n",
                (unsigned long long)st.pitch_clamped, st.pitch_last_clamped);
    if (stopped_by)
        fprintf(stderr,
                "hillock render: interrupted by %s after %.3f of %.3f s (%llu frames); '%s' "
                "holds what was rendered, complete %.3f s after the signal\n",
                interrupt_signal_name(stopped_by), seconds, duration_s,
                (unsigned long long)model_end, o->output, interrupt_seconds_since());
    else if (!o->quiet)
        fprintf(stderr,
                "hillock render: %.3f s at %ld Hz to '%s': %llu spikes (%.1f/s), %.1fx real "
                "time, %llu non-finite resets, latency %u frames trimmed\n",
                seconds, o->rate, o->output, (unsigned long long)st.spikes,
                (double)st.spikes / seconds, wall_s > 0.0 ? seconds / wall_s : 0.0,
                (unsigned long long)st.nonfinite_resets, latency);
    if (s.pool && o->threads_given && !stopped_by && !o->quiet) {
        const double on_pool = (double)s.threads.frames[1],
                     all = on_pool + (double)s.threads.frames[0];
        fprintf(stderr,
                "hillock render: the bank stepped on %ld threads for %.0f %% of the frames, on "
                "one for the rest (timed as it rendered: one thread is faster where the "
                "threads' meetings outweigh the work they share)\n",
                o->threads, all > 0.0 ? 100.0 * on_pool / all : 0.0);
    }
    release(&s);
    return stopped_by ? EXIT_INTERRUPTED : EXIT_OK;
}

int
render_command(int argc, char **argv)
{
    /* first thing: a signal at any stage ends the render cleanly */
    interrupt_install("render", "before rendering began; no file written",
                      "render abandoned, its unfinished files removed");
    render_options o;
    int status = parse_options(argc, argv, &o);
    if (status == EXIT_OK)
        status = render(&o);
    else if (status < 0)
        status = EXIT_OK; /* --help */
    interrupt_restore();
    free(o.sets);
    free(o.maps);
    return status;
}
