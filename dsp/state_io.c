/* state_io.c — the field functions of state_io.h. */
#include "state_io.h"

#include "le_bytes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
state_fail(state_io *s, const char *what, const char *why)
{
    if (s->failed)
        return;
    s->failed = true;
    snprintf(s->err, sizeof s->err, "section '%s': %s %s", s->section ? s->section : "?", what,
             why);
}

/* Room for `bytes` more: grown when saving, there when checking or loading;
 * NULL after a failure. */
static uint8_t *
take(state_io *s, const char *what, size_t bytes)
{
    if (s->failed)
        return NULL;
    if (s->mode == STATE_SAVE) {
        if (s->pos + bytes > s->cap) {
            size_t cap = s->cap ? s->cap : 4096;
            while (cap < s->pos + bytes)
                cap *= 2;
            uint8_t *grown = realloc(s->out, cap);
            if (!grown) {
                s->failed = true;
                snprintf(s->err, sizeof s->err, "out of memory");
                return NULL;
            }
            s->out = grown;
            s->cap = cap;
        }
        uint8_t *p = s->out + s->pos;
        s->pos += bytes;
        return p;
    }
    if (bytes > s->end - s->pos) {
        state_fail(s, what, "is cut short: the section ends before it (damaged file)");
        return NULL;
    }
    const uint8_t *p = s->in + s->pos;
    s->pos += bytes;
    return (uint8_t *)p; /* read only */
}

static void
bad_value(state_io *s, const char *what, size_t i, const char *why)
{
    char msg[96];
    snprintf(msg, sizeof msg, "(value %zu) %s", i, why);
    state_fail(s, what, msg);
}

/* floats (size 4) or doubles (size 8); a float also passes ok, if any */
static void
reals(state_io *s, const char *what, void *p, size_t n, size_t size, bool finite,
      state_valid ok, const void *ctx)
{
    uint8_t *b = take(s, what, size * n);
    float *f = p;
    double *d = p;
    for (size_t i = 0; b && i < n; ++i, b += size) {
        if (s->mode == STATE_SAVE) {
            if (size == 4)
                le_putf(b, f[i]);
            else
                le_putd(b, d[i]);
            continue;
        }
        /* the bits as saved, never through a conversion (a NaN keeps its payload) */
        const float fv = size == 4 ? le_getf(b) : 0.0f;
        const double dv = size == 8 ? le_getd(b) : 0.0;
        if (finite && !(size == 4 ? isfinite(fv) : isfinite(dv)))
            return bad_value(s, what, i, "is not a finite number");
        if (ok && !ok(ctx, i, fv))
            return bad_value(s, what, i, "is out of its range");
        if (s->mode == STATE_LOAD && size == 4)
            f[i] = fv;
        else if (s->mode == STATE_LOAD)
            d[i] = dv;
    }
}

void
state_f32(state_io *s, const char *what, float *p, size_t n)
{
    reals(s, what, p, n, 4, false, NULL, NULL);
}

void
state_f32_finite(state_io *s, const char *what, float *p, size_t n)
{
    reals(s, what, p, n, 4, true, NULL, NULL);
}

void
state_f32_valid(state_io *s, const char *what, float *p, size_t n, state_valid ok,
                const void *ctx)
{
    reals(s, what, p, n, 4, true, ok, ctx);
}

void
state_unused_f32(state_io *s, const char *what, size_t n)
{
    uint8_t *b = take(s, what, 4u * n);
    if (b && s->mode == STATE_SAVE)
        memset(b, 0, 4u * n); /* +0.0f, little-endian or not */
}

void
state_f64(state_io *s, const char *what, double *p, size_t n)
{
    reals(s, what, p, n, 8, false, NULL, NULL);
}

void
state_f64_finite(state_io *s, const char *what, double *p, size_t n)
{
    reals(s, what, p, n, 8, true, NULL, NULL);
}

void
state_u8(state_io *s, const char *what, uint8_t *p, size_t n)
{
    uint8_t *b = take(s, what, n);
    for (size_t i = 0; b && i < n; ++i)
        if (s->mode == STATE_SAVE)
            b[i] = p[i];
        else if (s->mode == STATE_LOAD)
            p[i] = b[i];
}

