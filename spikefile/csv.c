/* csv.c — spikes as CSV or TSV text, a spike per line: `time_s,neuron`
 * (the format `hillock render --spikes` writes), an optional header naming
 * the columns. Opening reads the file through once to check every line
 * and keep a sparse index (a byte offset every CSV_INDEX_EVERY spikes), so
 * a seek reads at most that many lines and memory stays small however
 * long the recording. */
#include "spikefile_impl.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#define CSV_INDEX_EVERY 4096u
#define CSV_LINE_MAX 4096

typedef struct {
    off_t offset; /* of the line of spike k * CSV_INDEX_EVERY */
    double time_s;
} csv_mark;

typedef struct {
    FILE *file;
    char sep;
    int time_col, unit_col, n_cols_needed;
    off_t data_start;
    csv_mark *marks;
    size_t n_marks;
    double skip_before; /* after a seek: spikes before this are skipped */
    char line[CSV_LINE_MAX];
} csv_reader;

/* The n-th field of line (sep-separated), trimmed, into buf. */
static bool
field(const char *line, char sep, int n, char *buf, size_t len)
{
    const char *p = line;
    for (int i = 0; i < n; ++i) {
        p = strchr(p, sep);
        if (!p)
            return false;
        p++;
    }
    const char *end = strchr(p, sep);
    if (!end)
        end = p + strcspn(p, "\r\n");
    while (p < end && isspace((unsigned char)*p))
        p++;
    while (end > p && isspace((unsigned char)end[-1]))
        end--;
    size_t k = (size_t)(end - p);
    if (k >= len)
        k = len - 1;
    memcpy(buf, p, k);
    buf[k] = '\0';
    return true;
}

static bool
blank(const char *line)
{
    for (; *line; ++line)
        if (!isspace((unsigned char)*line))
            return *line == '#'; /* a comment counts as blank */
    return true;
}

typedef enum { LINE_OK, LINE_BAD } line_result;

/* A data line into a spike, or the reason it is not one. */
static line_result
parse_line(const csv_reader *r, const char *line, spikefile_spike *s, char *why, size_t len)
{
    char t[64], u[64];
    if (!field(line, r->sep, r->time_col, t, sizeof t) ||
        !field(line, r->sep, r->unit_col, u, sizeof u)) {
        snprintf(why, len, "missing column (a line needs time_s%cneuron)", r->sep);
        return LINE_BAD;
    }
    char *end;
    errno = 0;
    double time_s = strtod(t, &end);
    if (end == t || *end || !isfinite(time_s) || time_s < 0.0) {
        snprintf(why, len, "time '%s' is not a time in seconds >= 0", t);
        return LINE_BAD;
    }
    long unit = strtol(u, &end, 10);
    if (end == u || *end || unit < 0 || unit >= (long)SPIKEFILE_MAX_UNITS) {
        snprintf(why, len, "neuron '%s' is not a unit index 0..%u", u, SPIKEFILE_MAX_UNITS - 1u);
        return LINE_BAD;
    }
    s->time_s = time_s;
    s->unit = (uint32_t)unit;
    return LINE_OK;
}

/* The header line's columns, or the default (time_s, neuron) when the
 * first line is data. Returns false with the reason when a named column
 * is missing. */
static bool
read_header(csv_reader *r, const char *line, bool *is_header, char *why, size_t len)
{
    r->sep = strchr(line, '\t') ? '\t' : ',';
    char first[64];
    field(line, r->sep, 0, first, sizeof first);
    char *end;
    strtod(first, &end);
    r->time_col = 0;
    r->unit_col = 1;
    *is_header = end == first || *end;
    if (!*is_header)
        return true;
    r->time_col = r->unit_col = -1;
    char name[64];
    for (int c = 0; field(line, r->sep, c, name, sizeof name); ++c) {
        if (!strcasecmp(name, "time_s") || !strcasecmp(name, "time") ||
            !strcasecmp(name, "t") || !strcasecmp(name, "spike_time"))
            r->time_col = r->time_col < 0 ? c : r->time_col;
        else if (!strcasecmp(name, "neuron") || !strcasecmp(name, "unit") ||
                 !strcasecmp(name, "unit_id") || !strcasecmp(name, "id"))
            r->unit_col = r->unit_col < 0 ? c : r->unit_col;
    }
    if (r->time_col < 0 || r->unit_col < 0) {
        snprintf(why, len, "line 1: the header has no '%s' column (columns: time_s%cneuron)",
                 r->time_col < 0 ? "time_s" : "neuron", r->sep);
        return false;
    }
    return true;
}

