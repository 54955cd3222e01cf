/* The sound carries no DC: every preset at its own speed and at speed 20,
 * at 44.1, 48 and 96 kHz. Its paths run under the sanitizers in the presets
 * test (scripts/ci-sanitizers.sh leaves this one to the release suite). */
#include "sound_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_PRESETS 64

/* The output's DC, as its mean under a Blackman window (windowed_mean). A
 * plain mean over T seconds also reads what the 5 Hz blockers have not yet
 * taken out at the window's ends, up to their time constant (32 ms) times
 * the signal's slow part over T: a bank that surges every few tens of
 * milliseconds (seizure-and-recovery) read 0.0005 over 6 s at speed 20.
 * The window tapers both ends to zero and passes little but 0 Hz (its
 * sidelobes at -58 dB, falling 18 dB an octave: F. J. Harris, "On the use
 * of windows for harmonic analysis with the discrete Fourier transform",
 * Proc. IEEE 66 (1978) 51-83): the same presets over 2 s read at most
 * 0.0001 at speed 20 and 0.00016 at their own speed (`hillock render` of
 * every preset, 2026-12-05), a sixth of the bound or less, in a third of
 * the render. */

/* No DC at the preset's own speed, nor at speed 20, where a resonator is
 * struck faster than its pitch and a bank's surges move the membranes in
 * tens of milliseconds: every preset, each at one of 44.1, 48 and 96 kHz in
 * turn (the rate one further at its own speed), 2 s each. */
static void
no_dc(int which, float speed)
{
    static const double rates[] = {44100.0, 48000.0, 96000.0};
    char names[MAX_PRESETS][64];
    int n = preset_names(names, MAX_PRESETS);
    for (int k = which; k < n; k += 3) {
        float v[PARAM_COUNT];
        preset_load(names[k], v);
        if (speed > 0.0f)
            v[P_SPEED] = speed;
        const double sr = rates[(which + (speed > 0.0f ? 0 : 1)) % 3];
        engine *e = engine_create(sr);
        engine_set_all_params(e, v);
        const size_t frames = (size_t)(2.0 * sr);
        float *stim = v[P_INPUT_ROUTING] == ROUTING_COCHLEA ? vowel(frames, sr) : NULL;
        render_out o = {0};
        render(e, &o, frames, 1024, stim);
        double dc_l = windowed_mean(o.l, o.n), dc_r = windowed_mean(o.r, o.n);
        printf("dc: %-30s speed %4g at %5.0f Hz: %+.5f %+.5f\n", names[k], (double)v[P_SPEED],
               sr, dc_l, dc_r);
        cr_expect(fabs(dc_l) < 0.001 && fabs(dc_r) < 0.001, "%s at %.0f Hz: DC %+.5f %+.5f",
                  names[k], sr, dc_l, dc_r);
        free(stim);
        render_free(&o);
        engine_destroy(e);
    }
}

Test(dc, at_speed_20_at_44k1, .timeout = 240)
{
    no_dc(0, 20.0f);
}

Test(dc, at_speed_20_at_48k, .timeout = 240)
{
    no_dc(1, 20.0f);
}

Test(dc, at_speed_20_at_96k, .timeout = 240)
{
    no_dc(2, 20.0f);
}

/* a third of the presets each: the test jobs run them side by side */
Test(dc, at_their_own_speed_first_third, .timeout = 240)
{
    no_dc(0, 0.0f);
}

Test(dc, at_their_own_speed_second_third, .timeout = 240)
{
    no_dc(1, 0.0f);
}

Test(dc, at_their_own_speed_last_third, .timeout = 240)
{
    no_dc(2, 0.0f);
}
