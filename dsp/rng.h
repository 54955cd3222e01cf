/* rng.h — counter-based random numbers.
 *
 * Every random draw is a pure function of (seed, stream, counter), so a
 * neuron's noise does not depend on how the bank is split into blocks or
 * threads, and the same seed always gives the same network. The mixer is
 * SplitMix64's finaliser (Steele, Lea & Flood 2014), applied twice.
 */
#ifndef HILLOCK_RNG_H
#define HILLOCK_RNG_H

#include <stdint.h>

uint64_t rng_hash(uint64_t seed, uint64_t stream, uint64_t counter);

/* Uniform in (0, 1): never 0, so log() is safe. */
static inline float
rng_uniform_open(uint64_t bits)
{
    return ((float)(uint32_t)(bits >> 40) + 0.5f) * (1.0f / 16777216.0f);
}

/* One standard normal from one 64-bit hash (Box-Muller on two 24-bit
 * uniforms). */
float rng_normal(uint64_t bits);

/* Wellons' lowbias32 (2020, "Prospecting for hash functions"): a 32-bit
 * mixer with low bias. Plain 32-bit operations, so it vectorises 16 to an
 * AVX-512 vector (the network's target draws, the bank's noise). */
static inline uint32_t
rng_lowbias32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x21F0AAADu;
    x ^= x >> 15;
    x *= 0x735A2D97u;
    x ^= x >> 15;
    return x;
}

/* Reservoir sampling (Vitter 1985, algorithm R): the slot in a list of
 * `capacity` entries that the `seen`-th item (counting from 1) replaces once
 * the list is full, or -1 to drop it. Every item of a run ends in the list
 * with the same probability, capacity/seen, so a full spike list stays an
 * even sample over time and over the bank instead of keeping the earliest
 * spikes of the lowest neurons. `key` varies the draw between runs; the same
 * arguments give the same slot. */
static inline int64_t
rng_reservoir_slot(uint64_t seen, uint32_t capacity, uint32_t key)
{
    uint32_t h = rng_lowbias32((uint32_t)seen ^ rng_lowbias32(key ^ (uint32_t)(seen >> 32)));
    uint64_t j = ((uint64_t)h * seen) >> 32; /* uniform in [0, seen) */
    return j < capacity ? (int64_t)j : -1;
}

/* A small sequential generator for loops that draw many values from one
 * stream (connectivity rows). */
typedef struct {
    uint64_t state;
} rng_stream;

static inline uint64_t
rng_next(rng_stream *s)
{
    /* SplitMix64 step */
    uint64_t z = (s->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

#endif
