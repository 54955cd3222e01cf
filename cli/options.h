/* options.h — each subcommand's options, described once: the same table
 * builds getopt_long's arguments, prints --help and writes the man page
 * (man.c), so the three cannot disagree.
 *
 * One letter, one meaning: a short option letter means the same long option
 * in every subcommand that has it (tests/cli/test_manual.py checks it). */
#ifndef HILLOCK_OPTIONS_H
#define HILLOCK_OPTIONS_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
    int id;                /* what getopt_long returns: the letter, or a value >= 256 */
    char letter;           /* short form, 0 for none */
    const char *name;      /* long form without "--" */
    const char *arg;       /* the value's placeholder ("FILE"), NULL for a flag */
    const char *help;      /* sentences; wrapped by the printers */
} cli_option;

typedef struct {
    const char *name;        /* "render" */
    const char *synopsis;    /* after "hillock NAME ": "[OPTIONS] -o OUT.wav" */
    const char *summary;     /* one line: hillock --help and the man page */
    const char *description; /* paragraphs before the options, '\n\n' between */
    const cli_option *options;
    size_t n_options;
    const char *notes;       /* paragraphs after the options (behaviour, exit status) */
    const char *examples;    /* command lines, one per line */
    /* extra text after the notes that is computed (the JACK CC map), or NULL;
     * printed as preformatted lines */
    void (*print_extra)(FILE *out);
} cli_command_doc;

/* Fill getopt_long's tables: longs needs n_options + 1 entries, shorts
 * 3 * n_options + 2 bytes (":" first, so a missing value returns ':'). */
void cli_getopt_tables(const cli_command_doc *doc, struct option *longs, char *shorts);

/* `hillock NAME --help`: usage, description, options, notes, examples. */
void cli_print_help(FILE *out, const cli_command_doc *doc);

/* Print text wrapped at `width` columns, each line indented by `indent`
 * spaces; paragraphs ("\n\n") stay apart, single '\n' are kept. */
void cli_print_wrapped(FILE *out, const char *text, int indent, int width);

#endif
