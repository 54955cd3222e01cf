#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MADV_HUGEPAGE */
#include "zeroed.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(__unix__) || defined(__APPLE__)
#include <sys/mman.h>
#define ZEROED_MMAP 1
#else
#define ZEROED_MMAP 0
#endif

#define ZEROED_ALIGN 64u
#define ZEROED_PAGE 4096u /* the smallest page size: touching every 4 KiB covers larger ones */
/* From here up, an array is its own anonymous mapping: the system hands
 * out zero pages mapped at first use. calloc does the same only for
 * blocks above its own threshold (128 KiB at first, moving up as blocks
 * are freed) and otherwise writes the zeros itself, touching every page. */
#define ZEROED_MAP_FROM (16u * 1024u)
/* A touched block from this size up asks for 2 MiB pages: each 4 KiB page's
 * first write costs a fault (and on the virtual machines we measure on, an
 * exit to the hypervisor), 5 to 20 us, so the 4 MiB blocks of a real-time
 * engine took most of its creation (docs/performance.md, "Creating a
 * real-time engine"). The block is mapped 2 MiB longer so that its inside
 * can be aligned for them; where the system gives none, 4 KiB pages. */
#define ZEROED_HUGE (2u * 1024u * 1024u)

/* Bytes in mappings of ours now: the heap's own statistics do not see them
 * (hillock bench reports an engine's memory from both). */
static atomic_size_t mapped_now;

size_t
zeroed_mapped_bytes(void)
{
    return atomic_load_explicit(&mapped_now, memory_order_relaxed);
}

/* Just below the aligned start: what zeroed_free needs. */
typedef struct {
    void *raw;
    size_t mapped;  /* bytes mapped, or 0 for a block from calloc */
    size_t counted; /* of them, in mapped_now: all but the alignment's slack */
} zeroed_head;

#if ZEROED_MMAP
/* An anonymous mapping of len bytes (zero pages until written), or NULL. */
static void *
zeroed_map(size_t len)
{
    void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return m == MAP_FAILED ? NULL : m;
}
#endif

void *
zeroed_alloc(size_t bytes, int touch)
{
    const size_t extra = ZEROED_ALIGN + sizeof(zeroed_head);
    if (bytes > SIZE_MAX - extra - 2u * ZEROED_HUGE)
        return NULL;
    void *raw = NULL;
    size_t mapped = 0, counted = 0;
    uintptr_t start = 0;
#if ZEROED_MMAP
    if (touch && bytes >= ZEROED_HUGE) {
        /* the arrays start on a 2 MiB boundary and fill whole 2 MiB pages;
         * the head sits in the slack below them */
        const size_t span = (bytes + ZEROED_HUGE - 1u) & ~(size_t)(ZEROED_HUGE - 1u);
        mapped = span + ZEROED_HUGE;
        raw = zeroed_map(mapped);
        counted = span + ZEROED_PAGE; /* the arrays and the head's page */
        if (raw) {
            start = ((uintptr_t)raw + sizeof(zeroed_head) + ZEROED_HUGE - 1u) &
                    ~(uintptr_t)(ZEROED_HUGE - 1u);
#ifdef MADV_HUGEPAGE
            (void)madvise((void *)start, span, MADV_HUGEPAGE); /* advice: 4 KiB pages if refused */
#endif
        }
    } else if (bytes >= ZEROED_MAP_FROM) {
        counted = mapped = (bytes + extra + ZEROED_PAGE - 1u) & ~(size_t)(ZEROED_PAGE - 1u);
        raw = zeroed_map(mapped);
    }
    if (raw)
        atomic_fetch_add_explicit(&mapped_now, counted, memory_order_relaxed);
    else
        mapped = counted = 0;
#endif
    if (!raw)
        raw = calloc(1, bytes + extra);
    if (!raw)
        return NULL;
    if (!start)
        start = ((uintptr_t)raw + sizeof(zeroed_head) + ZEROED_ALIGN - 1u) &
                ~(uintptr_t)(ZEROED_ALIGN - 1u);
    ((zeroed_head *)start)[-1] = (zeroed_head){raw, mapped, counted};
    if (touch) {
        /* volatile: a write of the zero already there must not be elided */
        volatile unsigned char *p = (volatile unsigned char *)start;
        for (size_t at = 0; at < bytes; at += ZEROED_PAGE)
            p[at] = 0;
        if (bytes)
            p[bytes - 1] = 0;
    }
    return (void *)start;
}

void
zeroed_free(void *p)
{
    if (!p)
        return;
    zeroed_head h = ((zeroed_head *)p)[-1];
#if ZEROED_MMAP
    if (h.mapped) {
        munmap(h.raw, h.mapped);
        atomic_fetch_sub_explicit(&mapped_now, h.counted, memory_order_relaxed);
        return;
    }
#endif
    free(h.raw);
}
