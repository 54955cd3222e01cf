/* Drugs on the channels of the HH-type models (model_params na_block,
 * k_block; the M-current of m_current.h), against Brian2 running hh.mod's
 * equations with the conductance scaled as the drug scales it
 * (tests/reference/drug_refs.py, whose output the REF rows copy). */
#include "bank.h"
#include "params.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#define RATE 48000.0

typedef struct {
    int spikes;
    double first_ms, width_ms, peak_mV, v_end_mV;
    double isi_first_ms, isi_last_ms, last_ms;
} spike_shape;

static bank_config
hh_config(float drive, float ttx, float tea, float acetylcholine)
{
    const float dt = (float)(1000.0 / RATE);
    bank_config c = {0};
    c.model = model_get(MODEL_HH);
    c.mp = (model_params){.dt_ms = dt, .phi = 1.0f, .threshold = -20.0f,
                          .na_block = ttx, .k_block = tea, .isa = simd_default()};
    c.dp = (dendrite_params){.mode = DENDRITE_LINEAR, .to_mV_a = 1.0f};
    c.np = (network_params){.seed = 1, .isa = c.mp.isa};
    c.drive = drive;
    c.mc = m_current_of(MODEL_HH, acetylcholine, dt);
    return c;
}

/* One HH neuron from rest with a constant drive (uA/cm2), as the reference:
 * upward crossings of -20 mV in [0, t_end), the first one's width and
 * peak, v at the end */
static spike_shape
run_hh(bank_config c, double t_end)
{
    bank *b = bank_create(16);
    cr_assert(b);
    b->n = 1;
    bank_init_neurons(b, &c, 0, 16);
    const long steps = lround(t_end * RATE / 1000.0);
    spike_shape s = {0};
    int above = 0, first_done = 0;
    float v_prev = b->var[0][0];
    for (long k = 0; k < steps; ++k) {
        bank_step(b, &c, 0.0f, (uint64_t)k);
        float v = b->var[0][0];
        if (v_prev < -20.0f && v >= -20.0f) {
            /* the crossing inside the step, as the reference's 5 us grid */
            double t = (k + (-20.0 - v_prev) / (v - v_prev)) * 1000.0 / RATE;
            if (s.spikes == 1)
                s.isi_first_ms = t - s.last_ms;
            if (s.spikes >= 1)
                s.isi_last_ms = t - s.last_ms;
            if (!s.spikes++) {
                s.first_ms = (k + 1) * 1000.0 / RATE;
                above = 1;
            }
            s.last_ms = t;
        }
        if (above && !first_done) {
            if (v >= -20.0f) {
                s.width_ms += 1000.0 / RATE;
                s.peak_mV = fmax(s.peak_mV, v);
            } else {
                first_done = 1;
            }
        }
        v_prev = v;
    }
    s.v_end_mV = b->var[0][0];
    bank_destroy(b);
    return s;
}

/* REF: tests/reference/drug_refs.py (Brian2 2.5, rk4, dt 1 us, v every 5 us) */
Test(drugs, hh_control_matches_brian2)
{
    spike_shape s = run_hh(hh_config(10.0f, 0.0f, 0.0f, 1.0f), 200);
    cr_expect_eq(s.spikes, 14);
    cr_expect(fabs(s.first_ms - 1.825) < 0.05, "first %.3f ms", s.first_ms);
    cr_expect(fabs(s.width_ms - 1.675) < 0.05, "width %.3f ms", s.width_ms);
    cr_expect(fabs(s.peak_mV - 40.237) < 0.3, "peak %.3f mV", s.peak_mV);
}

/* TTX: half the sodium channels leave one smaller, narrower spike and then
 * rest; all of them, no spike at all */
Test(drugs, ttx_matches_brian2_with_sodium_scaled)
{
    spike_shape half = run_hh(hh_config(10.0f, 0.5f, 0.0f, 1.0f), 200);
    cr_expect_eq(half.spikes, 1);
    cr_expect(fabs(half.width_ms - 1.265) < 0.05, "width %.3f ms", half.width_ms);
    cr_expect(fabs(half.peak_mV - 25.577) < 0.3, "peak %.3f mV", half.peak_mV);
    cr_expect(fabs(half.v_end_mV - -60.373) < 0.05, "v at 200 ms %.3f", half.v_end_mV);
    spike_shape full = run_hh(hh_config(10.0f, 1.0f, 0.0f, 1.0f), 200);
    cr_expect_eq(full.spikes, 0);
    cr_expect(fabs(full.v_end_mV - -61.014) < 0.05, "v at 200 ms %.3f", full.v_end_mV);
}

/* TEA: half the delayed rectifier broadens the spike (1.675 -> 2.155 ms);
 * all of it leaves the membrane on a plateau near +8 mV */
