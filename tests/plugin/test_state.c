/* test_state.c — LV2 state: a save/restore round trip through lilv, and a
 * corrupted or future state falling back to defaults with a log line. */
#include "host.h"
#include "uris.h"

#include <criterion/criterion.h>
#include <lv2/atom/atom.h>
#include <lv2/state/state.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

HB_WORLD_SUITE(state, 60);

static const void *
get_port_value(const char *symbol, void *user, uint32_t *size, uint32_t *type)
{
    hb_instance *h = user;
    int id = param_find(symbol);
    if (id < 0)
        return NULL;
    LV2_URID_Map *map = hb_map(world);
    *size = sizeof(float);
    *type = map->map(map->handle, LV2_ATOM__Float);
    return &h->controls[id];
}

static void
set_port_value(const char *symbol, void *user, const void *value, uint32_t size,
               uint32_t type)
{
    (void)size;
    (void)type;
    hb_instance *h = user;
    int id = param_find(symbol);
    if (id >= 0)
        h->controls[id] = *(const float *)value;
}

Test(state, round_trip_restores_the_version_and_the_ports)
{
    for (int cv = 0; cv < 2; ++cv) {
        hb_instance a, b;
        cr_assert(hb_instantiate(&a, world, cv, 48000.0));
        cr_assert(hb_instantiate(&b, world, cv, 48000.0));
        a.controls[P_DRIVE] = 17.5f;
        a.controls[P_MODEL] = 2.0f;
        lilv_instance_activate(a.inst);
        /* the OSC input's port is kept too (the worker, not run here,
         * would open it) */
        hb_send_patch_int(&a, HILLOCK__oscInPort, 9123);
        lilv_instance_run(a.inst, 480);

        LilvState *saved = lilv_state_new_from_instance(
            hb_plugin(world, cv), a.inst, hb_map(world), NULL, NULL, NULL, NULL,
            get_port_value, &a, 0, hb_features(world));
        cr_assert_not_null(saved);
        char *text = lilv_state_to_string(hb_lilv(world), hb_map(world), hb_unmap(world), saved,
                                          "urn:hillock:test-state", NULL);
        cr_assert_not_null(strstr(text, HILLOCK__stateVersion), "saved state:\n%s", text);
        cr_assert_not_null(strstr(text, "9123"), "saved state without the OSC port:\n%s", text);
        lilv_free(text);

        lilv_state_restore(saved, b.inst, set_port_value, &b, 0, hb_features(world));
        cr_assert_eq(b.controls[P_DRIVE], 17.5f);
        cr_assert_eq(b.controls[P_MODEL], 2.0f);
        cr_assert_str_eq(hb_take_log(world), "", "a clean restore logs nothing");

        LilvState *again = lilv_state_new_from_instance(
            hb_plugin(world, cv), b.inst, hb_map(world), NULL, NULL, NULL, NULL,
            get_port_value, &b, 0, hb_features(world));
        cr_assert(lilv_state_equals(saved, again), "save(restore(s)) differs from s");
        lilv_state_free(saved);
        lilv_state_free(again);
        hb_free(&a);
        hb_free(&b);
    }
}

/* A retrieve function serving one stored value, as a broken or future
 * session file would give it. */
typedef struct {
    LV2_URID key, type;
    const void *value;
    size_t size;
} fake_store;

static const void *
fake_retrieve(LV2_State_Handle handle, uint32_t key, size_t *size, uint32_t *type,
              uint32_t *flags)
{
    const fake_store *s = handle;
    if (key != s->key || !s->value)
        return NULL;
    *size = s->size;
    *type = s->type;
    *flags = LV2_STATE_IS_POD;
    return s->value;
}

