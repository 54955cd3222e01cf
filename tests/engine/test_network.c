/* The network: zero weights couple nothing, inhibition slows and excitation
 * speeds the bank, gap junctions lock neighbours, the seed fixes the network. */
#include "harness.h"
#include "network.h"
#include "network_rows.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int
same_spikes(const spike_record *a, const spike_record *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; ++i)
        if (a->t_ms[i] != b->t_ms[i] || a->neuron[i] != b->neuron[i])
            return 0;
    return 1;
}

static double
mean_rate(const spike_record *r, unsigned neurons, double ms)
{
    return 1000.0 * (double)r->n / (neurons * ms);
}

Test(network, zero_weights_couple_nothing)
{
    const char *bank = "model=hh,neurons=20,drive=10,spread=0.3,seed=7";
    char s[256];
    snprintf(s, sizeof s, "%s,connectivity=0", bank);
    spike_record alone = run_engine(48000, 500, s, 256);
    snprintf(s, sizeof s, "%s,connectivity=0.5,w_exc=0,w_inh=0", bank);
    spike_record wired = run_engine(48000, 500, s, 256);
    cr_expect(alone.n > 100);
    cr_expect(same_spikes(&alone, &wired), "zero weights changed the spikes");
    record_free(&alone);
    record_free(&wired);
}

static double
bank_rate(const char *bank, const char *extra, unsigned neurons)
{
    char s[320];
    snprintf(s, sizeof s, "%s%s", bank, extra);
    spike_record r = run_engine(48000, 500, s, 256);
    double rate = mean_rate(&r, neurons, 500);
    record_free(&r);
    return rate;
}

Test(network, inhibition_lowers_the_rate)
{
    const char *bank = "model=hh,neurons=40,drive=8,spread=0.2,seed=3,connectivity=0.2,"
                       "inhibitory_fraction=0.3";
    double r0 = bank_rate(bank, "", 40), ri = bank_rate(bank, ",w_inh=0.3", 40);
    fprintf(stderr, "HH bank: uncoupled %.1f Hz, inhibited %.1f Hz\n", r0, ri);
    cr_expect(ri < 0.8 * r0, "inhibition: %.1f vs %.1f Hz", ri, r0);
}

/* Izhikevich RS (type I: no bistability) for excitation. HH between 6.23 and
 * 9.75 uA/cm2 is bistable, and an excitatory volley can knock it onto its
 * stable rest state (Guttman et al. 1980), so excitation need not raise an HH
 * bank's rate. */
Test(network, excitation_raises_the_rate)
{
    const char *bank = "model=izhikevich,neurons=40,drive=5,spread=0.5,seed=3,"
                       "connectivity=0.2,inhibitory_fraction=0.3";
    double r0 = bank_rate(bank, "", 40), re = bank_rate(bank, ",w_exc=0.1", 40);
    fprintf(stderr, "Izhikevich bank: uncoupled %.1f Hz, excited %.1f Hz\n", r0, re);
    cr_expect(re > 1.3 * r0, "excitation: %.1f vs %.1f Hz", re, r0);
}

static size_t
count_neuron(const spike_record *r, unsigned who, double t0)
{
    size_t c = 0;
    for (size_t i = 0; i < r->n; ++i)
        c += r->neuron[i] == who && r->t_ms[i] >= t0;
    return c;
}

/* Two HH neurons driven at 7 and 13 uA/cm2 fire at different rates (58 vs
 * ~75 Hz, reference table); strong gap junctions make them fire together. */
