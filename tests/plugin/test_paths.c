/* test_paths.c — the file properties (tuning, keymap) through a host that
 * gives the plugin a worker and state:mapPath: patch:Set loads in the
 * worker and run() swaps it in without allocating, patch:Get answers with
 * the current path, a bad file keeps the previous one, and the state
 * round-trips the path through mapPath (abstract in the saved state).
 *
 * The sound check: one HH neuron on note 60 (root 60, chromatic), membrane
 * voice off, so only its click sounds (a 0.7 ms ring); the keymap gap_60.kbm leaves note 60
 * unmapped, and an unmapped note does not strike (Scala keyboard mapping:
 * 'x' is an unmapped key). Fixtures: tests/engine/scala/. */
/* realpath, mkdtemp, mkdir */
#define _XOPEN_SOURCE 700

#include "host.h"
#include "rt_trap.h"
#include "uris.h"

#include <criterion/criterion.h>
#include <lv2/atom/forge.h>
#include <lv2/atom/util.h>
#include <lv2/patch/patch.h>
#include <lv2/state/state.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SCALA_DIR
#error "SCALA_DIR names the fixture folder"
#endif

#define RATE 48000.0
#define BLOCK 512u

HB_WORLD_SUITE(paths, 120);

static LV2_URID
urid(const char *uri)
{
    LV2_URID_Map *map = hb_map(world);
    return map->map(map->handle, uri);
}

static const char *
fixture(const char *name)
{
    static char path[8][1024];
    static int next;
    char *p = path[next++ % 8];
    snprintf(p, sizeof path[0], "%s/%s", SCALA_DIR, name);
    return p;
}

static void
click_only(hb_instance *h)
{
    h->controls[P_MODEL] = 0.0f; /* hh */
    h->controls[P_NEURONS] = 1.0f;
    h->controls[P_DRIVE] = 10.0f;
    h->controls[P_ROOT] = 60.0f;
    h->controls[P_SCALE] = (float)SCALE_CHROMATIC;
    h->controls[P_MEMBRANE_LEVEL] = -60.0f; /* off */
    h->controls[P_SPIKE_SOUND] = (float)SPIKE_SOUND_CLICK; /* rings out in ms */
}

static double play(hb_instance *h, double seconds);

/* A click-only instance, activated; returns its loudness at 12-TET. */
static double
start_clicking(hb_instance *h)
{
    cr_assert(hb_instantiate(h, world, false, RATE));
    click_only(h);
    lilv_instance_activate(h->inst);
    double rms = play(h, 1.0);
    cr_assert_gt(rms, 1e-3, "the click sounds at 12-TET");
    return rms;
}

/* run() once on what the input holds, with the RT trap armed; then the
 * worker's audio-thread part (work_response, end_run), trapped too. */
static void
run_trapped(hb_instance *h, uint32_t n, const char *what)
{
    rt_trap_arm();
    lilv_instance_run(h->inst, n);
    unsigned calls = rt_trap_disarm();
    cr_assert_eq(calls, 0, "%s: run() called %s", what, rt_trap_last());
    rt_trap_arm();
    hb_worker_respond(h);
    calls = rt_trap_disarm();
    cr_assert_eq(calls, 0, "%s: work_response/end_run called %s", what, rt_trap_last());
}

/* RMS of the left output over `seconds` of empty input blocks. */
static double
play(hb_instance *h, double seconds)
{
    uint32_t blocks = (uint32_t)(seconds * RATE / BLOCK);
    double sum = 0.0;
    for (uint32_t b = 0; b < blocks; ++b) {
        hb_prepare_events(h, NULL, NULL, 0);
        run_trapped(h, BLOCK, "play");
        const float *l = hb_port_buffer(h, PORT_OUT_LEFT);
        for (uint32_t i = 0; i < BLOCK; ++i)
            sum += (double)l[i] * l[i];
    }
    return sqrt(sum / ((double)blocks * BLOCK));
}

/* The last hillock:fileStatus answer seen, "(none)" before any. */
static char status[512] = "(none)";

/* The patch:Set answers of the last run(): property -> path. Returns how
 * many; fills paths[p] for tuning (0) and keymap (1); a hillock:fileStatus
 * answer goes to `status` and is not counted. */
