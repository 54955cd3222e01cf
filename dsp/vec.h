/* vec.h — GCC vector extensions for kernels written once for every width.
 *
 * A kernel's arithmetic is written on vf / vi with the ordinary operators;
 * each instruction-set path compiles it at its own width (4 lanes for SSE2,
 * 8 for AVX2, 16 for AVX-512) under its target attribute. Lane by lane the
 * operations are the IEEE ones of the scalar loop in the same order (C11
 * mode: no FMA contraction), so every width gives the same bits. Only what
 * truly differs per instruction set (table transposes, "any lane set") is
 * written per path.
 *
 * GCC and clang only; on other compilers the kernels fall back to the
 * portable loops (SIMD_X86 is 0).
 */
#ifndef HILLOCK_VEC_H
#define HILLOCK_VEC_H

#include <stdint.h>
#include <string.h>

typedef float vf4 __attribute__((vector_size(16)));
typedef float vf8 __attribute__((vector_size(32)));
typedef float vf16 __attribute__((vector_size(64)));
typedef int32_t vi4 __attribute__((vector_size(16)));
typedef int32_t vi8 __attribute__((vector_size(32)));
typedef int32_t vi16 __attribute__((vector_size(64)));
typedef uint32_t vu4 __attribute__((vector_size(16)));
typedef uint32_t vu8 __attribute__((vector_size(32)));
typedef uint32_t vu16 __attribute__((vector_size(64)));

/* Loads and stores at any float alignment: memcpy of a whole vector, which
 * GCC turns into one unaligned vector move. */
#define VEC_LOAD(type, p)                                                                \
    __extension__({                                                                      \
        type vec_load_;                                                                  \
        memcpy(&vec_load_, (p), sizeof vec_load_);                                       \
        vec_load_;                                                                       \
    })
#define VEC_STORE(p, x)                                                                  \
    do {                                                                                 \
        __typeof__(x) vec_store_ = (x);                                                  \
        memcpy((p), &vec_store_, sizeof vec_store_);                                     \
    } while (0)

/* mask ? a : b lane by lane, for a mask from a vector comparison (every bit
 * of a lane set or clear); C has no vector ?: */
#define VEC_SELECT(vi_type, mask, a, b)                                                  \
    ((__typeof__(a))(((mask) & (vi_type)(a)) | (~(mask) & (vi_type)(b))))

#endif