Test(network, gap_junctions_lock_neighbours)
{
    spike_record apart = run_engine(48000, 1000, "model=hh,neurons=2,drive=10,spread=0.3", 256);
    spike_record joined =
        run_engine(48000, 1000, "model=hh,neurons=2,drive=10,spread=0.3,gap=0.5", 256);
    size_t a0 = count_neuron(&apart, 0, 500), a1 = count_neuron(&apart, 1, 500);
    size_t j0 = count_neuron(&joined, 0, 500), j1 = count_neuron(&joined, 1, 500);
    fprintf(stderr, "gap: apart %zu/%zu spikes, joined %zu/%zu\n", a0, a1, j0, j1);
    cr_expect(a1 >= a0 + 5, "uncoupled neurons should differ: %zu vs %zu", a0, a1);
    cr_expect(j0 == j1 || j0 + 1 == j1 || j1 + 1 == j0, "coupled: %zu vs %zu", j0, j1);
    record_free(&apart);
    record_free(&joined);
}

Test(network, the_seed_fixes_the_network)
{
    const char *bank = "model=hh,neurons=30,drive=9,spread=0.3,connectivity=0.2,w_exc=0.05,"
                       "w_inh=0.3";
    char s[256];
    snprintf(s, sizeof s, "%s,seed=1", bank);
    spike_record a = run_engine(48000, 300, s, 256);
    spike_record b = run_engine(48000, 300, s, 64);
    snprintf(s, sizeof s, "%s,seed=2", bank);
    spike_record c = run_engine(48000, 300, s, 256);
    cr_expect(same_spikes(&a, &b), "same seed, different spikes");
    cr_expect(!same_spikes(&a, &c), "another seed, same spikes");
    record_free(&a);
    record_free(&b);
    record_free(&c);
}

/* The connectivity is Erdős–Rényi without autapses (dsp/network.h): every
 * ordered pair i != j is a synapse with probability p, independently. So
 * over n neurons the synapse count is Binomial(n(n-1), p) and each neuron's
 * in-degree Binomial(n-1, p), with variance (n-1)p(1-p). Checked within 5
 * standard deviations (count) and 15 % (variance: its sampling error over
 * 2000 neurons is about 3 %). */
static void
check_erdos_renyi(float p, uint64_t seed)
{
    enum { N = 2000 };
    static float g[N], unused[N];
    memset(g, 0, sizeof g);
    network_params np = {.seed = seed, .p = p, .w_exc = 1.0f, .w_inh = 1.0f};
    for (uint32_t pre = 0; pre < N; ++pre) {
        float before = g[pre];
        network_deliver(&np, pre, N, 0, g, unused);
        cr_assert_eq(g[pre], before, "p=%g: neuron %u synapses onto itself", p, pre);
    }
    double total = 0, sq = 0;
    for (uint32_t t = 0; t < N; ++t) {
        total += g[t];
        sq += (double)g[t] * g[t];
    }
    const double pairs = (double)N * (N - 1), want = pairs * p;
    const double sd = sqrt(pairs * p * (1 - p));
    cr_expect(fabs(total - want) < 5 * sd, "p=%g: %.0f synapses, want %.0f +- %.0f", p, total,
              want, 5 * sd);
    double mean = total / N, var = sq / N - mean * mean;
    double want_var = (N - 1) * p * (1 - p);
    cr_expect(fabs(var / want_var - 1) < 0.15, "p=%g: in-degree variance %.2f, want %.2f", p,
              var, want_var);
}

Test(network, connectivity_is_erdos_renyi_without_autapses)
{
    check_erdos_renyi(0.1f, 7);
    check_erdos_renyi(0.5f, 8);
    check_erdos_renyi(0.002f, 9);
    /* dense graphs, drawn through their complement */
    check_erdos_renyi(0.8f, 10);
    check_erdos_renyi(0.99f, 11);
}

enum { STEP_N = 3000 };

/* One step of the delivery tests: STEP_N neurons, 20 % inhibitory, and
 * neurons 0, 1, 3, 4, 6, ... spiking; returns the spike count. */
static uint32_t
step_of_spikes(uint32_t *spiked, uint8_t *inh, uint8_t *branch)
{
    network_assign_types(inh, branch, STEP_N, 5, 0.2f);
    uint32_t count = 0;
    for (uint32_t i = 0; i < STEP_N; i += 1 + i % 3)
        spiked[count++] = i;
    return count;
}

