/* rt_trap.c — see rt_trap.h. glibc exports its allocator under __libc_*
 * names, which forward without recursion; the real pthread_mutex_lock is
 * looked up once, before anything is armed. */
#define _GNU_SOURCE
#include "rt_trap.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stddef.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t alignment, size_t size);

static _Thread_local int armed;
static _Thread_local unsigned count;
static _Thread_local const char *last = "nothing";
static int (*real_mutex_lock)(pthread_mutex_t *);

static void
hit(const char *what)
{
    if (armed) {
        count++;
        last = what;
    }
}

__attribute__((constructor)) static void
rt_trap_init(void)
{
    real_mutex_lock = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_lock");
}

void
rt_trap_arm(void)
{
    count = 0;
    last = "nothing";
    armed = 1;
}

unsigned
rt_trap_disarm(void)
{
    armed = 0;
    return count;
}

const char *
rt_trap_last(void)
{
    return last;
}

void *
malloc(size_t size)
{
    hit("malloc");
    return __libc_malloc(size);
}

void *
calloc(size_t n, size_t size)
{
    hit("calloc");
    return __libc_calloc(n, size);
}

void *
realloc(void *p, size_t size)
{
    hit("realloc");
    return __libc_realloc(p, size);
}

void
free(void *p)
{
    hit("free");
    __libc_free(p);
}

int
posix_memalign(void **out, size_t alignment, size_t size)
{
    hit("posix_memalign");
    void *p = __libc_memalign(alignment, size);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

void *
aligned_alloc(size_t alignment, size_t size)
{
    hit("aligned_alloc");
    return __libc_memalign(alignment, size);
}

int
pthread_mutex_lock(pthread_mutex_t *m)
{
    hit("pthread_mutex_lock");
    if (!real_mutex_lock)
        rt_trap_init();
    return real_mutex_lock(m);
}
