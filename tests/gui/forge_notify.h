/* forge_notify.h — test helpers standing in for the plugin's side of the
 * protocol (protocol/uris.h): a URID map, and forged hillock:Notification
 * atoms with synthetic activity. */
#ifndef HILLOCK_TEST_FORGE_NOTIFY_H
#define HILLOCK_TEST_FORGE_NOTIFY_H

#include <lv2/atom/atom.h>
#include <lv2/urid/urid.h>

#include <stdint.h>

/* A growing table of URIs; map() never fails. Not thread safe. */
LV2_URID_Map *test_urid_map(void);
const char *test_urid_unmap(LV2_URID urid);

/* Notification number `block` (each 20 ms at 48 kHz, 960 frames, trace
 * step 4), as the plugin would send it: `neurons` neurons, neuron i firing
 * every (10 + i) ms at frame offset (3 i) mod 960 of its period, neuron 4
 * (and every 5th) inhibitory; the focus soma at -65 mV with a +30 mV point
 * at each of its spikes; slow = 0.3 + 0.01 * block. The atom is written
 * into buf (capacity bytes); returns it, or NULL if it did not fit. */
const LV2_Atom *forge_notification(void *buf, uint32_t capacity, uint32_t block,
                                   uint32_t neurons);

#endif