static int
answers(hb_instance *h, char paths[2][1024])
{
    const LV2_Atom_Sequence *seq = (const LV2_Atom_Sequence *)h->atom_out;
    int n = 0;
    paths[0][0] = paths[1][0] = '\0';
    LV2_ATOM_SEQUENCE_FOREACH (seq, ev) {
        if (ev->body.type != urid(LV2_ATOM__Object))
            continue;
        const LV2_Atom_Object *obj = (const LV2_Atom_Object *)&ev->body;
        if (obj->body.otype != urid(LV2_PATCH__Set))
            continue;
        const LV2_Atom *prop = NULL, *value = NULL;
        lv2_atom_object_get(obj, urid(LV2_PATCH__property), &prop, urid(LV2_PATCH__value),
                            &value, 0);
        cr_assert_not_null(prop);
        cr_assert_not_null(value);
        LV2_URID p = ((const LV2_Atom_URID *)prop)->body;
        if (p == urid(HILLOCK__fileStatus)) {
            cr_assert_eq(value->type, urid(LV2_ATOM__String), "the status is an atom:String");
            snprintf(status, sizeof status, "%s", (const char *)LV2_ATOM_BODY_CONST(value));
            continue;
        }
        cr_assert_eq(value->type, urid(LV2_ATOM__Path), "the value is an atom:Path");
        if (p == urid(HILLOCK__spikes))
            continue; /* the recording: tests/plugin/test_recording.c */
        int k = p == urid(HILLOCK__tuning) ? 0 : p == urid(HILLOCK__keymap) ? 1 : -1;
        cr_assert_geq(k, 0, "a patch:Set of an unknown property");
        snprintf(paths[k], 1024, "%s", (const char *)LV2_ATOM_BODY_CONST(value));
        ++n;
    }
    return n;
}

/* patch:Set, the worker's part, the swap; the answers of the run after. */
static int
set_and_load(hb_instance *h, const char *prop, const char *path, char got[2][1024])
{
    hb_send_patch(h, LV2_PATCH__Set, prop, path);
    run_trapped(h, BLOCK, "patch:Set");
    cr_assert_eq(hb_worker_pending(world), 1, "run() scheduled one load");
    hb_worker_work(h);                 /* worker thread: reads and parses */
    run_trapped(h, 0, "before the response");
    hb_prepare_events(h, NULL, NULL, 0);
    run_trapped(h, BLOCK, "the answer");
    int n = answers(h, got);
    hb_worker_settle(h); /* frees the old value in the worker */
    return n;
}

Test(paths, set_loads_in_the_worker_and_the_engine_plays_it)
{
    hb_instance h;
    double before = start_clicking(&h);

    char got[2][1024];
    const char *kbm = fixture("gap_60.kbm");
    strcpy(status, "(none)");
    cr_assert_eq(set_and_load(&h, HILLOCK__keymap, kbm, got), 1);
    cr_assert_str_eq(got[1], kbm, "the answer carries the loaded path");
    cr_assert_str_eq(status, "", "a load clears the status");
    play(&h, 0.5); /* the last strike rings out */
    double after = play(&h, 0.5);
    cr_assert_lt(after, 1e-4 * before, "note 60 unmapped: no strike (%g vs %g)", after, before);

    /* clearing (an empty path) goes back to 12-TET */
    cr_assert_eq(set_and_load(&h, HILLOCK__keymap, "", got), 1);
    cr_assert_str_eq(got[1], "");
    cr_assert_gt(play(&h, 1.0), 0.5 * before);
    cr_assert_str_eq(hb_take_log(world), "", "nothing to complain about");
    hb_free(&h);
}

Test(paths, get_answers_with_the_current_paths)
{
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, true, RATE));
    lilv_instance_activate(h.inst);
    char got[2][1024];
    const char *scl = fixture("bohlen-p_et.scl");
    set_and_load(&h, HILLOCK__tuning, scl, got);

    hb_send_patch(&h, LV2_PATCH__Get, HILLOCK__tuning, NULL);
    run_trapped(&h, BLOCK, "patch:Get tuning");
    cr_assert_eq(answers(&h, got), 1, "one property asked, one answered");
    cr_assert_str_eq(got[0], scl);

    hb_send_patch(&h, LV2_PATCH__Get, NULL, NULL);
    run_trapped(&h, BLOCK, "patch:Get");
    cr_assert_eq(answers(&h, got), 2, "no property: every file property");
    cr_assert_str_eq(got[0], scl);
    cr_assert_str_eq(got[1], "", "no keymap loaded");
    cr_assert_eq(hb_worker_pending(world), 0, "patch:Get reads no file");
    hb_free(&h);
}

