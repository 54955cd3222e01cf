/* page_faults.h — counting the page faults an audio thread takes, for the
 * engine's and the plugin's tests that what it writes is resident from
 * create on (dsp/zeroed.h). A real-time host locks its memory (mlockall)
 * and runs its audio thread on a stack locked at creation (JACK), so code
 * run for the first time and a deep call do not fault there: the tests map
 * both first, and what faults after that is the engine's own memory.
 * Needs _GNU_SOURCE (RUSAGE_THREAD) before the first system header. */
#ifndef HILLOCK_TESTS_PAGE_FAULTS_H
#define HILLOCK_TESTS_PAGE_FAULTS_H

#include <stdio.h>
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
__attribute__((noinline)) static void
page_faults_map_stack(void)
{
    volatile unsigned char pages[256 * 1024];
    for (size_t at = 0; at < sizeof pages; at += 4096)
        pages[at] = 0;
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
