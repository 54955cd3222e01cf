/* ui.c — Hillock's LV2 X11 UI (urn:hillock:ui) for both plugins.
 *
 * Plain Xlib + cairo in its own window, a child of the host's ui:parent.
 * Everything the UI shows arrives through port_event(): control ports
 * (ports.h) and the plugin's hillock:Notification atoms (uris.h) which
 * notify_view.c reads into a hillock_view; draw/ paints it. The host
 * drives us through ui:idleInterface: each idle() reads pending X events
 * and, when something changed, redraws at most HILLOCK_UI_MAX_FPS times a
 * second into a cairo image surface, which is sent to a pixmap
 * (x11_blit.c: no cairo-xlib, which leaks per display) that is then copied
 * to the window (no flicker).
 */
#include "draw.h"
#include "notify_view.h"
#include "x11_blit.h"

#include "ports.h"
#include "uris.h"

#include <X11/Xlib.h>
#include <X11/Xresource.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>
#include <cairo.h>
#include <lv2/atom/atom.h>
#include <lv2/atom/util.h>
#include <lv2/options/options.h>
#include <lv2/ui/ui.h>
#include <lv2/urid/urid.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HILLOCK_UI_MAX_FPS 60.0
#define DOUBLE_CLICK_MS 350u
#define DRAG_PIXELS_FULL_RANGE 200.0 /* at scale 1; Shift or Ctrl drags 10x finer */

typedef struct {
    LV2UI_Write_Function write;
    LV2UI_Controller controller;
    LV2UI_Resize *resize;
    const LV2UI_Touch *touch; /* ui:touch, so hosts record automation */
    hv_urids u;
    bool cv; /* urn:hillock:bank-cv: its own port numbering */
    bool notified; /* the plugin was told the UI is open */

    Display *dpy;
    Window win;
    Pixmap pix;
    cairo_surface_t *surface; /* image, RGB24, pix_w x pix_h */
    int w, h, pix_w, pix_h;

    hillock_view *view;
    hillock_layout layout;
    hillock_panel_state st;
    int page;
    bool dirty;
    double last_draw_s;

    int drag;          /* control being dragged, -1 for none */
    double drag_y0;
    float drag_norm0;
    bool drag_fine;    /* Shift or Ctrl held: 10x finer */
    int last_click;    /* control of the last press, for double-clicks */
    Time last_click_time;
} hillock_ui;

static double
monotonic_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- parameters: the host learns every change ---- */

/* Tell the host a gesture on the parameter begins or ends (ui:touch), so
 * that automation recording in a DAW captures it. */
static void
touch(hillock_ui *ui, param_id id, bool grabbed)
{
    if (ui->touch)
        ui->touch->touch(ui->touch->handle, hillock_param_port_index(ui->cv, (uint32_t)id),
                         grabbed);
}

static void
set_param(hillock_ui *ui, param_id id, float value, bool always)
{
    float v = param_sanitize(id, value);
    if (!always && v == ui->view->params[id])
        return;
    ui->view->params[id] = v;
    ui->write(ui->controller, hillock_param_port_index(ui->cv, (uint32_t)id), sizeof v, 0, &v);
    ui->dirty = true;
}

/* A change that is a gesture of its own (a click, a notch, a typed value). */
static void
set_param_once(hillock_ui *ui, param_id id, float value, bool always)
{
    touch(ui, id, true);
    set_param(ui, id, value, always);
    touch(ui, id, false);
}

/* One wheel notch: a step for small discrete ranges, 1/100 of the knob
 * (1/1000 with Shift or Ctrl) otherwise. */
static void
wheel(hillock_ui *ui, int control, int dir, bool fine)
{
    const hv_control *c = &ui->layout.controls[control];
    if (c->kind == HV_CTRL_TAB)
        return;
    const param_info *p = &param_table[c->param];
    float cur = ui->view->params[c->param];
    if (p->kind != PARAM_KIND_FLOAT && (c->kind == HV_CTRL_MENU || p->max - p->min <= 200)) {
        set_param_once(ui, c->param, cur + (float)dir, false);
        return;
    }
    float n = hillock_param_to_norm(c->param, cur) + dir * (fine ? 0.001f : 0.01f);
    float next = hillock_param_from_norm(c->param, n);
    if (next == cur && p->kind != PARAM_KIND_FLOAT) /* a log integer near its bottom */
        next = cur + (float)dir;
    set_param_once(ui, c->param, next, false);
}

