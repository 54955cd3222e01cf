/* Loudness follows activity (levelling 0, dsp/sonify.h): what a listener
 * should hear the neurons do. The figures are the sound's specification
 * (docs/sound.md): a silent bank is silent, a bank that stops firing falls
 * by 30 dB or more, subthreshold wobble is well under spiking, more spikes
 * and more synchrony sound louder, and the bank size still moves the level
 * by less than 10 dB; the spike voice carries no DC at any rate. */
#include "sound_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SR 48000.0
#define NEW "levelling=0,retrigger=in_step,"

static double
level_of(const render_out *o, size_t from, size_t n)
{
    double l = rms(o->l + from, n), r = rms(o->r + from, n);
    return db(sqrt(0.5 * (l * l + r * r)));
}

/* An engine at SR with loudness following activity, then settings. */
static engine *
activity_engine(const char *settings)
{
    char set[512];
    snprintf(set, sizeof set, NEW "%s", settings);
    return engine_with(SR, set);
}

static double
level_db(const char *settings, size_t total, size_t measure)
{
    engine *e = activity_engine(settings);
    render_out o = {0};
    render(e, &o, total, 512, NULL);
    double lv = level_of(&o, total - measure, measure);
    render_free(&o);
    engine_destroy(e);
    return lv;
}

Test(activity, a_silent_bank_is_silent)
{
    double lv = level_db("neurons=64,drive=0,noise=0", 48000, 24000);
    printf("activity: bank at rest %.1f dBFS\n", lv);
    cr_expect(lv < -120.0, "a resting bank plays %.1f dBFS", lv);
}

/* The bank fires, then a hyperpolarising current (drive -15 uA/cm2, against
 * the HH rheobase of about 6: Hodgkin & Huxley 1952) stops every neuron
 * while noise keeps the membranes moving. Measured 2 .. 3 s after the stop,
 * when the last plucks (decay up to 0.8 s) have rung out. */
Test(activity, a_bank_that_stops_firing_falls_30_db)
{
    static const char *const banks[] = {
        "neurons=8,drive=10,spread=0.3,noise=1",
        "neurons=300,drive=10,spread=0.3,noise=2",
        "neurons=4,drive=10,noise=1,listen=focus",
    };
    for (int k = 0; k < 3; ++k) {
        engine *e = activity_engine(banks[k]);
        render_out o = {0};
        render(e, &o, 72000, 512, NULL);
        engine_set_param(e, P_DRIVE, -15.0f);
        render(e, &o, 144000, 512, NULL);
        size_t late = 0;
        for (size_t i = 0; i < o.n_spikes; ++i)
            late += o.spike_t[i] > 72000.0 + 4800.0;
        double firing = level_of(&o, 48000, 24000), stopped = level_of(&o, 72000 + 96000, 48000);
        printf("activity: %-40s firing %.1f, stopped %.1f dBFS: %.1f dB, %zu late spikes\n",
               banks[k], firing, stopped, firing - stopped, late);
        cr_expect(late == 0, "%s: still fires", banks[k]);
        cr_expect(firing - stopped >= 30.0, "%s: falls only %.1f dB", banks[k], firing - stopped);
        render_free(&o);
        engine_destroy(e);
    }
}

Test(activity, subthreshold_wobble_is_well_under_spiking)
{
    /* noise 0.5 uA/cm2 moves a resting HH membrane by about 1 mV, no spike */
    double wobble = level_db("neurons=1,drive=0,noise=0.5", 96000, 48000);
    double spiking = level_db("neurons=1,drive=10", 96000, 48000);
    printf("activity: subthreshold %.1f dBFS, spiking %.1f dBFS\n", wobble, spiking);
    cr_expect(spiking - wobble >= 30.0, "only %.1f dB under spiking", spiking - wobble);
}

/* Identical neurons started from rest fire in step; noise makes them
 * independent. The
 * membrane voice keeps synchrony to the power SONIFY_SYNC_POWER: 30 neurons
 * in step, sqrt(30) times the loudness of independent ones, sound
 * 30^(1/8) = +3.7 dB louder (less what the noise adds to the independent
 * bank's variance). */
Test(activity, more_synchrony_sounds_louder)
{
    double sync = level_db("neurons=30,drive=10,spike_level=-60,start=rest", 96000, 48000);
    double indep = level_db("neurons=30,drive=10,spread=0.2,noise=3,spike_level=-60", 96000, 48000);
    printf("activity: membrane in step %.1f, independent %.1f dBFS\n", sync, indep);
    cr_expect(sync > indep + 2.0, "synchrony %.1f vs %.1f dBFS", sync, indep);
}

/* Without levelling, the bank size moves the level by less than 10 dB. */
Test(activity, loudness_holds_from_1_to_1000_neurons, .timeout = 240)
{
    /* spread: phases drift apart; identical from rest: all in step; noisy:
     * independent */
    static const char *const kinds[] = {"drive=12,spread=0.4", "drive=12,start=rest",
                                        "drive=12,spread=0.2,noise=3"};
    static const unsigned sizes[] = {1, 30, 1000};
    for (int k = 0; k < 3; ++k) {
        double lo = 1e9, hi = -1e9, lv[3];
        for (int s = 0; s < 3; ++s) {
            char set[256];
            snprintf(set, sizeof set, "neurons=%u,%s", sizes[s], kinds[k]);
            lv[s] = level_db(set, 72000, 24000);
            lo = fmin(lo, lv[s]);
            hi = fmax(hi, lv[s]);
        }
        printf("activity: loudness %-28s 1: %6.1f  30: %6.1f  1000: %6.1f dBFS\n", kinds[k],
               lv[0], lv[1], lv[2]);
        cr_expect(hi - lo < 10.0, "%s: %.1f dB apart", kinds[k], hi - lo);
    }
}

