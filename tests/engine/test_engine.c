/* The engine's rules: deterministic, block-size invariant, bounded,
 * robust to bad input. */
#include "engine.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES 24000u

typedef struct {
    float left[FRAMES], right[FRAMES];
    engine_spike spikes[8192];
    double spike_t[8192];
    unsigned n_spikes;
    engine_stats stats;
} render_out;

/* The engine's behaviour specified here: currents in uA/cm2, every neuron
 * from rest (the settled start has its own tests in tests/sound). */
static void
test_defaults(float v[PARAM_COUNT])
{
    param_defaults_absolute(v);
    v[P_START] = START_REST;
}

/* Render FRAMES with a cycling pattern of block sizes. */
static render_out *
render(const float *values, const unsigned *blocks, unsigned n_blocks, const float *stim)
{
    render_out *o = calloc(1, sizeof *o);
    engine *e = engine_create(48000);
    engine_set_all_params(e, values);
    engine_spike spikes[4096];
    for (unsigned done = 0, k = 0; done < FRAMES; ++k) {
        unsigned n = blocks[k % n_blocks];
        if (n > FRAMES - done)
            n = FRAMES - done;
        engine_io io = {.stimulus = stim ? stim + done : NULL,
                        .out_left = o->left + done,
                        .out_right = o->right + done,
                        .spikes = spikes,
                        .spike_capacity = 4096};
        engine_process(e, &io, n);
        for (unsigned s = 0; s < io.n_spikes && o->n_spikes < 8192; ++s) {
            o->spikes[o->n_spikes] = spikes[s];
            o->spike_t[o->n_spikes++] = done + spikes[s].offset + (double)spikes[s].frac;
        }
        done += n;
    }
    engine_get_stats(e, &o->stats);
    engine_destroy(e);
    return o;
}

static void
busy_bank(float *v)
{
    test_defaults(v);
    v[P_NEURONS] = 50;
    v[P_DRIVE] = 9;
    v[P_SPREAD] = 0.3f;
    v[P_NOISE] = 2;
    v[P_CONNECTIVITY] = 0.2f;
    v[P_W_EXC] = 0.05f;
    v[P_W_INH] = 0.3f;
    v[P_GAP] = 0.05f;
}

static int
identical(const render_out *a, const render_out *b)
{
    return memcmp(a->left, b->left, sizeof a->left) == 0 &&
           memcmp(a->right, b->right, sizeof a->right) == 0 && a->n_spikes == b->n_spikes &&
           memcmp(a->spike_t, b->spike_t, a->n_spikes * sizeof(double)) == 0;
}

Test(engine, output_is_bit_identical_whatever_the_block_sizes)
{
    float v[PARAM_COUNT];
    busy_bank(v);
    const unsigned one[] = {1}, odd[] = {7, 1, 333, 64, 5}, big[] = {4096}, std[] = {256};
    render_out *a = render(v, std, 1, NULL);
    render_out *b = render(v, one, 1, NULL);
    render_out *c = render(v, odd, 5, NULL);
    render_out *d = render(v, big, 1, NULL);
    cr_expect(a->n_spikes > 100, "busy bank fired only %u times", a->n_spikes);
    cr_expect(identical(a, b), "block 1 differs from 256");
    cr_expect(identical(a, c), "odd blocks differ from 256");
    cr_expect(identical(a, d), "block 4096 differs from 256");
    free(a), free(b), free(c), free(d);
}

Test(engine, same_seed_same_output_other_seed_other_noise)
{
    float v[PARAM_COUNT];
    busy_bank(v);
    const unsigned std[] = {256};
    render_out *a = render(v, std, 1, NULL);
    render_out *b = render(v, std, 1, NULL);
    v[P_SEED] = 2;
    render_out *c = render(v, std, 1, NULL);
    cr_expect(identical(a, b), "two runs with one seed differ");
    cr_expect(!identical(a, c), "another seed gave the same output");
    free(a), free(b), free(c);
}

Test(engine, audio_is_bounded_and_dc_free)
{
    float v[PARAM_COUNT];
    busy_bank(v);
    const unsigned std[] = {256};
    render_out *o = render(v, std, 1, NULL);
    double mean_l = 0, mean_r = 0;
    for (unsigned i = 0; i < FRAMES; ++i) {
        cr_assert(isfinite(o->left[i]) && isfinite(o->right[i]));
        cr_assert(fabsf(o->left[i]) <= 1.0f && fabsf(o->right[i]) <= 1.0f);
        if (i >= FRAMES / 2) {
            mean_l += o->left[i];
            mean_r += o->right[i];
        }
    }
    mean_l /= FRAMES / 2;
    mean_r /= FRAMES / 2;
    cr_expect(fabs(mean_l) < 0.05 && fabs(mean_r) < 0.05, "DC %g / %g", mean_l, mean_r);
    free(o);
}

