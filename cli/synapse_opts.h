/* synapse_opts.h — the stored synapse table for the command line (render,
 * jack): built before the run when plasticity or delays ask for it, rebuilt
 * between blocks when the wiring changes (automation), freed at the end.
 * The command line has no worker: the engine is not processing while these
 * run. */
#ifndef HILLOCK_SYNAPSE_OPTS_H
#define HILLOCK_SYNAPSE_OPTS_H

#include "engine.h"

#include <stdbool.h>
#include <stddef.h>

/* Build and attach a table if the engine asks for one (engine_synapses_status
 * REBUILD); says so on stderr (unless quiet) when it replaces a table of
 * another wiring, or when the table is refused (beyond the memory cap: the
 * network then plays on the fly). Returns false only when out of memory. */
bool cli_synapses_update(const char *cmd, engine *e, bool quiet);

/* --load-weights: the engine's table (built for its wiring if it has none)
 * takes the weights of a .npy file (synapse_file.h). On failure prints
 * "hillock CMD: FILE: reason" and returns false; the table is unchanged. */
bool cli_synapses_load(const char *cmd, engine *e, const char *path);

/* --save-weights: the engine's table as a .npy file, written under a
 * temporary name and renamed when complete. False with a message in err. */
bool cli_synapses_save(const engine *e, const char *path, char *err, size_t err_len);

/* --load-state of a synapse state file of an earlier Hillock (synapse_state.h:
 * weights, axon lengths, eligibility, STDP traces, spikes in flight): the
 * table's state only, as cli_synapses_load. */
bool cli_synapses_load_state(const char *cmd, engine *e, const char *path);

/* Detach and free the engine's table. */
void cli_synapses_release(engine *e);

#endif
