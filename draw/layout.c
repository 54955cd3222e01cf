/* layout.c — where the panel puts everything, and its pages of controls.
 *
 * The pages come from the parameter table (dsp/params.c): one page per
 * group, in the order the groups first appear, each holding its group's
 * parameters in table order. A parameter or a group added to the table
 * gets its control, and its page, with no change here.
 */
#include "draw.h"

#include <math.h>
#include <string.h>

/* ---- pages ---- */

static unsigned
group_pages(const char *groups[HV_MAX_PAGES])
{
    unsigned n = 0;
    for (int p = 0; p < PARAM_COUNT; ++p) {
        const char *g = param_table[p].group ? param_table[p].group : "";
        unsigned k = 0;
        while (k < n && strcmp(groups[k], g) != 0)
            ++k;
        if (k == n && n < HV_MAX_PAGES)
            groups[n++] = g;
    }
    return n;
}

unsigned
hillock_page_count(void)
{
    const char *groups[HV_MAX_PAGES];
    return group_pages(groups);
}

int
hillock_page_of(param_id id)
{
    const char *groups[HV_MAX_PAGES];
    unsigned n = group_pages(groups);
    const char *g = param_table[id].group ? param_table[id].group : "";
    for (unsigned k = 0; k < n; ++k)
        if (strcmp(groups[k], g) == 0)
            return (int)k;
    return -1;
}

void
hillock_page_title(unsigned page, char *buf, unsigned len)
{
    const char *groups[HV_MAX_PAGES];
    unsigned n = group_pages(groups);
    if (len == 0)
        return;
    if (page >= n) {
        buf[0] = '\0';
        return;
    }
    /* the table's group names are symbols; the stimulus is the Input page */
    const char *g = strcmp(groups[page], "stimulus") == 0 ? "input" : groups[page];
    unsigned i = 0;
    for (; g[i] && i + 1 < len; ++i)
        buf[i] = g[i] == '_' ? ' ' : g[i];
    buf[i] = '\0';
    if (buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)(buf[0] - 'a' + 'A');
}

/* ---- layout ---- */

#define CELL_MIN_W 72.0 /* narrowest control cell at scale 1 */
#define CELL_MAX_W 110.0
#define ROW_H 104.0     /* one row of controls at scale 1 */
#define TAB_W 84.0

void
hillock_layout_compute(hillock_layout *l, int w, int h, int page)
{
    memset(l, 0, sizeof *l);
    l->w = w;
    l->h = h;
    unsigned pages = hillock_page_count();
    l->page = page >= 0 && (unsigned)page < pages ? page : 0;
    double s = fmin((double)w / HILLOCK_UI_BASE_W, (double)h / HILLOCK_UI_BASE_H);
    s = s < 0.5 ? 0.5 : s > 4.0 ? 4.0 : s;
    l->scale = s;
    double pad = 8 * s, header_h = 48 * s;

    l->header = (hv_rect){0, 0, w, header_h};
    /* the guard's meter at the right end of the header */
    l->guard = (hv_rect){w - 168 * s, 10 * s, 160 * s, header_h - 20 * s};
    double tab_w = fmin(TAB_W * s, (l->guard.x - 150 * s - pad) / (pages ? pages : 1));
    for (unsigned k = 0; k < pages && l->n_controls < HV_MAX_CONTROLS; ++k)
        l->controls[l->n_controls++] = (hv_control){
            0, HV_CTRL_TAB, {150 * s + k * tab_w, 8 * s, tab_w - 4 * s, header_h - 16 * s},
            (int)k};

    /* this page's parameters, in rows of cells */
    param_id ids[PARAM_COUNT];
    unsigned n = 0;
    for (int p = 0; p < PARAM_COUNT; ++p)
        if (hillock_page_of((param_id)p) == l->page)
            ids[n++] = (param_id)p;
    unsigned per_row = (unsigned)fmax(1.0, floor((w - 2 * pad) / (CELL_MIN_W * s)));
    unsigned rows = n ? (n + per_row - 1) / per_row : 1;
    double row_h = ROW_H * s, area_h = rows * row_h;
    double cw = fmin(CELL_MAX_W * s, (w - 2 * pad) / (n < per_row ? (n ? n : 1) : per_row));
    for (unsigned i = 0; i < n && l->n_controls < HV_MAX_CONTROLS; ++i) {
        unsigned row = i / per_row, col = i % per_row;
        const param_info *p = &param_table[ids[i]];
        hv_ctrl_kind kind = p->kind == PARAM_KIND_ENUMERATION || p->kind == PARAM_KIND_TOGGLE
                                ? HV_CTRL_MENU
                                : HV_CTRL_KNOB;
        l->controls[l->n_controls++] = (hv_control){
            ids[i], kind,
            {pad + col * cw, h - area_h + row * row_h, cw, row_h - pad / 2}, l->page};
    }

    double y0 = header_h + pad / 2, y1 = h - area_h - pad / 2;
    double ph = y1 - y0 > 30 * s ? y1 - y0 : 30 * s;
    double lw = (w - 3 * pad) * 0.64;
    l->raster = (hv_rect){pad, y0, lw, ph * 0.50};
    l->rate = (hv_rect){pad, y0 + ph * 0.50 + pad, lw, ph * 0.14};
    double sy = l->rate.y + l->rate.h + pad;
    l->scope = (hv_rect){pad, sy, lw, y0 + ph - sy};
    l->phase = (hv_rect){2 * pad + lw, y0, w - 3 * pad - lw, ph};
}

