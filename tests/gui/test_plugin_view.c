/* test_plugin_view — the real plugin's notifications, read by the UI's
 * parser, give the picture the model predicts. urn:hillock:bank runs its
 * defaults for one second in the plugin tests' in-process host: 8 identical
 * HH neurons at I = 10 uA/cm2, 6.3 degC. Reference (docs/science.md, HH
 * table, I = 10): 69 spikes in 1 s per neuron from rest, steady peak 30.42 mV and
 * trough -74.89 mV. Saves plugin-scope.png in the working directory. */
#include "draw.h"
#include "host.h"
#include "notify_view.h"
#include "synapses.h"
#include "tempo_lock.h"

#include <cairo.h>
#include <criterion/criterion.h>
#include <lv2/atom/util.h>

#include <math.h>
#include <stdlib.h>

Test(plugin_view, notifications_show_the_hh_reference_firing)
{
    hb_world *w = hb_world_new();
    hb_instance h;
    cr_assert(hb_instantiate(&h, w, false, 48000.0));
    /* as a host exporting (lv2:freeWheeling): the CPU guard, which thins
     * the bank by the wall clock (a sanitizer build on a loaded machine
     * played 1 neuron of 8), stays off, so the run is the model's */
    h.late[PORT_LATE_FREEWHEEL] = 1.0f;
    hillock_view *v = malloc(sizeof *v);
    hillock_view_init(v);
    hv_urids u;
    hv_urids_map(&u, hb_map(w));
    unsigned notifications = 0;
    /* the reference counts spikes from rest (NEURON, docs/science.md); the
     * default settled start spends its first 10-32 ms in a silent pre-roll */
    h.controls[P_START] = START_REST;
    lilv_instance_activate(h.inst);
    for (int b = 0; b < 50; ++b) { /* 50 x 960 frames = 1 s */
        if (b == 0)
            hb_send_object(&h, HILLOCK__UiOn); /* the UI opens (uris.h) */
        else
            hb_prepare_events(&h, NULL, NULL, 0);
        lilv_instance_run(h.inst, 960);
        const LV2_Atom_Sequence *seq = (const LV2_Atom_Sequence *)h.atom_out;
        LV2_ATOM_SEQUENCE_FOREACH (seq, ev)
            notifications += hillock_view_apply_atom(v, &u, &ev->body);
    }
    cr_expect_geq(notifications, 45, "%u notifications in 1 s (uris.h: ~50 Hz)",
                  notifications);
    cr_expect_eq(v->active_neurons, 8);

    uint32_t per_neuron[8] = {0};
    for (uint32_t i = 0; i < hillock_view_spike_count(v); ++i) {
        const hv_spike *s = hillock_view_spike_at(v, i);
        if (s->neuron < 8)
            per_neuron[s->neuron]++;
    }
    for (int n = 0; n < 8; ++n)
        cr_expect(per_neuron[n] >= 68 && per_neuron[n] <= 70,
                  "neuron %d: %u spikes in 1 s (reference 69)", n, per_neuron[n]);

    /* the whole trace ring (4096 samples 5/48 model ms apart at speed 1:
     * 0.43 s): steady spikes, peaks and troughs kept by the engine's
     * sampling (the extreme of every five steps, dsp/focus_trace.h) */
    float top = -INFINITY, bottom = INFINITY;
    uint32_t half = hillock_view_trace_count(v), crossings = 0;
    double span = half * v->trace_dt_s;
    for (uint32_t i = 0; i < half && i + 1 < hillock_view_trace_count(v); ++i) {
        float now = hillock_view_trace_at(v, i)->soma, before = hillock_view_trace_at(v, i + 1)->soma;
        top = fmaxf(top, now);
        bottom = fminf(bottom, now);
        crossings += before < -20.0f && now >= -20.0f;
    }
    cr_expect_float_eq(top, 30.42f, 1.5f, "steady peak %.2f mV (reference 30.42)", top);
    cr_expect_float_eq(bottom, -74.89f, 1.5f, "trough %.2f mV (reference -74.89)", bottom);
    cr_expect(fabs(crossings - 69.0 * span) <= 1.5, "%u spikes in the ring's %.3f s (%.1f)",
              crossings, span, 69.0 * span);

    /* hillock:focusSlow pairs every sample with HH's n at that very step:
     * a gate in (0, 1) sweeping the limit cycle, so the phase plane draws
     * the loop rather than dots at block ends */
    float n_lo = INFINITY, n_hi = -INFINITY;
    uint32_t finite = 0;
    for (uint32_t i = 0; i < half && i < hillock_view_trace_count(v); ++i) {
        float z = hillock_view_trace_at(v, i)->slow;
        finite += isfinite(z) && z > 0.0f && z < 1.0f;
        n_lo = fminf(n_lo, z);
        n_hi = fmaxf(n_hi, z);
    }
    cr_expect_eq(finite, half < hillock_view_trace_count(v) ? half : hillock_view_trace_count(v),
                 "points with a slow value: %u", finite);
    cr_expect(n_hi - n_lo > 0.2f, "n spans only [%.3f, %.3f]", n_lo, n_hi);

    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 600, 200);
    cairo_t *cr = cairo_create(s);
    hillock_draw_scope(cr, (hv_rect){0, 0, 600, 200}, v, 1.0, true);
    cairo_destroy(cr);
    cairo_surface_write_to_png(s, "plugin-scope.png");
    cairo_surface_destroy(s);

    free(v);
    lilv_instance_deactivate(h.inst);
    hb_free(&h);
    hb_world_free(w);
}