/* NaN in the stimulus is ignored; an absurd stimulus breaks neurons, which are
 * caught, reset and counted; nothing non-finite leaves the engine. */
Test(engine, bad_stimulus_never_reaches_the_output)
{
    float v[PARAM_COUNT];
    test_defaults(v);
    v[P_NEURONS] = 4;
    v[P_INPUT_GAIN] = 200;
    static float stim[FRAMES];
    for (unsigned i = 0; i < FRAMES; ++i)
        stim[i] = (i % 3 == 0) ? NAN : (i % 3 == 1) ? INFINITY : 1e30f;
    const unsigned std[] = {256};
    render_out *o = render(v, std, 1, stim);
    for (unsigned i = 0; i < FRAMES; ++i)
        cr_assert(isfinite(o->left[i]) && fabsf(o->left[i]) <= 1.0f && isfinite(o->right[i]));
    cr_expect(o->stats.nonfinite_resets > 0, "absurd input went unnoticed");
    free(o);
}

Test(engine, absurd_parameters_are_sanitised)
{
    engine *e = engine_create(48000);
    engine_set_param(e, P_DRIVE, NAN);
    cr_expect_float_eq(engine_get_param(e, P_DRIVE), param_table[P_DRIVE].def, 1e-6f);
    engine_set_param(e, P_NEURONS, 1e9f);
    cr_expect_float_eq(engine_get_param(e, P_NEURONS), ENGINE_MAX_NEURONS, 1e-6f);
    engine_set_param(e, P_SPEED, -INFINITY);
    cr_expect_float_eq(engine_get_param(e, P_SPEED), param_table[P_SPEED].def, 1e-6f);
    engine_set_param(e, P_MODEL, 2.7f);
    cr_expect_float_eq(engine_get_param(e, P_MODEL), 3, 1e-6f);
    float l[64], r[64];
    engine_io io = {.out_left = l, .out_right = r};
    engine_process(e, &io, 64);
    for (int i = 0; i < 64; ++i)
        cr_expect(isfinite(l[i]) && isfinite(r[i]));
    engine_destroy(e);
}

Test(engine, refuses_an_absurd_sample_rate)
{
    cr_expect_null(engine_create(0));
    cr_expect_null(engine_create(NAN));
    cr_expect_null(engine_create(1e9));
}

Test(engine, substeps_follow_rate_and_speed)
{
    engine *e = engine_create(48000);
    float l[16], r[16];
    engine_io io = {.out_left = l, .out_right = r};
    engine_stats s;
    engine_process(e, &io, 16);
    engine_get_stats(e, &s);
    cr_expect_eq(s.substeps, 1, "HH at 48 kHz, speed 1: %u steps per frame", s.substeps);
    engine_set_param(e, P_SPEED, 10);
    engine_process(e, &io, 16);
    engine_get_stats(e, &s);
    /* 10 * 1000 / 48000 = 0.208 ms per frame, dt_max 0.02268 ms -> 10 steps */
    cr_expect_eq(s.substeps, 10, "speed 10: %u", s.substeps);
    engine_destroy(e);
}

/* engine_reset starts only the running neurons (and their last vector);
 * a neuron beyond them starts when the bank grows to it. So a bank that ran
 * big, shrank, was reset and grew again sounds exactly like a bank that was
 * never big (engine.h: "Every neuron back to its model's start state"). */
static void
grow_after(engine *e, float *l, float *r, uint32_t frames)
{
    engine_io io = {.out_left = l, .out_right = r};
    engine_set_param(e, P_NEURONS, 16);
    engine_reset(e);
    engine_process(e, &io, frames);
    engine_set_param(e, P_NEURONS, 300);
    engine_process(e, &io, frames);
}