static bool
inside(hv_rect r, double x, double y)
{
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

int
hillock_layout_hit(const hillock_layout *l, double x, double y)
{
    for (unsigned i = 0; i < l->n_controls; ++i)
        if (inside(l->controls[i].r, x, y))
            return (int)i;
    return -1;
}

int
hillock_layout_control_of(const hillock_layout *l, param_id id)
{
    for (unsigned i = 0; i < l->n_controls; ++i)
        if (l->controls[i].kind != HV_CTRL_TAB && l->controls[i].param == id)
            return (int)i;
    return -1;
}

hv_rect
hillock_menu_box_in(hv_rect r, double s)
{
    double label = 13 * s, bh = fmin(26 * s, r.h - label);
    return (hv_rect){r.x + 2 * s, r.y + label + (r.h - label - bh) / 2, r.w - 4 * s, bh};
}

hv_rect
hillock_menu_box(const hillock_layout *l, int control)
{
    return hillock_menu_box_in(l->controls[control].r, l->scale);
}

hv_rect
hillock_menu_item(const hillock_layout *l, int control, unsigned item)
{
    hv_rect b = hillock_menu_box(l, control);
    const param_info *p = &param_table[l->controls[control].param];
    unsigned n = p->kind == PARAM_KIND_TOGGLE ? 2 : p->n_values;
    double ih = 20 * l->scale, gap = 2 * l->scale;
    double w = fmax(b.w, 130 * l->scale);
    double x = fmin(b.x, l->w - w);
    /* below the box, or above it when the list would leave the window */
    double y = b.y + b.h + gap;
    if (y + n * ih > l->h)
        y = b.y - gap - n * ih;
    return (hv_rect){x, y + item * ih, w, ih};
}

unsigned
hillock_menu_items(const hillock_layout *l, int control)
{
    const param_info *p = &param_table[l->controls[control].param];
    return p->kind == PARAM_KIND_TOGGLE ? 2 : p->n_values;
}

int
hillock_menu_item_at(const hillock_layout *l, int control, double x, double y)
{
    if (control < 0 || (unsigned)control >= l->n_controls ||
        l->controls[control].kind != HV_CTRL_MENU)
        return -1;
    unsigned n = hillock_menu_items(l, control);
    for (unsigned i = 0; i < n; ++i)
        if (inside(hillock_menu_item(l, control, i), x, y))
            return (int)i;
    return -1;
}

int
hillock_raster_neuron_at(const hillock_layout *l, const hillock_view *v, double y)
{
    hv_rect r = l->raster;
    if (y < r.y || y >= r.y + r.h)
        return -1;
    uint32_t n = hillock_view_neurons(v);
    int row = (int)floor((y - r.y) / r.h * n);
    return row < 0 ? 0 : row >= (int)n ? (int)n - 1 : row;
}
