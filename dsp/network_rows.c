/* network_rows.c — the on-the-fly network's rows kept once drawn
 * (network_rows.h). */
#include "network_rows.h"

#include <stdlib.h>
#include <string.h>

network_rows *
network_rows_create(uint32_t capacity)
{
    if (capacity > 65536u)
        return NULL;
    network_rows *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->capacity = capacity;
    r->current = 1;
    r->pos = calloc(NETWORK_ROWS_ENTRIES, sizeof *r->pos);
    r->start = calloc(capacity, sizeof *r->start);
    r->len = calloc(capacity, sizeof *r->len);
    r->gen = calloc(capacity, sizeof *r->gen);
    if (!r->pos || !r->start || !r->len || !r->gen) {
        network_rows_destroy(r);
        return NULL;
    }
    /* calloc may hand out pages not yet mapped: touch them here, not at a
     * neuron's first spike on the audio thread */
    memset(r->pos, 0, NETWORK_ROWS_ENTRIES * sizeof *r->pos);
    return r;
}

void
network_rows_destroy(network_rows *r)
{
    if (!r)
        return;
    free(r->pos);
    free(r->start);
    free(r->len);
    free(r->gen);
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
