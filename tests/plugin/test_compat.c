/* test_compat.c — the plugin keeps an old parameter meaning for a restored
 * session until the user moves that control (plugin/compat.h), and the
 * ports added in 0.2 report every run(), 0 frames included. */
#include "compat.h"
#include "engine.h"
#include "host.h"
#include "uris.h"

#include <criterion/criterion.h>

/* A release history made up for the test: drive changed meaning in
 * version 2 (old sessions play it at 5), noise in version 3 (at 0). */
static const compat_rule history[] = {
    {P_DRIVE, 2, 5.0f, false},
    {P_NOISE, 3, 0.0f, false},
};

Test(compat, a_state_needs_the_rules_made_after_its_version)
{
    cr_assert_eq(compat_rules_for(history, 2, 1), 3u);
    cr_assert_eq(compat_rules_for(history, 2, 2), 2u);
    cr_assert_eq(compat_rules_for(history, 2, 3), 0u);
    /* this release's own table: every rule names a parameter and a version
     * above the first (version 1 had no older meaning to keep) */
    cr_assert_leq(compat_rule_count, COMPAT_MAX_RULES);
    for (uint32_t i = 0; i < compat_rule_count; ++i)
        cr_assert(compat_rules[i].id < PARAM_COUNT && compat_rules[i].since > 1);
}

Test(compat, the_old_meaning_holds_until_the_control_moves)
{
    compat_state s = {0};
    float v[PARAM_COUNT];
    param_defaults(v);
    v[P_DRIVE] = 12.0f;
    v[P_NOISE] = 0.7f;
    compat_restart(&s, compat_rules_for(history, 2, 1));
    float run1[PARAM_COUNT];
    for (int k = 0; k < 3; ++k) {
        memcpy(run1, v, sizeof v);
        compat_apply(&s, history, 2, run1);
        cr_assert_eq(run1[P_DRIVE], 5.0f, "run %d: drive in its version-1 meaning", k);
        cr_assert_eq(run1[P_NOISE], 0.0f);
        cr_assert_eq(run1[P_SPREAD], v[P_SPREAD], "other controls untouched");
    }
    v[P_DRIVE] = 13.0f; /* the user turns drive */
    memcpy(run1, v, sizeof v);
    compat_apply(&s, history, 2, run1);
    cr_assert_eq(run1[P_DRIVE], 13.0f, "a moved control takes its present meaning");
    cr_assert_eq(run1[P_NOISE], 0.0f, "the other rule still holds");
    cr_assert_eq(atomic_load(&s.mask), 2u, "and only it is saved");
    v[P_DRIVE] = 12.0f; /* back to where it was: still the present meaning */
    memcpy(run1, v, sizeof v);
    compat_apply(&s, history, 2, run1);
    cr_assert_eq(run1[P_DRIVE], 12.0f);
}

Test(compat, new_ports_report_every_run)
{
    hb_world *w = hb_world_new();
    for (int cv = 0; cv < 2; ++cv) {
        hb_instance h;
        cr_assert(hb_instantiate(&h, w, cv, 48000.0));
        for (uint32_t k = 0; k < PORT_LATE_COUNT; ++k)
            h.late[k] = -1.0f;
        lilv_instance_activate(h.inst);
        hb_prepare_events(&h, NULL, NULL, 0);
        lilv_instance_run(h.inst, 0); /* how hosts ask for the latency */
        /* the engine's: anti-aliasing filter and limiter look-ahead (the
         * delay itself is checked against the renderer, same_sound_cli.sh) */
        engine *e = engine_create(48000.0);
        const float latency = (float)engine_latency(e);
        engine_destroy(e);
        cr_assert_gt(latency, 0.0f);
        cr_assert_eq(h.late[PORT_LATE_LATENCY], latency);
        hb_prepare_events(&h, NULL, NULL, 0);
        lilv_instance_run(h.inst, 256);
        cr_assert_eq(h.late[PORT_LATE_LATENCY], latency);
        cr_assert(h.late[PORT_LATE_GUARD_LOAD] >= 0.0f && h.late[PORT_LATE_GUARD_LOAD] <= 1.0f);
        cr_assert(h.late[PORT_LATE_GUARD_ACTIVE] == 0.0f || h.late[PORT_LATE_GUARD_ACTIVE] == 1.0f);
        lilv_instance_deactivate(h.inst);
        hb_free(&h);
    }
    hb_world_free(w);
}

