/* test_view — the data behind the displays and the control geometry. */
#include "draw.h"
#include "synchrony.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static hillock_view *
new_view(unsigned neurons)
{
    hillock_view *v = malloc(sizeof *v);
    hillock_view_init(v);
    hillock_view_set_param(v, P_NEURONS, (float)neurons);
    return v;
}

/* rate = spikes / (neurons * bin): 32 spikes of 16 neurons in one 20 ms bin
 * is 32 / (16 * 0.02 s) = 100 Hz per neuron. */
Test(view, rate_bin_is_spikes_per_neuron_per_second)
{
    hillock_view *v = new_view(16);
    for (int i = 0; i < 32; ++i)
        hillock_view_push_spike(v, 0.001 + i * 0.0005, (uint32_t)(i % 16), false);
    cr_expect_eq(hillock_view_rate_count(v), 0);
    hillock_view_advance(v, HV_RATE_BIN_S + 1e-6);
    cr_assert_eq(hillock_view_rate_count(v), 1);
    cr_expect_float_eq(hillock_view_rate_at(v, 0), 100.0f, 1e-3f);
    free(v);
}

Test(view, lost_spikes_count_in_the_rate)
{
    hillock_view *v = new_view(10);
    hillock_view_push_lost(v, 20);
    hillock_view_advance(v, HV_RATE_BIN_S + 1e-6);
    cr_expect_float_eq(hillock_view_rate_at(v, 0), 20.0f / (10 * 0.02f), 1e-3f);
    cr_expect_eq(v->spikes_lost, 20);
    free(v);
}

Test(view, restart_clears_the_rings_and_keeps_parameters)
{
    hillock_view *v = new_view(4);
    hillock_view_push_spike(v, 5.0, 1, false);
    hillock_view_push_sample(v, 5.0, 1e-3f, -65, NAN, 0.3f);
    hillock_view_push_spike(v, 4.99, 3, false); /* slightly out of order: kept */
    cr_assert_eq(hillock_view_spike_count(v), 2);
    cr_expect_float_eq(v->now_s, 5.0, 0);
    hillock_view_restart(v, 0.5); /* the plugin restarted its clock */
    hillock_view_push_spike(v, 0.5, 2, true);
    cr_expect_eq(hillock_view_spike_count(v), 1);
    cr_expect_eq(hillock_view_neurons(v), 4);
    cr_expect_eq(hillock_view_spike_at(v, 0)->neuron, 2);
    cr_expect_eq(hillock_view_spike_at(v, 0)->inhibitory, 1);
    cr_expect_eq(hillock_view_trace_count(v), 0);
    free(v);
}

Test(view, spike_ring_keeps_the_newest)
{
    hillock_view *v = new_view(8);
    for (uint32_t i = 0; i < HV_SPIKE_RING + 10; ++i)
        hillock_view_push_spike(v, i * 1e-4, i % 8, false);
    cr_expect_eq(hillock_view_spike_count(v), HV_SPIKE_RING);
    cr_expect_float_eq(hillock_view_spike_at(v, 0)->t_s, (HV_SPIKE_RING + 9) * 1e-4, 1e-9);
    free(v);
}

/* 48 kHz points at speed 1 are 1/48 model ms apart: they decimate by
 * floor(HV_TRACE_MODEL_MS / (1/48)) = 4; a one-point spike peak survives. */
Test(view, trace_decimation_keeps_the_spike_peak)
{
    hillock_view *v = new_view(1);
    float soma[12], dend[12];
    for (int k = 0; k < 12; ++k)
        soma[k] = dend[k] = -65.0f;
    soma[7] = 30.0f;
    hillock_view_push_trace(v, 1.0, 1.0 / 48000, soma, dend, 12, 0.6f);
    cr_assert_eq(hillock_view_trace_count(v), 3);
    cr_expect_float_eq(v->trace_dt_s, 4.0f / 48000, 1e-9f);
    cr_expect_float_eq(hillock_view_trace_at(v, 1)->soma, 30.0f, 0); /* bucket 4..7 */
    /* the slow variable is known at the block's end only: one phase point */
    cr_expect_float_eq(hillock_view_trace_at(v, 0)->slow, 0.6f, 1e-6f);
    cr_expect(isnan(hillock_view_trace_at(v, 2)->slow));
    cr_assert_eq(hillock_view_phase_count(v), 1);
    cr_expect_float_eq(hillock_view_phase_at(v, 0)->soma, -65.0f, 0);
    cr_expect_float_eq(hillock_view_phase_at(v, 0)->slow, 0.6f, 1e-6f);
    free(v);
}

