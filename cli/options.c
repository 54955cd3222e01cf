/* options.c — see options.h. */
#include "options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void
cli_getopt_begin(cli_getopt *g, const cli_command_doc *doc)
{
    if (doc->n_options > CLI_MAX_OPTIONS) {
        fprintf(stderr, "hillock %s: %zu options, more than CLI_MAX_OPTIONS\n", doc->name,
                doc->n_options);
        abort(); /* a table grew past the limit: raise it */
    }
    struct option *longs = g->longs;
    char *shorts = g->shorts;
    size_t s = 0;
    shorts[s++] = ':';
    for (size_t i = 0; i < doc->n_options; ++i) {
        const cli_option *o = &doc->options[i];
        longs[i] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL,
                                   o->id};
        if (o->letter) {
            shorts[s++] = o->letter;
            if (o->arg)
                shorts[s++] = ':';
        }
    }
    longs[doc->n_options] = (struct option){NULL, 0, NULL, 0};
    shorts[s] = '\0';
    optind = 1;
    opterr = 0;
}

int
cli_getopt_next(cli_getopt *g, int argc, char **argv)
{
    return getopt_long(argc, argv, g->shorts, g->longs, NULL);
}

bool
cli_no_operands(const cli_command_doc *doc, int argc, char **argv)
{
    if (optind >= argc)
        return true;
    fprintf(stderr, "hillock %s: unexpected argument '%s' (try --help)\n", doc->name,
            argv[optind]);
    return false;
}

void
cli_print_wrapped(FILE *out, const char *text, int indent, int width)
{
    const char *p = text;
    int col = 0;
    while (*p) {
        if (*p == '\n') { /* a kept line break (two make a paragraph) */
            fputc('\n', out);
            col = 0;
            ++p;
            continue;
        }
        if (*p == ' ') {
            ++p;
            continue;
        }
        size_t word = strcspn(p, " \n");
        if (col > indent && col + 1 + (int)word > width) {
            fputc('\n', out);
            col = 0;
        }
        if (col == 0) {
            fprintf(out, "%*s", indent, "");
            col = indent;
        } else {
            fputc(' ', out);
            ++col;
        }
        fwrite(p, 1, word, out);
        col += (int)word;
        p += word;
    }
    if (col)
        fputc('\n', out);
}

/* "  -o, --output FILE" */
static int
print_option_head(FILE *out, const cli_option *o)
{
    int n = o->letter ? fprintf(out, "  -%c, --%s", o->letter, o->name)
                      : fprintf(out, "      --%s", o->name);
    if (o->arg)
        n += fprintf(out, " %s", o->arg);
    return n;
}

void
cli_print_help(FILE *out, const cli_command_doc *doc)
{
    enum { HELP_COLUMN = 26, WIDTH = 80 };
    fprintf(out, "Usage: hillock %s %s\n\n", doc->name, doc->synopsis);
    cli_print_wrapped(out, doc->description, 0, WIDTH);
    fputc('\n', out);
    for (size_t i = 0; i < doc->n_options; ++i) {
        const cli_option *o = &doc->options[i];
        int n = print_option_head(out, o);
        if (n + 2 > HELP_COLUMN) {
            fputc('\n', out);
            n = 0;
        }
        /* the first line continues the head, the rest are indented */
        fprintf(out, "%*s", HELP_COLUMN - n, "");
        char first[WIDTH];
        const char *rest = o->help;
        size_t used = 0;
        while (*rest) {
            size_t word = strcspn(rest, " ");
            if (used && HELP_COLUMN + used + 1 + word > WIDTH)
                break;
            if (used)
                first[used++] = ' ';
            if (used + word >= sizeof first)
                break;
            memcpy(first + used, rest, word);
            used += word;
            rest += word;
            while (*rest == ' ')
                ++rest;
        }
        fprintf(out, "%.*s\n", (int)used, first);
        if (*rest)
            cli_print_wrapped(out, rest, HELP_COLUMN, WIDTH);
    }
    if (doc->notes) {
        fputc('\n', out);
        cli_print_wrapped(out, doc->notes, 0, WIDTH);
    }
    if (doc->print_extra)
        doc->print_extra(out);
    if (doc->examples) {
        fputs("\nExamples:\n", out);
        for (const char *p = doc->examples; *p;) {
            size_t n = strcspn(p, "\n");
            fprintf(out, "  %.*s\n", (int)n, p);
            p += n + (p[n] == '\n');
        }
    }
}

bool
cli_parse_long(const char *text, long lo, long hi, long *out)
{
    char *end = NULL;
    errno = 0;
    const long v = strtol(text, &end, 10);
    if (end == text || *end != '\0' || errno || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}