static long
csv_read(spikefile *f, spikefile_spike *out, size_t max, char *err, size_t err_len)
{
    csv_reader *r = f->impl;
    size_t n = 0;
    char why[200];
    while (n < max && fgets(r->line, sizeof r->line, r->file)) {
        if (blank(r->line))
            continue;
        if (parse_line(r, r->line, &out[n], why, sizeof why) != LINE_OK) {
            snprintf(err, err_len, "'%s': %s", f->path, why); /* changed since opened */
            return -1;
        }
        if (out[n].time_s >= r->skip_before)
            n++;
    }
    if (ferror(r->file)) {
        snprintf(err, err_len, "reading '%s': %s", f->path, strerror(errno));
        return -1;
    }
    return (long)n;
}

static bool
csv_seek(spikefile *f, double time_s, char *err, size_t err_len)
{
    csv_reader *r = f->impl;
    /* the last mark before time_s: every spike before it is earlier */
    size_t lo = 0, hi = r->n_marks;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r->marks[mid].time_s < time_s)
            lo = mid + 1;
        else
            hi = mid;
    }
    off_t at = lo ? r->marks[lo - 1].offset : r->data_start;
    clearerr(r->file);
    if (fseeko(r->file, at, SEEK_SET) != 0) {
        snprintf(err, err_len, "seeking in '%s': %s", f->path, strerror(errno));
        return false;
    }
    r->skip_before = time_s;
    return true;
}

static void
csv_close(spikefile *f)
{
    csv_reader *r = f->impl;
    if (!r)
        return;
    if (r->file)
        fclose(r->file);
    free(r->marks);
    free(r);
}

static const spikefile_ops csv_ops = {csv_read, csv_seek, csv_close};

bool
spikefile_open_csv(spikefile *f, FILE *file, char *err, size_t err_len)
{
    csv_reader *r = calloc(1, sizeof *r);
    if (!r) {
        fclose(file);
        snprintf(err, err_len, "out of memory");
        return false;
    }
    r->file = file;
    r->skip_before = -INFINITY;
    f->format = SPIKEFILE_CSV;
    f->ops = &csv_ops;
    f->impl = r;
    size_t cap_marks = 0;
    uint64_t line_no = 0, spikes = 0;
    double last = -INFINITY;
    uint32_t units = 0;
    bool header_seen = false;
    char why[200];
    for (;;) {
        off_t at = ftello(file);
        if (!fgets(r->line, sizeof r->line, file))
            break;
        line_no++;
        if (!strchr(r->line, '\n') && !feof(file)) {
            snprintf(err, err_len, "line %llu: longer than %d bytes", (unsigned long long)line_no,
                     CSV_LINE_MAX - 1);
            return false;
        }
        if (blank(r->line))
            continue;
        if (!header_seen) {
            bool is_header;
            header_seen = true;
            if (!read_header(r, r->line, &is_header, err, err_len))
                return false;
            if (is_header) {
                r->data_start = ftello(file);
                continue;
            }
            r->data_start = at;
        }
        spikefile_spike s;
        if (parse_line(r, r->line, &s, why, sizeof why) != LINE_OK) {
            snprintf(err, err_len, "line %llu: %s", (unsigned long long)line_no, why);
            return false;
        }
        if (s.time_s < last) {
            snprintf(err, err_len,
                     "line %llu: time %.9g s is before the previous spike's %.9g s "
                     "(times must not decrease)",
                     (unsigned long long)line_no, s.time_s, last);
            return false;
        }
        if (spikes % CSV_INDEX_EVERY == 0) {
            if (r->n_marks == cap_marks) {
                cap_marks = cap_marks ? 2 * cap_marks : 64;
                csv_mark *m = realloc(r->marks, cap_marks * sizeof *m);
                if (!m) {
                    snprintf(err, err_len, "out of memory");
                    return false;
                }
                r->marks = m;
            }
            r->marks[r->n_marks++] = (csv_mark){at, s.time_s};
        }
        last = s.time_s;
        spikes++;
        if (s.unit + 1u > units)
            units = s.unit + 1u;
    }
    if (ferror(file)) {
        snprintf(err, err_len, "%s", strerror(errno));
        return false;
    }
    if (!header_seen) {
        snprintf(err, err_len, "no spikes (an empty file; lines are time_s,neuron)");
        return false;
    }
    f->units = units;
    f->spikes = spikes;
    f->duration = spikes ? last : 0.0;
    return csv_seek(f, -INFINITY, err, err_len);
}
