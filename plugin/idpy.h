/* idpy.h — Ardour's LV2 inline display extension, declared here because
 * Debian ships no header for it. Layout and URIs as Ardour 7 expects them
 * (the extension is specified by its URIs and these three structs). */
#ifndef HILLOCK_IDPY_H
#define HILLOCK_IDPY_H

#include <lv2/core/lv2.h>

#include <stdint.h>

#define LV2_INLINEDISPLAY_URI "http://harrisonconsoles.com/lv2/inlinedisplay"
#define LV2_INLINEDISPLAY__interface LV2_INLINEDISPLAY_URI "#interface"
#define LV2_INLINEDISPLAY__queue_draw LV2_INLINEDISPLAY_URI "#queue_draw"

/* An image the plugin owns: ARGB32, premultiplied (cairo's
 * CAIRO_FORMAT_ARGB32), valid until the next render() or cleanup(). */
typedef struct {
    unsigned char *data;
    int width;
    int height;
    int stride;
} LV2_Inline_Display_Image_Surface;

/* The host feature: the plugin calls queue_draw() (from run() is fine) to
 * ask for a render() soon on the GUI thread. */
typedef struct {
    void *handle;
    void (*queue_draw)(void *handle);
} LV2_Inline_Display;

/* The plugin's extension data. render() runs on the GUI thread, possibly
 * concurrently with run(); h <= max_h is the plugin's choice. */
typedef struct {
    LV2_Inline_Display_Image_Surface *(*render)(LV2_Handle instance, uint32_t w,
                                                uint32_t max_h);
} LV2_Inline_Display_Interface;

#endif
