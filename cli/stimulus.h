/* stimulus.h — stimulus audio for `hillock render -i`: any file libsndfile
 * reads, mixed to mono, resampled to the render rate by linear interpolation,
 * and silence once the file has ended. Read block by block so hours of input
 * never sit in memory. */
#ifndef HILLOCK_STIMULUS_H
#define HILLOCK_STIMULUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct stimulus stimulus;

/* Open path for reading at out_rate; NULL with a message naming the file. */
stimulus *stimulus_open(const char *path, double out_rate, char *err, size_t err_len);

/* The next n samples at the render rate. False (with message) on a read error. */
bool stimulus_read(stimulus *s, float *out, uint32_t n, char *err, size_t err_len);

/* Pass over the next `frames` samples (a render continued from a saved
 * state reads on from where the saved one stopped). */
bool stimulus_skip(stimulus *s, uint64_t frames, char *err, size_t err_len);

/* The file's own rate, channels and length in frames, for messages. */
double stimulus_file_rate(const stimulus *s);
int stimulus_file_channels(const stimulus *s);
int64_t stimulus_file_frames(const stimulus *s);

void stimulus_close(stimulus *s);

#endif
