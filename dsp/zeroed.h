#ifndef HILLOCK_ZEROED_H
#define HILLOCK_ZEROED_H
/* Zero-filled arrays aligned to 64 bytes (a cache line, an AVX-512 vector),
 * with a choice of when their pages are mapped.
 *
 * touch = 1: every page is written before the call returns. A real-time
 * engine wants this: the audio thread must never take the page fault of an
 * array's first use (a minor fault costs 5-15 us on the VMs we measure on,
 * and a bank grown from 16 to 16384 neurons would take thousands at once).
 * Touched blocks of 16 KiB to 2 MiB share 2 MiB pages (slabs, zeroed.c),
 * the larger ones have 2 MiB pages of their own: a few faults an engine.
 *
 * touch = 0: pages are mapped when first used. An offline render of 1000
 * neurons uses a sixteenth of the arrays sized for ENGINE_MAX_NEURONS, and
 * writing them all cost a third of a short render's CPU time
 * (docs/performance-log.md, "The start of a render"). */
#include <stddef.h>

void *zeroed_alloc(size_t bytes, int touch);
void zeroed_free(void *p); /* NULL is fine */
/* The bytes of the larger arrays, which are mappings of their own, not in
 * the heap (its statistics miss them); all threads together. */
size_t zeroed_mapped_bytes(void);

#endif
