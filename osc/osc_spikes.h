/* osc_spikes.h — spikes as Open Sound Control messages, sent and received
 * with liblo, in one format for every part that speaks it:
 *
 *     /hillock/spike  ,id  <int32 unit index> <float64 time in seconds>
 *
 * the time being audio time: seconds from the start of the render's file or
 * of the JACK client's (or plugin's) output, at which the spike sounds (the
 * outputs' latency included). A block's spikes travel in one bundle
 * (immediate time tag), split into bundles of at most OSC_BUNDLE_MAX
 * messages so that each fits one UDP datagram. A received message may leave
 * the time out (type tag ,i): it then plays as soon as it arrives.
 *
 * Outside audio threads only: liblo allocates and makes system calls. An
 * audio thread hands spikes over through a spike_queue (dsp/spike_queue.h).
 */
#ifndef HILLOCK_OSC_SPIKES_H
#define HILLOCK_OSC_SPIKES_H

#include "spike_queue.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OSC_SPIKE_PATH "/hillock/spike"
#define OSC_BUNDLE_MAX 1024u /* messages per bundle: 36 bytes each, under 64 KiB */

typedef struct osc_sender osc_sender;

/* A sender to url (osc.udp://HOST:PORT/ or osc.tcp://HOST:PORT/). The host
 * is resolved, and a TCP receiver connected, now: NULL with the reason in
 * err when the URL is malformed or its host cannot be reached. */
osc_sender *osc_sender_open(const char *url, char *err, size_t err_len);
void osc_sender_close(osc_sender *s);

/* Send n spikes as bundles (none when n is 0). False with the reason when
 * a send failed: the spikes of that bundle are lost to the receiver (the
 * caller counts them), the sender stays usable. */
bool osc_sender_send(osc_sender *s, const spike_event *spikes, uint32_t n, char *err,
                     size_t err_len);

typedef struct osc_receiver osc_receiver;

/* Listen on UDP port `port` (a number, or a service name) of the loopback
 * interface, or of every interface when any is true, on a thread of its
 * own; every /hillock/spike message received is pushed into q (messages
 * of another shape are ignored and counted), stamped with stamp(arg) when
 * stamp is not NULL. A bundle's time tag ahead of the wall clock holds its
 * messages until then (OSC 1.0). NULL with the reason in err when the port cannot be
 * opened. */
typedef uint64_t (*osc_stamp_fn)(void *arg);
osc_receiver *osc_receiver_open(const char *port, bool any, spike_queue *q, osc_stamp_fn stamp,
                                void *stamp_arg, char *err, size_t err_len);
void osc_receiver_close(osc_receiver *r);
/* The port it listens on (useful when port was "0": any free one). */
int osc_receiver_port(const osc_receiver *r);
/* Messages received that were not /hillock/spike ,i or ,id. */
uint64_t osc_receiver_ignored(const osc_receiver *r);

#endif
