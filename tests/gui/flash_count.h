/* flash_count.h — counting general flashes in a sequence of frames, as
 * WCAG 2.2 success criterion 2.3.1 ("Three Flashes or Below Threshold")
 * defines them.
 *
 * A general flash is a pair of opposing changes in relative luminance of
 * 10 % or more of the maximum relative luminance (1.0), where the darker
 * image is below 0.80, over a combined area of at least a quarter of any
 * 10 degree field of view (341 x 256 px of a 1024 x 768 screen, about 11 %
 * of it). Relative luminance as WCAG defines it from sRGB.
 *
 * The frame is followed as the mean relative luminance of every window of
 * a third of its width and height (stride a sixth: FLASH_WINDOWS windows);
 * a window's series may show at most three flashes in any second. */
#ifndef HILLOCK_TEST_FLASH_COUNT_H
#define HILLOCK_TEST_FLASH_COUNT_H

#include <cairo.h>

#define FLASH_GRID 5 /* window positions per axis: thirds at a stride of a sixth */
#define FLASH_WINDOWS (FLASH_GRID * FLASH_GRID)
#define FLASH_MAX_FRAMES 512

/* Mean relative luminance of each window of an RGB24 image surface. */
void flash_window_luminance(cairo_surface_t *s, double out[FLASH_WINDOWS]);

/* Most flashes (pairs of opposing changes of >= 0.1 with the darker side
 * below 0.8) within any `fps` consecutive frames of one luminance series
 * of n <= FLASH_MAX_FRAMES frames. */
int flash_most_per_second(const double *lum, int n, int fps);

/* The same, the worst of every window: series[k][frame], n frames. */
int flash_worst_window(double series[FLASH_WINDOWS][FLASH_MAX_FRAMES], int n, int fps);

#endif
