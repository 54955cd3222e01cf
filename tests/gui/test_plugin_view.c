/* test_plugin_view — the real plugin's notifications, read by the UI's
 * parser, give the picture the model predicts. urn:hillock:bank runs its
 * defaults for one second in the plugin tests' in-process host: 8 identical
 * HH neurons at I = 10 uA/cm2, 6.3 degC. Reference (docs/science.md, HH
 * table, I = 10): 69 spikes in 1 s per neuron from rest, steady peak 30.42 mV and
 * trough -74.89 mV. Saves plugin-scope.png in the working directory. */
#include "draw.h"
#include "host.h"
#include "notify_view.h"

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
