/* carla_host.c CARLA_BIN_DIR LV2_DIR WORK_DIR — Hillock in Carla's host
 * engine (libcarla_standalone2.so, driven through its C API, CarlaHost.h),
 * with the Dummy driver: what a user does by hand in Carla, checked.
 *
 *  - both plugins load (urn:hillock:bank, urn:hillock:bank-cv);
 *  - the audio is finite and audible: the default bank (8 HH neurons at
 *    10 uA/cm2 fire tonically, Hodgkin & Huxley 1952) peaks above -40 dBFS
 *    and never beyond full scale (the engine's contract, dsp/engine.h);
 *  - the presets appear as programs, one per pset:Preset lilv finds for the
 *    plugin, and choosing one sets every port value its file names (read
 *    back through lilv, the LV2 reference library);
 *  - a project saved and loaded again restores every input parameter of
 *    both plugins and the plugin's own state (hillock:stateVersion, stored
 *    through the LV2 state interface).
 * Carla is loaded with dlopen so the test builds without linking to it.
 */
#define _GNU_SOURCE /* RTLD_DEFAULT-free dlsym use, setenv */

#include "CarlaHost.h"

#include <lilv/lilv.h>
#include <lv2/presets/presets.h>
#include <lv2/urid/urid.h>

#include <dlfcn.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void
check(int ok, const char *fmt, ...)
{
    if (ok)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("FAIL: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    ++failures;
}

/* ---- Carla's API through dlsym ------------------------------------------ */

#define CARLA_FUNCTIONS(X)                                                                    \
    X(carla_standalone_host_init) X(carla_set_engine_option) X(carla_engine_init)             \
    X(carla_engine_idle) X(carla_engine_close)                                                  \
    X(carla_get_last_error) X(carla_add_plugin) X(carla_remove_all_plugins)                   \
    X(carla_get_current_plugin_count) X(carla_get_plugin_info) X(carla_get_parameter_count)   \
    X(carla_get_parameter_info) X(carla_get_parameter_data) X(carla_get_parameter_ranges)    \
    X(carla_get_current_parameter_value) X(carla_set_parameter_value)                         \
    X(carla_get_program_count) X(carla_get_program_name) X(carla_set_program)                 \
    X(carla_get_current_program_index) X(carla_get_output_peak_value)                         \
    X(carla_save_project) X(carla_load_project) X(carla_get_custom_data_count)                \
    X(carla_get_custom_data)

#define DECLARE(f) static __typeof__(&f) p_##f;
CARLA_FUNCTIONS(DECLARE)
#undef DECLARE

static void *
load_carla(const char *bin_dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/libcarla_standalone2.so", bin_dir);
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "FAIL: cannot load %s: %s\n", path, dlerror());
        return NULL;
    }
