/* spikefile_impl.h — what the three format readers share (private to
 * spikefile/). Each opens its file, checks it through, and fills a
 * spikefile with its operations. */
#ifndef HILLOCK_SPIKEFILE_IMPL_H
#define HILLOCK_SPIKEFILE_IMPL_H

#include "spikefile.h"

#include <stdio.h>

typedef struct {
    long (*read)(spikefile *f, spikefile_spike *out, size_t max, char *err, size_t err_len);
    bool (*seek)(spikefile *f, double time_s, char *err, size_t err_len);
    void (*close)(spikefile *f);
} spikefile_ops;

struct spikefile {
    spikefile_format format;
    const spikefile_ops *ops;
    void *impl;
    char *path;
    uint32_t units;
    uint64_t spikes;
    double duration;
    char **labels;  /* per unit, or NULL */
    int64_t *ids;   /* per unit, or NULL */
};

/* Each format's opener: fills f (format, ops, impl, units, spikes, duration,
 * labels, ids) or returns false with the reason in err. */
bool spikefile_open_csv(spikefile *f, FILE *file, char *err, size_t err_len);
bool spikefile_open_nwb(spikefile *f, char *err, size_t err_len);
bool spikefile_open_smf(spikefile *f, FILE *file, char *err, size_t err_len);

#endif
