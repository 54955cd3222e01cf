/* spike_memory.h — the spikes a recording's player keeps in memory, so a
 * jump of the transport (a locate, a loop) plays at once while the
 * reader of the file seeks (plugin/recording.c, cli/jack/jack_spikes.c).
 *
 * A player streams a recording from a reader thread through a queue, in
 * time order; after a jump to recording time t the reader seeks and the
 * stream starts again from the first spike at or after t, a block or
 * more later. Until it does, the player plays the spikes from memory (the
 * "bridge") when one of three spans holds t:
 *  - the head: the recording's first spikes, read when it is opened (a
 *    recording no longer than the head is held whole);
 *  - the history: the last SPIKE_MEMORY_HISTORY spikes the stream brought
 *    (a ring): a jump back into time the transport passed recently, as a
 *    loop's every pass makes, the first included;
 *  - the landing: the first SPIKE_MEMORY_LANDING spikes from the latest
 *    jump target that no span held: a loop longer than the history plays
 *    its start from memory from its second pass.
 * A span holds every spike of the recording in [from, to): the history
 * and the landing are fed by the player with each spike the stream brings
 * (spike_memory_keep), whether it came in time to play or not; what the
 * history already holds is not kept twice when the stream passes it again.
 *
 * Everything here runs in the player's audio thread (run(), the JACK
 * process and sync callbacks): no allocation, no lock; the storage comes
 * from spike_memory_storage(), allocated outside it. */
#ifndef HILLOCK_SPIKE_MEMORY_H
#define HILLOCK_SPIKE_MEMORY_H

#include "spike_queue.h"

#include <stdbool.h>
#include <stdint.h>

#define SPIKE_MEMORY_HISTORY 65536u /* a power of two (a ring) */
#define SPIKE_MEMORY_LANDING 4096u

/* Spikes held in time order over [from, to): all of them below `to`, and
 * `ties` of those at exactly `to` (more may follow there). Indices count
 * every spike ever added; a ring (mask + 1 slots) keeps the last ones. */
typedef struct {
    spike_event *s;
    uint64_t mask;        /* slots - 1 (a power of two), or UINT64_MAX: no wrap */
    uint64_t first, end;  /* the spikes held: indices [first, end) */
    uint64_t capacity;
    double from, to;
    uint32_t ties;
} spike_span;

typedef struct {
    spike_span head, history, landing;
    bool landing_filling;
    /* the stream after the latest jump, before it passes what the history
     * holds: its spikes below skip_below, and the first skip_ties at it,
     * are there already */
    double skip_below;
    uint32_t skip_ties;
    /* the bridge */
    const spike_span *bridge; /* NULL: none (the stream plays) */
    uint64_t bridge_pos;
    double bridge_end;        /* the bridge plays every spike before it */
} spike_memory;

/* Storage for the history and the landing, allocated outside the audio
 * thread, every page resident; spike_memory_storage_free() it (NULL is
 * fine). NULL when out of memory. */
spike_event *spike_memory_storage(void);
void spike_memory_storage_free(spike_event *storage);

/* A recording to play: its first head_n spikes in head (whole: that is all
 * of it), the storage from spike_memory_storage(). Forgets the history. */
void spike_memory_reset(spike_memory *m, const spike_event *head, uint32_t head_n, bool whole,
                        spike_event *storage);

/* The transport jumped to recording time t, and the stream starts again
 * from t. True when memory plays from t: spike_memory_next() until the
 * stream takes over (spike_memory_end_bridge). */
bool spike_memory_jump(spike_memory *m, double t);
/* Would a jump to t play from memory up to `until` (the time its stream
 * needs to arrive)? */
bool spike_memory_holds(const spike_memory *m, double t, double until);

bool spike_memory_bridging(const spike_memory *m);
/* The bridge's next spike (before the end of what it holds), or NULL;
 * spike_memory_advance() passes it. */
const spike_event *spike_memory_peek(spike_memory *m);
void spike_memory_advance(spike_memory *m);
/* The stream arrived: it plays from here on. Spikes of the stream before
 * spike_memory_covered() were the bridge's. */
void spike_memory_end_bridge(spike_memory *m);
/* Since the latest jump, memory held (and played) every spike before this
 * time; the stream's spikes from it on are the stream's to play. */
double spike_memory_covered(const spike_memory *m);

/* A spike the stream brought after the latest jump, in time order. */
void spike_memory_keep(spike_memory *m, const spike_event *s);
/* The stream brought the recording's last spike. */
void spike_memory_stream_end(spike_memory *m);

#endif
