/* param_ui.h — how a parameter looks on a control: knob position, text with
 * its unit. Derived from dsp/params (the one table); used by the drawing and
 * by the UI's pointer handling so both agree. */
#ifndef HILLOCK_PARAM_UI_H
#define HILLOCK_PARAM_UI_H

#include "params.h"

/* Position 0..1 of a value on its control (logarithmic where the table says). */
float hillock_param_to_norm(param_id id, float value);
/* Value at position 0..1, sanitised (rounded for discrete parameters). */
float hillock_param_from_norm(param_id id, float norm);
/* The value with its unit for display: "1.60 rh = 9.98 µA/cm²" (a current
 * of the default HH bank), "-12 dB", "off", "hh". */
void hillock_param_format(param_id id, float value, char *buf, unsigned len);
/* The same with the unit the model uses: conductances have no physical
 * unit in Izhikevich and Hindmarsh-Rose ("0.50" there); currents show
 * their rheobases ("1.60 rh"). */
void hillock_param_format_model(param_id id, float value, int model, char *buf,
                                unsigned len);
/* The same for a control of a bank set to params (NULL: the defaults of
 * HH): a current-like control in drive_mode relative shows the rheobases
 * and the current they make in the model's unit, "1.60 rh = 9.98 µA/cm²". */
void hillock_param_format_in(param_id id, float value, const float *params, char *buf,
                             unsigned len);
/* Display form of a table unit: "uA/cm2" -> "µA/cm²", "degC" -> "°C". */
const char *hillock_unit_display(const char *unit);

#endif