/* The decimation is in model time: at speed 26 a 48 kHz frame is 0.54
 * model ms, more than HV_TRACE_MODEL_MS, so every point is kept; at speed
 * 0.25, 12 kHz points are 0.021 model ms apart and decimate by 4. */
Test(view, trace_decimation_follows_speed)
{
    hillock_view *v = new_view(1);
    float soma[48];
    for (int k = 0; k < 48; ++k)
        soma[k] = -65.0f + k;
    hillock_view_set_param(v, P_SPEED, 26.0f);
    hillock_view_push_trace(v, 1.0, 1.0 / 48000, soma, NULL, 48, NAN);
    cr_expect_eq(hillock_view_trace_count(v), 48);
    hillock_view_init(v);
    hillock_view_set_param(v, P_SPEED, 0.25f);
    hillock_view_push_trace(v, 1.0, 1.0 / 12000, soma, NULL, 48, NAN);
    cr_expect_eq(hillock_view_trace_count(v), 12);
    cr_expect_float_eq(v->trace_dt_s, 4.0f / 12000, 1e-9f);
    free(v);
}

/* A steady rate whose spikes fall unevenly into the bins (70 Hz in 20 ms
 * bins: 1 or 2 spikes per bin) reads steady once smoothed: within 3 % of
 * 70 Hz away from the ring's ends, where the raw bins swing by 50 %. */
Test(view, smoothed_rate_of_a_steady_neuron_is_steady)
{
    hillock_view *v = new_view(1);
    for (int k = 0; k < 140; ++k)
        hillock_view_push_spike(v, k / 70.0, 0, false);
    hillock_view_advance(v, 2.0);
    float raw_lo = INFINITY, raw_hi = 0, lo = INFINITY, hi = 0;
    for (uint32_t i = 10; i < 80; ++i) {
        raw_lo = fminf(raw_lo, hillock_view_rate_at(v, i));
        raw_hi = fmaxf(raw_hi, hillock_view_rate_at(v, i));
        lo = fminf(lo, hillock_view_rate_smooth_at(v, i));
        hi = fmaxf(hi, hillock_view_rate_smooth_at(v, i));
    }
    cr_expect_geq(raw_hi - raw_lo, 40.0f, "raw bins %g..%g Hz", raw_lo, raw_hi);
    cr_expect(lo > 70.0f * 0.97f && hi < 70.0f * 1.03f, "smoothed %g..%g Hz", lo, hi);
    free(v);
}

/* With a slow value per point, each kept extreme keeps the slow value of
 * its own frame (the phase plane's true trajectory). */
Test(view, trace_with_slow_pairs_each_point_with_its_own_slow_value)
{
    hillock_view *v = new_view(1);
    float soma[12], slow[12];
    for (int k = 0; k < 12; ++k) {
        soma[k] = -65.0f;
        slow[k] = 0.01f * (float)k;
    }
    soma[7] = 30.0f;
    hillock_view_push_trace_slow(v, 1.0, 1.0 / 48000, soma, NULL, slow, 12, 0.11f);
    cr_assert_eq(hillock_view_trace_count(v), 3);
    cr_expect_float_eq(hillock_view_trace_at(v, 1)->soma, 30.0f, 0); /* newest first */
    cr_expect_float_eq(hillock_view_trace_at(v, 1)->slow, 0.07f, 1e-6f); /* frame 7 */
    for (uint32_t i = 0; i < 3; ++i)
        cr_expect(isfinite(hillock_view_trace_at(v, i)->slow));
    free(v);
}

/* Focus samples in model time (hillock:focusSoma): kept one per
 * HV_TRACE_MODEL_MS whatever the speed; where the sender skipped samples
 * the ring holds one unknown sample, so no line joins states that were not
 * neighbours, and where it skipped none the pieces join. */
