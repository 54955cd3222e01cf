/* render_options.h — `hillock render`'s options: what they hold once
 * parsed and checked (render_options.c has the table behind --help and the
 * man page, and the parsing). The render reads them and never changes them. */
#ifndef HILLOCK_RENDER_OPTIONS_H
#define HILLOCK_RENDER_OPTIONS_H

#include <stdbool.h>

#define RENDER_MAX_DURATION_S 86400.0 /* 24 h: anything longer is surely a typo */
/* rendered after a --midi-in file's or a --play-spikes recording's end
 * unless --duration */
#define RENDER_TAIL_S 1.0

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

/* Parse and check argv (after the subcommand name): EXIT_OK to render, -1
 * after --help, or an exit status with the reason on stderr. Call
 * render_options_free afterwards in every case. */
int render_options_parse(int argc, char **argv, render_options *o);
void render_options_free(render_options *o);

#endif
