/* bench_record.h — `hillock bench --json FILE` and `--compare FILE`: the
 * rows of a run as JSON (for plotting, scripts/bench_plot.py), and the
 * ratio of this run's cost to a saved earlier run, row by row. */
#ifndef HILLOCK_BENCH_RECORD_H
#define HILLOCK_BENCH_RECORD_H

#include "bench_measure.h"

#include <stdio.h>

#define BENCH_RECORD_MAX_ROWS 128

typedef struct {
    char path[16], bank[48];
    double ns_per_neuron_step, ns_at_max;
} bench_row;

typedef struct {
    bench_row rows[BENCH_RECORD_MAX_ROWS];
    int n;
} bench_record;

/* The rows of a JSON file written by bench_json_*; -1 if it cannot be read
 * or holds no row. */
int bench_record_load(const char *file, bench_record *rec);

/* The earlier row for (path, bank), or NULL. */
const bench_row *bench_record_find(const bench_record *rec, const char *path,
                                   const char *bank);

/* JSON output: begin (run settings and memory), one call per row, end. */
void bench_json_begin(FILE *out, double seconds, int repeats, long neurons, long threads,
                      double bytes_per_neuron, double engine_bytes,
                      const bench_synapse_memory *syn);
void bench_json_row(FILE *out, int first, const char *path, const bench_case *c,
                    const bench_result *r, const double cap25[3], const double cap100[3]);
void bench_json_end(FILE *out);

#endif
