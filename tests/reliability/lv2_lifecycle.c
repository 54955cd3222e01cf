/* lv2_lifecycle.c — the plugin binary as hosts really drive it, loaded with
 * dlopen() + lv2_descriptor() (no lilv in between, so every call and its
 * order is the test's), run as a plain program so it also runs under
 * valgrind (meson test 'lifecycle under valgrind').
 *
 *   lv2_lifecycle BUNDLE_DIR [quick]    e.g. build/lv2/hillock.lv2
 *
 * `quick` (for valgrind, ~30x slower) runs fewer cycles, instances and frames.
 *
 * Promises (LV2 core; docs/hosts.md and docs/reliability.md, "The plugin in hosts"):
 *  - every lifecycle order hosts use works: instantiate+cleanup with no
 *    activate; activate/deactivate cycles with and without run() between;
 *    deactivate with no run; cleanup with no deactivate; ports connected
 *    or reconnected after activate; run(0); one frame; 8192 frames;
 *  - instantiate refuses a host without urid:map (NULL, logged), and sample
 *    rates hosts never use (0, negative, NaN, 1e9) are refused or work;
 *  - 64 instances alive at once, of both plugins, stay independent: the same
 *    settings give the same samples, another instance's settings change
 *    nothing;
 *  - two instances run() on two threads at once give bit-identical output
 *    to running them one after the other (no shared mutable state);
 *  - state restore from an older version, a newer one and corrupted values
 *    returns an error status, logs a message, and the plugin plays on with
 *    its defaults.
 */
#include "ports.h"
#include "uris.h"

#include <lv2/atom/atom.h>
#include <lv2/core/lv2.h>
#include <lv2/log/log.h>
#include <lv2/midi/midi.h>
#include <lv2/state/state.h>
#include <lv2/urid/urid.h>

#include <dlfcn.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 8192u

static int failures, checks;
static int quick; /* argv[2] == "quick" */

#define CHECK(cond, ...)                                                                   \
    do {                                                                                   \
        ++checks;                                                                          \
        if (!(cond)) {                                                                     \
            ++failures;                                                                    \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                           \
            fprintf(stderr, __VA_ARGS__);                                                  \
            fputc('\n', stderr);                                                           \
        }                                                                                  \
    } while (0)

/* ---- host features: a thread-safe URID map and a log we can read ---- */

static pthread_mutex_t map_lock = PTHREAD_MUTEX_INITIALIZER;
static char *uris[512];
static uint32_t n_uris;
static char log_text[8192];

static LV2_URID
map_uri(LV2_URID_Map_Handle h, const char *uri)
{
    (void)h;
    pthread_mutex_lock(&map_lock);
    LV2_URID id = 0;
    for (uint32_t i = 0; i < n_uris && !id; ++i)
        if (!strcmp(uris[i], uri))
            id = i + 1;
    if (!id && n_uris < 512) {
        uris[n_uris] = strdup(uri);
        id = ++n_uris;
    }
    pthread_mutex_unlock(&map_lock);
    return id;
}

static int
log_vprintf(LV2_Log_Handle h, LV2_URID type, const char *fmt, va_list ap)
{
    (void)h;
    (void)type;
    size_t used = strlen(log_text);
    if (used + 1 < sizeof log_text)
        vsnprintf(log_text + used, sizeof log_text - used, fmt, ap);
    return 0;
}

static int
log_printf(LV2_Log_Handle h, LV2_URID type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = log_vprintf(h, type, fmt, ap);
    va_end(ap);
    return r;
}

static LV2_URID_Map map = {NULL, map_uri};
static LV2_Log_Log lv2_log = {NULL, log_printf, log_vprintf};
static const LV2_Feature f_map = {LV2_URID__map, &map}, f_log = {LV2_LOG__log, &lv2_log};
static const LV2_Feature *features[] = {&f_map, &f_log, NULL};
static const LV2_Feature *no_map[] = {&f_log, NULL};

static const LV2_Descriptor *desc[2];

/* ---- one instance and its buffers ---- */

typedef struct {
    const LV2_Descriptor *d;
    LV2_Handle h;
    bool cv;
    float *audio[PORT_CV_FIXED_COUNT];
    float controls[PARAM_COUNT];
    uint64_t in[64], out[8192]; /* atom buffers, 8-byte aligned */
} inst;

static void
connect(inst *x)
{
    uint32_t base = hillock_param_port_base(x->cv);
    for (uint32_t p = 0; p < base; ++p)
        x->d->connect_port(x->h, p,
                           p == PORT_EVENTS_IN    ? (void *)x->in
                           : p == PORT_EVENTS_OUT ? (void *)x->out
                                                  : (void *)x->audio[p]);
    for (uint32_t p = 0; p < PARAM_COUNT; ++p)
        x->d->connect_port(x->h, hillock_param_port_index(x->cv, p), &x->controls[p]);
}