Test(view, focus_samples_break_where_the_sender_skipped)
{
    hillock_view *v = new_view(1);
    hillock_view_set_param(v, P_SPEED, 26.0f);
    float soma[8] = {-65, -64, -63, -62, -61, -60, -59, -58}, slow[8];
    for (int k = 0; k < 8; ++k)
        slow[k] = 0.3f + 0.01f * (float)k;
    /* 0.05 model ms apart: two samples a kept point */
    double step_ms = 0.05, dt_s = step_ms / 26000.0;
    hillock_view_push_focus(v, 0.01, dt_s, step_ms, soma, NULL, slow, 8, 0);
    cr_assert_eq(hillock_view_trace_count(v), 4);
    cr_expect_float_eq(v->trace_dt_s, 2 * dt_s, 1e-12);
    hillock_view_push_focus(v, 0.02, dt_s, step_ms, soma, NULL, slow, 8, 0);
    cr_expect_eq(hillock_view_trace_count(v), 8, "no skip: the pieces join");
    hillock_view_push_focus(v, 0.03, dt_s, step_ms, soma, NULL, slow, 8, 100);
    cr_assert_eq(hillock_view_trace_count(v), 13);
    cr_expect(isnan(hillock_view_trace_at(v, 4)->soma), "a break before the skipped-to piece");
    cr_expect(isnan(hillock_view_trace_at(v, 4)->slow));
    /* each kept sample: the extreme of its pair (rising: the later) with its own slow */
    cr_expect_float_eq(hillock_view_trace_at(v, 0)->soma, -58.0f, 0);
    cr_expect_float_eq(hillock_view_trace_at(v, 0)->slow, 0.37f, 1e-6f);
    free(v);
}

/* Golomb's chi from spike counts (synchrony.h; Golomb 2007, Scholarpedia
 * 2(1):1347): 1 for a bank firing together, about 1/sqrt(N) for
 * independent neurons; the rhythm in model Hz at any speed. */
Test(view, synchrony_of_a_bank_firing_together_is_one)
{
    hillock_view *v = new_view(16);
    hillock_view_set_param(v, P_SPEED, 26.0f);
    /* every 14 model ms, all 16 within 0.3 ms of one 2 ms bin, for 1.2 model s */
    for (int k = 0; k < 86; ++k)
        for (uint32_t i = 0; i < 16; ++i)
            hillock_view_push_spike(v, (14.0 * k + 0.7 + 0.02 * i) / 26000.0, i, false);
    hillock_view_advance(v, 1200.0 / 26000.0);
    hv_synchrony s;
    cr_assert(hillock_view_synchrony(v, &s));
    cr_expect_float_eq(s.window_ms, 1000.0, 1e-9);
    cr_log_info("together: chi %.3f, rhythm %.1f Hz", s.chi, s.rhythm_hz);
    cr_expect_geq(s.chi, 0.99, "chi %.3f", s.chi);
    /* 1 / 14 ms = 71.4 Hz; the spectrum's resolution is 1 / 1 s */
    cr_expect_float_eq(s.rhythm_hz, 1000.0 / 14.0, 1.0, "rhythm %.1f Hz", s.rhythm_hz);
    cr_expect_not(s.sampled);
    free(v);
}

Test(view, synchrony_of_independent_neurons_is_one_over_sqrt_n)
{
    hillock_view *v = new_view(64);
    /* 64 neurons, each a Poisson train of 20 Hz (exponential intervals
     * from a fixed LCG), merged in time order through the ring */
    double next[64];
    uint64_t x = 12345;
    for (int i = 0; i < 64; ++i) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        next[i] = -0.05 * log(((x >> 11) + 0.5) / 9007199254740992.0);
    }
    for (;;) {
        int who = 0;
        for (int i = 1; i < 64; ++i)
            who = next[i] < next[who] ? i : who;
        if (next[who] > 1.5)
            break;
        hillock_view_push_spike(v, next[who], (uint32_t)who, false);
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        next[who] += -0.05 * log(((x >> 11) + 0.5) / 9007199254740992.0);
    }
    hillock_view_advance(v, 1.5);
    hv_synchrony s;
    cr_assert(hillock_view_synchrony(v, &s));
    cr_log_info("independent: chi %.3f, rhythm %.1f Hz", s.chi, s.rhythm_hz);
    cr_expect_float_eq(s.chi, 1.0 / 8.0, 0.04, "chi %.3f (1/sqrt(64) = 0.125)", s.chi);
    cr_expect(isnan(s.rhythm_hz), "a rhythm of %.1f Hz in noise", s.rhythm_hz);
    free(v);
}

/* The plugin sends an even sample of the spikes when there are too many:
 * each volley thinned to about half reads less synchronous unless the
 * binomial noise of the thinning is taken out (synchrony.h). */
