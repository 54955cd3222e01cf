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
    /* offline: every row as a bitmap at most, and the room the last one is
     * drawn in (a 10 % coupled bank of 16384 kept 2048 of its rows in the
     * real-time store and drew the rest at every spike: a hash and a
     * logarithm a target, against a masked addition a group of 16) */
    const size_t words = (capacity + 15u) / 16u, all = (size_t)capacity * words + capacity;
    r->entries = touch || all < NETWORK_ROWS_ENTRIES ? NETWORK_ROWS_ENTRIES : all;
    r->pos = zeroed_alloc(r->entries * sizeof *r->pos, touch);
    r->start = zeroed_alloc(capacity * sizeof *r->start, touch);
    r->len = zeroed_alloc(capacity * sizeof *r->len, touch);
    r->gen = zeroed_alloc(capacity * sizeof *r->gen, touch);
    r->bitmap = zeroed_alloc(capacity, touch);
    if (!r->pos || !r->start || !r->len || !r->gen || !r->bitmap) {
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
    zeroed_free(r->bitmap);
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

void
network_rows_keep(network_rows *r, uint32_t pre, uint32_t marks, uint32_t n)
{
    uint16_t *row = r->pos + r->used;
    const uint32_t words = (n + 15u) / 16u;
    /* the bitmap is made after the marks (the room holds n entries) and
     * moved down over them */
    const int bitmap = words < marks && marks + words <= n;
    if (bitmap) {
        uint16_t *bits = row + marks;
        memset(bits, 0, words * sizeof *bits);
        for (uint32_t j = 0; j < marks; ++j)
            bits[row[j] / 16u] |= (uint16_t)(1u << (row[j] % 16u));
        if (pre < n)
            bits[pre / 16u] &= (uint16_t)~(1u << (pre % 16u));
        memmove(row, bits, words * sizeof *bits);
    }
    r->start[pre] = r->used;
    r->len[pre] = bitmap ? words : marks;
    r->bitmap[pre] = (uint8_t)bitmap;
    r->gen[pre] = r->current;
    r->used += r->len[pre];
}
