/* nwb.c — spikes from an NWB 2.x file (Neurodata Without Borders, HDF5),
 * read with libhdf5.
 *
 * NWB keeps sorted units in the units table /units (a DynamicTable): the
 * ragged column spike_times (VectorData, seconds) holds every unit's spike
 * times one unit after another, and spike_times_index (VectorIndex) the
 * end of each unit's run: unit i's spikes are spike_times[index[i-1] ..
 * index[i]) (NWB schema 2.x, hdmf-common DynamicTable, VectorIndex). The
 * ids are /units/id. A label per unit, for grouping, comes from a
 * `location` column of the units table, else from the location of the
 * unit's first electrode (/units/electrodes, a DynamicTableRegion into
 * /general/extracellular_ephys/electrodes, and its location column).
 *
 * Playing needs the spikes of all units in time order: each unit keeps a
 * cursor with a small buffer read by hyperslab, and a heap merges them, so
 * memory stays a few hundred kB however long the recording. */
#include "spikefile_impl.h"

#include "hdf5_api.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NWB_BUFFER_BUDGET (1u << 17) /* spike times buffered across all units */
#define NWB_CHECK_CHUNK 65536u

typedef struct {
    uint64_t begin, end; /* the unit's run in spike_times */
    uint64_t pos;        /* next spike */
    uint64_t buf_at;     /* spike_times index of buf[0] */
    uint32_t buf_n;
    uint32_t unit;       /* the playback unit (grouped by label) */
    double *buf;
} nwb_cursor;

typedef struct {
    hid_t file, times;
    uint32_t n_units;
    uint32_t buf_cap;
    nwb_cursor *cursors;
    uint32_t *heap; /* cursor indices, a min-heap on their next time */
    uint32_t heap_n;
    double *bufs;
} nwb_reader;

static bool
read_times(hid_t times, uint64_t at, uint64_t n, double *out)
{
    const hdf5_api *h5 = hdf5_api_get(NULL, 0); /* open: the file was opened through it */
    hid_t space = h5->Dget_space(times);
    hsize_t start = at, count = n;
    hid_t mem = h5->Screate_simple(1, &count, NULL);
    bool ok = space >= 0 && mem >= 0 &&
              h5->Sselect_hyperslab(space, H5S_SELECT_SET, &start, NULL, &count, NULL) >= 0 &&
              h5->Dread(times, h5->native_double, mem, space, H5P_DEFAULT, out) >= 0;
    if (mem >= 0)
        h5->Sclose(mem);
    if (space >= 0)
        h5->Sclose(space);
    return ok;
}

static double
cursor_time(const nwb_cursor *c)
{
    return c->buf[c->pos - c->buf_at];
}

/* Make the cursor's next spike buffered; false on a read error. */
static bool
cursor_fill(nwb_reader *r, nwb_cursor *c)
{
    if (c->pos >= c->end || (c->pos >= c->buf_at && c->pos < c->buf_at + c->buf_n))
        return true;
    uint64_t n = c->end - c->pos < r->buf_cap ? c->end - c->pos : r->buf_cap;
    c->buf_at = c->pos;
    c->buf_n = (uint32_t)n;
    return read_times(r->times, c->pos, n, c->buf);
}

static bool
heap_less(const nwb_reader *r, uint32_t a, uint32_t b)
{
    double ta = cursor_time(&r->cursors[a]), tb = cursor_time(&r->cursors[b]);
    return ta < tb || (ta == tb && r->cursors[a].unit < r->cursors[b].unit);
}

static void
heap_down(nwb_reader *r, uint32_t i)
{
    for (;;) {
        uint32_t l = 2u * i + 1u, m = i;
        if (l < r->heap_n && heap_less(r, r->heap[l], r->heap[m]))
            m = l;
        if (l + 1u < r->heap_n && heap_less(r, r->heap[l + 1u], r->heap[m]))
            m = l + 1u;
        if (m == i)
            return;
        uint32_t t = r->heap[i];
        r->heap[i] = r->heap[m];
        r->heap[m] = t;
        i = m;
    }
}

