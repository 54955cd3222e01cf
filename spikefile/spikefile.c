/* spikefile.c — see spikefile.h: the format told from the first bytes,
 * then the format's reader. */
#include "spikefile_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const unsigned char hdf5_signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

spikefile *
spikefile_open(const char *path, char *err, size_t err_len)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, err_len, "'%s': %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, err_len, "'%s' is not a regular file", path);
        return NULL;
    }
    FILE *file = fopen(path, "rb");
    if (!file) {
        snprintf(err, err_len, "'%s': %s", path, strerror(errno));
        return NULL;
    }
    spikefile *f = calloc(1, sizeof *f);
    if (f)
        f->path = strdup(path);
    if (!f || !f->path) {
        fclose(file);
        free(f);
        snprintf(err, err_len, "'%s': out of memory", path);
        return NULL;
    }
    unsigned char magic[8] = {0};
    size_t got = fread(magic, 1, sizeof magic, file);
    rewind(file);
    char why[400];
    bool ok;
    if (got == sizeof magic && memcmp(magic, hdf5_signature, sizeof magic) == 0) {
        fclose(file); /* libhdf5 opens it itself */
        ok = spikefile_open_nwb(f, why, sizeof why);
    } else if (got >= 4 && memcmp(magic, "MThd", 4) == 0) {
        ok = spikefile_open_smf(f, file, why, sizeof why);
    } else {
        ok = spikefile_open_csv(f, file, why, sizeof why);
    }
    if (!ok) {
        snprintf(err, err_len, "'%s': %s", path, why);
        spikefile_close(f);
        return NULL;
    }
    return f;
}

void
spikefile_close(spikefile *f)
{
    if (!f)
        return;
    if (f->ops)
        f->ops->close(f);
    if (f->labels)
        for (uint32_t u = 0; u < f->units; ++u)
            free(f->labels[u]);
    free(f->labels);
    free(f->ids);
    free(f->path);
    free(f);
}

spikefile_format
spikefile_format_of(const spikefile *f)
{
    return f->format;
}

uint32_t
spikefile_units(const spikefile *f)
{
    return f->units;
}

uint64_t
spikefile_spikes(const spikefile *f)
{
    return f->spikes;
}

double
spikefile_duration(const spikefile *f)
{
    return f->duration;
}

const char *
spikefile_label(const spikefile *f, uint32_t unit)
{
    return f->labels && unit < f->units ? f->labels[unit] : NULL;
}

int64_t
spikefile_id(const spikefile *f, uint32_t unit)
{
    return f->ids && unit < f->units ? f->ids[unit] : (int64_t)unit;
}

long
spikefile_read(spikefile *f, spikefile_spike *out, size_t max, char *err, size_t err_len)
{
    return f->ops->read(f, out, max, err, err_len);
}

bool
spikefile_seek(spikefile *f, double time_s, char *err, size_t err_len)
{
    return f->ops->seek(f, time_s, err, err_len);
}
