/* The engine's whole state (engine_snapshot.h). Reference: the engine that
 * never stopped. An engine that loads a state saved after N1 frames (or the
 * first 100 frames after with spikes in flight) and
 * processes N2 more must give exactly the samples of frames N1 .. N1 + N2
 * of one run of N1 + N2 frames (memcmp), in other block sizes. The bank is
 * a coupled one with everything that keeps state between blocks: receptor
 * kinetics, axonal delays with spikes in flight, STDP traces, a Poisson
 * background and noise. A state refused for any reason (truncated,
 * trailing bytes, another version, a NaN, a parameter out of its range,
 * another configuration, a bad weight in the synapse section, which is
 * checked last) leaves the engine
 * as it was: its own state saved before and after is the same, byte for
 * byte. */
#include "engine.h"
#include "engine_snapshot.h"
#include "le_bytes.h"
#include "params.h"
#include "synapses.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { N1 = 9600, N2 = 10000, HEADER = 256 };

typedef struct {
    engine *e;
    synapse_table *t;
} net;

static net
net_create(int neurons)
{
    float v[PARAM_COUNT];
    param_defaults(v);
    v[P_MODEL] = MODEL_IZHIKEVICH;
    v[P_NEURONS] = (float)neurons;
    v[P_CONNECTIVITY] = 0.2f;
    v[P_W_EXC] = 0.5f;
    v[P_W_INH] = 1.0f;
    v[P_SYNAPSE_MODEL] = SYNAPSE_RECEPTORS;
    v[P_AXON_VELOCITY] = 0.5f;
    v[P_PLASTICITY] = 1.0f;
    v[P_POISSON_RATE] = 20.0f;
    v[P_POISSON_WEIGHT] = 0.5f;
    v[P_NOISE] = 2.0f;
    net n = {.e = engine_create(48000)};
    cr_assert_not_null(n.e);
    engine_set_all_params(n.e, v);
    engine_set_settle_mode(n.e, ENGINE_SETTLE_AT_ONCE); /* as hillock render: a settled start */
    network_params np = {0};
    uint32_t count;
    char err[256];
    engine_synapse_wiring(n.e, &np.seed, &count, &np.p);
    n.t = synapses_build(&np, count, err, sizeof err);
    cr_assert_not_null(n.t, "%s", err);
    engine_set_synapses(n.e, n.t);
    cr_assert_eq(engine_synapses_status(n.e), ENGINE_SYNAPSES_ACTIVE);
    return n;
}

static void
net_free(net n)
{
    engine_destroy(n.e);
    synapses_free(n.t);
}

/* frames in blocks of at most 512; l, r NULL: the output is not kept */
static void
run(engine *e, float *l, float *r, uint32_t frames, uint32_t block)
{
    for (uint32_t done = 0; done < frames;) {
        uint32_t k = frames - done < block ? frames - done : block;
        static float scratch_l[512], scratch_r[512];
        engine_io io = {.out_left = l ? l + done : scratch_l,
                        .out_right = r ? r + done : scratch_r};
        engine_process(e, &io, k);
        done += k;
    }
}

static uint8_t *
save(engine *e, size_t *size)
{
    uint8_t *data = NULL;
    char err[256];
    cr_assert(engine_state_save(e, &data, size, err, sizeof err), "%s", err);
    return data;
}

Test(snapshot, a_loaded_engine_continues_bit_for_bit)
{
    /* saved at N1 frames or the first 100 frames after it with spikes in
     * flight (which step has them depends on every bit of the run) */
    enum { LATEST = N1 + 4800 };
    static float la[LATEST + N2], ra[LATEST + N2], lc[N2], rc[N2];
    net b = net_create(48);
    run(b.e, NULL, NULL, N1, 100);
    uint32_t at = N1;
    for (; b.t->in_flight == 0 && at < LATEST; at += 100)
        run(b.e, NULL, NULL, 100, 100);
    size_t size;
    uint8_t *data = save(b.e, &size);
    cr_assert_gt(b.t->in_flight, 0u, "the save must catch spikes in flight");
    net_free(b);

    net a = net_create(48);
    run(a.e, la, ra, at + N2, 256);

    net c = net_create(48);
    char err[512];
    cr_assert(engine_state_load(c.e, data, size, 10.0f, err, sizeof err), "%s", err);
    free(data);
    run(c.e, lc, rc, N2, 333);
    cr_expect_eq(memcmp(lc, la + at, sizeof lc), 0, "left channel differs");
    cr_expect_eq(memcmp(rc, ra + at, sizeof rc), 0, "right channel differs");
    int same = 1;
    for (uint32_t s = 0; s < a.t->count; ++s)
        same &= c.t->weight[s].w == a.t->weight[s].w;
    cr_expect(same, "weights differ");
    int sound = 0, learned = 0;
    for (uint32_t k = 0; k < N2; ++k)
        sound |= lc[k] != 0.0f;
    for (uint32_t s = 0; s < a.t->count; ++s)
        learned |= a.t->weight[s].w != 1.0f;
    cr_expect(sound && learned, "silent or nothing learned: the test would mean nothing");
    net_free(a);
    net_free(c);
}

/* The payload offset of section `tag` */
static size_t
section(const uint8_t *data, size_t size, const char *tag)
{
    for (size_t pos = HEADER; pos + 24 <= size;) {
        uint64_t length = le_get64(data + pos + 16);
        if (strncmp((const char *)data + pos, tag, 16) == 0)
            return pos + 24;
        pos += 24 + (size_t)length;
    }
    cr_assert_fail("no section %s", tag);
    return 0;
}

