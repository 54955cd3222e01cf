/* osc.c — the plugin's OSC output: every spike as /hillock/spike (int32
 * neuron, float64 seconds of the plugin's output since activate), a bundle
 * per block, to the URL of the hillock:oscUrl property (atom:String, set
 * with patch:Set, kept in the state). osc/osc_spikes.h is the format.
 *
 * run() never sends: it pushes each block's spikes (aligned: timed where
 * they sound) and a block end into a lock-free spike queue and schedules
 * one flush job; the host's worker thread pops the queue and sends. The
 * worker alone opens, uses and closes the sender (a new URL is a job too),
 * so run() neither blocks nor allocates. A URL that cannot be reached is
 * logged, and nothing is sent until another is set.
 */
#include "plugin.h"
#include "uris.h"

#include <lv2/atom/util.h>

#include <stdio.h>
#include <string.h>

#ifdef HAVE_OSC
#include "osc_spikes.h"

#define OSC_QUEUE_SPIKES 65536u

typedef struct {
    uint32_t kind;
    char url[PLUGIN_OSC_URL_MAX];
} job_url;

bool
osc_init(hillock_plugin *self)
{
    plugin_osc *o = &self->osc;
    o->prop = self->map->map(self->map->handle, HILLOCK__oscUrl);
    atomic_init(&o->sending, false);
    atomic_init(&o->flush_pending, false);
    o->queue_ok = spike_queue_init(&o->queue, OSC_QUEUE_SPIKES);
    return o->queue_ok;
}

void
osc_free(hillock_plugin *self)
{
    plugin_osc *o = &self->osc;
    osc_sender_close(o->sender);
    o->sender = NULL;
    if (o->queue_ok)
        spike_queue_free(&o->queue);
    o->queue_ok = false;
}

bool
osc_on_set(hillock_plugin *self, const LV2_Atom_Object *obj)
{
    plugin_osc *o = &self->osc;
    plugin_paths *ps = &self->paths;
    const LV2_Atom *property = NULL, *value = NULL;
    lv2_atom_object_get(obj, ps->patch_property, &property, ps->patch_value, &value, 0);
    if (!property || property->type != ps->atom_URID ||
        ((const LV2_Atom_URID *)property)->body != o->prop)
        return false;
    if (!value || value->type != ps->atom_String)
        return true;
    const char *url = LV2_ATOM_BODY_CONST(value);
    uint32_t len = (uint32_t)strnlen(url, value->size);
    if (len >= PLUGIN_OSC_URL_MAX) {
        lv2_log_error(&self->logger, "hillock: OSC URL longer than %u bytes, not taken\n",
                      PLUGIN_OSC_URL_MAX - 1u);
        return true;
    }
    memcpy(o->url, url, len);
    o->url[len] = '\0';
    o->url_pending = true;
    return true;
}

void
osc_collect(hillock_plugin *self, const engine_io *io, uint32_t n)
{
    plugin_osc *o = &self->osc;
    const uint64_t first = o->frames;
    o->frames += n;
    if (!atomic_load_explicit(&o->sending, memory_order_acquire) || !io->n_spikes)
        return;
    for (uint32_t k = 0; k < io->n_spikes; ++k)
        o->block[k] = (spike_event){
            .unit = io->spikes[k].neuron,
            .time_s = ((double)(first + io->spikes[k].offset) + (double)io->spikes[k].frac) /
                      self->sample_rate};
    o->block[io->n_spikes] = (spike_event){.unit = UINT32_MAX}; /* the block's end */
    o->pushed |= spike_queue_push(&o->queue, o->block, io->n_spikes + 1u);
}

void
osc_end_run(hillock_plugin *self)
{
    plugin_osc *o = &self->osc;
    LV2_Worker_Schedule *ws = self->paths.schedule;
    if (!ws)
        return;
    if (o->url_pending) {
        job_url job = {JOB_OSC_URL, ""};
        memcpy(job.url, o->url, sizeof job.url);
        if (ws->schedule_work(ws->handle, sizeof job, &job) == LV2_WORKER_SUCCESS)
            o->url_pending = false; /* else: again at the next run() */
    }
    if (o->pushed && !atomic_load_explicit(&o->flush_pending, memory_order_acquire)) {
        uint32_t kind = JOB_OSC_FLUSH;
        if (ws->schedule_work(ws->handle, sizeof kind, &kind) == LV2_WORKER_SUCCESS) {
            atomic_store_explicit(&o->flush_pending, true, memory_order_release);
            o->pushed = false;
        }
    }
}

