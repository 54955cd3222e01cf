/* draw.h — every picture Hillock shows, drawn with cairo from a hillock_view.
 *
 * No X, no LV2: the same functions draw the X11 UI, Ardour's inline display
 * and the reference images of the tests. Rectangles are in device pixels;
 * `scale` (1 at the base size, 2 on a HiDPI screen) sizes lines and text.
 */
#ifndef HILLOCK_DRAW_H
#define HILLOCK_DRAW_H

#include "param_ui.h"
#include "view.h"

#include <cairo.h>
#include <stdbool.h>

/* The panel's size at scale 1; it grows with the window. */
#define HILLOCK_UI_BASE_W 960
#define HILLOCK_UI_BASE_H 600

typedef struct {
    double x, y, w, h;
} hv_rect;

typedef enum { HV_CTRL_KNOB, HV_CTRL_MENU } hv_ctrl_kind;

typedef struct {
    param_id param;
    hv_ctrl_kind kind;
    hv_rect r; /* the whole cell: label, knob or box, value */
} hv_control;

#define HV_MAX_CONTROLS 24

/* Where everything sits for a window of w x h pixels. */
typedef struct {
    int w, h;
    double scale;
    hv_rect header, raster, rate, scope, phase;
    hv_control controls[HV_MAX_CONTROLS];
    unsigned n_controls;
} hillock_layout;

/* What the panel is doing with the pointer: which menu is open, which
 * control is under the pointer or being dragged (indices into controls[],
 * -1 for none). */
typedef struct {
    int open_menu;
    int hover;
    int active;
} hillock_panel_state;

void hillock_layout_compute(hillock_layout *l, int w, int h);

/* Control index under (x, y), or -1. */
int hillock_layout_hit(const hillock_layout *l, double x, double y);

/* The box of a menu control (inside its cell), and item i of its open list. */
hv_rect hillock_menu_box(const hillock_layout *l, int control);
hv_rect hillock_menu_item(const hillock_layout *l, int control, unsigned item);
/* Item of the open menu under (x, y), or -1. */
int hillock_menu_item_at(const hillock_layout *l, int control, double x, double y);

/* Neuron whose raster row is at y (inside l->raster), or -1. */
int hillock_raster_neuron_at(const hillock_layout *l, const hillock_view *v, double y);

/* The whole panel. */
void hillock_draw_panel(cairo_t *cr, const hillock_layout *l, const hillock_view *v,
                        const hillock_panel_state *st);

/* Widgets, each inside r. */
void hillock_draw_raster(cairo_t *cr, hv_rect r, const hillock_view *v, double scale,
                         bool labels);
void hillock_draw_scope(cairo_t *cr, hv_rect r, const hillock_view *v, double scale,
                        bool labels);
void hillock_draw_rate(cairo_t *cr, hv_rect r, const hillock_view *v, double scale);
void hillock_draw_phase(cairo_t *cr, hv_rect r, const hillock_view *v, double scale);
/* The slow variable's axis range the phase plane uses (its window's
 * points, padded); returns how many points it shows. */
double hillock_phase_slow_range(const hillock_view *v, double *lo, double *hi);
void hillock_draw_knob(cairo_t *cr, hv_rect r, param_id id, float value, double scale,
                       bool highlighted);
void hillock_draw_menu(cairo_t *cr, hv_rect r, param_id id, float value, double scale,
                       bool highlighted);
/* The open list of a menu control, drawn over everything else. */
void hillock_draw_menu_list(cairo_t *cr, const hillock_layout *l, int control,
                            const hillock_view *v);

/* Ardour's inline display: a small raster over a small scope, no text; the
 * scope alone while the view has never received a spike. Signature stable:
 * the plugin's idpy render() calls it. */
void hillock_draw_inline(cairo_t *cr, int w, int h, const hillock_view *v);

#endif