/* A step's spikes delivered at once (network_deliver_step: the population
 * sum less the pairs not connected, for dense graphs) reach exactly the
 * targets of spike-by-spike delivery (network_deliver, which defines the
 * graph). With w = 1 every sum is an integer below 2^24, exact in float on
 * both paths, so the conductances must be equal bit for bit. */
Test(network, a_step_delivers_what_each_spike_would)
{
    enum { N = STEP_N };
    static float g_step[3][N], g_one[3][N], missed[3 * N];
    static uint8_t inh[N], branch[N];
    uint32_t spiked[N], count = step_of_spikes(spiked, inh, branch);
    const float ps[] = {0.3f, 0.5f, 0.51f, 0.8f, 0.999f, 1.0f};
    for (size_t k = 0; k < sizeof ps / sizeof ps[0]; ++k) {
        network_params np = {.seed = 21, .p = ps[k], .w_exc = 1.0f, .w_inh = 1.0f};
        memset(g_step, 0, sizeof g_step);
        memset(g_one, 0, sizeof g_one);
        float *const exc_step[2] = {g_step[0], g_step[1]};
        network_deliver_step(&np, spiked, count, N, inh, branch, exc_step, g_step[2], missed);
        for (uint32_t s = 0; s < count; ++s) {
            uint32_t pre = spiked[s];
            network_deliver(&np, pre, N, inh[pre], g_one[branch[pre]], g_one[2]);
        }
        for (int grp = 0; grp < 3; ++grp)
            for (uint32_t t = 0; t < N; ++t)
                cr_assert_eq(g_step[grp][t], g_one[grp][t], "p=%g group %d target %u: %g vs %g",
                             (double)ps[k], grp, t, (double)g_step[grp][t],
                             (double)g_one[grp][t]);
        /* and the work is bounded by n + count min(p, 1 - p) n (plus one
         * per spike), never count p n */
        double q = ps[k] > 0.5f ? 1.0 - ps[k] : ps[k];
        double bound = N + count * q * N + count + 1;
        cr_assert_leq((double)network_step_cost(&np, count, N), bound, "p=%g", (double)ps[k]);
    }
}

/* A delivery with a bound (network_params.g_bound, set by the bank while
 * every conductance is within its saturation bound) must give the bits of
 * the unbounded delivery followed by the bank's saturation pass
 * (g < g_max ? g : g_max over every conductance), which it replaces, on
 * every instruction-set path (AVX-512 adds from precomputed positions). The
 * weights are not integers and the conductances start at random values
 * up to the bound, so that sums round and many cross it. */