static void
expect_refused_unchanged(engine *e, const uint8_t *bad, size_t size, const char *reason)
{
    size_t before_size, after_size;
    uint8_t *before = save(e, &before_size);
    char err[512] = "";
    cr_expect_not(engine_state_load(e, bad, size, 10.0f, err, sizeof err),
                  "a bad state (%s) was taken", reason);
    cr_expect_neq(strstr(err, reason), NULL, "'%s' does not say '%s'", err, reason);
    uint8_t *after = save(e, &after_size);
    cr_expect(before_size == after_size && memcmp(before, after, before_size) == 0,
              "a refused state (%s) changed the engine", reason);
    free(before);
    free(after);
}

/* A state loaded into an engine that has played something else continues
 * as the one that saved it: here the loading engine ran with NMDA subunits
 * on (its receptors keep two branches apart), the state was saved with the
 * default dendrite, whose branches the receptors keep as one
 * (receptors_set_branches). */
Test(snapshot, a_state_loaded_over_another_dendrite_continues_bit_for_bit)
{
    static float la[N1 + N2], ra[N1 + N2], lc[N2], rc[N2];
    net a = net_create(48);
    run(a.e, la, ra, N1 + N2, 256);
    net b = net_create(48);
    run(b.e, NULL, NULL, N1, 256);
    size_t size;
    uint8_t *data = save(b.e, &size);
    net_free(b);

    net c = net_create(48);
    engine_set_param(c.e, P_DENDRITE_MODE, (float)DENDRITE_NMDA);
    engine_set_param(c.e, P_BRANCH_SUBUNITS, 1.0f);
    run(c.e, NULL, NULL, 6000, 256);
    char err[512];
    cr_assert(engine_state_load(c.e, data, size, 10.0f, err, sizeof err), "%s", err);
    free(data);
    run(c.e, lc, rc, N2, 256);
    cr_expect_eq(memcmp(lc, la + N1, sizeof lc), 0, "left channel differs");
    cr_expect_eq(memcmp(rc, ra + N1, sizeof rc), 0, "right channel differs");
    net_free(a);
    net_free(c);
}

Test(snapshot, a_refused_state_leaves_the_engine_as_it_was)
{
    net b = net_create(48);
    run(b.e, NULL, NULL, N1, 256);
    size_t size;
    uint8_t *good = save(b.e, &size);
    net other = net_create(64);
    run(other.e, NULL, NULL, 6000, 256);
    size_t other_size;
    uint8_t *another = save(other.e, &other_size);
    net_free(other);

    net d = net_create(48);
    run(d.e, NULL, NULL, 6000, 256);
    uint8_t *bad = malloc(size + 1);
    memcpy(bad, good, size);
    bad[size] = 0;
    expect_refused_unchanged(d.e, bad, size / 2, "truncated");
    expect_refused_unchanged(d.e, bad, size + 1, "trailing data");
    expect_refused_unchanged(d.e, another, other_size, "another configuration");

    memcpy(bad, "hillock-state 7", 15);
    expect_refused_unchanged(d.e, bad, size, "version 7");
    memcpy(bad, good, size);

    /* neuron 0's first variable, after the bank's neuron count */
    const size_t var0 = section(good, size, "bank") + 4;
    le_putf(bad + var0, NAN);
    expect_refused_unchanged(d.e, bad, size, "not a finite number");
    memcpy(bad, good, size);

    /* a model that does not exist: the parameters as set come first */
    le_putf(bad + section(good, size, "engine") + 4u * P_MODEL, 99.0f);
    expect_refused_unchanged(d.e, bad, size, "is out of its range");
    memcpy(bad, good, size);

    /* the first synapse's weight (dsp/synapse_state.c: 128 + 48 bytes in),
     * found bad only once every other section passed its check */
    const size_t w0 = section(good, size, "synapses") + 176;
    le_putf(bad + w0, -1.0f);
    expect_refused_unchanged(d.e, bad, size, "weight -1 is not a number in");

    /* and the good one is taken */
    char err[512];
    cr_expect(engine_state_load(d.e, good, size, 10.0f, err, sizeof err), "%s", err);
    free(bad);
    free(good);
    free(another);
    net_free(b);
    net_free(d);
}

/* Damage anywhere: a state with bytes changed at random places is refused,
 * or taken and then processed without a fault (the ranges the load checks
 * keep every index inside its array; the sanitizer build runs this too). */
Test(snapshot, a_state_damaged_anywhere_is_refused_or_runs_safely)
{
    net b = net_create(48);
    run(b.e, NULL, NULL, 6000, 256);
    size_t size;
    uint8_t *good = save(b.e, &size);
    net_free(b);
    net d = net_create(48);
    uint8_t *bad = malloc(size);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    int refused = 0;
    for (int trial = 0; trial < 150; ++trial) {
        memcpy(bad, good, size);
        for (int k = 0; k < 1 + trial % 4; ++k) { /* splitmix64 places and values */
            x += 0x9E3779B97F4A7C15ull;
            uint64_t z = x;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            z ^= z >> 31;
            /* beyond the header half the time at random, else in the
             * small sections after the synapses' (counters and indices) */
            size_t at = (z & 1) ? HEADER + (size_t)((z >> 8) % (size - HEADER))
                                : section(good, size, "engine") + (size_t)((z >> 8) % 4096u);
            bad[at < size ? at : size - 1] = (uint8_t)(z >> 56);
        }
        char err[512];
        if (!engine_state_load(d.e, bad, size, 10.0f, err, sizeof err)) {
            refused++;
            continue;
        }
        run(d.e, NULL, NULL, 256, 256);
    }
    cr_expect_gt(refused, 10, "damage that should be found was taken");
    free(bad);
    free(good);
    net_free(d);
}
