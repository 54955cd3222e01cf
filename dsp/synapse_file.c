/* synapse_file.c — the stored synapse table to and from NumPy .npy bytes
 * (format 1.0: magic, version, a little-endian header length, a Python
 * literal header padded to 64 bytes, then the records). */
#include "synapse_file.h"

#include "le_bytes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECORD_BYTES 16u
#define MAGIC "\x93NUMPY"
#define MAGIC_LEN 6u
#define PREFIX_LEN 10u /* magic, version 1.0, header length */

static int
title(char *out, size_t len, const synapse_table *t, float velocity)
{
    return snprintf(out, len,
                    "hillock-weights %d seed=%llu neurons=%u connectivity=%.9g "
                    "axon_velocity=%.9g",
                    SYNAPSE_FILE_VERSION, (unsigned long long)t->seed, t->n, (double)t->p,
                    (double)velocity);
}

static int
header_dict(char *out, size_t len, const char *ttl, uint32_t count)
{
    return snprintf(out, len,
                    "{'descr': [(('%s', 'pre'), '<u4'), ('post', '<u4'), ('weight', '<f4'), "
                    "('delay_ms', '<f4')], 'fortran_order': False, 'shape': (%u,), }",
                    ttl, count);
}

bool
synapse_file_format(const synapse_table *t, float velocity, uint8_t **data, size_t *size)
{
    char ttl[256], dict[512];
    title(ttl, sizeof ttl, t, velocity);
    int dl = header_dict(dict, sizeof dict, ttl, t->count);
    /* header padded with spaces and a newline so the data starts at a
     * multiple of 64 bytes */
    size_t header = ((PREFIX_LEN + (size_t)dl + 1 + 63) / 64) * 64 - PREFIX_LEN;
    size_t total = PREFIX_LEN + header + (size_t)t->count * RECORD_BYTES;
    uint8_t *b = malloc(total);
    if (!b)
        return false;
    memcpy(b, MAGIC, MAGIC_LEN);
    b[6] = 1;
    b[7] = 0;
    b[8] = (uint8_t)header;
    b[9] = (uint8_t)(header >> 8);
    memset(b + PREFIX_LEN, ' ', header);
    memcpy(b + PREFIX_LEN, dict, (size_t)dl);
    b[PREFIX_LEN + header - 1] = '\n';
    uint8_t *r = b + PREFIX_LEN + header;
    for (uint32_t j = 0; j < t->n; ++j)
        for (uint32_t s = t->row[j]; s < t->row[j + 1]; ++s, r += RECORD_BYTES) {
            le_put32(r, j);
            le_put32(r + 4, t->post[s]);
            le_putf(r + 8, t->weight[s].w);
            le_putf(r + 12, velocity > 0.0f ? t->dist_mm[s] / velocity : 0.0f);
        }
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

bool
synapse_file_parse(synapse_table *t, const uint8_t *data, size_t size, float w_limit,
                   char *err, size_t err_len)
{
    if (size < PREFIX_LEN || memcmp(data, MAGIC, MAGIC_LEN) != 0)
        return fail(err, err_len, "not a NumPy .npy file");
    if (data[6] != 1 || data[7] != 0)
        return fail(err, err_len, "a .npy format version other than 1.0");
    const size_t header = (size_t)data[8] | (size_t)data[9] << 8;
    if (size < PREFIX_LEN + header)
        return fail(err, err_len, "truncated: the header is cut short");
    char *h = malloc(header + 1);
    if (!h)
        return fail(err, err_len, "out of memory");
    memcpy(h, data + PREFIX_LEN, header);
    h[header] = '\0';
    /* the title: version and wiring */
    int version = 0;
    unsigned long long seed = 0;
    unsigned neurons = 0;
    float p = 0.0f, velocity = 0.0f;
    const char *at = strstr(h, "'hillock-weights ");
    int got = at ? sscanf(at, "'hillock-weights %d seed=%llu neurons=%u connectivity=%g "
                              "axon_velocity=%g",
                          &version, &seed, &neurons, &p, &velocity)
                 : 0;
    if (got != 5) {
        free(h);
        return fail(err, err_len,
                    "not a Hillock weights file (no 'hillock-weights' title on its pre field)");
    }
    if (version != SYNAPSE_FILE_VERSION) {
        free(h);
        snprintf(err, err_len, "weights file version %d; this Hillock reads version %d",
                 version, SYNAPSE_FILE_VERSION);
        return false;
    }
    /* the rest of the header must be exactly ours */
    char ttl[256], dict[512];
    synapse_table wiring = {.seed = seed, .n = neurons, .p = p};
    title(ttl, sizeof ttl, &wiring, velocity);
    char shape[64];
    snprintf(shape, sizeof shape, "'shape': (");
    const char *sh = strstr(h, shape);
    unsigned long long count = 0;
    if (!sh || sscanf(sh + strlen(shape), "%llu", &count) != 1) {
        free(h);
        return fail(err, err_len, "the header has no one-dimensional shape");
    }
    int dl = header_dict(dict, sizeof dict, ttl, (uint32_t)count);
    int same = count <= UINT32_MAX && strncmp(h, dict, (size_t)dl) == 0;
    free(h);
    if (!same)
        return fail(err, err_len,
                    "unexpected fields: expected pre <u4, post <u4, weight <f4, delay_ms <f4, "
                    "C order");
    if (seed != t->seed || neurons != t->n || p != t->p) {
        snprintf(err, err_len,
                 "weights of another wiring (seed %llu, %u neurons, connectivity %g); this "
                 "network is seed %llu, %u neurons, connectivity %g",
                 seed, neurons, (double)p, (unsigned long long)t->seed, t->n, (double)t->p);
        return false;
    }
    if (count != t->count) {
        snprintf(err, err_len, "%llu synapses; this network has %u", count, t->count);
        return false;
    }
    const size_t want = PREFIX_LEN + header + (size_t)count * RECORD_BYTES;
    if (size != want) {
        snprintf(err, err_len, "%s: %zu bytes where %zu were expected",
                 size < want ? "truncated" : "trailing data", size, want);
        return false;
    }
    /* every record checked before any is taken */
    const uint8_t *r0 = data + PREFIX_LEN + header, *r = r0;
    for (uint32_t j = 0; j < t->n; ++j)
        for (uint32_t s = t->row[j]; s < t->row[j + 1]; ++s, r += RECORD_BYTES) {
            float w = le_getf(r + 8), d = le_getf(r + 12);
            if (le_get32(r) != j || le_get32(r + 4) != t->post[s]) {
                snprintf(err, err_len, "synapse %u is %u -> %u; this network has %u -> %u", s,
                         le_get32(r), le_get32(r + 4), j, t->post[s]);
                return false;
            }
            if (!isfinite(w) || w < 0.0f || w > w_limit) {
                snprintf(err, err_len, "synapse %u: weight %g is not a number in [0, %g]", s,
                         (double)w, (double)w_limit);
                return false;
            }
            if (!isfinite(d) || d < 0.0f) {
                snprintf(err, err_len, "synapse %u: delay %g ms is not a number >= 0", s,
                         (double)d);
                return false;
            }
        }
    r = r0;
    for (uint32_t s = 0; s < t->count; ++s, r += RECORD_BYTES) {
        t->weight[s].w = le_getf(r + 8);
        if (velocity > 0.0f)
            t->dist_mm[s] = le_getf(r + 12) * velocity;
    }
    return true;
}

bool
synapse_file_wiring(const uint8_t *data, size_t size, network_params *np, uint32_t *n,
                    char *err, size_t err_len)
{
    if (size < PREFIX_LEN || memcmp(data, MAGIC, MAGIC_LEN) != 0)
        return fail(err, err_len, "not a NumPy .npy file");
    const size_t header = (size_t)data[8] | (size_t)data[9] << 8;
    if (size < PREFIX_LEN + header)
        return fail(err, err_len, "truncated: the header is cut short");
    char h[1024];
    const size_t len = header < sizeof h - 1 ? header : sizeof h - 1;
    memcpy(h, data + PREFIX_LEN, len);
    h[len] = '\0';
    const char *at = strstr(h, "'hillock-weights ");
    int version = 0;
    unsigned long long seed = 0;
    unsigned neurons = 0;
    float p = 0.0f;
    if (!at || sscanf(at, "'hillock-weights %d seed=%llu neurons=%u connectivity=%g", &version,
                      &seed, &neurons, &p) != 4)
        return fail(err, err_len,
                    "not a Hillock weights file (no 'hillock-weights' title on its pre field)");
    np->seed = seed;
    np->p = p;
    *n = neurons;
    return true;
}
