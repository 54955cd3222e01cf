/* x11_blit.h — a cairo image surface copied to an X drawable with plain
 * Xlib (XPutImage), so the UI needs no cairo-xlib device (see x11_blit.c
 * for why). */
#ifndef HILLOCK_X11_BLIT_H
#define HILLOCK_X11_BLIT_H

#include <X11/Xlib.h>
#include <cairo.h>
#include <stdbool.h>

/* Whether hillock_x11_blit can show colours on this visual: TrueColor
 * (every default visual of today's servers), whose pixel values are the
 * colours themselves; not colour-mapped visuals. */
bool hillock_x11_blit_supported(const Visual *visual);

/* Copies the CAIRO_FORMAT_RGB24 surface img (flushed here) to drawable at
 * (0, 0). visual and depth describe the drawable. False when Xlib runs out
 * of memory for a converted copy (visuals other than 8 bits per channel). */
bool hillock_x11_blit(Display *dpy, Drawable drawable, GC gc, Visual *visual, int depth,
                      cairo_surface_t *img);

#endif
