/* An uncoupled bank on a thread pool steps runs of frames ahead of them
 * (dsp/frame_ahead.c, dsp/bank_ahead.h): the render must be bit-identical
 * to one thread's, with runs cut short wherever an input changes (a MIDI
 * note, a parameter and its glide, stimulus audio, CV in, the end of an
 * engine_process call of any length), for HH and Izhikevich, with noise
 * and without, on two and three threads; a coupled bank keeps a step's
 * threads together at every step and matches too, and a graph without
 * weights is the uncoupled bank. */
#include "engine.h"
#include "workers.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES 4800u
#define MAX_SPIKES 40000u

typedef struct {
    float left[FRAMES], right[FRAMES], trace[FRAMES], slow[FRAMES], cv[FRAMES];
    engine_spike spikes[MAX_SPIKES];
    uint32_t n_spikes;
    engine_midi_event midi[4096];
    uint32_t n_midi;
    engine_stats stats;
} render_out;

/* A runner on the calling thread that does the parts backwards: the
 * result must not depend on the order or thread the parts run on. */
static void
backwards(void *pool, engine_job job, void *arg, unsigned parts)
{
    (void)pool;
    for (unsigned p = parts; p-- > 0;)
        job(arg, p);
}

/* The parts in order on the calling thread: the last range's thread is
 * the calling thread, and plays the frames it is given after its range */
static void
forwards(void *pool, engine_job job, void *arg, unsigned parts)
{
    (void)pool;
    for (unsigned p = 0; p < parts; ++p)
        job(arg, p);
}

/* engine_process calls of uneven lengths: runs end where a call ends */
static const uint32_t block_sizes[] = {37, 300, 91, 128, 1, 250, 64, 333, 7, 512};
#define N_SIZES (sizeof block_sizes / sizeof block_sizes[0])

/* What happens before the call that starts at frame `done` (call k):
 * with `events` 1, a MIDI note on and off, a drive change (a glide of 20 ms,
 * during which no run is taken), stimulus audio for one call and CV in for
 * another, the focus neuron and a level changed; with `events` 2 (WEIGHTS_ON),
 * the network's weights set from 0 at call 6. */
enum { WEIGHTS_ON = 2 };

static void
before_call(engine *e, uint32_t k, int events, engine_io *io, const float *audio)
{
    if (events == WEIGHTS_ON) {
        if (k == 6) {
            engine_set_param(e, P_W_EXC, 0.02f);
            engine_set_param(e, P_W_INH, 0.1f);
        }
        return;
    }
    if (!events)
        return;
    static const uint8_t on[3] = {0x90, 60, 100}, off[3] = {0x80, 60, 0};
    switch (k) {
    case 2: engine_midi(e, on, 3); break;
    case 4: engine_set_param(e, P_DRIVE, engine_get_param(e, P_DRIVE) * 1.2f); break;
    case 5: io->stimulus = audio; break;
    case 7: engine_midi(e, off, 3); break;
    case 8: io->cv_in = audio; break;
    case 10: engine_set_param(e, P_FOCUS, 1500.0f); break;
    case 12: engine_set_param(e, P_SPIKE_LEVEL, -9.0f); break;
    default: break;
    }
}

