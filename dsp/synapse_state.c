/* synapse_state.c — the stored synapse table's whole state to and from
 * bytes. After the header line, little-endian, in this order:
 *
 *   u64 step, f64 t_ms, f64 reward_ms, u32 ev_free, u32 in_flight,
 *   u64 events_dropped, u64 delays_clamped,
 *   f32 w[count], f32 dist_mm[count], f32 elig[count],
 *   f32 r1[n], r2[n], o1[n], o2[n], f64 t_pre[n], t_post[n],
 *   u32 head[SYNAPSES_SLOTS], u32 ev_next[events], u32 ev_target[events],
 *   f32 ev_g[events], u32 elig_age,
 *   u32 frame_valid, f64 frame_ms, f32 frame_tau_plus, f32 frame_tau_minus
 *
 * with events = ev_capacity: the spikes in flight as linked lists, one per
 * ring slot, newest first (the order they arrive in), and a free list of
 * the entries left. The table keeps them in buckets of chunks instead
 * (synapses.h): a save numbers the spikes slot by slot, newest first, the
 * free entries after them (zero), so the same state always gives the same
 * bytes; a load refills the buckets in the lists' order, so that a
 * continuation is bit-identical.
 *
 * elig is the eligibility in its frame (synapses.h), elig_age the frame's
 * age; the STDP traces' reference frame follows (stdp.c), from which r1
 * and o1 are read. Version 2 ended at elig_age, version 1 had neither: its
 * eligibility is the trace itself, which is the frame at age 0. Without
 * the traces' frame, it starts anew at the next spike. */
#include "synapse_state.h"

#include "le_bytes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER 128u
#define SCALARS 48u
#define GROUP_SHIFT 28u
#define POST_MASK ((1u << GROUP_SHIFT) - 1u)
#define TITLE "hillock-synapse-state"
/* the tail after the ring: version 2 elig_age, version 3 also the traces'
 * frame */
#define TAIL_2 4u
#define TAIL 24u

static size_t
state_size(uint32_t n, uint32_t count, uint32_t events, int version)
{
    return HEADER + SCALARS + (size_t)count * 12u + (size_t)n * 32u +
           (size_t)SYNAPSES_SLOTS * 4u + (size_t)events * 12u + (version >= 3 ? TAIL : version == 2 ? TAIL_2 : 0u);
}

/* a cursor over the bytes */
typedef struct {
    uint8_t *p;
    const uint8_t *q;
} cursor;

static void
put32(cursor *c, uint32_t v)
{
    le_put32(c->p, v);
    c->p += 4;
}

static void
put64(cursor *c, uint64_t v)
{
    le_put64(c->p, v);
    c->p += 8;
}

static void
putf(cursor *c, float f)
{
    le_putf(c->p, f);
    c->p += 4;
}

static void
putd(cursor *c, double d)
{
    le_putd(c->p, d);
    c->p += 8;
}

static uint32_t
get32(cursor *c)
{
    c->q += 4;
    return le_get32(c->q - 4);
}

static uint64_t
get64(cursor *c)
{
    c->q += 8;
    return le_get64(c->q - 8);
}

static float
getf(cursor *c)
{
    c->q += 4;
    return le_getf(c->q - 4);
}

static double
getd(cursor *c)
{
    c->q += 8;
    return le_getd(c->q - 8);
}

/* The ring as the file's lists (see the top), at p: heads, then next,
 * target and g of every entry. */
static void
put_ring(const synapse_table *t, uint8_t *p)
{
    const uint32_t events = t->ev_capacity;
    uint8_t *heads = p, *next = heads + (size_t)SYNAPSES_SLOTS * 4u;
    uint8_t *target = next + (size_t)events * 4u, *g = target + (size_t)events * 4u;
    uint32_t id = 0;
    for (uint32_t s = 0; s < SYNAPSES_SLOTS; ++s) {
        le_put32(heads + (size_t)s * 4u,
                 t->slot_chunk[s] == SYNAPSES_NO_EVENT ? SYNAPSES_NO_EVENT : id);
        for (uint32_t ch = t->slot_chunk[s]; ch != SYNAPSES_NO_EVENT;
             ch = t->chunk_next[ch])
            for (uint32_t k = t->chunk_fill[ch]; k-- > 0; ++id) {
                const size_t e = (size_t)ch * SYNAPSES_CHUNK + k;
                const int last = k == 0 && t->chunk_next[ch] == SYNAPSES_NO_EVENT;
                le_put32(next + (size_t)id * 4u, last ? SYNAPSES_NO_EVENT : id + 1u);
                le_put32(target + (size_t)id * 4u, t->ev[e].target);
                le_putf(g + (size_t)id * 4u, t->ev[e].g);
            }
    }
    for (; id < events; ++id) { /* the free list */
        le_put32(next + (size_t)id * 4u, id + 1u < events ? id + 1u : SYNAPSES_NO_EVENT);
        le_put32(target + (size_t)id * 4u, 0);
        le_putf(g + (size_t)id * 4u, 0.0f);
    }
}

