/* main.c — `hillock SUBCOMMAND ...`: dispatch to the subcommands in
 * commands.h. Each subcommand parses its own options and explains them with
 * --help. */
#include "commands.h"
#include "exit_codes.h"

#include <stdio.h>
#include <string.h>

#ifndef HILLOCK_VERSION
#define HILLOCK_VERSION "unknown"
#endif

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} subcommand;

static const subcommand subcommands[] = {
    {"render", render_command, "render the neuron bank offline to a WAV file"},
#ifdef HAVE_JACK
    {"jack", jack_command, "run the neuron bank live as a JACK client"},
#endif
#ifdef HAVE_BENCH
    {"bench", bench_command, "measure the engine's speed"},
#endif
    {"params", params_command, "list every parameter (--json for JSON)"},
    {"presets", presets_command, "list the presets (--json for JSON)"},
};
#define N_SUBCOMMANDS (sizeof subcommands / sizeof subcommands[0])

static void
print_help(FILE *out)
{
    fputs("Usage: hillock COMMAND [OPTIONS]\n"
          "       hillock --help | --version\n"
          "\n"
          "Hillock integrates biophysical neuron models (Hodgkin-Huxley, Pinsky-Rinzel,\n"
          "Izhikevich, Hindmarsh-Rose) at the audio sample rate and turns their voltages\n"
          "and spikes into sound.\n"
          "\n"
          "Commands:\n",
          out);
    for (size_t i = 0; i < N_SUBCOMMANDS; ++i)
        fprintf(out, "  %-9s %s\n", subcommands[i].name, subcommands[i].summary);
    fputs("\n"
          "`hillock COMMAND --help` (or `hillock help COMMAND`) explains a command's options.\n"
          "\n"
          "Example:\n"
          "  hillock render -p tonic-hh -d 5 -o tonic.wav\n"
          "  hillock render --set model=izhikevich --set drive=10 -o izh.wav\n"
          "\n"
          "Exit status: 0 success, 2 bad usage (option, symbol or value), 3 unreadable\n"
          "input or unknown preset, 4 output cannot be written, 5 interrupted (the file\n"
          "holds what was rendered), 6 JACK unavailable, 70 internal error.\n",
          out);
}

static const subcommand *
find(const char *name)
{
    for (size_t i = 0; i < N_SUBCOMMANDS; ++i)
        if (strcmp(subcommands[i].name, name) == 0)
            return &subcommands[i];
    return NULL;
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
        print_help(stdout);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("hillock %s\n", HILLOCK_VERSION);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "help")) {
        if (argc < 3) {
            print_help(stdout);
            return EXIT_OK;
        }
        const subcommand *s = find(argv[2]);
        if (!s) {
            fprintf(stderr, "hillock: unknown command '%s' (try hillock --help)\n", argv[2]);
            return EXIT_USAGE;
        }
        char *help_argv[] = {argv[2], "--help", NULL};
        return s->run(2, help_argv);
    }
    const subcommand *s = find(cmd);
    if (!s) {
        fprintf(stderr, "hillock: unknown command '%s' (try hillock --help)\n", cmd);
        return EXIT_USAGE;
    }
    return s->run(argc - 1, argv + 1);
}
