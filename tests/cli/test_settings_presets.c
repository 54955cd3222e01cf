/* Criterion suite: the parsing units behind `hillock render -s/-p` and the
 * JACK client's `set` lines — settings_apply (cli/settings.c) and the sord
 * preset reader (cli/presets.c). Expected values come from the parameter
 * table's documented ranges (dsp/params.c) and the fixture files. */
#include "presets.h"
#include "settings.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static float values[PARAM_COUNT];
static char err[512];

static void
reset(void)
{
    param_defaults(values);
    err[0] = '\0';
}

TestSuite(settings, .init = reset);

Test(settings, sets_a_float_and_reports_its_index)
{
    int id = -1;
    cr_assert(settings_apply("drive=12.5", values, &id, err, sizeof err));
    cr_assert_eq(id, P_DRIVE);
    cr_assert_float_eq(values[P_DRIVE], 12.5f, 0.0f);
}

Test(settings, takes_enumerations_by_name)
{
    cr_assert(settings_apply("model=izhikevich", values, NULL, err, sizeof err));
    cr_assert_float_eq(values[P_MODEL], (float)MODEL_IZHIKEVICH, 0.0f);
    cr_assert(settings_apply("dendrite_mode=dcaap", values, NULL, err, sizeof err));
    cr_assert_float_eq(values[P_DENDRITE_MODE], (float)DENDRITE_DCAAP, 0.0f);
}

Test(settings, ignores_white_space_around_symbol_and_value)
{
    cr_assert(settings_apply("  neurons = 16 ", values, NULL, err, sizeof err));
    cr_assert_float_eq(values[P_NEURONS], 16.0f, 0.0f);
}

Test(settings, accepts_the_range_limits)
{
    cr_assert(settings_apply("drive=-50", values, NULL, err, sizeof err));
    cr_assert(settings_apply("drive=200", values, NULL, err, sizeof err));
    cr_assert_float_eq(values[P_DRIVE], 200.0f, 0.0f);
}

Test(settings, refuses_an_unknown_symbol_naming_it)
{
    cr_assert_not(settings_apply("no_such_knob=1", values, NULL, err, sizeof err));
    cr_assert(strstr(err, "no_such_knob"), "%s", err);
}

Test(settings, refuses_out_of_range_and_leaves_the_value)
{
    cr_assert_not(settings_apply("drive=200.5", values, NULL, err, sizeof err));
    cr_assert(strstr(err, "drive"), "%s", err);
    cr_assert_float_eq(values[P_DRIVE], param_table[P_DRIVE].def, 0.0f);
}

Test(settings, refuses_a_fraction_for_an_integer)
{
    cr_assert_not(settings_apply("neurons=2.5", values, NULL, err, sizeof err));
    cr_assert(strstr(err, "neurons"), "%s", err);
}

Test(settings, refuses_malformed_assignments)
{
    cr_assert_not(settings_apply("drive", values, NULL, err, sizeof err));
    cr_assert_not(settings_apply("drive=", values, NULL, err, sizeof err));
    cr_assert_not(settings_apply("=3", values, NULL, err, sizeof err));
    cr_assert_not(settings_apply("drive=3x", values, NULL, err, sizeof err));
    cr_assert_not(settings_apply("model=lif", values, NULL, err, sizeof err));
}

TestSuite(presets, .init = reset);

Test(presets, loads_named_values_over_the_defaults)
{
    preset_info info;
    cr_assert(preset_load_info(HILLOCK_TEST_FIXTURES "/search/one-izh.ttl", values, &info,
                               err, sizeof err),
              "%s", err);
    cr_assert_float_eq(values[P_MODEL], (float)MODEL_IZHIKEVICH, 0.0f);
    cr_assert_float_eq(values[P_NEURONS], 1.0f, 0.0f);
    cr_assert_float_eq(values[P_DRIVE], 10.0f, 0.0f);
    for (int i = 0; i < PARAM_COUNT; ++i)
        if (i != P_MODEL && i != P_NEURONS && i != P_DRIVE)
            cr_assert_float_eq(values[i], param_table[i].def, 0.0f, "%s",
                               param_table[i].symbol);
    cr_assert_str_eq(info.name, "one-izh");
    cr_assert_str_eq(info.label, "One Izhikevich");
    cr_assert_str_eq(info.uri, "urn:hillock:test:one-izh");
}

Test(presets, starts_from_the_defaults_whatever_was_there)
{
    values[P_SPREAD] = 0.9f;
    cr_assert(preset_load(HILLOCK_TEST_FIXTURES "/search/one-izh.ttl", values, err,
                          sizeof err));
    cr_assert_float_eq(values[P_SPREAD], param_table[P_SPREAD].def, 0.0f);
}

Test(presets, unknown_symbol_is_an_error_naming_file_and_symbol)
{
    cr_assert_not(preset_load(HILLOCK_TEST_FIXTURES "/unknown-symbol.ttl", values, err,
                              sizeof err));
    cr_assert(strstr(err, "unknown-symbol.ttl") && strstr(err, "no_such_knob"), "%s", err);
}

Test(presets, out_of_range_value_is_an_error_naming_file_and_symbol)
{
    cr_assert_not(preset_load(HILLOCK_TEST_FIXTURES "/out-of-range.ttl", values, err,
                              sizeof err));
    cr_assert(strstr(err, "out-of-range.ttl") && strstr(err, "neurons"), "%s", err);
}

Test(presets, broken_turtle_is_an_error_naming_the_file)
{
    cr_assert_not(preset_load(HILLOCK_TEST_FIXTURES "/broken-turtle.ttl", values, err,
                              sizeof err));
    cr_assert(strstr(err, "broken-turtle.ttl"), "%s", err);
}

Test(presets, a_file_without_a_preset_is_an_error)
{
    cr_assert_not(preset_load(HILLOCK_TEST_FIXTURES "/search/not-a-preset.ttl", values, err,
                              sizeof err));
    cr_assert(strstr(err, "pset:Preset"), "%s", err);
}

Test(presets, search_path_comes_first_and_lists_sorted)
{
    setenv("HILLOCK_PRESET_PATH", HILLOCK_TEST_FIXTURES "/search", 1);
    preset_info list[256];
    int n = presets_list(list, 256, err, sizeof err);
    cr_assert_geq(n, 2, "%s", err);
    int izh = -1, tonic = -1;
    for (int i = 0; i < n; ++i) {
        if (i > 0)
            cr_assert_lt(strcmp(list[i - 1].name, list[i].name), 0, "sorted, no duplicates");
        if (!strcmp(list[i].name, "one-izh"))
            izh = i;
        if (!strcmp(list[i].name, "tonic-hh"))
            tonic = i;
        cr_assert_str_neq(list[i].name, "manifest");
        cr_assert_str_neq(list[i].name, "not-a-preset");
    }
    cr_assert_geq(izh, 0);
    cr_assert_geq(tonic, 0);
    cr_assert_str_eq(list[tonic].uri, "urn:hillock:test:tonic-hh-shadow");
    cr_assert(preset_load("tonic-hh", values, err, sizeof err), "%s", err);
    cr_assert_float_eq(values[P_NEURONS], 1.0f, 0.0f, "the shadowing file wins");
    unsetenv("HILLOCK_PRESET_PATH");
}

Test(presets, unknown_name_is_an_error)
{
    cr_assert_not(preset_load("no-such-preset", values, err, sizeof err));
    cr_assert(strstr(err, "no-such-preset"), "%s", err);
}