Test(view, synchrony_of_a_sample_of_the_spikes_is_corrected)
{
    hillock_view *v = new_view(32);
    uint64_t x = 777;
    uint32_t sent = 0, lost = 0;
    for (int k = 0; k < 86; ++k)
        for (uint32_t i = 0; i < 32; ++i) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            if ((x >> 33) & 1u) {
                hillock_view_push_spike(v, (14.0 * k + 0.7 + 0.01 * i) / 1000.0, i, false);
                sent++;
            } else {
                lost++;
            }
        }
    hillock_view_push_lost(v, lost);
    hillock_view_spike_share(v, sent, lost);
    hillock_view_advance(v, 1.2);
    hv_synchrony s;
    cr_assert(hillock_view_synchrony(v, &s));
    cr_expect(s.sampled);
    double corrected = s.chi;
    v->spike_share = 1.0f; /* as if every spike had come */
    cr_assert(hillock_view_synchrony(v, &s));
    cr_log_info("half the spikes: chi %.3f corrected, %.3f not", corrected, s.chi);
    cr_expect_geq(corrected, 0.95, "corrected chi %.3f", corrected);
    cr_expect_lt(s.chi, 0.8, "uncorrected chi %.3f", s.chi);
    free(v);
}

Test(view, synchrony_needs_enough_spikes_and_time)
{
    hillock_view *v = new_view(16);
    for (uint32_t i = 0; i < 16; ++i) /* 16 spikes in 20 ms */
        hillock_view_push_spike(v, 0.001 * i, i, false);
    hillock_view_advance(v, 0.02);
    hv_synchrony s;
    cr_expect_not(hillock_view_synchrony(v, &s));
    cr_expect(isnan(s.chi) && isnan(s.rhythm_hz));
    free(v);
}

Test(view, inhibitory_mask_bits)
{
    hillock_view *v = new_view(40);
    uint32_t words[2] = {1u << 4, 1u << 1}; /* neurons 4 and 33 */
    hillock_view_set_inhibitory_mask(v, words, 40);
    cr_expect(hillock_view_is_inhibitory(v, 4));
    cr_expect(hillock_view_is_inhibitory(v, 33));
    cr_expect_not(hillock_view_is_inhibitory(v, 5));
    cr_expect_not(hillock_view_is_inhibitory(v, 4095));
    free(v);
}

/* Values with units as params.c declares them. */
Test(param_ui, values_show_with_units)
{
    char b[48];
    /* the default drive: 1.6 rheobases of HH at 6.3 degC (6.235 uA/cm2) */
    hillock_param_format(P_DRIVE, 1.6f, b, sizeof b);
    cr_expect_str_eq(b, "1.60 rh = 9.98 \xc2\xb5" "A/cm\xc2\xb2");
    hillock_param_format(P_MEMBRANE_LEVEL, -60.0f, b, sizeof b); /* minimum = off */
    cr_expect_str_eq(b, "off");
    hillock_param_format(P_SPIKE_LEVEL, -12.0f, b, sizeof b);
    cr_expect_str_eq(b, "-12.0 dB");
    hillock_param_format(P_NEURONS, 64.4f, b, sizeof b);
    cr_expect_str_eq(b, "64");
    hillock_param_format(P_MODEL, 1.0f, b, sizeof b);
    cr_expect_str_eq(b, "pinsky rinzel");
    hillock_param_format(P_TAU_EXC, 0.5f, b, sizeof b);
    cr_expect_str_eq(b, "0.500 ms");
}

/* neurons is logarithmic over 1..16384: the middle of the knob is sqrt(16384). */
Test(param_ui, logarithmic_knob_middle_is_geometric_mean)
{
    cr_expect_float_eq(hillock_param_from_norm(P_NEURONS, 0.5f), 128.0f, 0);
    cr_expect_float_eq(hillock_param_to_norm(P_NEURONS, 128.0f), 0.5f, 1e-6f);
    cr_expect_float_eq(hillock_param_from_norm(P_DRIVE, 0.2f), 0.0f, 1e-4f); /* -50..200 */
    cr_expect_float_eq(hillock_param_from_norm(P_DRIVE, 7.0f), 200.0f, 0);
}

/* Every page at three window sizes: each control is hit at its centre and
 * lies inside the window; over all pages, every parameter of the table
 * has exactly one control (params.c is the list, the pages its groups:
 * bank, model, dendrite, network, stimulus, sound). */
