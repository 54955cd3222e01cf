/* bank_noise.c — the bank's Ornstein-Uhlenbeck noise current, one value per
 * neuron and step, a pure function of seed, neuron and step. */
#include "bank_noise.h"

#include "all_zero.h"
#include "rng.h"
#include "vmath.h"

#include <math.h>

enum { STREAM_NOISE = 16 };

/* The OU noise current. Standard normals come in Box-Muller pairs: pair
 * k = step / 2 of neuron i is drawn from two 32-bit hashes,
 * rng_lowbias32(key_i ^ s), with key_i from rng_hash(seed, STREAM_NOISE + i, 0)
 * and s a hash of 2k or 2k + 1 (the same for every neuron); the even step
 * takes r cos(theta), the odd step r sin(theta). An odd step reuses the pair
 * its even step drew when there was one (noise on, same seed, same neurons),
 * else draws it again, so a neuron's noise stays a pure function of seed,
 * neuron and step. log, cos and sin are vmath's and sqrt is the correctly
 * rounded instruction: the same bits on every path. One pair per two steps and
 * 32-bit hashes halve the cost of a normal per step with 64-bit ones. */
#define MIX_A 0xBF58476D1CE4E5B9ull
#define MIX_B 0x94D049BB133111EBull

static inline uint64_t
mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * MIX_A;
    z = (z ^ (z >> 27)) * MIX_B;
    return z ^ (z >> 31);
}

SIMD_INLINE void
noise_pair_loop(float *restrict noise, float *restrict second, const uint32_t *restrict key,
                uint32_t s_radius, uint32_t s_angle, float decay, float kick, int odd,
                uint32_t n)
{
    for (uint32_t i = 0; i < n; ++i) {
        uint32_t h1 = rng_lowbias32(key[i] ^ s_radius), h2 = rng_lowbias32(key[i] ^ s_angle);
        float u1 = ((float)(int32_t)(h1 >> 8) + 0.5f) * (1.0f / 16777216.0f); /* (0, 1) */
        float u2 = (float)(int32_t)(h2 >> 8) * (1.0f / 16777216.0f);          /* [0, 1) */
        float r = sqrtf(-2.0f * vm_logf(u1)), sn, cs;
        vm_sincos_turns(u2, &sn, &cs);
        float z0 = r * cs, z1 = r * sn;
        second[i] = z1;
        noise[i] = noise[i] * decay + kick * (odd ? z1 : z0);
    }
}

SIMD_INLINE void
noise_reuse_loop(float *restrict noise, const float *restrict second, float decay, float kick,
                 uint32_t n)
{
    for (uint32_t i = 0; i < n; ++i)
        noise[i] = noise[i] * decay + kick * second[i];
}

SIMD_INLINE void
noise_kernel(float *noise, float *second, const uint32_t *key, uint32_t s_radius,
             uint32_t s_angle, float decay, float kick, int mode, uint32_t n)
{
    if (mode == 2)
        noise_reuse_loop(noise, second, decay, kick, n);
    else
        noise_pair_loop(noise, second, key, s_radius, s_angle, decay, kick, mode, n);
}

/* mode: 0 even step (draw, use the first), 1 odd step drawing anew (use the
 * second), 2 odd step reusing the pair */
SIMD_MULTIVERSION(noise_step, noise_kernel,
                  (float *noise, float *second, const uint32_t *key, uint32_t s_radius,
                   uint32_t s_angle, float decay, float kick, int mode, uint32_t n),
                  (noise, second, key, s_radius, s_angle, decay, kick, mode, n))

bank_noise_draw
bank_noise_begin(bank *b, const bank_config *c, uint64_t step_index)
{
    const uint32_t n = b->n;
    if (b->noise_key_seed != c->np.seed || b->noise_key_n < n) {
        for (uint32_t i = 0; i < b->capacity; ++i)
            b->noise_key[i] = (uint32_t)(rng_hash(c->np.seed, STREAM_NOISE + i, 0) >> 32);
        b->noise_key_seed = c->np.seed;
        b->noise_key_n = b->capacity;
        b->noise_pair_valid = 0;
    }
    const uint64_t pair = step_index >> 1;
    const int odd = (int)(step_index & 1u);
    int mode = odd;
    if (odd && b->noise_pair_valid && b->noise_pair == pair && n <= b->noise_pair_n)
        mode = 2;
    bank_noise_draw d = {
        .s_radius = (uint32_t)(mix64(2u * pair + 0x632BE59BD9B4E019ull) >> 32),
        .s_angle = (uint32_t)(mix64(2u * pair + 1u + 0x632BE59BD9B4E019ull) >> 32),
        .mode = mode, .decay = c->noise_decay, .kick = c->noise_kick, .isa = c->mp.isa};
    /* the pair is kept for the odd step; neurons added later have none */
    b->noise_pair = pair;
    b->noise_pair_n = n;
    b->noise_pair_valid = !odd;
    b->noise_live = 1;
    b->noise_quiet = 0;
    b->input_gen++;
    return d;
}

void
bank_noise_range(bank *b, const bank_noise_draw *d, uint32_t begin, uint32_t end)
{
    noise_step(d->isa, b->noise + begin, b->noise_second + begin, b->noise_key + begin,
               d->s_radius, d->s_angle, d->decay, d->kick, d->mode, end - begin);
}

/* Noise switched off: the OU current relaxes to zero with its own time
 * constant (as the process does with sigma = 0), not frozen at its last
 * value; once flush-to-zero has ended every neuron's decay it is left alone. */
void
bank_noise_relax(bank *b, const bank_config *c)
{
    const float decay = c->noise_decay;
    for (uint32_t i = 0; i < b->n; ++i)
        b->noise[i] *= decay;
    b->input_gen++;
    if (++b->noise_quiet % ZERO_CHECK == 0)
        b->noise_live = !all_zero(b->noise, b->n);
}
