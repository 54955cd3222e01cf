/* Offline renders may step the bank on several threads
 * (engine_set_parallel): the output must be bit-identical to one thread,
 * whatever the number of parts and threads (dsp/bank.h). */
#include "engine.h"
#include "workers.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES 2400u

typedef struct {
    float left[FRAMES], right[FRAMES], trace[FRAMES];
    engine_spike spikes[20000];
    uint32_t n_spikes;
} render_out;

/* A runner on the calling thread that does the parts backwards: the result
 * must not depend on the order parts run in. */
static void
backwards(void *pool, engine_job job, void *arg, unsigned parts)
{
    (void)pool;
    for (unsigned p = parts; p-- > 0;)
        job(arg, p);
}

static render_out *
render(const float *values, engine_parallel_for run, void *pool, unsigned parts)
{
    render_out *o = calloc(1, sizeof *o);
    engine *e = engine_create(48000);
    cr_assert(e);
    engine_set_all_params(e, values);
    engine_set_parallel(e, run, pool, parts);
    static engine_spike block[8192];
    for (uint32_t done = 0; done < FRAMES; done += 240) {
        engine_io io = {.out_left = o->left + done, .out_right = o->right + done,
                        .trace_soma = o->trace + done, .spikes = block, .spike_capacity = 8192};
        engine_process(e, &io, 240);
        for (uint32_t s = 0; s < io.n_spikes && o->n_spikes < 20000; ++s) {
            o->spikes[o->n_spikes] = block[s];
            o->spikes[o->n_spikes++].offset += done;
        }
    }
    engine_destroy(e);
    return o;
}

static void
expect_identical(const render_out *a, const render_out *b, const char *what)
{
    cr_expect_eq(a->n_spikes, b->n_spikes, "%s: %u spikes, one thread %u", what, a->n_spikes,
                 b->n_spikes);
    cr_expect(memcmp(a->left, b->left, sizeof a->left) == 0 &&
                  memcmp(a->right, b->right, sizeof a->right) == 0 &&
                  memcmp(a->trace, b->trace, sizeof a->trace) == 0,
              "%s: output differs from one thread", what);
    cr_expect(a->n_spikes == b->n_spikes &&
                  memcmp(a->spikes, b->spikes, a->n_spikes * sizeof a->spikes[0]) == 0,
              "%s: spike list differs from one thread", what);
}

static void
coupled(float *v, int model, float drive)
{
    param_defaults_absolute(v); /* drives in the model's unit */
    v[P_START] = START_REST;
    v[P_MODEL] = (float)model;
    v[P_NEURONS] = 1003; /* parts end off the vector grid */
    v[P_DRIVE] = drive;
    v[P_SPREAD] = 0.3f;
    v[P_NOISE] = 1.0f;
    v[P_CONNECTIVITY] = 0.1f;
    v[P_W_EXC] = 0.02f;
    v[P_W_INH] = 0.1f;
    v[P_FOCUS] = 700;
}

Test(parallel, coupled_banks_render_bit_identically_on_several_threads)
{
    workers *w = workers_create(2);
    cr_assert(w, "could not start threads");
    const int models[] = {MODEL_HH, MODEL_IZHIKEVICH, MODEL_PINSKY_RINZEL};
    const float drives[] = {9.0f, 10.0f, 1.0f};
    for (int k = 0; k < 3; ++k) {
        float v[PARAM_COUNT];
        coupled(v, models[k], drives[k]);
        if (models[k] == MODEL_PINSKY_RINZEL)
            v[P_NEURONS] = 203; /* slow model: fewer neurons, still several parts */
        render_out *one = render(v, NULL, NULL, 1);
        cr_expect(one->n_spikes > 20, "model %d fired only %u times", models[k], one->n_spikes);
        render_out *back = render(v, backwards, NULL, 3);
        expect_identical(back, one, "three parts, run backwards");
        free(back);
        render_out *threads = render(v, workers_run, w, 2);
        expect_identical(threads, one, "two threads");
        free(threads);
        render_out *many = render(v, workers_run, w, 5);
        expect_identical(many, one, "five parts on two threads");
        free(many);
        free(one);
    }
    workers_destroy(w);
}

Test(parallel, gap_junctions_stay_on_one_thread_and_match)
{
    float v[PARAM_COUNT];
    coupled(v, MODEL_HH, 9.0f);
    v[P_GAP] = 0.05f;
    render_out *one = render(v, NULL, NULL, 1);
    render_out *back = render(v, backwards, NULL, 4);
    expect_identical(back, one, "gap junctions, four parts requested");
    free(one);
    free(back);
}
