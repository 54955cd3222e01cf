/* guard_budget.h — the real-time guard's budget for the plugin's instances. */
#ifndef HILLOCK_PLUGIN_GUARD_BUDGET_H
#define HILLOCK_PLUGIN_GUARD_BUDGET_H

#include "simd.h"

/* Work units per second (engine_set_budget) so that a block takes at most
 * HILLOCK_GUARD_SHARE of its duration on this CPU: calibrated once per
 * process for each sample rate and instruction-set path (about 40 ms, at
 * instantiate, never in run()); later instances reuse it. */
#define HILLOCK_GUARD_SHARE 0.9
double hillock_guard_budget(double rate, simd_isa isa);


#endif
