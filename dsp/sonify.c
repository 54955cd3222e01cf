#include "sonify.h"

#include "limiter.h"

#include <math.h>
#include <stdlib.h>

#define PI 3.14159265358979323846
#define DC_HZ 5.0
#define LEVEL_RMS_MS 100.0
#define LEVEL_DOWN_MS 30.0
#define LEVEL_UP_MS 250.0
#define OFF_DB -60.0f

/* One-pole DC blocker y[n] = x[n] - x[n-1] + R y[n-1]. */
typedef struct {
    float x1, y1;
} dc_blocker;

/* Slow gain that only ever reduces: RMS above the target is pulled to it. */
typedef struct {
    float ms, gain;
    float log_gain; /* log2(gain), kept so a frame costs one log2 and one exp2 */
} leveler;

/* The calibrated path's one moving part (sonify.h): the synchrony law and
 * the expander, as one gain gliding in dB. */
typedef struct {
    float ms;       /* mean square of the mix, LEVEL_RMS_MS */
    float log_gain; /* log2 of the gain beyond the calibration */
} activity_law;

struct sonify {
    float dc_r;
    float rms_c, down_c, up_c;
    dc_blocker dc_l, dc_r_ch, dcs_l, dcs_r;
    dc_blocker out_l, out_r; /* after the gains, before the limiter */
    dc_blocker lim_l, lim_r; /* after the limiter */
    /* the crossfade and the blockers' restart, as late as the limiter's
     * output: rings of delay_mask + 1 >= latency + 1 frames */
    float *fade_delay;
    uint8_t *prime_delay;
    uint32_t latency, delay_mask, delay_pos;
    leveler mem, spk;
    activity_law act;
    limiter *lim;
};

static float
one_pole(double ms, double sample_rate)
{
    return (float)exp(-1000.0 / (ms * sample_rate));
}

sonify *
sonify_create(double sample_rate)
{
    sonify *s = calloc(1, sizeof *s);
    if (s) {
        s->dc_r = (float)exp(-2.0 * PI * DC_HZ / sample_rate);
        s->rms_c = one_pole(LEVEL_RMS_MS, sample_rate);
        s->down_c = one_pole(LEVEL_DOWN_MS, sample_rate);
        s->up_c = one_pole(LEVEL_UP_MS, sample_rate);
        s->lim = limiter_create(sample_rate, SONIFY_LIMIT);
        s->latency = s->lim ? limiter_latency(s->lim) : 0u;
        uint32_t size = 1;
        while (size <= s->latency)
            size <<= 1;
        s->delay_mask = size - 1u;
        s->fade_delay = calloc(size, sizeof(float));
        s->prime_delay = calloc(size, 1);
        if (!s->lim || !s->fade_delay || !s->prime_delay) {
            sonify_destroy(s);
            return NULL;
        }
        sonify_reset(s);
    }
    return s;
}

void
sonify_destroy(sonify *s)
{
    if (s) {
        limiter_destroy(s->lim);
        free(s->fade_delay);
        free(s->prime_delay);
    }
    free(s);
}

void
sonify_reset(sonify *s)
{
    s->dc_l = (dc_blocker){0, 0};
    s->dc_r_ch = (dc_blocker){0, 0};
    s->dcs_l = (dc_blocker){0, 0};
    s->dcs_r = (dc_blocker){0, 0};
    s->out_l = (dc_blocker){0, 0};
    s->out_r = (dc_blocker){0, 0};
    s->lim_l = (dc_blocker){0, 0};
    s->lim_r = (dc_blocker){0, 0};
    s->act = (activity_law){0, 0};
    s->mem = (leveler){0, 1, 0};
    s->spk = (leveler){0, 1, 0};
    limiter_reset(s->lim);
    for (uint32_t i = 0; i <= s->delay_mask; ++i) {
        s->fade_delay[i] = 1.0f;
        s->prime_delay[i] = 0;
    }
    s->delay_pos = 0;
}

static float
dc_block(dc_blocker *d, float r, float x)
{
    float y = x - d->x1 + r * d->y1;
    d->x1 = x;
    d->y1 = fabsf(y) < 1e-20f ? 0.0f : y;
    return d->y1;
}

#define REF_MAX_GAIN 8.0f      /* +18 dB */
#define REF_MIN_GAIN (1.0f / 64) /* -36 dB */

