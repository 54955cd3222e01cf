/* flash_count.c — general flashes per second (WCAG 2.3.1; flash_count.h). */
#include "flash_count.h"

#include <math.h>
#include <stdint.h>

static double
linear(unsigned c)
{
    double s = c / 255.0;
    return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
}

void
flash_window_luminance(cairo_surface_t *s, double out[FLASH_WINDOWS])
{
    double lut[256];
    for (int i = 0; i < 256; ++i)
        lut[i] = linear((unsigned)i);
    cairo_surface_flush(s);
    const unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    /* luminance summed per cell of a 6 x 6 grid; a window is 2 x 2 cells */
    double cell[6][6] = {{0}};
    long count[6][6] = {{0}};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            uint32_t p = *(const uint32_t *)(d + y * stride + 4 * x);
            int cy = y * 6 / h, cx = x * 6 / w;
            cell[cy][cx] += 0.2126 * lut[(p >> 16) & 255] + 0.7152 * lut[(p >> 8) & 255] +
                            0.0722 * lut[p & 255];
            count[cy][cx]++;
        }
    for (int wy = 0; wy < FLASH_GRID; ++wy)
        for (int wx = 0; wx < FLASH_GRID; ++wx)
            out[wy * FLASH_GRID + wx] =
                (cell[wy][wx] + cell[wy][wx + 1] + cell[wy + 1][wx] + cell[wy + 1][wx + 1]) /
                (double)(count[wy][wx] + count[wy][wx + 1] + count[wy + 1][wx] +
                         count[wy + 1][wx + 1]);
}

int
flash_most_per_second(const double *lum, int n, int fps)
{
    int change_at[FLASH_MAX_FRAMES], changes = 0, dir = 0;
    double lo = lum[0], hi = lum[0];
    for (int t = 1; t < n && t < FLASH_MAX_FRAMES; ++t) {
        double l = lum[t];
        if (dir >= 0 && hi - l >= 0.1 && l < 0.8) { /* a fall from the high */
            change_at[changes++] = t;
            dir = -1;
            lo = hi = l;
        } else if (dir <= 0 && l - lo >= 0.1 && lo < 0.8) { /* a rise from the low */
            change_at[changes++] = t;
            dir = 1;
            lo = hi = l;
        }
        lo = fmin(lo, l);
        hi = fmax(hi, l);
    }
    int most = 0;
    for (int i = 0; i < changes; ++i) {
        int j = i;
        while (j < changes && change_at[j] - change_at[i] < fps)
            ++j;
        most = (j - i) / 2 > most ? (j - i) / 2 : most;
    }
    return most;
}

int
flash_worst_window(double series[FLASH_WINDOWS][FLASH_MAX_FRAMES], int n, int fps)
{
    int worst = 0;
    for (int k = 0; k < FLASH_WINDOWS; ++k) {
        int f = flash_most_per_second(series[k], n, fps);
        worst = f > worst ? f : worst;
    }
    return worst;
}