Test(layout, every_parameter_has_one_control_inside_the_window)
{
    int sizes[][2] = {{960, 600}, {1920, 1200}, {700, 900}};
    unsigned pages = hillock_page_count();
    cr_expect_geq(pages, 6);
    for (int s = 0; s < 3; ++s) {
        unsigned seen[PARAM_COUNT] = {0};
        for (unsigned page = 0; page < pages; ++page) {
            hillock_layout l;
            hillock_layout_compute(&l, sizes[s][0], sizes[s][1], (int)page);
            for (unsigned i = 0; i < l.n_controls; ++i) {
                const hv_control *c = &l.controls[i];
                hv_rect r = c->r;
                cr_expect_eq(hillock_layout_hit(&l, r.x + r.w / 2, r.y + r.h / 2), (int)i);
                cr_expect(r.x >= 0 && r.y >= 0 && r.x + r.w <= l.w + 0.01 &&
                          r.y + r.h <= l.h + 0.01);
                if (c->kind != HV_CTRL_TAB) {
                    seen[c->param]++;
                    cr_expect_eq(hillock_page_of(c->param), (int)page);
                }
            }
            cr_expect_eq(hillock_layout_hit(&l, l.raster.x + 5, l.raster.y + 5), -1);
        }
        for (int p = 0; p < PARAM_COUNT; ++p)
            cr_expect_eq(seen[p], 1, "%s has %u controls", param_table[p].symbol, seen[p]);
    }
    char title[32];
    hillock_page_title((unsigned)hillock_page_of(P_INPUT_GAIN), title, sizeof title);
    cr_expect_str_eq(title, "Input");
    hillock_page_title((unsigned)hillock_page_of(P_BRANCH_B), title, sizeof title);
    cr_expect_str_eq(title, "Dendrite");
}

/* Units follow the model (params.c: conductances in the model's own unit
 * for Izhikevich and Hindmarsh-Rose; currents in rheobases, shown with the
 * current they make: models/rheobase.c). */
Test(param_ui, units_follow_the_model)
{
    char b[48];
    hillock_param_format_model(P_GAP, 0.5f, MODEL_PINSKY_RINZEL, b, sizeof b);
    cr_expect_str_eq(b, "0.500 mS/cm\xc2\xb2");
    hillock_param_format_model(P_GAP, 0.5f, MODEL_IZHIKEVICH, b, sizeof b);
    cr_expect_str_eq(b, "0.500");
    hillock_param_format_model(P_DRIVE, 10.0f, MODEL_IZHIKEVICH, b, sizeof b);
    cr_expect_str_eq(b, "10.0 rh");
    float v[PARAM_COUNT];
    param_defaults(v);
    v[P_MODEL] = MODEL_IZHIKEVICH; /* regular spiking: rheobase 4.0 */
    hillock_param_format_in(P_DRIVE, 1.6f, v, b, sizeof b);
    cr_expect_str_eq(b, "1.60 rh = 6.4");
    v[P_MODEL] = MODEL_HINDMARSH_ROSE; /* 1.315 */
    hillock_param_format_in(P_NOISE, 0.5f, v, b, sizeof b);
    cr_expect_str_eq(b, "0.50 rh = 0.658");
    v[P_MODEL] = MODEL_HH;
    v[P_DRIVE_MODE] = DRIVE_ABSOLUTE;
    hillock_param_format_in(P_DRIVE, 10.0f, v, b, sizeof b);
    cr_expect_str_eq(b, "10.00 \xc2\xb5" "A/cm\xc2\xb2");
    hillock_param_format_model(P_NOISE_TAU, 5.0f, MODEL_HINDMARSH_ROSE, b, sizeof b);
    cr_expect_str_eq(b, "5.00 ms");
}

Test(layout, raster_rows_map_to_neurons_top_down)
{
    hillock_view *v = new_view(10);
    hillock_layout l;
    hillock_layout_compute(&l, 960, 600, 0);
    double row = l.raster.h / 10;
    cr_expect_eq(hillock_raster_neuron_at(&l, v, l.raster.y + 0.5 * row), 0);
    cr_expect_eq(hillock_raster_neuron_at(&l, v, l.raster.y + 3.5 * row), 3);
    cr_expect_eq(hillock_raster_neuron_at(&l, v, l.raster.y + l.raster.h - 1), 9);
    cr_expect_eq(hillock_raster_neuron_at(&l, v, l.raster.y - 1), -1);
    free(v);
}