/* A patch:Get whose property runs past the object (its size, cut by 8
 * bytes, leaves the property's header but not its value) is ignored: the
 * LV2 utilities would read the property past the object, and past the
 * host's buffer were it the last thing in it (what fuzz_plugin found:
 * tests/fuzz/corpus/plugin/bug-patch-get-cut-short). The same Get whole
 * is answered. */
Test(paths, a_get_cut_short_is_ignored_and_a_whole_one_answered)
{
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, true, RATE));
    lilv_instance_activate(h.inst);
    char got[2][1024];

    hb_send_patch(&h, LV2_PATCH__Get, HILLOCK__tuning, NULL);
    LV2_Atom_Sequence *seq = (LV2_Atom_Sequence *)h.atom_in;
    LV2_Atom_Event *ev = lv2_atom_sequence_begin(&seq->body);
    /* body, key and context, the value's header, the URID and its padding */
    cr_assert_eq(ev->body.size, 8u + 8u + 8u + 4u + 4u);
    ev->body.size -= 8u;
    seq->atom.size -= 8u;
    run_trapped(&h, BLOCK, "patch:Get cut short");
    cr_expect_eq(answers(&h, got), 0, "a malformed Get is not answered");

    hb_send_patch(&h, LV2_PATCH__Get, HILLOCK__tuning, NULL);
    run_trapped(&h, BLOCK, "patch:Get whole");
    cr_expect_eq(answers(&h, got), 1, "the whole Get is answered");
    cr_expect_str_eq(got[0], "", "no tuning loaded");
    hb_free(&h);
}

Test(paths, a_bad_file_is_refused_and_the_previous_stays)
{
    hb_instance h;
    double before = start_clicking(&h);
    char got[2][1024];
    const char *kbm = fixture("gap_60.kbm");
    set_and_load(&h, HILLOCK__keymap, kbm, got);
    hb_take_log(world);

    cr_assert_eq(set_and_load(&h, HILLOCK__keymap, fixture("bad_ref_unmapped.kbm"), got), 1);
    cr_assert_str_eq(got[1], kbm, "the answer says the old keymap is still current");
    const char *log = hb_take_log(world);
    cr_assert(strstr(log, "Keymap not loaded, the previous one stays"), "log: %s", log);
    cr_assert(strstr(log, "bad_ref_unmapped.kbm: the reference note 61 is unmapped"),
              "log: %s", log);
    cr_assert(strstr(status, "Keymap: ") == status &&
                  strstr(status, "bad_ref_unmapped.kbm: the reference note 61 is unmapped"),
              "the status says why: %s", status);

    cr_assert_eq(set_and_load(&h, HILLOCK__tuning, fixture("bad_garbage.scl"), got), 1);
    cr_assert_str_eq(got[0], "", "no tuning before, none after");
    log = hb_take_log(world);
    cr_assert(strstr(log, "line 4: 'abc' is neither cents nor a ratio"), "log: %s", log);

    play(&h, 0.5);
    cr_assert_lt(play(&h, 0.5), 1e-4 * before, "the old keymap still plays (note 60 silent)");
    hb_free(&h);
}

/* ---- state, through a map_path that makes paths relative to SCALA_DIR --- */

#define MAX_KEYS 16
typedef struct {
    LV2_URID key[MAX_KEYS], type[MAX_KEYS];
    char value[MAX_KEYS][1024];
    size_t size[MAX_KEYS];
    int n;
    int mapped, unmapped, freed;
} saved_state;

static saved_state saved;

static LV2_State_Status
store(LV2_State_Handle handle, uint32_t key, const void *value, size_t size, uint32_t type,
      uint32_t flags)
{
    (void)flags;
    saved_state *s = handle;
    cr_assert_lt(s->n, MAX_KEYS);
    cr_assert_leq(size, sizeof s->value[0]);
    s->key[s->n] = key;
    s->type[s->n] = type;
    s->size[s->n] = size;
    memcpy(s->value[s->n], value, size);
    s->n++;
    return LV2_STATE_SUCCESS;
}

