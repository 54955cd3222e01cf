/* test_flash_plugin — the panel stays safe to watch while the real plugin
 * plays: no large area flashes more than three times a second (WCAG 2.3.1,
 * counted as flash_count.h says).
 *
 * urn:hillock:bank runs in the plugin tests' in-process host; its
 * notifications go through the UI's parser into a view, and the panel
 * (480 x 300, the layout at half scale: the same fractions of its area) is
 * drawn after each one, 50 frames a second, for 2 s from the first
 * notification on. Cases: the presets that pulse (the seizure preset's
 * surges, synchronous, rhythmic and bursting banks) at their own settings,
 * every preset with HILLOCK_FLASH_ALL_PRESETS=1 (about 15 s), and the
 * seizure preset at speed 26, where a surge of 0.75 model s passes in
 * 29 ms. Each case also logs its largest swing: the most any window's mean
 * luminance moved (a flash needs 0.1); its last frame is saved as
 * flash-PRESET-SPEED.png in the working directory. */
#include "draw.h"
#include "flash_count.h"
#include "host.h"
#include "notify_view.h"

#include <cairo.h>
#include <criterion/criterion.h>
#include <lv2/atom/util.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 480
#define H 300
#define RATE 48000.0
#define FPS HILLOCK_NOTIFY_HZ /* a frame per notification */
#define SECONDS 2

static double series[FLASH_WINDOWS][FLASH_MAX_FRAMES];

/* The largest range of one window's luminance over n frames. */
static double
largest_swing(int n)
{
    double swing = 0;
    for (int k = 0; k < FLASH_WINDOWS; ++k) {
        double lo = series[k][0], hi = series[k][0];
        for (int f = 1; f < n; ++f) {
            lo = fmin(lo, series[k][f]);
            hi = fmax(hi, series[k][f]);
        }
        swing = fmax(swing, hi - lo);
    }
    return swing;
}

/* The worst window's flashes per second while the preset plays (speed > 0
 * overrides its speed), logged with the spikes the view received and the
 * largest swing. */
static int
flashes_of(hb_world *w, const LilvNode *preset, float speed)
{
    hb_instance h;
    cr_assert(hb_instantiate(&h, w, false, RATE));
    float values[PARAM_COUNT];
    cr_assert_gt(hb_apply_preset(&h, preset, values), 0);
    if (speed > 0)
        h.controls[P_SPEED] = values[P_SPEED] = speed;
    /* as a host exporting: the CPU guard, which thins the bank by the wall
     * clock of a loaded machine, stays off, so every run is the same */
    h.late[PORT_LATE_FREEWHEEL] = 1.0f;
    hillock_view *v = malloc(sizeof *v);
    hillock_view_init(v);
    for (int p = 0; p < PARAM_COUNT; ++p) /* as the host tells the UI */
        hillock_view_set_param(v, (param_id)p, values[p]);
    hv_urids u;
    hv_urids_map(&u, hb_map(w));
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    hillock_layout l;
    hillock_layout_compute(&l, W, H, 0);
    hillock_panel_state st = {-1, -1, -1, -1, "", false};
    lilv_instance_activate(h.inst);
    uint32_t block = (uint32_t)(RATE / HILLOCK_NOTIFY_HZ);
    int frames = SECONDS * FPS;
    for (int f = 0; f < frames; ++f) {
        if (f == 0)
            hb_send_object(&h, HILLOCK__UiOn);
        else
            hb_prepare_events(&h, NULL, NULL, 0);
        lilv_instance_run(h.inst, block);
        const LV2_Atom_Sequence *seq = (const LV2_Atom_Sequence *)h.atom_out;
        LV2_ATOM_SEQUENCE_FOREACH (seq, ev)
            hillock_view_apply_atom(v, &u, &ev->body);
        cairo_t *cr = cairo_create(s);
        hillock_draw_panel(cr, &l, v, &st);
        cairo_destroy(cr);
        double lum[FLASH_WINDOWS];
        flash_window_luminance(s, lum);
        for (int k = 0; k < FLASH_WINDOWS; ++k)
            series[k][f] = lum[k];
    }
    lilv_instance_deactivate(h.inst);
    char png[160];
    snprintf(png, sizeof png, "flash-%s-%g.png",
             lilv_node_as_uri(preset) + strlen(HILLOCK_PRESET_URI_PREFIX),
             (double)values[P_SPEED]);
    cairo_surface_write_to_png(s, png);
    int flashes = flash_worst_window(series, frames, FPS);
    cr_log_info("%s at speed %g: %d flashes in a second, largest swing %.3f, %u spikes",
                lilv_node_as_uri(preset), (double)values[P_SPEED], flashes,
                largest_swing(frames), v->spike_head);
    cr_expect_gt(v->spike_head, 50, "%s: the bank fires", lilv_node_as_uri(preset));
    cairo_surface_destroy(s);
    free(v);
    hb_free(&h);
    return flashes;
}

static const LilvNode *
preset_named(const LilvNode **presets, int n, const char *name)
{
    for (int i = 0; i < n; ++i)
        if (strcmp(lilv_node_as_uri(presets[i]) + strlen(HILLOCK_PRESET_URI_PREFIX), name) == 0)
            return presets[i];
    return NULL;
}

/* The presets that pulse: surges, synchrony, rhythms, bursts. */
static const char *const pulsing[] = {
    "seizure-and-recovery", "hh-gap-sync",         "temporal-coding-sync",
    "ei-gamma",             "feedback-inhibition-rhythm", "izh-intrinsic-bursting",
};

Test(flash_plugin, the_presets_pulse_gently)
{
    hb_world *w = hb_world_new();
    const LilvNode *presets[HB_MAX_PRESETS];
    int n = hb_presets(w, false, presets, HB_MAX_PRESETS);
    const char *all = getenv("HILLOCK_FLASH_ALL_PRESETS");
    int cases = all && *all == '1' ? n : (int)(sizeof pulsing / sizeof *pulsing);
    for (int i = 0; i < cases; ++i) {
        const LilvNode *p = cases == n ? presets[i] : preset_named(presets, n, pulsing[i]);
        cr_assert(p, "preset %s", pulsing[i]);
        int f = flashes_of(w, p, 0);
        cr_expect_leq(f, 3, "%s: %d flashes in a second", lilv_node_as_uri(p), f);
    }
    hb_world_free(w);
}

Test(flash_plugin, the_seizure_preset_at_speed_26_pulses_gently)
{
    hb_world *w = hb_world_new();
    const LilvNode *presets[HB_MAX_PRESETS];
    int n = hb_presets(w, false, presets, HB_MAX_PRESETS);
    const LilvNode *seizure = preset_named(presets, n, "seizure-and-recovery");
    cr_assert(seizure);
    int f = flashes_of(w, seizure, 26.0f);
    cr_expect_leq(f, 3, "%d flashes in a second", f);
    hb_world_free(w);
}
