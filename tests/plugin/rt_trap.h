/* rt_trap.h — counts allocations and mutex locks made on this thread while
 * armed. The test executable defines malloc, calloc, realloc, free,
 * posix_memalign, aligned_alloc and pthread_mutex_lock itself (exported
 * with -rdynamic), so calls from the dlopen'ed plugin land here too. */
#ifndef HILLOCK_RT_TRAP_H
#define HILLOCK_RT_TRAP_H

void rt_trap_arm(void);
/* Disarms and returns the calls counted since rt_trap_arm(). */
unsigned rt_trap_disarm(void);
/* What the last counted call was ("malloc", ...), for the message. */
const char *rt_trap_last(void);

#endif
