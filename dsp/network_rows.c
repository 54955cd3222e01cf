/* network_rows.c — the on-the-fly network's rows kept once drawn
 * (network_rows.h). */
#include "network_rows.h"

#include "zeroed.h"

#include <stdlib.h>
#include <string.h>

network_rows *
network_rows_create(uint32_t capacity, int touch)
{
    if (capacity > 65536u)
        return NULL;
    network_rows *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->capacity = capacity;
    r->current = 1;
    /* zeroed_alloc writes the pages when asked to: a memset of zeros after
     * calloc, which did this before, is removed by the compiler, and the
     * audio thread then faulted the pages in at the neurons' first spikes */
    r->pos = zeroed_alloc(NETWORK_ROWS_ENTRIES * sizeof *r->pos, touch);
    r->start = zeroed_alloc(capacity * sizeof *r->start, touch);
    r->len = zeroed_alloc(capacity * sizeof *r->len, touch);
    r->gen = zeroed_alloc(capacity * sizeof *r->gen, touch);
    if (!r->pos || !r->start || !r->len || !r->gen) {
        network_rows_destroy(r);
        return NULL;
    }
    return r;
}

void
network_rows_destroy(network_rows *r)
{
    if (!r)
        return;
    zeroed_free(r->pos);
    zeroed_free(r->start);
    zeroed_free(r->len);
    zeroed_free(r->gen);
    free(r);
}

void
network_rows_key(network_rows *r, uint64_t seed, float p, uint32_t n)
{
    if (r->seed == seed && r->p == p && r->n == n)
        return;
    r->seed = seed;
    r->p = p;
    r->n = n;
    r->used = 0;
    if (++r->current == 0) { /* after 2^32 changes: every row's mark is stale */
        memset(r->gen, 0, r->capacity * sizeof *r->gen);
        r->current = 1;
    }
}
