#include "align.h"

#include "zeroed.h"

#include <stdlib.h>

typedef struct {
    uint64_t frame;
    float frac;
    uint32_t neuron;
} timed_spike;

struct align {
    uint32_t delay;
    float *values; /* ALIGN_VALUES rings of mask + 1 frames */
    uint32_t mask;
    int primed;
    timed_spike spikes[ALIGN_SPIKES];
    uint32_t spike_head, spike_tail; /* free-running; the index is & (ALIGN_SPIKES - 1) */
};

align *
align_create(uint32_t delay_frames, int touch)
{
    align *a = zeroed_alloc(sizeof *a, touch); /* its spikes' ring: 1 MiB */
    if (!a)
        return NULL;
    a->delay = delay_frames;
    uint32_t size = 1;
    while (size <= delay_frames)
        size <<= 1;
    a->mask = size - 1u;
    a->values = zeroed_alloc((size_t)size * ALIGN_VALUES * sizeof(float), touch);
    if (!a->values) {
        zeroed_free(a);
        return NULL;
    }
    return a;
}

void
align_destroy(align *a)
{
    if (a)
        zeroed_free(a->values);
    zeroed_free(a);
}

void
align_restart(align *a)
{
    a->primed = 0;
    a->spike_head = a->spike_tail;
}

void
align_values(align *a, uint64_t now, const float in[ALIGN_VALUES], float out[ALIGN_VALUES])
{
    const uint32_t size = a->mask + 1u;
    if (!a->primed) {
        for (uint32_t k = 0; k < ALIGN_VALUES; ++k)
            for (uint32_t i = 0; i < size; ++i)
                a->values[k * size + i] = in[k];
        a->primed = 1;
    }
    const uint32_t w = (uint32_t)(now & a->mask), r = (uint32_t)((now - a->delay) & a->mask);
    for (uint32_t k = 0; k < ALIGN_VALUES; ++k) {
        float *ring = a->values + k * size;
        ring[w] = in[k];
        out[k] = ring[r];
    }
}

int
align_push_spike(align *a, uint64_t frame, float frac, uint32_t neuron)
{
    if (a->spike_tail - a->spike_head == ALIGN_SPIKES)
        return 0;
    a->spikes[a->spike_tail++ & (ALIGN_SPIKES - 1u)] = (timed_spike){frame, frac, neuron};
    return 1;
}

int
align_pop_spike(align *a, uint64_t now, float *frac, uint32_t *neuron)
{
    if (a->spike_head == a->spike_tail)
        return 0;
    const timed_spike *s = &a->spikes[a->spike_head & (ALIGN_SPIKES - 1u)];
    if (s->frame + a->delay > now)
        return 0;
    *frac = s->frac;
    *neuron = s->neuron;
    a->spike_head++;
    return 1;
}

uint32_t
align_spike_mark(const align *a)
{
    return a->spike_tail;
}

void
align_spike_rewind(align *a, uint32_t mark)
{
    a->spike_tail = mark;
}

void
align_state(state_io *s, align *a, uint32_t max_neuron)
{
    state_f32(s, "aligned values", a->values, (size_t)(a->mask + 1u) * ALIGN_VALUES);
    state_int(s, "aligner primed", &a->primed, 1, 0, 1);
    /* the spikes waiting, oldest first, back at the same ring places */
    state_u32(s, "aligner spike head", &a->spike_head, 1);
    const uint32_t waiting =
        state_count(s, "aligner spikes waiting", a->spike_tail - a->spike_head, ALIGN_SPIKES);
    for (uint32_t k = 0; k < waiting; ++k) {
        timed_spike t = a->spikes[(a->spike_head + k) & (ALIGN_SPIKES - 1u)];
        state_u64(s, "aligned spike", &t.frame, 1);
        state_f32(s, "aligned spike", &t.frac, 1);
        state_u32_max(s, "aligned spike", &t.neuron, 1, max_neuron);
        if (s->mode == STATE_LOAD)
            a->spikes[(a->spike_head + k) & (ALIGN_SPIKES - 1u)] = t;
    }
    if (s->mode == STATE_LOAD)
        a->spike_tail = a->spike_head + waiting;
}
