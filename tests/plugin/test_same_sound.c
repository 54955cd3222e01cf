/* test_same_sound.c — the plugin is a shell: for every preset, the same
 * stimulus and the same MIDI at the same frames, its outputs equal the
 * engine's (driven directly, in one pass) sample for sample, whatever block
 * sizes the host uses. The plugin, the JACK client and the renderer
 * are shells around one engine (README.md, "How it is built"). */
#include "engine.h"
#include "host.h"
#include "synapses.h"

#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0
#define FRAMES 24000u

static const uint32_t block_sizes[] = {1, 7, 64, 1000, 8192, 3, 333, 4096};

/* MIDI at fixed frames of the whole render. */
static const uint8_t midi[][3] = {{0x90, 60, 100}, {0x90, 64, 80}, {0x80, 60, 0},
                                  {0x80, 64, 0}};
static const uint32_t midi_at[] = {1234, 5000, 9001, 17777};
#define N_MIDI (sizeof midi_at / sizeof midi_at[0])

static hb_world *world;

static void
setup(void)
{
    /* The real-time guard thins the plugin's bank when a block runs late
     * (a loaded machine, a sanitizer, valgrind: this test failed there, one
     * run in 16 to 40 on the shared machine, the plugin silent where the
     * engine was not); this test compares bits, so the guard is off (it has
     * its own tests: the guard grid, tests/reliability). */
    setenv("HILLOCK_GUARD", "off", 1);
    world = hb_world_new();
}

static void
teardown(void)
{
    hb_world_free(world);
}

TestSuite(same_sound, .init = setup, .fini = teardown, .timeout = 120);

static float
stimulus_at(uint32_t f)
{
    return 0.25f * sinf((float)f * 2.0f * 3.14159265f * 220.0f / (float)RATE);
}

typedef struct {
    float *left, *right, *cv[4];
} render;

static void
render_alloc(render *r)
{
    r->left = calloc(FRAMES, sizeof(float));
    r->right = calloc(FRAMES, sizeof(float));
    for (int i = 0; i < 4; ++i)
        r->cv[i] = calloc(FRAMES, sizeof(float));
}

static void
render_free(render *r)
{
    free(r->left);
    free(r->right);
    for (int i = 0; i < 4; ++i)
        free(r->cv[i]);
}

/* The reference: the engine alone, split only at the MIDI frames. */
static void
render_engine(const float values[PARAM_COUNT], bool cv, render *out)
{
    engine *e = engine_create(RATE);
    cr_assert_not_null(e);
    /* a coupled network's settled start pre-rolled at once, as the plugin's
     * worker (run after each block below) does it */
    engine_set_settle_mode(e, ENGINE_SETTLE_AT_ONCE);
    engine_set_all_params(e, values);
    /* stored synapses (plasticity, delays), as the plugin's worker builds
     * them: asked for in its first block, attached from its second (before
     * any spike). When matters: the table's clock starts when it is
     * attached, and STDP's reference frames (stdp.c) start at multiples of
     * that clock, so the rounding of the learned weights follows it. */
    synapse_table *syn = NULL;
    const int build = engine_synapses_status(e) == ENGINE_SYNAPSES_REBUILD;
    float *stim = malloc(FRAMES * sizeof(float)), *cv_in = malloc(FRAMES * sizeof(float));
    for (uint32_t f = 0; f < FRAMES; ++f) {
        stim[f] = stimulus_at(f);
        cv_in[f] = 0.1f;
    }
    uint32_t pos = 0;
    for (uint32_t m = 0; m <= N_MIDI; ++m) {
        uint32_t end = m < N_MIDI ? midi_at[m] : FRAMES;
        engine_io io = {
            .aligned = 1, /* as the plugin asks: CV as late as the audio */
            .stimulus = stim + pos,
            .cv_in = cv ? cv_in + pos : NULL,
            .out_left = out->left + pos,
            .out_right = out->right + pos,
            .cv_focus_v = out->cv[0] + pos,
            .cv_dend_v = out->cv[1] + pos,
            .cv_gate = out->cv[2] + pos,
            .cv_rate = out->cv[3] + pos,
        };
        uint32_t first = 0;
        if (build && !syn) {
            /* the plugin's first block, then its worker's table */
            first = block_sizes[0] < end - pos ? block_sizes[0] : end - pos;
            engine_process(e, &io, first);
            network_params np = {0};
            uint32_t n;
            char err[256];
            engine_synapse_wiring(e, &np.seed, &n, &np.p);
            syn = synapses_build(&np, n, err, sizeof err);
            cr_assert_not_null(syn, "%s", err);
            engine_set_synapses(e, syn);
            io.stimulus += first;
            if (io.cv_in)
                io.cv_in += first;
            io.out_left += first;
            io.out_right += first;
            io.cv_focus_v += first;
            io.cv_dend_v += first;
            io.cv_gate += first;
            io.cv_rate += first;
        }
        engine_process(e, &io, end - pos - first);
        pos = end;
        if (m < N_MIDI)
            engine_midi(e, midi[m], 3);
    }
    free(stim);
    free(cv_in);
    engine_destroy(e);
    synapses_free(syn);
}

