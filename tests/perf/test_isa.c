/* Every instruction-set path computes the same thing: the kernels do the
 * same float operations in the same order (no FMA contraction in C11 mode),
 * so a busy bank of each model renders bit-identically on every path the CPU
 * can run (dsp/simd.h). The accuracy specifications themselves run on each
 * path through run_on_isa (tests/perf/meson.build). */
#include "engine.h"
#include "simd.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES 9600u
#define MAX_SPIKES 20000u

typedef struct {
    float left[FRAMES], right[FRAMES], trace[FRAMES];
    engine_spike spikes[MAX_SPIKES];
    uint32_t n_spikes;
    uint64_t resets;
} render_out;

static render_out *
render(const float *values, simd_isa isa)
{
    render_out *o = calloc(1, sizeof *o);
    engine *e = engine_create(48000);
    cr_assert(e);
    cr_assert_eq(engine_set_isa(e, isa), isa);
    engine_set_all_params(e, values);
    static engine_spike block_spikes[8192];
    for (uint32_t done = 0; done < FRAMES; done += 240) {
        engine_io io = {.out_left = o->left + done, .out_right = o->right + done,
                        .trace_soma = o->trace + done, .spikes = block_spikes,
                        .spike_capacity = 8192};
        engine_process(e, &io, 240);
        for (uint32_t s = 0; s < io.n_spikes && o->n_spikes < MAX_SPIKES; ++s) {
            o->spikes[o->n_spikes] = block_spikes[s];
            o->spikes[o->n_spikes++].offset += done;
        }
    }
    engine_stats st;
    engine_get_stats(e, &st);
    o->resets = st.nonfinite_resets;
    engine_destroy(e);
    return o;
}

/* 203 neurons: not a multiple of any vector width, so every tail runs too. */
static void
busy(float *v, int model, float drive)
{
    param_defaults(v);
    v[P_MODEL] = (float)model;
    v[P_NEURONS] = 203;
    v[P_DRIVE] = drive;
    v[P_SPREAD] = 0.4f;
    v[P_NOISE] = 1.0f;
    v[P_CONNECTIVITY] = 0.1f;
    v[P_W_EXC] = 0.05f;
    v[P_W_INH] = 0.2f;
    v[P_FOCUS] = 202;
}

static void
expect_same_on_every_path(const float *v, const char *what)
{
    render_out *ref = render(v, SIMD_SCALAR);
    cr_expect(ref->n_spikes > 50, "%s: the reference fired only %u times", what, ref->n_spikes);
    for (int k = 1; k < SIMD_COUNT; ++k) {
        if (!simd_supported((simd_isa)k)) {
            cr_log_warn("%s: this CPU cannot run %s; not compared", what, simd_name((simd_isa)k));
            continue;
        }
        render_out *o = render(v, (simd_isa)k);
        cr_expect_eq(o->n_spikes, ref->n_spikes, "%s on %s: %u spikes, sse2 %u", what,
                     simd_name((simd_isa)k), o->n_spikes, ref->n_spikes);
        cr_expect(memcmp(o->trace, ref->trace, sizeof o->trace) == 0,
                  "%s on %s: voltage trace differs from sse2", what, simd_name((simd_isa)k));
        cr_expect(memcmp(o->left, ref->left, sizeof o->left) == 0 &&
                      memcmp(o->right, ref->right, sizeof o->right) == 0,
                  "%s on %s: audio differs from sse2", what, simd_name((simd_isa)k));
        cr_expect(o->n_spikes == ref->n_spikes &&
                      memcmp(o->spikes, ref->spikes, o->n_spikes * sizeof o->spikes[0]) == 0,
                  "%s on %s: spike list differs from sse2", what, simd_name((simd_isa)k));
        free(o);
    }
    free(ref);
}

Test(isa, hh_is_bit_identical_on_every_path)
{
    float v[PARAM_COUNT];
    busy(v, MODEL_HH, 9.0f);
    expect_same_on_every_path(v, "hh");
    v[P_TEMPERATURE] = 20.0f; /* another phi: the tables are rebuilt */
    v[P_GAP] = 0.05f;         /* gap junctions: the whole bank is one chunk */
    expect_same_on_every_path(v, "hh warm, gap junctions");
}

Test(isa, pinsky_rinzel_is_bit_identical_on_every_path)
{
    float v[PARAM_COUNT];
    busy(v, MODEL_PINSKY_RINZEL, 1.5f);
    v[P_NEURONS] = 61;
    v[P_FOCUS] = 60;
    expect_same_on_every_path(v, "pinsky_rinzel");
}

Test(isa, izhikevich_is_bit_identical_on_every_path)
{
    float v[PARAM_COUNT];
    busy(v, MODEL_IZHIKEVICH, 10.0f);
    expect_same_on_every_path(v, "izhikevich");
}

Test(isa, hindmarsh_rose_is_bit_identical_on_every_path)
{
    float v[PARAM_COUNT];
    busy(v, MODEL_HINDMARSH_ROSE, 3.0f);
    v[P_NOISE] = 0.1f;
    expect_same_on_every_path(v, "hindmarsh_rose");
}

Test(isa, a_path_is_capped_to_what_the_cpu_runs)
{
    engine *e = engine_create(48000);
    cr_assert(e);
    cr_expect_eq(engine_set_isa(e, SIMD_SCALAR), SIMD_SCALAR);
    cr_expect_eq(engine_isa(e), SIMD_SCALAR);
    simd_isa best = engine_set_isa(e, SIMD_AVX512);
    cr_expect(simd_supported(best));
    cr_expect_eq(best, simd_best());
    cr_expect_eq(simd_cap(SIMD_COUNT), simd_best());
    cr_expect_eq(simd_parse("avx2"), SIMD_AVX2);
    cr_expect_eq(simd_parse("sse2"), SIMD_SCALAR);
    cr_expect_eq(simd_parse("auto"), SIMD_COUNT);
    cr_expect_eq(simd_parse("neon"), -1);
    engine_destroy(e);
}

/* Two plugin instances in one host: each keeps the path it was given while
 * the other runs; neither setting reaches the other engine. */
Test(isa, each_engine_keeps_its_own_path)
{
    engine *a = engine_create(48000), *b = engine_create(48000);
    cr_assert(a && b);
    simd_isa best = simd_best();
    engine_set_isa(a, SIMD_SCALAR);
    engine_set_isa(b, best);
    cr_expect_eq(engine_isa(a), SIMD_SCALAR);
    cr_expect_eq(engine_isa(b), best);
    engine *c = engine_create(48000);
    cr_assert(c);
    cr_expect_eq(engine_isa(c), simd_default(), "a new engine starts on the default path");
    cr_expect_eq(engine_isa(a), SIMD_SCALAR);
    engine_destroy(a);
    engine_destroy(b);
    engine_destroy(c);
}
