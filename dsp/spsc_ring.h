/* spsc_ring.h — a lock-free single-producer single-consumer ring of
 * fixed-size elements, for handing data between an audio thread (JACK's
 * process callback, a plugin's run()) and ordinary threads without locks (C11 atomics, acquire/release).
 *
 * Exactly one thread may write and exactly one may read. The producer never
 * waits: when there is not room for everything it wants to write it writes
 * nothing and the caller counts an overrun. Capacity is a power of two so
 * that indices wrap with a mask; the indices themselves run freely (64-bit,
 * they do not overflow in practice). */
#ifndef HILLOCK_SPSC_RING_H
#define HILLOCK_SPSC_RING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    unsigned char *data;
    size_t elem_size;
    uint64_t capacity; /* elements, a power of two */
    uint64_t mask;
    _Atomic uint64_t write_index; /* advanced by the producer only */
    _Atomic uint64_t read_index;  /* advanced by the consumer only */
} spsc_ring;

/* Allocate room for at least min_elems elements (rounded up to a power of
 * two). Not real-time safe. */
bool spsc_ring_init(spsc_ring *r, size_t elem_size, uint64_t min_elems);
void spsc_ring_free(spsc_ring *r);

/* Producer side. Elements the producer may write now. */
uint64_t spsc_ring_write_space(const spsc_ring *r);
/* Element slot i (0-based) past the current write position; valid for
 * i < write_space. Fill slots, then publish them with spsc_ring_commit_write. */
void *spsc_ring_write_slot(spsc_ring *r, uint64_t i);
void spsc_ring_commit_write(spsc_ring *r, uint64_t n);
/* Copy n elements in, all or nothing. */
bool spsc_ring_push(spsc_ring *r, const void *elems, uint64_t n);

/* Consumer side. Elements ready to read. */
uint64_t spsc_ring_read_space(const spsc_ring *r);
const void *spsc_ring_read_slot(const spsc_ring *r, uint64_t i);
void spsc_ring_commit_read(spsc_ring *r, uint64_t n);
/* Copy up to max elements out; returns how many. */
uint64_t spsc_ring_pop(spsc_ring *r, void *elems, uint64_t max);

#endif
