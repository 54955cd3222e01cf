#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MADV_HUGEPAGE */
#include "zeroed.h"

#include <pthread.h>
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
 * engine took most of its creation (docs/performance-log.md, "Creating a
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

typedef struct zeroed_slab zeroed_slab;

/* Just below the aligned start: what zeroed_free needs. */
typedef struct {
    void *raw;
    size_t mapped;  /* bytes mapped, or 0 for a block from calloc or a slab */
    size_t counted; /* of them, in mapped_now: all but the alignment's slack */
    zeroed_slab *slab; /* the slab the block was cut from, or NULL */
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

#if ZEROED_MMAP
/* Touched blocks under 2 MiB are cut one after another from 2 MiB pages of
 * their own, slabs, instead of each being a mapping of 4 KiB pages: a
 * real-time engine has some fifty of them (a receptor's or a settling
 * array, 64 KiB each: 3.4 MiB in all), whose first writes were about a
 * thousand page faults, each an exit to the hypervisor on the virtual
 * machines we measure on (5 to 20 us), and whose munmaps each flushed the
 * TLB: cut from slabs, an engine's creation took 4.1 ms instead of 11.6
 * and its destruction 0.3 instead of 3.2 (docs/performance-log.md, "Creating
 * a real-time engine: slabs"). A slab is cut from its start on and never
 * reused inside; it is unmapped once its last block is freed and another
 * slab has taken its place, so a process keeps at most one empty slab.
 * The lock is only taken by creation and destruction, never on an audio
 * thread (nothing there allocates). */
#define ZEROED_SLAB ZEROED_HUGE

struct zeroed_slab {
    void *raw;       /* the mapping, ZEROED_SLAB longer than the slab for its alignment */
    uintptr_t start; /* the slab, on a 2 MiB boundary */
    size_t used;     /* bytes cut from its start */
    size_t live;     /* blocks not freed */
};

static pthread_mutex_t slab_lock = PTHREAD_MUTEX_INITIALIZER;
static zeroed_slab *slab_open; /* the slab blocks are cut from now, or NULL */

static void
slab_unmap(zeroed_slab *s)
{
    munmap(s->raw, 2u * ZEROED_SLAB);
    atomic_fetch_sub_explicit(&mapped_now, ZEROED_SLAB, memory_order_relaxed);
}

/* A block of `need` bytes from a slab (the open one, or a new one if it
 * has no room), its head's slab set; NULL if no mapping can be made. */
static uintptr_t
slab_cut(size_t need, zeroed_slab **from)
{
    pthread_mutex_lock(&slab_lock);
    zeroed_slab *s = slab_open;
    if (!s || s->used + need > ZEROED_SLAB) {
        void *raw = zeroed_map(2u * ZEROED_SLAB);
        if (!raw) {
            pthread_mutex_unlock(&slab_lock);
            return 0;
        }
        const uintptr_t start =
            ((uintptr_t)raw + ZEROED_SLAB - 1u) & ~(uintptr_t)(ZEROED_SLAB - 1u);
#ifdef MADV_HUGEPAGE
        (void)madvise((void *)start, ZEROED_SLAB, MADV_HUGEPAGE);
#endif
        atomic_fetch_add_explicit(&mapped_now, ZEROED_SLAB, memory_order_relaxed);
        /* the slab's own record sits at its start, in its first block's place */
        zeroed_slab *fresh = (zeroed_slab *)start;
        *fresh = (zeroed_slab){raw, start, ZEROED_ALIGN, 0};
        if (s && s->live == 0)
            slab_unmap(s);
        slab_open = s = fresh;
    }
    const uintptr_t at = s->start + s->used;
    s->used += need;
    s->live++;
    *from = s;
    pthread_mutex_unlock(&slab_lock);
    return at;
}

static void
slab_release(zeroed_slab *s)
{
    pthread_mutex_lock(&slab_lock);
    if (--s->live == 0 && s != slab_open)
        slab_unmap(s);
    pthread_mutex_unlock(&slab_lock);
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
    zeroed_slab *slab = NULL;
#if ZEROED_MMAP
    /* a slab block: its head's line, then its bytes to a line's end */
    const size_t slab_need =
        ZEROED_ALIGN + ((bytes + ZEROED_ALIGN - 1u) & ~(size_t)(ZEROED_ALIGN - 1u));
    if (touch && bytes >= ZEROED_MAP_FROM && slab_need <= ZEROED_SLAB - ZEROED_ALIGN) {
        const uintptr_t at = slab_cut(slab_need, &slab);
        if (at)
            start = at + ZEROED_ALIGN;
    } else if (touch && bytes >= ZEROED_HUGE) {
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
    if (!raw && !slab)
        raw = calloc(1, bytes + extra);
    if (!raw && !slab)
        return NULL;
    if (!start)
        start = ((uintptr_t)raw + sizeof(zeroed_head) + ZEROED_ALIGN - 1u) &
                ~(uintptr_t)(ZEROED_ALIGN - 1u);
    ((zeroed_head *)start)[-1] = (zeroed_head){raw, mapped, counted, slab};
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
    if (h.slab) {
        slab_release(h.slab);
        return;
    }
    if (h.mapped) {
        munmap(h.raw, h.mapped);
        atomic_fetch_sub_explicit(&mapped_now, h.counted, memory_order_relaxed);
        return;
    }
#endif
    free(h.raw);
}
