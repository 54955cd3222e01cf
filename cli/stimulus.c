/* stimulus.c — mono, resampled stimulus from a sound file.
 *
 * Resampling is linear interpolation between neighbouring input frames: the
 * output sample k sits at input position k * in_rate / out_rate. This is
 * adequate for a stimulus current (no anti-alias filter: content above the
 * lower Nyquist frequency folds back when downsampling); resample with sox
 * beforehand where that matters.
 */
#include "stimulus.h"

#include "input_file.h"

#include <errno.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_FRAMES 4096

struct stimulus {
    SNDFILE *file;
    SF_INFO info;
    double step;          /* input frames per output frame */
    uint64_t out_index;   /* next output frame */

    /* the two input frames around the current position, mixed to mono */
    int64_t cur;          /* index of x_cur in the file */
    float x_cur, x_next;
    bool primed;

    /* mono frames read ahead from the file */
    float *interleaved;
    float *mono;
    sf_count_t chunk_len, chunk_pos;
    bool ended;           /* the file has no more frames */
    bool failed;          /* a read error: message in error */
    char error[200];
};

stimulus *
stimulus_open(const char *path, double out_rate, char *err, size_t err_len)
{
    stimulus *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    int fd = input_file_open(path, "input", 0, err, err_len);
    if (fd < 0) {
        free(s);
        return NULL;
    }
    s->file = sf_open_fd(fd, SFM_READ, &s->info, SF_TRUE);
    if (!s->file) {
        snprintf(err, err_len, "cannot read input '%s': %s", path, sf_strerror(NULL));
        free(s);
        return NULL;
    }
    if (s->info.channels < 1 || s->info.samplerate < 1) {
        snprintf(err, err_len, "cannot read input '%s': no audio channels", path);
        stimulus_close(s);
        return NULL;
    }
    s->interleaved = malloc((size_t)CHUNK_FRAMES * (size_t)s->info.channels * sizeof(float));
    s->mono = malloc(CHUNK_FRAMES * sizeof(float));
    if (!s->interleaved || !s->mono) {
        snprintf(err, err_len, "out of memory reading '%s'", path);
        stimulus_close(s);
        return NULL;
    }
    s->step = (double)s->info.samplerate / out_rate;
    return s;
}

/* The next input frame mixed to mono; 0 once the file has ended. */
static float
pull(stimulus *s)
{
    if (s->chunk_pos == s->chunk_len) {
        if (s->ended)
            return 0.0f;
        sf_count_t got = sf_readf_float(s->file, s->interleaved, CHUNK_FRAMES);
        if (got <= 0 && sf_error(s->file) != SF_ERR_NO_ERROR) {
            snprintf(s->error, sizeof s->error, "reading input: %s", sf_strerror(s->file));
            s->failed = true;
            got = 0;
        }
        if (got < CHUNK_FRAMES)
            s->ended = true;
        const int ch = s->info.channels;
        for (sf_count_t f = 0; f < got; ++f) {
            float sum = 0.0f;
            for (int c = 0; c < ch; ++c)
                sum += s->interleaved[f * ch + c];
            s->mono[f] = isfinite(sum) ? sum / (float)ch : 0.0f;
        }
        s->chunk_len = got;
        s->chunk_pos = 0;
        if (got == 0)
            return 0.0f;
    }
    return s->mono[s->chunk_pos++];
}

bool
stimulus_read(stimulus *s, float *out, uint32_t n, char *err, size_t err_len)
{
    if (!s->primed) {
        s->x_cur = pull(s);
        s->x_next = pull(s);
        s->cur = 0;
        s->primed = true;
    }
    for (uint32_t k = 0; k < n; ++k, ++s->out_index) {
        /* computed from the index, not accumulated, so it never drifts */
        double pos = (double)s->out_index * s->step;
        int64_t i0 = (int64_t)floor(pos);
        while (s->cur < i0) {
            s->x_cur = s->x_next;
            s->x_next = pull(s);
            ++s->cur;
        }
        float frac = (float)(pos - (double)i0);
        out[k] = s->x_cur + frac * (s->x_next - s->x_cur);
    }
    if (s->failed) {
        snprintf(err, err_len, "%s", s->error);
        return false;
    }
    return true;
}

double
stimulus_file_rate(const stimulus *s)
{
    return s->info.samplerate;
}

int
stimulus_file_channels(const stimulus *s)
{
    return s->info.channels;
}

int64_t
stimulus_file_frames(const stimulus *s)
{
    return s->info.frames;
}

void
stimulus_close(stimulus *s)
{
    if (!s)
        return;
    if (s->file)
        sf_close(s->file);
    free(s->interleaved);
    free(s->mono);
    free(s);
}

bool
stimulus_skip(stimulus *s, uint64_t frames, char *err, size_t err_len)
{
    float scratch[1024];
    while (frames > 0) {
        uint32_t n = frames < 1024u ? (uint32_t)frames : 1024u;
        if (!stimulus_read(s, scratch, n, err, err_len))
            return false;
        frames -= n;
    }
    return true;
}
