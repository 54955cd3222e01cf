/* jack_options.c — options and --help of `hillock jack`. */
#include "jack_options.h"

#include "commands.h"
#include "exit_codes.h"
#include "midi_cc.h"
#include "options.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { OPT_SERVER = 256, OPT_RECORD, OPT_RECORD_PORTS, OPT_FREEWHEEL, OPT_START_SERVER,
       OPT_NO_STDIN, OPT_TUNING, OPT_KEYMAP, OPT_OSC, OPT_OSC_IN, OPT_OSC_IN_ANY,
       OPT_PLAY_SPIKES, OPT_TRANSPORT };

static const cli_option jack_options_table[] = {
    {'p', 'p', "preset", "NAME", "start from a preset (`hillock presets` lists them)"},
    {'s', 's', "set", "SYMBOL=VALUE", "set a parameter (repeatable; after the preset)"},
    {'n', 'n', "name", "NAME", "JACK client name (default hillock)"},
    {OPT_SERVER, 0, "server", "NAME", "JACK server name (default $JACK_DEFAULT_SERVER)"},
    {'c', 'c', "connect", NULL,
     "out_L/out_R to the system playback ports, the first system capture port to the "
     "stimulus input"},
    {'o', 'o', "output", "FILE",
     "record to FILE (.wav 32-bit float, .flac 24-bit, .w64, .caf)"},
    {OPT_RECORD, 0, "record", "FILE", "the same as --output"},
    {OPT_RECORD_PORTS, 0, "record-ports", "LIST",
     "ports to record, comma-separated (default L,R): in, L, R, focus_v, dend_v, gate, "
     "rate"},
    {'d', 'd', "duration", "SECONDS", "stop after this much audio"},
    {OPT_TUNING, 0, "tuning", "FILE.scl",
     "tune the spike voice's notes to a Scala scale (as render --tuning)"},
    {OPT_KEYMAP, 0, "keymap", "FILE.kbm", "a Scala keyboard mapping for the tuning"},
    {OPT_OSC, 0, "osc", "URL",
     "send every spike as an OSC message /hillock/spike (int32 neuron, float64 time in "
     "seconds of the output), a bundle per block, to osc.udp://HOST:PORT/ or "
     "osc.tcp://HOST:PORT/"},
    {OPT_OSC_IN, 0, "osc-in", "PORT",
     "play the /hillock/spike messages received on UDP port PORT of 127.0.0.1 as spikes "
     "of recorded units (source recorded, or both when set)"},
    {OPT_OSC_IN_ANY, 0, "osc-in-any", NULL,
     "--osc-in listens on every network interface, not only this machine"},
    {OPT_PLAY_SPIKES, 0, "play-spikes", "FILE",
     "play a recording (CSV/TSV, NWB or MIDI file, as render --play-spikes) as recorded "
     "units, from the client's start, streamed from disk"},
    {OPT_TRANSPORT, 0, "transport", NULL,
     "recordings (--play-spikes, `spikes FILE`) follow JACK's transport (play, stop, locate; at playback_rate) instead "
     "of starting with the client: silent until the transport rolls"},
    {OPT_FREEWHEEL, 0, "freewheel", NULL,
     "run JACK in freewheel mode (faster than real time; needs --duration)"},
    {OPT_START_SERVER, 0, "start-server", NULL, "start a JACK server if none is running"},
    {OPT_NO_STDIN, 0, "no-stdin", NULL, "do not read control lines from stdin"},
    {'q', 'q', "quiet", NULL, "no status line, no summary"},
    {'h', 'h', "help", NULL, "this help"},
};

static void
print_cc_map(FILE *out)
{
    fputs("MIDI CC map (any channel; other messages go to the engine):\n", out);
    for (unsigned i = 0; i < midi_cc_map_size; ++i)
        fprintf(out, "  CC%-3u %s\n", midi_cc_map[i].cc, midi_cc_map[i].why);
}

