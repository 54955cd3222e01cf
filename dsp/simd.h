/* simd.h — run-time choice of the instruction-set path for the bank's inner
 * loops.
 *
 * Release builds target baseline x86-64 (SSE2); the hot loops are compiled a
 * second and third time for AVX2 and AVX-512 with GCC's target attribute
 * (SIMD_MULTIVERSION below) and the widest path the CPU supports is chosen at
 * run time. Every path does the same float operations in the same order
 * (C11 mode: no FMA contraction, no reassociation), so all paths give
 * bit-identical results; they differ only in speed.
 *
 * HILLOCK_ISA=sse2|avx2|avx512 (environment) or simd_force() caps the path,
 * for tests and benchmarks. A request the CPU cannot run falls back to the
 * widest path it can.
 */
#ifndef HILLOCK_SIMD_H
#define HILLOCK_SIMD_H

typedef enum {
    SIMD_SCALAR, /* portable C; SSE2 on x86-64 */
    SIMD_AVX2,   /* AVX2 + FMA (FMA unused: bit-identity) */
    SIMD_AVX512, /* AVX-512 F/VL/DQ/BW, 512-bit vectors */
    SIMD_COUNT
} simd_isa;

/* The path the bank uses now. Cheap (a cached load); real-time safe. */
simd_isa simd_active(void);

/* Best path this CPU can run. */
simd_isa simd_best(void);

/* 1 if this CPU can run path isa. */
int simd_supported(simd_isa isa);

/* Use path isa from now on (capped to what the CPU supports); returns the
 * path actually chosen. Not for the audio thread: call before processing. */
simd_isa simd_force(simd_isa isa);

/* "sse2", "avx2", "avx512" */
const char *simd_name(simd_isa isa);
/* Parse a name (also "scalar", "auto"); -1 if unknown, SIMD_COUNT for auto. */
int simd_parse(const char *name);

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define SIMD_X86 1
/* Under the default -ftrapping-math, GCC will not if-convert a division or
 * conversion that the source computes unconditionally but only uses on one
 * side of a select, so the loops stay scalar without AVX-512 masking. No
 * kernel reads floating-point exception flags, and values do not change
 * (the paths are checked bit-identical in tests/perf). A pragma, because
 * optimize() as a function attribute is not applied to the vectoriser's
 * if-conversion in GCC 12. It applies to the rest of each file that
 * includes this header: the kernel files. */
#pragma GCC optimize("no-trapping-math")
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

/* Define `name` as a dispatcher over three compilations of the always-inline
 * kernel `body`: SIMD_MULTIVERSION(hh_step, hh_kernel, (args...), (names...)). */
#define SIMD_MULTIVERSION(name, body, params, args)                                     \
    SIMD_TARGET_AVX512 static void name##_avx512 params { body args; }                 \
    SIMD_TARGET_AVX2 static void name##_avx2 params { body args; }                     \
    static void name##_scalar params { body args; }                                    \
    static void name params                                                             \
    {                                                                                   \
        switch (simd_active()) {                                                        \
        case SIMD_AVX512: name##_avx512 args; break;                                   \
        case SIMD_AVX2: name##_avx2 args; break;                                       \
        default: name##_scalar args; break;                                            \
        }                                                                               \
    }

#endif
