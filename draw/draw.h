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

/* Controls: a knob for numbers, a menu for choices (enumerations and
 * toggles), a tab for each page of controls. */
typedef enum { HV_CTRL_KNOB, HV_CTRL_MENU, HV_CTRL_TAB } hv_ctrl_kind;

typedef struct {
    param_id param; /* knobs and menus */
    hv_ctrl_kind kind;
    hv_rect r;      /* the whole cell: label, knob or box, value */
    int page;       /* tabs: the page they show; others: their page */
} hv_control;

#define HV_MAX_PAGES 16
#define HV_MAX_CONTROLS (PARAM_COUNT + HV_MAX_PAGES)

/* The pages of controls, one per group of the parameter table (bank,
 * model, dendrite, network, stimulus, sound, and any group added later),
 * in the order the groups first appear in the table. */
unsigned hillock_page_count(void);
/* Page of a parameter. */
int hillock_page_of(param_id id);
/* A page's title: its group's name capitalised ("stimulus" is "Input"). */
void hillock_page_title(unsigned page, char *buf, unsigned len);

/* Where everything sits for a window of w x h pixels showing one page of
 * controls: the header with the page tabs and the CPU guard's meter, the
 * plots, and the page's controls in rows at the bottom. */
typedef struct {
    int w, h;
    double scale;
    int page;
    hv_rect header, guard, raster, rate, scope, phase;
    hv_control controls[HV_MAX_CONTROLS];
    unsigned n_controls;
} hillock_layout;

/* What the panel is doing with the pointer and keyboard: which menu is
 * open, which control is under the pointer or being dragged, which one
 * takes typed text (indices into controls[], -1 for none). */
typedef struct {
    int open_menu;
    int hover;
    int active;
    int editing;
    char text[32];   /* typed so far */
    bool text_error; /* the last Return found no valid value in it */
} hillock_panel_state;

void hillock_layout_compute(hillock_layout *l, int w, int h, int page);

/* Control index under (x, y), or -1. */
int hillock_layout_hit(const hillock_layout *l, double x, double y);
/* Control index of a parameter on the layout's page, or -1. */
int hillock_layout_control_of(const hillock_layout *l, param_id id);

/* The box of a menu control (inside its cell), and item i of its open list. */
hv_rect hillock_menu_box(const hillock_layout *l, int control);
/* The same for a menu cell r at a scale. */
hv_rect hillock_menu_box_in(hv_rect r, double scale);
hv_rect hillock_menu_item(const hillock_layout *l, int control, unsigned item);
unsigned hillock_menu_items(const hillock_layout *l, int control);
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
/* The learned weights' histogram (hillock_view_set_weights): drawn under
 * the phase plane while plasticity plays. */
void hillock_draw_weights(cairo_t *cr, hv_rect r, const hillock_view *v, double scale);
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