static void
show_page(hillock_ui *ui, int page)
{
    ui->page = page;
    hillock_layout_compute(&ui->layout, ui->w, ui->h, page);
    ui->st.open_menu = ui->st.hover = ui->st.active = ui->st.editing = -1;
    ui->drag = ui->last_click = -1;
    ui->dirty = true;
}

/* ---- typed values ---- */

static void
edit_begin(hillock_ui *ui, int control)
{
    ui->st.editing = control;
    ui->st.text[0] = '\0';
    ui->st.text_error = false;
    ui->st.open_menu = -1;
    /* keys come to the window with the input focus (asking for it for a
     * window that is not viewable would be an X error) */
    XWindowAttributes wa;
    if (XGetWindowAttributes(ui->dpy, ui->win, &wa) && wa.map_state == IsViewable)
        XSetInputFocus(ui->dpy, ui->win, RevertToParent, CurrentTime);
    ui->dirty = true;
}

/* Return: the text as a value (a number, or a choice's name); a text that
 * is none stays open and turns red, nothing is written. */
static void
edit_commit(hillock_ui *ui)
{
    param_id id = ui->layout.controls[ui->st.editing].param;
    float v;
    char text[sizeof ui->st.text];
    /* a choice's name is typed with spaces where the table has '_' */
    for (unsigned i = 0; i < sizeof text; ++i)
        text[i] = ui->st.text[i] == ' ' ? '_' : ui->st.text[i];
    if (param_parse(id, text, &v, NULL, 0)) {
        set_param_once(ui, id, v, true);
        ui->st.editing = -1;
    } else {
        ui->st.text_error = true;
    }
    ui->dirty = true;
}

static void
on_key(hillock_ui *ui, XKeyEvent *e)
{
    char buf[8];
    KeySym sym = NoSymbol;
    int n = XLookupString(e, buf, sizeof buf, &sym, NULL);
    if (ui->st.editing < 0) {
        /* Return on the control under the pointer starts typing */
        if ((sym == XK_Return || sym == XK_KP_Enter) && ui->st.hover >= 0 &&
            ui->layout.controls[ui->st.hover].kind != HV_CTRL_TAB)
            edit_begin(ui, ui->st.hover);
        return;
    }
    size_t len = strlen(ui->st.text);
    if (sym == XK_Return || sym == XK_KP_Enter) {
        edit_commit(ui);
    } else if (sym == XK_Escape) {
        ui->st.editing = -1;
    } else if (sym == XK_BackSpace) {
        if (len)
            ui->st.text[len - 1] = '\0';
    } else if (n == 1 && buf[0] >= 0x20 && buf[0] < 0x7f && len + 1 < sizeof ui->st.text) {
        ui->st.text[len] = buf[0];
        ui->st.text[len + 1] = '\0';
    }
    ui->st.text_error = false;
    ui->dirty = true;
}

/* ---- X events ---- */