static float
level(leveler *lv, const sonify *s, float l, float r, float ref)
{
    lv->ms = s->rms_c * lv->ms + (1.0f - s->rms_c) * 0.5f * (l * l + r * r);
    if (!isfinite(lv->ms))
        lv->ms = 0.0f;
    float rms = sqrtf(lv->ms);
    float want;
    if (ref >= 0.0f) {
        float goal = ref < SONIFY_LEVEL_TARGET ? ref : SONIFY_LEVEL_TARGET;
        want = rms * REF_MAX_GAIN > goal ? goal / rms : REF_MAX_GAIN;
        want = want < REF_MIN_GAIN ? REF_MIN_GAIN : want;
    } else {
        want = rms > SONIFY_LEVEL_TARGET ? SONIFY_LEVEL_TARGET / rms : 1.0f;
    }
    /* glide in dB, so rising by 30 dB takes as long as by 3 */
    float c = want < lv->gain ? s->down_c : s->up_c;
    float lw = log2f(want);
    lv->log_gain = lw + c * (lv->log_gain - lw);
    lv->gain = exp2f(lv->log_gain);
    return lv->gain;
}

#define SYNC_EXPONENT (SONIFY_SYNC_POWER - 1.0f)
#define SYNC_MIN_LOG2 (-SONIFY_SYNC_CUT_DB / 6.0206f)
#define SYNC_MAX_LOG2 (SONIFY_SYNC_BOOST_DB / 6.0206f)
#define EXPAND_POWER (SONIFY_EXPAND_RATIO - 1.0f)
#define EXPAND_MIN_LOG2 (-SONIFY_EXPAND_RANGE_DB / 6.0206f)
#define REF_FLOOR 1e-4f /* below it the reference says nothing about synchrony */

/* log2 of the gain the activity law wants for a mix of this RMS against
 * the reference, at this spike rate. */
static float
activity_want_log2(float rms, float ref, float rate)
{
    float want = 0.0f;
    if (ref > REF_FLOOR && rms > 0.0f) {
        want = SYNC_EXPONENT * log2f(rms / ref);
        want = want < SYNC_MIN_LOG2 ? SYNC_MIN_LOG2 : want > SYNC_MAX_LOG2 ? SYNC_MAX_LOG2 : want;
    }
    if (rate < SONIFY_EXPAND_KNEE_HZ) {
        float e = EXPAND_POWER * log2f(fmaxf(rate, 1e-9f) * (1.0f / SONIFY_EXPAND_KNEE_HZ));
        want += e < EXPAND_MIN_LOG2 ? EXPAND_MIN_LOG2 : e;
    }
    return want;
}

/* log2 of the calibrated path's gain beyond the calibration: the synchrony
 * law (none without a reference: the focus neuron alone) and the expander
 * below SONIFY_EXPAND_KNEE_HZ. */
static float
activity_gain_log2(activity_law *al, const sonify *s, float l, float r, float ref, float rate)
{
    al->ms = s->rms_c * al->ms + (1.0f - s->rms_c) * 0.5f * (l * l + r * r);
    if (!isfinite(al->ms))
        al->ms = 0.0f;
    const float want = activity_want_log2(sqrtf(al->ms), ref, rate);
    float c = want < al->log_gain ? s->down_c : s->up_c;
    al->log_gain = want + c * (al->log_gain - want);
    return al->log_gain;
}

/* The gain between the calibrated one (amount 0) and the leveller's (1),
 * interpolated in dB; at either end exactly that one. */
static float
blend(float calibrated, float levelled, float amount)
{
    if (amount <= 0.0f)
        return calibrated;
    if (amount >= 1.0f)
        return levelled;
    if (calibrated <= 0.0f || levelled <= 0.0f)
        return 0.0f;
    return exp2f((1.0f - amount) * log2f(calibrated) + amount * log2f(levelled));
}

void
sonify_set_membrane_gain(sonify *s, float gain)
{
    s->mem.gain = gain;
    s->mem.log_gain = log2f(gain);
}

void
sonify_set_spike_gain(sonify *s, float gain)
{
    s->spk.gain = gain;
    s->spk.log_gain = log2f(gain);
}

void
sonify_start_settled(sonify *s, float mix_rms, float mem_ref, float rate)
{
    s->act = (activity_law){mix_rms * mix_rms, activity_want_log2(mix_rms, mem_ref, rate)};
}

float
sonify_soft_limit(float x)
{
    if (isnan(x))
        return 0.0f;
    float a = fabsf(x);
    if (a <= SONIFY_KNEE)
        return x;
    const float room = 1.0f - SONIFY_KNEE;
    float y = SONIFY_KNEE + room * tanhf((a - SONIFY_KNEE) / room);
    return copysignf(y, x);
}

float
sonify_db_gain(float db)
{
    return db <= OFF_DB ? 0.0f : powf(10.0f, db / 20.0f);
}