static void
heap_build(nwb_reader *r)
{
    r->heap_n = 0;
    for (uint32_t k = 0; k < r->n_units; ++k)
        if (r->cursors[k].pos < r->cursors[k].end)
            r->heap[r->heap_n++] = k;
    for (uint32_t i = r->heap_n / 2u; i-- > 0;)
        heap_down(r, i);
}

static long
nwb_read(spikefile *f, spikefile_spike *out, size_t max, char *err, size_t err_len)
{
    nwb_reader *r = f->impl;
    size_t n = 0;
    while (n < max && r->heap_n) {
        nwb_cursor *c = &r->cursors[r->heap[0]];
        out[n++] = (spikefile_spike){cursor_time(c), c->unit};
        c->pos++;
        if (!cursor_fill(r, c)) {
            snprintf(err, err_len, "reading '%s': spike_times unreadable", f->path);
            return -1;
        }
        if (c->pos >= c->end)
            r->heap[0] = r->heap[--r->heap_n];
        heap_down(r, 0);
    }
    return (long)n;
}

static bool
nwb_seek(spikefile *f, double time_s, char *err, size_t err_len)
{
    nwb_reader *r = f->impl;
    for (uint32_t k = 0; k < r->n_units; ++k) {
        nwb_cursor *c = &r->cursors[k];
        uint64_t lo = c->begin, hi = c->end;
        while (lo < hi) { /* the first spike at or after time_s */
            uint64_t mid = lo + (hi - lo) / 2u;
            double t;
            if (!read_times(r->times, mid, 1, &t)) {
                snprintf(err, err_len, "reading '%s': spike_times unreadable", f->path);
                return false;
            }
            if (t < time_s)
                lo = mid + 1u;
            else
                hi = mid;
        }
        c->pos = lo;
        c->buf_n = 0;
        if (!cursor_fill(r, c)) {
            snprintf(err, err_len, "reading '%s': spike_times unreadable", f->path);
            return false;
        }
    }
    heap_build(r);
    return true;
}

static void
nwb_close(spikefile *f)
{
    const hdf5_api *h5 = hdf5_api_get(NULL, 0); /* open: the file was opened through it */
    nwb_reader *r = f->impl;
    if (!r)
        return;
    if (r->times >= 0)
        h5->Dclose(r->times);
    if (r->file >= 0)
        h5->Fclose(r->file);
    free(r->cursors);
    free(r->heap);
    free(r->bufs);
    free(r);
}

static const spikefile_ops nwb_ops = {nwb_read, nwb_seek, nwb_close};

/* Length of a 1-D dataset, or -1. */
static int64_t
dataset_length(hid_t d)
{
    const hdf5_api *h5 = hdf5_api_get(NULL, 0); /* open: the file was opened through it */
    hid_t space = h5->Dget_space(d);
    if (space < 0)
        return -1;
    hsize_t dims[2] = {0, 0};
    int rank = h5->Sget_simple_extent_ndims(space);
    if (rank == 1)
        h5->Sget_simple_extent_dims(space, dims, NULL);
    h5->Sclose(space);
    return rank == 1 ? (int64_t)dims[0] : -1;
}

static bool
exists(hid_t loc, const char *path)
{
    const hdf5_api *h5 = hdf5_api_get(NULL, 0); /* open: the file was opened through it */
    /* every link on the way must exist before H5Lexists may ask for the next */
    char part[256];
    const char *p = path;
    while ((p = strchr(p + 1, '/')) != NULL) {
        size_t k = (size_t)(p - path);
        if (k >= sizeof part)
            return false;
        memcpy(part, path, k);
        part[k] = '\0';
        if (h5->Lexists(loc, part, H5P_DEFAULT) <= 0)
            return false;
    }
    return h5->Lexists(loc, path, H5P_DEFAULT) > 0;
}

/* A 1-D integer dataset read whole (an index or ids column: one value per
 * unit or electrode, small). NULL and *n = -1 when absent or unreadable. */
