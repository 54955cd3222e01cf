/* fuzz_input.h — reads a fuzzer's byte string as a little program: numbers,
 * choices and the float values most likely to break numeric code (NaN,
 * infinities, denormals, the range ends and just beyond). Running out of
 * bytes yields zeros, so every prefix of an input is itself a valid input.
 */
#ifndef HILLOCK_FUZZ_INPUT_H
#define HILLOCK_FUZZ_INPUT_H

#include "params.h"

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    const uint8_t *data;
    size_t size, pos;
} fuzz_input;

static inline int
fuzz_more(const fuzz_input *in)
{
    return in->pos < in->size;
}

static inline uint8_t
fuzz_u8(fuzz_input *in)
{
    return in->pos < in->size ? in->data[in->pos++] : 0;
}

static inline uint16_t
fuzz_u16(fuzz_input *in)
{
    uint16_t lo = fuzz_u8(in);
    return (uint16_t)(lo | (uint16_t)fuzz_u8(in) << 8);
}

static inline uint32_t
fuzz_u32(fuzz_input *in)
{
    uint32_t lo = fuzz_u16(in);
    return lo | (uint32_t)fuzz_u16(in) << 16;
}

/* Copies up to n bytes; the rest of dst is zero. Returns bytes copied. */
static inline size_t
fuzz_bytes(fuzz_input *in, void *dst, size_t n)
{
    size_t left = in->size - in->pos, k = n < left ? n : left;
    memcpy(dst, in->data + in->pos, k);
    memset((uint8_t *)dst + k, 0, n - k);
    in->pos += k;
    return k;
}

static inline float
fuzz_raw_float(fuzz_input *in)
{
    uint32_t bits = fuzz_u32(in);
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

/* A float that is hostile more often than chance would make it. */
static inline float
fuzz_hostile_float(fuzz_input *in, float min, float max, float def)
{
    switch (fuzz_u8(in) % 16) {
    case 0: return NAN;
    case 1: return -NAN;
    case 2: return INFINITY;
    case 3: return -INFINITY;
    case 4: return 1e-40f; /* denormal */
    case 5: return -1e-42f;
    case 6: return -0.0f;
    case 7: return FLT_MAX;
    case 8: return -FLT_MAX;
    case 9: return min;
    case 10: return max;
    case 11: return def;
    case 12: return min - 1.0f - fabsf(min);
    case 13: return max + 1.0f + fabsf(max);
    case 14: return min + (max - min) * (float)fuzz_u16(in) / 65535.0f;
    default: return fuzz_raw_float(in);
    }
}

/* A parameter value: hostile, using that parameter's own range. */
static inline float
fuzz_param_value(fuzz_input *in, param_id id)
{
    const param_info *p = &param_table[id];
    return fuzz_hostile_float(in, p->min, p->max, p->def);
}

/* What one frame may cost, in neuron-steps: an overestimate of the
 * substeps engine.c configure() chooses (the model's largest step,
 * dsp/models/ *.c dt_max_ms, divided by the HH temperature factor's square
 * root at 50 degC; the speed raised 2 semitones by a pitch bend), times the
 * neurons, + 16 for the voices, filters and outputs. The harnesses spend a
 * budget of these per input, so a slow corner (16384 neurons at speed 200)
 * is visited briefly rather than timing out. */
static inline double
fuzz_steps_per_frame(double neurons, double speed, double rate)
{
    double sub = ceil(fabs(speed) * 1.2 * 1000.0 / rate / (0.02268 / 11.1));
    if (sub > 256)
        sub = 256;
    if (sub < 1)
        sub = 1;
    return sub * neurons + 16.0;
}

/* A block length 1..8192, short ones more often (hosts use 1..64 too). */
static inline uint32_t
fuzz_block(fuzz_input *in)
{
    uint16_t r = fuzz_u16(in);
    switch (r & 3) {
    case 0: return 1u + (r >> 2) % 16u;
    case 1: return 1u + (r >> 2) % 512u;
    default: return 1u + (r >> 2) % 8192u;
    }
}

/* Sample rates hosts use, 8 kHz to 384 kHz. */
static inline double
fuzz_rate(fuzz_input *in)
{
    static const double rates[] = {8000,  11025, 16000,  22050,  32000,  44100,
                                   48000, 88200, 96000, 176400, 192000, 384000};
    return rates[fuzz_u8(in) % (sizeof rates / sizeof rates[0])];
}

/* Fills n samples of stimulus audio: silence, noise, constants (finite or
 * not), full-scale square waves, or raw bytes as floats. */
static inline void
fuzz_audio(fuzz_input *in, float *buf, uint32_t n)
{
    uint8_t kind = fuzz_u8(in) % 6;
    float a = fuzz_hostile_float(in, -1.0f, 1.0f, 0.0f);
    uint32_t seed = fuzz_u32(in) | 1u;
    for (uint32_t i = 0; i < n; ++i) {
        switch (kind) {
        case 0: buf[i] = 0.0f; break;
        case 1: buf[i] = a; break;
        case 2: buf[i] = (i / 16u) & 1u ? a : -a; break;
        case 3:
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            buf[i] = a * ((float)(seed >> 8) / 8388608.0f - 1.0f);
            break;
        case 4: buf[i] = i % 97u == 0 ? a : 0.0f; break;
        default: buf[i] = fuzz_raw_float(in); break;
        }
    }
}

#endif
