/* spike_queue.h — spikes handed between threads without locks: one
 * producer, one consumer (spsc_ring.h underneath).
 *
 * Two uses, one format (the `/hillock/spike` OSC message's: a unit index and
 * a time in seconds):
 *  - spikes out: the audio thread pushes the spikes of each block, a sender
 *    thread (the JACK client's, the plugin's LV2 worker) pops them and sends
 *    them as OSC;
 *  - spikes in: a receiver thread (OSC input, `hillock jack --osc-in`) or a
 *    loader of recorded spikes pushes them, the audio thread pops them and
 *    plays them. Recorded playback and live input feed the same voices, so
 *    both go through this one queue type.
 *
 * The producer never waits: a push that does not fit is refused and counted
 * (spike_queue_dropped), never blocks. Push and pop are real-time safe;
 * create and destroy are not. */
#ifndef HILLOCK_SPIKE_QUEUE_H
#define HILLOCK_SPIKE_QUEUE_H

#include "spsc_ring.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    uint32_t unit;  /* neuron or recorded unit index */
    double time_s;  /* its time in seconds of audio time; NaN = as soon as possible */
    uint64_t stamp; /* the producer's clock when it queued the spike (a live input
                     * stamps JACK frames to measure its latency), 0 if none */
} spike_event;

typedef struct {
    spsc_ring ring;
    _Atomic uint64_t dropped; /* spikes refused because the queue was full */
} spike_queue;

/* Room for at least capacity spikes. False when out of memory. */
bool spike_queue_init(spike_queue *q, uint32_t capacity);
void spike_queue_free(spike_queue *q);

/* Producer: n spikes, all or none (a block's spikes travel together, so a
 * consumer never sees half a block); refused ones are counted. */
bool spike_queue_push(spike_queue *q, const spike_event *s, uint32_t n);
/* Consumer: up to max spikes, oldest first; returns how many. */
uint32_t spike_queue_pop(spike_queue *q, spike_event *out, uint32_t max);
/* Spikes waiting. */
uint32_t spike_queue_waiting(const spike_queue *q);
/* Spikes refused since init. */
uint64_t spike_queue_dropped(const spike_queue *q);

#endif