/* Worker thread: send what the queue holds, a bundle per block end. */
static void
flush(hillock_plugin *self)
{
    plugin_osc *o = &self->osc;
    atomic_store_explicit(&o->flush_pending, false, memory_order_release);
    uint32_t n = 0;
    spike_event s;
    while (spike_queue_pop(&o->queue, &s, 1) == 1) {
        if (s.unit != UINT32_MAX) {
            if (n < PLUGIN_OSC_CHUNK)
                o->chunk[n++] = s;
            continue;
        }
        char why[256];
        if (o->sender && n && !osc_sender_send(o->sender, o->chunk, n, why, sizeof why) &&
            !o->warned) {
            lv2_log_warning(&self->logger, "hillock: OSC output: %s (spikes lost)\n", why);
            o->warned = true;
        }
        n = 0;
    }
}

LV2_Worker_Status
osc_work(hillock_plugin *self, uint32_t size, const void *data)
{
    plugin_osc *o = &self->osc;
    uint32_t kind;
    memcpy(&kind, data, sizeof kind);
    if (kind == JOB_OSC_FLUSH) {
        flush(self);
        return LV2_WORKER_SUCCESS;
    }
    if (kind != JOB_OSC_URL || size != sizeof(job_url))
        return LV2_WORKER_ERR_UNKNOWN;
    job_url job;
    memcpy(&job, data, sizeof job);
    job.url[sizeof job.url - 1] = '\0';
    atomic_store_explicit(&o->sending, false, memory_order_release);
    flush(self); /* what was queued for the old URL */
    osc_sender_close(o->sender);
    o->sender = NULL;
    o->warned = false;
    if (!job.url[0])
        return LV2_WORKER_SUCCESS; /* cleared: no OSC output */
    char err[512];
    o->sender = osc_sender_open(job.url, err, sizeof err);
    if (!o->sender) {
        lv2_log_error(&self->logger, "hillock: OSC output off: %s\n", err);
        return LV2_WORKER_SUCCESS;
    }
    atomic_store_explicit(&o->sending, true, memory_order_release);
    return LV2_WORKER_SUCCESS;
}

#else /* built without liblo: the property is taken and saved, nothing is sent */

bool
osc_init(hillock_plugin *self)
{
    self->osc.prop = self->map->map(self->map->handle, HILLOCK__oscUrl);
    return true;
}
void osc_free(hillock_plugin *self) { (void)self; }
bool
osc_on_set(hillock_plugin *self, const LV2_Atom_Object *obj)
{
    (void)self, (void)obj;
    return false;
}
void
osc_collect(hillock_plugin *self, const engine_io *io, uint32_t n)
{
    (void)io;
    self->osc.frames += n;
}
void osc_end_run(hillock_plugin *self) { (void)self; }
LV2_Worker_Status
osc_work(hillock_plugin *self, uint32_t size, const void *data)
{
    (void)self, (void)size, (void)data;
    return LV2_WORKER_ERR_UNKNOWN;
}

#endif

/* The state: the URL as an atom:String, when one is set. */
LV2_State_Status
osc_save(hillock_plugin *self, LV2_State_Store_Function store, LV2_State_Handle handle)
{
    const plugin_osc *o = &self->osc;
    if (!o->url[0])
        return LV2_STATE_SUCCESS;
    return store(handle, o->prop, o->url, strlen(o->url) + 1u, self->paths.atom_String,
                 LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE);
}

void
osc_restore(hillock_plugin *self, LV2_State_Retrieve_Function retrieve, LV2_State_Handle handle)
{
    plugin_osc *o = &self->osc;
    size_t size = 0;
    uint32_t type = 0, flags = 0;
    const char *url = retrieve(handle, o->prop, &size, &type, &flags);
    char was[PLUGIN_OSC_URL_MAX];
    memcpy(was, o->url, sizeof was);
    o->url[0] = '\0';
    if (url && type == self->paths.atom_String && size > 0 && size <= PLUGIN_OSC_URL_MAX &&
        url[size - 1] == '\0')
        memcpy(o->url, url, size);
    /* the worker opens it at the next run() (only run() may schedule) */
    if (strcmp(was, o->url) != 0)
        o->url_pending = true;
}
