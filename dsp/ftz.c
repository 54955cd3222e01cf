/* ftz.c — denormals flushed to zero around a process call. */
#include "ftz.h"

#include "simd.h"

#if SIMD_X86
#include <immintrin.h>
#endif

#if SIMD_X86
#define MXCSR_FTZ_DAZ 0x8040u

uint32_t
ftz_enter(void)
{
    uint32_t old = _mm_getcsr();
    _mm_setcsr(old | MXCSR_FTZ_DAZ);
    return old;
}

void
ftz_leave(uint32_t state)
{
    _mm_setcsr(state);
}
#else
uint32_t
ftz_enter(void)
{
    return 0;
}

void
ftz_leave(uint32_t state)
{
    (void)state;
}
#endif
