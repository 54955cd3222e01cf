/* rf64_check.c — WAV files past 4 GiB through libsndfile (docs/reliability.md:
 * a render longer than a WAV can hold is written as RF64).
 *
 *   rf64_check info FILE [FRAMES [all]]
 *       opens FILE with libsndfile and prints its container, frames,
 *       channels and rate; with FRAMES, fails unless the file holds exactly
 *       that many and its last frame reads back; with "all", also reads
 *       every frame in order, which must come to FRAMES, all finite.
 *   rf64_check sparse FILE
 *       writes an RF64 whose audio data is past 4 GiB the way
 *       `hillock render` opens one (cli/render_outputs.c open_wav: SF_FORMAT_RF64,
 *       32-bit float stereo, SFC_RF64_AUTO_DOWNGRADE, no PEAK chunk), but
 *       with only its first and last frames written and a hole in between
 *       (sf_seek in write mode), so it takes a few KiB of disk; then reads
 *       it back: RF64, every frame counted, both frames as written.
 *
 * Exit status 0 when every check holds, 1 otherwise (the reason on stderr).
 */
#include <math.h>
#include <sndfile.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A RIFF size field is 32 bits: 0xFFFFFFFF bytes after the first 8, of which
 * the header takes some; audio past this needs RF64 (EBU Tech 3306). */
#define RIFF_MAX_BYTES 0xFFFFFFFFull

static const char *
container(int format)
{
    switch (format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV: return "WAV";
    case SF_FORMAT_RF64: return "RF64";
    case SF_FORMAT_WAVEX: return "WAVEX";
    default: return "other";
    }
}

static int
fail(const char *what, const char *path)
{
    fprintf(stderr, "rf64_check: %s: %s\n", path, what);
    return 1;
}

/* Reads frame `at` (channels <= 8) into out; false if it is not there. */
static bool
read_frame(SNDFILE *f, sf_count_t at, float *out)
{
    return sf_seek(f, at, SEEK_SET) == at && sf_readf_float(f, out, 1) == 1;
}

static int
info(const char *path, long long want, bool all)
{
    SF_INFO in;
    memset(&in, 0, sizeof in);
    SNDFILE *f = sf_open(path, SFM_READ, &in);
    if (!f)
        return fail(sf_strerror(NULL), path);
    struct stat st;
    printf("%s: %s, %lld frames, %d channels, %d Hz, %.3f GB\n", path, container(in.format),
           (long long)in.frames, in.channels, in.samplerate,
           stat(path, &st) == 0 ? (double)st.st_size / 1e9 : 0.0);
    int status = 0;
    float frame[8];
    if (in.channels < 1 || in.channels > 8) {
        status = fail("unexpected channel count", path);
    } else if (want >= 0) {
        if (in.frames != want) {
            fprintf(stderr, "rf64_check: %s: %lld frames, expected %lld\n", path,
                    (long long)in.frames, want);
            status = 1;
        } else if (want > 0 && !read_frame(f, want - 1, frame)) {
            status = fail("the last frame does not read back", path);
        }
    }
    if (status == 0 && all) {
        static float buf[65536 * 8];
        sf_count_t frames_per_read = 65536, total = 0, got;
        sf_seek(f, 0, SEEK_SET);
        while ((got = sf_readf_float(f, buf, frames_per_read)) > 0) {
            for (sf_count_t i = 0; i < got * in.channels; ++i)
                if (!isfinite(buf[i])) {
                    fprintf(stderr, "rf64_check: %s: frame %lld is not finite\n", path,
                            (long long)(total + i / in.channels));
                    sf_close(f);
                    return 1;
                }
            total += got;
        }
        printf("%s: read %lld frames in order\n", path, (long long)total);
        if (total != want)
            status = fail("reading in order ended before the last frame", path);
    }
    sf_close(f);
    return status;
}

static int
sparse(const char *path)
{
    /* audio data alone past what a RIFF size field can count */
    const sf_count_t frames = (sf_count_t)(RIFF_MAX_BYTES / 8u) + 1000;
    const float first[2] = {0.25f, -0.25f}, last[2] = {0.5f, -0.5f};
    SF_INFO out = {.samplerate = 48000, .channels = 2,
                   .format = SF_FORMAT_RF64 | SF_FORMAT_FLOAT};
    SNDFILE *f = sf_open(path, SFM_WRITE, &out);
    if (!f)
        return fail(sf_strerror(NULL), path);
    sf_command(f, SFC_SET_ADD_PEAK_CHUNK, NULL, SF_FALSE);
    sf_command(f, SFC_RF64_AUTO_DOWNGRADE, NULL, SF_TRUE);
    bool wrote = sf_writef_float(f, first, 1) == 1 &&
                 sf_seek(f, frames - 1, SEEK_SET) == frames - 1 &&
                 sf_writef_float(f, last, 1) == 1;
    if (!wrote) {
        fprintf(stderr, "rf64_check: %s: writing: %s\n", path, sf_strerror(f));
        sf_close(f);
        return 1;
    }
    if (sf_close(f) != 0)
        return fail("closing failed", path);

    struct stat st;
    if (stat(path, &st) == 0)
        printf("%s: %lld bytes, %lld KiB on disk\n", path, (long long)st.st_size,
               (long long)st.st_blocks / 2);
    SF_INFO in;
    memset(&in, 0, sizeof in);
    f = sf_open(path, SFM_READ, &in);
    if (!f)
        return fail(sf_strerror(NULL), path);
    float a[2] = {NAN, NAN}, b[2] = {NAN, NAN};
    bool ok_first = read_frame(f, 0, a), ok_last = read_frame(f, frames - 1, b);
    sf_close(f);
    printf("%s: %s, %lld frames (%llu data bytes), first (%g, %g), last (%g, %g)\n", path,
           container(in.format), (long long)in.frames,
           (unsigned long long)in.frames * 8u, a[0], a[1], b[0], b[1]);
    if ((in.format & SF_FORMAT_TYPEMASK) != SF_FORMAT_RF64)
        return fail("not RF64", path);
    if (in.frames != frames)
        return fail("frame count differs from what was written", path);
    if (!ok_first || !ok_last || a[0] != first[0] || a[1] != first[1] || b[0] != last[0] ||
        b[1] != last[1])
        return fail("first or last frame differs from what was written", path);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "info"))
        return info(argv[2], argc >= 4 ? atoll(argv[3]) : -1,
                    argc >= 5 && !strcmp(argv[4], "all"));
    if (argc == 3 && !strcmp(argv[1], "sparse"))
        return sparse(argv[2]);
    fprintf(stderr, "usage: rf64_check info FILE [FRAMES [all]] | rf64_check sparse FILE\n");
    return 2;
}