static bool
make(inst *x, bool cv, double rate)
{
    memset(x, 0, sizeof *x);
    x->cv = cv;
    x->d = desc[cv];
    x->h = x->d->instantiate(x->d, rate, "/nonexistent/", features);
    if (!x->h)
        return false;
    for (uint32_t p = 0; p < PORT_CV_FIXED_COUNT; ++p)
        x->audio[p] = calloc(BLOCK, sizeof(float));
    param_defaults(x->controls);
    /* from rest, so each activation sounds in its first block: a settled
     * start's silent pre-roll takes what the CPU budget leaves, and under
     * valgrind (calibrated ~50x slower) it outlasts a cycle here (the
     * settled start itself: tests/sound/test_start.c, tests/engine/test_guard.c) */
    x->controls[P_START] = START_REST;
    connect(x);
    return true;
}

static void
destroy(inst *x)
{
    x->d->cleanup(x->h);
    for (uint32_t p = 0; p < PORT_CV_FIXED_COUNT; ++p)
        free(x->audio[p]);
}

/* One run(): empty input sequence, output capacity reset, a stimulus tone.
 * Returns 1 when every output sample is finite and audio within +-1. */
static int
run(inst *x, uint32_t n, uint64_t at)
{
    LV2_Atom_Sequence *in = (LV2_Atom_Sequence *)x->in, *out = (LV2_Atom_Sequence *)x->out;
    in->atom.size = sizeof(LV2_Atom_Sequence_Body);
    in->atom.type = map_uri(NULL, LV2_ATOM__Sequence);
    in->body.unit = in->body.pad = 0;
    out->atom.size = sizeof x->out - sizeof(LV2_Atom);
    out->atom.type = map_uri(NULL, LV2_ATOM__Chunk);
    for (uint32_t i = 0; i < n; ++i)
        x->audio[PORT_STIMULUS][i] = 0.3f * sinf(0.01f * (float)(at + i));
    x->d->run(x->h, n);
    uint32_t base = hillock_param_port_base(x->cv);
    for (uint32_t p = 0; p < base; ++p) {
        const hillock_fixed_port *fp = hillock_fixed_port_at(p);
        if (!fp->output || fp->type == PORT_TYPE_ATOM)
            continue;
        for (uint32_t i = 0; i < n; ++i)
            if (!isfinite(x->audio[p][i]) ||
                (fp->type == PORT_TYPE_AUDIO && fabsf(x->audio[p][i]) > 1.0f))
                return 0;
    }
    return 1;
}

/* Energy of the left output over `frames` in 256-frame runs. */
static double
play(inst *x, uint32_t frames, int *finite)
{
    double energy = 0;
    for (uint32_t done = 0; done < frames; done += 256) {
        *finite &= run(x, 256, done);
        for (uint32_t i = 0; i < 256; ++i)
            energy += (double)x->audio[PORT_OUT_LEFT][i] * x->audio[PORT_OUT_LEFT][i];
    }
    return energy;
}

static void
lifecycle_orders(void)
{
    for (int cv = 0; cv < 2; ++cv) {
        inst x;
        int ok = 1;
        /* instantiate + cleanup, never activated (hosts scanning plugins) */
        CHECK(make(&x, cv, 48000), "instantiate at 48 kHz");
        destroy(&x);

        /* the usual life, then cycles of activate/deactivate */
        CHECK(make(&x, cv, 48000), "instantiate");
        for (int cycle = 0; cycle < (quick ? 6 : 20); ++cycle) {
            x.d->activate(x.h);
            if (cycle % 3 != 2) /* and sometimes deactivate with no run */
                CHECK(play(&x, 4800, &ok) > 0.0, "cycle %d makes sound", cycle);
            x.d->deactivate(x.h);
        }
        CHECK(ok, "outputs finite and bounded over the cycles");
        destroy(&x);

        /* cleanup without deactivate */
        CHECK(make(&x, cv, 44100), "instantiate at 44.1 kHz");
        x.d->activate(x.h);
        play(&x, 1024, &ok);
        destroy(&x);

        /* ports connected after activate, reconnected between runs; run(0),
         * one frame and the largest block */
        CHECK(make(&x, cv, 96000), "instantiate at 96 kHz");
        x.d->activate(x.h);
        connect(&x);
        x.d->run(x.h, 0);
        ok &= run(&x, 1, 0);
        connect(&x);
        ok &= run(&x, BLOCK, 1);
        ok &= run(&x, 7, BLOCK + 1);
        CHECK(ok, "run(0), run(1), run(8192) finite and bounded (cv=%d)", cv);
        x.d->deactivate(x.h);
        x.d->activate(x.h);
        x.d->activate(x.h); /* a host that activates twice */
        ok &= run(&x, 64, 0);
        CHECK(ok, "after double activate");
        x.d->deactivate(x.h);
        destroy(&x);
    }
}