static render_out *
render(const float *values, engine_parallel_for run, void *pool, unsigned parts, int events)
{
    render_out *o = calloc(1, sizeof *o);
    cr_assert(o);
    engine *e = engine_create(48000);
    cr_assert(e);
    engine_set_all_params(e, values);
    engine_set_settle_mode(e, ENGINE_SETTLE_AT_ONCE); /* as hillock render does */
    engine_set_parallel(e, run, pool, parts);
    if (run == workers_run) /* the voices beside the serial part, as hillock render runs them */
        engine_set_parallel_tasks(e, workers_post, workers_wait);
    static float audio[FRAMES];
    for (uint32_t i = 0; i < FRAMES; ++i)
        audio[i] = 0.3f * sinf(0.01f * (float)i);
    static engine_spike block[8192];
    static engine_midi_event midi[1024];
    uint32_t done = 0;
    for (uint32_t k = 0; done < FRAMES; ++k) {
        uint32_t n = block_sizes[k % N_SIZES];
        n = n < FRAMES - done ? n : FRAMES - done;
        engine_io io = {.out_left = o->left + done, .out_right = o->right + done,
                        .trace_soma = o->trace + done, .trace_slow = o->slow + done,
                        .cv_focus_v = o->cv + done, .spikes = block, .spike_capacity = 8192,
                        .midi_out = midi, .midi_capacity = 1024};
        before_call(e, k, events, &io, audio + done);
        engine_process(e, &io, n);
        for (uint32_t s = 0; s < io.n_spikes && o->n_spikes < MAX_SPIKES; ++s) {
            o->spikes[o->n_spikes] = block[s];
            o->spikes[o->n_spikes++].offset += done;
        }
        for (uint32_t s = 0; s < io.n_midi_out && o->n_midi < 4096; ++s) {
            o->midi[o->n_midi] = midi[s];
            o->midi[o->n_midi++].frame += done;
        }
        done += n;
    }
    engine_get_stats(e, &o->stats);
    engine_destroy(e);
    return o;
}

static void
expect_identical(const render_out *a, const render_out *one, const char *what)
{
    cr_expect_eq(a->n_spikes, one->n_spikes, "%s: %u spikes, one thread %u", what, a->n_spikes,
                 one->n_spikes);
    cr_expect(memcmp(a->left, one->left, sizeof a->left) == 0 &&
                  memcmp(a->right, one->right, sizeof a->right) == 0,
              "%s: audio differs from one thread", what);
    cr_expect(memcmp(a->trace, one->trace, sizeof a->trace) == 0 &&
                  memcmp(a->slow, one->slow, sizeof a->slow) == 0 &&
                  memcmp(a->cv, one->cv, sizeof a->cv) == 0,
              "%s: the focus neuron's outputs differ from one thread", what);
    cr_expect(a->n_spikes == one->n_spikes &&
                  memcmp(a->spikes, one->spikes, a->n_spikes * sizeof a->spikes[0]) == 0,
              "%s: spike list differs from one thread", what);
    cr_expect(a->n_midi == one->n_midi &&
                  memcmp(a->midi, one->midi, a->n_midi * sizeof a->midi[0]) == 0,
              "%s: MIDI out differs from one thread", what);
    cr_expect(a->stats.spikes == one->stats.spikes &&
                  a->stats.model_time_ms == one->stats.model_time_ms &&
                  a->stats.nonfinite_resets == one->stats.nonfinite_resets,
              "%s: the engine's counts differ from one thread", what);
}

static void
bank(float *v, int model, float drive, float noise, float connectivity)
{
    param_defaults_absolute(v); /* drives in the model's unit */
    v[P_START] = START_REST;
    v[P_MODEL] = (float)model;
    v[P_NEURONS] = 2100; /* five mix blocks, the last off the vector grid */
    v[P_DRIVE] = drive;
    v[P_SPREAD] = 0.5f;
    v[P_NOISE] = noise;
    v[P_CONNECTIVITY] = connectivity;
    v[P_W_EXC] = 0.02f;
    v[P_W_INH] = 0.1f;
    v[P_FOCUS] = 700;
}

/* Every runner against one thread; `ahead`: whether runs are expected */
static void
expect_all_as_one(const float *v, int events, int ahead, const char *what)
{
    workers *two = workers_create(2), *three = workers_create(3);
    cr_assert(two && three, "could not start threads");
    render_out *one = render(v, NULL, NULL, 1, events);
    cr_expect(one->n_spikes > 50, "%s: fired only %u times", what, one->n_spikes);
    cr_expect_eq(one->stats.frames_ahead, 0, "%s: one thread steps every frame", what);
    struct {
        engine_parallel_for run;
        void *pool;
        unsigned parts;
        const char *name;
    } ways[] = {{workers_run, two, 2, "two threads"},
                {workers_run, three, 3, "three threads"},
                {forwards, NULL, 2, "two ranges, run in order"},
                {backwards, NULL, 3, "three ranges, run backwards"},
                {backwards, NULL, 5, "five ranges (one block each), run backwards"}};
    for (size_t k = 0; k < sizeof ways / sizeof ways[0]; ++k) {
        render_out *o = render(v, ways[k].run, ways[k].pool, ways[k].parts, events);
        char name[160];
        snprintf(name, sizeof name, "%s, %s", what, ways[k].name);
        expect_identical(o, one, name);
        if (ahead) /* most frames, not all: the changes cut the runs short */
            cr_expect(o->stats.frames_ahead > FRAMES / 2 && o->stats.frames_ahead < FRAMES,
                      "%s: %llu of %u frames stepped ahead", name,
                      (unsigned long long)o->stats.frames_ahead, FRAMES);
        else
            cr_expect_eq(o->stats.frames_ahead, 0, "%s: a coupled bank steps every frame",
                         name);
        free(o);
    }
    free(one);
    workers_destroy(two);
    workers_destroy(three);
}

