/* The relative drive (drive_mode relative, dsp/models/rheobase.h): drive
 * 1.0 sits at each model's rheobase, measured here as the onset of
 * repetitive firing of one neuron started from rest; the defaults put every
 * model in its characteristic regime; and a value translated from the
 * model's unit gives the same spikes. */
#include "harness.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#define SR 48000.0

/* Repetitive firing: at least two spikes in the second half of 3 s. */
static int
fires_repetitively(const char *model, double drive, const char *extra)
{
    char set[256];
    snprintf(set, sizeof set, "model=%s,drive_mode=relative,drive=%.6f%s%s", model, drive,
             extra[0] ? "," : "", extra);
    spike_record r = run_engine(SR, 3000.0, set, 256);
    size_t late = count_between(&r, 1500.0, 3000.0);
    record_free(&r);
    return late >= 2;
}

/* Tolerance per model: HH, Hindmarsh-Rose and Pinsky-Rinzel are
 * measured onsets (2 %); Izhikevich's is the saddle-node of the static
 * u-nullcline (4.0 for regular spiking, Izhikevich 2007), above the
 * measured onset from rest (3.77): 10 %. Pinsky-Rinzel's rheobase is
 * negative, its tolerance 2 % of its unit. */
Test(rheobase, relative_drive_1_sits_at_the_onset_of_firing, .timeout = 120)
{
    static const struct {
        const char *model, *extra;
        double tol;
    } cases[] = {
        {"hh", "", 0.02},
        {"hh", "temperature=20", 0.02},
        {"pinsky_rinzel", "", 0.02},
        {"izhikevich", "", 0.10},
        {"hindmarsh_rose", "", 0.02},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; ++k) {
        int below = fires_repetitively(cases[k].model, 1.0 - cases[k].tol, cases[k].extra);
        int above = fires_repetitively(cases[k].model, 1.0 + cases[k].tol, cases[k].extra);
        printf("rheobase: %-15s %-15s drive %.2f: %s, %.2f: %s\n", cases[k].model,
               cases[k].extra, 1.0 - cases[k].tol, below ? "fires" : "rests",
               1.0 + cases[k].tol, above ? "fires" : "rests");
        cr_expect(!below, "%s %s fires below its rheobase", cases[k].model, cases[k].extra);
        cr_expect(above, "%s %s rests above its rheobase", cases[k].model, cases[k].extra);
    }
}

/* The default settings (drive 1.6 relative) of every model, one neuron
 * from rest, 1..4 s. */
static spike_record
at_default(const char *model)
{
    char set[128];
    snprintf(set, sizeof set, "model=%s,drive_mode=relative,drive=1.6", model);
    return run_engine(SR, 4000.0, set, 256);
}

/* Hodgkin & Huxley 1952: a constant current above rheobase gives tonic
 * firing at a fixed rate (about 68 Hz at 10 uA/cm2, 6.3 degC). */
Test(rheobase, hh_at_default_fires_tonically)
{
    spike_record r = at_default("hh");
    double rate = steady_rate_hz(&r, 1000.0);
    burst_stats b = burst_analysis(&r, 30.0, 1000.0);
    printf("rheobase: hh default %.1f spikes/s, %zu bursts of %u..%u\n", rate, b.bursts,
           b.min_size, b.max_size);
    cr_expect(rate > 50.0 && rate < 90.0, "%.1f spikes/s", rate);
    cr_expect(b.bursts <= 1, "hh groups its spikes into %zu bursts", b.bursts);
    record_free(&r);
}

/* Izhikevich 2003, regular spiking: tonic firing whose intervals lengthen
 * after the onset (adaptation). */
Test(rheobase, izhikevich_at_default_spikes_regularly_and_adapts)
{
    spike_record r = at_default("izhikevich");
    cr_assert(r.n >= 6, "%zu spikes", r.n);
    double first = r.t_ms[1] - r.t_ms[0], last = r.t_ms[r.n - 1] - r.t_ms[r.n - 2];
    printf("rheobase: izhikevich default %zu spikes, first interval %.1f ms, last %.1f ms\n", r.n,
           first, last);
    /* at 1.6 rheobases the intervals lengthen by about a sixth (60 -> 70 ms);
     * without the recovery variable's build-up they would stay equal */
    cr_expect(last > 1.1 * first, "no adaptation: %.1f -> %.1f ms", first, last);
    burst_stats b = burst_analysis(&r, 2.0 * last, 1000.0);
    cr_expect(b.bursts <= 1, "izhikevich bursts (%zu)", b.bursts);
    record_free(&r);
}

/* At least three bursts of two or more spikes, separated by silences
 * longer than 40 ms, in 1..4 s at the default. */
static void
expect_bursts(const char *model)
{
    spike_record r = at_default(model);
    burst_stats b = burst_analysis(&r, 40.0, 1000.0);
    printf("rheobase: %s default %zu bursts of %u..%u spikes, period %.0f ms\n", model, b.bursts,
           b.min_size, b.max_size, b.period_ms);
    cr_expect(b.bursts >= 3, "%s: %zu bursts", model, b.bursts);
    cr_expect(b.min_size >= 2, "%s: bursts of %u spikes", model, b.min_size);
    record_free(&r);
}

/* Hindmarsh & Rose 1984: bursts of several spikes separated by silences
 * (at 10 in the model's unit, the old default, it fired ~300 spikes/s). */
Test(rheobase, hindmarsh_rose_at_default_bursts)
{
    expect_bursts("hindmarsh_rose");
}

/* Pinsky & Rinzel 1994: the two-compartment cell bursts (a dendritic
 * calcium spike under a few somatic spikes) at low drive. */
Test(rheobase, pinsky_rinzel_at_default_bursts)
{
    expect_bursts("pinsky_rinzel");
}

/* A preset translated from the model's unit (tonic-hh: 12 uA/cm2 ->
 * 1 + (12 - 6.235) / 6.235 = 1.9246) gives the same spikes. */
Test(rheobase, a_translated_drive_gives_the_same_spikes)
{
    spike_record a = run_engine(SR, 1000.0, "model=hh,drive_mode=absolute,drive=12", 256);
    spike_record b = run_engine(SR, 1000.0, "model=hh,drive_mode=relative,drive=1.9246", 256);
    cr_assert_eq(a.n, b.n, "%zu vs %zu spikes", a.n, b.n);
    for (size_t i = 0; i < a.n; ++i)
        cr_expect(fabs(a.t_ms[i] - b.t_ms[i]) < 0.05, "spike %zu: %.3f vs %.3f ms", i,
                  a.t_ms[i], b.t_ms[i]);
    record_free(&a);
    record_free(&b);
}
