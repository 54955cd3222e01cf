/* render_refs — writes the pictures the drawing tests compare against.
 * Usage: render_refs OUTDIR. Run once after a deliberate drawing change,
 * look at every image, then commit them into tests/gui/ref/. */
#include "draw_cases.h"

#include <stdio.h>

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: render_refs OUTDIR\n");
        return 2;
    }
    for (unsigned i = 0; i < draw_case_count; ++i) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.png", argv[1], draw_cases[i].name);
        cairo_surface_t *s = draw_case_render(&draw_cases[i]);
        if (cairo_surface_write_to_png(s, path) != CAIRO_STATUS_SUCCESS) {
            fprintf(stderr, "render_refs: cannot write %s\n", path);
            return 1;
        }
        cairo_surface_destroy(s);
        printf("%s\n", path);
    }
    return 0;
}
