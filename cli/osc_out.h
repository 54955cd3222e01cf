/* osc_out.h — the command's spikes out as OSC (osc/osc_spikes.h): one
 * bundle per block of `render --osc`, and the sender thread of `hillock
 * jack --osc`, which the process callback feeds through a spike queue.
 * In a build without liblo, opening says so. */
#ifndef HILLOCK_CLI_OSC_OUT_H
#define HILLOCK_CLI_OSC_OUT_H

#include "engine.h"
#include "spike_queue.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct osc_out osc_out;

/* Resolves (and for TCP connects to) url now: NULL with a message naming
 * the URL when it is malformed or unreachable, before anything is played. */
osc_out *osc_out_open(const char *url, char *err, size_t err_len);
/* Prints a warning to stderr (prefix: the command) if spikes were lost. */
void osc_out_close(osc_out *o, const char *command);

/* render: the spikes of a block that starts at frame `first` (spike list
 * times are offsets in it); only frames before `end` count; times in
 * seconds at `rate`. One bundle (or several of OSC_BUNDLE_MAX). */
void osc_out_block(osc_out *o, const engine_io *io, uint64_t first, uint64_t end, double rate);

/* jack: a thread that sends what the process callback queued, a bundle per
 * block: the callback pushes a block's spikes followed by a spike with
 * unit OSC_OUT_BLOCK_END (all or none, spike_queue_push). */
#define OSC_OUT_BLOCK_END UINT32_MAX
bool osc_out_start_thread(osc_out *o, uint32_t queue_capacity, char *err, size_t err_len);
spike_queue *osc_out_queue(osc_out *o);

/* Spikes sent and lost (a failed send, a full queue). */
uint64_t osc_out_sent(const osc_out *o);
uint64_t osc_out_lost(const osc_out *o);

#endif
