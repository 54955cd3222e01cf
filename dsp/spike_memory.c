/* spike_memory.c — see spike_memory.h. */
#include "spike_memory.h"

#include "zeroed.h"

#include <math.h>

spike_event *
spike_memory_storage(void)
{
    /* every page written now (zeroed.h): the audio thread fills the
     * history a spike at a time, and calloc's fresh pages (1.6 MiB) faulted
     * in on it through the first 70 000 spikes played */
    return zeroed_alloc((SPIKE_MEMORY_HISTORY + SPIKE_MEMORY_LANDING) * sizeof(spike_event), 1);
}

void
spike_memory_storage_free(spike_event *storage)
{
    zeroed_free(storage);
}

static const spike_event *
at(const spike_span *p, uint64_t i)
{
    return &p->s[i & p->mask];
}

/* Holds nothing, from t on. */
static void
empty_at(spike_span *p, double t)
{
    p->first = p->end = 0;
    p->from = p->to = t;
    p->ties = 0;
}

static bool
span_holds(const spike_span *p, double t)
{
    return t >= p->from && t < p->to;
}

/* The index of the first spike held at or after t. */
static uint64_t
first_at(const spike_span *p, double t)
{
    uint64_t lo = p->first, hi = p->end;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2u;
        if (at(p, mid)->time_s < t)
            lo = mid + 1u;
        else
            hi = mid;
    }
    return lo;
}

/* After the last spike held; false when a span that does not wrap is full. */
static bool
add(spike_span *p, const spike_event *s)
{
    if (p->end - p->first == p->capacity) {
        if (p->mask == UINT64_MAX)
            return false;
        /* the oldest goes: every spike after its time is still held */
        p->from = fmax(p->from, nextafter(at(p, p->first)->time_s, INFINITY));
        p->first++;
    }
    p->s[p->end & p->mask] = *s;
    p->end++;
    if (s->time_s > p->to) {
        p->to = s->time_s;
        p->ties = 1;
    } else {
        p->ties++;
    }
    return true;
}

void
spike_memory_reset(spike_memory *m, const spike_event *head, uint32_t head_n, bool whole,
                   spike_event *storage)
{
    /* the head is never added to: only the history and the landing are */
    m->head = (spike_span){.s = (spike_event *)(uintptr_t)head, .mask = UINT64_MAX,
                           .first = 0, .end = head_n, .capacity = head_n, .from = -INFINITY,
                           .to = whole ? INFINITY : head_n ? head[head_n - 1u].time_s
                                                           : -INFINITY};
    m->history = (spike_span){.s = storage, .mask = SPIKE_MEMORY_HISTORY - 1u,
                              .capacity = SPIKE_MEMORY_HISTORY};
    m->landing = (spike_span){.s = storage + SPIKE_MEMORY_HISTORY, .mask = UINT64_MAX,
                              .capacity = SPIKE_MEMORY_LANDING};
    empty_at(&m->history, INFINITY);
    empty_at(&m->landing, INFINITY);
    m->landing_filling = false;
    m->skip_below = -INFINITY;
    m->skip_ties = 0;
    m->bridge = NULL;
    m->bridge_end = -INFINITY;
}

/* The span that holds t furthest on, or NULL. */
static const spike_span *
holder(const spike_memory *m, double t)
{
    const spike_span *spans[] = {&m->head, &m->history, &m->landing}, *best = NULL;
    for (unsigned k = 0; k < sizeof spans / sizeof *spans; ++k)
        if (span_holds(spans[k], t) && (!best || spans[k]->to > best->to))
            best = spans[k];
    return best;
}

bool
spike_memory_jump(spike_memory *m, double t)
{
    spike_span *h = &m->history;
    /* the stream from t: the history goes on where it holds t already,
     * else it starts again at t */
    if (h->end > h->first && t >= h->from && t <= h->to) {
        m->skip_below = h->to;
        m->skip_ties = h->ties;
    } else {
        empty_at(h, t);
        m->skip_below = -INFINITY;
        m->skip_ties = 0;
    }
    m->bridge = holder(m, t);
    m->landing_filling = !m->bridge;
    if (!m->bridge) { /* a new place: the landing keeps its first spikes */
        empty_at(&m->landing, t);
        m->bridge_end = t;
        return false;
    }
    m->bridge_pos = first_at(m->bridge, t);
    m->bridge_end = m->bridge->to;
    return true;
}

bool
spike_memory_holds(const spike_memory *m, double t, double until)
{
    const spike_span *p = holder(m, t);
    return p && p->to >= until;
}

bool
spike_memory_bridging(const spike_memory *m)
{
    return m->bridge != NULL;
}

const spike_event *
spike_memory_peek(spike_memory *m)
{
    const spike_span *p = m->bridge;
    if (!p || m->bridge_pos >= p->end)
        return NULL;
    if (m->bridge_pos < p->first) { /* overwritten in the ring: the stream's now */
        m->bridge = NULL;
        return NULL;
    }
    const spike_event *s = at(p, m->bridge_pos);
    return s->time_s < m->bridge_end ? s : NULL;
}

void
spike_memory_advance(spike_memory *m)
{
    m->bridge_pos++;
}

void
spike_memory_end_bridge(spike_memory *m)
{
    m->bridge = NULL;
}

double
spike_memory_covered(const spike_memory *m)
{
    return m->bridge_end;
}

void
spike_memory_keep(spike_memory *m, const spike_event *s)
{
    if (m->landing_filling && !add(&m->landing, s))
        m->landing_filling = false; /* full: it holds what it has */
    if (s->time_s < m->skip_below)
        return; /* the history holds it */
    if (s->time_s == m->skip_below && m->skip_ties > 0) {
        m->skip_ties--;
        return;
    }
    m->skip_below = -INFINITY;
    add(&m->history, s);
}

void
spike_memory_stream_end(spike_memory *m)
{
    /* nothing follows: the history and a landing still filling hold
     * everything from where they start */
    m->history.to = INFINITY;
    if (m->landing_filling) {
        m->landing.to = INFINITY;
        m->landing_filling = false;
    }
}