static void
render_plugin(bool cv, const LilvNode *preset, float values[PARAM_COUNT], render *out)
{
    hb_instance h;
    cr_assert(hb_instantiate(&h, world, cv, RATE));
    if (preset)
        cr_assert_gt(hb_apply_preset(&h, preset, values), 0);
    else
        param_defaults(values);
    lilv_instance_activate(h.inst);
    uint32_t pos = 0;
    for (size_t b = 0; pos < FRAMES; ++b) {
        uint32_t n = block_sizes[b % (sizeof block_sizes / sizeof block_sizes[0])];
        if (n > FRAMES - pos)
            n = FRAMES - pos;
        for (uint32_t f = 0; f < n; ++f) {
            h.audio[PORT_STIMULUS][f] = stimulus_at(pos + f);
            h.audio[PORT_CV_STIMULUS][f] = 0.1f;
        }
        uint8_t ev[N_MIDI][3];
        uint32_t at[N_MIDI], n_ev = 0;
        for (uint32_t m = 0; m < N_MIDI; ++m)
            if (midi_at[m] >= pos && midi_at[m] < pos + n) {
                memcpy(ev[n_ev], midi[m], 3);
                at[n_ev++] = midi_at[m] - pos;
            }
        hb_prepare_events(&h, (const uint8_t(*)[3])ev, at, n_ev);
        lilv_instance_run(h.inst, n);
        hb_worker_settle(&h); /* a prompt worker thread */
        memcpy(out->left + pos, h.audio[PORT_OUT_LEFT], n * sizeof(float));
        memcpy(out->right + pos, h.audio[PORT_OUT_RIGHT], n * sizeof(float));
        if (cv)
            for (int i = 0; i < 4; ++i)
                memcpy(out->cv[i] + pos, h.audio[PORT_CV_FOCUS_V + i], n * sizeof(float));
        pos += n;
    }
    hb_free(&h);
}

static void
assert_same(const float *a, const float *b, const char *what, const char *preset)
{
    for (uint32_t f = 0; f < FRAMES; ++f)
        cr_assert(a[f] == b[f] || (isnan(a[f]) && isnan(b[f])),
                  "%s, %s: frame %u: plugin %.9g, engine %.9g", preset, what, f, (double)a[f],
                  (double)b[f]);
}

static void
compare(bool cv, const LilvNode *preset)
{
    const char *name = preset ? lilv_node_as_uri(preset) : "defaults";
    float values[PARAM_COUNT];
    render p, e;
    render_alloc(&p);
    render_alloc(&e);
    render_plugin(cv, preset, values, &p);
    render_engine(values, cv, &e);
    assert_same(p.left, e.left, "out_left", name);
    assert_same(p.right, e.right, "out_right", name);
    if (cv) {
        const char *names[4] = {"cv_focus_v", "cv_dend_v", "cv_gate", "cv_rate"};
        for (int i = 0; i < 4; ++i)
            assert_same(p.cv[i], e.cv[i], names[i], name);
    }
    render_free(&p);
    render_free(&e);
}

Test(same_sound, bank_equals_the_engine_for_every_preset)
{
    const LilvNode *presets[HB_MAX_PRESETS];
    int n = hb_presets(world, false, presets, HB_MAX_PRESETS);
    cr_assert_gt(n, 0);
    compare(false, NULL);
    for (int i = 0; i < n; ++i)
        compare(false, presets[i]);
}

Test(same_sound, bank_cv_equals_the_engine_for_every_preset)
{
    const LilvNode *presets[HB_MAX_PRESETS];
    int n = hb_presets(world, true, presets, HB_MAX_PRESETS);
    cr_assert_gt(n, 0);
    compare(true, NULL);
    for (int i = 0; i < n; ++i)
        compare(true, presets[i]);
}