Test(drugs, tea_matches_brian2_with_potassium_scaled)
{
    spike_shape half = run_hh(hh_config(10.0f, 0.0f, 0.5f, 1.0f), 200);
    cr_expect_eq(half.spikes, 18);
    cr_expect(fabs(half.width_ms - 2.155) < 0.05, "width %.3f ms", half.width_ms);
    cr_expect(fabs(half.peak_mV - 44.735) < 0.3, "peak %.3f mV", half.peak_mV);
    spike_shape full = run_hh(hh_config(10.0f, 0.0f, 1.0f, 1.0f), 200);
    cr_expect_eq(full.spikes, 1);
    cr_expect(full.width_ms > 190.0, "plateau: above -20 mV for %.1f ms", full.width_ms);
    cr_expect(fabs(full.v_end_mV - 8.214) < 0.1, "plateau at %.3f mV", full.v_end_mV);
}

/* Acetylcholine below 1 lets the M-current act (g_M = 1 mS/cm2 x (1 - ACh),
 * Yamada, Koch & Adams 1989): the neuron adapts, its intervals lengthen;
 * without acetylcholine it fires three spikes and stops (HH cannot fire
 * slower than about 50 Hz, so its adaptation ends in silence) */
Test(drugs, acetylcholine_lets_the_m_current_adapt_as_brian2)
{
    spike_shape half = run_hh(hh_config(10.0f, 0.0f, 0.0f, 0.5f), 1000);
    cr_expect(abs(half.spikes - 59) <= 1, "spikes in 1 s: %d", half.spikes);
    cr_expect(fabs(half.isi_first_ms - 15.585) < 0.05, "first interval %.3f", half.isi_first_ms);
    cr_expect(fabs(half.isi_last_ms - 17.31) < 0.1, "last interval %.3f", half.isi_last_ms);
    spike_shape none = run_hh(hh_config(10.0f, 0.0f, 0.0f, 0.0f), 1000);
    cr_expect_eq(none.spikes, 3);
    cr_expect(fabs(none.isi_last_ms - 19.725) < 0.1, "last interval %.3f", none.isi_last_ms);
    spike_shape intact = run_hh(hh_config(10.0f, 0.0f, 0.0f, 1.0f), 1000);
    cr_expect(abs(intact.spikes - 69) <= 1, "no M-current: %d spikes", intact.spikes);
}

/* Pinsky & Rinzel 1994 put the Na+ channels at the soma and the Ca2+
 * channels on the dendrite: TTX silences the somatic spikes, while an
 * excitatory input on the dendrite still fires a dendritic Ca2+ spike
 * (the dendrite passes -10 mV); the soma, pulled along, shows it as a broad
 * hump (-20 mV here) well below the Na+ spikes (+4 mV), as in slices under
 * TTX */
Test(drugs, ttx_leaves_pinsky_rinzel_its_dendritic_calcium_spike)
{
    const float dt = (float)(1000.0 / RATE);
    for (int ttx = 0; ttx <= 1; ++ttx) {
        bank_config c = {0};
        c.model = model_get(MODEL_PINSKY_RINZEL);
        c.mp = (model_params){.dt_ms = dt, .phi = 1.0f, .threshold = -20.0f, .pr_gc = 2.1f,
                              .pr_p = 0.5f, .na_block = (float)ttx, .isa = simd_default()};
        c.dp = (dendrite_params){.mode = DENDRITE_LINEAR, .to_mV_a = 1.0f, .tonic_a = 1.0f};
        c.np = (network_params){.seed = 1, .isa = c.mp.isa};
        bank *b = bank_create(16);
        b->n = 1;
        bank_init_neurons(b, &c, 0, 16);
        int dend_spikes = 0, soma_spikes = 0;
        float vs_max = -100.0f;
        float vs0 = b->var[0][0], vd0 = b->var[1][0];
        for (long k = 0; k < lround(500 * RATE / 1000.0); ++k) {
            bank_step(b, &c, 0.0f, (uint64_t)k);
            float vs = b->var[0][0], vd = b->var[1][0];
            dend_spikes += vd0 < -10.0f && vd >= -10.0f;
            soma_spikes += vs0 < -20.0f && vs >= -20.0f;
            vs_max = fmaxf(vs_max, vs);
            vs0 = vs;
            vd0 = vd;
        }
        bank_destroy(b);
        cr_expect(dend_spikes >= 1, "ttx %d: dendritic Ca2+ spikes %d", ttx, dend_spikes);
        if (ttx) {
            cr_expect(vs_max < -10.0f, "under TTX the soma peaked at %.1f mV", vs_max);
        } else {
            cr_expect(vs_max > 0.0f, "Na+ spikes overshoot: %.1f mV", vs_max);
            cr_expect(soma_spikes > 5, "without TTX the soma fires: %d", soma_spikes);
        }
    }
}
