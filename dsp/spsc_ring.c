/* spsc_ring.c — see spsc_ring.h. The producer publishes with a release store
 * of write_index after filling the slots, the consumer reads it with acquire,
 * so slot contents are visible before the index that covers them (and the
 * same in the other direction for freeing space). */
#include "spsc_ring.h"

#include "zeroed.h"

#include <string.h>

bool
spsc_ring_init(spsc_ring *r, size_t elem_size, uint64_t min_elems)
{
    uint64_t cap = 1;
    while (cap < min_elems)
        cap <<= 1;
    /* every page written now (zeroed.h): a real-time producer goes through
     * the ring a slot at a time, and calloc's fresh pages faulted in on its
     * thread (hillock jack's recording ring of 4 s: a fault every 512
     * stereo frames for its first 4 s) */
    r->data = zeroed_alloc((size_t)cap * elem_size, 1);
    if (!r->data)
        return false;
    r->elem_size = elem_size;
    r->capacity = cap;
    r->mask = cap - 1;
    atomic_init(&r->write_index, 0);
    atomic_init(&r->read_index, 0);
    return true;
}

void
spsc_ring_free(spsc_ring *r)
{
    zeroed_free(r->data);
    r->data = NULL;
}

uint64_t
spsc_ring_write_space(const spsc_ring *r)
{
    uint64_t w = atomic_load_explicit(&r->write_index, memory_order_relaxed);
    uint64_t rd = atomic_load_explicit(&r->read_index, memory_order_acquire);
    return r->capacity - (w - rd);
}

void *
spsc_ring_write_slot(spsc_ring *r, uint64_t i)
{
    uint64_t w = atomic_load_explicit(&r->write_index, memory_order_relaxed);
    return r->data + ((w + i) & r->mask) * r->elem_size;
}

void
spsc_ring_commit_write(spsc_ring *r, uint64_t n)
{
    uint64_t w = atomic_load_explicit(&r->write_index, memory_order_relaxed);
    atomic_store_explicit(&r->write_index, w + n, memory_order_release);
}

bool
spsc_ring_push(spsc_ring *r, const void *elems, uint64_t n)
{
    if (spsc_ring_write_space(r) < n)
        return false;
    const unsigned char *src = elems;
    for (uint64_t i = 0; i < n; ++i)
        memcpy(spsc_ring_write_slot(r, i), src + i * r->elem_size, r->elem_size);
    spsc_ring_commit_write(r, n);
    return true;
}

uint64_t
spsc_ring_read_space(const spsc_ring *r)
{
    uint64_t w = atomic_load_explicit(&r->write_index, memory_order_acquire);
    uint64_t rd = atomic_load_explicit(&r->read_index, memory_order_relaxed);
    return w - rd;
}

const void *
spsc_ring_read_slot(const spsc_ring *r, uint64_t i)
{
    uint64_t rd = atomic_load_explicit(&r->read_index, memory_order_relaxed);
    return r->data + ((rd + i) & r->mask) * r->elem_size;
}

void
spsc_ring_commit_read(spsc_ring *r, uint64_t n)
{
    uint64_t rd = atomic_load_explicit(&r->read_index, memory_order_relaxed);
    atomic_store_explicit(&r->read_index, rd + n, memory_order_release);
}

uint64_t
spsc_ring_pop(spsc_ring *r, void *elems, uint64_t max)
{
    uint64_t n = spsc_ring_read_space(r);
    if (n > max)
        n = max;
    unsigned char *dst = elems;
    for (uint64_t i = 0; i < n; ++i)
        memcpy(dst + i * r->elem_size, spsc_ring_read_slot(r, i), r->elem_size);
    spsc_ring_commit_read(r, n);
    return n;
}