void
sonify_frame(sonify *s, const sonify_in *in, float *left, float *right)
{
    if (in->prime) {
        s->dc_l = (dc_blocker){in->mem_l, 0.0f};
        s->dc_r_ch = (dc_blocker){in->mem_r, 0.0f};
    }
    float ml = dc_block(&s->dc_l, s->dc_r, in->mem_l);
    float mr = dc_block(&s->dc_r_ch, s->dc_r, in->mem_r);
    /* the spike voice: resonators retriggered faster than their pitch
     * pile up an offset, and a damped sine has a small one of its own */
    if (in->prime) {
        s->dcs_l = (dc_blocker){in->spk_l, 0.0f};
        s->dcs_r = (dc_blocker){in->spk_r, 0.0f};
    }
    float sl = dc_block(&s->dcs_l, s->dc_r, in->spk_l);
    float sr = dc_block(&s->dcs_r, s->dc_r, in->spk_r);
    const float a = in->level_amount;
    float mcal = 0.0f, mlev = 0.0f, scal = 0.0f, slev = 0.0f;
    if (a < 1.0f) {
        mcal = in->mem_cal *
               exp2f(activity_gain_log2(&s->act, s, ml, mr, in->mem_ref, in->spike_rate));
        scal = in->spk_cal;
    }
    if (a > 0.0f) {
        mlev = level(&s->mem, s, ml, mr, in->mem_ref);
        slev = level(&s->spk, s, sl, sr, -1.0f);
    }
    float mg = blend(mcal, mlev, a) * in->mem_gain;
    float sg = blend(scal, slev, a) * in->spk_gain;
    float l = mg * ml + sg * sl;
    float r = mg * mr + sg * sr;
    if (!isfinite(l))
        l = 0.0f;
    if (!isfinite(r))
        r = 0.0f;
    /* The gains move with the activity, and what they multiply is DC-free
     * only on average: a surge that raises the membranes while its gain is
     * up leaves an offset in the product. Blocked where it forms, so the
     * limiter does not spend its room on it. */
    if (in->prime) {
        s->out_l = (dc_blocker){l, 0.0f};
        s->out_r = (dc_blocker){r, 0.0f};
    }
    l = in->master_gain * dc_block(&s->out_l, s->dc_r, l);
    r = in->master_gain * dc_block(&s->out_r, s->dc_r, r);
    if (!isfinite(l) || !isfinite(r))
        l = r = 0.0f;

    limiter_frame(s->lim, l, r, &l, &r);
    /* And after the limiter: its gain dips with the peaks, and a waveform
     * whose peaks go one way (a membrane's spikes go up) keeps an offset
     * (a runaway seizure at speed 20: +0.0036 over 3 s). The crossfade
     * comes last, so a fade still reaches silence, delayed like the audio
     * so it falls where the change it hides does. */
    const uint32_t w = s->delay_pos, rd = (w - s->latency) & s->delay_mask;
    s->fade_delay[w] = in->fade;
    s->prime_delay[w] = (uint8_t)(in->prime != 0);
    s->delay_pos = (w + 1u) & s->delay_mask;
    if (s->prime_delay[rd]) {
        s->lim_l = (dc_blocker){l, 0.0f};
        s->lim_r = (dc_blocker){r, 0.0f};
    }
    l = s->fade_delay[rd] * dc_block(&s->lim_l, s->dc_r, l);
    r = s->fade_delay[rd] * dc_block(&s->lim_r, s->dc_r, r);
    *left = sonify_soft_limit(l);
    *right = sonify_soft_limit(r);
}

uint32_t
sonify_latency(const sonify *s)
{
    return limiter_latency(s->lim);
}

void
sonify_state(state_io *s, sonify *so)
{
    dc_blocker *dc[] = {&so->dc_l, &so->dc_r_ch, &so->dcs_l, &so->dcs_r,
                        &so->out_l, &so->out_r, &so->lim_l, &so->lim_r};
    for (int k = 0; k < 8; ++k) {
        state_f32(s, "DC blocker", &dc[k]->x1, 1);
        state_f32(s, "DC blocker", &dc[k]->y1, 1);
    }
    state_f32(s, "crossfade delay", so->fade_delay, so->delay_mask + 1u);
    state_u8(s, "restart delay", so->prime_delay, so->delay_mask + 1u);
    state_u32_max(s, "delay position", &so->delay_pos, 1, so->delay_mask);
    leveler *lv[] = {&so->mem, &so->spk};
    for (int k = 0; k < 2; ++k) {
        state_f32(s, "leveller", &lv[k]->ms, 1);
        state_f32(s, "leveller", &lv[k]->gain, 1);
        state_f32(s, "leveller", &lv[k]->log_gain, 1);
    }
    state_f32(s, "activity law", &so->act.ms, 1);
    state_f32(s, "activity law", &so->act.log_gain, 1);
    limiter_state(s, so->lim);
}