static void
on_press(hillock_ui *ui, const XButtonEvent *e)
{
    const hillock_layout *l = &ui->layout;
    bool fine = e->state & (ShiftMask | ControlMask);
    if (ui->st.open_menu >= 0) { /* a press anywhere closes the open menu */
        int open = ui->st.open_menu;
        int item = hillock_menu_item_at(l, open, e->x, e->y);
        param_id id = l->controls[open].param;
        if (e->button == Button1 && item >= 0)
            set_param_once(ui, id, (float)item, false);
        else if (e->button == Button1 && open == ui->last_click &&
                 hillock_layout_hit(l, e->x, e->y) == open &&
                 e->time - ui->last_click_time < DOUBLE_CLICK_MS)
            set_param_once(ui, id, param_table[id].def, true); /* double-click: default */
        ui->st.open_menu = -1;
        ui->last_click = -1;
        ui->dirty = true;
        return;
    }
    int c = hillock_layout_hit(l, e->x, e->y);
    if (ui->st.editing >= 0 && c != ui->st.editing) { /* clicking away cancels */
        ui->st.editing = -1;
        ui->dirty = true;
    }
    if (e->button == Button4 || e->button == Button5) {
        if (c >= 0)
            wheel(ui, c, e->button == Button4 ? 1 : -1, fine);
        return;
    }
    if (e->button == Button3) { /* right click: type a value */
        if (c >= 0 && l->controls[c].kind != HV_CTRL_TAB)
            edit_begin(ui, c);
        return;
    }
    if (e->button != Button1)
        return;
    if (c >= 0 && l->controls[c].kind == HV_CTRL_TAB) {
        if (l->controls[c].page != ui->page)
            show_page(ui, l->controls[c].page);
        return;
    }
    if (c >= 0) {
        param_id id = l->controls[c].param;
        if (c == ui->last_click && e->time - ui->last_click_time < DOUBLE_CLICK_MS) {
            /* double-click: default (the first click opened a menu or
             * began a drag, which this ends) */
            if (ui->drag >= 0)
                touch(ui, id, false);
            set_param_once(ui, id, param_table[id].def, true);
            ui->last_click = -1;
            ui->drag = -1;
            ui->st.open_menu = ui->st.active = -1;
            return;
        }
        ui->last_click = c;
        ui->last_click_time = e->time;
        if (l->controls[c].kind == HV_CTRL_MENU) {
            ui->st.open_menu = c;
        } else {
            ui->drag = c;
            ui->drag_y0 = e->y;
            ui->drag_norm0 = hillock_param_to_norm(id, ui->view->params[id]);
            ui->drag_fine = fine;
            ui->st.active = c;
            touch(ui, id, true);
        }
        ui->dirty = true;
        return;
    }
    int neuron = hillock_raster_neuron_at(l, ui->view, e->y);
    if (neuron >= 0 && e->x >= l->raster.x && e->x < l->raster.x + l->raster.w)
        set_param_once(ui, P_FOCUS, (float)neuron, false);
}

static void
on_motion(hillock_ui *ui, const XMotionEvent *e)
{
    if (ui->drag >= 0) {
        param_id id = ui->layout.controls[ui->drag].param;
        bool fine = e->state & (ShiftMask | ControlMask);
        if (fine != ui->drag_fine) {
            /* the modifier changed mid-drag: go on from here, no jump */
            ui->drag_norm0 = hillock_param_to_norm(id, ui->view->params[id]);
            ui->drag_y0 = e->y;
            ui->drag_fine = fine;
        }
        double range = DRAG_PIXELS_FULL_RANGE * ui->layout.scale * (fine ? 10 : 1);
        float n = ui->drag_norm0 + (float)((ui->drag_y0 - e->y) / range);
        set_param(ui, id, hillock_param_from_norm(id, n), false);
        return;
    }
    int hover = hillock_layout_hit(&ui->layout, e->x, e->y);
    if (hover != ui->st.hover) {
        ui->st.hover = hover;
        ui->dirty = true;
    }
}

static void
handle_event(hillock_ui *ui, XEvent *ev)
{
    switch (ev->type) {
    case Expose:
        ui->dirty = true;
        ui->last_draw_s = 0; /* uncovered: repaint now */
        break;
    case ConfigureNotify:
        if (ev->xconfigure.width != ui->w || ev->xconfigure.height != ui->h) {
            ui->w = ev->xconfigure.width;
            ui->h = ev->xconfigure.height;
            show_page(ui, ui->page);
        }
        break;
    case ButtonPress:
        on_press(ui, &ev->xbutton);
        break;
    case ButtonRelease:
        if (ev->xbutton.button == Button1 && ui->drag >= 0) {
            touch(ui, ui->layout.controls[ui->drag].param, false);
            ui->drag = -1;
            ui->st.active = -1;
            ui->dirty = true;
        }
        break;
    case MotionNotify:
        /* only the newest position of a burst matters */
        while (XCheckTypedWindowEvent(ui->dpy, ui->win, MotionNotify, ev))
            ;
        on_motion(ui, &ev->xmotion);
        break;
    case KeyPress:
        on_key(ui, &ev->xkey);
        break;
    case LeaveNotify:
        if (ui->st.hover != -1) {
            ui->st.hover = -1;
            ui->dirty = true;
        }
        break;
    default:
        break;
    }
}

