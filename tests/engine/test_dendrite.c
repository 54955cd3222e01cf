/* Dendritic nonlinearities: the NMDA Mg2+ block (Jahr & Stevens 1990, values
 * in docs/science.md) and the dCaAP branch's XOR (Gidon et al. 2020). */
#include "dendrite.h"
#include "harness.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

Test(dendrite, nmda_block_matches_jahr_stevens_at_1_mM)
{
    cr_expect(fabsf(dendrite_nmda_block(-65, 1) - 0.059668f) < 2e-6f);
    cr_expect(fabsf(dendrite_nmda_block(-20, 1) - 0.508141f) < 2e-6f);
    cr_expect(fabsf(dendrite_nmda_block(0, 1) - 0.781182f) < 2e-6f);
    /* half-block at -20.53 mV */
    cr_expect(dendrite_nmda_block(-20.58f, 1) < 0.5f && dendrite_nmda_block(-20.48f, 1) > 0.5f);
}

/* Computed for Hillock (tests/reference/RESULTS.md) from the same formula. */
Test(dendrite, nmda_block_at_2_mM)
{
    cr_expect(fabsf(dendrite_nmda_block(-80, 2) - 0.0123633f) < 2e-7f);
    cr_expect(fabsf(dendrite_nmda_block(-40, 2) - 0.130043f) < 2e-6f);
    cr_expect(fabsf(dendrite_nmda_block(0, 2) - 0.640934f) < 2e-6f);
}

Test(dendrite, nmda_block_vanishes_without_magnesium)
{
    cr_expect_float_eq(dendrite_nmda_block(-80, 0), 1.0f, 1e-7f);
}

Test(dendrite, dcaap_response_is_largest_just_above_threshold)
{
    float below = dendrite_dcaap_response(0.8f, 0.3f);
    float just = dendrite_dcaap_response(1.1f, 0.3f);
    float strong = dendrite_dcaap_response(2.0f, 0.3f);
    cr_expect(below < 0.02f, "below threshold: %g", below);
    cr_expect(just > 0.6f, "just above: %g", just);
    cr_expect(strong < 0.05f, "twice threshold: %g", strong);
}

static size_t
spikes_with(const char *settings)
{
    spike_record r = run_engine(48000, 1000, settings, 256);
    size_t n = r.n;
    record_free(&r);
    return n;
}

/* One HH neuron with a dCaAP dendrite: input on A alone or B alone fires it,
 * both together or neither leave it silent. */
Test(dendrite, dcaap_neuron_computes_xor)
{
    const char *base = "model=hh,drive=0,dendrite_mode=dcaap,dcaap_threshold=0.2";
    char s[256];
    size_t n[2][2];
    for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 2; ++b) {
            snprintf(s, sizeof s, "%s,branch_a=%g,branch_b=%g", base, a * 0.24, b * 0.24);
            n[a][b] = spikes_with(s);
        }
    cr_expect_eq(n[0][0], 0, "neither: %zu spikes", n[0][0]);
    cr_expect(n[1][0] >= 20, "A only: %zu spikes", n[1][0]);
    cr_expect(n[0][1] >= 20, "B only: %zu spikes", n[0][1]);
    cr_expect_eq(n[1][1], 0, "A and B: %zu spikes", n[1][1]);
}

/* An NMDA branch conducts when input and depolarisation coincide: the
 * branch alone (blocked at rest) and a subthreshold drive alone are silent,
 * together they fire. A linear synapse of the same size fires on its own. */
Test(dendrite, nmda_branch_detects_coincidence)
{
    size_t branch_alone = spikes_with("model=hh,drive=0,dendrite_mode=nmda,branch_a=0.3");
    size_t drive_alone = spikes_with("model=hh,drive=2,dendrite_mode=nmda");
    size_t both = spikes_with("model=hh,drive=2,dendrite_mode=nmda,branch_a=0.3");
    size_t linear = spikes_with("model=hh,drive=0,dendrite_mode=linear,branch_a=0.3");
    cr_expect_eq(branch_alone, 0);
    cr_expect_eq(drive_alone, 0);
    cr_expect(both >= 1, "coincidence gave %zu spikes", both);
    cr_expect(linear >= 20, "linear branch gave %zu spikes", linear);
}

