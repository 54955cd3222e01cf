/* test_tuning.c — Scala tunings (dsp/tuning.h): the frequencies of the
 * format's own kinds of scale against their exact values, and bad files.
 *
 * Reference: the Scala scale file format and keyboard mapping
 * documentation (Manuel Op de Coul, huygens-fokker.org). A key's frequency
 * is f_ref * 2^((c(key) - c(ref)) / 1200) with c in cents; a ratio r is
 * 1200 log2(r) cents. Without a keymap, key 60 is degree 0 at
 * 261.6255653 Hz (440 * 2^(-9/12)). Fixtures: tests/engine/scala/. */
#include "engine.h"
#include "scale.h"
#include "tuning.h"

#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SCALA_DIR
#error "SCALA_DIR names the fixture folder"
#endif

static const double C4 = 261.62556530059862; /* 440 * 2^(-9/12) */

static tuning_scale scl;
static tuning_keymap kbm;
static char err[512];

static bool
load_scl(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SCALA_DIR, name);
    err[0] = '\0';
    return tuning_load_scl(path, &scl, err, sizeof err);
}

static bool
load_kbm(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SCALA_DIR, name);
    err[0] = '\0';
    return tuning_load_kbm(path, &kbm, err, sizeof err);
}

/* |a/b - 1| within rel */
static void
assert_hz(double got, double want, double rel, int key)
{
    cr_assert(fabs(got / want - 1.0) <= rel, "key %d: %.12f Hz, want %.12f Hz", key, got,
              want);
}

Test(tuning, equal12_file_gives_standard_pitch)
{
    cr_assert(load_scl("12tet.scl"), "%s", err);
    cr_assert_eq(scl.count, 12);
    cr_assert_str_eq(scl.description, "12-tone equal temperament");
    double hz[TUNING_KEYS];
    tuning_build(&scl, NULL, hz);
    for (int k = 0; k < 128; ++k)
        assert_hz(hz[k], 440.0 * pow(2.0, (k - 69) / 12.0), 1e-12, k);
    /* and the same with no scale at all */
    double none[TUNING_KEYS];
    tuning_build(NULL, NULL, none);
    for (int k = 0; k < 128; ++k)
        assert_hz(none[k], hz[k], 1e-12, k);
}

/* The example of the format's documentation: 1/4-comma meantone, cents and
 * ratios mixed. Its fifth is 5^(1/4) (four fifths make 5/4 two octaves up). */
Test(tuning, documented_meantone_example)
{
    cr_assert(load_scl("meanquar.scl"), "%s", err);
    cr_assert_eq(scl.count, 12);
    cr_assert_str_eq(scl.description,
                     "1/4-comma meantone scale. Pietro Aaron's temperament (1523)");
    double hz[TUNING_KEYS];
    tuning_build(&scl, NULL, hz);
    assert_hz(hz[60], C4, 1e-12, 60);
    assert_hz(hz[64], C4 * 5.0 / 4.0, 1e-12, 64);             /* 5/4 in the file */
    assert_hz(hz[67], C4 * pow(5.0, 0.25), 1e-8, 67);         /* 696.57843 c, 5 decimals */
    assert_hz(hz[68], C4 * 25.0 / 16.0, 1e-12, 68);
    assert_hz(hz[72], 2.0 * C4, 1e-12, 72);
    assert_hz(hz[48], C4 / 2.0, 1e-12, 48);
    assert_hz(hz[55], C4 * pow(5.0, 0.25) / 2.0, 1e-8, 55);   /* the fifth an octave down */
    assert_hz(hz[43], C4 * pow(5.0, 0.25) / 4.0, 1e-8, 43);   /* and two */
}

Test(tuning, just_intonation_in_ratios)
{
    cr_assert(load_scl("ji_12.scl"), "%s", err);
    static const double ratio[13] = {1.0, 16.0 / 15, 9.0 / 8, 6.0 / 5, 5.0 / 4, 4.0 / 3,
                                     45.0 / 32, 3.0 / 2, 8.0 / 5, 5.0 / 3, 9.0 / 5, 15.0 / 8,
                                     2.0};
    double hz[TUNING_KEYS];
    tuning_build(&scl, NULL, hz);
    for (int octave = -5; octave <= 5; ++octave)
        for (int d = 0; d < 12; ++d) {
            int k = 60 + 12 * octave + d;
            if (k >= 0 && k < 128)
                assert_hz(hz[k], C4 * ratio[d] * pow(2.0, octave), 1e-12, k);
        }
    /* "2" without a slash is 2/1 */
    assert_hz(scl.cents[11], 1200.0, 1e-15, 12);
}

/* Bohlen-Pierce: 13 equal steps of a tritave (3/1), no octave at all. */
Test(tuning, bohlen_pierce_repeats_at_the_tritave)
{
    cr_assert(load_scl("bohlen-p_et.scl"), "%s", err);
    cr_assert_eq(scl.count, 13);
    double hz[TUNING_KEYS];
    tuning_build(&scl, NULL, hz);
    assert_hz(hz[73], 3.0 * C4, 1e-12, 73);
    assert_hz(hz[86], 9.0 * C4, 1e-12, 86);
    assert_hz(hz[47], C4 / 3.0, 1e-12, 47);
    for (int k = 0; k < 128; ++k)
        assert_hz(hz[k], C4 * pow(3.0, (k - 60) / 13.0), 1e-9, k); /* 6-decimal cents */
}