Test(network, a_bounded_delivery_is_the_saturated_one)
{
    enum { N = STEP_N };
    static float g_sat[3][N], g_bounded[3][N], missed[3 * N];
    static uint8_t inh[N], branch[N];
    uint32_t spiked[N], count = step_of_spikes(spiked, inh, branch);
    const float g_max = 0.7f;
    const float ps[] = {0.1f, 0.3f, 0.8f, 1.0f};
    for (int isa = 0; isa < SIMD_COUNT; ++isa) {
        if (!simd_supported((simd_isa)isa))
            continue;
        for (size_t k = 0; k < sizeof ps / sizeof ps[0]; ++k) {
            /* about 0.3 added to each conductance: some sums cross, some not */
            const float expected = ps[k] * (float)count;
            network_params np = {.seed = 5, .p = ps[k], .w_exc = 0.3f / (0.4f * expected),
                                 .w_inh = 0.3f / (0.2f * expected), .isa = (simd_isa)isa};
            uint32_t x = 12345u;
            unsigned crossed = 0;
            for (int grp = 0; grp < 3; ++grp)
                for (uint32_t t = 0; t < N; ++t) {
                    x = x * 1664525u + 1013904223u; /* Numerical Recipes' LCG */
                    g_sat[grp][t] = g_bounded[grp][t] = g_max * (float)(x >> 8) / 16777216.0f;
                }
            float *const exc_sat[2] = {g_sat[0], g_sat[1]};
            network_deliver_step(&np, spiked, count, N, inh, branch, exc_sat, g_sat[2], missed);
            for (int grp = 0; grp < 3; ++grp)
                for (uint32_t t = 0; t < N; ++t) {
                    crossed += g_sat[grp][t] > g_max;
                    g_sat[grp][t] = g_sat[grp][t] < g_max ? g_sat[grp][t] : g_max;
                }
            network_params bounded = np;
            bounded.g_bound = bounded.g_bound_exc = g_max;
            float *const exc_bounded[2] = {g_bounded[0], g_bounded[1]};
            network_deliver_step(&bounded, spiked, count, N, inh, branch, exc_bounded,
                                 g_bounded[2], missed);
            cr_expect(crossed > N / 4 && crossed < 3 * N * 3 / 4,
                      "p=%g: %u of %u sums crossed", (double)ps[k], crossed, 3 * N);
            for (int grp = 0; grp < 3; ++grp)
                for (uint32_t t = 0; t < N; ++t)
                    cr_assert_eq(g_bounded[grp][t], g_sat[grp][t],
                                 "%s p=%g group %d target %u: %a vs %a",
                                 simd_name((simd_isa)isa), (double)ps[k], grp, t,
                                 (double)g_bounded[grp][t], (double)g_sat[grp][t]);
        }
    }
}

/* The stop query of offline renders (network_params.stop) is asked every
 * NETWORK_STOP_EVERY spikes of a step; answering nonzero ends the delivery
 * there, which on the sparse path means exactly the spikes before it were
 * delivered. A query that never stops changes nothing. */
static unsigned long stop_questions, stop_from;

static int
stop_after(void *arg)
{
    (void)arg;
    return ++stop_questions >= stop_from;
}

Test(network, a_step_asks_the_stop_query_every_few_spikes)
{
    enum { N = STEP_N };
    static float g_ref[3][N], g_asked[3][N], missed[3 * N];
    static uint8_t inh[N], branch[N];
    uint32_t spiked[N], count = step_of_spikes(spiked, inh, branch);
    const float ps[] = {0.3f, 0.8f, 1.0f};
    for (size_t k = 0; k < sizeof ps / sizeof ps[0]; ++k) {
        network_params np = {.seed = 21, .p = ps[k], .w_exc = 1.0f, .w_inh = 1.0f};
        float *const exc_ref[2] = {g_ref[0], g_ref[1]}, *const exc_asked[2] = {g_asked[0],
                                                                              g_asked[1]};
        memset(g_ref, 0, sizeof g_ref);
        memset(g_asked, 0, sizeof g_asked);
        network_deliver_step(&np, spiked, count, N, inh, branch, exc_ref, g_ref[2], missed);
        network_params asked = np;
        asked.stop = stop_after;
        stop_questions = 0;
        stop_from = ~0ul; /* never */
        network_deliver_step(&asked, spiked, count, N, inh, branch, exc_asked, g_asked[2],
                             missed);
        cr_expect_eq(stop_questions, count / NETWORK_STOP_EVERY, "p=%g", (double)ps[k]);
        cr_expect(memcmp(g_ref, g_asked, sizeof g_ref) == 0, "p=%g: a query that never stops "
                  "changed the conductances", (double)ps[k]);

        stop_questions = 0;
        stop_from = 1; /* at the first question */
        memset(g_asked, 0, sizeof g_asked);
        network_deliver_step(&asked, spiked, count, N, inh, branch, exc_asked, g_asked[2],
                             missed);
        cr_expect_eq(stop_questions, 1ul, "p=%g: delivery went on after a stop", (double)ps[k]);
        if (ps[k] <= 0.5f) { /* spike by spike: the first ones are in */
            memset(g_ref, 0, sizeof g_ref);
            for (uint32_t s = 0; s < NETWORK_STOP_EVERY - 1u; ++s) {
                uint32_t pre = spiked[s];
                network_deliver(&np, pre, N, inh[pre], g_ref[branch[pre]], g_ref[2]);
            }
            cr_expect(memcmp(g_ref, g_asked, sizeof g_ref) == 0,
                      "p=%g: not the spikes before the stop", (double)ps[k]);
            /* the same with the rows kept (network_rows.h), as bitmaps at
             * this p: read from the store, the spikes before the stop are
             * in and none after it */
            network_rows *rows = network_rows_create(N, 1);
            cr_assert_not_null(rows);
            network_params kept = np;
            kept.rows = rows;
            memset(g_asked, 0, sizeof g_asked);
            network_deliver_step(&kept, spiked, count, N, inh, branch, exc_asked, g_asked[2],
                                 missed); /* draws and keeps every row */
            uint32_t len;
            cr_assert(network_rows_of(rows, spiked[0], &len) &&
                          network_rows_bitmap(rows, spiked[0]),
                      "p=%g: the first spike's row not kept as a bitmap", (double)ps[k]);
            kept.stop = stop_after;
            stop_questions = 0;
            memset(g_asked, 0, sizeof g_asked);
            network_deliver_step(&kept, spiked, count, N, inh, branch, exc_asked, g_asked[2],
                                 missed);
            cr_expect(memcmp(g_ref, g_asked, sizeof g_ref) == 0,
                      "p=%g, rows kept: not the spikes before the stop", (double)ps[k]);
            network_rows_destroy(rows);
        }
    }
}

