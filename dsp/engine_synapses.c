/* engine_synapses.c — the host's stored synapse table in the engine: it
 * plays while its wiring is the running one (learned weights belong to
 * their wiring), the on-the-fly network otherwise. */
#include "engine_state.h"

#include "synapses.h"

void
engine_attach_synapses(engine *e)
{
    synapse_table *t = e->syn;
    synapse_table *use =
        synapses_match(t, &e->cfg.np, (uint32_t)e->cur[P_NEURONS]) ? t : NULL;
    if (use && e->bank->syn != use)
        synapses_fresh_start(use); /* (re)attached: nothing in flight from before */
    e->bank->syn = use;
}

struct synapse_table *
engine_set_synapses(engine *e, struct synapse_table *t)
{
    synapse_table *old = e->syn;
    e->syn = t;
    e->bank->syn = NULL;
    engine_attach_synapses(e);
    return old;
}

const struct synapse_table *
engine_synapses(const engine *e)
{
    return e->syn;
}

int
engine_synapses_status(const engine *e)
{
    if (e->bank->syn)
        return ENGINE_SYNAPSES_ACTIVE;
    const float *p = e->params; /* as set: what the host asks for */
    int wanted = p[P_PLASTICITY] > 0.0f || p[P_AXON_VELOCITY] > 0.0f;
    return wanted || e->syn ? ENGINE_SYNAPSES_REBUILD : ENGINE_SYNAPSES_OFF;
}

void
engine_synapse_wiring(const engine *e, uint64_t *seed, uint32_t *neurons, float *p)
{
    *seed = (uint64_t)e->params[P_SEED];
    *neurons = (uint32_t)e->params[P_NEURONS];
    *p = e->params[P_CONNECTIVITY];
}

/* Synapses the census reads per frame while a display watches: 768 000 a
 * second at 48 kHz, a pass over its 65536-synapse sample in 85 ms, for a
 * few nanoseconds a synapse. */
#define CENSUS_PER_FRAME 16u

void
engine_census_weights(engine *e, const engine_io *io, uint32_t n_frames)
{
    const bank *b = e->bank;
    if (!io->want_focus_trace || !b->syn || !(e->cur[P_PLASTICITY] > 0.0f)) {
        if (e->census.table)
            weight_census_reset(&e->census);
        return;
    }
    weight_census_scan(&e->census, b->syn, b->inhibitory, b->n, e->cfg.sp.w_max,
                       n_frames * CENSUS_PER_FRAME);
}
