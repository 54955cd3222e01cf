/* automation_table.c — the plain-text form of automation (automation.h):
 * one breakpoint per line, `time_s,symbol,value[,curve]`. */
#include "automation.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 4
#define FIELD_LEN 128

/* Split [p, end) at commas into trimmed fields; returns how many (more than
 * MAX_FIELDS counts as MAX_FIELDS + 1), or -1 if a field is too long. */
static int
split_fields(const char *p, const char *end, char fields[MAX_FIELDS][FIELD_LEN])
{
    int n = 0;
    for (;;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        const char *b = p, *e = stop;
        while (b < e && isspace((unsigned char)*b))
            ++b;
        while (e > b && isspace((unsigned char)e[-1]))
            --e;
        if (n == MAX_FIELDS)
            return MAX_FIELDS + 1;
        if ((size_t)(e - b) >= FIELD_LEN)
            return -1;
        memcpy(fields[n], b, (size_t)(e - b));
        fields[n][e - b] = '\0';
        ++n;
        if (!comma)
            return n;
        p = comma + 1;
    }
}

static bool
is_header(char fields[MAX_FIELDS][FIELD_LEN], int n)
{
    return n >= 3 && strcmp(fields[0], "time_s") == 0 && strcmp(fields[1], "symbol") == 0 &&
           strcmp(fields[2], "value") == 0 && (n == 3 || strcmp(fields[3], "curve") == 0);
}

static bool
parse_row(automation *a, char fields[MAX_FIELDS][FIELD_LEN], int n, uint32_t line, char *err,
          size_t err_len)
{
    if (n < 3 || n > MAX_FIELDS) {
        snprintf(err, err_len, "line %u: expected time_s,symbol,value[,curve], found %s%d fields",
                 line, n > MAX_FIELDS ? "more than " : "", n > MAX_FIELDS ? MAX_FIELDS : n);
        return false;
    }
    char *end = NULL;
    double t = strtod(fields[0], &end);
    if (end == fields[0] || *end != '\0' || !isfinite(t) || t < 0.0) {
        snprintf(err, err_len, "line %u: time '%s' is not a number of seconds from 0", line,
                 fields[0]);
        return false;
    }
    int id = param_find(fields[1]);
    if (id < 0) {
        snprintf(err, err_len, "line %u: unknown parameter '%s' (`hillock params` lists them)",
                 line, fields[1]);
        return false;
    }
    char why[384];
    float value;
    if (!param_parse((param_id)id, fields[2], &value, why, sizeof why)) {
        snprintf(err, err_len, "line %u: %s", line, why);
        return false;
    }
    automation_curve curve = AUTOMATION_STEP;
    if (n == 4 && !automation_curve_parse(fields[3], &curve)) {
        snprintf(err, err_len, "line %u: unknown curve '%s' (step, linear or exp)", line,
                 fields[3]);
        return false;
    }
    return automation_add(a, (param_id)id, t, value, curve, line, err, err_len);
}

bool
automation_parse_table(automation *a, const char *text, size_t len, char *err, size_t err_len)
{
    const char *p = text, *end = text + len;
    uint32_t line = 0;
    bool first_row = true;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        ++line;
        const char *e = stop;
        if (e > p && e[-1] == '\r')
            --e;
        const char *b = p;
        p = nl ? nl + 1 : end;
        while (b < e && isspace((unsigned char)*b))
            ++b;
        if (b == e || *b == '#')
            continue;
        if (memchr(b, '\0', (size_t)(e - b))) {
            snprintf(err, err_len, "line %u: a NUL byte (not a text table)", line);
            return false;
        }
        char fields[MAX_FIELDS][FIELD_LEN];
        int n = split_fields(b, e, fields);
        if (n < 0) {
            snprintf(err, err_len, "line %u: a field longer than %d characters", line,
                     FIELD_LEN - 1);
            return false;
        }
        if (first_row && is_header(fields, n)) {
            first_row = false;
            continue;
        }
        first_row = false;
        if (!parse_row(a, fields, n, line, err, err_len))
            return false;
    }
    if (automation_lanes(a) == 0) {
        snprintf(err, err_len, "no rows (expected lines time_s,symbol,value[,curve])");
        return false;
    }
    return true;
}