#define RESOLVE(f)                                                                            \
    {                                                                                         \
        void *sym = dlsym(lib, #f);                                                           \
        if (!sym) {                                                                           \
            fprintf(stderr, "FAIL: %s lacks %s\n", path, #f);                                 \
            return NULL;                                                                      \
        }                                                                                     \
        memcpy(&p_##f, &sym, sizeof sym);                                                     \
    }
    CARLA_FUNCTIONS(RESOLVE)
#undef RESOLVE
    return lib;
}

/* Let the Dummy driver run for `seconds`, idling the engine as a UI would. */
static void
run_for(CarlaHostHandle h, double seconds)
{
    struct timespec step = {0, 20 * 1000 * 1000};
    for (double t = 0; t < seconds; t += 0.02) {
        p_carla_engine_idle(h);
        nanosleep(&step, NULL);
    }
}

/* The loudest output peak (either channel) over `seconds`; NaN if any peak
 * was not finite. */
static float
peak_over(CarlaHostHandle h, unsigned id, double seconds)
{
    float peak = 0.0f;
    for (double t = 0; t < seconds; t += 0.05) {
        run_for(h, 0.05);
        for (int left = 0; left <= 1; ++left) {
            float p = p_carla_get_output_peak_value(h, id, left);
            if (!isfinite(p))
                return NAN;
            peak = p > peak ? p : peak;
        }
    }
    return peak;
}

/* ---- presets through lilv ----------------------------------------------- */

static char *uris[256];
static unsigned n_uris;

static LV2_URID
map_uri(LV2_URID_Map_Handle handle, const char *uri)
{
    (void)handle;
    for (unsigned i = 0; i < n_uris; ++i)
        if (!strcmp(uris[i], uri))
            return i + 1;
    if (n_uris == sizeof uris / sizeof uris[0])
        return 0;
    uris[n_uris] = strdup(uri);
    return ++n_uris;
}

typedef struct {
    CarlaHostHandle h;
    unsigned id;
    const char *preset;
    int matched;
} preset_check;

static int
param_by_symbol(CarlaHostHandle h, unsigned id, const char *symbol)
{
    uint32_t n = p_carla_get_parameter_count(h, id);
    for (uint32_t p = 0; p < n; ++p)
        if (!strcmp(p_carla_get_parameter_info(h, id, p)->symbol, symbol))
            return (int)p;
    return -1;
}

static void
expect_port_value(const char *symbol, void *user_data, const void *value, uint32_t size,
                  uint32_t type)
{
    (void)size;
    (void)type;
    preset_check *c = user_data;
    int p = param_by_symbol(c->h, c->id, symbol);
    check(p >= 0, "preset %s: Carla has no parameter %s", c->preset, symbol);
    if (p < 0)
        return;
    float want = *(const float *)value;
    float got = p_carla_get_current_parameter_value(c->h, c->id, (uint32_t)p);
    check(fabsf(got - want) <= 1e-6f * fmaxf(1.0f, fabsf(want)),
          "preset %s: %s is %g in Carla, %g in the preset file", c->preset, symbol, got, want);
    ++c->matched;
}

/* Choose the program whose name is a preset's label and check every port
 * value of that preset. Returns how many presets were checked. */
static int
check_programs(CarlaHostHandle h, unsigned id, const char *plugin_uri)
{
    LilvWorld *world = lilv_world_new();
    lilv_world_load_all(world);
    LilvNode *uri = lilv_new_uri(world, plugin_uri);
    LilvNode *pset = lilv_new_uri(world, LV2_PRESETS__Preset);
    LilvNode *label = lilv_new_uri(world, LILV_NS_RDFS "label");
    const LilvPlugin *plugin = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(world), uri);
    LV2_URID_Map map = {NULL, map_uri};
    int checked = 0, n_presets = 0;
    uint32_t n_programs = p_carla_get_program_count(h, id);
    LilvNodes *presets = plugin ? lilv_plugin_get_related(plugin, pset) : NULL;
    LILV_FOREACH (nodes, i, presets) {
        const LilvNode *preset = lilv_nodes_get(presets, i);
        lilv_world_load_resource(world, preset);
        LilvNode *name = lilv_world_get(world, preset, label, NULL);
        ++n_presets;
        for (uint32_t k = 0; name && k < n_programs; ++k) {
            if (strcmp(p_carla_get_program_name(h, id, k), lilv_node_as_string(name)))
                continue;
            p_carla_set_program(h, id, k);
            run_for(h, 0.05);
            check(p_carla_get_current_program_index(h, id) == (int32_t)k,
                  "%s: program %u chosen, %d current", plugin_uri, k,
                  p_carla_get_current_program_index(h, id));
            LilvState *state = lilv_state_new_from_world(world, &map, preset);
            preset_check c = {h, id, lilv_node_as_string(name), 0};
            if (state) {
                lilv_state_emit_port_values(state, expect_port_value, &c);
                lilv_state_free(state);
            }
            check(c.matched > 0, "preset %s sets no port", c.preset);
            ++checked;
            break;
        }
        lilv_node_free(name);
    }
    check(plugin != NULL, "lilv does not find %s", plugin_uri);
    check(n_presets > 0 && (uint32_t)n_presets == n_programs,
          "%s: %u programs in Carla, %d presets in the bundle", plugin_uri, n_programs, n_presets);
    check(checked == n_presets, "%s: %d of %d presets found among the programs", plugin_uri,
          checked, n_presets);
    lilv_nodes_free(presets);
    lilv_node_free(label);
    lilv_node_free(pset);
    lilv_node_free(uri);
    lilv_world_free(world);
    return checked;
}

/* ---- the project round trip --------------------------------------------- */

typedef struct {
    char symbol[64];
    float value;
} saved_param;

#define MAX_PARAMS 128

/* An input parameter the project keeps: Carla drives a designated port
 * (lv2:freeWheeling, the plugin's `freewheel`) from its engine itself, and
 * marks it disabled or not saved, so it is neither changed nor compared. */
static int
saved_input(CarlaHostHandle h, unsigned id, uint32_t p)
{
    const ParameterData *d = p_carla_get_parameter_data(h, id, p);
    return d->type == PARAMETER_INPUT && (d->hints & PARAMETER_IS_ENABLED) &&
           !(d->hints & PARAMETER_IS_NOT_SAVED);
}

/* Every input parameter of plugin id, by symbol. */
static uint32_t
snapshot(CarlaHostHandle h, unsigned id, saved_param out[MAX_PARAMS])
{
    uint32_t n = 0, count = p_carla_get_parameter_count(h, id);
    for (uint32_t p = 0; p < count && n < MAX_PARAMS; ++p) {
        if (!saved_input(h, id, p))
            continue;
        snprintf(out[n].symbol, sizeof out[n].symbol, "%s",
                 p_carla_get_parameter_info(h, id, p)->symbol);
        out[n++].value = p_carla_get_current_parameter_value(h, id, p);
    }
    return n;
}

/* Move every input parameter away from where it is, to a value inside its
 * range (a third of the way up; the bank stays small so the Dummy driver
 * keeps up). */
static void
change_every_parameter(CarlaHostHandle h, unsigned id)
{
    uint32_t count = p_carla_get_parameter_count(h, id);
    for (uint32_t p = 0; p < count; ++p) {
        if (!saved_input(h, id, p))
            continue;
        const ParameterRanges *r = p_carla_get_parameter_ranges(h, id, p);
        const char *symbol = p_carla_get_parameter_info(h, id, p)->symbol;
        float v = roundf(r->min + (r->max - r->min) / 3.0f);
        if (!strcmp(symbol, "neurons") || !strcmp(symbol, "speed"))
            v = !strcmp(symbol, "neurons") ? 5.0f : 1.5f;
        if (v == p_carla_get_current_parameter_value(h, id, p))
            v = r->max;
        p_carla_set_parameter_value(h, id, p, v);
    }
}

static const char *
state_version(CarlaHostHandle h, unsigned id)
{
    uint32_t n = p_carla_get_custom_data_count(h, id);
    for (uint32_t i = 0; i < n; ++i) {
        const CustomData *d = p_carla_get_custom_data(h, id, i);
        if (d && d->key && strstr(d->key, "stateVersion"))
            return d->value;
    }
    return NULL;
}

int
main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: carla_host CARLA_BIN_DIR LV2_DIR WORK_DIR\n");
        return 2;
    }
    const char *bin = argv[1], *lv2 = argv[2], *work = argv[3];
    setenv("LV2_PATH", lv2, 1);
    void *lib = load_carla(bin);
    if (!lib)
        return 1;

    CarlaHostHandle h = p_carla_standalone_host_init();
    p_carla_set_engine_option(h, ENGINE_OPTION_PATH_BINARIES, 0, bin);
    p_carla_set_engine_option(h, ENGINE_OPTION_PROCESS_MODE,
                              ENGINE_PROCESS_MODE_CONTINUOUS_RACK, NULL);
    p_carla_set_engine_option(h, ENGINE_OPTION_PLUGIN_PATH, PLUGIN_LV2, lv2);
    if (!p_carla_engine_init(h, "Dummy", "hillock-test")) {
        fprintf(stderr, "FAIL: the Dummy engine did not start: %s\n", p_carla_get_last_error(h));
        return 1;
    }

    const char *plugins[] = {"urn:hillock:bank", "urn:hillock:bank-cv"};
    for (unsigned id = 0; id < 2; ++id) {
        bool added = p_carla_add_plugin(h, BINARY_NATIVE, PLUGIN_LV2, "", NULL, plugins[id], 0,
                                        NULL, 0);
        check(added, "%s does not load: %s", plugins[id], p_carla_get_last_error(h));
    }
    check(p_carla_get_current_plugin_count(h) == 2, "%u plugins loaded, expected 2",
          p_carla_get_current_plugin_count(h));
    if (failures) {
        p_carla_engine_close(h);
        return 1;
    }

    /* audio: -40 dBFS is 0.01 */
    for (unsigned id = 0; id < 2; ++id) {
        float peak = peak_over(h, id, 1.0);
        check(isfinite(peak), "%s: a non-finite output peak", plugins[id]);
        check(peak > 0.01f && peak <= 1.0f, "%s: output peak %g, expected in (0.01, 1]",
              plugins[id], peak);
        printf("%s: %s, output peak %.3f over 1 s\n", plugins[id],
               p_carla_get_plugin_info(h, id)->name, peak);
    }

    /* presets as programs */
    for (unsigned id = 0; id < 2; ++id)
        printf("%s: %d presets chosen as programs\n", plugins[id],
               check_programs(h, id, plugins[id]));

    /* project round trip */
    saved_param before[2][MAX_PARAMS];
    uint32_t n_before[2];
    const char *version[2];
    for (unsigned id = 0; id < 2; ++id) {
        change_every_parameter(h, id);
        run_for(h, 0.1);
        n_before[id] = snapshot(h, id, before[id]);
    }
    char project[4096];
    snprintf(project, sizeof project, "%s/session.carxp", work);
    check(p_carla_save_project(h, project), "save_project: %s", p_carla_get_last_error(h));
    /* saving asks each plugin for its state (LV2 state interface) */
    for (unsigned id = 0; id < 2; ++id) {
        version[id] = state_version(h, id);
        check(version[id] != NULL, "%s: no hillock:stateVersion in the saved state",
              plugins[id]);
        version[id] = version[id] ? strdup(version[id]) : NULL;
    }
    p_carla_remove_all_plugins(h);
    run_for(h, 0.1);
    check(p_carla_get_current_plugin_count(h) == 0, "plugins left after remove_all");
    check(p_carla_load_project(h, project), "load_project: %s", p_carla_get_last_error(h));
    run_for(h, 0.2);
    check(p_carla_get_current_plugin_count(h) == 2, "%u plugins after loading the project",
          p_carla_get_current_plugin_count(h));
    for (unsigned id = 0; id < 2 && p_carla_get_current_plugin_count(h) == 2; ++id) {
        saved_param after[MAX_PARAMS];
        uint32_t n_after = snapshot(h, id, after);
        check(n_after == n_before[id] && n_after >= 45, "%s: %u parameters before, %u after",
              plugins[id], n_before[id], n_after);
        uint32_t same = 0;
        for (uint32_t i = 0; i < n_after && i < n_before[id]; ++i) {
            check(!strcmp(after[i].symbol, before[id][i].symbol), "%s: parameter %u is %s, was %s",
                  plugins[id], i, after[i].symbol, before[id][i].symbol);
            check(after[i].value == before[id][i].value, "%s: %s restored as %g, saved %g",
                  plugins[id], after[i].symbol, after[i].value, before[id][i].value);
            same += after[i].value == before[id][i].value;
        }
        const char *v = state_version(h, id);
        check(version[id] && v && !strcmp(v, version[id]),
              "%s: state version %s saved, %s restored", plugins[id],
              version[id] ? version[id] : "(none)", v ? v : "(none)");
        printf("%s: %u of %u parameters and state version %s restored from the project\n",
               plugins[id], same, n_after, v ? v : "(none)");
        float peak = peak_over(h, id, 0.5);
        check(isfinite(peak) && peak <= 1.0f, "%s: after loading, output peak %g", plugins[id],
              peak);
    }
    unlink(project);
    free((void *)version[0]);
    free((void *)version[1]);

    p_carla_engine_close(h);
    for (unsigned i = 0; i < n_uris; ++i)
        free(uris[i]);
    /* the library stays loaded: Carla's static destructors run at exit */
    (void)lib;
    if (failures)
        fprintf(stderr, "%d checks failed\n", failures);
    return failures ? 1 : 0;
}
