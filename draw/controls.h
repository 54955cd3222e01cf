/* controls.h — the panel's controls as the panel draws them (draw.c), with
 * the other parameters' values and the edit in progress; draw.h has the
 * single control drawn alone. */
#ifndef HILLOCK_CONTROLS_H
#define HILLOCK_CONTROLS_H

#include "draw.h"

void draw_knob(cairo_t *cr, hv_rect r, param_id id, float value, const float *params, double scale,
               bool highlighted, const hillock_panel_state *edit);
void draw_menu(cairo_t *cr, hv_rect r, param_id id, float value, const float *params, double scale,
               bool highlighted, const hillock_panel_state *edit);
/* A tab of the panel's pages: the current one lit, the one under the
 * pointer (hot) raised. */
void draw_tab(cairo_t *cr, const hv_control *c, double s, bool current, bool hot);

#endif
