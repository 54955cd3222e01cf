/* state_io.h — one walk over a module's running state that writes it to
 * bytes, checks bytes for it, or reads bytes into it.
 *
 * Each stateful module lists its state once, in one function
 * (`voices_state`, `limiter_state`, ...), as calls to the field functions
 * below in a fixed order; the same function then saves, checks and loads,
 * so the three can never disagree. Fields are little-endian (le_bytes.h).
 * How many values a field holds may depend on the configuration (the bank's
 * neurons, the sample rate), never on the values saved, except through
 * state_count. A check reads and validates without storing anything, so a
 * load can check everything first and change nothing on a bad file
 * (engine_snapshot.c). Free of I/O. */
#ifndef HILLOCK_STATE_IO_H
#define HILLOCK_STATE_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { STATE_SAVE, STATE_CHECK, STATE_LOAD } state_mode;

typedef struct {
    state_mode mode;
    uint8_t *out;          /* STATE_SAVE: grown as it goes (free it) */
    size_t cap;
    const uint8_t *in;     /* STATE_CHECK, STATE_LOAD */
    size_t pos, end;       /* the next byte; the section's end (check, load) */
    const char *section;   /* for messages */
    bool failed;           /* the first failure's reason is in err */
    char err[256];
} state_io;

/* A field the format keeps but the engine no longer reads (scratch saved by
 * earlier versions): n floats written as zeros, and passed over, whatever
 * they hold, when checking or loading */
void state_unused_f32(state_io *s, const char *what, size_t n);
/* Any value, NaN and infinities included (a value's meaning may be "none") */
void state_f32(state_io *s, const char *what, float *p, size_t n);
void state_f64(state_io *s, const char *what, double *p, size_t n);
/* Finite values only: a file with anything else is refused */
void state_f32_finite(state_io *s, const char *what, float *p, size_t n);
void state_f64_finite(state_io *s, const char *what, double *p, size_t n);
/* Finite values that ok(ctx, i, value) accepts (value i of the field) */
typedef bool (*state_valid)(const void *ctx, size_t i, float v);
void state_f32_valid(state_io *s, const char *what, float *p, size_t n, state_valid ok,
                     const void *ctx);
void state_u8(state_io *s, const char *what, uint8_t *p, size_t n);
void state_u16(state_io *s, const char *what, uint16_t *p, size_t n);
void state_u32(state_io *s, const char *what, uint32_t *p, size_t n);
/* Indices: each below limit, or exactly `none` */
void state_u16_index(state_io *s, const char *what, uint16_t *p, size_t n, uint16_t limit,
                     uint16_t none);
void state_u64(state_io *s, const char *what, uint64_t *p, size_t n);
/* Values used as indices or counts: each at most max */
void state_u32_max(state_io *s, const char *what, uint32_t *p, size_t n, uint32_t max);
void state_int(state_io *s, const char *what, int *p, size_t n, int lo, int hi);
void state_bool(state_io *s, const char *what, bool *p, size_t n);

/* A variable count (entries of a ring in use): saves `live`; checking or
 * loading returns the count read, at most max (0 after a failure). */
uint32_t state_count(state_io *s, const char *what, uint32_t live, uint32_t max);

/* Fail with a reason of the module's own (a value out of its range). */
void state_fail(state_io *s, const char *what, const char *why);

#endif