/* Where the dendrite sums its branches before any nonlinearity, the
 * exponential synapses keep both branches' excitation in one array
 * (bank.h, exc_one_branch): the two decay with the same factor, so this is
 * exact but for rounding. Two driven excitatory HH neurons, one on each
 * branch, excite six at rest (all to all): their voltages are the same with
 * the branches kept apart, kept as one from the start, and kept apart until
 * they are merged in the middle of the run (1e-4 mV, against EPSPs of
 * millivolts), and the drivers spike at the same steps. */
#include "bank.h"
#include "params.h"

enum { BRANCH_N = 8, BRANCH_STEPS = 4800 };

static void
branch_run(long one_from, float trace[][BRANCH_N], uint32_t *spikes)
{
    const float dt = 1000.0f / 48000.0f;
    bank *b = bank_create(16);
    cr_assert(b);
    bank_config c = {0};
    c.model = model_get(MODEL_HH);
    c.mp = (model_params){.dt_ms = dt, .phi = 1.0f, .threshold = -20.0f, .isa = simd_default()};
    c.dp = (dendrite_params){.mode = DENDRITE_LINEAR, .to_mV_a = 1.0f};
    c.np = (network_params){.seed = 1, .p = 1.0f, .w_exc = 0.01f, .isa = c.mp.isa};
    c.synapse_model = SYNAPSE_EXPONENTIAL;
    c.exc_decay = expf(-dt / 5.0f);
    c.inh_decay = expf(-dt / 10.0f);
    c.drive = 10.0f;
    b->n = BRANCH_N;
    bank_init_neurons(b, &c, 0, 16);
    for (uint32_t i = 0; i < BRANCH_N; ++i) {
        b->drive_scale[i] = i < 2 ? 1.0f : 0.0f;
        b->inhibitory[i] = 0;
        b->branch[i] = i == 1;
    }
    bank_inputs_changed(b);
    *spikes = 0;
    for (long k = 0; k < BRANCH_STEPS; ++k) {
        c.rc.one_branch = k >= one_from;
        *spikes += bank_step(b, &c, 0.0f, (uint64_t)k) * (uint32_t)(k + 1);
        for (uint32_t i = 0; i < BRANCH_N; ++i)
            trace[k][i] = b->var[0][i];
    }
    bank_destroy(b);
}