/* Carlos alpha: one step of 78 cents, the scale's period. */
Test(tuning, carlos_alpha_single_step_scale)
{
    cr_assert(load_scl("carlos_alpha.scl"), "%s", err);
    cr_assert_eq(scl.count, 1);
    double hz[TUNING_KEYS];
    tuning_build(&scl, NULL, hz);
    for (int k = 0; k < 128; ++k)
        assert_hz(hz[k], C4 * pow(2.0, 78.0 * (k - 60) / 1200.0), 1e-12, k);
}

/* A keymap: white keys play a just major scale, black keys are unmapped,
 * A4 (degree 5, 5/3) is 432 Hz, keys outside 21..108 are not retuned. */
Test(tuning, keymap_with_unmapped_keys_and_a_432_hz_reference)
{
    cr_assert(load_scl("ji_major.scl"), "%s", err);
    cr_assert(load_kbm("white_keys_432.kbm"), "%s", err);
    cr_assert_eq(kbm.size, 12);
    cr_assert_eq(kbm.reference, 69);
    cr_assert_eq(kbm.reference_hz, 432.0);
    double hz[TUNING_KEYS];
    tuning_build(&scl, &kbm, hz);
    const double c = 432.0 * 3.0 / 5.0; /* degree 0 at key 60: 259.2 Hz */
    static const int white[7] = {0, 2, 4, 5, 7, 9, 11};
    static const double ratio[7] = {1.0, 9.0 / 8, 5.0 / 4, 4.0 / 3, 3.0 / 2, 5.0 / 3, 15.0 / 8};
    assert_hz(hz[69], 432.0, 1e-12, 69);
    for (int octave = -3; octave <= 3; ++octave)
        for (int d = 0; d < 7; ++d) {
            int k = 60 + 12 * octave + white[d];
            if (k >= 21 && k <= 108)
                assert_hz(hz[k], c * ratio[d] * pow(2.0, octave), 1e-12, k);
        }
    static const int black[5] = {1, 3, 6, 8, 10};
    for (int octave = -3; octave <= 3; ++octave)
        for (int b = 0; b < 5; ++b)
            cr_assert_eq(hz[60 + 12 * octave + black[b]], 0.0, "key %d is unmapped",
                         60 + 12 * octave + black[b]);
    cr_assert_eq(hz[20], 0.0, "below the first note");
    cr_assert_eq(hz[109], 0.0, "above the last note");
}

static void
assert_bad_scl(const char *name, const char *why)
{
    cr_assert_not(load_scl(name), "%s should be refused", name);
    cr_assert(strstr(err, name), "the error names the file: %s", err);
    cr_assert(strstr(err, why), "%s: the error '%s' should say '%s'", name, err, why);
}

Test(tuning, bad_scale_files_are_refused_with_the_reason)
{
    assert_bad_scl("bad_no_count.scl", "number of notes is missing");
    assert_bad_scl("bad_garbage.scl", "line 4: 'abc' is neither cents nor a ratio");
    assert_bad_scl("bad_negative.scl", "negative ratio '-3/2'");
    assert_bad_scl("bad_zero.scl", "ratio '0/1' is not positive");
    assert_bad_scl("bad_zero_den.scl", "ratio '3/0' is not positive");
    assert_bad_scl("bad_too_many.scl", "5000 notes, at most 1024");
    assert_bad_scl("bad_short.scl", "ends after 3 of its 5 pitches");
    assert_bad_scl("no_such_file.scl", "No such file");
}

Test(tuning, bad_keymaps_are_refused_with_the_reason)
{
    cr_assert_not(load_kbm("bad_ref_unmapped.kbm"));
    cr_assert(strstr(err, "reference note 61 is unmapped"), "%s", err);
    cr_assert_not(load_kbm("bad_missing.kbm"));
    cr_assert(strstr(err, "reference note is missing"), "%s", err);
    cr_assert_not(load_kbm("bad_entry.kbm"));
    cr_assert(strstr(err, "'y' is neither a scale degree nor 'x'"), "%s", err);
}

/* Numbers use '.' whatever the locale; comments may sit anywhere; text
 * after a pitch is ignored; CRLF line ends are fine. */
Test(tuning, parser_details_from_the_format)
{
    const char *text = "! c\r\n\r\n 2 \r\n!x\r\n 150.0 cents\r\n 3/2 a fifth\r\n";
    cr_assert(tuning_parse_scl(text, strlen(text), &scl, err, sizeof err), "%s", err);
    cr_assert_str_eq(scl.description, "");
    cr_assert_eq(scl.count, 2);
    cr_assert_eq(scl.cents[0], 150.0);
    assert_hz(scl.cents[1], 1200.0 * log2(1.5), 1e-15, 2);
    const char *zero = "no notes\n0\n";
    cr_assert(tuning_parse_scl(zero, strlen(zero), &scl, err, sizeof err), "%s", err);
    cr_assert_eq(scl.count, 0);
}

/* The engine plays the tuning's frequencies and goes back to 12-TET bit
 * for bit without one. */
Test(tuning, engine_takes_the_table)
{
    engine *e = engine_create(48000.0);
    cr_assert_not_null(e);
    for (int k = 0; k < 128; ++k)
        cr_assert_eq(engine_note_hz(e, (uint8_t)k), scale_note_hz((float)k));
    cr_assert(load_scl("bohlen-p_et.scl"), "%s", err);
    double hz[TUNING_KEYS];
    tuning_build(&scl, NULL, hz);
    engine_set_tuning(e, hz);
    for (int k = 0; k < 128; ++k)
        cr_assert_eq(engine_note_hz(e, (uint8_t)k), (float)hz[k]);
    engine_set_tuning(e, NULL);
    for (int k = 0; k < 128; ++k)
        cr_assert_eq(engine_note_hz(e, (uint8_t)k), scale_note_hz((float)k));
    engine_destroy(e);
}
