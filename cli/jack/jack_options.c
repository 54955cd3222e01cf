/* jack_options.c — options and --help of `hillock jack`. */
#include "jack_options.h"

#include "exit_codes.h"
#include "midi_cc.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static void
print_help(FILE *out)
{
    fputs("Usage: hillock jack [OPTIONS]\n"
          "\n"
          "Run the neuron bank live as a JACK client, optionally recording.\n"
          "\n"
          "  -p, --preset NAME        start from a preset (`hillock presets` lists them)\n"
          "  -s, --set SYMBOL=VALUE   set a parameter (repeatable; after the preset)\n"
          "  -n, --name NAME          JACK client name (default hillock)\n"
          "      --server NAME        JACK server name (default $JACK_DEFAULT_SERVER)\n"
          "  -c, --connect            out_L/out_R to the system playback ports, the first\n"
          "                           system capture port to the stimulus input\n"
          "  -r, --record FILE        record to FILE (.wav 32-bit float, .flac 24-bit,\n"
          "                           .w64, .caf)\n"
          "      --record-ports LIST  ports to record, comma-separated (default L,R):\n"
          "                           in, L, R, focus_v, dend_v, gate, rate\n"
          "  -d, --duration SECONDS   stop after this much audio\n"
          "      --freewheel          run JACK in freewheel mode (faster than real time;\n"
          "                           needs --duration)\n"
          "      --start-server       start a JACK server if none is running\n"
          "      --no-stdin           do not read control lines from stdin\n"
          "  -q, --quiet              no status line, no summary\n"
          "  -h, --help               this help\n"
          "\n"
          "Ports: stimulus (audio in), out_L, out_R, cv_focus_v, cv_dend_v, cv_gate,\n"
          "cv_rate (CV outs, JACK metadata signal-type = CV), midi_in, midi_out.\n"
          "\n"
          "Control lines on stdin: set SYMBOL VALUE | preset NAME | quit\n"
          "MIDI CC map (any channel; other messages go to the engine):\n",
          out);
    for (unsigned i = 0; i < midi_cc_map_size; ++i)
        fprintf(out, "  CC%-3u %s\n", midi_cc_map[i].cc, midi_cc_map[i].why);
    fputs("\n"
          "Examples:\n"
          "  hillock jack -p tonic-hh --connect\n"
          "  hillock jack -p tonic-hh -d 10 -r take.wav --record-ports L,R,gate\n"
          "  hillock jack -p tonic-hh -d 60 -r take.flac --freewheel\n"
          "\n"
          "Exit status: 0 done, 2 bad usage, 3 unknown preset, 4 recording cannot be\n"
          "written, 5 stopped by SIGINT/SIGTERM (the recording is complete up to then),\n"
          "6 no JACK server or it went away, 70 internal error.\n",
          out);
}

int
jack_options_parse(int argc, char **argv, jack_options *o)
{
    enum { OPT_SERVER = 256, OPT_RECORD_PORTS, OPT_FREEWHEEL, OPT_START_SERVER, OPT_NO_STDIN };
    static const struct option longs[] = {
        {"preset", required_argument, NULL, 'p'},
        {"set", required_argument, NULL, 's'},
        {"name", required_argument, NULL, 'n'},
        {"server", required_argument, NULL, OPT_SERVER},
        {"connect", no_argument, NULL, 'c'},
        {"record", required_argument, NULL, 'r'},
        {"record-ports", required_argument, NULL, OPT_RECORD_PORTS},
        {"duration", required_argument, NULL, 'd'},
        {"freewheel", no_argument, NULL, OPT_FREEWHEEL},
        {"start-server", no_argument, NULL, OPT_START_SERVER},
        {"no-stdin", no_argument, NULL, OPT_NO_STDIN},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (jack_options){.name = "hillock", .record_ports = "L,R"};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":p:s:n:cr:d:qh", longs, NULL)) != -1) {
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
        case 'r': o->record = optarg; break;
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
        case 'q': o->quiet = true; break;
        case 'h': print_help(stdout); return -1;
        case ':':
            fprintf(stderr, "hillock jack: %s needs a value (try hillock jack --help)\n",
                    argv[optind - 1]);
            return EXIT_USAGE;
        default:
            fprintf(stderr, "hillock jack: unknown option '%s' (try hillock jack --help)\n",
                    argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "hillock jack: unexpected argument '%s'\n", argv[optind]);
        return EXIT_USAGE;
    }
    if (o->freewheel && o->duration <= 0) {
        fprintf(stderr, "hillock jack: --freewheel needs --duration (freewheel runs "
                        "as fast as the CPU allows and would never stop)\n");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}
