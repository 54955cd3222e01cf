/* engine_snapshot.h — the whole engine's running state as bytes, so that an
 * engine of the same configuration that loads it continues sample for
 * sample as the one that saved it (on the same instruction-set path).
 *
 * The file: a text line padded with spaces to ENGINE_STATE_HEADER bytes,
 *
 *   hillock-state 1 rate=48000 isa=avx2 model=hh neurons=100 seed=1
 *   connectivity=0.1 synapses=990 span=128 frames=48000
 *
 * (format version; the configuration the arrays belong to; how many neurons
 * the per-neuron arrays hold; the engine's clock), then one section per
 * stateful part, in the order of the list in engine_snapshot.c: a 16-byte
 * tag (ASCII, NUL padded), a little-endian u64 length, and the part's own
 * fields (state_io.h). The synapse table's section is the synapse state
 * file of synapse_state.h, whole. A host may add a section of its own,
 * "host", last (engine_state_add_host).
 *
 * Loading checks everything before changing anything: the header against
 * the engine, each section's tag and length, every value's range (finite
 * where a NaN has no meaning, indices inside their arrays), the synapse
 * section as synapse_state_parse does. On failure the engine is as it was
 * and err says why. Free of I/O; not for the audio thread (it allocates). */
#ifndef HILLOCK_ENGINE_SNAPSHOT_H
#define HILLOCK_ENGINE_SNAPSHOT_H

#include "engine.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 2: the receptors' state as a cascade (receptors.h), 11 arrays where 1
 * kept 19; a file of another version is refused, saying so */
#define ENGINE_STATE_VERSION 2
#define ENGINE_STATE_TITLE "hillock-state"
#define ENGINE_STATE_HEADER 256u

/* Whether the engine's state can be saved now; if not, err says why (a
 * settled start still pre-rolling). */
bool engine_state_savable(const engine *e, char *err, size_t err_len);

/* The engine's state (malloc'd into *data, *size; free it). False with a
 * reason in err when it cannot be saved now or memory ran out. */
bool engine_state_save(engine *e, uint8_t **data, size_t *size, char *err, size_t err_len);

/* Load a state into e, which has the parameters the state was saved with
 * (engine_set_all_params) and, if the state has stored synapses, a table of
 * their wiring (engine_set_synapses). The engine then continues from where
 * the saved one stopped: its parameters as set and as running are the
 * state's. w_limit bounds the weights (synapse_state_parse). */
bool engine_state_load(engine *e, const uint8_t *data, size_t size, float w_limit, char *err,
                       size_t err_len);

/* A host's own section, last in the file (the render's position in its
 * inputs): appended to a saved state (realloc'd; false when out of
 * memory), and found in a state that engine_state_load took (false: none).
 * The engine skips it when it loads. */
bool engine_state_add_host(uint8_t **data, size_t *size, const uint8_t *host, size_t host_size);
bool engine_state_host(const uint8_t *data, size_t size, const uint8_t **host,
                       size_t *host_size);

/* The engine's clock the header gives (frames processed), 0 if it has none. */
uint64_t engine_state_clock(const uint8_t *data, size_t size);

/* Whether the bytes begin as an engine state file does. */
bool engine_state_is_one(const uint8_t *data, size_t size);

#endif