static const void *
retrieve(LV2_State_Handle handle, uint32_t key, size_t *size, uint32_t *type, uint32_t *flags)
{
    saved_state *s = handle;
    for (int i = 0; i < s->n; ++i)
        if (s->key[i] == key) {
            *size = s->size[i];
            *type = s->type[i];
            *flags = LV2_STATE_IS_POD;
            return s->value[i];
        }
    return NULL;
}

static const char *
stored_path(LV2_URID key)
{
    for (int i = 0; i < saved.n; ++i)
        if (saved.key[i] == key) {
            cr_assert_eq(saved.type[i], urid(LV2_ATOM__Path));
            return saved.value[i];
        }
    return NULL;
}

/* SCALA_DIR/x <-> scala:x */
static char *
abstract_path(LV2_State_Map_Path_Handle handle, const char *absolute)
{
    saved_state *s = handle;
    s->mapped++;
    size_t n = strlen(SCALA_DIR);
    char *out = malloc(strlen(absolute) + 8);
    if (!strncmp(absolute, SCALA_DIR "/", n + 1))
        sprintf(out, "scala:%s", absolute + n + 1);
    else
        strcpy(out, absolute);
    return out;
}

static char *
absolute_path(LV2_State_Map_Path_Handle handle, const char *abstract)
{
    saved_state *s = handle;
    s->unmapped++;
    char *out = malloc(strlen(abstract) + strlen(SCALA_DIR) + 2);
    if (!strncmp(abstract, "scala:", 6))
        sprintf(out, "%s/%s", SCALA_DIR, abstract + 6);
    else
        strcpy(out, abstract);
    return out;
}

static void
free_path(LV2_State_Free_Path_Handle handle, char *path)
{
    ((saved_state *)handle)->freed++;
    free(path);
}

static LV2_State_Map_Path map_path = {&saved, abstract_path, absolute_path};
static LV2_State_Free_Path free_path_feature = {&saved, free_path};
static const LV2_Feature f_map_path = {LV2_STATE__mapPath, &map_path};
static const LV2_Feature f_free_path = {LV2_STATE__freePath, &free_path_feature};
static const LV2_Feature *const state_features[] = {&f_map_path, &f_free_path, NULL};

static const LV2_State_Interface *
state_of(hb_instance *h)
{
    const LV2_State_Interface *s = lilv_instance_get_extension_data(h->inst, LV2_STATE__interface);
    cr_assert_not_null(s);
    return s;
}

/* Restores a state of this version holding only the tuning's abstract
 * path (none: NULL). */
static void
restore_tuning(hb_instance *h, const char *abstract)
{
    memset(&saved, 0, sizeof saved);
    int32_t version = HILLOCK_STATE_VERSION;
    store(&saved, urid(HILLOCK__stateVersion), &version, sizeof version, urid(LV2_ATOM__Int), 0);
    if (abstract)
        store(&saved, urid(HILLOCK__tuning), abstract, strlen(abstract) + 1,
              urid(LV2_ATOM__Path), 0);
    state_of(h)->restore(lilv_instance_get_handle(h->inst), retrieve, &saved, 0,
                         state_features);
}

static void
get_all(hb_instance *h, char got[2][1024])
{
    hb_send_patch(h, LV2_PATCH__Get, NULL, NULL);
    run_trapped(h, BLOCK, "patch:Get");
    cr_assert_eq(answers(h, got), 2);
}