Test(engine, reset_starts_the_running_neurons_and_growth_the_rest)
{
    enum { N = 960 };
    static float l1[N], r1[N], l2[N], r2[N];
    engine *fresh = engine_create(48000), *used = engine_create(48000);
    float v[PARAM_COUNT];
    test_defaults(v);
    v[P_NEURONS] = 2000;
    v[P_MODEL] = MODEL_IZHIKEVICH;
    v[P_LISTEN] = LISTEN_BANK;
    engine_set_all_params(fresh, v);
    engine_set_all_params(used, v);
    engine_io io = {.out_left = l2, .out_right = r2};
    for (int k = 0; k < 5; ++k)
        engine_process(used, &io, N); /* every neuron away from its start */
    grow_after(fresh, l1, r1, N);
    grow_after(used, l2, r2, N);
    cr_assert(!memcmp(l1, l2, sizeof l1) && !memcmp(r1, r2, sizeof r1),
              "a reset bank that grows differs from a fresh one");
    engine_destroy(fresh);
    engine_destroy(used);
}

/* A full spike list holds an even sample of the block (reservoir sampling,
 * Vitter 1985, algorithm R): 2048 identical neurons fire in one volley, so
 * keeping the first spikes would keep only neurons 0..511 of the first
 * volley. A uniform sample of the bank has mean index (n - 1)/2 = 1023.5
 * with a standard error of 591/sqrt(512) = 26; the test allows 4 of them. */
Test(engine, a_full_spike_list_holds_an_even_sample_of_the_block)
{
    enum { N = 2048, CAP = 512, BLOCK = 4800 };
    float v[PARAM_COUNT];
    test_defaults(v);
    v[P_NEURONS] = N;
    v[P_SPREAD] = 0;
    v[P_NOISE] = 0;
    v[P_DRIVE] = 20; /* fires at once from rest, then about every 10 ms */
    engine *e = engine_create(48000);
    engine_set_all_params(e, v);
    static float left[BLOCK], right[BLOCK];
    static engine_spike spikes[CAP];
    engine_io io = {.out_left = left, .out_right = right, .spikes = spikes, .spike_capacity = CAP};
    engine_process(e, &io, BLOCK);
    engine_stats st;
    engine_get_stats(e, &st);
    cr_assert_eq(io.n_spikes, CAP);
    cr_assert_eq((uint64_t)io.n_spikes + io.spikes_lost, st.spikes);
    cr_assert_gt(st.spikes, 4u * CAP, "several volleys expected, got %llu spikes",
                 (unsigned long long)st.spikes);
    double mean = 0;
    uint32_t top = 0, latest = 0;
    for (unsigned k = 0; k < CAP; ++k) {
        mean += spikes[k].neuron;
        top = spikes[k].neuron > top ? spikes[k].neuron : top;
        latest = spikes[k].offset > latest ? spikes[k].offset : latest;
    }
    mean /= CAP;
    cr_assert(fabs(mean - 1023.5) < 4 * 26.0, "mean neuron %.1f", mean);
    cr_assert_gt(top, N - 100, "highest neuron kept %u", top);
    cr_assert_gt(latest, BLOCK / 2, "latest spike kept at frame %u", latest);
    engine_destroy(e);
}

/* The stop query (engine_set_stop_query) is asked before every model step:
 * stopping at one ends the call there, and the frames before it are exactly
 * what an uninterrupted call makes (the contract in engine.h). */
typedef struct {
    unsigned long calls, stop_at; /* stop from the stop_at-th question on; 0: never */
} stop_counter;

static int
count_and_stop(void *arg)
{
    stop_counter *c = arg;
    ++c->calls;
    return c->stop_at && c->calls >= c->stop_at;
}

