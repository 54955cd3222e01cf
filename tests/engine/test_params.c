/* The parameter table is consistent: every port, TTL and CLI name derives
 * from it, so its invariants are checked here. */
#include "params.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <math.h>
#include <string.h>

Test(params, symbols_are_unique_lv2_identifiers)
{
    for (int i = 0; i < PARAM_COUNT; ++i) {
        const char *s = param_table[i].symbol;
        cr_assert_not_null(s, "parameter %d has no symbol", i);
        cr_expect(isalpha((unsigned char)s[0]) || s[0] == '_', "%s", s);
        for (const char *c = s; *c; ++c)
            cr_expect(isalnum((unsigned char)*c) || *c == '_', "%s", s);
        for (int j = 0; j < i; ++j)
            cr_expect(strcmp(s, param_table[j].symbol) != 0, "duplicate %s", s);
        cr_expect_eq(param_find(s), i);
    }
}

Test(params, ranges_hold_their_defaults)
{
    for (int i = 0; i < PARAM_COUNT; ++i) {
        const param_info *p = &param_table[i];
        cr_expect(p->min < p->max, "%s", p->symbol);
        cr_expect(p->def >= p->min && p->def <= p->max, "%s default", p->symbol);
        cr_expect(!p->logarithmic || p->min > 0, "%s logarithmic with min <= 0", p->symbol);
        cr_expect(p->name && p->comment && p->unit && p->group, "%s metadata", p->symbol);
        if (p->kind == PARAM_KIND_ENUMERATION) {
            cr_expect(p->min == 0 && p->max == (float)(p->n_values - 1), "%s", p->symbol);
        }
        if (p->kind != PARAM_KIND_FLOAT)
            cr_expect(p->def == floorf(p->def), "%s default not whole", p->symbol);
    }
}

Test(params, the_issue_s_symbols_exist)
{
    const char *required[] = {"model", "neurons", "drive", "spread", "noise", "seed",
                              "temperature", "speed", "pr_gc", "pr_p", "izh_a", "izh_b",
                              "izh_c", "izh_d", "hr_r", "spike_threshold", "focus",
                              "input_gain"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; ++i)
        cr_expect(param_find(required[i]) >= 0, "missing %s", required[i]);
    cr_expect(param_table[P_NEURONS].max >= 4096);
    cr_expect(param_table[P_SPEED].max >= 100);
    cr_expect_float_eq(param_table[P_SPIKE_THRESHOLD].def, -20.0f, 1e-6f);
    const char *models[] = {"hh", "pinsky_rinzel", "izhikevich", "hindmarsh_rose"};
    for (int m = 0; m < 4; ++m)
        cr_expect_str_eq(param_table[P_MODEL].values[m], models[m]);
}

Test(params, parse_takes_names_and_rejects_bad_values)
{
    float v;
    char err[128];
    cr_expect(param_parse(P_MODEL, "izhikevich", &v, err, sizeof err) && v == 2.0f);
    cr_expect(param_parse(P_DRIVE, "12.5", &v, err, sizeof err) && v == 12.5f);
    cr_expect(!param_parse(P_MODEL, "fitzhugh", &v, err, sizeof err));
    cr_expect(strstr(err, "hindmarsh_rose") != NULL, "message lists the names: %s", err);
    cr_expect(!param_parse(P_DRIVE, "1e9", &v, err, sizeof err));
    cr_expect(strstr(err, "drive") != NULL, "message names the symbol: %s", err);
    cr_expect(!param_parse(P_DRIVE, "abc", &v, err, sizeof err));
    cr_expect(!param_parse(P_DRIVE, "nan", &v, err, sizeof err));
    cr_expect(!param_parse(P_NEURONS, "2.5", &v, err, sizeof err));
}

Test(params, sanitize_clamps_rounds_and_replaces_nan)
{
    cr_expect_float_eq(param_sanitize(P_NEURONS, 7.6f), 8.0f, 1e-6f);
    cr_expect_float_eq(param_sanitize(P_DRIVE, 1e9f), param_table[P_DRIVE].max, 1e-6f);
    cr_expect_float_eq(param_sanitize(P_DRIVE, NAN), param_table[P_DRIVE].def, 1e-6f);
    cr_expect_str_eq(param_value_name(P_MODEL, 1), "pinsky_rinzel");
    cr_expect_null(param_value_name(P_DRIVE, 1));
}

/* The model parameter derives from the model registry (models/registry.h).
 * Its value names are what presets and sessions of 0.1.0 store (presets/,
 * tests/plugin/compat): the first four never change name or index. */
Test(params, model_values_come_from_the_registry)
{
    const param_info *p = &param_table[P_MODEL];
    static const char *const released[] = {"hh", "pinsky_rinzel", "izhikevich",
                                           "hindmarsh_rose"};
    cr_assert_eq(p->n_values, MODEL_COUNT);
    cr_assert_eq(p->max, (float)(MODEL_COUNT - 1));
    cr_assert_geq(MODEL_COUNT, 4);
    for (int m = 0; m < 4; ++m)
        cr_expect_str_eq(p->values[m], released[m], "model %d", m);
    for (int m = 0; m < MODEL_COUNT; ++m) {
        const model_info *info = model_info_of(m);
        cr_expect_str_eq(info->symbol, p->values[m], "registry entry %d", m);
        cr_expect(info->description && info->description[0], "%s: description", info->symbol);
        cr_expect(info->current_unit && info->soma_unit && info->state && info->slow_name &&
                      info->axis_unit,
                  "%s: units and axes named", info->symbol);
        cr_expect(info->axis_min < info->axis_max && info->axis_grid > 0, "%s: axes",
                  info->symbol);
        cr_expect(info->dt_max_ms > 0 && info->bench_drive != 0, "%s: step, bench drive",
                  info->symbol);
    }
    /* an index out of range falls back to the first model, as the
     * parameter's sanitising does */
    cr_expect_eq(model_info_of(MODEL_COUNT), model_info_of(0));
    cr_expect_eq(model_info_of(-1), model_info_of(0));
}