Test(state, corrupted_or_unknown_state_falls_back_with_a_log_message)
{
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, false, 48000.0));
    const LV2_State_Interface *iface =
        lilv_instance_get_extension_data(h.inst, LV2_STATE__interface);
    cr_assert_not_null(iface);
    LV2_URID_Map *map = hb_map(world);
    LV2_URID key = map->map(map->handle, HILLOCK__stateVersion);
    LV2_URID t_int = map->map(map->handle, LV2_ATOM__Int);
    LV2_URID t_string = map->map(map->handle, LV2_ATOM__String);
    const int32_t future = HILLOCK_STATE_VERSION + 1, negative = -3;
    const char garbage[] = "\xff\xfe not a version";
    const int64_t wide = 1;
    const struct {
        fake_store s;
        const char *why;
    } cases[] = {
        {{key, t_string, garbage, sizeof garbage}, "wrong type"},
        {{key, t_int, &wide, sizeof wide}, "wrong size"},
        {{key, t_int, &future, sizeof future}, "future version"},
        {{key, t_int, &negative, sizeof negative}, "negative version"},
    };
    hb_take_log(world);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        LV2_State_Status st = iface->restore(lilv_instance_get_handle(h.inst), fake_retrieve,
                                             (LV2_State_Handle)&cases[i].s, 0,
                                             hb_features(world));
        cr_assert_neq(st, LV2_STATE_SUCCESS, "%s accepted", cases[i].why);
        const char *log = hb_take_log(world);
        cr_assert_not_null(strstr(log, "using defaults"), "%s: log was '%s'", cases[i].why,
                           log);
    }
    /* no version at all (presets, hosts without state): fine and quiet */
    fake_store none = {key, t_int, NULL, 0};
    cr_assert_eq(iface->restore(lilv_instance_get_handle(h.inst), fake_retrieve, &none, 0,
                                hb_features(world)),
                 LV2_STATE_SUCCESS);
    /* and the plugin still runs with its defaults */
    lilv_instance_activate(h.inst);
    hb_prepare_events(&h, NULL, NULL, 0);
    lilv_instance_run(h.inst, 4800);
    float peak = 0.0f;
    for (int f = 0; f < 4800; ++f) {
        cr_assert(isfinite(h.audio[PORT_OUT_LEFT][f]));
        peak = fmaxf(peak, fabsf(h.audio[PORT_OUT_LEFT][f]));
    }
    cr_assert_gt(peak, 0.0f);
    hb_free(&h);
}

/* Several stored values, as retrieve() gives them. */
typedef struct {
    fake_store entries[4];
} fake_session;

static const void *
session_retrieve(LV2_State_Handle handle, uint32_t key, size_t *size, uint32_t *type,
                 uint32_t *flags)
{
    const fake_session *s = handle;
    for (size_t i = 0; i < sizeof s->entries / sizeof s->entries[0]; ++i)
        if (s->entries[i].value && s->entries[i].key == key)
            return fake_retrieve((LV2_State_Handle)&s->entries[i], key, size, type, flags);
    return NULL;
}

/* The LV2 state spec lets retrieve() return a value at any address
 * (LV2_State_Retrieve_Function: "a pointer to the stored value"): an Int one
 * byte into a buffer must read as the same version (UBSan traps a misaligned
 * int32 load), and unreadable legacy rules are a reported failure. */
