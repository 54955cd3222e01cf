#include "rng.h"

#include <math.h>

static uint64_t
mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t
rng_hash(uint64_t seed, uint64_t stream, uint64_t counter)
{
    uint64_t h = mix64(seed * 0x9E3779B97F4A7C15ull + stream);
    return mix64(h ^ (counter * 0xD1B54A32D192ED03ull + 0x632BE59BD9B4E019ull));
}

float
rng_normal(uint64_t bits)
{
    float u1 = ((float)(uint32_t)(bits >> 40) + 0.5f) * (1.0f / 16777216.0f);
    float u2 = (float)(uint32_t)((bits >> 8) & 0xFFFFFFu) * (1.0f / 16777216.0f);
    return sqrtf(-2.0f * logf(u1)) * cosf(6.2831853f * u2);
}
