/* synapse_opts.c — the stored synapse table for the command line. */
#include "synapse_opts.h"

#include "synapses.h"

#include <stdio.h>

/* The last wiring refused, so a refusal is said once and not tried again
 * every block. */
static struct {
    int valid;
    network_params np;
    uint32_t n;
} refused;

bool
cli_synapses_update(const char *cmd, engine *e, bool quiet)
{
    if (engine_synapses_status(e) != ENGINE_SYNAPSES_REBUILD)
        return true;
    network_params np = {0};
    uint32_t n = 0;
    engine_synapse_wiring(e, &np.seed, &n, &np.p);
    const synapse_table *old = engine_synapses(e);
    if (old && synapses_match(old, &np, n))
        return true; /* the table waits for its wiring (a crossfade) */
    if (refused.valid && refused.n == n && refused.np.seed == np.seed && refused.np.p == np.p)
        return true;
    char err[512];
    synapse_table *t = synapses_build(&np, n, err, sizeof err);
    if (!t) {
        fprintf(stderr, "hillock %s: %s\n", cmd, err);
        refused.valid = 1;
        refused.np = np;
        refused.n = n;
        return true; /* the network plays on the fly */
    }
    if (old && !quiet)
        fprintf(stderr,
                "hillock %s: the wiring changed (seed %llu, %u neurons, connectivity %g): "
                "synapse table rebuilt, learned weights start again from 1\n",
                cmd, (unsigned long long)np.seed, n, (double)np.p);
    synapses_free(engine_set_synapses(e, t));
    return true;
}

void
cli_synapses_release(engine *e)
{
    synapses_free(engine_set_synapses(e, NULL));
}