/* Every excitatory synapse of a table: the reference the histogram must
 * add up to, counted row by row (the census walks it in its own order). */
/* The whole panel at its base size, drawn from the view as the UI draws
 * it, to a PNG beside the test (for a look). */
static void
write_panel(const hillock_view *v, const char *png_path)
{
    cairo_surface_t *png = cairo_image_surface_create(CAIRO_FORMAT_RGB24, HILLOCK_UI_BASE_W,
                                                      HILLOCK_UI_BASE_H);
    cairo_t *cr = cairo_create(png);
    hillock_layout lay;
    hillock_layout_compute(&lay, HILLOCK_UI_BASE_W, HILLOCK_UI_BASE_H, 0);
    hillock_panel_state st = {-1, -1, -1, -1, "", false};
    hillock_draw_panel(cr, &lay, v, &st);
    cairo_destroy(cr);
    cairo_surface_write_to_png(png, png_path);
    cairo_surface_destroy(png);
}

static uint32_t
excitatory_synapses(const synapse_table *t, const uint8_t *inhibitory)
{
    uint32_t count = 0;
    for (uint32_t pre = 0; pre < t->n; ++pre)
        if (!inhibitory[pre])
            count += t->row[pre + 1] - t->row[pre];
    return count;
}

/* `blocks` notifications of the plugin with plasticity `rate` on a 64
 * neuron network (p = 0.3, 20 % inhibitory), its worker building the
 * synapse table after the first block as a host's worker does. */
static void
run_learning(hillock_view *v, float rate, int blocks)
{
    hb_world *w = hb_world_new();
    hb_instance h;
    cr_assert(hb_instantiate(&h, w, false, 48000.0));
    h.controls[P_NEURONS] = 64;
    h.controls[P_CONNECTIVITY] = 0.3f;
    h.controls[P_PLASTICITY] = rate;
    h.late[PORT_LATE_FREEWHEEL] = 1.0f; /* no CPU guard: the same run every time */
    hillock_view_init(v);
    for (int p = 0; p < PARAM_COUNT; ++p)
        hillock_view_set_param(v, (param_id)p, h.controls[p]);
    hv_urids u;
    hv_urids_map(&u, hb_map(w));
    lilv_instance_activate(h.inst);
    for (int b = 0; b < blocks; ++b) {
        if (b == 0)
            hb_send_object(&h, HILLOCK__UiOn);
        else
            hb_prepare_events(&h, NULL, NULL, 0);
        lilv_instance_run(h.inst, 960);
        hb_worker_settle(&h);
        const LV2_Atom_Sequence *seq = (const LV2_Atom_Sequence *)h.atom_out;
        LV2_ATOM_SEQUENCE_FOREACH (seq, ev)
            hillock_view_apply_atom(v, &u, &ev->body);
    }
    lilv_instance_deactivate(h.inst);
    hb_free(&h);
    hb_world_free(w);
}

/* With plasticity on, the notifications carry the histogram of the
 * excitatory synapses' weights: every one of them counted (the table's
 * own count, from the same seeded wiring built here), all at their start
 * weight 1 at first, and spread by STDP as the bank fires. Off: none. */