static int64_t *
read_ints(hid_t file, const char *path, int64_t *n)
{
    const hdf5_api *h5 = hdf5_api_get(NULL, 0); /* open: the file was opened through it */
    *n = -1;
    if (!exists(file, path))
        return NULL;
    hid_t d = h5->Dopen2(file, path, H5P_DEFAULT);
    if (d < 0)
        return NULL;
    int64_t len = dataset_length(d);
    int64_t *v = len >= 0 ? malloc((size_t)(len ? len : 1) * sizeof *v) : NULL;
    if (v && len > 0 && h5->Dread(d, h5->native_int64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
        free(v);
        v = NULL;
    }
    h5->Dclose(d);
    if (v)
        *n = len;
    return v;
}

/* A 1-D string dataset (variable or fixed length), each string copied.
 * NULL when absent or not strings. */
static char **
read_strings(hid_t file, const char *path, int64_t *n)
{
    const hdf5_api *h5 = hdf5_api_get(NULL, 0); /* open: the file was opened through it */
    *n = -1;
    if (!exists(file, path))
        return NULL;
    hid_t d = h5->Dopen2(file, path, H5P_DEFAULT);
    if (d < 0)
        return NULL;
    hid_t type = h5->Dget_type(d);
    int64_t len = dataset_length(d);
    char **out = NULL;
    if (type >= 0 && h5->Tget_class(type) == H5T_STRING && len >= 0) {
        out = calloc((size_t)(len ? len : 1), sizeof *out);
        bool ok = out != NULL;
        if (ok && len > 0 && h5->Tis_variable_str(type) > 0) {
            hid_t mem = h5->Tcopy(h5->c_s1);
            h5->Tset_size(mem, H5T_VARIABLE);
            h5->Tset_cset(mem, h5->Tget_cset(type)); /* NWB writes UTF-8 */
            char **raw = calloc((size_t)len, sizeof *raw);
            ok = raw && h5->Dread(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) >= 0;
            for (int64_t i = 0; ok && i < len; ++i)
                ok = (out[i] = strdup(raw[i] ? raw[i] : "")) != NULL;
            if (raw) {
                hid_t space = h5->Dget_space(d);
                h5->Dvlen_reclaim(mem, space, H5P_DEFAULT, raw); /* H5Treclaim from 1.12 */
                h5->Sclose(space);
            }
            free(raw);
            h5->Tclose(mem);
        } else if (ok && len > 0) {
            size_t size = h5->Tget_size(type);
            char *raw = malloc((size_t)len * size + 1);
            hid_t mem = h5->Tcopy(h5->c_s1);
            h5->Tset_size(mem, size);
            h5->Tset_cset(mem, h5->Tget_cset(type));
            ok = raw && h5->Dread(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) >= 0;
            for (int64_t i = 0; ok && i < len; ++i) {
                ok = (out[i] = strndup(raw + (size_t)i * size, size)) != NULL;
            }
            free(raw);
            h5->Tclose(mem);
        }
        if (!ok) {
            for (int64_t i = 0; out && i < len; ++i)
                free(out[i]);
            free(out);
            out = NULL;
        }
    }
    if (type >= 0)
        h5->Tclose(type);
    h5->Dclose(d);
    if (out)
        *n = len;
    return out;
}

static void
free_strings(char **s, int64_t n)
{
    for (int64_t i = 0; s && i < n; ++i)
        free(s[i]);
    free(s);
}

/* Each unit's label: the units table's location column, else its first
 * electrode's location. Per file unit; NULL where there is none. */
static char **
unit_labels(hid_t file, uint32_t n_units)
{
    int64_t n;
    char **loc = read_strings(file, "/units/location", &n);
    if (loc && n == (int64_t)n_units)
        return loc;
    free_strings(loc, n);
    int64_t n_el, n_el_index, n_el_loc;
    int64_t *el = read_ints(file, "/units/electrodes", &n_el);
    int64_t *el_index = read_ints(file, "/units/electrodes_index", &n_el_index);
    char **el_loc = read_strings(file, "/general/extracellular_ephys/electrodes/location",
                                 &n_el_loc);
    char **labels = NULL;
    if (el && el_index && el_loc && n_el_index == (int64_t)n_units) {
        labels = calloc(n_units ? n_units : 1, sizeof *labels);
        for (uint32_t u = 0; labels && u < n_units; ++u) {
            int64_t first = u ? el_index[u - 1] : 0;
            if (first >= 0 && first < el_index[u] && first < n_el && el[first] >= 0 &&
                el[first] < n_el_loc)
                labels[u] = strdup(el_loc[el[first]]);
        }
    }
    free(el);
    free(el_index);
    free_strings(el_loc, n_el_loc);
    return labels;
}

/* Playback numbers: units with the same label next to each other, labels
 * in the order they first appear, unlabelled units last, the file's order
 * kept within a group. */
static void
group_units(char **labels, uint32_t n, uint32_t *number)
{
    uint32_t next = 0;
    for (uint32_t u = 0; u < n; ++u)
        number[u] = UINT32_MAX;
    for (uint32_t u = 0; u < n; ++u) {
        if (number[u] != UINT32_MAX || !labels || !labels[u])
            continue;
        for (uint32_t v = u; v < n; ++v)
            if (number[v] == UINT32_MAX && labels[v] && strcmp(labels[v], labels[u]) == 0)
                number[v] = next++;
    }
    for (uint32_t u = 0; u < n; ++u)
        if (number[u] == UINT32_MAX)
            number[u] = next++;
}

/* Every spike time finite and each unit's times non-decreasing: read
 * through in chunks. */
static bool
check_times(nwb_reader *r, int64_t n_times, double *last_time, char *err, size_t err_len)
{
    double *chunk = malloc(NWB_CHECK_CHUNK * sizeof *chunk);
    if (!chunk) {
        snprintf(err, err_len, "out of memory");
        return false;
    }
    bool ok = true;
    uint32_t unit = 0;
    double prev = -INFINITY;
    *last_time = 0.0;
    for (int64_t at = 0; ok && at < n_times; at += NWB_CHECK_CHUNK) {
        uint64_t n = (uint64_t)(n_times - at) < NWB_CHECK_CHUNK ? (uint64_t)(n_times - at)
                                                                 : NWB_CHECK_CHUNK;
        if (!read_times(r->times, (uint64_t)at, n, chunk)) {
            snprintf(err, err_len, "/units/spike_times unreadable at %lld (truncated?)",
                     (long long)at);
            ok = false;
            break;
        }
        for (uint64_t k = 0; k < n; ++k) {
            uint64_t i = (uint64_t)at + k;
            while (unit < r->n_units && i >= r->cursors[unit].end) {
                unit++;
                prev = -INFINITY;
            }
            double t = chunk[k];
            if (!isfinite(t) || t < 0.0) {
                snprintf(err, err_len, "/units/spike_times[%llu] = %g is not a time >= 0 s",
                         (unsigned long long)i, t);
                ok = false;
                break;
            }
            if (t < prev) {
                snprintf(err, err_len,
                         "/units/spike_times: unit %u's times go back at [%llu] "
                         "(%.9g s after %.9g s; they must not decrease)",
                         unit, (unsigned long long)i, t, prev);
                ok = false;
                break;
            }
            prev = t;
            if (t > *last_time)
                *last_time = t;
        }
    }
    free(chunk);
    return ok;
}

static bool
fail(char *err, size_t err_len, const char *why)
{
    snprintf(err, err_len, "%s", why);
    return false;
}

bool
spikefile_open_nwb(spikefile *f, char *err, size_t err_len)
{
    const hdf5_api *h5 = hdf5_api_get(err, err_len);
    if (!h5)
        return false;
    h5->Eset_auto2(H5E_DEFAULT, NULL, NULL); /* errors are ours to report */
    nwb_reader *r = calloc(1, sizeof *r);
    if (!r)
        return fail(err, err_len, "out of memory");
    r->file = r->times = H5I_INVALID_HID;
    f->format = SPIKEFILE_NWB;
    f->ops = &nwb_ops;
    f->impl = r;
    r->file = h5->Fopen(f->path, HDF5_ACC_RDONLY, H5P_DEFAULT);
    if (r->file < 0)
        return fail(err, err_len, "not a readable HDF5 file (truncated or damaged)");
    if (!exists(r->file, "/units"))
        return fail(err, err_len, "no units table (/units): an NWB file of sorted units "
                                  "has its spike times there");
    if (!exists(r->file, "/units/spike_times") || !exists(r->file, "/units/spike_times_index"))
        return fail(err, err_len, "the units table has no spike_times column "
                                  "(/units/spike_times and /units/spike_times_index)");
    r->times = h5->Dopen2(r->file, "/units/spike_times", H5P_DEFAULT);
    int64_t n_times = r->times >= 0 ? dataset_length(r->times) : -1;
    int64_t n_index;
    int64_t *index = read_ints(r->file, "/units/spike_times_index", &n_index);
    if (n_times < 0 || !index) {
        free(index);
        return fail(err, err_len, "/units/spike_times or its index is unreadable (truncated?)");
    }
    if (n_index > (int64_t)SPIKEFILE_MAX_UNITS) {
        free(index);
        snprintf(err, err_len, "%lld units: at most %u play", (long long)n_index,
                 SPIKEFILE_MAX_UNITS);
        return false;
    }
    r->n_units = (uint32_t)n_index;
    uint32_t n = r->n_units ? r->n_units : 1u;
    r->buf_cap = NWB_BUFFER_BUDGET / n;
    r->buf_cap = r->buf_cap < 16u ? 16u : r->buf_cap > 1024u ? 1024u : r->buf_cap;
    r->cursors = calloc(n, sizeof *r->cursors);
    r->heap = calloc(n, sizeof *r->heap);
    r->bufs = malloc((size_t)n * r->buf_cap * sizeof *r->bufs);
    uint32_t *number = malloc(n * sizeof *number);
    if (!r->cursors || !r->heap || !r->bufs || !number) {
        free(index);
        free(number);
        return fail(err, err_len, "out of memory");
    }
    for (uint32_t u = 0; u < r->n_units; ++u) {
        int64_t begin = u ? index[u - 1] : 0, end = index[u];
        if (end < begin || end > n_times) {
            snprintf(err, err_len,
                     "/units/spike_times_index[%u] = %lld: an index must not decrease and "
                     "stay within spike_times (%lld)",
                     u, (long long)end, (long long)n_times);
            free(index);
            free(number);
            return false;
        }
        r->cursors[u] = (nwb_cursor){.begin = (uint64_t)begin, .end = (uint64_t)end,
                                     .pos = (uint64_t)begin, .buf = r->bufs + (size_t)u * r->buf_cap};
    }
    free(index);
    double last = 0.0;
    if (!check_times(r, n_times, &last, err, err_len)) {
        free(number);
        return false;
    }
    char **labels = unit_labels(r->file, r->n_units);
    group_units(labels, r->n_units, number);
    int64_t n_ids;
    int64_t *ids = read_ints(r->file, "/units/id", &n_ids);
    f->labels = calloc(n, sizeof *f->labels);
    f->ids = malloc(n * sizeof *f->ids);
    if (!f->labels || !f->ids) {
        free(number);
        free(ids);
        free_strings(labels, r->n_units);
        return fail(err, err_len, "out of memory");
    }
    for (uint32_t u = 0; u < r->n_units; ++u) {
        r->cursors[u].unit = number[u];
        f->labels[number[u]] = labels ? labels[u] : NULL;
        f->ids[number[u]] = ids && n_ids == (int64_t)r->n_units ? ids[u] : (int64_t)u;
    }
    free(labels); /* the strings now belong to f->labels */
    free(ids);
    free(number);
    f->units = r->n_units;
    f->spikes = (uint64_t)n_times;
    f->duration = last;
    return nwb_seek(f, -INFINITY, err, err_len);
}
