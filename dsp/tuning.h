/* tuning.h — Scala tunings: a scale (.scl) and a keyboard mapping (.kbm)
 * give each MIDI note its frequency.
 *
 * The formats are Manuel Op de Coul's, as the Scala documentation
 * specifies them ("Scala scale file format" and the keyboard mapping section
 * of the Scala help, huygens-fokker.org):
 *
 *   .scl  '!' starts a comment line. The first other line describes the
 *         scale (it may be empty), the next holds the number of notes N,
 *         then N pitches, one per line: with a '.' a value in cents, else a
 *         ratio n/d or a whole number n (= n/1). Degree 0 (1/1) is implicit;
 *         the last pitch is the period (usually 2/1, 3/1 for Bohlen-Pierce).
 *         Anything after a pitch on its line is ignored.
 *   .kbm  seven numbers: map size, first and last note to retune, the middle
 *         note (where degree 0 of the map sits), the reference note, its
 *         frequency in Hz, and the scale degree that is the formal octave
 *         (0: the period); then up to map-size entries, each a scale degree
 *         or 'x' for an unmapped key (missing entries at the end are
 *         unmapped). Map size 0 is the linear mapping: key middle + i plays
 *         degree i.
 *
 * The frequency of key k: with offset o = k - middle, the map entry
 * m = map[o mod size] in pattern p = floor(o / size) gives degree m, raised
 * by p formal octaves; the pitch in cents c(k) follows from the scale
 * (degrees past N wrap by the period), and
 *
 *     f(k) = f_ref * 2^((c(k) - c(reference)) / 1200).
 *
 * Keys outside [first, last] and unmapped keys get 0 Hz: they do not sound.
 * Without a keymap: linear, keys 0..127, middle note 60, the reference note 60 at
 * 261.6255653 Hz (middle C of 12-tone equal temperament with A4 = 440 Hz),
 * so a 12-tone equal scale gives standard pitch.
 *
 * Parsing works on text in memory and allocates nothing; tuning_file.c
 * reads the files. Errors name the line and what is wrong.
 */
#ifndef HILLOCK_TUNING_H
#define HILLOCK_TUNING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The format lets a reader refuse files above a size; these are ours. */
#define TUNING_MAX_NOTES 1024u
#define TUNING_MAX_MAP 1024u
#define TUNING_KEYS 128u
#define TUNING_DESCRIPTION_MAX 128u
/* Largest file read (bytes): the longest scale at 1024 notes with comments. */
#define TUNING_MAX_FILE_BYTES (256u * 1024u)

/* Middle C of 12-tone equal temperament, A4 = 440 Hz: 440 * 2^(-9/12). */
#define TUNING_MIDDLE_C_HZ 261.62556530059862

typedef struct {
    char description[TUNING_DESCRIPTION_MAX]; /* first line, cut to fit */
    uint32_t count;                           /* N, pitches after the implicit 1/1 */
    double cents[TUNING_MAX_NOTES];           /* degree i + 1, cents above 1/1 */
} tuning_scale;

#define TUNING_UNMAPPED (-1)

typedef struct {
    uint32_t size;                 /* 0: linear mapping */
    int32_t first, last;           /* keys retuned, 0..127 */
    int32_t middle;                /* key of map entry 0 */
    int32_t reference;             /* key whose frequency is given */
    double reference_hz;
    uint32_t octave_degree;        /* 0: the scale's period */
    int32_t map[TUNING_MAX_MAP];   /* scale degree per entry, or TUNING_UNMAPPED */
} tuning_keymap;

/* Parse a .scl / .kbm text of `len` bytes. On failure return false, leave
 * *out unspecified and write a one-line reason into err. */
bool tuning_parse_scl(const char *text, size_t len, tuning_scale *out, char *err,
                      size_t err_size);
bool tuning_parse_kbm(const char *text, size_t len, tuning_keymap *out, char *err,
                      size_t err_size);

/* 12-tone equal temperament (100 cents per step, period 2/1). */
void tuning_scale_equal12(tuning_scale *s);
/* The keymap used when none is given (see above). */
void tuning_keymap_default(tuning_keymap *k);

/* Frequencies of MIDI keys 0..127 in Hz, 0 for keys that do not sound.
 * scale NULL: 12-tone equal; keymap NULL: the default. */
void tuning_build(const tuning_scale *scale, const tuning_keymap *keymap,
                  double hz[TUNING_KEYS]);

/* tuning_file.c: read and parse a file (at most TUNING_MAX_FILE_BYTES).
 * Not for a real-time thread. The error names the file. */
bool tuning_load_scl(const char *path, tuning_scale *out, char *err, size_t err_size);
bool tuning_load_kbm(const char *path, tuning_keymap *out, char *err, size_t err_size);

#endif