/* ---- drawing ---- */

static void
draw(hillock_ui *ui)
{
    if (ui->w <= 0 || ui->h <= 0)
        return;
    if (!ui->pix || ui->pix_w != ui->w || ui->pix_h != ui->h) {
        if (ui->surface)
            cairo_surface_destroy(ui->surface);
        if (ui->pix)
            XFreePixmap(ui->dpy, ui->pix);
        int screen = DefaultScreen(ui->dpy);
        ui->pix = XCreatePixmap(ui->dpy, ui->win, (unsigned)ui->w, (unsigned)ui->h,
                                (unsigned)DefaultDepth(ui->dpy, screen));
        ui->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, ui->w, ui->h);
        ui->pix_w = ui->w;
        ui->pix_h = ui->h;
    }
    cairo_t *cr = cairo_create(ui->surface);
    hillock_draw_panel(cr, &ui->layout, ui->view, &ui->st);
    cairo_destroy(cr);
    int screen = DefaultScreen(ui->dpy);
    GC gc = DefaultGC(ui->dpy, screen);
    hillock_x11_blit(ui->dpy, ui->pix, gc, DefaultVisual(ui->dpy, screen),
                     DefaultDepth(ui->dpy, screen), ui->surface);
    XCopyArea(ui->dpy, ui->pix, ui->win, gc, 0, 0, (unsigned)ui->w, (unsigned)ui->h, 0, 0);
    /* Wait until the server has done it: the host, on its own connection,
     * may destroy the parent window (and ours) as soon as idle() returns,
     * and a copy still queued would then be an X error. */
    XSync(ui->dpy, False);
    ui->dirty = false;
}

static int
ui_idle(LV2UI_Handle handle)
{
    hillock_ui *ui = handle;
    while (XPending(ui->dpy)) {
        XEvent ev;
        XNextEvent(ui->dpy, &ev);
        handle_event(ui, &ev);
    }
    double now = monotonic_s();
    if (ui->dirty && now - ui->last_draw_s >= 1.0 / HILLOCK_UI_MAX_FPS) {
        draw(ui);
        ui->last_draw_s = now;
    }
    return 0;
}

static const LV2UI_Idle_Interface idle_interface = {ui_idle};

/* ---- LV2 ---- */

/* The desktop's scale: the host's ui:scaleFactor, else HILLOCK_UI_SCALE or
 * GDK_SCALE, else Xft.dpi / 96; 1 when nobody says. */
static double
ui_scale(Display *dpy, const LV2_Options_Option *opts, LV2_URID_Map *map)
{
    if (opts && map) {
        LV2_URID key = map->map(map->handle, LV2_UI__scaleFactor);
        LV2_URID f = map->map(map->handle, LV2_ATOM__Float);
        for (const LV2_Options_Option *o = opts; o->key; ++o)
            if (o->key == key && o->type == f && o->size == sizeof(float))
                return *(const float *)o->value;
    }
    const char *envs[] = {"HILLOCK_UI_SCALE", "GDK_SCALE"};
    for (int i = 0; i < 2; ++i) {
        const char *s = getenv(envs[i]);
        double v = s ? atof(s) : 0.0;
        if (v >= 0.5 && v <= 4.0)
            return v;
    }
    const char *rms = XResourceManagerString(dpy);
    if (rms) {
        XrmInitialize();
        XrmDatabase db = XrmGetStringDatabase(rms);
        char *type = NULL;
        XrmValue val;
        double dpi = 0;
        if (db && XrmGetResource(db, "Xft.dpi", "Xft.Dpi", &type, &val) && val.addr)
            dpi = atof(val.addr);
        if (db)
            XrmDestroyDatabase(db);
        if (dpi >= 48 && dpi <= 384)
            return dpi / 96.0;
    }
    return 1.0;
}

