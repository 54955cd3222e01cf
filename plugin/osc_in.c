/* osc_in.c — the plugin's OSC input: /hillock/spike messages (int32 unit,
 * optional float64 time, osc/osc_spikes.h) received on the UDP port of the
 * hillock:oscInPort property (atom:Int, set with patch:Set, kept in the
 * state; 0: none), on 127.0.0.1 only, play as spikes of recorded units.
 *
 * A liblo receiver thread (not real-time) pushes each message into a
 * lock-free spike queue; run() drains it at the start of each engine
 * block and plays every spike at that block's first frame, so a spike is
 * heard in the block after it arrived. A message's time is the sender's
 * clock and is not used. The worker alone opens and closes the receiver
 * (one at a time, so the queue keeps one producer); a port that cannot be
 * opened is logged and the one before goes on listening. Unit u plays as a
 * recording's unit u (source recorded or both). */
#include "plugin.h"
#include "uris.h"

#include <lv2/atom/util.h>

#include <stdio.h>
#include <string.h>

#ifdef HAVE_OSC
#include "osc_spikes.h"

#define OSC_IN_QUEUE 16384u

typedef struct {
    uint32_t kind;
    int32_t port;
} job_port;

bool
osc_in_init(hillock_plugin *self)
{
    plugin_osc_in *o = &self->osc_in;
    o->prop = self->map->map(self->map->handle, HILLOCK__oscInPort);
    o->queue_ok = spike_queue_init(&o->queue, OSC_IN_QUEUE);
    return o->queue_ok;
}

void
osc_in_free(hillock_plugin *self)
{
    plugin_osc_in *o = &self->osc_in;
    osc_receiver_close(o->receiver);
    o->receiver = NULL;
    if (o->queue_ok)
        spike_queue_free(&o->queue);
    o->queue_ok = false;
}

void
osc_in_block(hillock_plugin *self)
{
    plugin_osc_in *o = &self->osc_in;
    spike_event ev[64];
    uint32_t n;
    while (engine_recorded_room(self->eng) >= 64u && (n = spike_queue_pop(&o->queue, ev, 64)) > 0) {
        for (uint32_t k = 0; k < n; ++k) {
            if (!engine_play_spike(self->eng, ev[k].unit, 0.0))
                continue;
            if (ev[k].unit >= o->units && ev[k].unit < ENGINE_MAX_NEURONS) {
                /* the stereo field spreads over the units heard so far */
                o->units = ev[k].unit + 1u;
                const recording *r = self->playback.rec;
                engine_set_recorded_units(self->eng,
                                          r && r->units > o->units ? r->units : o->units);
            }
        }
    }
}

void
osc_in_end_run(hillock_plugin *self)
{
    plugin_osc_in *o = &self->osc_in;
    LV2_Worker_Schedule *ws = self->paths.schedule;
    if (!ws || !o->port_pending)
        return;
    job_port job = {JOB_OSC_IN, o->port};
    if (ws->schedule_work(ws->handle, sizeof job, &job) == LV2_WORKER_SUCCESS)
        o->port_pending = false; /* else: again at the next run() */
}

/* Worker thread: listen on port (0: nowhere). False with the reason. */
static bool
listen_on(plugin_osc_in *o, int32_t port, char *err, size_t err_len)
{
    osc_receiver_close(o->receiver); /* its thread joined: the queue's one producer */
    o->receiver = NULL;
    o->open_port = 0;
    if (port == 0)
        return true;
    char name[16];
    snprintf(name, sizeof name, "%d", (int)port);
    o->receiver = osc_receiver_open(name, false, &o->queue, NULL, NULL, err, err_len);
    if (!o->receiver)
        return false;
    o->open_port = port;
    return true;
}

