/* host.c — the in-process LV2 test host (see host.h). */
#include "host.h"
#include "idpy.h"

#include <lv2/atom/forge.h>
#include <lv2/buf-size/buf-size.h>
#include <lv2/log/log.h>
#include <lv2/midi/midi.h>
#include <lv2/options/options.h>
#include <lv2/patch/patch.h>
#include <lv2/presets/presets.h>
#include <lv2/time/time.h>
#include <lv2/worker/worker.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_URIDS 512

struct hb_world {
    LilvWorld *world;
    const LilvPlugin *plugin[2];
    char *uris[MAX_URIDS];
    uint32_t n_uris;
    LV2_URID_Map map;
    LV2_URID_Unmap unmap;
    LV2_Log_Log log;
    char log_text[8192];
    int32_t max_block, min_block;
    LV2_Options_Option options[3];
    LV2_Inline_Display queue_draw;
    unsigned queue_draw_calls;
    LV2_Feature f_map, f_unmap, f_log, f_options, f_bounded, f_queue_draw, f_schedule;
    const LV2_Feature *features[8];
    /* the worker: jobs run() scheduled, responses work() made */
    LV2_Worker_Schedule schedule;
    hb_job requests[HB_WORK_MAX], responses[HB_WORK_MAX];
    uint32_t n_requests, n_responses;
};

static LV2_Worker_Status
queue_job(hb_job *q, uint32_t *n, uint32_t size, const void *data)
{
    if (*n == HB_WORK_MAX || size > sizeof q->data)
        return LV2_WORKER_ERR_NO_SPACE;
    q[*n].size = size;
    memcpy(q[*n].data, data, size);
    ++*n;
    return LV2_WORKER_SUCCESS;
}

static LV2_Worker_Status
schedule_work(LV2_Worker_Schedule_Handle handle, uint32_t size, const void *data)
{
    hb_world *w = handle;
    return queue_job(w->requests, &w->n_requests, size, data);
}

static LV2_Worker_Status
respond(LV2_Worker_Respond_Handle handle, uint32_t size, const void *data)
{
    hb_world *w = handle;
    return queue_job(w->responses, &w->n_responses, size, data);
}

static LV2_URID
map_uri(LV2_URID_Map_Handle handle, const char *uri)
{
    hb_world *w = handle;
    for (uint32_t i = 0; i < w->n_uris; ++i)
        if (!strcmp(w->uris[i], uri))
            return i + 1;
    if (w->n_uris == MAX_URIDS)
        return 0;
    w->uris[w->n_uris++] = strdup(uri);
    return w->n_uris;
}

static const char *
unmap_uri(LV2_URID_Unmap_Handle handle, LV2_URID urid)
{
    hb_world *w = handle;
    return urid >= 1 && urid <= w->n_uris ? w->uris[urid - 1] : NULL;
}

/* Ardour calls render() soon after; the tests call it themselves. */
static void
queue_draw(void *handle)
{
    ((hb_world *)handle)->queue_draw_calls++;
}

static int
log_vprintf(LV2_Log_Handle handle, LV2_URID type, const char *fmt, va_list ap)
{
    (void)type;
    hb_world *w = handle;
    size_t used = strlen(w->log_text);
    if (used + 1 < sizeof w->log_text)
        vsnprintf(w->log_text + used, sizeof w->log_text - used, fmt, ap);
    return 0;
}

static int
log_printf(LV2_Log_Handle handle, LV2_URID type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = log_vprintf(handle, type, fmt, ap);
    va_end(ap);
    return r;
}