/* 16- or 32-bit unsigned values, each at most max or exactly `none` */
static void
unsigned_ints(state_io *s, const char *what, void *p, size_t n, size_t size, uint32_t max,
              uint32_t none)
{
    uint8_t *b = take(s, what, size * n);
    uint16_t *h = p;
    uint32_t *w = p;
    for (size_t i = 0; b && i < n; ++i, b += size) {
        if (s->mode == STATE_SAVE) {
            uint32_t v = size == 2 ? h[i] : w[i];
            for (size_t k = 0; k < size; ++k)
                b[k] = (uint8_t)(v >> (8 * k));
            continue;
        }
        const uint32_t v = size == 2 ? (uint32_t)(b[0] | b[1] << 8) : le_get32(b);
        if (v > max && v != none) {
            char why[64];
            snprintf(why, sizeof why, "is %u, beyond its range (at most %u)", v, max);
            return bad_value(s, what, i, why);
        }
        if (s->mode == STATE_LOAD && size == 2)
            h[i] = (uint16_t)v;
        else if (s->mode == STATE_LOAD)
            w[i] = v;
    }
}

void
state_u16(state_io *s, const char *what, uint16_t *p, size_t n)
{
    unsigned_ints(s, what, p, n, 2, UINT16_MAX, UINT16_MAX);
}

void
state_u16_index(state_io *s, const char *what, uint16_t *p, size_t n, uint16_t limit,
                uint16_t none)
{
    unsigned_ints(s, what, p, n, 2, limit - 1u, none);
}

void
state_u32_max(state_io *s, const char *what, uint32_t *p, size_t n, uint32_t max)
{
    unsigned_ints(s, what, p, n, 4, max, max);
}

void
state_u32(state_io *s, const char *what, uint32_t *p, size_t n)
{
    state_u32_max(s, what, p, n, UINT32_MAX);
}

void
state_u64(state_io *s, const char *what, uint64_t *p, size_t n)
{
    uint8_t *b = take(s, what, 8 * n);
    for (size_t i = 0; b && i < n; ++i, b += 8)
        if (s->mode == STATE_SAVE)
            le_put64(b, p[i]);
        else if (s->mode == STATE_LOAD)
            p[i] = le_get64(b);
}

void
state_int(state_io *s, const char *what, int *p, size_t n, int lo, int hi)
{
    uint8_t *b = take(s, what, 4 * n);
    for (size_t i = 0; b && i < n; ++i, b += 4) {
        if (s->mode == STATE_SAVE) {
            le_put32(b, (uint32_t)p[i]);
            continue;
        }
        int v = (int)(int32_t)le_get32(b);
        if (v < lo || v > hi) {
            char why[64];
            snprintf(why, sizeof why, "is %d, outside %d .. %d", v, lo, hi);
            return bad_value(s, what, i, why);
        }
        if (s->mode == STATE_LOAD)
            p[i] = v;
    }
}

void
state_bool(state_io *s, const char *what, bool *p, size_t n)
{
    uint8_t *b = take(s, what, n);
    for (size_t i = 0; b && i < n; ++i) {
        if (s->mode == STATE_SAVE) {
            b[i] = p[i] ? 1 : 0;
            continue;
        }
        if (b[i] > 1)
            return bad_value(s, what, i, "is neither 0 nor 1");
        if (s->mode == STATE_LOAD)
            p[i] = b[i] != 0;
    }
}

uint32_t
state_count(state_io *s, const char *what, uint32_t live, uint32_t max)
{
    uint32_t v = live;
    if (s->mode == STATE_SAVE) {
        state_u32(s, what, &v, 1);
        return live;
    }
    /* read into v whether checking or loading: the count drives the walk */
    const state_mode mode = s->mode;
    s->mode = STATE_LOAD;
    state_u32_max(s, what, &v, 1, max);
    s->mode = mode;
    return s->failed ? 0u : v;
}
