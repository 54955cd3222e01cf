/* presets_cmd.c — `hillock presets [--json|--check|--path]`. */
#include "commands.h"
#include "exit_codes.h"
#include "json_out.h"
#include "options.h"
#include "presets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PRESETS 1024

enum { OPT_JSON = 256, OPT_CHECK, OPT_PATH };

static const cli_option presets_options_table[] = {
    {OPT_JSON, 0, "json", NULL,
     "a JSON array of objects with keys name, label, uri, comment, path"},
    {OPT_CHECK, 0, "check", NULL,
     "load every preset file and report each broken one (bad Turtle, unknown symbol, "
     "out-of-range value); exit status 3 if any is"},
    {OPT_PATH, 0, "path", NULL, "print the folders searched, in order"},
    {'h', 'h', "help", NULL, "this help"},
};

const cli_command_doc presets_doc = {
    .name = "presets",
    .synopsis = "[--json | --check | --path]",
    .summary = "list the presets (--json for JSON)",
    .description = "List the presets `hillock render -p NAME` accepts: LV2 preset files "
                   "(pset:Preset, one per NAME.ttl), searched in $HILLOCK_PRESET_PATH "
                   "(colon-separated folders), then the installed bundle, then the source "
                   "tree's presets/. A name found earlier shadows the same name later.",
    .options = presets_options_table,
    .n_options = sizeof presets_options_table / sizeof presets_options_table[0],
};

static void
print_json(const preset_info *p, int n)
{
    fputs("[\n", stdout);
    for (int i = 0; i < n; ++i) {
        fputs("  {\"name\": ", stdout);
        json_print_string(stdout, p[i].name);
        fputs(", \"label\": ", stdout);
        json_print_string(stdout, p[i].label);
        fputs(", \"uri\": ", stdout);
        json_print_string(stdout, p[i].uri);
        fputs(", \"comment\": ", stdout);
        json_print_string(stdout, p[i].comment);
        fputs(", \"path\": ", stdout);
        json_print_string(stdout, p[i].path);
        fputs(i + 1 < n ? "},\n" : "}\n", stdout);
    }
    fputs("]\n", stdout);
}

static void
print_table(const preset_info *p, int n)
{
    int w_name = 4, w_label = 5;
    for (int i = 0; i < n; ++i) {
        int a = (int)strlen(p[i].name), b = (int)strlen(p[i].label);
        w_name = a > w_name ? a : w_name;
        w_label = b > w_label ? b : w_label;
    }
    printf("%-*s  %-*s  %s\n", w_name, "NAME", w_label, "LABEL", "COMMENT");
    for (int i = 0; i < n; ++i)
        printf("%-*s  %-*s  %s\n", w_name, p[i].name, w_label, p[i].label, p[i].comment);
}

int
presets_command(int argc, char **argv)
{
    enum { LIST, JSON, CHECK, PATH } mode = LIST;
    cli_getopt g;
    cli_getopt_begin(&g, &presets_doc);
    int c;
    while ((c = cli_getopt_next(&g, argc, argv)) != -1) {
        switch (c) {
        case OPT_JSON: mode = JSON; break;
        case OPT_CHECK: mode = CHECK; break;
        case OPT_PATH: mode = PATH; break;
        case 'h': cli_print_help(stdout, &presets_doc); return EXIT_OK;
        default:
            fprintf(stderr, "hillock presets: unknown option '%s' (try --help)\n",
                    argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (!cli_no_operands(&presets_doc, argc, argv))
        return EXIT_USAGE;

    if (mode == PATH) {
        presets_path *path = presets_search_path();
        if (!path) {
            fputs("hillock presets: out of memory\n", stderr);
            return EXIT_INTERNAL;
        }
        for (size_t i = 0; i < path->n; ++i)
            puts(path->dirs[i]);
        free(path);
        return EXIT_OK;
    }
    if (mode == CHECK) {
        int checked = 0;
        int bad = presets_check(stderr, &checked);
        fprintf(stderr, "hillock presets: %d preset file%s checked, %d broken\n", checked,
                checked == 1 ? "" : "s", bad);
        return bad ? EXIT_INPUT : EXIT_OK;
    }

    preset_info *list = calloc(MAX_PRESETS, sizeof *list);
    if (!list) {
        fputs("hillock presets: out of memory\n", stderr);
        return EXIT_INTERNAL;
    }
    char err[512];
    int n = presets_list(list, MAX_PRESETS, err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "hillock presets: %s\n", err);
        free(list);
        return EXIT_INPUT;
    }
    if (mode == JSON)
        print_json(list, n);
    else
        print_table(list, n);
    free(list);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("hillock presets: writing stdout");
        return EXIT_OUTPUT;
    }
    return EXIT_OK;
}