hb_world *
hb_world_new(void)
{
    hb_world *w = calloc(1, sizeof *w);
    w->world = lilv_world_new();
    lilv_world_load_all(w->world); /* LV2_PATH: the build tree's lv2/ */
    const LilvPlugins *all = lilv_world_get_all_plugins(w->world);
    const char *uris[2] = {"urn:hillock:bank", "urn:hillock:bank-cv"};
    for (int i = 0; i < 2; ++i) {
        LilvNode *uri = lilv_new_uri(w->world, uris[i]);
        w->plugin[i] = lilv_plugins_get_by_uri(all, uri);
        lilv_node_free(uri);
    }
    w->map = (LV2_URID_Map){w, map_uri};
    w->unmap = (LV2_URID_Unmap){w, unmap_uri};
    w->log = (LV2_Log_Log){w, log_printf, log_vprintf};
    w->max_block = HB_MAX_BLOCK;
    w->min_block = 1;
    LV2_URID atom_int = map_uri(w, LV2_ATOM__Int);
    w->options[0] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0,
                                         map_uri(w, LV2_BUF_SIZE__maxBlockLength),
                                         sizeof(int32_t), atom_int, &w->max_block};
    w->options[1] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0,
                                         map_uri(w, LV2_BUF_SIZE__minBlockLength),
                                         sizeof(int32_t), atom_int, &w->min_block};
    w->options[2] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, NULL};
    w->f_map = (LV2_Feature){LV2_URID__map, &w->map};
    w->f_unmap = (LV2_Feature){LV2_URID__unmap, &w->unmap};
    w->f_log = (LV2_Feature){LV2_LOG__log, &w->log};
    w->f_options = (LV2_Feature){LV2_OPTIONS__options, w->options};
    w->f_bounded = (LV2_Feature){LV2_BUF_SIZE__boundedBlockLength, NULL};
    w->queue_draw = (LV2_Inline_Display){w, queue_draw};
    w->f_queue_draw = (LV2_Feature){LV2_INLINEDISPLAY__queue_draw, &w->queue_draw};
    w->schedule = (LV2_Worker_Schedule){w, schedule_work};
    w->f_schedule = (LV2_Feature){LV2_WORKER__schedule, &w->schedule};
    const LV2_Feature *f[] = {&w->f_map,     &w->f_unmap,      &w->f_log,      &w->f_options,
                              &w->f_bounded, &w->f_queue_draw, &w->f_schedule, NULL};
    memcpy(w->features, f, sizeof f);
    return w;
}

void
hb_world_free(hb_world *w)
{
    if (!w)
        return;
    lilv_world_free(w->world);
    for (uint32_t i = 0; i < w->n_uris; ++i)
        free(w->uris[i]);
    free(w);
}

LilvWorld *
hb_lilv(hb_world *w)
{
    return w->world;
}

LV2_URID_Map *
hb_map(hb_world *w)
{
    return &w->map;
}

LV2_URID_Unmap *
hb_unmap(hb_world *w)
{
    return &w->unmap;
}

void
hb_world_set_worker(hb_world *w, bool on)
{
    w->features[6] = on ? &w->f_schedule : NULL;
}

unsigned
hb_worker_work(hb_instance *h)
{
    hb_world *w = h->w;
    const LV2_Worker_Interface *iface =
        lilv_instance_get_extension_data(h->inst, LV2_WORKER__interface);
    unsigned n = w->n_requests;
    for (unsigned i = 0; i < n; ++i)
        iface->work(lilv_instance_get_handle(h->inst), respond, w, w->requests[i].size,
                    w->requests[i].data);
    w->n_requests = 0;
    return n;
}

unsigned
hb_worker_respond(hb_instance *h)
{
    hb_world *w = h->w;
    const LV2_Worker_Interface *iface =
        lilv_instance_get_extension_data(h->inst, LV2_WORKER__interface);
    unsigned n = w->n_responses;
    w->n_responses = 0;
    LV2_Handle handle = lilv_instance_get_handle(h->inst);
    for (unsigned i = 0; i < n; ++i)
        iface->work_response(handle, w->responses[i].size, w->responses[i].data);
    iface->end_run(handle);
    return n;
}

void
hb_worker_settle(hb_instance *h)
{
    while (h->w->n_requests || h->w->n_responses) {
        hb_worker_work(h);
        hb_worker_respond(h);
    }
}

unsigned
hb_worker_pending(hb_world *w)
{
    return w->n_requests;
}