static void
refusals(void)
{
    log_text[0] = '\0';
    LV2_Handle h = desc[0]->instantiate(desc[0], 48000, "/nonexistent/", no_map);
    CHECK(h == NULL, "instantiate without urid:map must fail");
    if (h)
        desc[0]->cleanup(h);
    CHECK(strstr(log_text, "urid") != NULL || strstr(log_text, "map") != NULL,
          "the refusal is logged and names urid:map (log: \"%s\")", log_text);

    const double rates[] = {0.0, -48000.0, NAN, INFINITY, 1.0, 1e9};
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; ++i) {
        inst x;
        if (make(&x, false, rates[i])) {
            int ok = 1;
            x.d->activate(x.h);
            play(&x, 512, &ok);
            CHECK(ok, "instantiated at %g Hz, it must still play within bounds", rates[i]);
            destroy(&x);
        }
    }
}

#define MANY 64

static void
many_instances(void)
{
    static inst xs[MANY];
    int made = 0, ok = 1;
    const int many = quick ? 8 : MANY;
    for (int i = 0; i < many; ++i) {
        made += make(&xs[i], i & 1, 48000);
        xs[i].d->activate(xs[i].h);
    }
    CHECK(made == many, "%d of %d instances created", made, many);
    /* instance 2 with other settings; 0 and 4 stay alike */
    xs[2].controls[P_MODEL] = 2;
    xs[2].controls[P_DRIVE] = 30;
    xs[2].controls[P_DRIVE_MODE] = DRIVE_ABSOLUTE; /* uA/cm2 */
    for (uint32_t b = 0; b < 20; ++b)
        for (int i = 0; i < many; ++i)
            ok &= run(&xs[i], 256, (uint64_t)b * 256u);
    CHECK(ok, "%d instances finite and bounded", many);
    CHECK(!memcmp(xs[0].audio[PORT_OUT_LEFT], xs[4].audio[PORT_OUT_LEFT], 256 * sizeof(float)),
          "instances with the same settings play the same samples");
    CHECK(memcmp(xs[0].audio[PORT_OUT_LEFT], xs[2].audio[PORT_OUT_LEFT], 256 * sizeof(float)),
          "an instance with other settings plays other samples");
    for (int i = many - 1; i >= 0; --i) { /* in reverse, as some hosts do */
        xs[i].d->deactivate(xs[i].h);
        destroy(&xs[i]);
    }
}

/* ---- two threads ---- */

typedef struct {
    inst x;
    float *left; /* the whole render */
    uint32_t frames;
    int ok;
} job;

static void *
render_job(void *arg)
{
    job *j = arg;
    for (uint32_t done = 0; done < j->frames; done += 256) {
        j->ok &= run(&j->x, 256, done);
        memcpy(j->left + done, j->x.audio[PORT_OUT_LEFT], 256 * sizeof(float));
    }
    return NULL;
}

static void
setup_job(job *j, int which, uint32_t frames)
{
    make(&j->x, which, 48000);
    j->x.controls[P_NEURONS] = 64;
    j->x.controls[P_NOISE] = 3;
    j->x.controls[P_MODEL] = which ? 1 : 0;
    j->x.controls[P_CONNECTIVITY] = 0.2f;
    j->x.d->activate(j->x.h);
    j->frames = frames;
    j->ok = 1;
    j->left = calloc(frames, sizeof(float));
}

static void
two_threads(void)
{
    const uint32_t frames = (quick ? 24u : 188u) * 256u; /* 1 s each (quick: 1/8), whole runs */
    job alone[2], together[2];
    for (int k = 0; k < 2; ++k) {
        setup_job(&alone[k], k, frames);
        render_job(&alone[k]);
        setup_job(&together[k], k, frames);
    }
    pthread_t t[2];
    for (int k = 0; k < 2; ++k)
        pthread_create(&t[k], NULL, render_job, &together[k]);
    for (int k = 0; k < 2; ++k)
        pthread_join(t[k], NULL);
    for (int k = 0; k < 2; ++k) {
        CHECK(alone[k].ok && together[k].ok, "instance %d finite and bounded", k);
        CHECK(!memcmp(alone[k].left, together[k].left, frames * sizeof(float)),
              "instance %d on its own thread beside another plays the same samples as alone",
              k);
        free(alone[k].left);
        free(together[k].left);
        destroy(&alone[k].x);
        destroy(&together[k].x);
    }
}

