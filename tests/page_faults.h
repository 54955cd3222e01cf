/* page_faults.h — counting the page faults an audio thread takes, for the
 * engine's and the plugin's tests that what it writes is resident from
 * create on (dsp/zeroed.h). A real-time host locks its memory (mlockall)
 * and runs its audio thread on a stack locked at creation (JACK), so code
 * run for the first time and a deep call do not fault there: the tests map
 * both first, and what faults after that is the engine's own memory. And
 * the pages of a block resident now (mincore), for the tests that a block
 * is resident when it is handed out.
 * Needs _GNU_SOURCE (RUSAGE_THREAD) before the first system header. */
#ifndef HILLOCK_TESTS_PAGE_FAULTS_H
#define HILLOCK_TESTS_PAGE_FAULTS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

/* AddressSanitizer's shadow memory faults on its own */
#if defined(__SANITIZE_ADDRESS__)
#define PAGE_FAULTS_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PAGE_FAULTS_UNDER_ASAN 1
#endif
#endif

/* Every page of the process's code read once (0 if /proc is missing). */
static inline int
page_faults_map_code(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return 0;
    char line[512];
    const long page = sysconf(_SC_PAGESIZE);
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && perms[0] == 'r' &&
            perms[2] == 'x')
            for (unsigned long at = lo; at < hi; at += (unsigned long)page)
                (void)*(volatile const unsigned char *)at;
    }
    fclose(f);
    return 1;
}

/* The next 256 KiB of this thread's stack written once. */
__attribute__((noinline, unused)) static void
page_faults_map_stack(void)
{
    volatile unsigned char pages[256 * 1024];
    for (size_t at = 0; at < sizeof pages; at += 4096)
        pages[at] = 0;
}

/* The pages of [p, p + bytes) resident now, their number in *total;
 * (size_t)-1 if mincore fails. */
static inline size_t
page_faults_resident(const void *p, size_t bytes, size_t *total)
{
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    const uintptr_t lo = (uintptr_t)p & ~(uintptr_t)(page - 1u);
    const uintptr_t hi = ((uintptr_t)p + bytes + page - 1u) & ~(uintptr_t)(page - 1u);
    const size_t n = (hi - lo) / page;
    *total = n;
    unsigned char *vec = malloc(n ? n : 1u);
    if (!vec || mincore((void *)lo, hi - lo, vec) != 0) {
        free(vec);
        return (size_t)-1;
    }
    size_t in = 0;
    for (size_t k = 0; k < n; ++k)
        in += vec[k] & 1u;
    free(vec);
    return in;
}

/* 1 if glibc writes every malloc'd and calloc'd block at allocation
 * (MALLOC_PERTURB_, which meson sets for its tests): their pages are then
 * faulted in at create, which hides the faults a test is after; those
 * tests run again without it (a test entry of their own in meson). */
static inline int
page_faults_malloc_perturbed(void)
{
    const char *v = getenv("MALLOC_PERTURB_");
    return v && atoi(v) != 0;
}

/* This thread's minor page faults so far. */
static inline long
page_faults_now(void)
{
    struct rusage u;
    getrusage(RUSAGE_THREAD, &u);
    return u.ru_minflt;
}

#endif