LV2_Worker_Status
osc_in_work(hillock_plugin *self, uint32_t size, const void *data)
{
    plugin_osc_in *o = &self->osc_in;
    if (size != sizeof(job_port))
        return LV2_WORKER_ERR_UNKNOWN;
    job_port job;
    memcpy(&job, data, sizeof job);
    if (job.port == o->open_port)
        return LV2_WORKER_SUCCESS;
    const int32_t was = o->open_port;
    char err[512];
    if (job.port < 0 || job.port > 65535) {
        lv2_log_error(&self->logger, "hillock: OSC input: port %d is not a UDP port (1-65535, "
                                     "0: none); %s\n",
                      (int)job.port, was ? "it goes on listening where it was" : "none opened");
        return LV2_WORKER_SUCCESS;
    }
    if (listen_on(o, job.port, err, sizeof err)) {
        if (job.port)
            lv2_log_note(&self->logger,
                         "hillock: OSC input: playing /hillock/spike messages received on "
                         "127.0.0.1 port %d\n",
                         (int)job.port);
        return LV2_WORKER_SUCCESS;
    }
    char again[512] = "";
    bool back = was && listen_on(o, was, again, sizeof again);
    lv2_log_error(&self->logger, "hillock: OSC input: port %d: %s; %s\n", (int)job.port, err,
                  back ? "it goes on listening on the port before" : "none open");
    return LV2_WORKER_SUCCESS;
}

#else /* built without liblo: the property is taken and saved, nothing is received */

bool
osc_in_init(hillock_plugin *self)
{
    self->osc_in.prop = self->map->map(self->map->handle, HILLOCK__oscInPort);
    return true;
}
void osc_in_free(hillock_plugin *self) { (void)self; }
void osc_in_block(hillock_plugin *self) { (void)self; }
void osc_in_end_run(hillock_plugin *self) { self->osc_in.port_pending = false; }
LV2_Worker_Status
osc_in_work(hillock_plugin *self, uint32_t size, const void *data)
{
    (void)self, (void)size, (void)data;
    return LV2_WORKER_ERR_UNKNOWN;
}

#endif

bool
osc_in_on_set(hillock_plugin *self, const LV2_Atom_Object *obj)
{
    plugin_osc_in *o = &self->osc_in;
    plugin_paths *ps = &self->paths;
    const LV2_Atom *property = NULL, *value = NULL;
    lv2_atom_object_get(obj, ps->patch_property, &property, ps->patch_value, &value, 0);
    if (!property || property->type != ps->atom_URID ||
        ((const LV2_Atom_URID *)property)->body != o->prop)
        return false;
    if (value && value->type == self->forge.Int && value->size >= sizeof(int32_t)) {
        o->port = ((const LV2_Atom_Int *)value)->body;
        o->port_pending = true;
    } else if (value && value->type == self->forge.Long && value->size >= sizeof(int64_t)) {
        int64_t v = ((const LV2_Atom_Long *)value)->body;
        o->port = v < 0 || v > 65535 ? -1 : (int32_t)v; /* the worker says why not */
        o->port_pending = true;
    }
    return true;
}

/* The state: the port as an atom:Int, when one is set. */
LV2_State_Status
osc_in_save(hillock_plugin *self, LV2_State_Store_Function store, LV2_State_Handle handle)
{
    const plugin_osc_in *o = &self->osc_in;
    if (o->port == 0)
        return LV2_STATE_SUCCESS;
    return store(handle, o->prop, &o->port, sizeof o->port, self->forge.Int,
                 LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE);
}

void
osc_in_restore(hillock_plugin *self, LV2_State_Retrieve_Function retrieve,
               LV2_State_Handle handle)
{
    plugin_osc_in *o = &self->osc_in;
    size_t size = 0;
    uint32_t type = 0, flags = 0;
    const void *v = retrieve(handle, o->prop, &size, &type, &flags);
    int32_t port = 0;
    if (v && type == self->forge.Int && size == sizeof port)
        memcpy(&port, v, sizeof port);
    /* the worker opens it at the next run() (only run() may schedule) */
    if (port != o->port) {
        o->port = port;
        o->port_pending = true;
    }
}