void
hb_send_patch(hb_instance *h, const char *type_uri, const char *property_uri,
              const char *path)
{
    hb_prepare_events(h, NULL, NULL, 0);
    LV2_Atom_Forge forge;
    lv2_atom_forge_init(&forge, &h->w->map);
    lv2_atom_forge_set_buffer(&forge, (uint8_t *)h->atom_in, HB_ATOM_IN_SIZE);
    LV2_Atom_Forge_Frame seq, obj;
    lv2_atom_forge_sequence_head(&forge, &seq, 0);
    lv2_atom_forge_frame_time(&forge, 0);
    lv2_atom_forge_object(&forge, &obj, 0, map_uri(h->w, type_uri));
    if (property_uri) {
        lv2_atom_forge_key(&forge, map_uri(h->w, LV2_PATCH__property));
        lv2_atom_forge_urid(&forge, map_uri(h->w, property_uri));
    }
    if (path) {
        lv2_atom_forge_key(&forge, map_uri(h->w, LV2_PATCH__value));
        lv2_atom_forge_path(&forge, path, (uint32_t)strlen(path));
    }
    lv2_atom_forge_pop(&forge, &obj);
    lv2_atom_forge_pop(&forge, &seq);
}

/* The atom input holds one object of type_uri at frame 0 (the caller adds
 * its keys and pops obj, then seq); the output is empty with its full
 * capacity. */
static void
begin_object(hb_instance *h, LV2_Atom_Forge *forge, LV2_Atom_Forge_Frame *seq,
             LV2_Atom_Forge_Frame *obj, const char *type_uri)
{
    hb_prepare_events(h, NULL, NULL, 0);
    lv2_atom_forge_init(forge, &h->w->map);
    lv2_atom_forge_set_buffer(forge, (uint8_t *)h->atom_in, HB_ATOM_IN_SIZE);
    lv2_atom_forge_sequence_head(forge, seq, 0);
    lv2_atom_forge_frame_time(forge, 0);
    lv2_atom_forge_object(forge, obj, 0, map_uri(h->w, type_uri));
}

void
hb_send_patch_string(hb_instance *h, const char *property_uri, const char *value)
{
    LV2_Atom_Forge forge;
    LV2_Atom_Forge_Frame seq, obj;
    begin_object(h, &forge, &seq, &obj, LV2_PATCH__Set);
    lv2_atom_forge_key(&forge, map_uri(h->w, LV2_PATCH__property));
    lv2_atom_forge_urid(&forge, map_uri(h->w, property_uri));
    lv2_atom_forge_key(&forge, map_uri(h->w, LV2_PATCH__value));
    lv2_atom_forge_string(&forge, value, (uint32_t)strlen(value));
    lv2_atom_forge_pop(&forge, &obj);
    lv2_atom_forge_pop(&forge, &seq);
}

void
hb_send_patch_int(hb_instance *h, const char *property_uri, int32_t value)
{
    LV2_Atom_Forge forge;
    LV2_Atom_Forge_Frame seq, obj;
    begin_object(h, &forge, &seq, &obj, LV2_PATCH__Set);
    lv2_atom_forge_key(&forge, map_uri(h->w, LV2_PATCH__property));
    lv2_atom_forge_urid(&forge, map_uri(h->w, property_uri));
    lv2_atom_forge_key(&forge, map_uri(h->w, LV2_PATCH__value));
    lv2_atom_forge_int(&forge, value);
    lv2_atom_forge_pop(&forge, &obj);
    lv2_atom_forge_pop(&forge, &seq);
}

void
hb_send_position(hb_instance *h, int64_t bar, float bar_beat, int32_t beat_unit,
                 float beats_per_bar, float bpm, float speed)
{
    LV2_Atom_Forge forge;
    LV2_Atom_Forge_Frame seq, obj;
    /* the keys and atom types jalv sends */
    begin_object(h, &forge, &seq, &obj, LV2_TIME__Position);
    lv2_atom_forge_key(&forge, map_uri(h->w, LV2_TIME__bar));
    lv2_atom_forge_long(&forge, bar);
    lv2_atom_forge_key(&forge, map_uri(h->w, LV2_TIME__barBeat));
    lv2_atom_forge_float(&forge, bar_beat);
    lv2_atom_forge_key(&forge, map_uri(h->w, LV2_TIME__beatUnit));
    lv2_atom_forge_int(&forge, beat_unit);
    lv2_atom_forge_key(&forge, map_uri(h->w, LV2_TIME__beatsPerBar));
    lv2_atom_forge_float(&forge, beats_per_bar);
    lv2_atom_forge_key(&forge, map_uri(h->w, LV2_TIME__beatsPerMinute));
    lv2_atom_forge_float(&forge, bpm);
    lv2_atom_forge_key(&forge, map_uri(h->w, LV2_TIME__speed));
    lv2_atom_forge_float(&forge, speed);
    lv2_atom_forge_pop(&forge, &obj);
    lv2_atom_forge_pop(&forge, &seq);
}

