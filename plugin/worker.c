/* worker.c — the plugin's non-real-time jobs, through the host's LV2
 * worker (work:schedule, work:interface): each job's kind says whose it is,
 * and this file hands it over (the file properties' loads and frees to
 * paths.c, the OSC output's and input's to osc.c and osc_in.c, the stored
 * synapse table's to synapse_jobs.c, a recording's read-ahead to
 * recording.c), and likewise the responses and end_run().
 *
 * A settled start's pre-roll of a coupled network (JOB_SETTLE) runs here:
 * the engine hands it over and takes it back through an atomic
 * (engine_settle_run), so no response is needed.
 */
#include "plugin.h"

#include <string.h>

/* the kind alone: engine_settle_run, no response; apart from the kinds
 * of the jobs worker.c hands over (plugin.h) */
enum { JOB_SETTLE = 3 };

void
worker_settle(hillock_plugin *self)
{
    const uint32_t kind = JOB_SETTLE;
    if (self->paths.schedule)
        self->paths.schedule->schedule_work(self->paths.schedule->handle, sizeof kind, &kind);
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
    if (kind == JOB_LOAD_PATH || kind == JOB_FREE_PATH)
        return paths_work(self, respond, handle, size, data); /* paths.c */
    return LV2_WORKER_ERR_UNKNOWN;
}

static LV2_Worker_Status
work_response(LV2_Handle instance, uint32_t size, const void *body)
{
    hillock_plugin *self = instance;
    if (synapses_response(self, size, body))
        return LV2_WORKER_SUCCESS;
    return paths_response(self, size, body);
}

static LV2_Worker_Status
end_run(LV2_Handle instance)
{
    paths_end_run(instance);
    return LV2_WORKER_SUCCESS;
}

const LV2_Worker_Interface hillock_worker_interface = {work, work_response, end_run};
