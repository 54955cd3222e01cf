/* jack_options.h — the command line of `hillock jack`. */
#ifndef HILLOCK_JACK_OPTIONS_H
#define HILLOCK_JACK_OPTIONS_H

#include <stdbool.h>

typedef struct {
    const char *preset;
    const char *sets[256];
    int n_sets;
    const char *name;
    const char *server;
    const char *record;
    const char *record_ports;
    const char *tuning, *keymap; /* Scala .scl / .kbm, or NULL */
    const char *osc;             /* --osc URL, or NULL */
    const char *osc_in;          /* --osc-in PORT, or NULL */
    const char *play_spikes;     /* --play-spikes FILE, or NULL */
    bool spikes_transport;       /* --transport: the recording follows JACK's transport */
    bool osc_in_any;             /* listen on every interface, not only loopback */
    double duration; /* seconds; 0 = until stopped */
    bool connect, freewheel, start_server, quiet, no_stdin;
} jack_options;

/* Parse argv (argv[0] is "jack"). Returns EXIT_OK, an exit status for bad
 * usage (with a message on stderr), or -1 after printing --help. */
int jack_options_parse(int argc, char **argv, jack_options *o);

#endif
