/* main.c — `hillock SUBCOMMAND ...`: dispatch to the subcommands in
 * commands.h. Each subcommand parses its own options and explains them with
 * --help. */
#include "commands.h"
#include "exit_codes.h"
#include "man.h"

#include <stdio.h>
#include <string.h>

#ifndef HILLOCK_VERSION
#define HILLOCK_VERSION "unknown"
#endif

typedef struct {
    int (*run)(int argc, char **argv);
    const cli_command_doc *doc; /* name, summary, options */
} subcommand;

static const subcommand subcommands[] = {
    {render_command, &render_doc},
#ifdef HAVE_JACK
    {jack_command, &jack_doc},
#endif
#ifdef HAVE_BENCH
    {bench_command, &bench_doc},
#endif
    {params_command, &params_doc},
    {presets_command, &presets_doc},
};
#define N_SUBCOMMANDS (sizeof subcommands / sizeof subcommands[0])

static const char exit_status[] =
    "0 success, 2 bad usage (option, symbol or value), 3 unreadable input or unknown "
    "preset, 4 output cannot be written, 5 interrupted (the file holds what was rendered), "
    "6 JACK unavailable, 70 internal error.";

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
        fprintf(out, "  %-9s %s\n", subcommands[i].doc->name, subcommands[i].doc->summary);
    fputs("\n"
          "`hillock COMMAND --help` (or `hillock help COMMAND`) explains a command's options;\n"
          "`hillock help --man` prints them all as the hillock(1) manual page.\n"
          "\n"
          "Example:\n"
          "  hillock render -p tonic-hh -d 5 -o tonic.wav\n"
          "  hillock render --set model=izhikevich --set drive=10 -o izh.wav\n"
          "\n",
          out);
    char text[sizeof exit_status + 16];
    snprintf(text, sizeof text, "Exit status: %s", exit_status);
    cli_print_wrapped(out, text, 0, 80);
}

static void
print_man_page(void)
{
    const cli_command_doc *docs[N_SUBCOMMANDS];
    for (size_t i = 0; i < N_SUBCOMMANDS; ++i)
        docs[i] = subcommands[i].doc;
    man_page_print(stdout, docs, N_SUBCOMMANDS, HILLOCK_VERSION, exit_status);
}

static const subcommand *
find(const char *name)
{
    for (size_t i = 0; i < N_SUBCOMMANDS; ++i)
        if (strcmp(subcommands[i].doc->name, name) == 0)
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
        if (!strcmp(argv[2], "--man")) {
            print_man_page();
            return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_OUTPUT;
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
