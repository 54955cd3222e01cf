/* params_cmd.c — `hillock params [--json]`: the parameter table as text or
 * JSON, derived from dsp/params so it can never disagree with the engine. */
#include "commands.h"
#include "exit_codes.h"
#include "json_out.h"
#include "options.h"
#include "params.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_names[] = {
    [PARAM_KIND_FLOAT] = "float",
    [PARAM_KIND_INTEGER] = "integer",
    [PARAM_KIND_ENUMERATION] = "enumeration",
    [PARAM_KIND_TOGGLE] = "toggle",
};

enum { OPT_JSON = 256 };

static const cli_option params_options_table[] = {
    {OPT_JSON, 0, "json", NULL,
     "a JSON array of objects with keys symbol, name, min, max, default, unit, kind "
     "(float|integer|enumeration|toggle), values (enumerations only: names in order) and "
     "comment"},
    {'h', 'h', "help", NULL, "this help"},
};

const cli_command_doc params_doc = {
    .name = "params",
    .synopsis = "[--json]",
    .summary = "list every parameter (--json for JSON)",
    .description = "Print every engine parameter: the symbol --set and presets use, its "
                   "range, default, unit and kind, and the names an enumeration accepts.",
    .options = params_options_table,
    .n_options = sizeof params_options_table / sizeof params_options_table[0],
};

static void
print_json(void)
{
    fputs("[\n", stdout);
    for (int i = 0; i < PARAM_COUNT; ++i) {
        const param_info *p = &param_table[i];
        fputs("  {\"symbol\": ", stdout);
        json_print_string(stdout, p->symbol);
        fputs(", \"name\": ", stdout);
        json_print_string(stdout, p->name);
        fputs(", \"min\": ", stdout);
        json_print_float(stdout, p->min);
        fputs(", \"max\": ", stdout);
        json_print_float(stdout, p->max);
        fputs(", \"default\": ", stdout);
        json_print_float(stdout, p->def);
        fputs(", \"unit\": ", stdout);
        json_print_string(stdout, p->unit);
        fputs(", \"kind\": ", stdout);
        json_print_string(stdout, kind_names[p->kind]);
        if (p->kind == PARAM_KIND_ENUMERATION) {
            fputs(", \"values\": [", stdout);
            for (uint32_t v = 0; v < p->n_values; ++v) {
                fputs(v ? ", " : "", stdout);
                json_print_string(stdout, p->values[v]);
            }
            fputs("]", stdout);
        }
        fputs(", \"comment\": ", stdout);
        json_print_string(stdout, p->comment ? p->comment : "");
        fputs(i + 1 < PARAM_COUNT ? "},\n" : "}\n", stdout);
    }
    fputs("]\n", stdout);
}

typedef struct {
    char range[64], def[64], values[256];
} row_text;

static void
describe(const param_info *p, row_text *r)
{
    char lo[24], hi[24];
    format_float(lo, sizeof lo, p->min);
    format_float(hi, sizeof hi, p->max);
    snprintf(r->range, sizeof r->range, "%s .. %s", lo, hi);
    r->values[0] = '\0';
    if (p->kind == PARAM_KIND_ENUMERATION) {
        snprintf(r->def, sizeof r->def, "%s", param_value_name((param_id)(p - param_table), p->def));
        for (uint32_t v = 0; v < p->n_values; ++v) {
            size_t used = strlen(r->values);
            snprintf(r->values + used, sizeof r->values - used, "%s%s", v ? ", " : "",
                     p->values[v]);
        }
    } else if (p->kind == PARAM_KIND_TOGGLE) {
        snprintf(r->def, sizeof r->def, "%s", p->def >= 0.5f ? "on" : "off");
        snprintf(r->values, sizeof r->values, "off, on");
    } else {
        format_float(r->def, sizeof r->def, p->def);
    }
}

static void
print_table(void)
{
    row_text rows[PARAM_COUNT];
    int w_sym = 6, w_range = 5, w_def = 7, w_unit = 4, w_kind = 4;
    for (int i = 0; i < PARAM_COUNT; ++i) {
        const param_info *p = &param_table[i];
        describe(p, &rows[i]);
        int n;
        if ((n = (int)strlen(p->symbol)) > w_sym) w_sym = n;
        if ((n = (int)strlen(rows[i].range)) > w_range) w_range = n;
        if ((n = (int)strlen(rows[i].def)) > w_def) w_def = n;
        if ((n = (int)strlen(p->unit)) > w_unit) w_unit = n;
        if ((n = (int)strlen(kind_names[p->kind])) > w_kind) w_kind = n;
    }
    printf("%-*s  %-*s  %-*s  %-*s  %-*s  %s\n", w_sym, "SYMBOL", w_range, "RANGE", w_def,
           "DEFAULT", w_unit, "UNIT", w_kind, "KIND", "VALUES");
    for (int i = 0; i < PARAM_COUNT; ++i) {
        const param_info *p = &param_table[i];
        printf("%-*s  %-*s  %-*s  %-*s  ", w_sym, p->symbol, w_range, rows[i].range, w_def,
               rows[i].def, w_unit, p->unit);
        if (rows[i].values[0]) /* no trailing blanks when VALUES is empty */
            printf("%-*s  %s\n", w_kind, kind_names[p->kind], rows[i].values);
        else
            printf("%s\n", kind_names[p->kind]);
    }
}

int
params_command(int argc, char **argv)
{
    bool json = false;
    cli_getopt g;
    cli_getopt_begin(&g, &params_doc);
    int c;
    while ((c = cli_getopt_next(&g, argc, argv)) != -1) {
        if (c == OPT_JSON) {
            json = true;
        } else if (c == 'h') {
            cli_print_help(stdout, &params_doc);
            return EXIT_OK;
        } else {
            fprintf(stderr, "hillock params: unknown option '%s' (try --help)\n",
                    argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (!cli_no_operands(&params_doc, argc, argv))
        return EXIT_USAGE;
    if (json)
        print_json();
    else
        print_table();
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("hillock params: writing stdout");
        return EXIT_OUTPUT;
    }
    return EXIT_OK;
}