/* The file's lists (checked by check_ring) into the table's buckets, each
 * slot's spikes enqueued oldest first so that they arrive newest first, as
 * the list orders them. False: out of memory. */
static bool
take_ring(synapse_table *t, const uint8_t *p, uint32_t in_flight)
{
    const uint32_t events = t->ev_capacity;
    const uint8_t *heads = p, *next = heads + (size_t)SYNAPSES_SLOTS * 4u;
    const uint8_t *target = next + (size_t)events * 4u, *g = target + (size_t)events * 4u;
    uint32_t *order = malloc((in_flight ? in_flight : 1u) * sizeof *order);
    if (!order)
        return false;
    synapses_ring_empty(t);
    for (uint32_t s = 0; s < SYNAPSES_SLOTS; ++s) {
        uint32_t len = 0;
        for (uint32_t e = le_get32(heads + (size_t)s * 4u);
             e != SYNAPSES_NO_EVENT && len < in_flight;
             e = le_get32(next + (size_t)e * 4u))
            order[len++] = e;
        while (len-- > 0)
            synapses_enqueue(t, s, le_get32(target + (size_t)order[len] * 4u),
                             le_getf(g + (size_t)order[len] * 4u));
    }
    free(order);
    return true;
}

bool
synapse_state_format(const synapse_table *t, uint8_t **data, size_t *size)
{
    const size_t total =
        state_size(t->n, t->count, t->ev_capacity, SYNAPSE_STATE_VERSION);
    uint8_t *b = malloc(total);
    if (!b)
        return false;
    memset(b, ' ', HEADER);
    char line[HEADER];
    int len = snprintf(line, sizeof line, "%s %d seed=%llu neurons=%u connectivity=%.9g synapses=%u",
                       TITLE, SYNAPSE_STATE_VERSION, (unsigned long long)t->seed, t->n,
                       (double)t->p, t->count);
    memcpy(b, line, (size_t)len < HEADER - 1 ? (size_t)len : HEADER - 1);
    b[HEADER - 1] = '\n';
    cursor c = {.p = b + HEADER};
    put64(&c, t->step);
    putd(&c, t->t_ms);
    putd(&c, t->reward_ms);
    /* the free list */
    put32(&c, t->in_flight < t->ev_capacity ? t->in_flight : SYNAPSES_NO_EVENT);
    put32(&c, t->in_flight);
    put64(&c, t->events_dropped);
    put64(&c, t->delays_clamped);
    for (uint32_t s = 0; s < t->count; ++s)
        putf(&c, t->weight[s].w);
    for (uint32_t s = 0; s < t->count; ++s)
        putf(&c, t->dist_mm[s]);
    for (uint32_t s = 0; s < t->count; ++s)
        putf(&c, t->weight[s].elig);
    const float *traces[] = {t->r1, t->r2, t->o1, t->o2};
    for (int a = 0; a < 4; ++a)
        for (uint32_t i = 0; i < t->n; ++i)
            putf(&c, traces[a][i]);
    for (uint32_t i = 0; i < t->n; ++i)
        putd(&c, t->t_pre[i]);
    for (uint32_t i = 0; i < t->n; ++i)
        putd(&c, t->t_post[i]);
    put_ring(t, c.p);
    uint8_t *tail = b + total - TAIL;
    le_put32(tail, t->elig_age);
    le_put32(tail + 4, (uint32_t)t->frame_valid);
    le_putd(tail + 8, t->frame_valid ? t->frame_ms : 0.0);
    le_putf(tail + 16, t->frame_valid ? t->frame_tau_plus : 0.0f);
    le_putf(tail + 20, t->frame_valid ? t->frame_tau_minus : 0.0f);
    *data = b;
    *size = total;
    return true;
}

