/* ui_host — a minimal LV2 UI host that drives hillock_ui.so the way a real
 * host does, on a real X server (run it under xvfb-run -a):
 *
 *   ui_host path/to/hillock_ui.so SCREENSHOT.png
 *
 * It gives the UI a parent window, urid:map and ui:parent, feeds it port
 * events (control values and forged notifications, forge_notify.h), runs
 * idle(), sends synthetic pointer events with XSendEvent and checks the
 * control values the UI writes back. Expected values come from the
 * parameter table (dsp/params.c) and the UI's own layout (draw.h), which the
 * host computes for the same window size. Prints "N passed, N failed".
 */
#include "draw.h"
#include "forge_notify.h"

#include "ports.h"
#include "uris.h"

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>
#include <cairo.h>
#include <dlfcn.h>
#include <lv2/atom/atom.h>
#include <lv2/atom/util.h>
#include <lv2/options/options.h>
#include <lv2/patch/patch.h>
#include <lv2/ui/ui.h>
#include <lv2/urid/urid.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int passed, failed;

#define CHECK(cond, ...)                                                                  \
    do {                                                                                  \
        if (cond) {                                                                       \
            passed++;                                                                     \
        } else {                                                                          \
            failed++;                                                                     \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                          \
            fprintf(stderr, __VA_ARGS__);                                                 \
            fputc('\n', stderr);                                                          \
        }                                                                                 \
    } while (0)

/* ---- what the UI writes ---- */

typedef struct {
    uint32_t port, format, size;
    float value;
    LV2_URID otype; /* object type for atom writes */
} ui_write;

static ui_write writes[4096];
static unsigned n_writes;
static LV2_URID urid_eventTransfer, urid_Object;

static void
write_fn(LV2UI_Controller controller, uint32_t port, uint32_t size, uint32_t format,
         const void *buffer)
{
    (void)controller;
    if (n_writes == sizeof writes / sizeof writes[0])
        return;
    ui_write *w = &writes[n_writes++];
    *w = (ui_write){port, format, size, NAN, 0};
    if (format == 0 && size == sizeof(float))
        w->value = *(const float *)buffer;
    else if (format == urid_eventTransfer && size >= sizeof(LV2_Atom_Object)) {
        const LV2_Atom_Object *o = buffer;
        if (o->atom.type == urid_Object)
            w->otype = o->body.otype;
    }
}

/* The last value written to a control port since write index `since`. */
static bool
written(unsigned since, uint32_t port, float *value)
{
    bool found = false;
    for (unsigned i = since; i < n_writes; ++i)
        if (writes[i].format == 0 && writes[i].port == port) {
            *value = writes[i].value;
            found = true;
        }
    return found;
}

/* ---- driving the UI ---- */

typedef struct {
    const LV2UI_Descriptor *desc;
    LV2UI_Handle handle;
    const LV2UI_Idle_Interface *idle;
    Display *dpy;
    Window parent, ui_win;
    bool cv;
    int page;
    hillock_layout layout;
    Time time;
} session;

/* ---- ui:touch: the gestures the UI reports ---- */

typedef struct {
    uint32_t port;
    bool grabbed;
} touch_event;

static touch_event touches[4096];
static unsigned n_touches;

static void
touch_fn(LV2UI_Feature_Handle handle, uint32_t port, bool grabbed)
{
    (void)handle;
    if (n_touches < sizeof touches / sizeof touches[0])
        touches[n_touches++] = (touch_event){port, grabbed};
}

/* Since touch index `since`: port grabbed, then released, and nothing else. */
static bool
one_gesture(unsigned since, uint32_t port)
{
    return n_touches == since + 2 && touches[since].port == port && touches[since].grabbed &&
           touches[since + 1].port == port && !touches[since + 1].grabbed;
}