void
hb_send_frame(hb_instance *h, int64_t frame, float speed)
{
    hb_prepare_events(h, NULL, NULL, 0);
    LV2_Atom_Forge forge;
    lv2_atom_forge_init(&forge, &h->w->map);
    lv2_atom_forge_set_buffer(&forge, (uint8_t *)h->atom_in, HB_ATOM_IN_SIZE);
    LV2_Atom_Forge_Frame seq, obj;
    lv2_atom_forge_sequence_head(&forge, &seq, 0);
    lv2_atom_forge_frame_time(&forge, 0);
    lv2_atom_forge_object(&forge, &obj, 0, map_uri(h->w, LV2_TIME__Position));
    lv2_atom_forge_key(&forge, map_uri(h->w, LV2_TIME__frame));
    lv2_atom_forge_long(&forge, frame);
    lv2_atom_forge_key(&forge, map_uri(h->w, LV2_TIME__speed));
    lv2_atom_forge_float(&forge, speed);
    lv2_atom_forge_pop(&forge, &obj);
    lv2_atom_forge_pop(&forge, &seq);
}

const LV2_Feature *const *
hb_features(hb_world *w)
{
    return w->features;
}

const LilvPlugin *
hb_plugin(hb_world *w, bool cv)
{
    return w->plugin[cv ? 1 : 0];
}

unsigned
hb_queue_draw_calls(hb_world *w)
{
    return w->queue_draw_calls;
}

const char *
hb_take_log(hb_world *w)
{
    static char copy[sizeof w->log_text];
    memcpy(copy, w->log_text, sizeof copy);
    w->log_text[0] = '\0';
    return copy;
}

int
hb_presets(hb_world *w, bool cv, const LilvNode **out, int max)
{
    static LilvNodes *related[2];
    int i = cv ? 1 : 0;
    if (!w->plugin[i])
        return 0;
    LilvNode *pset = lilv_new_uri(w->world, LV2_PRESETS__Preset);
    if (related[i])
        lilv_nodes_free(related[i]);
    related[i] = lilv_plugin_get_related(w->plugin[i], pset);
    lilv_node_free(pset);
    int n = 0;
    LILV_FOREACH (nodes, it, related[i]) {
        if (n < max)
            out[n++] = lilv_nodes_get(related[i], it);
    }
    return n;
}

bool
hb_instantiate(hb_instance *h, hb_world *w, bool cv, double rate)
{
    memset(h, 0, sizeof *h);
    h->w = w;
    h->cv = cv;
    const LilvPlugin *p = hb_plugin(w, cv);
    if (!p)
        return false;
    h->inst = lilv_plugin_instantiate(p, rate, w->features);
    if (!h->inst)
        return false;
    param_defaults(h->controls);
    for (uint32_t i = 0; i < PORT_CV_FIXED_COUNT; ++i)
        h->audio[i] = calloc(HB_MAX_BLOCK, sizeof(float));
    h->shared = calloc(HB_MAX_BLOCK, sizeof(float));
    h->atom_in = calloc(HB_ATOM_IN_SIZE / 8, 8);
    h->atom_out = calloc(HB_ATOM_OUT_SIZE / 8, 8);
    hb_connect(h, HB_SEPARATE);
    return true;
}

void
hb_free(hb_instance *h)
{
    if (h->inst)
        lilv_instance_free(h->inst);
    for (uint32_t i = 0; i < PORT_CV_FIXED_COUNT; ++i)
        free(h->audio[i]);
    free(h->shared);
    free(h->atom_in);
    free(h->atom_out);
    memset(h, 0, sizeof *h);
}

