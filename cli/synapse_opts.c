/* synapse_opts.c — the stored synapse table for the command line. */
#include "synapse_opts.h"

#include "atomic_file.h"
#include "input_file.h"
#include "synapse_file.h"
#include "synapse_state.h"
#include "synapses.h"
#include "params.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

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

typedef bool (*table_parse)(synapse_table *t, const uint8_t *data, size_t size, float w_limit,
                            char *err, size_t err_len);

static bool
load_into_table(const char *cmd, engine *e, const char *path, const char *what,
                table_parse parse)
{
    network_params np = {0};
    uint32_t n = 0;
    engine_synapse_wiring(e, &np.seed, &n, &np.p);
    char err[512];
    synapse_table *t = (synapse_table *)engine_synapses(e);
    if (!synapses_match(t, &np, n)) {
        t = synapses_build(&np, n, err, sizeof err);
        if (!t) {
            fprintf(stderr, "hillock %s: %s: %s\n", cmd, path, err);
            return false;
        }
        synapses_free(engine_set_synapses(e, t));
    }
    char *data = NULL;
    size_t size = 0;
    const size_t max = SYNAPSES_MAX_BYTES;
    if (!input_file_read_all(path, what, max, &data, &size, err, sizeof err)) {
        fprintf(stderr, "hillock %s: %s\n", cmd, err);
        return false;
    }
    bool ok = parse(t, (const uint8_t *)data, size, param_table[P_W_MAX].max, err, sizeof err);
    free(data);
    if (!ok)
        fprintf(stderr, "hillock %s: %s: %s\n", cmd, path, err);
    return ok;
}

bool
cli_synapses_load(const char *cmd, engine *e, const char *path)
{
    return load_into_table(cmd, e, path, "weights", synapse_file_parse);
}

bool
cli_synapses_load_state(const char *cmd, engine *e, const char *path)
{
    return load_into_table(cmd, e, path, "state", synapse_state_parse);
}

bool
cli_synapses_save(const engine *e, const char *path, char *err, size_t err_len)
{
    const synapse_table *t = engine_synapses(e);
    if (!t) {
        snprintf(err, err_len, "--save-weights '%s': no stored synapses to save (set "
                               "plasticity, axon_velocity or --load-weights)", path);
        return false;
    }
    uint8_t *data = NULL;
    size_t size = 0;
    if (!synapse_file_format(t, engine_get_param(e, P_AXON_VELOCITY), &data, &size)) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    bool ok = atomic_file_write(path, data, size, err, err_len);
    free(data);
    return ok;
}

void
cli_synapses_release(engine *e)
{
    synapses_free(engine_set_synapses(e, NULL));
}