Test(engine, a_stop_query_ends_the_call_after_the_complete_frames)
{
    enum { N = 4800, CAP = 4096 };
    float v[PARAM_COUNT];
    busy_bank(v);
    v[P_SPEED] = 10; /* several model steps per frame, so the stop can fall mid-frame */
    v[P_CONNECTIVITY] = 0; /* the network asks too (test_network.c): count steps only */
    v[P_START] = START_REST; /* a settled start's pre-roll takes no model steps */
    static float left[2][N], right[2][N];
    static engine_spike spikes[2][CAP];
    engine_io io[2];
    stop_counter counter[2] = {{0, 0}, {0, 0}};
    uint32_t n_sub = 0;
    for (int k = 0; k < 2; ++k) {
        engine *e = engine_create(48000);
        engine_set_all_params(e, v);
        engine_stats st;
        engine_process(e, &(engine_io){.out_left = left[k], .out_right = right[k]}, 0);
        engine_get_stats(e, &st);
        n_sub = st.substeps;
        if (k == 1) /* half-way through frame 3000 */
            counter[1].stop_at = 3000ul * n_sub + n_sub / 2 + 1;
        engine_set_stop_query(e, count_and_stop, &counter[k]);
        io[k] = (engine_io){.out_left = left[k], .out_right = right[k], .spikes = spikes[k],
                            .spike_capacity = CAP};
        engine_process(e, &io[k], N);
        engine_destroy(e);
    }
    cr_assert_gt(n_sub, 2u, "speed 10 should need several steps per frame");
    cr_expect_eq(io[0].n_done, N, "a query that never stops changes nothing");
    cr_expect_eq(counter[0].calls, (unsigned long)N * n_sub, "asked once per model step");
    cr_assert_eq(io[1].n_done, 3000u, "stopped in frame 3000, so 3000 frames are complete");
    cr_expect(memcmp(left[0], left[1], 3000 * sizeof(float)) == 0, "left differs");
    cr_expect(memcmp(right[0], right[1], 3000 * sizeof(float)) == 0, "right differs");
    cr_assert_eq(io[0].spikes_lost, 0u);
    unsigned before = 0;
    while (before < io[0].n_spikes && spikes[0][before].offset < 3000u)
        ++before;
    cr_assert_gt(before, 10u, "the busy bank fired in the first 3000 frames");
    cr_expect_eq(io[1].n_spikes, before, "exactly the spikes of the complete frames");
    cr_expect(memcmp(spikes[0], spikes[1], before * sizeof(engine_spike)) == 0);
}

/* A spike played from outside at once (engine_play_spike with no time
 * ahead, as hillock jack --osc-in plays live OSC input) is heard within the
 * block it is played in: its voice starts engine_latency() frames after the
 * block's first frame, where engine.h puts the sound of a spike at that
 * frame, and with aligned outputs its MIDI note and spike list entry leave
 * at the same frame. */
Test(engine, a_played_spike_sounds_within_its_block_at_the_latency)
{
    float v[PARAM_COUNT];
    test_defaults(v);
    v[P_NEURONS] = 1;
    v[P_DRIVE] = 0; /* HH below rheobase (6.3 uA/cm2): no spike of its own */
    v[P_MEMBRANE_LEVEL] = -60;
    v[P_SOURCE] = SOURCE_BOTH; /* the bank and a recorded unit, numbered after it */
    engine *a = engine_create(48000), *b = engine_create(48000);
    engine_set_all_params(a, v);
    engine_set_all_params(b, v);
    enum { BLOCK = 256 };
    float la[BLOCK], ra[BLOCK], lb[BLOCK], rb[BLOCK];
    engine_spike spikes[16];
    engine_midi_event midi[16];
    for (int k = 0; k < 40; ++k) { /* the same silence in both */
        engine_io ia = {.aligned = 1, .out_left = la, .out_right = ra};
        engine_io ib = {.aligned = 1, .out_left = lb, .out_right = rb};
        engine_process(a, &ia, BLOCK);
        engine_process(b, &ib, BLOCK);
    }
    const uint32_t latency = engine_latency(a);
    cr_assert_lt(latency, (uint32_t)BLOCK);
    engine_set_recorded_units(a, 1);
    cr_assert(engine_play_spike(a, 0, 0.0));
    engine_io ia = {.aligned = 1, .out_left = la, .out_right = ra, .spikes = spikes,
                    .spike_capacity = 16, .midi_out = midi, .midi_capacity = 16};
    engine_io ib = {.aligned = 1, .out_left = lb, .out_right = rb};
    engine_process(a, &ia, BLOCK);
    engine_process(b, &ib, BLOCK);
    /* the onset: the first frame 80 dB above nothing (the band-limited
     * click rings in at 1e-5 a few frames before) */
    int first = -1;
    for (int f = 0; f < BLOCK && first < 0; ++f)
        if (fabsf(la[f] - lb[f]) > 1e-4f || fabsf(ra[f] - rb[f]) > 1e-4f)
            first = f;
    cr_assert_geq(first, (int)latency, "heard at frame %d, before the latency %u", first,
                  latency);
    cr_assert_leq(first, (int)latency + 2, "heard at frame %d, the latency is %u", first,
                  latency);
    cr_assert_eq(ia.n_spikes, 1);
    cr_assert_eq(ia.spikes[0].neuron, 1, "recorded unit 0 is neuron 1 after the bank's one");
    cr_assert_eq(ia.spikes[0].offset, latency);
    cr_assert_eq(ia.n_midi_out, 1);
    cr_assert_eq(ia.midi_out[0].frame, latency);
    cr_assert_eq(ia.midi_out[0].data[0] & 0xf0, 0x90);
    engine_destroy(a);
    engine_destroy(b);
}
