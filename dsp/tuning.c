/* tuning.c — Scala .scl / .kbm parsing and key frequencies (tuning.h).
 *
 * Numbers are read by hand, not with strtod/strtol: a host may have set a
 * locale whose decimal separator is a comma, and the formats use '.'. */
#include "tuning.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Walks a text line by line, skipping '!' comment lines. */
typedef struct {
    const char *p, *end;
    unsigned line; /* 1-based number of the line last returned */
} line_reader;

/* The next line that is not a comment, without its end of line ("\n" or
 * "\r\n"). False at the end of the text. */
static bool
next_line(line_reader *r, const char **start, size_t *len)
{
    while (r->p < r->end) {
        const char *s = r->p;
        const char *nl = memchr(s, '\n', (size_t)(r->end - s));
        const char *e = nl ? nl : r->end;
        r->p = nl ? nl + 1 : r->end;
        r->line++;
        if (e > s && e[-1] == '\r')
            --e;
        if (e > s && s[0] == '!')
            continue;
        *start = s;
        *len = (size_t)(e - s);
        return true;
    }
    return false;
}

static bool
fail(char *err, size_t err_size, const char *fmt, ...)
{
    if (err && err_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, err_size, fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t';
}

static const char *
skip_space(const char *s, const char *e)
{
    while (s < e && is_space(*s))
        ++s;
    return s;
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Digits at *s as a whole number (at most 2^53, exact in a double).
 * Advances *s; false if there is no digit or it is too large. */
static bool
read_whole(const char **s, const char *e, double *out)
{
    const char *p = *s;
    double v = 0.0;
    while (p < e && is_digit(*p)) {
        v = v * 10.0 + (*p - '0');
        if (v > 9007199254740992.0)
            return false;
        ++p;
    }
    if (p == *s)
        return false;
    *s = p;
    *out = v;
    return true;
}

/* [+-]digits[.digits] (one digit at least). Advances *s. */
static bool
read_decimal(const char **s, const char *e, double *out)
{
    const char *p = *s;
    double sign = 1.0;
    if (p < e && (*p == '-' || *p == '+'))
        sign = *p++ == '-' ? -1.0 : 1.0;
    double whole = 0.0, frac = 0.0, scale = 1.0;
    bool digits = false;
    while (p < e && is_digit(*p)) {
        whole = whole * 10.0 + (*p++ - '0');
        digits = true;
    }
    if (p < e && *p == '.') {
        ++p;
        while (p < e && is_digit(*p)) {
            if (scale > 1e-300) {
                scale *= 0.1;
                frac += (*p - '0') * scale;
            }
            ++p;
            digits = true;
        }
    }
    if (!digits || !isfinite(whole))
        return false;
    *s = p;
    *out = sign * (whole + frac);
    return true;
}

/* A line holding one whole number and nothing else but spaces. */
static bool
read_integer_line(const char *s, size_t len, long *out)
{
    const char *e = s + len;
    s = skip_space(s, e);
    bool neg = s < e && *s == '-';
    if (s < e && (*s == '-' || *s == '+'))
        ++s;
    double v;
    if (!read_whole(&s, e, &v) || v > 2147483647.0)
        return false;
    if (skip_space(s, e) != e)
        return false;
    *out = neg ? -(long)v : (long)v;
    return true;
}

/* One pitch line: cents if the value holds a '.', else a ratio. Anything
 * after the value is ignored, as the format says. */
static bool
read_pitch(const char *s, size_t len, double *cents, char *err, size_t err_size,
           unsigned line)
{
    const char *e = s + len;
    s = skip_space(s, e);
    const char *t = s;
    while (t < e && !is_space(*t))
        ++t;
    if (s == t)
        return fail(err, err_size, "line %u: a pitch is missing (empty line)", line);
    if (memchr(s, '.', (size_t)(t - s))) {
        const char *p = s;
        double c;
        if (!read_decimal(&p, t, &c))
            return fail(err, err_size, "line %u: '%.*s' is not a value in cents", line,
                        (int)(t - s), s);
        *cents = c;
        return true;
    }
    const char *p = s;
    if (p < t && *p == '-')
        return fail(err, err_size, "line %u: negative ratio '%.*s'", line, (int)(t - s), s);
    if (p < t && *p == '+')
        ++p;
    double num, den = 1.0;
    if (!read_whole(&p, t, &num))
        return fail(err, err_size, "line %u: '%.*s' is neither cents nor a ratio", line,
                    (int)(t - s), s);
    if (p < t && *p == '/') {
        ++p;
        if (p < t && *p == '-')
            return fail(err, err_size, "line %u: negative ratio '%.*s'", line, (int)(t - s),
                        s);
        if (!read_whole(&p, t, &den))
            return fail(err, err_size, "line %u: '%.*s' has no denominator", line,
                        (int)(t - s), s);
    }
    if (num <= 0.0 || den <= 0.0)
        return fail(err, err_size, "line %u: ratio '%.*s' is not positive", line,
                    (int)(t - s), s);
    *cents = 1200.0 * log2(num / den);
    return true;
}

bool
tuning_parse_scl(const char *text, size_t len, tuning_scale *out, char *err, size_t err_size)
{
    line_reader r = {text, text + len, 0};
    const char *s;
    size_t n;
    if (!text || !next_line(&r, &s, &n))
        return fail(err, err_size, "empty file: no description line");
    size_t keep = n < TUNING_DESCRIPTION_MAX - 1 ? n : TUNING_DESCRIPTION_MAX - 1;
    memcpy(out->description, s, keep);
    out->description[keep] = '\0';
    if (!next_line(&r, &s, &n))
        return fail(err, err_size, "line %u: the number of notes is missing", r.line + 1);
    long count;
    if (!read_integer_line(s, n, &count) || count < 0)
        return fail(err, err_size, "line %u: '%.*s' is not a number of notes", r.line,
                    (int)(n > 40 ? 40 : n), s);
    if (count > (long)TUNING_MAX_NOTES)
        return fail(err, err_size, "line %u: %ld notes, at most %u are read", r.line, count,
                    TUNING_MAX_NOTES);
    for (long i = 0; i < count; ++i) {
        if (!next_line(&r, &s, &n))
            return fail(err, err_size, "the file ends after %ld of its %ld pitches", i, count);
        if (!read_pitch(s, n, &out->cents[i], err, err_size, r.line))
            return false;
    }
    out->count = (uint32_t)count;
    return true;
}

bool
tuning_parse_kbm(const char *text, size_t len, tuning_keymap *out, char *err,
                 size_t err_size)
{
    static const char *const fields[] = {
        "map size", "first note", "last note", "middle note", "reference note",
        "reference frequency", "formal octave degree",
    };
    line_reader r = {text, text + len, 0};
    long v[7] = {0};
    double hz = 0.0;
    for (int f = 0; f < 7; ++f) {
        const char *s;
        size_t n;
        if (!text || !next_line(&r, &s, &n))
            return fail(err, err_size, "the %s is missing", fields[f]);
        if (f == 5) {
            const char *e = s + n, *p = skip_space(s, e);
            if (!read_decimal(&p, e, &hz) || skip_space(p, e) != e)
                return fail(err, err_size, "line %u: '%.*s' is not a frequency", r.line,
                            (int)(n > 40 ? 40 : n), s);
            if (!(hz > 0.0) || !isfinite(hz))
                return fail(err, err_size, "line %u: the reference frequency must be above 0 Hz",
                            r.line);
            continue;
        }
        if (!read_integer_line(s, n, &v[f]))
            return fail(err, err_size, "line %u: the %s '%.*s' is not a whole number", r.line,
                        fields[f], (int)(n > 40 ? 40 : n), s);
        bool key = f >= 1 && f <= 4;
        if (key && (v[f] < 0 || v[f] > 127))
            return fail(err, err_size, "line %u: the %s %ld is not a MIDI note (0..127)",
                        r.line, fields[f], v[f]);
        if (!key && v[f] < 0)
            return fail(err, err_size, "line %u: the %s is negative", r.line, fields[f]);
    }
    if (v[0] > (long)TUNING_MAX_MAP)
        return fail(err, err_size, "map size %ld, at most %u are read", v[0], TUNING_MAX_MAP);
    if (v[1] > v[2])
        return fail(err, err_size, "the first note %ld is above the last %ld", v[1], v[2]);
    out->size = (uint32_t)v[0];
    out->first = (int32_t)v[1];
    out->last = (int32_t)v[2];
    out->middle = (int32_t)v[3];
    out->reference = (int32_t)v[4];
    out->reference_hz = hz;
    out->octave_degree = (uint32_t)v[6];
    for (uint32_t i = 0; i < out->size; ++i)
        out->map[i] = TUNING_UNMAPPED;
    const char *s;
    size_t n;
    uint32_t entries = 0;
    while (next_line(&r, &s, &n)) {
        const char *e = s + n, *p = skip_space(s, e);
        if (p == e)
            continue; /* trailing blank lines */
        if (entries >= out->size)
            return fail(err, err_size, "line %u: more mapping entries than the map size %u",
                        r.line, out->size);
        const char *t = p;
        while (t < e && !is_space(*t))
            ++t;
        double deg;
        if (t - p == 1 && (*p == 'x' || *p == 'X')) {
            out->map[entries++] = TUNING_UNMAPPED;
        } else if (read_whole(&p, t, &deg) && p == t && deg <= 2147483647.0) {
            out->map[entries++] = (int32_t)deg;
        } else {
            return fail(err, err_size, "line %u: '%.*s' is neither a scale degree nor 'x'",
                        r.line, (int)(t - p > 40 ? 40 : t - p), p);
        }
    }
    if (out->size) {
        long o = (long)out->reference - out->middle;
        long m = (long)out->size;
        long i = ((o % m) + m) % m;
        if (out->map[i] == TUNING_UNMAPPED)
            return fail(err, err_size, "the reference note %d is unmapped ('x' or missing)",
                        out->reference);
    }
    return true;
}

void
tuning_scale_equal12(tuning_scale *s)
{
    memset(s->description, 0, sizeof s->description);
    strcpy(s->description, "12-tone equal temperament");
    s->count = 12;
    for (uint32_t i = 0; i < 12; ++i)
        s->cents[i] = 100.0 * (i + 1);
}

void
tuning_keymap_default(tuning_keymap *k)
{
    k->size = 0;
    k->first = 0;
    k->last = 127;
    k->middle = 60;
    k->reference = 60;
    k->reference_hz = TUNING_MIDDLE_C_HZ;
    k->octave_degree = 0;
}

static long
floor_div(long a, long b)
{
    long q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Pitches after 1/1 in scale s (NULL: 12-tone equal). */
static long
scale_count(const tuning_scale *s)
{
    return s ? (long)s->count : 12;
}

/* Cents of scale degree d (any integer): degrees wrap by the period. */
static double
degree_cents(const tuning_scale *s, long d)
{
    if (!s)
        return 100.0 * (double)d;
    if (s->count == 0)
        return 0.0; /* only the implicit 1/1 */
    long n = (long)s->count;
    long q = floor_div(d, n);
    long j = d - q * n;
    return (double)q * s->cents[n - 1] + (j ? s->cents[j - 1] : 0.0);
}

/* Cents of key k relative to degree 0 at the middle note; false if the
 * map leaves it unmapped. */
static bool
key_cents(const tuning_scale *s, const tuning_keymap *k, long key, double *cents)
{
    long o = key - k->middle;
    if (k->size == 0) {
        *cents = degree_cents(s, o);
        return true;
    }
    long m = (long)k->size;
    long pattern = floor_div(o, m);
    int32_t entry = k->map[o - pattern * m];
    if (entry == TUNING_UNMAPPED)
        return false;
    long octave = k->octave_degree ? (long)k->octave_degree : scale_count(s);
    *cents = (double)pattern * degree_cents(s, octave) + degree_cents(s, entry);
    return true;
}

void
tuning_build(const tuning_scale *scale, const tuning_keymap *keymap, double hz[TUNING_KEYS])
{
    /* constant: several engines may build at once */
    static const tuning_keymap standard = {
        .size = 0, .first = 0, .last = 127, .middle = 60, .reference = 60,
        .reference_hz = TUNING_MIDDLE_C_HZ, .octave_degree = 0,
    };
    if (!keymap)
        keymap = &standard;
    double ref = 0.0;
    if (!key_cents(scale, keymap, keymap->reference, &ref)) {
        /* the parser refuses such maps; a hand-made one sounds nothing */
        for (uint32_t key = 0; key < TUNING_KEYS; ++key)
            hz[key] = 0.0;
        return;
    }
    for (uint32_t key = 0; key < TUNING_KEYS; ++key) {
        double c;
        double f = 0.0;
        if ((int32_t)key >= keymap->first && (int32_t)key <= keymap->last &&
            key_cents(scale, keymap, (long)key, &c))
            f = keymap->reference_hz * exp2((c - ref) / 1200.0);
        hz[key] = isfinite(f) && f > 0.0 ? f : 0.0;
    }
}
