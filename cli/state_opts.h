/* state_opts.h — render --save-state / --load-state: the engine's whole
 * running state (dsp/engine_snapshot.h), so that a render continued from a
 * saved state is the render that never stopped, sample for sample. */
#ifndef HILLOCK_STATE_OPTS_H
#define HILLOCK_STATE_OPTS_H

#include "automation.h"
#include "engine.h"
#include "play_spikes.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --load-state FILE into e, set up with the command line's settings
 * `values` (and the stored synapses of their wiring). A setting the command
 * line gives other than the state's (and no automation lane drives) is a
 * change at the continuation, as a host's; automated ones are checked
 * against the state at their values where it was saved; said on stderr unless quiet. A
 * synapse state file of an earlier Hillock loads the synapses only, the rest
 * starting afresh (said unless quiet). On failure prints
 * "hillock CMD: FILE: reason" and returns false; the engine is unchanged. */
bool cli_state_load(const char *cmd, engine *e, const char *path,
                    const float values[PARAM_COUNT], automation *a, play_spikes *play,
                    bool quiet);

/* The engine's state now, into memory (*data, *size; free it): taken where
 * the render's audio ends, written when the render is done; with
 * --play-spikes (play not NULL) the recording's transport beside it, which
 * cli_state_load gives back to play. False with a reason in err. */
bool cli_state_take(engine *e, const play_spikes *play, uint8_t **data, size_t *size, char *err,
                    size_t err_len);

#endif
