/* Flush-to-zero and denormals-are-zero (a decay towards zero would
 * otherwise run through slow denormals) are set inside the audio callback,
 * and the caller's floating-point state is restored after it. The
 * state inside engine_process is seen through the parallel-step hook
 * (engine_set_parallel), which bank_step calls from within it: the runner
 * here reads MXCSR, then runs the parts inline. Bits: FTZ 0x8000, DAZ 0x40
 * (Intel SDM vol. 1, 10.2.3). */
#include "engine.h"

#include <criterion/criterion.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define FTZ_DAZ 0x8040u

static unsigned inside_csr, calls;

static void
inline_runner(void *pool, engine_job job, void *arg, unsigned parts)
{
    (void)pool;
    inside_csr = _mm_getcsr();
    ++calls;
    for (unsigned p = 0; p < parts; ++p)
        job(arg, p);
}

static void
check_with_caller_state(unsigned caller_csr)
{
    engine *e = engine_create(48000);
    cr_assert(e);
    float v[PARAM_COUNT];
    param_defaults(v);
    v[P_START] = START_REST; /* stepping from the first frame */
    v[P_NEURONS] = 1024; /* two blocks: a bank of one steps on the caller alone */
    engine_set_all_params(e, v);
    engine_set_parallel(e, inline_runner, NULL, 2);
    static float l[64], r[64];
    engine_io io = {.out_left = l, .out_right = r};
    const unsigned saved = _mm_getcsr();
    _mm_setcsr(caller_csr);
    calls = 0;
    engine_process(e, &io, 64);
    const unsigned after = _mm_getcsr();
    _mm_setcsr(saved);
    cr_assert(calls > 0, "the runner was never called");
    cr_expect_eq(inside_csr & FTZ_DAZ, FTZ_DAZ, "inside: MXCSR %#x", inside_csr);
    cr_expect_eq(after, caller_csr, "after: MXCSR %#x, the caller had %#x", after,
                 caller_csr);
    engine_destroy(e);
}

Test(ftz, set_inside_the_callback_and_restored_after)
{
    const unsigned base = _mm_getcsr() & ~FTZ_DAZ;
    check_with_caller_state(base);           /* caller without FTZ/DAZ */
    check_with_caller_state(base | FTZ_DAZ); /* caller with them */
}
#endif
