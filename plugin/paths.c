/* paths.c — the file properties (path_props.h) on the plugin's ports and in
 * its state.
 *
 *   patch:Set  (events_in)   property + atom:Path: the worker loads it
 *                            (below); an empty path clears the property
 *   patch:Get  (events_in)   with a property: answer it; without: all
 *   patch:Set  (events_out)  the answer, and after every load or refusal:
 *                            the property's current path ("" if none)
 *   state                    each property's path, through state:mapPath
 *
 * Without a worker from the host, patch:Set cannot load (run() must not
 * read files): the plugin answers with the unchanged value and said so in
 * the log at instantiate. restore() loads synchronously in any host: it is
 * never called concurrently with run() (LV2 state: the "Instantiation"
 * threading class), so it may swap the value in itself.
 */
#include "plugin.h"
#include "uris.h"

#include <lv2/atom/util.h>
#include <lv2/patch/patch.h>

#include <stdlib.h>
#include <string.h>

/* run(): ask the worker to load path (len bytes) for prop; false if there
 * is no worker or its queue is full (with the worker's jobs, below) */
static bool load_later(hillock_plugin *self, path_prop_id prop, const char *path, uint32_t len);

bool
paths_init(hillock_plugin *self, LV2_Worker_Schedule *schedule)
{
    plugin_paths *ps = &self->paths;
    LV2_URID_Map *map = self->map;
    ps->schedule = schedule;
    for (int p = 0; p < PATH_PROP_COUNT; ++p) {
        ps->urid[p] = map->map(map->handle, path_props[p].uri);
        atomic_init(&ps->now[p], NULL);
    }
    ps->patch_Set = map->map(map->handle, LV2_PATCH__Set);
    ps->patch_property = map->map(map->handle, LV2_PATCH__property);
    ps->patch_value = map->map(map->handle, LV2_PATCH__value);
    ps->atom_Path = map->map(map->handle, LV2_ATOM__Path);
    ps->atom_URID = map->map(map->handle, LV2_ATOM__URID);
    ps->atom_String = map->map(map->handle, LV2_ATOM__String);
    ps->file_status = map->map(map->handle, HILLOCK__fileStatus);
    ps->lock_ok = pthread_mutex_init(&ps->lock, NULL) == 0;
    if (!schedule)
        lv2_log_note(&self->logger,
                     "hillock: the host offers no worker (work:schedule): file properties "
                     "(tuning, keymap) load only when a state is restored, and a network "
                     "plays on the fly: no plasticity, no axonal delays\n");
    return ps->lock_ok;
}

void
paths_free(hillock_plugin *self)
{
    plugin_paths *ps = &self->paths;
    for (int p = 0; p < PATH_PROP_COUNT; ++p)
        path_value_free(atomic_exchange(&ps->now[p], NULL));
    for (uint32_t i = 0; i < ps->n_to_free; ++i)
        path_value_free(ps->to_free[i]);
    ps->n_to_free = 0;
    if (ps->lock_ok)
        pthread_mutex_destroy(&ps->lock);
    ps->lock_ok = false;
}

void
paths_apply(hillock_plugin *self, path_prop_id p)
{
    plugin_paths *ps = &self->paths;
    const void *data[PATH_PROP_COUNT];
    for (int q = 0; q < PATH_PROP_COUNT; ++q) {
        const path_value *cur = atomic_load_explicit(&ps->now[q], memory_order_relaxed);
        data[q] = cur ? cur->data : NULL;
    }
    path_props[p].apply(self->eng, data);
    if (p == PATH_SPIKES)
        recording_switch(self, (recording *)data[PATH_SPIKES]);
    ps->announce[p] = true;
}

void
paths_set_status(hillock_plugin *self, path_prop_id p, const char *why)
{
    plugin_paths *ps = &self->paths;
    ps->status[0] = '\0';
    if (why) {
        /* label, ": ", reason, cut to fit (no printf in the audio thread) */
        size_t n = 0;
        const char *parts[] = {path_props[p].label, ": ", why};
        for (size_t k = 0; k < 3; ++k)
            for (const char *c = parts[k]; *c && n + 1 < sizeof ps->status; ++c)
                ps->status[n++] = *c;
        ps->status[n] = '\0';
    }
    ps->announce_status = true;
}

static int
prop_of(const plugin_paths *ps, LV2_URID urid)
{
    for (int p = 0; p < PATH_PROP_COUNT; ++p)
        if (ps->urid[p] == urid)
            return p;
    return -1;
}

/* The property a patch message names, -1 if none of ours (or none). */
static int
named_prop(const plugin_paths *ps, const LV2_Atom *property)
{
    if (!property || property->type != ps->atom_URID ||
        property->size != sizeof(LV2_URID))
        return -1;
    return prop_of(ps, ((const LV2_Atom_URID *)property)->body);
}

