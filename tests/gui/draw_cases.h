/* draw_cases.h — the pictures the drawing tests check, each drawn from
 * synthetic data (synth.h) onto an ARGB image surface. */
#ifndef HILLOCK_TEST_DRAW_CASES_H
#define HILLOCK_TEST_DRAW_CASES_H

#include "draw.h"

typedef struct {
    const char *name;
    int w, h;
    void (*draw)(cairo_t *cr, int w, int h);
} draw_case;

extern const draw_case draw_cases[];
extern const unsigned draw_case_count;

/* A new w x h ARGB32 surface holding the case's picture. */
cairo_surface_t *draw_case_render(const draw_case *c);

#endif