static void cleanup(LV2UI_Handle handle);

/* A body-less object of type otype to the plugin's event input. */
static void
send_object(hillock_ui *ui, LV2_URID otype)
{
    LV2_Atom_Object obj = {{sizeof(LV2_Atom_Object_Body), ui->u.atom_Object}, {0, otype}};
    ui->write(ui->controller, PORT_EVENTS_IN, lv2_atom_total_size(&obj.atom),
              ui->u.atom_eventTransfer, &obj);
}

static LV2UI_Handle
instantiate(const LV2UI_Descriptor *descriptor, const char *plugin_uri,
            const char *bundle_path, LV2UI_Write_Function write_function,
            LV2UI_Controller controller, LV2UI_Widget *widget,
            const LV2_Feature *const *features)
{
    (void)descriptor;
    (void)bundle_path;
    Window parent = 0;
    LV2_URID_Map *map = NULL;
    LV2UI_Resize *resize = NULL;
    const LV2_Options_Option *opts = NULL;
    const LV2UI_Touch *touch_feature = NULL;
    for (int i = 0; features && features[i]; ++i) {
        const char *uri = features[i]->URI;
        if (!strcmp(uri, LV2_UI__parent))
            parent = (Window)(uintptr_t)features[i]->data;
        else if (!strcmp(uri, LV2_URID__map))
            map = features[i]->data;
        else if (!strcmp(uri, LV2_UI__resize))
            resize = features[i]->data;
        else if (!strcmp(uri, LV2_OPTIONS__options))
            opts = features[i]->data;
        else if (!strcmp(uri, LV2_UI__touch))
            touch_feature = features[i]->data;
    }
    if (!map || !write_function)
        return NULL; /* notifications cannot be read without urid:map */

    hillock_ui *ui = calloc(1, sizeof *ui);
    if (!ui)
        return NULL;
    ui->view = malloc(sizeof *ui->view);
    ui->dpy = XOpenDisplay(NULL);
    if (!ui->view || !ui->dpy ||
        !hillock_x11_blit_supported(DefaultVisual(ui->dpy, DefaultScreen(ui->dpy)))) {
        cleanup(ui);
        return NULL;
    }
    hillock_view_init(ui->view);
    hv_urids_map(&ui->u, map);
    ui->write = write_function;
    ui->controller = controller;
    ui->resize = resize;
    ui->touch = touch_feature;
    ui->cv = plugin_uri && !strcmp(plugin_uri, HILLOCK_BANK_CV_URI);
    ui->st = (hillock_panel_state){-1, -1, -1, -1, "", false};
    ui->drag = ui->last_click = -1;

    double scale = ui_scale(ui->dpy, opts, map);
    ui->w = (int)lround(HILLOCK_UI_BASE_W * scale);
    ui->h = (int)lround(HILLOCK_UI_BASE_H * scale);
    int screen = DefaultScreen(ui->dpy);
    if (!parent)
        parent = RootWindow(ui->dpy, screen);
    XSetWindowAttributes attr;
    memset(&attr, 0, sizeof attr);
    attr.colormap = DefaultColormap(ui->dpy, screen);
    attr.background_pixmap = None; /* every pixel is ours: no flash of grey */
    attr.border_pixel = 0;
    attr.event_mask = ExposureMask | StructureNotifyMask | ButtonPressMask |
                      ButtonReleaseMask | PointerMotionMask | LeaveWindowMask |
                      KeyPressMask;
    ui->win = XCreateWindow(ui->dpy, parent, 0, 0, (unsigned)ui->w, (unsigned)ui->h, 0,
                            DefaultDepth(ui->dpy, screen), InputOutput,
                            DefaultVisual(ui->dpy, screen),
                            CWColormap | CWBackPixmap | CWBorderPixel | CWEventMask, &attr);
    XStoreName(ui->dpy, ui->win, "hillock-ui"); /* tests find the window by it */
    XSizeHints *hints = XAllocSizeHints();
    if (hints) {
        hints->flags = PMinSize | PBaseSize | PSize;
        hints->min_width = HILLOCK_UI_BASE_W / 2;
        hints->min_height = HILLOCK_UI_BASE_H / 2;
        hints->base_width = hints->width = ui->w;
        hints->base_height = hints->height = ui->h;
        XSetWMNormalHints(ui->dpy, ui->win, hints);
        XFree(hints);
    }
    XMapRaised(ui->dpy, ui->win);
    XSync(ui->dpy, False); /* the window exists for the host before we return */
    hillock_layout_compute(&ui->layout, ui->w, ui->h, 0);
    ui->dirty = true;
    if (resize)
        resize->ui_resize(resize->handle, ui->w, ui->h);

    /* the plugin notifies only while a UI is open (uris.h) */
    send_object(ui, ui->u.UiOn);
    ui->notified = true;

    *widget = (LV2UI_Widget)(uintptr_t)ui->win;
    return ui;
}