Test(paths, state_round_trips_the_paths_through_map_path)
{
    hb_instance a, b;
    cr_assert(hb_instantiate(&a, world, false, RATE));
    lilv_instance_activate(a.inst);
    char got[2][1024];
    set_and_load(&a, HILLOCK__tuning, fixture("ji_major.scl"), got);
    set_and_load(&a, HILLOCK__keymap, fixture("white_keys_432.kbm"), got);

    memset(&saved, 0, sizeof saved);
    cr_assert_eq(state_of(&a)->save(lilv_instance_get_handle(a.inst), store, &saved, 0,
                                    state_features),
                 LV2_STATE_SUCCESS);
    cr_assert_str_eq(stored_path(urid(HILLOCK__tuning)), "scala:ji_major.scl",
                     "the state holds the abstract path");
    cr_assert_str_eq(stored_path(urid(HILLOCK__keymap)), "scala:white_keys_432.kbm");
    cr_assert_eq(saved.mapped, 2);
    cr_assert_eq(saved.freed, 2, "mapped paths go back through free_path");
    hb_free(&a);

    /* restored into a fresh instance: the absolute paths, loaded, answered */
    cr_assert(hb_instantiate(&b, world, false, RATE));
    lilv_instance_activate(b.inst);
    cr_assert_eq(state_of(&b)->restore(lilv_instance_get_handle(b.inst), retrieve, &saved, 0,
                                       state_features),
                 LV2_STATE_SUCCESS);
    cr_assert_eq(saved.unmapped, 2);
    cr_assert_eq(saved.freed, 4);
    hb_prepare_events(&b, NULL, NULL, 0);
    run_trapped(&b, BLOCK, "after restore");
    cr_assert_eq(answers(&b, got), 2, "a restore announces what it loaded");
    cr_assert_str_eq(got[0], fixture("ji_major.scl"));
    cr_assert_str_eq(got[1], fixture("white_keys_432.kbm"));

    /* a file gone bad since: refused, the previous stays, logged */
    hb_take_log(world);
    for (int i = 0; i < saved.n; ++i)
        if (saved.key[i] == urid(HILLOCK__tuning))
            strcpy(saved.value[i], "scala:bad_short.scl"), saved.size[i] = 20;
    state_of(&b)->restore(lilv_instance_get_handle(b.inst), retrieve, &saved, 0, state_features);
    const char *log = hb_take_log(world);
    cr_assert(strstr(log, "Tuning not restored, the previous one stays"), "log: %s", log);
    get_all(&b, got);
    cr_assert_str_eq(got[0], fixture("ji_major.scl"));

    /* a state of this plugin without the keys: the properties clear */
    restore_tuning(&b, NULL);
    get_all(&b, got);
    cr_assert_str_eq(got[0], "");
    cr_assert_str_eq(got[1], "");
    hb_worker_settle(&b);
    hb_free(&b);
}

/* A preset is the whole sound: it carries the state version and no file,
 * so the tuning goes back to none (LV2 state: defaults for what is lacking). */
Test(paths, a_preset_clears_the_tuning)
{
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, false, RATE));
    lilv_instance_activate(h.inst);
    char got[2][1024];
    set_and_load(&h, HILLOCK__tuning, fixture("ji_12.scl"), got);
    cr_assert_str_eq(got[0], fixture("ji_12.scl"));
    const LilvNode *presets[HB_MAX_PRESETS];
    cr_assert_gt(hb_presets(world, false, presets, HB_MAX_PRESETS), 0);
    cr_assert_gt(hb_apply_preset(&h, presets[0], NULL), 0);
    get_all(&h, got);
    cr_assert_str_eq(got[0], "");
    hb_worker_settle(&h);
    hb_free(&h);
}

/* A load asked before a restore must not overwrite what the restore set. */
Test(paths, a_load_older_than_a_restore_is_dropped)
{
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, false, RATE));
    lilv_instance_activate(h.inst);
    hb_send_patch(&h, LV2_PATCH__Set, HILLOCK__tuning, fixture("carlos_alpha.scl"));
    run_trapped(&h, BLOCK, "patch:Set");
    hb_worker_work(&h);
    restore_tuning(&h, "scala:12tet.scl");
    hb_worker_settle(&h); /* the old response arrives now */
    char got[2][1024];
    get_all(&h, got);
    cr_assert_str_eq(got[0], fixture("12tet.scl"));
    hb_worker_settle(&h);
    hb_free(&h);
}

/* Without work:schedule: a note at instantiate, patch:Set answered with the
 * unchanged value, restore still loads (synchronously). */