Test(network, one_array_carries_both_branches)
{
    static float apart[BRANCH_STEPS][BRANCH_N], one[BRANCH_STEPS][BRANCH_N],
        merged[BRANCH_STEPS][BRANCH_N];
    uint32_t s_apart, s_one, s_merged;
    branch_run(BRANCH_STEPS, apart, &s_apart);
    branch_run(0, one, &s_one);
    branch_run(BRANCH_STEPS / 2, merged, &s_merged);
    float rest = apart[0][2], peak = rest, worst_one = 0.0f, worst_merged = 0.0f;
    for (int k = 0; k < BRANCH_STEPS; ++k)
        for (int i = 2; i < BRANCH_N; ++i) {
            peak = fmaxf(peak, apart[k][i]);
            worst_one = fmaxf(worst_one, fabsf(one[k][i] - apart[k][i]));
            worst_merged = fmaxf(worst_merged, fabsf(merged[k][i] - apart[k][i]));
        }
    printf("one array: EPSPs up to %.3f mV; off by %.2g mV (one from the start), %.2g mV "
           "(merged)\n",
           (double)(peak - rest), (double)worst_one, (double)worst_merged);
    cr_assert_gt(s_apart, 0u, "the drivers spiked");
    cr_assert_gt(peak - rest, 1.0f, "EPSPs of %.3f mV", (double)(peak - rest));
    cr_expect_eq(s_one, s_apart, "the drivers' spikes moved (one from the start)");
    cr_expect_eq(s_merged, s_apart, "the drivers' spikes moved (merged)");
    cr_expect_lt(worst_one, 1e-4f, "one from the start: %.2g mV off", (double)worst_one);
    cr_expect_lt(worst_merged, 1e-4f, "merged mid-run: %.2g mV off", (double)worst_merged);
}

/* Rows kept once drawn (network_rows.h) add the same sums to the same
 * targets as rows drawn anew at every spike (rows NULL, which defines the
 * graph), on every path and across paths (rows kept on one path are read
 * on the next), through changes of p, seed and bank size (each forgets
 * the kept rows) and with the store full (rows beyond it drawn every
 * time): the conductances bit for bit, with weights that round and the
 * delivery's bound on and off. A kept row is the neuron's targets
 * (network_targets) in order, as its marks (itself included where the
 * walk marks it) or, where that is shorter, as a bitmap (itself left out),
 * added sixteen neurons at a time by masked vectors on AVX-512. */
