/* simd.h — run-time choice of the instruction-set path for the bank's inner
 * loops, made per engine instance (every bank carries its own path, so two
 * plugin instances in one host never share or race on a global).
 *
 * Release builds target baseline x86-64 (SSE2); the hot loops are compiled a
 * second and third time for AVX2 and AVX-512 with GCC's target attribute
 * (SIMD_MULTIVERSION below) and the widest path the CPU supports is chosen at
 * run time. Every path does the same float operations in the same order
 * (C11 mode: no FMA contraction, no reassociation), so all paths give
 * bit-identical results; they differ only in speed.
 *
 * HILLOCK_ISA=sse2|avx2|avx512 (environment) caps the path a new bank starts
 * with, and engine_set_isa() sets one engine's path, for tests and
 * benchmarks. A request the CPU cannot run falls back to the widest path it
 * can.
 */
#ifndef HILLOCK_SIMD_H
#define HILLOCK_SIMD_H

typedef enum {
    SIMD_SCALAR, /* portable C; SSE2 on x86-64 */
    SIMD_AVX2,   /* AVX2 + FMA (FMA unused: bit-identity) */
    SIMD_AVX512, /* AVX-512 F/VL/DQ/BW, 512-bit vectors */
    SIMD_COUNT
} simd_isa;

/* Best path this CPU can run. */
simd_isa simd_best(void);

/* 1 if this CPU can run path isa. */
int simd_supported(simd_isa isa);

/* isa capped to what the CPU supports (SIMD_COUNT or more: the best). */
simd_isa simd_cap(int isa);

/* The path a new bank starts with: the best, capped by HILLOCK_ISA. Reads
 * the environment: not for the audio thread. */
simd_isa simd_default(void);

/* "sse2", "avx2", "avx512" */
const char *simd_name(simd_isa isa);
/* Parse a name (also "scalar", "auto"); -1 if unknown, SIMD_COUNT for auto. */
int simd_parse(const char *name);

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define SIMD_X86 1
#define SIMD_TARGET_AVX2 __attribute__((target("avx2,fma,bmi,bmi2,popcnt")))
/* clang rejects prefer-vector-width in target() and then ignores the whole
 * attribute, which breaks every AVX-512 intrinsic: GCC only. */
#if defined(__clang__)
#define SIMD_AVX512_WIDTH ""
#else
#define SIMD_AVX512_WIDTH ",prefer-vector-width=512"
#endif
#define SIMD_TARGET_AVX512                                                              \
    __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma,bmi,bmi2,"     \
                          "popcnt" SIMD_AVX512_WIDTH)))
#else
#define SIMD_X86 0
#define SIMD_TARGET_AVX2
#define SIMD_TARGET_AVX512
#endif

#define SIMD_INLINE static inline __attribute__((always_inline))

/* Before a loop whose iterations touch no memory another iteration writes
 * (the arrays behind its pointers never overlap): GCC's ivdep, which lets
 * it vectorise without runtime alias checks. Nothing under clang, which
 * compiles only the fuzzing build (untimed; its assume_safety warns where
 * the sanitizers' checks keep a loop scalar). */
#if defined(__clang__)
#define SIMD_IVDEP
#else
#define SIMD_IVDEP _Pragma("GCC ivdep")
#endif

/* Define `name` as a dispatcher over three compilations of the always-inline
 * kernel `body`; the dispatcher takes the path first:
 * SIMD_MULTIVERSION(noise_step, noise_kernel, (params...), (names...))
 * defines noise_step(simd_isa isa, params...).
 *
 * The kernels are built in the kernels-only library (dsp/meson.build) with
 * -fno-trapping-math: under the default -ftrapping-math GCC will not
 * if-convert a division or conversion that the source computes
 * unconditionally but only uses on one side of a select, so the loops would
 * stay scalar without AVX-512 masking. No kernel reads floating-point
 * exception flags, and values do not change (tests/perf checks every path
 * bit-identical). */
#define SIMD_WITH_ISA(...) (simd_isa isa, __VA_ARGS__)
#define SIMD_MULTIVERSION(name, body, params, args)                                     \
    SIMD_TARGET_AVX512 static void name##_avx512 params { body args; }                 \
    SIMD_TARGET_AVX2 static void name##_avx2 params { body args; }                     \
    static void name##_scalar params { body args; }                                    \
    static void name SIMD_WITH_ISA params                                               \
    {                                                                                   \
        switch (isa) {                                                                  \
        case SIMD_AVX512: name##_avx512 args; break;                                   \
        case SIMD_AVX2: name##_avx2 args; break;                                       \
        default: name##_scalar args; break;                                            \
        }                                                                               \
    }

#endif
