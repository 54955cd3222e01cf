/* The sound carries no DC: every preset at its own speed and at speed 20,
 * at 44.1, 48 and 96 kHz. Long renders (6 s), so not under the sanitizers
 * (scripts/ci-sanitizers.sh); the paths they take run there in the presets
 * test. */
#include "sound_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_PRESETS 64

/* No DC at the preset's own speed, nor at speed 20, where a resonator is
 * struck faster than its pitch and a bank's surges move the membranes in
 * tens of milliseconds: every preset, each at one of 44.1, 48 and 96 kHz in
 * turn (the rate one further at its own speed). 6 s, because a
 * bank that surges every few tens of milliseconds (seizure-and-recovery) has
 * a strong part below 30 Hz, and a window's mean includes what the 5 Hz
 * blockers have not yet taken out when it ends: at most their time constant
 * (32 ms) times the signal's slow part (up to 0.16 there) over the window's
 * length, 0.0009 at 6 s. */
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
        /* 4 s at a preset's own speed: its slowest rhythms are a few Hz */
        const size_t frames = (size_t)((speed > 0.0f ? 6.0 : 4.0) * sr);
        float *stim = v[P_INPUT_ROUTING] == ROUTING_COCHLEA ? vowel(frames, sr) : NULL;
        render_out o = {0};
        render(e, &o, frames, 1024, stim);
        double dc_l = mean(o.l, o.n), dc_r = mean(o.r, o.n);
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