Test(plugin_view, learned_weights_reach_the_view)
{
    float values[PARAM_COUNT];
    param_defaults(values);
    values[P_NEURONS] = 64;
    values[P_CONNECTIVITY] = 0.3f;
    values[P_PLASTICITY] = 1.0f;
    engine *e = engine_create(48000.0);
    engine_set_all_params(e, values);
    engine_io io = {0};
    float l[64], r[64];
    io.out_left = l;
    io.out_right = r;
    engine_process(e, &io, 64); /* the cell types drawn */
    network_params np = {0};
    uint32_t n;
    char err[256];
    engine_synapse_wiring(e, &np.seed, &n, &np.p);
    synapse_table *t = synapses_build(&np, n, err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    uint32_t expected = excitatory_synapses(t, io.display.inhibitory);
    synapses_free(t);
    engine_destroy(e);
    cr_assert_gt(expected, 500, "%u excitatory synapses", expected);

    hillock_view *v = malloc(sizeof *v);
    uint32_t start_bin = (uint32_t)(HV_WEIGHT_BINS / values[P_W_MAX]); /* weight 1 */
    run_learning(v, 1.0f, 3);
    cr_assert(v->weights_at_s >= 0.0, "a histogram within 3 notifications");
    cr_assert(hillock_view_weights_live(v));
    uint32_t sum = 0;
    for (int k = 0; k < HV_WEIGHT_BINS; ++k)
        sum += v->weight_bins[k];
    cr_expect_eq(sum, expected, "%u synapses counted, the table has %u excitatory", sum,
                 expected);
    cr_expect_eq(v->weight_stride, 1);
    cr_expect_float_eq(v->weight_max, values[P_W_MAX], 1e-6);
    /* within a bin (1/16) of the start weight: STDP's first steps are small */
    uint32_t near_start = v->weight_bins[start_bin - 1] + v->weight_bins[start_bin];
    cr_expect_eq(near_start, expected, "%u of %u near the start weight", near_start, expected);

    /* 2 s of firing: additive STDP (the default rule) drives the weights to
     * its bounds, a bimodal distribution (Song, Miller & Abbott 2000, Nat
     * Neurosci 3:919): the bins at 0 and w_max the two fullest */
    run_learning(v, 1.0f, 100);
    near_start = v->weight_bins[start_bin - 1] + v->weight_bins[start_bin];
    cr_expect_lt(near_start, expected / 4, "%u of %u still near the start weight after 2 s",
                 near_start, expected);
    for (int k = 1; k < HV_WEIGHT_BINS - 1; ++k)
        cr_expect_gt(fmin(v->weight_bins[0], v->weight_bins[HV_WEIGHT_BINS - 1]),
                     v->weight_bins[k], "bin %d (%u) fuller than a bound's (%u, %u)", k,
                     v->weight_bins[k], v->weight_bins[0], v->weight_bins[HV_WEIGHT_BINS - 1]);
    sum = 0;
    for (int k = 0; k < HV_WEIGHT_BINS; ++k)
        sum += v->weight_bins[k];
    cr_expect_eq(sum, expected);

    /* the panel with the histogram under the phase plane */
    write_panel(v, "plugin-weights.png");

    run_learning(v, 0.0f, 20);
    cr_expect(v->weights_at_s < 0.0, "no histogram without plasticity");
    free(v);
}

/* The beat lock's indicator: with tempo_sync on at 120 BPM and 1/16 notes
 * the plugin reports the lock's time scale and its last phase error. The
 * default HH neuron's cycle is 14.5 model ms (69 Hz at I = 10 uA/cm2,
 * docs/science.md), so one cycle per division (125 ms at speed 1) needs a
 * scale of 14.5 / 125 = 0.116, and the locked bursts sit on the grid. */
Test(plugin_view, the_beat_lock_reaches_the_view)
{
    hb_world *w = hb_world_new();
    hb_instance h;
    cr_assert(hb_instantiate(&h, w, false, 48000.0));
    h.late[PORT_LATE_FREEWHEEL] = 1.0f; /* no CPU guard: the model's run */
    h.controls[P_TEMPO_SYNC] = TEMPO_SYNC_ON;
    const int sixteenth = 12; /* sync_division: 1/1, 1/1d, 1/1t, 1/2, ... */
    cr_assert_float_eq(tempo_division_quarters(sixteenth), 0.25, 1e-9);
    h.controls[P_SYNC_DIVISION] = (float)sixteenth;
    hillock_view *v = malloc(sizeof *v);
    hillock_view_init(v);
    for (int p = 0; p < PARAM_COUNT; ++p)
        hillock_view_set_param(v, (param_id)p, h.controls[p]);
    hv_urids u;
    hv_urids_map(&u, hb_map(w));
    lilv_instance_activate(h.inst);
    for (int b = 0; b < 200; ++b) { /* 4 s */
        if (b == 0)
            hb_send_object(&h, HILLOCK__UiOn);
        else if (b == 1)
            hb_send_position(&h, 0, 0.0f, 4, 4.0f, 120.0f, 1.0f); /* rolling from bar 0 */
        else
            hb_prepare_events(&h, NULL, NULL, 0);
        lilv_instance_run(h.inst, 960);
        const LV2_Atom_Sequence *seq = (const LV2_Atom_Sequence *)h.atom_out;
        LV2_ATOM_SEQUENCE_FOREACH (seq, ev)
            hillock_view_apply_atom(v, &u, &ev->body);
    }
    cr_assert(v->instrument_known);
    double expected = 14.5 / 125.0;
    cr_expect_float_eq(v->tempo_scale, expected, 0.05 * expected, "scale %.4f (expected %.4f)",
                       (double)v->tempo_scale, expected);
    /* the views' model time runs at the lock's pace */
    cr_expect_float_eq(hillock_view_model_ms_per_s(v), 1000.0 * v->tempo_scale, 1e-3);
    cr_assert(isfinite(v->tempo_error), "a beat was seen");
    cr_expect_lt(fabsf(v->tempo_error), 0.1f, "last beat %+.3f divisions off the grid",
                 (double)v->tempo_error);
    cr_expect_eq(v->pitch_clamped, -1);
    cr_expect_eq(v->pitch_hi_hz, 0.0f, "no pitch reach while not tracking");

    /* the panel with the beat lock's indicator on the rate view */
    write_panel(v, "plugin-beat-lock.png");
    lilv_instance_deactivate(h.inst);
    free(v);
    hb_free(&h);
    hb_world_free(w);
}