static void
cleanup(LV2UI_Handle handle)
{
    hillock_ui *ui = handle;
    if (ui->notified)
        send_object(ui, ui->u.UiOff);
    if (ui->dpy) {
        if (ui->surface)
            cairo_surface_destroy(ui->surface);
        if (ui->pix)
            XFreePixmap(ui->dpy, ui->pix);
        /* A host may destroy its parent window (and so ours) before calling
         * cleanup: destroying ours again would be an X error, which Xlib's
         * default handler answers by ending the host. We see the
         * DestroyNotify of our window (StructureNotifyMask) if that happened. */
        bool gone = false;
        XEvent ev;
        XSync(ui->dpy, False);
        while (ui->win && XCheckTypedWindowEvent(ui->dpy, ui->win, DestroyNotify, &ev))
            gone = true;
        if (ui->win && !gone)
            XDestroyWindow(ui->dpy, ui->win);
        XCloseDisplay(ui->dpy);
    }
    free(ui->view);
    free(ui);
}

static void
port_event(LV2UI_Handle handle, uint32_t port, uint32_t size, uint32_t format,
           const void *buffer)
{
    hillock_ui *ui = handle;
    if (format == 0 && size == sizeof(float)) {
        int p = hillock_port_param(ui->cv, port), late = hillock_port_late(ui->cv, port);
        if (late == PORT_LATE_GUARD_LOAD || late == PORT_LATE_GUARD_ACTIVE ||
            late == PORT_LATE_GUARD_TIME) {
            float v = *(const float *)buffer;
            ui->view->guard_known = true;
            if (late == PORT_LATE_GUARD_LOAD)
                ui->view->guard_load = isfinite(v) ? v : 0.0f;
            else if (late == PORT_LATE_GUARD_TIME)
                ui->view->guard_time = isfinite(v) ? v : 0.0f;
            else
                ui->view->guard_active = v >= 0.5f;
            ui->dirty = true;
        }
        if (p >= 0) {
            param_id id = (param_id)p;
            float v = *(const float *)buffer;
            if (param_sanitize(id, v) != ui->view->params[id]) {
                hillock_view_set_param(ui->view, id, v);
                ui->dirty = true;
            }
        }
    } else if (format == ui->u.atom_eventTransfer && size >= sizeof(LV2_Atom)) {
        const LV2_Atom *atom = buffer;
        if (lv2_atom_total_size(atom) <= size &&
            hillock_view_apply_atom(ui->view, &ui->u, atom))
            ui->dirty = true;
    }
}

static const void *
extension_data(const char *uri)
{
    if (!strcmp(uri, LV2_UI__idleInterface))
        return &idle_interface;
    return NULL;
}

static const LV2UI_Descriptor descriptor = {
    HILLOCK_UI_URI, instantiate, cleanup, port_event, extension_data,
};

LV2_SYMBOL_EXPORT const LV2UI_Descriptor *
lv2ui_descriptor(uint32_t index)
{
    return index == 0 ? &descriptor : NULL;
}
