/* bank_own.c — a range's arrays in a block of its own (bank_own.h). */
#include "bank_own.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* The per-neuron arrays a step ahead reads or writes: where the bank keeps
 * the array's pointer, its element's bytes, whether a step may write it
 * (only those are written back), and the model variable it is (copied for
 * the model's variables only), -1 if none. The arrays bank_ahead_room
 * rules out (synapses, the M current, background events, time scales)
 * stay where they are; an array left out of this list is stepped in place,
 * which is correct, only not in the range's own block. */
typedef struct {
    size_t field;
    uint8_t elem;
    uint8_t written;
    int8_t var;
} own_array;

#define OWN(f, e, w) {offsetof(bank, f), e, w, -1}
#define OWN_VAR(k) {offsetof(bank, var) + (k) * sizeof(float *), sizeof(float), 1, k}

static const own_array own_list[] = {
    OWN_VAR(0),
    OWN_VAR(1),
    OWN_VAR(2),
    OWN_VAR(3),
    OWN_VAR(4),
    OWN_VAR(5),
    OWN_VAR(6),
    OWN_VAR(7),
    /* written by a step */
    OWN(spike_frac, sizeof(float), 1),
    OWN(spiked, sizeof(uint32_t), 1),
    OWN(spiked_frac, sizeof(float), 1),
    OWN(soma_i, sizeof(float), 1),
    OWN(soma_g, sizeof(float), 1),
    OWN(soma_ge, sizeof(float), 1),
    OWN(dend_i, sizeof(float), 1),
    OWN(dend_g, sizeof(float), 1),
    OWN(dend_ge, sizeof(float), 1),
    OWN(branch_v[0], sizeof(float), 1),
    OWN(branch_v[1], sizeof(float), 1),
    OWN(noise, sizeof(float), 1),
    OWN(noise_second, sizeof(float), 1),
    OWN(g_exc[0], sizeof(float), 1),
    OWN(g_exc[1], sizeof(float), 1),
    OWN(g_inh, sizeof(float), 1),
    /* only read */
    OWN(drive_scale, sizeof(float), 0),
    OWN(ext, sizeof(float), 0),
    OWN(noise_key, sizeof(uint32_t), 0),
    OWN(inhibitory, 1, 0),
    OWN(branch, 1, 0),
    OWN(mix_wl, sizeof(float), 0),
    OWN(mix_wr, sizeof(float), 0),
};
#define OWN_COUNT (sizeof own_list / sizeof own_list[0])
_Static_assert(MODEL_MAX_VARS == 8, "own_list names every model variable");

/* Floats between one array's neurons and the next array's in a block: a
 * vector's rounding and one cache line, as the bank staggers its arrays */
#define OWN_PAD 32u


struct bank_own {
    unsigned char *area;
    uint32_t capacity;
    struct {
        uint32_t lo, hi;  /* neurons held, lo == hi: none */
        uint32_t n_vars;  /* the model's variables copied in */
    } held[BANK_MAX_PARTS];
};

bank_own *
bank_own_create(uint32_t capacity)
{
    bank_own *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->capacity = capacity;
    /* range p's block starts at OWN_COUNT x (lo + OWN_PAD p) floats: the
     * ranges are disjoint and in order, so the blocks are too */
    const size_t floats = OWN_COUNT * ((size_t)capacity + OWN_PAD * (BANK_MAX_PARTS + 1u));
    o->area = aligned_alloc(64, floats * sizeof(float));
    if (!o->area) {
        bank_own_destroy(o);
        return NULL;
    }
    return o;
}

void
bank_own_destroy(bank_own *o)
{
    if (!o)
        return;
    free(o->area);
    free(o);
}

/* Every object pointer has one representation on the targets this builds
 * for, so an array's pointer is read and written through its bytes. */
static unsigned char *
array_at(const bank *b, size_t field)
{
    unsigned char *p;
    memcpy(&p, (const unsigned char *)b + field, sizeof p);
    return p;
}

static void
array_set(bank *b, size_t field, unsigned char *p)
{
    memcpy((unsigned char *)b + field, &p, sizeof p);
}

/* Array a of range p's block, holding neurons [lo, hi) */
static unsigned char *
block_array(const bank_own *o, unsigned p, uint32_t lo, uint32_t hi, size_t a)
{
    const size_t stride = ((size_t)(hi - lo) + 15u) / 16u * 16u + 16u; /* <= hi - lo + OWN_PAD */
    const size_t at = OWN_COUNT * ((size_t)lo + OWN_PAD * p) + a * stride;
    return o->area + at * sizeof(float);
}

static int
copied(const own_array *a, uint32_t n_vars, const bank *b)
{
    return (a->var < 0 || (uint32_t)a->var < n_vars) && array_at(b, a->field) != NULL;
}

int
bank_own_holds(const bank_own *o, unsigned p, uint32_t lo, uint32_t hi)
{
    return o->held[p].lo == lo && o->held[p].hi == hi && lo < hi;
}

void
bank_own_view(bank_own *o, unsigned p, const bank *b, const model_desc *m, uint32_t lo,
              uint32_t hi, bank *view)
{
    *view = *b;
    if (p >= BANK_MAX_PARTS || lo >= hi || hi > o->capacity)
        return; /* stepped in place */
    const int fill = !bank_own_holds(o, p, lo, hi);
    for (size_t k = 0; k < OWN_COUNT; ++k) {
        const own_array *a = &own_list[k];
        if (!copied(a, m->n_vars, b))
            continue;
        unsigned char *from = array_at(b, a->field) + (size_t)lo * a->elem;
        unsigned char *to = block_array(o, p, lo, hi, k);
        if (fill)
            memcpy(to, from, (size_t)(hi - lo) * a->elem);
        array_set(view, a->field, to - (size_t)lo * a->elem);
    }
    o->held[p].lo = lo;
    o->held[p].hi = hi;
    o->held[p].n_vars = m->n_vars;
}

void
bank_own_return(bank_own *o, unsigned p, bank *b)
{
    const uint32_t lo = o->held[p].lo, hi = o->held[p].hi;
    if (lo >= hi)
        return;
    for (size_t k = 0; k < OWN_COUNT; ++k) {
        const own_array *a = &own_list[k];
        if (!a->written || !copied(a, o->held[p].n_vars, b))
            continue;
        memcpy(array_at(b, a->field) + (size_t)lo * a->elem, block_array(o, p, lo, hi, k),
               (size_t)(hi - lo) * a->elem);
    }
    o->held[p].lo = o->held[p].hi = 0;
}

void
bank_own_return_all(bank_own *o, bank *b)
{
    for (unsigned p = 0; p < BANK_MAX_PARTS; ++p)
        bank_own_return(o, p, b);
}