Test(network, kept_rows_add_what_drawn_rows_add)
{
    /* 6000 neurons at p = 0.1: about 600 marks a row, so the store's 2^21
     * entries hold about 3500 rows and the rest are drawn every time */
    enum { N = 6000, STEPS = 40 };
    static float g_drawn[3][N], g_kept[3][N], missed[3 * N];
    static uint8_t inh[N], branch[N];
    static uint32_t spiked[N], targets[N], listed[N];
    network_assign_types(inh, branch, N, 9, 0.2f);
    network_rows *rows = network_rows_create(N, 1);
    cr_assert_not_null(rows);
    const struct {
        float p;
        uint64_t seed;
        uint32_t n;
    } graphs[] = {{0.1f, 3, N}, {0.1f, 3, N - 1000}, {0.05f, 3, N - 1000}, {0.05f, 4, N - 1000}};
    uint32_t kept_max = 0;
    for (int isa = 0; isa < SIMD_COUNT; ++isa) {
        if (!simd_supported((simd_isa)isa))
            continue;
        for (size_t k = 0; k < sizeof graphs / sizeof graphs[0]; ++k) {
            const uint32_t n = graphs[k].n;
            network_params drawn = {.seed = graphs[k].seed, .p = graphs[k].p, .w_exc = 0.0137f,
                                    .w_inh = 0.051f, .isa = (simd_isa)isa};
            network_params kept = drawn;
            kept.rows = rows;
            uint32_t x = 777u + (uint32_t)k;
            for (int grp = 0; grp < 3; ++grp)
                for (uint32_t t = 0; t < N; ++t) {
                    x = x * 1664525u + 1013904223u; /* Numerical Recipes' LCG */
                    g_drawn[grp][t] = g_kept[grp][t] = 0.3f * (float)(x >> 8) / 16777216.0f;
                }
            float *const exc_drawn[2] = {g_drawn[0], g_drawn[1]};
            float *const exc_kept[2] = {g_kept[0], g_kept[1]};
            /* every neuron fires about three times, in steps of varied
             * size; on odd steps a bound that many sums reach */
            for (uint32_t s = 0; s < STEPS; ++s) {
                uint32_t count = 0;
                for (uint32_t i = s % 13; i < n; i += 13)
                    spiked[count++] = i;
                drawn.g_bound = drawn.g_bound_exc = (s & 1) ? 0.32f : 0.0f;
                kept.g_bound = kept.g_bound_exc = drawn.g_bound;
                network_deliver_step(&drawn, spiked, count, n, inh, branch, exc_drawn,
                                     g_drawn[2], missed);
                network_deliver_step(&kept, spiked, count, n, inh, branch, exc_kept, g_kept[2],
                                     missed);
            }
            for (int grp = 0; grp < 3; ++grp)
                for (uint32_t t = 0; t < N; ++t)
                    cr_assert_eq(g_kept[grp][t], g_drawn[grp][t],
                                 "%s graph %zu group %d target %u: %a vs %a",
                                 simd_name((simd_isa)isa), k, grp, t,
                                 (double)g_kept[grp][t], (double)g_drawn[grp][t]);
            /* the kept rows are the graph's: marks, or a bitmap where it is
             * shorter (p above about 1/16: the first two graphs) */
            uint32_t kept_rows = 0, bitmaps = 0;
            for (uint32_t pre = 0; pre < n; pre += 7) {
                uint32_t len;
                const uint16_t *row = network_rows_of(rows, pre, &len);
                if (!row)
                    continue;
                ++kept_rows;
                uint32_t marks = 0;
                if (network_rows_bitmap(rows, pre)) {
                    ++bitmaps;
                    cr_assert_eq(len, (n + 15u) / 16u, "graph %zu row %u: bitmap words", k, pre);
                    for (uint32_t q = 0; q < 16u * len; ++q)
                        if (row[q / 16u] >> (q % 16u) & 1u) {
                            cr_assert_lt(q, n, "graph %zu row %u: a bit past the bank", k, pre);
                            listed[marks++] = q;
                        }
                } else {
                    for (uint32_t q = 0; q < len; ++q)
                        if (row[q] != pre)
                            listed[marks++] = row[q];
                }
                uint32_t m = network_targets(&drawn, pre, n, targets);
                cr_assert_eq(marks, m, "graph %zu row %u: %u targets kept of %u", k, pre, marks, m);
                for (uint32_t j = 0; j < m; ++j)
                    cr_assert_eq(listed[j], targets[j], "graph %zu row %u target %u", k, pre, j);
            }
            cr_expect_gt(kept_rows, 0u, "graph %zu: no row kept", k);
            if (graphs[k].p > 0.07f)
                cr_expect_eq(bitmaps, kept_rows, "graph %zu: rows kept as marks", k);
            else
                cr_expect_eq(bitmaps, 0u, "graph %zu: rows kept as bitmaps", k);
            if (kept_rows > kept_max)
                kept_max = kept_rows;
        }
    }
    /* the first graph filled the store: some rows were drawn every time */
    cr_expect_lt(kept_max, (N + 6u) / 7u, "every row fit: the full store was not tested");
    network_rows_destroy(rows);
}