Test(frames_ahead, uncoupled_hh_renders_bit_identically_with_runs_cut_short)
{
    float v[PARAM_COUNT];
    bank(v, MODEL_HH, 9.0f, 0.0f, 0.0f);
    expect_all_as_one(v, 1, 1, "HH");
    bank(v, MODEL_HH, 9.0f, 1.0f, 0.0f);
    expect_all_as_one(v, 1, 1, "HH with noise");
}

Test(frames_ahead, uncoupled_izhikevich_renders_bit_identically_with_runs_cut_short)
{
    float v[PARAM_COUNT];
    bank(v, MODEL_IZHIKEVICH, 10.0f, 0.0f, 0.0f);
    expect_all_as_one(v, 1, 1, "Izhikevich");
    bank(v, MODEL_IZHIKEVICH, 10.0f, 1.0f, 0.0f);
    expect_all_as_one(v, 1, 1, "Izhikevich with noise");
}

Test(frames_ahead, coupled_banks_step_every_frame_and_match)
{
    float v[PARAM_COUNT];
    bank(v, MODEL_HH, 9.0f, 1.0f, 0.1f);
    expect_all_as_one(v, 1, 0, "HH 10 % coupled");
    bank(v, MODEL_IZHIKEVICH, 10.0f, 1.0f, 0.1f);
    expect_all_as_one(v, 1, 0, "Izhikevich 10 % coupled");
}

/* A graph without weights (connectivity set, w_exc and w_inh 0, as a
 * user leaves them while dialling the network in) adds nothing to any
 * conductance (dsp/network.h, network_delivers): on two threads it steps
 * ahead as the uncoupled bank does, and renders that bank's one-thread
 * render bit for bit. */
Test(frames_ahead, a_graph_without_weights_steps_ahead_as_the_uncoupled_bank)
{
    float v[PARAM_COUNT];
    bank(v, MODEL_HH, 9.0f, 1.0f, 0.0f);
    render_out *uncoupled = render(v, NULL, NULL, 1, 1);
    v[P_CONNECTIVITY] = 0.1f;
    v[P_W_EXC] = v[P_W_INH] = 0.0f;
    workers *two = workers_create(2);
    cr_assert(two);
    render_out *o = render(v, workers_run, two, 2, 1);
    expect_identical(o, uncoupled, "HH 10 % connected without weights, two threads");
    /* most frames, not all: the changes cut the runs short */
    cr_expect(o->stats.frames_ahead > FRAMES / 2 && o->stats.frames_ahead < FRAMES,
              "%llu of %u frames stepped ahead", (unsigned long long)o->stats.frames_ahead,
              FRAMES);
    free(o);
    free(uncoupled);
    workers_destroy(two);
}

/* ... until its weights are set: from then on it is a coupled bank, whose
 * steps meet at every step, and the render stays one thread's. */
