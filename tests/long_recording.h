/* long_recording.h — a recording longer than what a player of recorded
 * spikes holds in memory from its start (its head: 65536 spikes), for the
 * plugin's and the JACK client's tests of a jump past it: a spike every
 * 5 ms, LONG_RECORDING_SPIKES in all (350 s), units 0-3 in turn, each a
 * third of a frame at 48 kHz past its 5 ms (between samples). */
#ifndef HILLOCK_TESTS_LONG_RECORDING_H
#define HILLOCK_TESTS_LONG_RECORDING_H

#include <stdbool.h>
#include <stdio.h>

#define LONG_RECORDING_SPIKES 70000u

static inline double
long_recording_time(unsigned k)
{
    return 0.005 * (double)(k + 1u) + 1.0 / (3.0 * 48000.0);
}

/* Writes it as CSV (time_s,neuron); false if the file cannot be written. */
static inline bool
long_recording_write(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    for (unsigned k = 0; k < LONG_RECORDING_SPIKES; ++k)
        fprintf(f, "%.12f,%u\n", long_recording_time(k), k % 4u);
    return fclose(f) == 0;
}

#endif
