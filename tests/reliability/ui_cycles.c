/* ui_cycles.c — the plugin UI opened and closed 100 times, as a user
 * toggling the editor window does: no crash, no X error, no leak
 * (docs/reliability.md). Run under xvfb-run -a:
 *
 *   ui_cycles path/to/hillock_ui.so [CYCLES]
 *
 * Each cycle: a parent window, instantiate with ui:parent and urid:map,
 * control values and a malformed atom through port_event, idle() a few
 * times, cleanup. Every other cycle the host destroys the parent window
 * before cleanup (hosts do; Ardour closes the window first). Promises: no
 * cycle fails or crashes; no X error; no file descriptor (X connection)
 * and no memory (ru_maxrss beyond the first 10 cycles' + 2 MiB) leaks.
 */
#include "ports.h"
#include "uris.h"
#include "../gui/forge_notify.h"

#include <X11/Xlib.h>
#include <dirent.h>
#include <dlfcn.h>
#include <lv2/atom/atom.h>
#include <lv2/ui/ui.h>
#include <lv2/urid/urid.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static int x_errors;

static void
write_fn(LV2UI_Controller c, uint32_t port, uint32_t size, uint32_t protocol,
         const void *buffer)
{
    (void)c, (void)port, (void)size, (void)protocol, (void)buffer;
}

static int
on_x_error(Display *d, XErrorEvent *e)
{
    (void)d;
    fprintf(stderr, "ui_cycles: X error %d (request %d)\n", e->error_code, e->request_code);
    x_errors++;
    return 0;
}

static int
open_fds(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    while (readdir(d))
        ++n;
    closedir(d);
    return n;
}

static long
maxrss_kb(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: ui_cycles hillock_ui.so [CYCLES]\n");
        return 2;
    }
    int cycles = argc > 2 ? atoi(argv[2]) : 100;
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "ui_cycles: %s\n", dlerror());
        return 1;
    }
    const LV2UI_Descriptor *(*get)(uint32_t);
    *(void **)&get = dlsym(lib, "lv2ui_descriptor");
    const LV2UI_Descriptor *d = get ? get(0) : NULL;
    if (!d || strcmp(d->URI, HILLOCK_UI_URI)) {
        fprintf(stderr, "ui_cycles: no %s in %s\n", HILLOCK_UI_URI, argv[1]);
        return 1;
    }
    Display *dpy = XOpenDisplay(NULL);
    if (!dpy) {
        fprintf(stderr, "ui_cycles: no X display (run under xvfb-run -a)\n");
        return 1;
    }
    XSetErrorHandler(on_x_error);
    const LV2UI_Idle_Interface *idle = d->extension_data(LV2_UI__idleInterface);

    LV2_URID_Map *map = test_urid_map();
    LV2_URID event_transfer = map->map(map->handle, LV2_ATOM__eventTransfer);
    int fds_after_first = 0, failures = 0;
    long rss_warm = 0;
    for (int c = 0; c < cycles; ++c) {
        Window parent = XCreateSimpleWindow(dpy, DefaultRootWindow(dpy), 0, 0, 800, 600, 0, 0, 0);
        XMapWindow(dpy, parent);
        XSync(dpy, False);
        LV2_Feature f_map = {LV2_URID__map, map};
        LV2_Feature f_parent = {LV2_UI__parent, (void *)(uintptr_t)parent};
        const LV2_Feature *features[] = {&f_map, &f_parent, NULL};
        LV2UI_Widget widget = NULL;
        const char *plugin = c & 2 ? HILLOCK_BANK_CV_URI : HILLOCK_BANK_URI;
        LV2UI_Handle ui = d->instantiate(d, plugin, "/nonexistent/", write_fn, NULL, &widget,
                                         features);
        if (!ui || !widget) {
            fprintf(stderr, "ui_cycles: cycle %d: instantiate failed\n", c);
            failures++;
            XDestroyWindow(dpy, parent);
            continue;
        }
        for (uint32_t p = 0; p < PARAM_COUNT; ++p) {
            float v = (c & 1) ? param_table[p].max : param_table[p].min;
            d->port_event(ui, hillock_param_port_index(c & 2, p), sizeof v, 0, &v);
        }
        /* an atom that claims more than it holds, and one of no known type */
        struct {
            LV2_Atom a;
            uint8_t body[8];
        } bad = {{4096, map->map(map->handle, LV2_ATOM__Object)}, {0}};
        d->port_event(ui, PORT_EVENTS_OUT, sizeof bad, event_transfer, &bad);
        bad.a.size = 8;
        bad.a.type = 9999;
        d->port_event(ui, PORT_EVENTS_OUT, sizeof bad, event_transfer, &bad);
        for (int k = 0; k < 3 && idle; ++k)
            if (idle->idle(ui) != 0) {
                fprintf(stderr, "ui_cycles: cycle %d: idle() asked to close\n", c);
                failures++;
                break;
            }
        if (c & 1) { /* the host closes its window first */
            XDestroyWindow(dpy, parent);
            XSync(dpy, False);
            d->cleanup(ui);
        } else {
            d->cleanup(ui);
            XDestroyWindow(dpy, parent);
        }
        XSync(dpy, False);
        if (c == 0)
            fds_after_first = open_fds();
        if (c == 9)
            rss_warm = maxrss_kb();
    }
    int fds_end = open_fds();
    long rss_end = maxrss_kb();
    XCloseDisplay(dpy);
    printf("ui_cycles: %d cycles, %d failed, %d X errors; open fds %d after the first, %d at "
           "the end; max RSS %ld KiB after 10, %ld KiB at the end\n",
           cycles, failures, x_errors, fds_after_first, fds_end, rss_warm, rss_end);
    /* ASan holds freed memory in quarantine, so the peak RSS grows there by
     * design; LeakSanitizer checks leaks in that build instead */
#if defined(__SANITIZE_ADDRESS__)
    const int check_rss = 0;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    const int check_rss = 0;
#else
    const int check_rss = 1;
#endif
#else
    const int check_rss = 1;
#endif
    int ok = failures == 0 && x_errors == 0 && fds_end <= fds_after_first &&
             (!check_rss || cycles < 10 || rss_end - rss_warm <= 2048);
    if (!ok)
        fprintf(stderr, "ui_cycles: FAILED\n");
    return ok ? 0 : 1;
}