static void
sleep_ms(int ms)
{
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* Let the X server deliver what we sent, then let the UI read it. */
static void
pump(session *s)
{
    XSync(s->dpy, False);
    for (int i = 0; i < 5; ++i) {
        s->idle->idle(s->handle);
        sleep_ms(4);
    }
}

/* The fields button, motion and key events share, set on e (one of
 * XButtonEvent, XMotionEvent, XKeyEvent) for the UI's window. */
#define INPUT_EVENT(e, s, type_, x_, y_, state_)                                           \
    ((e).type = (type_), (e).display = (s)->dpy, (e).window = (s)->ui_win,                 \
     (e).root = DefaultRootWindow((s)->dpy), (e).time = (s)->time, (e).x = (int)(x_),      \
     (e).y = (int)(y_), (e).state = (state_), (e).same_screen = True)

static void
send_button(session *s, int type, unsigned button, double x, double y, unsigned state)
{
    XEvent ev;
    memset(&ev, 0, sizeof ev);
    INPUT_EVENT(ev.xbutton, s, type, x, y, state);
    ev.xbutton.button = button;
    XSendEvent(s->dpy, s->ui_win, False,
               type == ButtonPress ? ButtonPressMask : ButtonReleaseMask, &ev);
}

static void
send_motion(session *s, double x, double y, unsigned state)
{
    XEvent ev;
    memset(&ev, 0, sizeof ev);
    INPUT_EVENT(ev.xmotion, s, MotionNotify, x, y, state);
    XSendEvent(s->dpy, s->ui_win, False, PointerMotionMask, &ev);
}

/* Key presses for each character of text ('\r' Return, '\033' Escape). */
static void
type_text(session *s, const char *text)
{
    for (const char *c = text; *c; ++c) {
        KeySym sym = *c == '\r' ? XK_Return : *c == '\033' ? XK_Escape
                   : *c == ' ' ? XK_space : *c == '.' ? XK_period : (KeySym)*c;
        XEvent ev;
        memset(&ev, 0, sizeof ev);
        ++s->time;
        INPUT_EVENT(ev.xkey, s, KeyPress, 0, 0, 0);
        ev.xkey.keycode = XKeysymToKeycode(s->dpy, sym);
        XSendEvent(s->dpy, s->ui_win, False, KeyPressMask, &ev);
    }
    pump(s);
}

static void
click(session *s, unsigned button, double x, double y)
{
    s->time += 1000; /* far from the last click: not a double-click */
    send_button(s, ButtonPress, button, x, y, 0);
    send_button(s, ButtonRelease, button, x, y, button == Button1 ? Button1Mask : 0);
    pump(s);
}

/* Two clicks 100 ms apart (the UI's double-click is within 350 ms). */
static void
double_click(session *s, double x, double y)
{
    s->time += 1000;
    for (int k = 0; k < 2; ++k) {
        s->time += 100 * k;
        send_button(s, ButtonPress, Button1, x, y, 0);
        send_button(s, ButtonRelease, Button1, x, y, Button1Mask);
    }
    pump(s);
}

/* Press at (x, y), move by dy in `steps` equal motions, release there;
 * state adds modifiers (ShiftMask: the fine drag). */
static void
drag(session *s, double x, double y, double dy, int steps, unsigned state)
{
    s->time += 1000;
    send_button(s, ButtonPress, Button1, x, y, state);
    for (int k = 1; k <= steps; ++k)
        send_motion(s, x, y + dy * k / steps, Button1Mask | state);
    send_button(s, ButtonRelease, Button1, x, y + dy, Button1Mask | state);
    pump(s);
}

static int
control_of(const session *s, param_id id)
{
    return hillock_layout_control_of(&s->layout, id);
}

static void
relayout(session *s)
{
    XWindowAttributes wa;
    XGetWindowAttributes(s->dpy, s->ui_win, &wa);
    hillock_layout_compute(&s->layout, wa.width, wa.height, s->page);
}

/* Click the tab of the page that holds parameter id (if not shown). */
static void
go_to(session *s, param_id id)
{
    int page = hillock_page_of(id);
    if (page == s->page)
        return;
    for (unsigned i = 0; i < s->layout.n_controls; ++i) {
        const hv_control *c = &s->layout.controls[i];
        if (c->kind == HV_CTRL_TAB && c->page == page) {
            click(s, Button1, c->r.x + c->r.w / 2, c->r.y + c->r.h / 2);
            break;
        }
    }
    s->page = page;
    relayout(s);
}

static void
centre_of(const session *s, param_id id, double *x, double *y)
{
    int c = control_of(s, id);
    hv_rect r = c >= 0 ? s->layout.controls[c].r : (hv_rect){0, 0, 0, 0};
    *x = r.x + r.w / 2;
    *y = r.y + r.h / 2;
}

static void
port_float(session *s, param_id id, float value)
{
    s->desc->port_event(s->handle, hillock_param_port_index(s->cv, (uint32_t)id), sizeof value, 0, &value);
}

/* ---- screenshot: the UI window's pixels as a PNG ---- */

static bool
screenshot(session *s, const char *path, unsigned *amber, unsigned *green)
{
    XWindowAttributes wa;
    XGetWindowAttributes(s->dpy, s->ui_win, &wa);
    XImage *img = XGetImage(s->dpy, s->ui_win, 0, 0, (unsigned)wa.width,
                            (unsigned)wa.height, AllPlanes, ZPixmap);
    if (!img)
        return false;
    cairo_surface_t *out = cairo_image_surface_create(CAIRO_FORMAT_RGB24, wa.width, wa.height);
    unsigned char *data = cairo_image_surface_get_data(out);
    int stride = cairo_image_surface_get_stride(out);
    *amber = *green = 0;
    for (int y = 0; y < wa.height; ++y)
        for (int x = 0; x < wa.width; ++x) {
            unsigned long p = XGetPixel(img, x, y);
            unsigned r = (unsigned)((p & img->red_mask) >> 16),
                     g = (unsigned)((p & img->green_mask) >> 8), b = (unsigned)(p & img->blue_mask);
            *(uint32_t *)(data + y * stride + 4 * x) = (r << 16) | (g << 8) | b;
            /* excitatory spikes (draw/paint.h C_EXC) and the soma trace (C_SOMA) */
            if (r > 230 && g > 150 && g < 200 && b < 90)
                (*amber)++;
            if (r > 100 && r < 150 && g > 200 && b > 100 && b < 150)
                (*green)++;
        }
    cairo_surface_mark_dirty(out);
    bool ok = cairo_surface_write_to_png(out, path) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(out);
    XDestroyImage(img);
    return ok;
}

/* ---- the session ---- */

static float host_scale; /* ui:scaleFactor offered through opts:options, 0 = none */

static bool
open_ui(session *s, const LV2UI_Descriptor *desc, const char *plugin_uri, int w, int h)
{
    memset(s, 0, sizeof *s);
    s->desc = desc;
    s->dpy = XOpenDisplay(NULL);
    if (!s->dpy)
        return false;
    s->parent = XCreateSimpleWindow(s->dpy, DefaultRootWindow(s->dpy), 0, 0, (unsigned)w,
                                    (unsigned)h, 0, 0, 0);
    XMapWindow(s->dpy, s->parent);
    XSync(s->dpy, False);
    LV2_Feature f_map = {LV2_URID__map, test_urid_map()};
    LV2_Feature f_parent = {LV2_UI__parent, (void *)(uintptr_t)s->parent};
    LV2_URID_Map *map = test_urid_map();
    LV2_Options_Option opts[] = {
        {LV2_OPTIONS_INSTANCE, 0, map->map(map->handle, LV2_UI__scaleFactor), sizeof(float),
         map->map(map->handle, LV2_ATOM__Float), &host_scale},
        {LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, NULL},
    };
    LV2_Feature f_opts = {LV2_OPTIONS__options, opts};
    static LV2UI_Touch touch = {NULL, touch_fn};
    LV2_Feature f_touch = {LV2_UI__touch, &touch};
    const LV2_Feature *features[] = {&f_map, &f_parent, &f_touch,
                                     host_scale > 0 ? &f_opts : NULL, NULL};
    LV2UI_Widget widget = NULL;
    s->handle = desc->instantiate(desc, plugin_uri, "/nonexistent/bundle/", write_fn, NULL,
                                  &widget, features);
    if (!s->handle)
        return false;
    s->ui_win = (Window)(uintptr_t)widget;
    s->idle = desc->extension_data(LV2_UI__idleInterface);
    s->cv = !strcmp(plugin_uri, HILLOCK_BANK_CV_URI);
    XWindowAttributes wa;
    XGetWindowAttributes(s->dpy, s->ui_win, &wa);
    hillock_layout_compute(&s->layout, wa.width, wa.height, 0);
    return s->idle != NULL;
}

static void
close_ui(session *s)
{
    s->desc->cleanup(s->handle);
    XDestroyWindow(s->dpy, s->parent);
    XCloseDisplay(s->dpy);
}

int
main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: ui_host hillock_ui.so SCREENSHOT.png\n");
        return 2;
    }
    setenv("HILLOCK_UI_SCALE", "1", 1);
    /* Held open to the end: an X server with no client left resets, and a
     * connection attempted meanwhile fails. */
    Display *keeper = XOpenDisplay(NULL);
    if (!keeper) {
        fprintf(stderr, "ui_host: no X display\n");
        return 1;
    }
    LV2_URID_Map *map = test_urid_map();
    urid_eventTransfer = map->map(map->handle, LV2_ATOM__eventTransfer);
    urid_Object = map->map(map->handle, LV2_ATOM__Object);

    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "ui_host: %s\n", dlerror());
        return 1;
    }
    LV2UI_DescriptorFunction df = (LV2UI_DescriptorFunction)dlsym(lib, "lv2ui_descriptor");
    CHECK(df != NULL, "lv2ui_descriptor exported");
    if (!df)
        return 1;
    const LV2UI_Descriptor *desc = df(0);
    CHECK(desc && !strcmp(desc->URI, HILLOCK_UI_URI), "descriptor 0 is %s", HILLOCK_UI_URI);
    CHECK(df(1) == NULL, "only one UI");
    CHECK(desc->extension_data(LV2_UI__idleInterface) != NULL, "provides ui:idleInterface");

    session s;
    if (!open_ui(&s, desc, HILLOCK_BANK_URI, 960, 600)) {
        fprintf(stderr, "ui_host: cannot instantiate the UI\n");
        return 1;
    }
    XWindowAttributes wa;
    XGetWindowAttributes(s.dpy, s.ui_win, &wa);
    CHECK(wa.width == HILLOCK_UI_BASE_W && wa.height == HILLOCK_UI_BASE_H,
          "window %dx%d at scale 1", wa.width, wa.height);
    CHECK(wa.map_state != IsUnmapped, "UI window mapped");
    Window root, parent_of_ui, *children = NULL;
    unsigned n_children;
    XQueryTree(s.dpy, s.ui_win, &root, &parent_of_ui, &children, &n_children);
    if (children)
        XFree(children);
    CHECK(parent_of_ui == s.parent, "UI window is a child of ui:parent");
    XSizeHints hints;
    long supplied = 0;
    CHECK(XGetWMNormalHints(s.dpy, s.ui_win, &hints, &supplied) &&
              (hints.flags & PMinSize) && hints.min_width == HILLOCK_UI_BASE_W / 2,
          "size hints with a minimum size");

    /* it tells the plugin it is open, so notifications start (uris.h) */
    CHECK(n_writes >= 1 && writes[0].port == PORT_EVENTS_IN &&
              writes[0].format == urid_eventTransfer &&
              writes[0].otype == map->map(map->handle, HILLOCK__UiOn),
          "hillock:UiOn sent to events_in on open");

    /* host state: a preset sets values; notifications bring activity */
    port_float(&s, P_NEURONS, 16);
    port_float(&s, P_DRIVE, 42);
    static _Alignas(8) uint8_t buf[65536];
    for (uint32_t b = 0; b < 100; ++b) {
        const LV2_Atom *a = forge_notification(buf, sizeof buf, b, 16);
        desc->port_event(s.handle, PORT_EVENTS_OUT, lv2_atom_total_size(a),
                         urid_eventTransfer, a);
    }
    pump(&s);
    sleep_ms(20); /* past the frame-rate limit: the next idle draws */
    pump(&s);
    unsigned amber = 0, green = 0;
    CHECK(screenshot(&s, argv[2], &amber, &green), "screenshot written to %s", argv[2]);
    CHECK(amber > 200, "raster shows excitatory spikes (%u amber pixels)", amber);
    CHECK(green > 200, "scope shows the soma trace (%u green pixels)", green);

    double x, y;
    unsigned since;

    /* wheel up on drive follows the host's 42, not the default */
    centre_of(&s, P_DRIVE, &x, &y);
    since = n_writes;
    click(&s, Button4, x, y);
    float v = NAN, want = hillock_param_from_norm(P_DRIVE, hillock_param_to_norm(P_DRIVE, 42) + 0.01f);
    CHECK(written(since, hillock_param_port_index(s.cv, P_DRIVE), &v) && fabsf(v - want) < 1e-4f,
          "wheel on drive from 42 writes %g (got %g)", want, v);

    /* drag drive up 100 px: half the knob's travel (200 px at scale 1) */
    port_float(&s, P_DRIVE, 10);
    pump(&s);
    since = n_writes;
    drag(&s, x, y, -100, 4, 0);
    want = hillock_param_from_norm(P_DRIVE, hillock_param_to_norm(P_DRIVE, 10) + 0.5f);
    CHECK(written(since, hillock_param_port_index(s.cv, P_DRIVE), &v) && fabsf(v - want) < 1e-3f,
          "drag up 100 px writes drive %g (got %g)", want, v);

    /* double-click returns to the default */
    since = n_writes;
    double_click(&s, x, y);
    CHECK(written(since, hillock_param_port_index(s.cv, P_DRIVE), &v) && v == param_table[P_DRIVE].def,
          "double-click writes drive's default %g (got %g)", param_table[P_DRIVE].def, v);

    /* wheel on the neurons knob (integer, logarithmic) moves it */
    centre_of(&s, P_NEURONS, &x, &y);
    since = n_writes;
    click(&s, Button4, x, y);
    CHECK(written(since, hillock_param_port_index(s.cv, P_NEURONS), &v) && v > 16 && v == floorf(v),
          "wheel up on neurons from 16 writes a larger integer (got %g)", v);

    /* the model menu: open it, pick the third entry */
    int mc = control_of(&s, P_MODEL);
    centre_of(&s, P_MODEL, &x, &y);
    click(&s, Button1, x, y);
    hv_rect item = hillock_menu_item(&s.layout, mc, 2);
    since = n_writes;
    click(&s, Button1, item.x + item.w / 2, item.y + item.h / 2);
    CHECK(written(since, hillock_param_port_index(s.cv, P_MODEL), &v) && v == MODEL_IZHIKEVICH,
          "menu item 2 writes model %d (got %g)", MODEL_IZHIKEVICH, v);

    /* clicking neuron 5's row in the raster makes it the focus */
    hv_rect r = s.layout.raster;
    since = n_writes;
    click(&s, Button1, r.x + r.w / 2, r.y + (5.5 / 16.0) * r.h);
    CHECK(written(since, hillock_param_port_index(s.cv, P_FOCUS), &v) && v == 5.0f,
          "raster row 5 writes focus 5 (got %g)", v);

    /* Every parameter of the table is reachable with the pointer: its
     * page's tab, then a double-click writes its default (params.c), then
     * a knob dragged 40 px (a fifth of its travel, towards the far end)
     * writes the value the knob's scale gives there, or a menu's other
     * item writes that item. Each gesture is one ui:touch grab/release. */
    unsigned reached = 0;
    for (int p = 0; p < PARAM_COUNT; ++p) {
        param_id id = (param_id)p;
        uint32_t port = hillock_param_port_index(s.cv, (uint32_t)p);
        go_to(&s, id);
        int c = control_of(&s, id);
        CHECK(c >= 0, "%s has a control on page %d", param_table[p].symbol, s.page);
        if (c < 0)
            continue;
        centre_of(&s, id, &x, &y);
        since = n_writes;
        double_click(&s, x, y);
        float def = param_table[p].def;
        bool ok = written(since, port, &v) && v == def;
        CHECK(ok, "%s: double-click writes the default %g (got %g)", param_table[p].symbol,
              def, v);
        unsigned t0 = n_touches;
        since = n_writes;
        if (s.layout.controls[c].kind == HV_CTRL_KNOB) {
            float n0 = hillock_param_to_norm(id, def);
            double dy = n0 < 0.5f ? -40 : 40; /* up raises */
            drag(&s, x, y, dy, 2, 0);
            want = hillock_param_from_norm(id, n0 - (float)(dy / 200.0));
            bool dragged = written(since, port, &v) && fabsf(v - want) <= 1e-4f * fmaxf(1, fabsf(want));
            CHECK(dragged, "%s: drag %+g px writes %g (got %g)", param_table[p].symbol, -dy,
                  want, v);
            ok &= dragged;
        } else {
            unsigned items = hillock_menu_items(&s.layout, c);
            unsigned pick = (unsigned)lroundf(def) == items - 1 ? 0 : items - 1;
            click(&s, Button1, x, y);
            hv_rect it = hillock_menu_item(&s.layout, c, pick);
            click(&s, Button1, it.x + it.w / 2, it.y + it.h / 2);
            bool picked = written(since, port, &v) && v == (float)pick;
            CHECK(picked, "%s: menu item %u writes %u (got %g)", param_table[p].symbol, pick,
                  pick, v);
            ok &= picked;
        }
        CHECK(one_gesture(t0, port), "%s: the change is one ui:touch gesture (%u events)",
              param_table[p].symbol, n_touches - t0);
        reached += ok;
    }
    CHECK(reached == PARAM_COUNT, "%u of %d parameters set through the pointer", reached,
          PARAM_COUNT);

    /* typing: right-click the drive knob, type 33.5, Return */
    go_to(&s, P_DRIVE);
    centre_of(&s, P_DRIVE, &x, &y);
    click(&s, Button3, x, y);
    since = n_writes;
    type_text(&s, "33.5\r");
    CHECK(written(since, hillock_param_port_index(s.cv, P_DRIVE), &v) && v == 33.5f,
          "typed 33.5 writes drive 33.5 (got %g)", v);
    /* a text that is no value writes nothing (the field stays open), Escape leaves */
    click(&s, Button3, x, y);
    since = n_writes;
    type_text(&s, "abc\r\033");
    CHECK(!written(since, hillock_param_port_index(s.cv, P_DRIVE), &v),
          "typed 'abc' writes nothing");
    /* a choice by its name */
    go_to(&s, P_MODEL);
    centre_of(&s, P_MODEL, &x, &y);
    click(&s, Button3, x, y);
    since = n_writes;
    type_text(&s, "hindmarsh rose\r");
    CHECK(written(since, hillock_param_port_index(s.cv, P_MODEL), &v) &&
              v == MODEL_HINDMARSH_ROSE,
          "typed 'hindmarsh rose' writes model %d (got %g)", MODEL_HINDMARSH_ROSE, v);

    /* fine drag: Shift makes 40 px a fiftieth of the travel, not a fifth */
    centre_of(&s, P_DRIVE, &x, &y);
    port_float(&s, P_DRIVE, 10);
    pump(&s);
    since = n_writes;
    drag(&s, x, y, -40, 1, ShiftMask);
    want = hillock_param_from_norm(P_DRIVE, hillock_param_to_norm(P_DRIVE, 10) + 0.02f);
    CHECK(written(since, hillock_param_port_index(s.cv, P_DRIVE), &v) && fabsf(v - want) < 1e-3f,
          "Shift-drag 40 px writes drive %g (got %g)", want, v);

    /* resized by the host: the layout follows */
    XResizeWindow(s.dpy, s.ui_win, 800, 700);
    pump(&s);
    relayout(&s);
    go_to(&s, P_MASTER_LEVEL);
    port_float(&s, P_MASTER_LEVEL, 0);
    centre_of(&s, P_MASTER_LEVEL, &x, &y);
    since = n_writes;
    click(&s, Button5, x, y);
    want = hillock_param_from_norm(P_MASTER_LEVEL,
                                   hillock_param_to_norm(P_MASTER_LEVEL, 0) - 0.01f);
    CHECK(written(since, hillock_param_port_index(s.cv, P_MASTER_LEVEL), &v) && fabsf(v - want) < 1e-4f,
          "after resize, wheel down on master writes %g (got %g)", want, v);
    close_ui(&s);
    /* ... and that it closed, so they stop */
    CHECK(n_writes >= 1 && writes[n_writes - 1].port == PORT_EVENTS_IN &&
              writes[n_writes - 1].format == urid_eventTransfer &&
              writes[n_writes - 1].otype == map->map(map->handle, HILLOCK__UiOff),
          "hillock:UiOff sent to events_in on close");

    /* the CV plugin has its controls 5 ports later (ports.h) */
    setenv("HILLOCK_UI_SCALE", "2", 1);
    if (open_ui(&s, desc, HILLOCK_BANK_CV_URI, 1920, 1200)) {
        XGetWindowAttributes(s.dpy, s.ui_win, &wa);
        CHECK(wa.width == 2 * HILLOCK_UI_BASE_W, "window %d wide at scale 2", wa.width);
        go_to(&s, P_SPIKE_LEVEL);
        centre_of(&s, P_SPIKE_LEVEL, &x, &y);
        since = n_writes;
        click(&s, Button4, x, y);
        CHECK(written(since, PORT_CV_FIXED_COUNT + P_SPIKE_LEVEL, &v),
              "bank-cv: spike_level written to port %d", PORT_CV_FIXED_COUNT + P_SPIKE_LEVEL);
        close_ui(&s);
    } else {
        CHECK(false, "cannot open the UI for bank-cv");
    }

    /* the host's ui:scaleFactor wins over the environment */
    host_scale = 1.5f;
    if (open_ui(&s, desc, HILLOCK_BANK_URI, 1440, 900)) {
        XGetWindowAttributes(s.dpy, s.ui_win, &wa);
        CHECK(wa.width == 1440 && wa.height == 900, "ui:scaleFactor 1.5: window %dx%d",
              wa.width, wa.height);
        close_ui(&s);
    } else {
        CHECK(false, "cannot open the UI with ui:scaleFactor");
    }
    host_scale = 0;

    /* a host that destroys its parent window before cleanup: no X error
     * (Xlib's default handler would end this process here) */
    setenv("HILLOCK_UI_SCALE", "1", 1);
    if (open_ui(&s, desc, HILLOCK_BANK_URI, 960, 600)) {
        pump(&s);
        XDestroyWindow(s.dpy, s.parent);
        XSync(s.dpy, False);
        desc->cleanup(s.handle);
        XCloseDisplay(s.dpy);
        CHECK(true, "cleanup after the parent was destroyed");
    } else {
        CHECK(false, "cannot open the UI a third time");
    }

    XCloseDisplay(keeper);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