Test(state, reads_values_at_any_address_and_reports_unreadable_rules)
{
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, false, 48000.0));
    const LV2_State_Interface *iface =
        lilv_instance_get_extension_data(h.inst, LV2_STATE__interface);
    LV2_URID_Map *map = hb_map(world);
    LV2_URID version_key = map->map(map->handle, HILLOCK__stateVersion);
    LV2_URID rules_key = map->map(map->handle, HILLOCK__legacyRules);
    LV2_URID t_int = map->map(map->handle, LV2_ATOM__Int);
    LV2_URID t_string = map->map(map->handle, LV2_ATOM__String);
    _Alignas(8) unsigned char raw[16];
    const int32_t version = HILLOCK_STATE_VERSION;
    memcpy(raw + 1, &version, sizeof version);
    hb_take_log(world);

    fake_session odd = {{{version_key, t_int, raw + 1, sizeof version}}};
    cr_assert_eq(iface->restore(lilv_instance_get_handle(h.inst), session_retrieve, &odd, 0,
                                hb_features(world)),
                 LV2_STATE_SUCCESS, "an Int at an odd address was refused");
    cr_assert_str_eq(hb_take_log(world), "", "a clean restore logs nothing");

    const char garbage[] = "rules";
    fake_session bad_rules = {{{version_key, t_int, raw + 1, sizeof version},
                               {rules_key, t_string, garbage, sizeof garbage}}};
    cr_assert_eq(iface->restore(lilv_instance_get_handle(h.inst), session_retrieve,
                                &bad_rules, 0, hb_features(world)),
                 LV2_STATE_ERR_BAD_TYPE, "unreadable legacy rules were not reported");
    const char *log = hb_take_log(world);
    cr_assert_not_null(strstr(log, "legacy rules"), "log was '%s'", log);
    hb_free(&h);
}

/* The learned weights (hillock:synapseWeights, plugin/synapse_weights.c):
 * a plugin that learned (STDP on, the table built by the host's worker)
 * saves its weights; restored into another instance they save again byte
 * for byte (the .npy of dsp/synapse_file.h: every weight bit-exact). A
 * damaged or foreign copy is refused with a log line, and the weights the
 * instance held stay. */
typedef struct {
    LV2_URID key, type;
    void *value;
    size_t size;
} kept_value;

static LV2_State_Status
keep_store(LV2_State_Handle handle, uint32_t key, const void *value, size_t size, uint32_t type,
           uint32_t flags)
{
    (void)flags;
    kept_value *k = handle;
    LV2_URID_Map *map = hb_map(world);
    if (key != map->map(map->handle, HILLOCK__synapseWeights))
        return LV2_STATE_SUCCESS;
    free(k->value);
    k->value = malloc(size);
    memcpy(k->value, value, size);
    k->size = size;
    k->type = type;
    k->key = key;
    return LV2_STATE_SUCCESS;
}

static const void *
keep_retrieve(LV2_State_Handle handle, uint32_t key, size_t *size, uint32_t *type,
              uint32_t *flags)
{
    const kept_value *k = handle;
    LV2_URID_Map *map = hb_map(world);
    if (key == map->map(map->handle, HILLOCK__stateVersion)) {
        static const int32_t version = HILLOCK_STATE_VERSION;
        *size = sizeof version;
        *type = map->map(map->handle, LV2_ATOM__Int);
        *flags = LV2_STATE_IS_POD;
        return &version;
    }
    if (key != k->key || !k->value)
        return NULL;
    *size = k->size;
    *type = k->type;
    *flags = LV2_STATE_IS_POD;
    return k->value;
}

static kept_value
save_weights(const LV2_State_Interface *iface, hb_instance *h)
{
    kept_value k = {0};
    cr_assert_eq(iface->save(lilv_instance_get_handle(h->inst), keep_store, &k, 0,
                             hb_features(world)),
                 LV2_STATE_SUCCESS);
    return k;
}

