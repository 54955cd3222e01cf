/* network_rows.h — the on-the-fly network's rows kept once drawn.
 *
 * A spike of the on-the-fly network (network.h) draws its neuron's targets
 * anew from the seed: a hash and a logarithm a target, more than the
 * addition itself. The graph changes only with seed, p and bank size, so
 * a row can be kept once drawn: its targets as 16-bit positions in a
 * store of fixed size, allocated with the bank and filled as neurons
 * first fire (the same work as drawing them, plus the stores). A later
 * spike of the neuron reads its row instead of drawing it, and adds the
 * same sums to the same targets in the same order: the same bits. Any
 * change of seed, p or bank size forgets every row at once (a new
 * generation), so the graph still follows them at the next step; a row
 * that would not surely fit in what is left is drawn every time, as
 * without a store. Nothing is saved with the state: the rows are derived.
 *
 * A row with more marks than the bank has groups of 16 neurons (p above
 * about 1/16) is kept as a bitmap instead, a 16-bit word a group, bit j
 * for neuron 16 k + j (pre's own bit clear): fewer entries, and each
 * group's additions are one masked vector operation on AVX-512 (4096
 * neurons at p = 0.1: 256 words against about 410 marks).
 */
#ifndef HILLOCK_NETWORK_ROWS_H
#define HILLOCK_NETWORK_ROWS_H

#include <stddef.h>
#include <stdint.h>

/* Entries a real-time store keeps at most (its pages are written at
 * create): 4 MiB, every row of a bank of 4096 neurons at any p (a row is at
 * most 256 words there). An offline store has room for every row of its
 * largest bank (network_rows_create), its pages mapped as rows fill them. */
#define NETWORK_ROWS_ENTRIES (1u << 21)

typedef struct network_rows {
    uint16_t *pos;     /* `entries` entries, rows one after the other */
    size_t entries;
    uint32_t *start;   /* per neuron: its row's first entry in pos */
    uint32_t *len;     /* ... and its number of entries: marks (pre's own included), or
                        * words of a bitmap */
    uint8_t *bitmap;   /* ... 1: a bitmap of ceil(n / 16) words, 0: marks */
    uint32_t *gen;     /* ... the generation it was kept in (0: none) */
    uint32_t capacity; /* neurons */
    uint32_t used;     /* entries of pos filled in this generation */
    uint32_t current;  /* this generation, from 1 */
    /* what the rows of this generation were drawn for */
    uint64_t seed;
    float p;
    uint32_t n;
} network_rows;

/* Rows for neurons [0, capacity) (at most 65536: positions are 16-bit);
 * NULL without memory. touch: every page written now, so that the audio
 * thread takes no page fault later (real-time engines: NETWORK_ROWS_ENTRIES
 * entries), or left to the first use (offline; zeroed.h: room for every
 * row of a bank of capacity neurons, a bitmap at most, 32 MiB at 16384). */
network_rows *network_rows_create(uint32_t capacity, int touch);
void network_rows_destroy(network_rows *r);

/* The graph of this step: seed, p, n. Forgets every row when one of them
 * changed. */
void network_rows_key(network_rows *r, uint64_t seed, float p, uint32_t n);

/* Neuron pre's row, if kept in this generation (NULL otherwise), and its
 * length in entries (network_rows_bitmap: of which kind). */
static inline const uint16_t *
network_rows_of(const network_rows *r, uint32_t pre, uint32_t *len)
{
    if (r->gen[pre] != r->current)
        return 0;
    *len = r->len[pre];
    return r->pos + r->start[pre];
}

/* 1: pre's kept row is a bitmap; 0: its marks */
static inline int
network_rows_bitmap(const network_rows *r, uint32_t pre)
{
    return r->bitmap[pre];
}

/* Ask for pre's row, if kept, ahead of its delivery (a row is 13 cache
 * lines at 4096 neurons and p = 0.1, read once every few hundred steps:
 * from the last-level cache or memory). */
static inline void
network_rows_prefetch(const network_rows *r, uint32_t pre)
{
    uint32_t len;
    const uint16_t *row = network_rows_of(r, pre, &len);
    if (row)
        for (uint32_t k = 0; k < len; k += 32) /* 32 positions a line */
            __builtin_prefetch(row + k);
}

/* Room for pre's row while it is drawn (up to n entries), or NULL if it
 * might not fit; network_rows_keep then keeps it. */
static inline uint16_t *
network_rows_room(const network_rows *r, uint32_t n)
{
    return r->used + n <= r->entries ? r->pos + r->used : 0;
}

/* pre's row of `marks` increasing marks below n, drawn into the room:
 * kept, as they are or as a bitmap where that is shorter. */
void network_rows_keep(network_rows *r, uint32_t pre, uint32_t marks, uint32_t n);

#endif
