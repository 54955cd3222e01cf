/* le_bytes.h — little-endian numbers in byte arrays, as the synapse files
 * store them (dsp/synapse_file.c, dsp/synapse_state.c): the same bytes on
 * any host. */
#ifndef HILLOCK_LE_BYTES_H
#define HILLOCK_LE_BYTES_H

#include <stdint.h>
#include <string.h>

static inline void
le_put32(uint8_t *p, uint32_t v)
{
    for (int k = 0; k < 4; ++k)
        p[k] = (uint8_t)(v >> (8 * k));
}

static inline void
le_put64(uint8_t *p, uint64_t v)
{
    for (int k = 0; k < 8; ++k)
        p[k] = (uint8_t)(v >> (8 * k));
}

static inline uint32_t
le_get32(const uint8_t *p)
{
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k)
        v |= (uint32_t)p[k] << (8 * k);
    return v;
}

static inline uint64_t
le_get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int k = 0; k < 8; ++k)
        v |= (uint64_t)p[k] << (8 * k);
    return v;
}

static inline void
le_putf(uint8_t *p, float f)
{
    uint32_t v;
    memcpy(&v, &f, 4);
    le_put32(p, v);
}

static inline float
le_getf(const uint8_t *p)
{
    uint32_t v = le_get32(p);
    float f;
    memcpy(&f, &v, 4);
    return f;
}

static inline void
le_putd(uint8_t *p, double d)
{
    uint64_t v;
    memcpy(&v, &d, 8);
    le_put64(p, v);
}

static inline double
le_getd(const uint8_t *p)
{
    uint64_t v = le_get64(p);
    double d;
    memcpy(&d, &v, 8);
    return d;
}

#endif
