#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
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
    size_t mapped; /* bytes mapped, or 0 for a block from calloc */
} zeroed_head;

void *
zeroed_alloc(size_t bytes, int touch)
{
    const size_t extra = ZEROED_ALIGN + sizeof(zeroed_head);
    if (bytes > SIZE_MAX - extra - ZEROED_PAGE)
        return NULL;
    void *raw = NULL;
    size_t mapped = 0;
#if ZEROED_MMAP
    if (bytes >= ZEROED_MAP_FROM) {
        size_t len = (bytes + extra + ZEROED_PAGE - 1u) & ~(size_t)(ZEROED_PAGE - 1u);
        void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m != MAP_FAILED) {
            raw = m;
            mapped = len;
            atomic_fetch_add_explicit(&mapped_now, len, memory_order_relaxed);
        }
    }
#endif
    if (!raw)
        raw = calloc(1, bytes + extra);
    if (!raw)
        return NULL;
    uintptr_t start = ((uintptr_t)raw + sizeof(zeroed_head) + ZEROED_ALIGN - 1u) &
                      ~(uintptr_t)(ZEROED_ALIGN - 1u);
    ((zeroed_head *)start)[-1] = (zeroed_head){raw, mapped};
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
        atomic_fetch_sub_explicit(&mapped_now, h.mapped, memory_order_relaxed);
        return;
    }
#endif
    free(h.raw);
}
