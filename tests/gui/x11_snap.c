/* x11_snap — wait for a viewable X window with the given name, let it draw
 * for a moment, and save its pixels as a PNG:
 *
 *   x11_snap NAME OUT.png [TIMEOUT_S]
 *
 * Exits 0 when the window appeared and its picture is not a blank fill
 * (more than 8 distinct colours), 1 otherwise. Used to check that a real
 * host (jalv.gtk3) created Hillock's UI, and to take the picture docs/ui.png.
 */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <cairo.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int
ignore_errors(Display *d, XErrorEvent *e)
{
    (void)d;
    (void)e;
    return 0; /* windows may vanish while we walk the tree */
}

static Window
find(Display *dpy, Window w, const char *name)
{
    char *n = NULL;
    if (XFetchName(dpy, w, &n) && n) {
        int same = !strcmp(n, name);
        XFree(n);
        if (same) {
            XWindowAttributes wa;
            if (XGetWindowAttributes(dpy, w, &wa) && wa.map_state == IsViewable)
                return w;
        }
    }
    Window root, parent, *kids = NULL, found = 0;
    unsigned nk = 0;
    if (!XQueryTree(dpy, w, &root, &parent, &kids, &nk))
        return 0;
    for (unsigned i = 0; i < nk && !found; ++i)
        found = find(dpy, kids[i], name);
    if (kids)
        XFree(kids);
    return found;
}

static void
sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: x11_snap NAME OUT.png [TIMEOUT_S]\n");
        return 2;
    }
    double timeout = argc > 3 ? atof(argv[3]) : 10.0;
    Display *dpy = XOpenDisplay(NULL);
    if (!dpy) {
        fprintf(stderr, "x11_snap: no display\n");
        return 1;
    }
    XSetErrorHandler(ignore_errors);
    Window w = 0;
    for (long waited = 0; !w && waited < (long)(timeout * 1000); waited += 100) {
        w = find(dpy, DefaultRootWindow(dpy), argv[1]);
        if (!w)
            sleep_ms(100);
    }
    if (!w) {
        fprintf(stderr, "x11_snap: no viewable window named \"%s\" after %g s\n", argv[1],
                timeout);
        return 1;
    }
    sleep_ms(1500); /* let it show some live activity */
    XWindowAttributes wa;
    XImage *img = NULL;
    /* the host may be resizing or remapping it just now: try again */
    for (int tries = 0; !img && tries < 20; ++tries) {
        if (tries)
            sleep_ms(100);
        if (XGetWindowAttributes(dpy, w, &wa) && wa.map_state == IsViewable)
            img = XGetImage(dpy, w, 0, 0, (unsigned)wa.width, (unsigned)wa.height,
                            AllPlanes, ZPixmap);
    }
    if (!img) {
        fprintf(stderr, "x11_snap: cannot read the window's pixels\n");
        return 1;
    }
    cairo_surface_t *out = cairo_image_surface_create(CAIRO_FORMAT_RGB24, wa.width, wa.height);
    unsigned char *data = cairo_image_surface_get_data(out);
    int stride = cairo_image_surface_get_stride(out);
    unsigned long colours[16];
    unsigned n_colours = 0;
    for (int y = 0; y < wa.height; ++y)
        for (int x = 0; x < wa.width; ++x) {
            unsigned long p = XGetPixel(img, x, y) & 0xffffffUL;
            *(uint32_t *)(data + y * stride + 4 * x) = (uint32_t)p;
            unsigned i = 0;
            while (i < n_colours && colours[i] != p)
                ++i;
            if (i == n_colours && n_colours < 16)
                colours[n_colours++] = p;
        }
    cairo_surface_mark_dirty(out);
    int ok = cairo_surface_write_to_png(out, argv[2]) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(out);
    XDestroyImage(img);
    XCloseDisplay(dpy);
    printf("x11_snap: window 0x%lx %dx%d, %s%u colours, saved %s\n", w, wa.width, wa.height,
           n_colours == 16 ? ">=" : "", n_colours, argv[2]);
    return ok && n_colours > 8 ? 0 : 1;
}
