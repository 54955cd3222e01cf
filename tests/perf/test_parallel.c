/* Offline renders may step the bank on several threads
 * (engine_set_parallel): the output must be bit-identical to one thread,
 * whatever the number of parts and threads (dsp/bank.h). */
#include "bank_mix.h"
#include "bank_split.h"
#include "engine.h"
#include "models/registry.h"
#include "stereo_mix.h"
#include "workers.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES 2400u
#define BLOCK 300u

typedef struct {
    float left[FRAMES], right[FRAMES], trace[FRAMES];
    engine_spike spikes[20000];
    uint32_t n_spikes;
    uint64_t frames_ahead; /* engine_stats.frames_ahead: played while a run stepped ahead */
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

/* Posted tasks (engine_set_parallel_tasks): none, the pool's, or run by
 * the waiting caller as late as it may (no pool thread ever took it) */
enum { TASKS_NONE, TASKS_POOL, TASKS_LATE };
static void (*late_task)(void *);
static void *late_arg;

static void
late_wait(void *pool)
{
    (void)pool;
    if (late_task)
        late_task(late_arg);
    late_task = NULL;
}

static void
late_post(void *pool, void (*task)(void *arg), void *arg)
{
    late_wait(pool);
    late_task = task;
    late_arg = arg;
}

/* Called before each block of BLOCK frames with the frames done, or NULL */
typedef void (*block_hook)(engine *e, uint32_t done);

static render_out *
render_with(const float *values, engine_parallel_for run, void *pool, unsigned parts,
            block_hook at_block, int tasks)
{
    render_out *o = calloc(1, sizeof *o);
    engine *e = engine_create(48000);
    cr_assert(e);
    engine_set_all_params(e, values);
    engine_set_settle_mode(e, ENGINE_SETTLE_AT_ONCE); /* as hillock render does */
    engine_set_parallel(e, run, pool, parts);
    if (tasks == TASKS_POOL) /* the voices beside the serial part, as hillock render runs them */
        engine_set_parallel_tasks(e, workers_post, workers_wait);
    else if (tasks == TASKS_LATE)
        engine_set_parallel_tasks(e, late_post, late_wait);
    static engine_spike block[8192];
    for (uint32_t done = 0; done < FRAMES; done += BLOCK) {
        if (at_block)
            at_block(e, done);
        engine_io io = {.out_left = o->left + done, .out_right = o->right + done,
                        .trace_soma = o->trace + done, .spikes = block, .spike_capacity = 8192};
        engine_process(e, &io, BLOCK);
        for (uint32_t s = 0; s < io.n_spikes && o->n_spikes < 20000; ++s) {
            o->spikes[o->n_spikes] = block[s];
            o->spikes[o->n_spikes++].offset += done;
        }
    }
    engine_stats st;
    engine_get_stats(e, &st);
    o->frames_ahead = st.frames_ahead;
    engine_destroy(e);
    return o;
}

static render_out *
render(const float *values, engine_parallel_for run, void *pool, unsigned parts)
{
    return render_with(values, run, pool, parts, NULL,
                       run == workers_run ? TASKS_POOL : TASKS_NONE);
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

/* A render of v on `parts` parts through run must match one thread's. */
static void
expect_as_one(const float *v, const render_out *one, engine_parallel_for run, void *pool,
              unsigned parts, const char *what)
{
    render_out *o = render(v, run, pool, parts);
    expect_identical(o, one, what);
    free(o);
}

static void
coupled(float *v, int model, float drive)
{
    param_defaults_absolute(v); /* drives in the model's unit */
    v[P_START] = START_REST;
    v[P_MODEL] = (float)model;
    v[P_NEURONS] = 2100; /* five mix blocks, the last off the vector grid */
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
            v[P_NEURONS] = 1100; /* slow model: fewer neurons, still three blocks */
        render_out *one = render(v, NULL, NULL, 1);
        cr_expect(one->n_spikes > 20, "model %d fired only %u times", models[k], one->n_spikes);
        expect_as_one(v, one, backwards, NULL, 3, "three parts, run backwards");
        expect_as_one(v, one, workers_run, w, 2, "two threads");
        expect_as_one(v, one, workers_run, w, 5, "five parts on two threads");
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
    expect_as_one(v, one, backwards, NULL, 4, "gap junctions, four parts requested");
    free(one);
}

Test(parallel, the_screen_alone_matches_too)
{
    /* listening to the focus neuron: the step screens without mixing */
    workers *w = workers_create(3);
    cr_assert(w, "could not start threads");
    float v[PARAM_COUNT];
    coupled(v, MODEL_HH, 9.0f);
    v[P_LISTEN] = LISTEN_FOCUS;
    render_out *one = render(v, NULL, NULL, 1);
    expect_as_one(v, one, workers_run, w, 3, "focus only, three threads");
    free(one);
    workers_destroy(w);
}

/* Parameters that change what a spike sounds like (scale, spike sound),
 * glided levels, the bank's size (a crossfade that restructures it) and
 * then its model (a settled start: sonify started anew where the network's
 * pre-roll is placed, 10 ms after the 10 ms fade, inside a block of 300
 * frames) in the middle of a render: the strikes, the band-limiting filter
 * and sonify, which a parallel step runs during the next step's neurons
 * (dsp/frame_voices.c), must see them where one thread does. */
static void
changes(engine *e, uint32_t done)
{
    if (done == BLOCK) {
        engine_set_param(e, P_SCALE, 3.0f);
        engine_set_param(e, P_SPIKE_SOUND, (float)SPIKE_SOUND_CLICK);
        engine_set_param(e, P_SPIKE_LEVEL, -12.0f);
        engine_set_param(e, P_DRIVE, 11.0f);
    } else if (done == 2 * BLOCK) {
        engine_set_param(e, P_NEURONS, 1600.0f);
        engine_set_param(e, P_MASTER_LEVEL, -3.0f);
    } else if (done == 3 * BLOCK) {
        engine_set_param(e, P_START, (float)START_SETTLED);
        engine_set_param(e, P_MODEL, (float)MODEL_IZHIKEVICH);
        engine_set_param(e, P_DRIVE, 10.0f);
    }
}

Test(parallel, changes_while_the_voices_run_beside_the_step_match_one_thread)
{
    workers *w = workers_create(2);
    cr_assert(w, "could not start threads");
    float v[PARAM_COUNT];
    coupled(v, MODEL_HH, 9.0f);
    /* coupled: a settled start pre-rolls the network at once, as hillock render does */
    render_out *one = render_with(v, NULL, NULL, 1, changes, TASKS_NONE);
    cr_expect(one->n_spikes > 100, "the bank fired only %u times", one->n_spikes);
    render_out *two = render_with(v, workers_run, w, 2, changes, TASKS_POOL);
    expect_identical(two, one, "two threads, parameters changed");
    free(two);
    two = render_with(v, workers_run, w, 2, changes, TASKS_NONE);
    expect_identical(two, one, "two threads, the voices a part of the step");
    free(two);
    two = render_with(v, backwards, NULL, 3, changes, TASKS_LATE);
    expect_identical(two, one, "the voices' task run by the caller when it waits");
    free(two);
    render_out *back = render_with(v, backwards, NULL, 4, changes, TASKS_NONE);
    expect_identical(back, one, "four parts backwards (the voices' part first)");
    free(back);
    free(one);
    workers_destroy(w);
}

/* hillock render switches between its threads and one thread between
 * blocks, as it times them (cli/thread_choice.h): on, off, off, on, off,
 * off ... here, with the changes above on top, so that a switch falls on
 * blocks where the bank restructures and the voices run beside the step. */
static workers *switch_pool;

static void
switch_threads(engine *e, uint32_t done)
{
    changes(e, done);
    engine_set_parallel(e, workers_run, switch_pool, (done / BLOCK) % 3u == 0u ? 2u : 1u);
}

Test(parallel, switching_between_threads_and_one_between_blocks_matches_one_thread)
{
    switch_pool = workers_create(2);
    cr_assert(switch_pool, "could not start threads");
    const int models[] = {MODEL_HH, MODEL_IZHIKEVICH};
    const float drives[] = {9.0f, 10.0f};
    for (int k = 0; k < 2; ++k) {
        float v[PARAM_COUNT];
        coupled(v, models[k], drives[k]);
        render_out *one = render_with(v, NULL, NULL, 1, changes, TASKS_NONE);
        cr_expect(one->n_spikes > 100, "the bank fired only %u times", one->n_spikes);
        render_out *switched = render_with(v, workers_run, switch_pool, 2, switch_threads,
                                           TASKS_POOL);
        expect_identical(switched, one, "two threads and one in turn");
        free(switched);
        v[P_CONNECTIVITY] = 0.0f; /* uncoupled: the runs step ahead of the frames */
        free(one);
        one = render_with(v, NULL, NULL, 1, changes, TASKS_NONE);
        switched = render_with(v, workers_run, switch_pool, 2, switch_threads, TASKS_POOL);
        expect_identical(switched, one, "uncoupled, two threads and one in turn");
        /* the switches took: some blocks stepped ahead on the pool, and only
         * those (three blocks of eight; on the pool throughout, all but each
         * call's last run of frames would) */
        cr_expect(switched->frames_ahead > 0 && switched->frames_ahead <= 3u * BLOCK,
                  "model %d: %llu of %u frames stepped ahead", models[k],
                  (unsigned long long)switched->frames_ahead, FRAMES);
        free(switched);
        free(one);
    }
    workers_destroy(switch_pool);
}

/* The bank's mix is summed per block of BANK_MIX_BLOCK neurons, blocks in
 * order: a bank of one block gives exactly stereo_mix_screened over the
 * bank (the mix before blocks existed), a larger one the blocks' sums
 * added in order, whoever computed them. */
Test(parallel, the_mix_is_the_blocks_summed_in_order)
{
    const model_desc *m = model_get(MODEL_HH);
    const uint32_t sizes[] = {300, BANK_MIX_BLOCK, 3 * BANK_MIX_BLOCK + 77};
    for (int t = 0; t < 3; ++t) {
        const uint32_t n = sizes[t];
        bank *b = bank_create(n);
        cr_assert(b);
        b->n = n;
        float *wl = calloc(n, sizeof(float)), *wr = calloc(n, sizeof(float));
        float *v = b->var[m->soma_var];
        for (uint32_t i = 0; i < n; ++i) {
            v[i] = -65.0f + 100.0f * (float)((i * 2654435761u) % 1000u) / 1000.0f;
            wl[i] = 0.01f + 0.001f * (float)(i % 7);
            wr[i] = 0.02f - 0.001f * (float)(i % 5);
        }
        bank_mix_request(b, BANK_MIX_STEREO, wl, wr, m->audio_center);
        float l, r;
        cr_expect_eq(bank_mix_total(b, m, simd_best(), &l, &r), 0, "all finite");
        float el = 0.0f, er = 0.0f;
        for (uint32_t lo = 0; lo < n; lo += BANK_MIX_BLOCK) {
            const uint32_t len = n - lo < BANK_MIX_BLOCK ? n - lo : BANK_MIX_BLOCK;
            float bl, br;
            stereo_mix_screened(simd_best(), v + lo, wl + lo, wr + lo, m->audio_center, len,
                                m->to_mV_a, m->to_mV_b, &bl, &br);
            el = lo ? el + bl : bl;
            er = lo ? er + br : br;
        }
        cr_expect(l == el && r == er, "%u neurons: %.9g %.9g, blocks in order %.9g %.9g", n,
                  (double)l, (double)r, (double)el, (double)er);
        v[n - 1] = NAN; /* the screen looks at the last block too */
        bank_mix_request(b, BANK_MIX_STEREO, wl, wr, m->audio_center);
        cr_expect_eq(bank_mix_total(b, m, simd_best(), &l, &r), 1, "%u neurons: NaN seen", n);
        free(wl);
        free(wr);
        bank_destroy(b);
    }
}

/* The cuts between the threads' ranges (dsp/bank_split.h) move towards the
 * range that ends first, one grain a step at most, settle inside the dead
 * band, and leave every range a grain at least: fed with ends whose
 * difference is known, as if each range took per_neuron a neuron plus a
 * fixed lateness. */
static void
split_step(bank_split *s, const double *late, double per_neuron)
{
    for (unsigned p = 0; p < s->parts; ++p) {
        s->part[p].start = 1000.0 + late[p];
        s->part[p].end = s->part[p].start + per_neuron * (double)(s->cut[p + 1] - s->cut[p]);
    }
    bank_split_update(s);
}

Test(parallel, the_cuts_move_towards_the_range_that_ends_first)
{
    bank_split *s = aligned_alloc(64, sizeof *s);
    cr_assert(s);
    memset(s, 0, sizeof *s);
    bank_split_reset(s, 2048, 2);
    cr_expect_eq(s->cut[1], 1024, "equal halves to start with");
    const double even[2] = {0.0, 0.0};
    for (int k = 0; k < 200; ++k)
        split_step(s, even, 3.0);
    cr_expect_eq(s->cut[1], 1024, "even ends: the cut stays (%u)", s->cut[1]);
    /* the second range starts 600 later (the frame's sound on its thread):
     * balanced when the first has 100 neurons more, 3 * 100 * 2 = 600 */
    const double late[2] = {0.0, 600.0};
    uint32_t last = s->cut[1];
    for (int k = 0; k < 1000; ++k) {
        split_step(s, late, 3.0);
        cr_assert(s->cut[1] == last || s->cut[1] == last + SPLIT_GRAIN,
                  "one grain a step, towards the late range: %u after %u", s->cut[1], last);
        last = s->cut[1];
    }
    /* the dead band is a grain's worth, 3 * 32 * 2 = 192: 1120 leaves a
     * difference of 24, 1088 one of 216 */
    cr_expect_eq(s->cut[1], 1120, "settles at 1120 (1124 balanced): %u", s->cut[1]);
    const uint32_t settled = s->cut[1];
    for (int k = 0; k < 1000; ++k)
        split_step(s, late, 3.0);
    cr_expect_eq(s->cut[1], settled, "and stays there");
    /* a thread away from its core for a long while: its range shrinks to a
     * grain, never to nothing */
    const double away[2] = {0.0, 1e9};
    for (int k = 0; k < 2000; ++k)
        split_step(s, away, 3.0);
    cr_expect_eq(s->cut[1], 2048 - SPLIT_GRAIN, "a grain left: %u", s->cut[1]);
    free(s);
}

Test(parallel, two_ranges_cut_inside_the_blocks_render_bit_identically)
{
    /* run backwards, the second range always ends first: the cut walks
     * down through the blocks, one grain at a time, so that most steps cut
     * a block in two pieces, mixed by the piece that ends last */
    float v[PARAM_COUNT];
    coupled(v, MODEL_HH, 9.0f);
    render_out *one = render(v, NULL, NULL, 1);
    expect_as_one(v, one, backwards, NULL, 2, "two ranges, run backwards");
    v[P_CONNECTIVITY] = 0.0f; /* uncoupled, the kept inputs */
    v[P_NOISE] = 0.0f;
    free(one);
    one = render(v, NULL, NULL, 1);
    expect_as_one(v, one, backwards, NULL, 2, "uncoupled, two ranges, run backwards");
    free(one);
}
