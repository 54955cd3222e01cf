/* synapse_jobs.c — the stored synapse table in the plugin. run() never
 * allocates: when the engine asks for a table (plasticity or delays on, or
 * the wiring changed: engine_synapses_status REBUILD) run() schedules a
 * build with the wiring; the worker builds it (synapses_build) and responds
 * with the pointer; work_response() swaps it into the engine between
 * blocks and schedules the old table's free. A wiring beyond the memory cap
 * is refused once, logged, and the network plays on the fly. */
#include "plugin.h"

#include "synapses.h"
#include "uris.h"

#include <lv2/atom/atom.h>

#include <string.h>

typedef struct {
    uint32_t kind;
    uint32_t n;
    uint64_t seed;
    float p;
} build_job;

typedef struct {
    uint32_t kind;
    uint32_t pad;
    synapse_table *table;
} free_job;

/* the response: tagged apart from a file load's (paths.c) by its size and tag */
typedef struct {
    uint32_t tag;
    uint32_t n;
    uint64_t seed;
    float p;
    synapse_table *table; /* NULL: refused */
    char why[200];
} build_result;
#define BUILD_TAG 0x53594e31u /* "SYN1" */

void
synapses_end_block(hillock_plugin *self)
{
    plugin_synapses *ps = &self->syn;
    if (ps->pending || !self->paths.schedule ||
        engine_synapses_status(self->eng) != ENGINE_SYNAPSES_REBUILD)
        return;
    build_job job = {.kind = JOB_SYNAPSES_BUILD};
    engine_synapse_wiring(self->eng, &job.seed, &job.n, &job.p);
    const synapse_table *cur = engine_synapses(self->eng);
    if (cur && cur->seed == job.seed && cur->n == job.n && cur->p == job.p)
        return; /* the table waits for its wiring (a crossfade) */
    if (ps->refused && ps->refused_seed == job.seed && ps->refused_n == job.n &&
        ps->refused_p == job.p)
        return;
    ps->pending = self->paths.schedule->schedule_work(self->paths.schedule->handle,
                                                      sizeof job, &job) ==
                  LV2_WORKER_SUCCESS;
}

LV2_Worker_Status
synapses_work(hillock_plugin *self, LV2_Worker_Respond_Function respond,
              LV2_Worker_Respond_Handle handle, uint32_t size, const void *data)
{
    uint32_t kind;
    memcpy(&kind, data, sizeof kind);
    if (kind == JOB_SYNAPSES_FREE && size == sizeof(free_job)) {
        free_job job;
        memcpy(&job, data, sizeof job);
        /* not while save() reads it (synapse_weights.c) */
        if (self->syn.lock_ok)
            pthread_mutex_lock(&self->syn.lock);
        synapses_free(job.table);
        if (self->syn.lock_ok)
            pthread_mutex_unlock(&self->syn.lock);
        return LV2_WORKER_SUCCESS;
    }
    if (kind != JOB_SYNAPSES_BUILD || size != sizeof(build_job))
        return LV2_WORKER_ERR_UNKNOWN;
    build_job job;
    memcpy(&job, data, sizeof job);
    network_params np = {.seed = job.seed, .p = job.p};
    build_result res = {.tag = BUILD_TAG, .n = job.n, .seed = job.seed, .p = job.p};
    res.table = synapses_build(&np, job.n, res.why, sizeof res.why);
    if (!res.table)
        lv2_log_error(&self->logger, "hillock: %s\n", res.why);
    if (respond(handle, sizeof res, &res) != LV2_WORKER_SUCCESS) {
        synapses_free(res.table);
        return LV2_WORKER_ERR_NO_SPACE;
    }
    return LV2_WORKER_SUCCESS;
}

bool
synapses_response(hillock_plugin *self, uint32_t size, const void *body)
{
    build_result res;
    if (size != sizeof res)
        return false;
    memcpy(&res, body, sizeof res);
    if (res.tag != BUILD_TAG)
        return false;
    plugin_synapses *ps = &self->syn;
    ps->pending = false;
    /* a table the engine no longer wants (the wiring moved on while it was
     * built), or one whose wiring restore() already gave with learned
     * weights, is freed; the next block asks again if need be */
    uint64_t seed;
    uint32_t n;
    float p;
    engine_synapse_wiring(self->eng, &seed, &n, &p);
    const synapse_table *cur = engine_synapses(self->eng);
    if (res.table && (res.seed != seed || res.n != n || res.p != p ||
                      (cur && cur->seed == seed && cur->n == n && cur->p == p))) {
        free_job job = {.kind = JOB_SYNAPSES_FREE, .table = res.table};
        self->paths.schedule->schedule_work(self->paths.schedule->handle, sizeof job, &job);
        return true;
    }
    if (!res.table) {
        ps->refused = true;
        ps->refused_seed = res.seed;
        ps->refused_n = res.n;
        ps->refused_p = res.p;
        return true;
    }
    synapse_table *old = engine_set_synapses(self->eng, res.table);
    if (old) {
        free_job job = {.kind = JOB_SYNAPSES_FREE, .table = old};
        /* a free the host's queue refuses leaks rather than happening here,
         * on the audio thread */
        self->paths.schedule->schedule_work(self->paths.schedule->handle, sizeof job, &job);
    }
    return true;
}

bool
synapses_init(hillock_plugin *self)
{
    plugin_synapses *ps = &self->syn;
    LV2_URID_Map *map = self->map;
    ps->prop = map->map(map->handle, HILLOCK__synapseWeights);
    ps->atom_Path = map->map(map->handle, LV2_ATOM__Path);
    ps->atom_Chunk = map->map(map->handle, LV2_ATOM__Chunk);
    ps->lock_ok = pthread_mutex_init(&ps->lock, NULL) == 0;
    return ps->lock_ok;
}

void
synapses_cleanup(hillock_plugin *self)
{
    synapses_free(engine_set_synapses(self->eng, NULL));
    if (self->syn.lock_ok)
        pthread_mutex_destroy(&self->syn.lock);
    self->syn.lock_ok = false;
}
