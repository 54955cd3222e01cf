/* inline_display.c — Ardour's mixer-strip picture (idpy.h).
 *
 * run() pushes traces and spikes into a hillock_view of its own
 * (protocol/view.h: fixed rings, no allocation), and about DRAW_HZ times a
 * second publishes a copy of it under an atomic try-lock that never waits:
 * if render() is copying out at that moment, run() skips this publication
 * and tries at the next. render() (GUI thread) takes its own copy the same
 * way, then draws it with hillock_draw_inline(), the UI's drawing (draw/).
 */
#include "plugin.h"

#include "draw.h"
#include "view.h"

#include <cairo/cairo.h>

#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define DISPLAY_HEIGHT_RATIO 0.5 /* h = w / 2, within max_h */

enum { SHARED_FREE, SHARED_WRITING, SHARED_READING };

struct inline_display {
    /* GUI thread only */
    cairo_surface_t *surface;
    LV2_Inline_Display_Image_Surface image;
    hillock_view live;   /* run() only */
    hillock_view shared; /* guarded by state */
    hillock_view drawn;  /* render() only */
    _Atomic int state;
    _Atomic int published; /* shared holds data */
    float soma[FOCUS_TRACE_MAX], dend[FOCUS_TRACE_MAX], slow[FOCUS_TRACE_MAX];
    uint64_t frame;
    engine_display bank; /* of the last block collected: valid until run() ends */
};

bool
hillock_inline_init(hillock_plugin *self)
{
    struct inline_display *d = calloc(1, sizeof *d);
    if (!d)
        return false;
    hillock_view_init(&d->live);
    hillock_view_init(&d->shared);
    hillock_view_init(&d->drawn);
    self->idisp = d;
    return true;
}

void
hillock_inline_restart(hillock_plugin *self)
{
    struct inline_display *d = self->idisp;
    if (!d)
        return;
    d->frame = 0;
    hillock_view_restart(&d->live, 0.0);
}

void
hillock_inline_collect(hillock_plugin *self, const engine_io *io, uint32_t n)
{
    struct inline_display *d = self->idisp;
    if (!d || n == 0)
        return;
    const double rate = self->sample_rate;
    const double t0 = (double)d->frame / rate;
    for (uint32_t k = 0; k < io->n_spikes; ++k) {
        uint32_t who = io->spikes[k].neuron;
        hillock_view_push_spike(&d->live, t0 + io->spikes[k].frame / rate, who,
                                who < io->display.neurons && io->display.inhibitory[who]);
    }
    if (io->spikes_lost)
        hillock_view_push_lost(&d->live, io->spikes_lost);
    hillock_view_spike_share(&d->live, io->n_spikes, io->spikes_lost);
    /* the focus neuron in model time, as the UI gets it (notify.c) */
    const focus_trace *t = io->display.focus_trace;
    uint32_t count = t ? focus_trace_count(t) : 0u;
    for (uint32_t k = 0; k < count; ++k) {
        uint32_t i = focus_trace_index(t, k);
        d->soma[k] = t->soma[i];
        d->dend[k] = t->dend[i];
        d->slow[k] = t->slow[i];
    }
    if (count)
        hillock_view_push_focus(&d->live, (double)(d->frame + n - 1) / rate,
                                t->step_frames / rate, t->step_ms, d->soma, d->dend, d->slow,
                                count, focus_trace_skipped(t));
    d->bank = io->display;
    d->frame += n;
    hillock_view_advance(&d->live, (double)d->frame / rate);
}

bool
hillock_inline_publish(hillock_plugin *self)
{
    struct inline_display *d = self->idisp;
    if (!d)
        return false;
    hillock_view *v = &d->live;
    if (!d->bank.params)
        return false; /* no block processed yet */
    for (int p = 0; p < PARAM_COUNT; ++p)
        hillock_view_set_param(v, (param_id)p, d->bank.params[p]);
    v->active_neurons = d->bank.neurons;
    /* model time at the pace the model runs, as the UI's views (the tempo
     * lock's scale; notify.c sends the same) */
    v->instrument_known = true;
    v->tempo_scale = d->bank.tempo_scale;
    v->tempo_error = d->bank.tempo_error;
    v->pitch_lo_hz = d->bank.pitch_lo_hz;
    v->pitch_hi_hz = d->bank.pitch_hi_hz;
    v->pitch_clamped = d->bank.pitch_clamped;
    hillock_view_set_inhibitory_flags(v, d->bank.inhibitory, d->bank.neurons);
    int expected = SHARED_FREE;
    if (!atomic_compare_exchange_strong(&d->state, &expected, SHARED_WRITING))
        return false; /* render() is copying: publish next time */
    memcpy(&d->shared, v, sizeof *v);
    atomic_store(&d->published, 1);
    atomic_store(&d->state, SHARED_FREE);
    return true;
}


static void
draw(struct inline_display *d, hillock_plugin *self, cairo_t *cr, int w, int h)
{
    (void)self;
    /* wait for a publication in progress: a memcpy, microseconds */
    for (int tries = 0; tries < 1000; ++tries) {
        int expected = SHARED_FREE;
        if (atomic_compare_exchange_strong(&d->state, &expected, SHARED_READING)) {
            if (atomic_load(&d->published))
                memcpy(&d->drawn, &d->shared, sizeof d->drawn);
            atomic_store(&d->state, SHARED_FREE);
            break;
        }
        sched_yield();
    }
    hillock_draw_inline(cr, w, h, &d->drawn);
}

LV2_Inline_Display_Image_Surface *
hillock_inline_render(LV2_Handle instance, uint32_t w, uint32_t max_h)
{
    hillock_plugin *self = instance;
    uint32_t h = (uint32_t)(w * DISPLAY_HEIGHT_RATIO);
    if (h > max_h)
        h = max_h;
    if (w == 0 || h == 0 || w > 4096 || h > 4096)
        return NULL;
    /* set up at instantiate when the host offers queue_draw; a host that
     * calls render() without it gets no picture (creating one here would
     * race with run()) */
    struct inline_display *d = self->idisp;
    if (!d)
        return NULL;
    if (!d->surface || cairo_image_surface_get_width(d->surface) != (int)w ||
        cairo_image_surface_get_height(d->surface) != (int)h) {
        if (d->surface)
            cairo_surface_destroy(d->surface);
        d->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)w, (int)h);
    }
    if (cairo_surface_status(d->surface) != CAIRO_STATUS_SUCCESS)
        return NULL;

    cairo_t *cr = cairo_create(d->surface);
    draw(d, self, cr, (int)w, (int)h);
    cairo_destroy(cr);
    cairo_surface_flush(d->surface);

    d->image.data = cairo_image_surface_get_data(d->surface);
    d->image.width = (int)w;
    d->image.height = (int)h;
    d->image.stride = cairo_image_surface_get_stride(d->surface);
    return &d->image;
}

void
hillock_inline_free(hillock_plugin *self)
{
    struct inline_display *d = self->idisp;
    if (!d)
        return;
    if (d->surface)
        cairo_surface_destroy(d->surface);
    free(d);
    self->idisp = NULL;
}