static bool
fail(char *err, size_t len, const char *msg)
{
    snprintf(err, len, "%s", msg);
    return false;
}

/* Follow one list from `first` through next[]: every entry new. Returns
 * the entries walked, or UINT32_MAX if one is out of range or seen. */
static uint32_t
walk(uint32_t first, const uint8_t *next_bytes, uint32_t events, uint8_t *seen)
{
    uint32_t walked = 0;
    for (uint32_t e = first; e != SYNAPSES_NO_EVENT;) {
        if (e >= events || seen[e])
            return UINT32_MAX;
        seen[e] = 1;
        walked++;
        cursor c = {.q = next_bytes + (size_t)e * 4u};
        e = get32(&c);
    }
    return walked;
}

/* The ring's lists: the slots' lists hold in_flight entries, the free list
 * the rest, no entry twice, every target inside the network. */
static bool
check_ring(const synapse_table *t, const uint8_t *heads, uint32_t ev_free, uint32_t in_flight,
           char *err, size_t err_len)
{
    const uint32_t events = t->ev_capacity;
    const uint8_t *next = heads + (size_t)SYNAPSES_SLOTS * 4u;
    const uint8_t *target = next + (size_t)events * 4u, *g = target + (size_t)events * 4u;
    uint8_t *seen = calloc(events ? events : 1, 1);
    if (!seen)
        return fail(err, err_len, "out of memory");
    uint64_t flying = 0;
    bool ok = true;
    for (uint32_t s = 0; ok && s < SYNAPSES_SLOTS; ++s) {
        cursor c = {.q = heads + (size_t)s * 4u};
        uint32_t first = get32(&c), walked = walk(first, next, events, seen);
        ok = walked != UINT32_MAX;
        for (uint32_t e = first; ok && e != SYNAPSES_NO_EVENT;) {
            cursor ct = {.q = target + (size_t)e * 4u}, cg = {.q = g + (size_t)e * 4u},
                   cn = {.q = next + (size_t)e * 4u};
            uint32_t tg = get32(&ct);
            float amount = getf(&cg);
            if ((tg & POST_MASK) >= t->n || (tg >> GROUP_SHIFT) > 2u || !isfinite(amount)) {
                free(seen);
                snprintf(err, err_len, "a spike in flight (entry %u) is not one of this network's",
                         e);
                return false;
            }
            e = get32(&cn);
        }
        flying += ok ? walked : 0;
    }
    uint32_t spare = ok ? walk(ev_free, next, events, seen) : UINT32_MAX;
    free(seen);
    if (!ok || spare == UINT32_MAX || flying != in_flight || flying + spare != events)
        return fail(err, err_len,
                    "the spikes in flight do not form the ring's lists (damaged file)");
    return true;
}

