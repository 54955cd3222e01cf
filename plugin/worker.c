/* worker.c — the plugin's non-real-time jobs, through the host's LV2
 * worker (work:schedule, work:interface).
 *
 * The hand-over is lock-free for the audio thread:
 *
 *   run()            schedule_work(LOAD prop, path)        copies the path, no allocation
 *   worker thread    work(): path_value_load() allocates and parses,
 *                    respond(pointer)                       or logs why it cannot
 *   audio thread     work_response(): swap the pointer in, hand the engine
 *                    the data (path_property.apply), schedule_work(FREE old)
 *   worker thread    work(): free the old value
 *
 * so allocation and freeing happen only in the worker thread. A value
 * becomes current only in the audio thread; state save (another thread)
 * reads the current pointer under `lock`, which the worker also holds while
 * freeing, so a value is never freed while save copies its path. run()
 * never takes the lock.
 *
 * A settled start's pre-roll of a coupled network (JOB_SETTLE) runs here
 * too: the engine hands it over and takes it back through an atomic
 * (engine_settle_run), so no response is needed.
 *
 * A FREE that the host's queue cannot take waits in `to_free` and is
 * scheduled again at end_run(). Each load carries the generation it was
 * asked in; restore() starts a new one, so a load asked before a restore
 * does not overwrite what the restore set.
 */
#include "plugin.h"

#include <string.h>

typedef enum {
    JOB_LOAD_PATH = 1, /* job_load + path bytes (with NUL) */
    JOB_FREE_PATH,     /* job_free */
    JOB_SETTLE,        /* the kind alone: engine_settle_run, no response */
    /* WORKER_JOB_RECORDING (plugin.h): recording_job, reading spikes ahead */
} job_kind;

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

bool
worker_load_path(hillock_plugin *self, path_prop_id prop, const char *path, uint32_t len)
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

void
worker_settle(hillock_plugin *self)
{
    const uint32_t kind = JOB_SETTLE;
    if (self->paths.schedule)
        self->paths.schedule->schedule_work(self->paths.schedule->handle, sizeof kind, &kind);
}

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
worker_swap_in(hillock_plugin *self, path_value *v)
{
    plugin_paths *ps = &self->paths;
    path_value *old = atomic_exchange_explicit(&ps->now[v->prop], v, memory_order_acq_rel);
    paths_apply(self, v->prop);
    free_later(self, old);
}

static LV2_Worker_Status
work(LV2_Handle instance, LV2_Worker_Respond_Function respond, LV2_Worker_Respond_Handle handle,
     uint32_t size, const void *data)
{
    hillock_plugin *self = instance;
    uint32_t kind;
    if (size < sizeof kind)
        return LV2_WORKER_ERR_UNKNOWN;
    memcpy(&kind, data, sizeof kind);
    if (kind == JOB_SETTLE) {
        engine_settle_run(self->eng); /* the engine takes the result itself */
        return LV2_WORKER_SUCCESS;
    }
    if (kind == JOB_OSC_URL || kind == JOB_OSC_FLUSH)
        return osc_work(self, size, data); /* osc.c */
    if (kind == JOB_OSC_IN)
        return osc_in_work(self, size, data); /* osc_in.c */
    if (kind == JOB_SYNAPSES_BUILD || kind == JOB_SYNAPSES_FREE)
        return synapses_work(self, respond, handle, size, data); /* synapse_jobs.c */
    if (kind == JOB_FREE_PATH && size == sizeof(job_free)) {
        job_free job;
        memcpy(&job, data, sizeof job);
        pthread_mutex_lock(&self->paths.lock); /* not while save() reads it */
        path_value_free(job.value);
        pthread_mutex_unlock(&self->paths.lock);
        return LV2_WORKER_SUCCESS;
    }
    if (kind == WORKER_JOB_RECORDING && size == sizeof(recording_job)) {
        recording_job job;
        memcpy(&job, data, sizeof job);
        /* only for the current recording: one replaced by restore() may
         * be freed already (under the lock, as here) */
        pthread_mutex_lock(&self->paths.lock);
        const path_value *cur = atomic_load_explicit(&self->paths.now[PATH_SPIKES],
                                                     memory_order_acquire);
        if (cur && cur->data == job.rec)
            recording_work(&job);
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

static LV2_Worker_Status
work_response(LV2_Handle instance, uint32_t size, const void *body)
{
    hillock_plugin *self = instance;
    if (synapses_response(self, size, body))
        return LV2_WORKER_SUCCESS;
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
        worker_swap_in(self, res.value);
        paths_set_status(self, (path_prop_id)res.prop, NULL);
    } else {
        self->paths.announce[res.prop] = true; /* tell the host what is still current */
        res.why[sizeof res.why - 1] = '\0';
        paths_set_status(self, (path_prop_id)res.prop, res.why);
    }
    return LV2_WORKER_SUCCESS;
}

static LV2_Worker_Status
end_run(LV2_Handle instance)
{
    hillock_plugin *self = instance;
    plugin_paths *ps = &self->paths;
    uint32_t n = ps->n_to_free;
    ps->n_to_free = 0;
    for (uint32_t i = 0; i < n; ++i)
        free_later(self, ps->to_free[i]);
    return LV2_WORKER_SUCCESS;
}

const LV2_Worker_Interface hillock_worker_interface = {work, work_response, end_run};
