#include "simd.h"

#include <stdlib.h>
#include <string.h>

int
simd_supported(simd_isa isa)
{
#if SIMD_X86
    __builtin_cpu_init();
    switch (isa) {
    case SIMD_SCALAR:
        return 1;
    case SIMD_AVX2:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
               __builtin_cpu_supports("bmi2");
    case SIMD_AVX512:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") &&
               simd_supported(SIMD_AVX2);
    default:
        return 0;
    }
#else
    return isa == SIMD_SCALAR;
#endif
}

simd_isa
simd_best(void)
{
    for (int k = SIMD_COUNT - 1; k > 0; --k)
        if (simd_supported((simd_isa)k))
            return (simd_isa)k;
    return SIMD_SCALAR;
}

simd_isa
simd_cap(int isa)
{
    int k = isa < 0 || isa >= SIMD_COUNT ? SIMD_COUNT - 1 : isa;
    while (k > 0 && !simd_supported((simd_isa)k))
        --k;
    return (simd_isa)k;
}

simd_isa
simd_default(void)
{
    const char *env = getenv("HILLOCK_ISA");
    int want = env ? simd_parse(env) : SIMD_COUNT;
    return simd_cap(want < 0 ? SIMD_COUNT : want);
}

const char *
simd_name(simd_isa isa)
{
    static const char *const names[SIMD_COUNT] = {"sse2", "avx2", "avx512"};
    return (unsigned)isa < SIMD_COUNT ? names[isa] : "?";
}

int
simd_parse(const char *name)
{
    if (!strcmp(name, "auto") || !strcmp(name, ""))
        return SIMD_COUNT;
    if (!strcmp(name, "scalar"))
        return SIMD_SCALAR;
    for (int k = 0; k < SIMD_COUNT; ++k)
        if (!strcmp(name, simd_name((simd_isa)k)))
            return k;
    return -1;
}