float *
hb_port_buffer(hb_instance *h, uint32_t port)
{
    const hillock_fixed_port *fp = hillock_fixed_port_at(port);
    bool is_cv = fp && fp->type == PORT_TYPE_CV;
    switch (h->layout) {
    case HB_SEPARATE:
        return h->audio[port];
    case HB_IN_PLACE:
        if (port == PORT_STIMULUS)
            return h->audio[PORT_OUT_LEFT];
        if (port == PORT_CV_STIMULUS)
            return h->audio[PORT_CV_FOCUS_V];
        return h->audio[port];
    case HB_ALIASED:
        return fp && fp->output ? h->shared : h->audio[port];
    case HB_NULL_CV:
        return is_cv ? NULL : h->audio[port];
    }
    return NULL;
}

void
hb_connect(hb_instance *h, hb_layout layout)
{
    h->layout = layout;
    uint32_t base = hillock_param_port_base(h->cv);
    for (uint32_t port = 0; port < base; ++port) {
        void *buf = hb_port_buffer(h, port);
        if (port == PORT_EVENTS_IN)
            buf = h->atom_in;
        else if (port == PORT_EVENTS_OUT)
            buf = h->atom_out;
        lilv_instance_connect_port(h->inst, port, buf);
    }
    for (uint32_t p = 0; p < PARAM_COUNT; ++p)
        lilv_instance_connect_port(h->inst, hillock_param_port_index(h->cv, p), &h->controls[p]);
    for (uint32_t k = 0; k < PORT_LATE_COUNT; ++k)
        lilv_instance_connect_port(h->inst, hillock_late_port_index(h->cv, k), &h->late[k]);
}

typedef struct {
    hb_instance *h;
    float *values;
    int set, unknown;
} preset_ctx;

static void
set_port_value(const char *symbol, void *user, const void *value, uint32_t size,
               uint32_t type)
{
    preset_ctx *c = user;
    LV2_URID float_type = map_uri(c->h->w, LV2_ATOM__Float);
    int id = param_find(symbol);
    if (id < 0 || type != float_type || size != sizeof(float)) {
        c->unknown++;
        return;
    }
    c->h->controls[id] = *(const float *)value;
    if (c->values)
        c->values[id] = *(const float *)value;
    c->set++;
}

int
hb_apply_preset(hb_instance *h, const LilvNode *preset, float values[PARAM_COUNT])
{
    LilvWorld *world = h->w->world;
    lilv_world_load_resource(world, preset);
    LilvState *state = lilv_state_new_from_world(world, &h->w->map, preset);
    if (!state)
        return -1;
    if (values)
        param_defaults(values);
    preset_ctx c = {h, values, 0, 0};
    lilv_state_restore(state, h->inst, set_port_value, &c, 0, h->w->features);
    lilv_state_free(state);
    return c.unknown ? -1 : c.set;
}

void
hb_prepare_events(hb_instance *h, const uint8_t (*midi)[3], const uint32_t *frames,
                  uint32_t n)
{
    LV2_Atom_Forge forge;
    lv2_atom_forge_init(&forge, &h->w->map);
    LV2_URID midi_type = map_uri(h->w, LV2_MIDI__MidiEvent);
    lv2_atom_forge_set_buffer(&forge, (uint8_t *)h->atom_in, HB_ATOM_IN_SIZE);
    LV2_Atom_Forge_Frame seq;
    lv2_atom_forge_sequence_head(&forge, &seq, 0);
    for (uint32_t i = 0; i < n; ++i) {
        lv2_atom_forge_frame_time(&forge, frames[i]);
        lv2_atom_forge_atom(&forge, 3, midi_type);
        lv2_atom_forge_write(&forge, midi[i], 3);
    }
    lv2_atom_forge_pop(&forge, &seq);

    LV2_Atom *out = (LV2_Atom *)h->atom_out;
    out->size = HB_ATOM_OUT_SIZE - sizeof(LV2_Atom);
    out->type = map_uri(h->w, LV2_ATOM__Chunk);
}

void
hb_send_object(hb_instance *h, const char *type_uri)
{
    hb_send_patch(h, type_uri, NULL, NULL);
}
