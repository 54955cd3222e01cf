/* test_inline — Ardour's inline display through the plugin's own interface
 * (idpy.h): instantiate urn:hillock:bank in the plugin tests' in-process
 * host, run one second of the default bank (HH at 10 uA/cm2 fires tonically,
 * about 68 Hz: docs/science.md), call render() as Ardour does, and look
 * at the picture. Saves inline-plugin.png in the working directory. */
#include "host.h"
#include "idpy.h"

#include <cairo.h>
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>

/* A pixel of the voltage trace: clearly green (draw/paint.h C_SOMA, or the
 * plugin's own trace colour). */
/* A pixel of an excitatory spike in the raster (draw/paint.h C_EXC, amber). */
static bool
amber(uint32_t argb)
{
    int r = (argb >> 16) & 0xff, g = (argb >> 8) & 0xff, b = argb & 0xff;
    return r > 230 && g > 150 && g < 200 && b < 90;
}

static bool
greenish(uint32_t argb)
{
    int r = (argb >> 16) & 0xff, g = (argb >> 8) & 0xff, b = argb & 0xff;
    return g > 150 && g > r + 30 && g > b + 30;
}

Test(inline_display, renders_a_live_trace_through_the_plugin_interface)
{
    hb_world *w = hb_world_new();
    hb_instance h;
    cr_assert(hb_instantiate(&h, w, false, 48000.0));
    /* as a host exporting (lv2:freeWheeling): the CPU guard, which thins
     * the bank by the wall clock (a sanitizer build on a loaded machine
     * played 1 neuron of 8), stays off, so the run is the model's */
    h.late[PORT_LATE_FREEWHEEL] = 1.0f;
    const LV2_Inline_Display_Interface *idpy =
        lilv_instance_get_extension_data(h.inst, LV2_INLINEDISPLAY__interface);
    cr_assert_not_null(idpy, "the plugin offers idpy:interface");
    lilv_instance_activate(h.inst);
    for (int b = 0; b < 50; ++b) {
        hb_prepare_events(&h, NULL, NULL, 0);
        lilv_instance_run(h.inst, 960);
    }

    const uint32_t width = 160, max_h = 100;
    LV2_Inline_Display_Image_Surface *img =
        idpy->render(lilv_instance_get_handle(h.inst), width, max_h);
    cr_assert_not_null(img);
    cr_assert_eq(img->width, (int)width);
    cr_assert(img->height > 0 && img->height <= (int)max_h, "height %d", img->height);
    cr_assert_geq(img->stride, 4 * img->width);

    int top = img->height, bottom = -1, raster_bottom = -1;
    long green = 0, spikes = 0;
    for (int y = 0; y < img->height; ++y)
        for (int x = 0; x < img->width; ++x) {
            uint32_t p = *(const uint32_t *)(img->data + y * img->stride + 4 * x);
            if (amber(p)) {
                spikes++;
                raster_bottom = y > raster_bottom ? y : raster_bottom;
            }
            if (greenish(p)) {
                green++;
                top = y < top ? y : top;
                bottom = y > bottom ? y : bottom;
            }
        }
    cairo_surface_t *s = cairo_image_surface_create_for_data(
        img->data, CAIRO_FORMAT_ARGB32, img->width, img->height, img->stride);
    cairo_surface_write_to_png(s, "inline-plugin.png");
    cairo_surface_destroy(s);

    /* a trace across the picture, spikes spanning much of the voltage axis
     * (rest near -65 mV, peaks near +30 mV); with gui/'s drawing the scope
     * takes the lower 40 % under the raster, so a fifth of the height */
    cr_expect_geq(green, (long)width, "%ld trace pixels", green);
    cr_expect_geq(bottom - top, img->height / 5, "trace spans rows %d..%d of %d", top,
                  bottom, img->height);

    /* the plugin draws with gui/'s hillock_draw_inline (plugin/meson.build
     * links it whenever gui/ builds): the raster of the firing bank sits
     * above the trace */
    cr_expect_geq(spikes, (long)width, "%ld raster pixels", spikes);
    cr_expect_lt(raster_bottom, top, "raster (to row %d) above the trace (from row %d)",
                 raster_bottom, top);

    /* Ardour asks again at another width: a new picture of that width */
    img = idpy->render(lilv_instance_get_handle(h.inst), 90, max_h);
    cr_assert_not_null(img);
    cr_expect_eq(img->width, 90);
    lilv_instance_deactivate(h.inst);
    hb_free(&h);
    hb_world_free(w);
}
