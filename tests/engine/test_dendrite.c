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
