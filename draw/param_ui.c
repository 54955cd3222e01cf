/* param_ui.c — knob positions and value text; see param_ui.h. */
#include "param_ui.h"

#include "models/rheobase.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static bool
log_scaled(const param_info *p)
{
    return p->logarithmic && p->min > 0.0f;
}

float
hillock_param_to_norm(param_id id, float value)
{
    const param_info *p = &param_table[id];
    value = param_sanitize(id, value);
    if (p->max <= p->min)
        return 0.0f;
    float n = log_scaled(p) ? logf(value / p->min) / logf(p->max / p->min)
                            : (value - p->min) / (p->max - p->min);
    return n < 0.0f ? 0.0f : (n > 1.0f ? 1.0f : n);
}

float
hillock_param_from_norm(param_id id, float norm)
{
    const param_info *p = &param_table[id];
    if (!(norm >= 0.0f))
        norm = 0.0f;
    if (norm > 1.0f)
        norm = 1.0f;
    float v = log_scaled(p) ? p->min * powf(p->max / p->min, norm)
                            : p->min + norm * (p->max - p->min);
    return param_sanitize(id, v);
}

const char *
hillock_unit_display(const char *unit)
{
    static const struct { const char *table, *shown; } map[] = {
        {"uA/cm2", "\xc2\xb5" "A/cm\xc2\xb2"},
        {"mS/cm2", "mS/cm\xc2\xb2"},
        {"degC", "\xc2\xb0" "C"},
        {"rheobase", "rh"},
    };
    if (!unit)
        return "";
    for (size_t i = 0; i < sizeof map / sizeof map[0]; ++i)
        if (strcmp(unit, map[i].table) == 0)
            return map[i].shown;
    return unit;
}

/* Levels whose minimum means "off" (their comments in params.c say so). */
static bool
min_is_off(param_id id)
{
    return id == P_MEMBRANE_LEVEL || id == P_SPIKE_LEVEL;
}

/* params.c: currents and conductances are in µA/cm² and mS/cm² for the
 * conductance-based models, in the model's own dimensionless units for
 * Izhikevich and Hindmarsh-Rose. */
static const char *
unit_for_model(const char *unit, int model)
{
    bool physical = model == MODEL_HH || model == MODEL_PINSKY_RINZEL;
    if (!physical && unit && (!strcmp(unit, "uA/cm2") || !strcmp(unit, "mS/cm2")))
        return "";
    return hillock_unit_display(unit);
}

void
hillock_param_format(param_id id, float value, char *buf, unsigned len)
{
    hillock_param_format_in(id, value, NULL, buf, len);
}

void
hillock_param_format_model(param_id id, float value, int model, char *buf, unsigned len)
{
    const param_info *p = &param_table[id];
    value = param_sanitize(id, value);
    if (len == 0)
        return;
    if (p->kind == PARAM_KIND_ENUMERATION) {
        const char *name = param_value_name(id, value);
        snprintf(buf, len, "%s", name ? name : "?");
        for (char *c = buf; *c; ++c)
            if (*c == '_')
                *c = ' ';
        return;
    }
    if (p->kind == PARAM_KIND_TOGGLE) {
        snprintf(buf, len, "%s", value >= 0.5f ? "on" : "off");
        return;
    }
    if (min_is_off(id) && value <= p->min) {
        snprintf(buf, len, "off");
        return;
    }
    const char *unit = unit_for_model(p->unit, model);
    const char *sep = unit[0] ? " " : "";
    if (p->kind == PARAM_KIND_INTEGER) {
        snprintf(buf, len, "%ld%s%s", lroundf(value), sep, unit);
        return;
    }
    float a = fabsf(value);
    int decimals = a >= 100.0f ? 0 : a >= 10.0f ? 1 : a >= 1.0f ? 2 : 3;
    if (value == 0.0f)
        decimals = 1;
    snprintf(buf, len, "%.*f%s%s", decimals, (double)value, sep, unit);
}

/* The controls counted in the rheobase in drive_mode relative. */
static bool
is_current(param_id id)
{
    return id == P_DRIVE || id == P_NOISE || id == P_INPUT_GAIN || id == P_INPUT_OFFSET ||
           id == P_MIDI_DRIVE || id == P_DCAAP_AMPLITUDE;
}

void
hillock_param_format_in(param_id id, float value, const float *params, char *buf, unsigned len)
{
    int model = params ? (int)lroundf(params[P_MODEL]) : MODEL_HH;
    if (model < 0 || model >= MODEL_COUNT)
        model = MODEL_HH;
    bool relative = !params || (int)lroundf(params[P_DRIVE_MODE]) == DRIVE_RELATIVE;
    if (!is_current(id) || len == 0) {
        hillock_param_format_model(id, value, model, buf, len);
        return;
    }
    const char *unit = hillock_unit_display(model_info_of(model)->current_unit);
    value = param_sanitize(id, value);
    if (!relative) {
        snprintf(buf, len, "%.2f%s%s", (double)value, unit[0] ? " " : "", unit);
        return;
    }
    model_current_scale cs = model_current_scale_of(
        model, params ? params[P_TEMPERATURE] : param_table[P_TEMPERATURE].def,
        params ? params[P_IZH_B] : param_table[P_IZH_B].def);
    float current = id == P_DRIVE ? drive_current(cs, value) : value * cs.unit;
    float a = fabsf(value);
    snprintf(buf, len, "%.*f rh = %.3g%s%s", a >= 10.0f ? 1 : 2, (double)value, (double)current,
             unit[0] ? " " : "", unit);
}