/* A pluck retriggered faster than its own pitch (root 36 = 65 Hz, about
 * 350 spikes/s at speed 5), a tonic HH bank at speed 20 and the warm fast
 * chord: no channel's mean exceeds 0.001 with in-step retriggering. */
Test(activity, the_spike_voice_has_no_dc)
{
    static const char *const cases[] = {
        "neurons=1,membrane_level=-60,speed=5,root=36",
        "neurons=8,drive=10,spread=0.4,speed=20",
        "neurons=6,drive=10,temperature=18.5,speed=2.5,root=55",
    };
    for (int k = 0; k < 3; ++k) {
        engine *e = activity_engine(cases[k]);
        render_out o = {0};
        render(e, &o, 144000, 512, NULL);
        double ml = 0.0, mr = 0.0;
        for (size_t i = 0; i < o.n; ++i) {
            ml += o.l[i];
            mr += o.r[i];
        }
        ml /= (double)o.n;
        mr /= (double)o.n;
        printf("activity: dc %-55s %+.5f %+.5f\n", cases[k], ml, mr);
        cr_expect(fabs(ml) < 0.001 && fabs(mr) < 0.001, "%s: mean %g %g", cases[k], ml, mr);
        render_free(&o);
        engine_destroy(e);
    }
}

/* The same relations for every model, each in its own unit (drive_mode
 * absolute) at a current that fires it in its regime (the banks of
 * test_start.c: HH tonic at 10 uA/cm2, Hodgkin & Huxley 1952; Pinsky-Rinzel
 * bursting at 0.75 uA/cm2, Pinsky & Rinzel 1994; Izhikevich regular spiking
 * at I = 10, Izhikevich 2003; Hindmarsh-Rose bursting at I = 3, Hindmarsh &
 * Rose 1984), a current well below each one's rheobase that stops every
 * spike (the sound report's stop margins: 20, 5, 20 and 3 units below its
 * drive), and noise that moves a resting membrane without a spike. */
static const struct {
    const char *model;
    float fire, stop, wobble;
} model_cases[] = {
    {"hh", 10.0f, -10.0f, 0.5f},
    {"pinsky_rinzel", 0.75f, -4.25f, 0.1f},
    {"izhikevich", 10.0f, -10.0f, 0.5f},
    {"hindmarsh_rose", 3.0f, -3.0f, 0.05f},
};
#define N_MODELS (sizeof model_cases / sizeof model_cases[0])

Test(activity, every_model_follows_activity, .timeout = 240)
{
    for (size_t k = 0; k < N_MODELS; ++k) {
        const char *m = model_cases[k].model;
        char set[256];
        /* at rest, no noise: nothing moves */
        snprintf(set, sizeof set, "model=%s,neurons=64,drive=%g,noise=0", m,
                 (double)model_cases[k].stop);
        const double silent = level_db(set, 48000, 24000);

        /* firing, then stopped with the noise still on: 2 .. 3 s after */
        snprintf(set, sizeof set, "model=%s,neurons=8,drive=%g,spread=0.2,noise=%g", m,
                 (double)model_cases[k].fire, (double)model_cases[k].wobble);
        engine *e = activity_engine(set);
        render_out o = {0};
        render(e, &o, 72000, 512, NULL);
        engine_set_param(e, P_DRIVE, model_cases[k].stop);
        render(e, &o, 144000, 512, NULL);
        size_t late = 0;
        for (size_t i = 0; i < o.n_spikes; ++i)
            late += o.spike_t[i] > 72000.0 + 4800.0;
        const double firing = level_of(&o, 48000, 24000);
        const double stopped = level_of(&o, 72000 + 96000, 48000);
        render_free(&o);
        engine_destroy(e);

        /* one neuron: subthreshold noise, and firing */
        snprintf(set, sizeof set, "model=%s,neurons=1,drive=%g,noise=%g", m,
                 (double)model_cases[k].stop * 0.1, (double)model_cases[k].wobble);
        e = activity_engine(set);
        render(e, &o, 96000, 512, NULL);
        const size_t wobble_spikes = o.n_spikes;
        const double wobble = level_of(&o, 48000, 48000);
        render_free(&o);
        engine_destroy(e);
        snprintf(set, sizeof set, "model=%s,neurons=1,drive=%g", m, (double)model_cases[k].fire);
        const double one = level_db(set, 72000, 24000);
        snprintf(set, sizeof set, "model=%s,neurons=1000,drive=%g,spread=0.3", m,
                 (double)model_cases[k].fire);
        const double thousand = level_db(set, 72000, 24000);

        printf("activity: %-15s at rest %6.1f | firing %5.1f, stopped %6.1f: -%.1f dB, %zu late "
               "| wobble %6.1f (%zu spikes) | 1 neuron %5.1f, 1000 %5.1f dBFS\n",
               m, silent, firing, stopped, firing - stopped, late, wobble, wobble_spikes, one,
               thousand);
        cr_expect(silent < -120.0, "%s: a resting bank plays %.1f dBFS", m, silent);
        cr_expect(late == 0, "%s: still fires after the stop", m);
        cr_expect(firing - stopped >= 30.0, "%s: falls only %.1f dB", m, firing - stopped);
        cr_expect(wobble_spikes == 0, "%s: the wobble fires %zu spikes", m, wobble_spikes);
        cr_expect(one - wobble >= 30.0, "%s: wobble only %.1f dB under spiking", m, one - wobble);
        cr_expect(fabs(one - thousand) < 10.0, "%s: 1 and 1000 neurons %.1f dB apart", m,
                  one - thousand);
    }
}