Test(state, learned_weights_survive_save_and_restore)
{
    hb_instance a, b;
    /* every neuron plays however loaded the machine (a thinned bank learns
     * less: plugin/guard_budget.h) */
    setenv("HILLOCK_GUARD", "off", 1);
    cr_assert(hb_instantiate(&a, world, false, 48000.0));
    unsetenv("HILLOCK_GUARD");
    cr_assert(hb_instantiate(&b, world, false, 48000.0));
    const LV2_State_Interface *iface =
        lilv_instance_get_extension_data(a.inst, LV2_STATE__interface);
    a.controls[P_NEURONS] = 40.0f;
    a.controls[P_CONNECTIVITY] = 0.2f;
    a.controls[P_PLASTICITY] = 1.0f;
    lilv_instance_activate(a.inst);
    for (int block = 0; block < 100; ++block) { /* 1 s */
        hb_prepare_events(&a, NULL, NULL, 0);
        lilv_instance_run(a.inst, 480);
        hb_worker_settle(&a);
    }
    kept_value saved = save_weights(iface, &a);
    cr_assert_not_null(saved.value, "no learned weights in the state");
    LV2_URID_Map *map = hb_map(world);
    cr_assert_eq(saved.type, map->map(map->handle, LV2_ATOM__Chunk),
                 "a host without makePath gets the bytes");
    const uint8_t *npy = saved.value;
    const size_t header = 10u + (npy[8] | npy[9] << 8);
    int learned = 0;
    for (size_t r = header; r + 16 <= saved.size; r += 16) {
        float w;
        memcpy(&w, npy + r + 8, 4);
        learned |= w != 1.0f;
    }
    cr_assert(learned, "nothing learned in 1 s: the test would mean nothing");

    hb_take_log(world);
    cr_assert_eq(iface->restore(lilv_instance_get_handle(b.inst), keep_retrieve, &saved, 0,
                                hb_features(world)),
                 LV2_STATE_SUCCESS);
    cr_assert_str_eq(hb_take_log(world), "");
    kept_value again = save_weights(iface, &b);
    cr_assert(again.size == saved.size && !memcmp(again.value, saved.value, saved.size),
              "the restored weights differ");
    free(again.value);

    /* damaged copies: b keeps what it has */
    kept_value bad = saved;
    bad.value = malloc(saved.size);
    const struct {
        size_t size;
        size_t at;
        const char *bytes;
        const char *why;
    } cases[] = {
        {saved.size - 7, 0, NULL, "truncated"},
        {saved.size, header + 16 * 2 + 8, "\x00\x00\xc0\x7f", "not a number"},
        {saved.size, 0, NULL, "version"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        memcpy(bad.value, saved.value, saved.size);
        bad.size = cases[i].size;
        if (cases[i].bytes)
            memcpy((uint8_t *)bad.value + cases[i].at, cases[i].bytes, 4);
        if (!strcmp(cases[i].why, "version"))
            ((char *)strstr((char *)bad.value + 10, "hillock-weights 1"))[16] = '7';
        iface->restore(lilv_instance_get_handle(b.inst), keep_retrieve, &bad, 0,
                       hb_features(world));
        const char *log = hb_take_log(world);
        cr_expect(strstr(log, "learned weights not restored") && strstr(log, cases[i].why),
                  "%s: log was '%s'", cases[i].why, log);
        kept_value still = save_weights(iface, &b);
        cr_expect(still.size == saved.size && !memcmp(still.value, saved.value, saved.size),
                  "%s: the weights changed", cases[i].why);
        free(still.value);
    }
    free(bad.value);

    /* a host with a session folder (lilv with a save directory offers
     * state:makePath and state:mapPath): the weights go to a file there */
    char dir[] = "/tmp/hillock-state-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    LilvState *in_files = lilv_state_new_from_instance(
        hb_plugin(world, false), a.inst, hb_map(world), dir, dir, dir, dir, get_port_value, &a,
        0, hb_features(world));
    cr_assert_not_null(in_files);
    char *text = lilv_state_to_string(hb_lilv(world), hb_map(world), hb_unmap(world), in_files,
                                      "urn:hillock:test-state", NULL);
    cr_expect_not_null(strstr(text, "synapse-weights"), "no weights file in:\n%s", text);
    lilv_free(text);
    hb_instance c;
    cr_assert(hb_instantiate(&c, world, false, 48000.0));
    lilv_state_restore(in_files, c.inst, set_port_value, &c, 0, hb_features(world));
    kept_value from_file = save_weights(iface, &c);
    cr_expect(from_file.size == saved.size && !memcmp(from_file.value, saved.value, saved.size),
              "the weights restored from the file differ");
    free(from_file.value);
    lilv_state_free(in_files);
    hb_free(&c);
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);

    free(saved.value);
    hb_free(&a);
    hb_free(&b);
}
