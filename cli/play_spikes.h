/* play_spikes.h — a recording's spikes into the engine, block by block,
 * for the renderer (`render --play-spikes`): the spike file read ahead in
 * chunks (spikefile.h), each spike handed to engine_play_spike() at its
 * exact fractional frame. The render's transport starts at 0 and runs
 * forward; the playback rate scales the recording's time (at a constant
 * rate a spike at t s of the recording plays at t / rate s; a change of
 * rate (automation) takes effect from the block it is seen in). */
#ifndef HILLOCK_PLAY_SPIKES_H
#define HILLOCK_PLAY_SPIKES_H

#include "engine.h"
#include "spikefile.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PLAY_SPIKES_CHUNK 4096u

typedef struct {
    spikefile *file;
    spikefile_spike chunk[PLAY_SPIKES_CHUNK];
    size_t n, next;
    bool at_end;
    /* the transport: file time = anchor_file + (frame - anchor_frame) x
     * rate / sample rate, re-anchored when the rate changes */
    double rate, anchor_file;
    uint64_t anchor_frame;
    uint64_t dropped; /* spikes the engine's queue had no room for */
} play_spikes;

/* Open and check the file; false with the reason in err. */
bool play_spikes_open(play_spikes *p, const char *path, char *err, size_t err_len);
void play_spikes_close(play_spikes *p);

/* Queue the spikes of the n frames from frame0 (at sample_rate, playback
 * rate `rate`) into the engine, before the block is processed. False on a
 * read error (message in err). */
bool play_spikes_block(play_spikes *p, engine *e, uint64_t frame0, uint32_t n,
                       double sample_rate, double rate, char *err, size_t err_len);

/* One line saying what plays: units, their groups, spikes, length. */
void play_spikes_describe(const play_spikes *p, FILE *out, const char *path);

#endif