static const void *
no_port_value(const char *symbol, void *user, uint32_t *size, uint32_t *type)
{
    (void)symbol, (void)user, (void)size, (void)type;
    return NULL;
}

static void
ignore_port_value(const char *symbol, void *user, const void *value, uint32_t size,
                  uint32_t type)
{
    (void)symbol, (void)user, (void)value, (void)size, (void)type;
}

/* Restore `preset` (Turtle) into a fresh instance, save it again and
 * return whether the saved state keeps old meanings (hillock:legacyRules). */
static bool
keeps_old_meanings(hb_world *w, const char *preset)
{
    hb_instance h;
    cr_assert(hb_instantiate(&h, w, false, 48000.0));
    LilvState *in = lilv_state_new_from_string(hb_lilv(w), hb_map(w), preset);
    cr_assert_not_null(in);
    lilv_state_restore(in, h.inst, ignore_port_value, NULL, 0, hb_features(w));
    LilvState *out = lilv_state_new_from_instance(hb_plugin(w, false), h.inst, hb_map(w), NULL,
                                                  NULL, NULL, NULL, no_port_value, NULL, 0,
                                                  hb_features(w));
    char *text = lilv_state_to_string(hb_lilv(w), hb_map(w), hb_unmap(w), out,
                                      "urn:hillock:test-state", NULL);
    bool kept = strstr(text, HILLOCK__legacyRules) != NULL;
    lilv_free(text);
    lilv_state_free(in);
    lilv_state_free(out);
    hb_free(&h);
    return kept;
}

/* The presets of 0.1 hold port values only (no hillock:stateVersion): they
 * play in the meanings of 0.1 (levelling as 1, ...), while a preset written
 * since says its version and plays as it reads. */
Test(compat, a_state_without_version_is_one_of_0_1)
{
    hb_world *w = hb_world_new();
    const char *head = "@prefix lv2: <http://lv2plug.in/ns/lv2core#> .\n"
                       "@prefix pset: <http://lv2plug.in/ns/ext/presets#> .\n"
                       "@prefix state: <http://lv2plug.in/ns/ext/state#> .\n"
                       "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                       "<urn:hillock:preset:t> a pset:Preset ;\n"
                       " lv2:appliesTo <urn:hillock:bank> ;\n"
                       " lv2:port [ lv2:symbol \"drive\" ; pset:value 12.0 ]";
    char old[1024], now[1024];
    snprintf(old, sizeof old, "%s .\n", head);
    snprintf(now, sizeof now, "%s ;\n state:state [ <" HILLOCK__stateVersion "> \"%d\"^^xsd:int ] .\n",
             head, HILLOCK_STATE_VERSION);
    cr_assert(keeps_old_meanings(w, old), "a port-only preset played in the present meanings");
    cr_assert_not(keeps_old_meanings(w, now), "a preset of this version kept old meanings");
    hb_world_free(w);
}

/* A default that changed with a unit: a state that left the control at
 * this release's default (a port-only preset that did not list it) plays
 * the old default; a state that set it keeps its value, already in the
 * old unit. */
Test(compat, a_rule_at_default_holds_only_for_a_control_left_at_its_default)
{
    static const compat_rule unit_change[] = {{P_INPUT_GAIN, 2, 10.0f, true}};
    float v[PARAM_COUNT];
    compat_state s = {0};
    param_defaults(v);
    compat_restart(&s, compat_rules_for(unit_change, 1, 1));
    compat_apply(&s, unit_change, 1, v);
    cr_assert_eq(v[P_INPUT_GAIN], 10.0f, "left at the default: the old default plays");
    cr_assert_eq(atomic_load(&s.mask), 1u);

    param_defaults(v);
    v[P_INPUT_GAIN] = 40.0f; /* the state listed it */
    compat_restart(&s, compat_rules_for(unit_change, 1, 1));
    compat_apply(&s, unit_change, 1, v);
    cr_assert_eq(v[P_INPUT_GAIN], 40.0f, "a value the state set plays as set");
    cr_assert_eq(atomic_load(&s.mask), 0u, "and the rule ends");
}
