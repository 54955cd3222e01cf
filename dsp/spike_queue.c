/* spike_queue.c — see spike_queue.h. */
#include "spike_queue.h"

bool
spike_queue_init(spike_queue *q, uint32_t capacity)
{
    atomic_init(&q->dropped, 0);
    return spsc_ring_init(&q->ring, sizeof(spike_event), capacity);
}

void
spike_queue_free(spike_queue *q)
{
    spsc_ring_free(&q->ring);
}

bool
spike_queue_push(spike_queue *q, const spike_event *s, uint32_t n)
{
    if (n == 0 || spsc_ring_push(&q->ring, s, n))
        return true;
    atomic_fetch_add_explicit(&q->dropped, n, memory_order_relaxed);
    return false;
}

uint32_t
spike_queue_pop(spike_queue *q, spike_event *out, uint32_t max)
{
    return (uint32_t)spsc_ring_pop(&q->ring, out, max);
}

uint32_t
spike_queue_waiting(const spike_queue *q)
{
    return (uint32_t)spsc_ring_read_space(&q->ring);
}

uint64_t
spike_queue_dropped(const spike_queue *q)
{
    return atomic_load_explicit(&q->dropped, memory_order_relaxed);
}
