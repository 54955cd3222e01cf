/* synapse_file.h — the learned network as a NumPy .npy file (format 1.0):
 * one record per synapse, fields pre (<u4), post (<u4), weight (<f4,
 * relative to w_exc or w_inh) and delay_ms (<f4: axon length over the
 * axon_velocity of the save, 0 without delays). The wiring and the format
 * version ride in the first field's title, which numpy.load keeps:
 *
 *   np.load(f).dtype.fields["pre"][2]
 *   -> "hillock-weights 1 seed=1 neurons=100 connectivity=0.1 axon_velocity=0.5"
 *
 * Free of I/O: the host reads or writes the bytes. */
#ifndef HILLOCK_SYNAPSE_FILE_H
#define HILLOCK_SYNAPSE_FILE_H

#include "synapses.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SYNAPSE_FILE_VERSION 1

/* The table as .npy bytes (malloc'd into *data, *size; free it).
 * velocity: the running axon_velocity (mm/ms). False when out of memory. */
bool synapse_file_format(const synapse_table *t, float velocity, uint8_t **data, size_t *size);

/* Read .npy bytes into t's weights (and lengths, when the file has delays).
 * Checks everything before changing anything: the magic and header, the
 * fields, the version, the wiring (seed, neurons, connectivity, and every
 * synapse's pre and post), the size, finite weights in [0, w_limit] and
 * delays. On any failure t is left as it was and err says why. */
bool synapse_file_parse(synapse_table *t, const uint8_t *data, size_t size, float w_limit,
                        char *err, size_t err_len);

/* The wiring a .npy file was saved for (seed, neurons, connectivity), read
 * from its title, so a host can build the table to load it into. False
 * with the reason in err when the bytes carry no Hillock title. */
bool synapse_file_wiring(const uint8_t *data, size_t size, network_params *np, uint32_t *n,
                         char *err, size_t err_len);

#endif
