/* options.h — each subcommand's options, described once: the same table
 * builds getopt_long's arguments, prints --help and writes the man page
 * (man.c), so the three cannot disagree.
 *
 * One letter, one meaning: a short option letter means the same long option
 * in every subcommand that has it (tests/cli/test_manual.py checks it). */
#ifndef HILLOCK_OPTIONS_H
#define HILLOCK_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
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

#define CLI_MAX_OPTIONS 40 /* the longest table, render's, has 24 */

/* getopt_long over one command's table. cli_getopt_begin builds
 * getopt_long's arguments from it (":" first, so a missing value returns
 * ':'), restarts getopt (optind = 1) and silences it (opterr = 0): every
 * command says what went wrong in its own words. */
typedef struct {
    struct option longs[CLI_MAX_OPTIONS + 1];
    char shorts[3 * CLI_MAX_OPTIONS + 2];
} cli_getopt;

void cli_getopt_begin(cli_getopt *g, const cli_command_doc *doc);

/* The next option's id (cli_option.id), ':' when its value is missing, '?'
 * when it is unknown, -1 after the last (operands start at optind). */
int cli_getopt_next(cli_getopt *g, int argc, char **argv);

/* false, with "hillock NAME: unexpected argument ..." on stderr, when
 * operands follow the options (none of these commands takes any). */
bool cli_no_operands(const cli_command_doc *doc, int argc, char **argv);

/* An option's whole-number value from lo to hi in *out, or false: "3x",
 * "", "1e3" and out-of-range values are refused. */
bool cli_parse_long(const char *text, long lo, long hi, long *out);

/* `hillock NAME --help`: usage, description, options, notes, examples. */
void cli_print_help(FILE *out, const cli_command_doc *doc);

/* Print text wrapped at `width` columns, each line indented by `indent`
 * spaces; paragraphs ("\n\n") stay apart, single '\n' are kept. */
void cli_print_wrapped(FILE *out, const char *text, int indent, int width);

#endif