/* An NMDA subunit branch settles, from its compartment's voltage, on the
 * lowest root V_k >= V of g B(V_k) (0 - V_k) = g_c (V_k - V), g_c = 0.5
 * mS/cm2, found by scanning and bisection in double (Python, from the
 * equation in dendrite.h); the branch sends g_eff = g_c (V_k - V) / (0 - V).
 * 100 ms of 1/48 ms steps at constant input. */
Test(dendrite, nmda_subunit_matches_the_branch_steady_state)
{
    const struct {
        float g, v, mg;
        double g_eff;
    } ref[] = {{0.5f, -65, 1, 0.036343}, {1, -65, 1, 0.099118}, {2, -65, 1, 0.325615},
               {4, -65, 1, 0.419458},   {1, -40, 1, 0.252900},  {2, -65, 2, 0.113406}};
    for (size_t k = 0; k < sizeof ref / sizeof ref[0]; ++k) {
        float vk = ref[k].v, got = 0.0f;
        for (int step = 0; step < 4800; ++step)
            got = dendrite_nmda_subunit_step(ref[k].g, ref[k].v, ref[k].mg, 1.0f / 48.0f, &vk);
        cr_expect(fabs(got - ref[k].g_eff) < 0.01 * ref[k].g_eff,
                  "g %g at %g mV, Mg %g: %.6f, steady state %.6f", ref[k].g, ref[k].v,
                  ref[k].mg, got, ref[k].g_eff);
    }
}

/* Poirazi, Brannon & Mel 2003: with subunits, input concentrated on one
 * branch drives the neuron differently from the same input spread over
 * two; without them only the sum counts. One HH neuron, NMDA branches. */
Test(dendrite, nmda_subunits_tell_same_branch_from_different_branches)
{
    const char *base = "model=hh,drive=0,dendrite_mode=nmda,start=rest";
    char s[256];
    size_t n[2][2];
    for (int sub = 0; sub < 2; ++sub) {
        snprintf(s, sizeof s, "%s,branch_subunits=%d,branch_a=0.8,branch_b=0", base, sub);
        n[sub][0] = spikes_with(s);
        snprintf(s, sizeof s, "%s,branch_subunits=%d,branch_a=0.4,branch_b=0.4", base, sub);
        n[sub][1] = spikes_with(s);
    }
    cr_expect_eq(n[0][0], n[0][1], "one zone: same %zu, split %zu", n[0][0], n[0][1]);
    cr_expect(n[1][0] > 20 && n[1][1] <= 1, /* at most the onset's spike */
              "subunits: on one branch %zu spikes, spread over two %zu", n[1][0], n[1][1]);
}

/* With subunits each branch is its own dCaAP zone: inputs on different
 * branches no longer cancel (OR), while the XOR stays within one branch
 * (Gidon et al. 2020) */
Test(dendrite, dcaap_subunits_keep_the_xor_within_one_branch)
{
    const char *base = "model=hh,drive=0,dendrite_mode=dcaap,dcaap_threshold=0.2,"
                       "branch_subunits=1";
    char s[256];
    snprintf(s, sizeof s, "%s,branch_a=0.24,branch_b=0.24", base);
    size_t different = spikes_with(s);
    snprintf(s, sizeof s, "%s,branch_a=0.48,branch_b=0", base);
    size_t same = spikes_with(s);
    snprintf(s, sizeof s, "%s,branch_a=0.24,branch_b=0", base);
    size_t one = spikes_with(s);
    cr_expect(one > 10, "one input fires: %zu", one);
    cr_expect(different > 10, "two inputs on different branches fire: %zu", different);
    cr_expect(same < 2, "two inputs on the same branch cancel: %zu", same);
}
