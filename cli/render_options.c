/* render_options.c — `hillock render`'s options: the table behind --help
 * and the man page, and their parsing and checks (render_options.h). */
#include "render_options.h"

#include "atomic_file.h"
#include "bench/workers.h"
#include "commands.h"
#include "exit_codes.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_RATE_HZ 1000L        /* engine_create's limits, kept to what WAV holds */
#define MAX_RATE_HZ 768000L
#define MAX_BLOCK 8192L
#define MAX_THREADS 64L         /* workers_create's limit */
/* --threads auto: the CPUs this process may run on, at most this many (more
 * were not measured: docs/performance-log.md, "Two threads: the render
 * chooses") */
#define AUTO_THREADS_MAX 8
#define THREADED_BLOCK 1024 /* frames per engine call, --threads 2 or more */
#define MIN_BPM 4.0              /* a Set Tempo holds at most 2^24 - 1 us per quarter */
#define MAX_BPM 999.0

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

/* --threads auto: the CPUs this process may run on (its affinity, which
 * taskset and containers narrow), at most AUTO_THREADS_MAX */
static long
auto_threads(void)
{
    const unsigned n = workers_usable_cpus();
    return n > AUTO_THREADS_MAX ? AUTO_THREADS_MAX : (long)n;
}

/* Returns EXIT_OK to render, -1 after --help, or an exit status. */
int
render_options_parse(int argc, char **argv, render_options *o)
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
                !(o->duration_s <= RENDER_MAX_DURATION_S)) {
                fprintf(stderr,
                        "hillock render: --duration '%s': expected seconds, more than 0 and "
                        "at most %.0f (24 h)\n",
                        optarg, RENDER_MAX_DURATION_S);
                return EXIT_USAGE;
            }
            o->duration_given = true;
            break;
        case 'r':
            if (!cli_parse_long(optarg, MIN_RATE_HZ, MAX_RATE_HZ, &o->rate)) {
                fprintf(stderr,
                        "hillock render: --rate '%s': expected a whole number of Hz from "
                        "%ld to %ld\n",
                        optarg, MIN_RATE_HZ, MAX_RATE_HZ);
                return EXIT_USAGE;
            }
            break;
        case 'b':
            if (!cli_parse_long(optarg, 1, MAX_BLOCK, &o->block)) {
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
            else if (!cli_parse_long(optarg, 1, MAX_THREADS, &o->threads)) {
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
            if (!cli_parse_long(optarg, 16, 32, &v) || (v != 16 && v != 24 && v != 32)) {
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

void
render_options_free(render_options *o)
{
    free(o->sets);
    free(o->maps);
    o->sets = o->maps = NULL;
}
