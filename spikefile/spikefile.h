/* spikefile.h — recorded spike trains read from disk, in time order, a
 * chunk at a time: a file far larger than memory streams.
 *
 * Three formats, told apart by their first bytes:
 *  - CSV or TSV text: a spike per line, `time_s,neuron` (comma or tab), an
 *    optional header line naming the columns (time_s or time, neuron or
 *    unit, in any order, other columns ignored): the format
 *    `hillock render --spikes` writes;
 *  - NWB 2.x (Neurodata Without Borders, an HDF5 file): the units table
 *    /units, its ragged spike_times with spike_times_index (VectorData and
 *    VectorIndex: unit i's spikes end at index[i]), its ids, and a label
 *    per unit when there is one (a `location` column of the units table,
 *    else the location of the unit's first electrode in
 *    /general/extracellular_ephys/electrodes); units with the same label
 *    are numbered next to each other, in the order their label first
 *    appears;
 *  - Standard MIDI Files: a note on per spike, unit = 128 x channel + note.
 *
 * Opening reads the whole file once (streaming, constant memory) to check
 * it: a bad file (a missing column, times that go back, an NWB file without
 * a units table, a truncated HDF5 file) is refused with a message naming
 * the file and the place. Nothing here is for an audio thread: a host
 * reads chunks ahead from another thread (or before the blocks, offline).
 */
#ifndef HILLOCK_SPIKEFILE_H
#define HILLOCK_SPIKEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPIKEFILE_MAX_UNITS 16384u

typedef enum { SPIKEFILE_CSV, SPIKEFILE_NWB, SPIKEFILE_SMF } spikefile_format;

typedef struct {
    double time_s; /* from the start of the recording */
    uint32_t unit; /* 0 .. units - 1 */
} spikefile_spike;

typedef struct spikefile spikefile;

/* NULL on failure, with the reason in err (naming the file). */
spikefile *spikefile_open(const char *path, char *err, size_t err_len);
void spikefile_close(spikefile *f);

spikefile_format spikefile_format_of(const spikefile *f);
uint32_t spikefile_units(const spikefile *f);    /* highest unit + 1 */
uint64_t spikefile_spikes(const spikefile *f);   /* spikes in the file */
double spikefile_duration(const spikefile *f);   /* time of the last spike, s */
/* The unit's label (NWB: its location or brain region), or NULL. */
const char *spikefile_label(const spikefile *f, uint32_t unit);
/* The unit's id in the file (NWB: units/id), else the unit itself. */
int64_t spikefile_id(const spikefile *f, uint32_t unit);

/* Up to max spikes from the current position, in time order; returns how
 * many (0 at the end), -1 on a read error (message in err). */
long spikefile_read(spikefile *f, spikefile_spike *out, size_t max, char *err, size_t err_len);
/* Position at the first spike at or after time_s. False on a read error. */
bool spikefile_seek(spikefile *f, double time_s, char *err, size_t err_len);

#endif
