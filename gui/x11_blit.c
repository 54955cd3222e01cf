/* x11_blit.c — the UI's pixels from a cairo image surface to X.
 *
 * Why not cairo-xlib: cairo 1.16 (Debian 12) leaks its per-Display device
 * on every XCloseDisplay once the UI has drawn on it, 2680 bytes and more
 * per UI opened and closed (found by LeakSanitizer in ui_cycles):
 *  - text: each scaled font drawn on the display gets a cairo_xlib_font_t
 *    holding a reference on the device (_cairo_xlib_font_create); closing
 *    the display frees it (_cairo_xlib_font_close) without dropping that
 *    reference. The scaled fonts stay in cairo's global font cache after
 *    the UI lets go of them, so the UI cannot finalise them first (only
 *    cairo_debug_reset_static_data can, which is not for a plugin sharing
 *    the host's cairo);
 *  - fills: the device caches solid-colour sources (360 bytes each) that
 *    its destroy function frees with the device struct but not the cached
 *    sources themselves.
 * Drawing into an image surface and sending it with XPutImage never
 * creates that device.
 */
#include "x11_blit.h"

#include <X11/Xutil.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool
hillock_x11_blit_supported(const Visual *visual)
{
    return visual->class == TrueColor;
}

/* An 8-bit channel value scaled into the bits of mask. */
static unsigned long
to_mask(unsigned v8, unsigned long mask)
{
    if (!mask)
        return 0;
    int shift = 0;
    while (!(mask >> shift & 1))
        ++shift;
    unsigned long max = mask >> shift;
    return ((v8 * max + 127) / 255) << shift;
}

/* RGB24 pixels (0x00RRGGBB in host order) are the pixel values of a visual
 * with 8 bits per channel in those places: Xlib then only packs and, for a
 * server of the other byte order, swaps. */
static bool
is_native_rgb(const Visual *v, int depth)
{
    return (depth == 24 || depth == 32) && v->red_mask == 0xff0000 &&
           v->green_mask == 0x00ff00 && v->blue_mask == 0x0000ff;
}

bool
hillock_x11_blit(Display *dpy, Drawable drawable, GC gc, Visual *visual, int depth,
                 cairo_surface_t *img)
{
    cairo_surface_flush(img);
    int w = cairo_image_surface_get_width(img);
    int h = cairo_image_surface_get_height(img);
    int stride = cairo_image_surface_get_stride(img);
    unsigned char *data = cairo_image_surface_get_data(img);
    if (!data || w <= 0 || h <= 0)
        return true;

    if (is_native_rgb(visual, depth)) {
        XImage xi;
        memset(&xi, 0, sizeof xi);
        const uint16_t one = 1;
        bool little = *(const uint8_t *)&one == 1;
        xi.width = w;
        xi.height = h;
        xi.format = ZPixmap;
        xi.data = (char *)data;
        xi.byte_order = little ? LSBFirst : MSBFirst;
        xi.bitmap_unit = 32;
        xi.bitmap_bit_order = xi.byte_order;
        xi.bitmap_pad = 32;
        xi.depth = depth;
        xi.bytes_per_line = stride;
        xi.bits_per_pixel = 32;
        xi.red_mask = visual->red_mask;
        xi.green_mask = visual->green_mask;
        xi.blue_mask = visual->blue_mask;
        if (XInitImage(&xi)) {
            XPutImage(dpy, drawable, gc, &xi, 0, 0, 0, 0, (unsigned)w, (unsigned)h);
            return true;
        }
    }

    /* any other TrueColor layout (16-bit, 30-bit): pixel by pixel */
    XImage *xi = XCreateImage(dpy, visual, (unsigned)depth, ZPixmap, 0, NULL, (unsigned)w,
                              (unsigned)h, 32, 0);
    if (!xi)
        return false;
    xi->data = malloc((size_t)xi->bytes_per_line * (size_t)h);
    if (!xi->data) {
        XDestroyImage(xi);
        return false;
    }
    for (int y = 0; y < h; ++y) {
        const uint32_t *row = (const uint32_t *)(data + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; ++x) {
            uint32_t p = row[x];
            XPutPixel(xi, x, y,
                      to_mask(p >> 16 & 0xff, visual->red_mask) |
                          to_mask(p >> 8 & 0xff, visual->green_mask) |
                          to_mask(p & 0xff, visual->blue_mask));
        }
    }
    XPutImage(dpy, drawable, gc, xi, 0, 0, 0, 0, (unsigned)w, (unsigned)h);
    XDestroyImage(xi); /* frees data too */
    return true;
}
