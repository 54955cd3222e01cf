/* bench_worst.h — `hillock bench --worst`: the heaviest in-range settings,
 * unguarded and with the real-time guard. */
#ifndef HILLOCK_BENCH_WORST_H
#define HILLOCK_BENCH_WORST_H

/* Prints the rows; returns 0, or 1 if an engine could not be created. */
int bench_worst(int blocks);

#endif
