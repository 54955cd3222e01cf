/* guard_budget.c — one calibration per process and (rate, path): hosts
 * instantiate many plugins, and each calibration costs about 40 ms. */
#include "guard_budget.h"

#include "engine.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CACHE 8

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    double rate;
    simd_isa isa;
    double budget;
} cache[CACHE];
static unsigned cached;

double
hillock_guard_budget(double rate, simd_isa isa)
{
    pthread_mutex_lock(&lock);
    double budget = 0.0;
    for (unsigned i = 0; i < cached && budget <= 0.0; ++i)
        if (cache[i].rate == rate && cache[i].isa == isa)
            budget = cache[i].budget;
    if (budget <= 0.0) {
        budget = engine_calibrate_budget(rate, isa, HILLOCK_GUARD_SHARE);
        cache[cached % CACHE].rate = rate;
        cache[cached % CACHE].isa = isa;
        cache[cached % CACHE].budget = budget;
        if (cached < CACHE)
            cached++;
    }
    pthread_mutex_unlock(&lock);
    return budget;
}