/* ---- state ---- */

typedef struct {
    uint32_t key;
    const void *value;
    size_t size;
    uint32_t type;
} stored;

static const void *
retrieve(LV2_State_Handle handle, uint32_t key, size_t *size, uint32_t *type,
         uint32_t *flags)
{
    const stored *s = handle;
    if (!s || key != s->key)
        return NULL;
    *size = s->size;
    *type = s->type;
    *flags = LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE;
    return s->value;
}

static void
state_restore(void)
{
    inst x;
    make(&x, true, 48000);
    x.d->activate(x.h);
    const LV2_State_Interface *st = x.d->extension_data(LV2_STATE__interface);
    CHECK(st && st->restore, "state interface");
    if (!st)
        return;
    uint32_t key = map_uri(NULL, HILLOCK__stateVersion);
    uint32_t t_int = map_uri(NULL, LV2_ATOM__Int), t_str = map_uri(NULL, LV2_ATOM__String),
             t_float = map_uri(NULL, LV2_ATOM__Float);
    const int32_t older = 0, newer = HILLOCK_STATE_VERSION + 100, current = HILLOCK_STATE_VERSION;
    const float as_float = 1.0f;
    const char junk[] = "\xff\xfe garbage";
    struct {
        const char *what;
        stored s;
        int expect_ok;
    } cases[] = {
        {"no version (a host that saved only ports)", {0, NULL, 0, 0}, 1},
        {"the current version", {key, &current, sizeof current, t_int}, 1},
        {"a version older than any release", {key, &older, sizeof older, t_int}, 0},
        {"a newer version", {key, &newer, sizeof newer, t_int}, 0},
        {"the version as a float", {key, &as_float, sizeof as_float, t_float}, 0},
        {"the version as a string", {key, junk, sizeof junk, t_str}, 0},
        {"a version of the wrong size", {key, junk, 2, t_int}, 0},
        {"a version of size zero", {key, junk, 0, t_int}, 0},
    };
    int ok = 1;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        log_text[0] = '\0';
        LV2_State_Status r =
            st->restore(x.h, retrieve, cases[i].s.value ? &cases[i].s : NULL, 0, features);
        if (cases[i].expect_ok) {
            CHECK(r == LV2_STATE_SUCCESS, "%s: restores (status %d)", cases[i].what, r);
        } else {
            CHECK(r != LV2_STATE_SUCCESS, "%s: reports an error", cases[i].what);
            CHECK(strstr(log_text, "hillock") != NULL, "%s: logs a message (log: \"%s\")",
                  cases[i].what, log_text);
        }
        CHECK(play(&x, 2400, &ok) > 0.0, "%s: plays on", cases[i].what);
    }
    CHECK(ok, "finite and bounded after every restore");
    /* a state saved by this version restores */
    x.d->deactivate(x.h);
    destroy(&x);
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: lv2_lifecycle BUNDLE_DIR [quick]\n");
        return 2;
    }
    quick = argc > 2 && !strcmp(argv[2], "quick");
    char path[4096];
    snprintf(path, sizeof path, "%s/hillock.so", argv[1]);
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "lv2_lifecycle: %s\n", dlerror());
        return 1;
    }
    const LV2_Descriptor *(*descriptor)(uint32_t);
    *(void **)&descriptor = dlsym(lib, "lv2_descriptor");
    CHECK(descriptor != NULL, "lv2_descriptor exported");
    if (!descriptor)
        return 1;
    desc[0] = descriptor(0);
    desc[1] = descriptor(1);
    CHECK(desc[0] && !strcmp(desc[0]->URI, HILLOCK_BANK_URI), "descriptor 0 is %s",
          HILLOCK_BANK_URI);
    CHECK(desc[1] && !strcmp(desc[1]->URI, HILLOCK_BANK_CV_URI), "descriptor 1 is %s",
          HILLOCK_BANK_CV_URI);
    CHECK(descriptor(2) == NULL && descriptor(UINT32_MAX) == NULL, "no third descriptor");
    if (!desc[0] || !desc[1])
        return 1;

    lifecycle_orders();
    refusals();
    many_instances();
    two_threads();
    state_restore();

    /* the library stays loaded (as in most hosts), so leak reports can name
     * the plugin's functions */
    (void)lib;
    for (uint32_t i = 0; i < n_uris; ++i)
        free(uris[i]);
    printf("lv2_lifecycle: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