const cli_command_doc jack_doc = {
    .name = "jack",
    .synopsis = "[OPTIONS]",
    .summary = "run the neuron bank live as a JACK client",
    .description = "Run the neuron bank live as a JACK client, optionally recording.",
    .options = jack_options_table,
    .n_options = sizeof jack_options_table / sizeof jack_options_table[0],
    .notes = "Ports: stimulus (audio in), out_L, out_R, cv_focus_v, cv_dend_v, cv_gate, "
             "cv_rate (CV outs, JACK metadata signal-type = CV), midi_in, midi_out.\n\n"
             "Control lines on stdin: set SYMBOL VALUE | preset NAME | spikes FILE | reset | quit\n\n"
             "Exit status: 0 done, 2 bad usage, 3 unknown preset, --osc-in port "
             "unavailable or bad --play-spikes file, 4 recording cannot be written or --osc host unreachable, 5 stopped by SIGINT/SIGTERM (the recording is complete up to then), 6 "
             "no JACK server or it went away, 70 internal error.\n",
    .print_extra = print_cc_map,
    .examples = "hillock jack -p tonic-hh --connect\n"
                "hillock jack -p tonic-hh -d 10 -o take.wav --record-ports L,R,gate\n"
                "hillock jack -p tonic-hh -d 60 -o take.flac --freewheel",
};

int
jack_options_parse(int argc, char **argv, jack_options *o)
{
    cli_getopt g;
    cli_getopt_begin(&g, &jack_doc);
    *o = (jack_options){.name = "hillock", .record_ports = "L,R"};
    int c;
    while ((c = cli_getopt_next(&g, argc, argv)) != -1) {
        switch (c) {
        case 'p': o->preset = optarg; break;
        case 's':
            if (o->n_sets == (int)(sizeof o->sets / sizeof o->sets[0])) {
                fprintf(stderr, "hillock jack: too many --set options\n");
                return EXIT_USAGE;
            }
            o->sets[o->n_sets++] = optarg;
            break;
        case 'n': o->name = optarg; break;
        case OPT_SERVER: o->server = optarg; break;
        case 'c': o->connect = true; break;
        case 'o':
        case OPT_RECORD: o->record = optarg; break;
        case OPT_RECORD_PORTS: o->record_ports = optarg; break;
        case 'd': {
            char *end;
            o->duration = strtod(optarg, &end);
            if (*end || !isfinite(o->duration) || o->duration <= 0) {
                fprintf(stderr, "hillock jack: --duration wants seconds > 0, got '%s'\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case OPT_FREEWHEEL: o->freewheel = true; break;
        case OPT_START_SERVER: o->start_server = true; break;
        case OPT_NO_STDIN: o->no_stdin = true; break;
        case OPT_TUNING: o->tuning = optarg; break;
        case OPT_KEYMAP: o->keymap = optarg; break;
        case OPT_OSC: o->osc = optarg; break;
        case OPT_OSC_IN: o->osc_in = optarg; break;
        case OPT_OSC_IN_ANY: o->osc_in_any = true; break;
        case OPT_PLAY_SPIKES: o->play_spikes = optarg; break;
        case OPT_TRANSPORT: o->spikes_transport = true; break;
        case 'q': o->quiet = true; break;
        case 'h': cli_print_help(stdout, &jack_doc); return -1;
        case ':':
            fprintf(stderr, "hillock jack: %s needs a value (try hillock jack --help)\n",
                    argv[optind - 1]);
            return EXIT_USAGE;
        default:
            if (optopt == 'r') /* one letter, one meaning: -r is render's --rate */
                fprintf(stderr, "hillock jack: unknown option '-r': record with -o/--output "
                                "FILE\n");
            else
                fprintf(stderr, "hillock jack: unknown option '%s' (try hillock jack --help)\n",
                        argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (!cli_no_operands(&jack_doc, argc, argv))
        return EXIT_USAGE;
    if (o->osc_in_any && !o->osc_in) {
        fprintf(stderr, "hillock jack: --osc-in-any needs --osc-in PORT\n");
        return EXIT_USAGE;
    }
    if (o->freewheel && o->duration <= 0) {
        fprintf(stderr, "hillock jack: --freewheel needs --duration (freewheel runs "
                        "as fast as the CPU allows and would never stop)\n");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}
