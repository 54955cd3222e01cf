/* synapse_state.h — everything the stored synapse table holds, as bytes:
 * the weights and axon lengths, and the plastic state beside them (the
 * eligibility traces, each neuron's STDP traces and last spike times, the
 * spikes in flight in their ring, the table's step and clock), so that a
 * table saved and loaded into a fresh table of the same wiring steps on
 * bit for bit as the one that never stopped.
 *
 * The file: a text line padded with spaces to HEADER bytes,
 *
 *   hillock-synapse-state 3 seed=1 neurons=100 connectivity=0.1 synapses=990
 *
 * (format version and wiring), then little-endian arrays in a fixed order
 * (synapse_state.c). Versions 1 and 2 (without the frames of the
 * eligibility and of the STDP traces, or of the traces) still load. Free
 * of I/O: the host reads or writes the bytes. */
#ifndef HILLOCK_SYNAPSE_STATE_H
#define HILLOCK_SYNAPSE_STATE_H

#include "synapses.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SYNAPSE_STATE_VERSION 3

/* The table's state (malloc'd into *data, *size; free it). False when out
 * of memory. */
bool synapse_state_format(const synapse_table *t, uint8_t **data, size_t *size);

/* Read a state into t. Checks everything before changing anything: the
 * header, the version, the wiring (seed, neurons, connectivity, synapse
 * count), the size, finite weights in [0, w_limit], lengths, traces and
 * times, and that the spikes in flight form the ring's lists (every entry
 * once, targets inside the network). On failure t is left as it was and
 * err says why. */
bool synapse_state_parse(synapse_table *t, const uint8_t *data, size_t size, float w_limit,
                         char *err, size_t err_len);

#endif