bool
synapse_state_parse(synapse_table *t, const uint8_t *data, size_t size, float w_limit,
                    char *err, size_t err_len)
{
    if (size < HEADER || memcmp(data, TITLE " ", sizeof TITLE) != 0)
        return fail(err, err_len, "not a Hillock state file (no 'hillock-synapse-state' header)");
    char line[HEADER + 1];
    memcpy(line, data, HEADER);
    line[HEADER] = '\0';
    int version = 0;
    unsigned long long seed = 0;
    unsigned neurons = 0, count = 0;
    float p = 0.0f;
    if (sscanf(line, TITLE " %d", &version) != 1)
        return fail(err, err_len, "the state file's header has no version");
    if (version < 1 || version > SYNAPSE_STATE_VERSION) {
        snprintf(err, err_len, "state file version %d; this Hillock reads versions 1 to %d",
                 version, SYNAPSE_STATE_VERSION);
        return false;
    }
    if (sscanf(line, TITLE " %*d seed=%llu neurons=%u connectivity=%g synapses=%u", &seed,
               &neurons, &p, &count) != 4)
        return fail(err, err_len, "the state file's header does not give the wiring");
    if (seed != t->seed || neurons != t->n || p != t->p || count != t->count) {
        snprintf(err, err_len,
                 "a state of another wiring (seed %llu, %u neurons, connectivity %g, %u "
                 "synapses); this network is seed %llu, %u neurons, connectivity %g, %u synapses",
                 seed, neurons, (double)p, count, (unsigned long long)t->seed, t->n, (double)t->p,
                 t->count);
        return false;
    }
    const size_t want = state_size(t->n, t->count, t->ev_capacity, version);
    if (size != want) {
        snprintf(err, err_len, "%s: %zu bytes where %zu were expected",
                 size < want ? "truncated" : "trailing data", size, want);
        return false;
    }
    cursor c = {.q = data + HEADER};
    const uint64_t step = get64(&c);
    const double t_ms = getd(&c), reward_ms = getd(&c);
    const uint32_t ev_free = get32(&c), in_flight = get32(&c);
    const uint64_t dropped = get64(&c), clamped = get64(&c);
    if (!isfinite(t_ms) || !isfinite(reward_ms))
        return fail(err, err_len, "the table's clock is not a number");
    const uint8_t *arrays = c.q;
    for (uint32_t s = 0; s < t->count; ++s) {
        float w = getf(&c);
        if (!isfinite(w) || w < 0.0f || w > w_limit) {
            snprintf(err, err_len, "synapse %u: weight %g is not a number in [0, %g]", s,
                     (double)w, (double)w_limit);
            return false;
        }
    }
    for (uint32_t s = 0; s < 2 * t->count; ++s) {
        float v = getf(&c);
        if (!isfinite(v) || (s < t->count && v < 0.0f)) {
            snprintf(err, err_len, "synapse %u: %s %g is not a number%s", s % t->count,
                     s < t->count ? "axon length" : "eligibility", (double)v,
                     s < t->count ? " >= 0" : "");
            return false;
        }
    }
    for (uint32_t i = 0; i < 4 * t->n; ++i) {
        float v = getf(&c);
        if (!isfinite(v) || v < 0.0f)
            return fail(err, err_len, "an STDP trace is not a finite number >= 0");
    }
    for (uint32_t i = 0; i < 2 * t->n; ++i)
        if (!isfinite(getd(&c)))
            return fail(err, err_len, "a spike time is not a number");
    if (!check_ring(t, c.q, ev_free, in_flight, err, err_len))
        return false;
    const uint8_t *tail = data + size - (version >= 3 ? TAIL : TAIL_2);
    const uint32_t elig_age = version >= 2 ? le_get32(tail) : 0u;
    if (elig_age >= SYNAPSES_ELIG_FRAME_STEPS)
        return fail(err, err_len, "the eligibility's frame is older than its span");
    const uint32_t frame_valid = version >= 3 ? le_get32(tail + 4) : 0u;
    const double frame_ms = frame_valid ? le_getd(tail + 8) : 0.0;
    const float tau_plus = frame_valid ? le_getf(tail + 16) : 0.0f;
    const float tau_minus = frame_valid ? le_getf(tail + 20) : 0.0f;
    if (frame_valid > 1u ||
        (frame_valid && !(isfinite(frame_ms) && tau_plus > 0.0f && isfinite(tau_plus) &&
                          tau_minus > 0.0f && isfinite(tau_minus))))
        return fail(err, err_len, "the STDP traces' frame is not a valid one");

    /* everything checked: take it */
    if (!take_ring(t, c.q, in_flight))
        return fail(err, err_len, "out of memory");
    t->step = step;
    t->t_ms = t_ms;
    t->reward_ms = reward_ms;
    t->events_dropped = dropped;
    t->delays_clamped = clamped;
    synapses_set_elig_age(t, elig_age);
    c.q = arrays;
    for (uint32_t s = 0; s < t->count; ++s)
        t->weight[s].w = getf(&c);
    for (uint32_t s = 0; s < t->count; ++s)
        t->dist_mm[s] = getf(&c);
    for (uint32_t s = 0; s < t->count; ++s)
        t->weight[s].elig = getf(&c);
    float *traces[] = {t->r1, t->r2, t->o1, t->o2};
    for (int a = 0; a < 4; ++a)
        for (uint32_t i = 0; i < t->n; ++i)
            traces[a][i] = getf(&c);
    for (uint32_t i = 0; i < t->n; ++i)
        t->t_pre[i] = getd(&c);
    for (uint32_t i = 0; i < t->n; ++i)
        t->t_post[i] = getd(&c);
    t->frame_valid = (int)frame_valid;
    t->frame_ms = frame_ms;
    t->frame_tau_plus = tau_plus;
    t->frame_tau_minus = tau_minus;
    if (frame_valid)
        synapses_frame_rebuild(t);
    t->resume = 1;
    return true;
}
