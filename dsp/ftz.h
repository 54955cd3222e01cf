/* ftz.h — no slow denormals in the audio path. */
#ifndef HILLOCK_FTZ_H
#define HILLOCK_FTZ_H

#include <stdint.h>

/* Flush denormals to zero (FTZ + DAZ) for the duration of a process call:
 * state = ftz_enter(); ... ftz_leave(state). Real-time safe. */
uint32_t ftz_enter(void);
void ftz_leave(uint32_t state);

#endif