Test(frames_ahead, a_graph_given_weights_mid_render_steps_every_frame_from_then_on)
{
    float v[PARAM_COUNT];
    bank(v, MODEL_HH, 9.0f, 0.0f, 0.1f);
    v[P_W_EXC] = v[P_W_INH] = 0.0f;
    workers *two = workers_create(2);
    cr_assert(two);
    render_out *one = render(v, NULL, NULL, 1, WEIGHTS_ON);
    render_out *o = render(v, workers_run, two, 2, WEIGHTS_ON);
    expect_identical(o, one, "HH 10 %, weights set at call 6, two threads");
    /* calls 0-5 are 37 + 300 + 91 + 128 + 1 + 250 = 807 frames */
    cr_expect(o->stats.frames_ahead > 400 && o->stats.frames_ahead <= 807,
              "%llu frames stepped ahead, expected most of the 807 before the weights",
              (unsigned long long)o->stats.frames_ahead);
    free(o);
    free(one);
    workers_destroy(two);
}

Test(frames_ahead, without_changes_every_frame_but_the_first_steps_ahead)
{
    /* nothing changes: only the first frame (the synapses' branches and
     * the model's tables are set by a step first) and the frame after the
     * first table rebuild step as usual */
    float v[PARAM_COUNT];
    bank(v, MODEL_HH, 9.0f, 0.0f, 0.0f);
    workers *two = workers_create(2);
    cr_assert(two);
    render_out *one = render(v, NULL, NULL, 1, 0);
    render_out *o = render(v, workers_run, two, 2, 0);
    expect_identical(o, one, "HH, no changes, two threads");
    cr_expect(o->stats.frames_ahead >= FRAMES - 4u, "%llu of %u frames stepped ahead",
              (unsigned long long)o->stats.frames_ahead, FRAMES);
    free(o);
    free(one);
    workers_destroy(two);
}

/* A run's frames play in two parts (dsp/frame_ahead.c): the first on the
 * calling thread before its range, the rest after a range, by whichever of
 * the first and the last range's threads ends its range first. With both
 * ranges on one thread in order, the first range's thread asks first and
 * plays the rest, none after the last range; the render stays one
 * thread's. (On a real pool either thread may play it: the renders on two
 * and three threads above.) */
Test(frames_ahead, a_runs_rest_played_by_the_first_ranges_thread_plays_as_one_threads)
{
    float v[PARAM_COUNT];
    bank(v, MODEL_HH, 9.0f, 0.0f, 0.0f);
    v[P_SPREAD] = 0.0f; /* the two ranges alike */
    render_out *one = render(v, NULL, NULL, 1, 0);
    render_out *o = render(v, forwards, NULL, 2, 0);
    expect_identical(o, one, "HH, two ranges in order");
    cr_expect(o->stats.frames_ahead > 0, "no frame played ahead");
    cr_expect_eq(o->stats.frames_moved, 0u,
                 "%llu of %llu frames played ahead were played after the last range",
                 (unsigned long long)o->stats.frames_moved,
                 (unsigned long long)o->stats.frames_ahead);
    free(o);
    free(one);
}

/* A bank fast enough that a run holds fewer frames than a call's short
 * last run (AHEAD_FIRST_FRAMES, dsp/frame_ahead.c): 2100 Izhikevich neurons
 * at speed 60, many model steps a frame, so a run's rows (2^18
 * neuron-steps, dsp/bank_ahead.h) hold only a few frames. Every run must
 * stay within them (a run longer than its rows writes past them: the
 * sanitizers' build runs this test) and the render must be one thread's. */
Test(frames_ahead, runs_shorter_than_the_short_last_run_stay_within_their_rows)
{
    float v[PARAM_COUNT];
    bank(v, MODEL_IZHIKEVICH, 10.0f, 0.0f, 0.0f);
    v[P_SPEED] = 60.0f;
    render_out *one = render(v, NULL, NULL, 1, 0);
    cr_assert(one->stats.substeps * 8u > (1u << 18) / 2100u,
              "%u steps a frame: runs are not shorter than 8 frames here",
              one->stats.substeps);
    workers *two = workers_create(2);
    cr_assert(two);
    render_out *o = render(v, workers_run, two, 2, 0);
    expect_identical(o, one, "Izhikevich at speed 60, two threads");
    cr_expect(o->stats.frames_ahead > FRAMES / 2, "%llu of %u frames stepped ahead",
              (unsigned long long)o->stats.frames_ahead, FRAMES);
    free(o);
    free(one);
    workers_destroy(two);
}