bool
paths_on_set(hillock_plugin *self, const LV2_Atom_Object *obj)
{
    plugin_paths *ps = &self->paths;
    const LV2_Atom *property = NULL, *value = NULL;
    lv2_atom_object_get(obj, ps->patch_property, &property, ps->patch_value, &value, 0);
    int p = named_prop(ps, property);
    if (p < 0)
        return false;
    /* an atom:Path body is the path with its NUL */
    if (!value || value->type != ps->atom_Path || value->size == 0) {
        ps->announce[p] = true;
        return true;
    }
    const char *path = LV2_ATOM_BODY_CONST(value);
    uint32_t len = (uint32_t)strnlen(path, value->size);
    if (len == value->size || !load_later(self, (path_prop_id)p, path, len))
        ps->announce[p] = true; /* refused: say what is still current */
    return true;
}

void
paths_on_get(hillock_plugin *self, const LV2_Atom_Object *obj)
{
    plugin_paths *ps = &self->paths;
    const LV2_Atom *property = NULL;
    lv2_atom_object_get(obj, ps->patch_property, &property, 0);
    int p = named_prop(ps, property);
    for (int q = 0; q < PATH_PROP_COUNT; ++q)
        if (!property || q == p)
            ps->announce[q] = true;
    if (!property || (property->type == ps->atom_URID && property->size == sizeof(LV2_URID) &&
                      ((const LV2_Atom_URID *)property)->body == ps->file_status))
        ps->announce_status = true;
}

/* Bytes a patch:Set of a path or string of len bytes takes on the output. */
static uint32_t
set_size(uint32_t len)
{
    return (uint32_t)(sizeof(LV2_Atom_Event) + sizeof(LV2_Atom_Object) +
                      2u * sizeof(LV2_Atom_Property_Body) + sizeof(LV2_URID) +
                      lv2_atom_pad_size(len + 1u) + 8u);
}

void
paths_announce(hillock_plugin *self, LV2_Atom_Forge *forge, uint32_t frame)
{
    plugin_paths *ps = &self->paths;
    for (int p = 0; p < PATH_PROP_COUNT; ++p) {
        if (!ps->announce[p])
            continue;
        const path_value *v = atomic_load_explicit(&ps->now[p], memory_order_relaxed);
        const char *path = v ? v->path : "";
        uint32_t len = (uint32_t)strlen(path);
        if (!forge->buf || forge->offset + set_size(len) > forge->size)
            return; /* no room: next cycle */
        LV2_Atom_Forge_Frame f;
        lv2_atom_forge_frame_time(forge, frame);
        lv2_atom_forge_object(forge, &f, 0, ps->patch_Set);
        lv2_atom_forge_key(forge, ps->patch_property);
        lv2_atom_forge_urid(forge, ps->urid[p]);
        lv2_atom_forge_key(forge, ps->patch_value);
        lv2_atom_forge_path(forge, path, len);
        lv2_atom_forge_pop(forge, &f);
        ps->announce[p] = false;
    }
    if (ps->announce_status) {
        uint32_t len = (uint32_t)strlen(ps->status);
        if (!forge->buf || forge->offset + set_size(len) > forge->size)
            return;
        LV2_Atom_Forge_Frame f;
        lv2_atom_forge_frame_time(forge, frame);
        lv2_atom_forge_object(forge, &f, 0, ps->patch_Set);
        lv2_atom_forge_key(forge, ps->patch_property);
        lv2_atom_forge_urid(forge, ps->file_status);
        lv2_atom_forge_key(forge, ps->patch_value);
        lv2_atom_forge_string(forge, ps->status, len);
        lv2_atom_forge_pop(forge, &f);
        ps->announce_status = false;
    }
}

const void *
plugin_feature_data(const LV2_Feature *const *features, const char *uri)
{
    for (; features && *features; ++features)
        if ((*features)->URI && !strcmp((*features)->URI, uri))
            return (*features)->data;
    return NULL;
}

void
plugin_free_host_path(const LV2_Feature *const *features, char *path)
{
    const LV2_State_Free_Path *fp = plugin_feature_data(features, LV2_STATE__freePath);
    if (fp)
        fp->free_path(fp->handle, path);
    else
        free(path);
}