Test(paths, without_a_worker_only_restore_loads)
{
    hb_world_set_worker(world, false);
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, false, RATE));
    const char *log = hb_take_log(world);
    cr_assert(strstr(log, "no worker"), "log: %s", log);
    lilv_instance_activate(h.inst);
    hb_send_patch(&h, LV2_PATCH__Set, HILLOCK__tuning, fixture("12tet.scl"));
    run_trapped(&h, BLOCK, "patch:Set without worker");
    char got[2][1024];
    cr_assert_eq(answers(&h, got), 1);
    cr_assert_str_eq(got[0], "", "nothing loaded");
    cr_assert_eq(hb_worker_pending(world), 0);

    restore_tuning(&h, "scala:meanquar.scl");
    hb_prepare_events(&h, NULL, NULL, 0);
    run_trapped(&h, BLOCK, "after restore");
    cr_assert_eq(answers(&h, got), 2);
    cr_assert_str_eq(got[0], fixture("meanquar.scl"));
    hb_free(&h);
}

/* lilv, the library jalv and other hosts save states with: it maps the
 * paths itself (links the file into the saved bundle), writes the state to
 * Turtle, reads it back, and the restored plugin plays the same file. */
static const void *
no_port_value(const char *symbol, void *user, uint32_t *size, uint32_t *type)
{
    (void)symbol;
    (void)user;
    (void)size;
    (void)type;
    return NULL;
}

static void
ignore_port_value(const char *symbol, void *user, const void *value, uint32_t size,
                  uint32_t type)
{
    (void)symbol;
    (void)user;
    (void)value;
    (void)size;
    (void)type;
}

Test(paths, lilv_saves_and_restores_the_file_through_its_map_path)
{
    char dir[] = "/tmp/hillock-paths-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char scratch[64], copy[64], link[64], bundle[64];
    snprintf(scratch, sizeof scratch, "%s/scratch", dir);
    snprintf(copy, sizeof copy, "%s/copy", dir);
    snprintf(link, sizeof link, "%s/link", dir);
    snprintf(bundle, sizeof bundle, "%s/state.lv2", dir);
    cr_assert_eq(mkdir(link, 0700), 0);
    cr_assert_eq(mkdir(copy, 0700), 0);
    cr_assert_eq(mkdir(scratch, 0700), 0);

    hb_instance a, b;
    cr_assert(hb_instantiate(&a, world, false, RATE));
    lilv_instance_activate(a.inst);
    char got[2][1024];
    set_and_load(&a, HILLOCK__tuning, fixture("bohlen-p_et.scl"), got);
    LilvState *st = lilv_state_new_from_instance(hb_plugin(world, false), a.inst, hb_map(world),
                                                 scratch, copy, link, bundle, no_port_value,
                                                 NULL, 0, hb_features(world));
    cr_assert_not_null(st);
    cr_assert_eq(lilv_state_save(hb_lilv(world), hb_map(world), hb_unmap(world), st, NULL,
                                 bundle, "state.ttl"),
                 0);
    lilv_state_free(st);
    hb_worker_settle(&a);
    hb_free(&a);

    char file[PATH_MAX + 16];
    snprintf(file, sizeof file, "%s/state.ttl", bundle);
    FILE *f = fopen(file, "r");
    cr_assert_not_null(f);
    char text[8192] = "";
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    cr_assert(strstr(text, HILLOCK__tuning), "the state names the tuning:\n%s", text);
    cr_assert_null(strstr(text, SCALA_DIR), "the saved path is lilv's mapping, not the "
                                            "absolute one:\n%s", text);
    LilvState *back = lilv_state_new_from_file(hb_lilv(world), hb_map(world), NULL, file);
    cr_assert_not_null(back, "lilv reads the saved state back");
    cr_assert(hb_instantiate(&b, world, false, RATE));
    lilv_instance_activate(b.inst);
    lilv_state_restore(back, b.inst, ignore_port_value, NULL, 0, hb_features(world));
    lilv_state_free(back);
    cr_assert_str_eq(hb_take_log(world), "", "restored without complaint");
    get_all(&b, got);
    char *want = realpath(fixture("bohlen-p_et.scl"), NULL);
    char *have = realpath(got[0], NULL);
    cr_assert_not_null(have, "the restored path %s exists", got[0]);
    cr_assert_str_eq(have, want, "the restored path %s is the saved file", got[0]);
    free(want);
    free(have);
    hb_free(&b);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}
