/* man.c — see man.h. */
#include "man.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Text for roff: a backslash is "\e", a hyphen in an option is "\-", and a
 * line may not start with '.' or '\'' (a request). */
static void
put_text(FILE *out, const char *s, size_t n, bool *line_start)
{
    for (size_t i = 0; i < n; ++i) {
        char c = s[i];
        if (*line_start && (c == '.' || c == '\''))
            fputs("\\&", out);
        if (c == '\\')
            fputs("\\e", out);
        else if (c == '-')
            fputs("\\-", out);
        else
            fputc(c, out);
        *line_start = c == '\n';
    }
}

/* Paragraphs ("\n\n") become .PP, single line breaks .br. */
static void
put_paragraphs(FILE *out, const char *text)
{
    bool line_start = true;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        put_text(out, p, n, &line_start);
        p += n;
        if (!*p)
            break;
        if (p[1] == '\n') {
            fputs("\n.PP\n", out);
            p += 2;
        } else {
            fputs("\n.br\n", out);
            p += 1;
        }
        line_start = true;
    }
    fputc('\n', out);
}

static void
put_option(FILE *out, const cli_option *o)
{
    bool ls = false;
    fputs(".TP\n", out);
    if (o->letter)
        fprintf(out, "\\fB\\-%c\\fR, ", o->letter);
    fputs("\\fB\\-\\-", out);
    put_text(out, o->name, strlen(o->name), &ls);
    fputs("\\fR", out);
    if (o->arg) {
        fputs(" \\fI", out);
        put_text(out, o->arg, strlen(o->arg), &ls);
        fputs("\\fR", out);
    }
    fputc('\n', out);
    put_paragraphs(out, o->help);
}

void
man_page_print(FILE *out, const cli_command_doc *const *docs, size_t n, const char *version,
               const char *exit_status)
{
    fprintf(out, ".\\\" Written by `hillock help --man` from the option tables of --help.\n");
    fprintf(out, ".TH HILLOCK 1 \"\" \"hillock %s\" \"User Commands\"\n", version);
    fputs(".SH NAME\nhillock \\- biophysical neuron banks at audio rate\n"
          ".SH SYNOPSIS\n",
          out);
    for (size_t i = 0; i < n; ++i) {
        bool ls = false;
        fprintf(out, ".B hillock %s\n", docs[i]->name);
        put_text(out, docs[i]->synopsis, strlen(docs[i]->synopsis), &ls);
        fputs("\n.br\n", out);
    }
    fputs(".B hillock\n\\-\\-help | \\-\\-version\n"
          ".SH DESCRIPTION\n"
          "Hillock integrates biophysical neuron models (Hodgkin\\-Huxley, Pinsky\\-Rinzel,\n"
          "Izhikevich, Hindmarsh\\-Rose) at the audio sample rate and turns their voltages\n"
          "and spikes into sound. The same engine runs as the LV2 plugins\n"
          "urn:hillock:bank and urn:hillock:bank\\-cv.\n"
          ".SH COMMANDS\n",
          out);
    for (size_t i = 0; i < n; ++i) {
        const cli_command_doc *d = docs[i];
        fprintf(out, ".SS hillock %s\n", d->name);
        put_paragraphs(out, d->description);
        for (size_t k = 0; k < d->n_options; ++k)
            put_option(out, &d->options[k]);
        if (d->notes) {
            fputs(".PP\n", out);
            put_paragraphs(out, d->notes);
        }
        if (d->print_extra) {
            fputs(".PP\n.nf\n", out);
            char *text = NULL;
            size_t len = 0;
            FILE *mem = open_memstream(&text, &len);
            if (mem) {
                d->print_extra(mem);
                fclose(mem);
                bool ls = true;
                put_text(out, text, len, &ls);
                free(text);
            }
            fputs(".fi\n", out);
        }
        if (d->examples) {
            fputs(".PP\nExamples:\n.PP\n.nf\n", out);
            bool ls = true;
            put_text(out, d->examples, strlen(d->examples), &ls);
            fputs("\n.fi\n", out);
        }
    }
    fputs(".SH ENVIRONMENT\n"
          ".TP\n.B HILLOCK_PRESET_PATH\n"
          "Colon\\-separated folders searched for presets before the installed bundle.\n"
          ".TP\n.B LV2_PATH\n"
          "Where LV2 hosts look for plugins; a user install goes to ~/.lv2.\n"
          ".SH EXIT STATUS\n",
          out);
    put_paragraphs(out, exit_status);
}