LV2_State_Status
paths_save(hillock_plugin *self, LV2_State_Store_Function store, LV2_State_Handle handle,
           const LV2_Feature *const *features)
{
    plugin_paths *ps = &self->paths;
    const LV2_State_Map_Path *map_path = plugin_feature_data(features, LV2_STATE__mapPath);
    LV2_State_Status status = LV2_STATE_SUCCESS;
    for (int p = 0; p < PATH_PROP_COUNT && status == LV2_STATE_SUCCESS; ++p) {
        /* the worker frees an old value under the same lock */
        pthread_mutex_lock(&ps->lock);
        const path_value *v = atomic_load_explicit(&ps->now[p], memory_order_acquire);
        char *abs = v && v->path[0] ? strdup(v->path) : NULL;
        pthread_mutex_unlock(&ps->lock);
        if (!abs)
            continue; /* none: nothing stored, restore clears it */
        char *abstract = map_path ? map_path->abstract_path(map_path->handle, abs) : abs;
        if (abstract) {
            status = store(handle, ps->urid[p], abstract, strlen(abstract) + 1u, ps->atom_Path,
                           LV2_STATE_IS_POD);
            if (abstract != abs)
                plugin_free_host_path(features, abstract);
        }
        free(abs);
    }
    return status;
}

void
paths_restore(hillock_plugin *self, LV2_State_Retrieve_Function retrieve,
              LV2_State_Handle handle, const LV2_Feature *const *features)
{
    plugin_paths *ps = &self->paths;
    const LV2_State_Map_Path *map_path = plugin_feature_data(features, LV2_STATE__mapPath);
    ps->generation++; /* loads asked before this restore are stale */
    for (int p = 0; p < PATH_PROP_COUNT; ++p) {
        size_t size = 0;
        uint32_t type = 0, vflags = 0;
        const char *value = retrieve(handle, ps->urid[p], &size, &type, &vflags);
        char *abs = NULL;
        if (value && type == ps->atom_Path && size > 0 && memchr(value, '\0', size)) {
            abs = map_path ? map_path->absolute_path(map_path->handle, value) : strdup(value);
        } else if (value) {
            lv2_log_warning(&self->logger, "hillock: the state's %s is not an atom:Path; "
                                           "the previous one stays\n",
                            path_props[p].label);
            continue;
        }
        char err[1024];
        path_value *v = path_value_load((path_prop_id)p, abs ? abs : "", err, sizeof err);
        if (abs && map_path)
            plugin_free_host_path(features, abs);
        else
            free(abs);
        if (!v) {
            lv2_log_error(&self->logger, "hillock: %s not restored, the previous one stays: %s\n",
                          path_props[p].label, err);
            paths_set_status(self, (path_prop_id)p, err);
            continue;
        }
        /* not concurrent with run(): swap and free here */
        path_value *old = atomic_exchange(&ps->now[p], v);
        paths_apply(self, (path_prop_id)p);
        pthread_mutex_lock(&ps->lock);
        path_value_free(old);
        pthread_mutex_unlock(&ps->lock);
    }
}

/* --- the worker's jobs ----------------------------------------------------
 *
 * The hand-over is lock-free for the audio thread:
 *
 *   run()            schedule_work(LOAD prop, path)        copies the path, no allocation
 *   worker thread    paths_work(): path_value_load() allocates and parses,
 *                    respond(pointer)                       or logs why it cannot
 *   audio thread     paths_response(): swap the pointer in, hand the engine
 *                    the data (path_property.apply), schedule_work(FREE old)
 *   worker thread    paths_work(): free the old value
 *
 * so allocation and freeing happen only in the worker thread. A value
 * becomes current only in the audio thread; state save (another thread)
 * reads the current pointer under `lock`, which the worker also holds while
 * freeing, so a value is never freed while save copies its path. run()
 * never takes the lock.
 *
 * A FREE that the host's queue cannot take waits in `to_free` and is
 * scheduled again at end_run() (paths_end_run). Each load carries the
 * generation it was asked in; restore() starts a new one, so a load asked
 * before a restore does not overwrite what the restore set. */

typedef struct {
    uint32_t kind;
    uint32_t prop;
    uint32_t generation;
    uint32_t len; /* path bytes after this header, NUL included */
} job_load;

typedef struct {
    uint32_t kind;
    uint32_t pad;
    path_value *value;
} job_free;

typedef struct {
    uint32_t prop;
    uint32_t generation;
    path_value *value; /* NULL: the load failed, the previous value stays */
    char why[PATHS_STATUS_MAX]; /* the reason when it failed */
} job_result;

/* Audio thread: v goes back to the worker thread to be freed. */
static void
free_later(hillock_plugin *self, path_value *v)
{
    plugin_paths *ps = &self->paths;
    if (!v)
        return;
    job_free job = {JOB_FREE_PATH, 0, v};
    if (ps->schedule &&
        ps->schedule->schedule_work(ps->schedule->handle, sizeof job, &job) == LV2_WORKER_SUCCESS)
        return;
    if (ps->n_to_free < PATHS_FREE_QUEUE)
        ps->to_free[ps->n_to_free++] = v;
    /* else: more refused frees than properties could make; cleanup()
     * cannot see it, so it leaks rather than being freed in run() */
}

/* Audio thread: v becomes current, the old value goes to be freed. */
static void
swap_in(hillock_plugin *self, path_value *v)
{
    plugin_paths *ps = &self->paths;
    path_value *old = atomic_exchange_explicit(&ps->now[v->prop], v, memory_order_acq_rel);
    paths_apply(self, v->prop);
    free_later(self, old);
}

/* run(): the path and the generation it is asked in, to the worker */
static bool
load_later(hillock_plugin *self, path_prop_id prop, const char *path, uint32_t len)
{
    plugin_paths *ps = &self->paths;
    if (!ps->schedule || len >= PATH_PROP_MAX_PATH)
        return false;
    uint8_t msg[sizeof(job_load) + PATH_PROP_MAX_PATH];
    job_load head = {JOB_LOAD_PATH, (uint32_t)prop, ps->generation, len + 1u};
    memcpy(msg, &head, sizeof head);
    memcpy(msg + sizeof head, path, len);
    msg[sizeof head + len] = '\0';
    return ps->schedule->schedule_work(ps->schedule->handle, (uint32_t)(sizeof head + len + 1u),
                                       msg) == LV2_WORKER_SUCCESS;
}

/* Worker thread: load a file (JOB_LOAD_PATH) and respond with its value
 * or why it failed, or free a value that was current (JOB_FREE_PATH). */
LV2_Worker_Status
paths_work(hillock_plugin *self, LV2_Worker_Respond_Function respond,
           LV2_Worker_Respond_Handle handle, uint32_t size, const void *data)
{
    uint32_t kind;
    if (size < sizeof kind)
        return LV2_WORKER_ERR_UNKNOWN;
    memcpy(&kind, data, sizeof kind);
    if (kind == JOB_FREE_PATH && size == sizeof(job_free)) {
        job_free job;
        memcpy(&job, data, sizeof job);
        pthread_mutex_lock(&self->paths.lock); /* not while save() reads it */
        path_value_free(job.value);
        pthread_mutex_unlock(&self->paths.lock);
        return LV2_WORKER_SUCCESS;
    }
    if (kind != JOB_LOAD_PATH || size < sizeof(job_load))
        return LV2_WORKER_ERR_UNKNOWN;
    job_load job;
    memcpy(&job, data, sizeof job);
    const char *path = (const char *)data + sizeof job;
    if (job.prop >= PATH_PROP_COUNT || job.len == 0 || size != sizeof job + job.len ||
        path[job.len - 1] != '\0')
        return LV2_WORKER_ERR_UNKNOWN;
    char err[1024];
    job_result res = {job.prop, job.generation,
                      path_value_load((path_prop_id)job.prop, path, err, sizeof err), ""};
    if (!res.value) {
        lv2_log_error(&self->logger, "hillock: %s not loaded, the previous one stays: %s\n",
                      path_props[job.prop].label, err);
        size_t n = strnlen(err, sizeof res.why - 1u); /* cut to fit */
        memcpy(res.why, err, n);
        res.why[n] = '\0';
    }
    if (respond(handle, sizeof res, &res) != LV2_WORKER_SUCCESS) {
        path_value_free(res.value); /* never current: nobody else holds it */
        return LV2_WORKER_ERR_NO_SPACE;
    }
    return LV2_WORKER_SUCCESS;
}

/* Audio thread: a load's answer. The value becomes current (unless a
 * restore came after it was asked), or the status says why it did not. */
LV2_Worker_Status
paths_response(hillock_plugin *self, uint32_t size, const void *body)
{
    job_result res;
    if (size != sizeof res)
        return LV2_WORKER_ERR_UNKNOWN;
    memcpy(&res, body, sizeof res);
    if (res.prop >= PATH_PROP_COUNT)
        return LV2_WORKER_ERR_UNKNOWN;
    if (res.generation != self->paths.generation) {
        free_later(self, res.value); /* asked before a restore */
        return LV2_WORKER_SUCCESS;
    }
    if (res.value) {
        swap_in(self, res.value);
        paths_set_status(self, (path_prop_id)res.prop, NULL);
    } else {
        self->paths.announce[res.prop] = true; /* tell the host what is still current */
        res.why[sizeof res.why - 1] = '\0';
        paths_set_status(self, (path_prop_id)res.prop, res.why);
    }
    return LV2_WORKER_SUCCESS;
}

/* Audio thread, end of run(): the frees the host's queue refused, again. */
void
paths_end_run(hillock_plugin *self)
{
    plugin_paths *ps = &self->paths;
    uint32_t n = ps->n_to_free;
    ps->n_to_free = 0;
    for (uint32_t i = 0; i < n; ++i)
        free_later(self, ps->to_free[i]);
}

