/* rheobase.h — each model's rheobase, the unit of the relative drive.
 *
 * The same knob position should put every model in a comparable regime,
 * but a current means something different in each: 10 uA/cm2 is a brisk
 * tonic HH neuron and a Hindmarsh-Rose neuron firing 300 spikes/s. With
 * drive_mode = relative (params.h) the current-like controls are counted in
 * each model's own scale: drive 1.0 is the rheobase (the smallest constant
 * current that makes a neuron at rest fire repetitively), 0 is one unit
 * below it, 2 one unit above; noise, input_gain, input_offset, midi_drive,
 * dcaap_amplitude and the CV input are amounts of that unit. The absolute
 * current is drive_current() in the model's unit (registry.h
 * current_unit).
 */
#ifndef HILLOCK_MODEL_RHEOBASE_H
#define HILLOCK_MODEL_RHEOBASE_H

typedef struct {
    float rheobase; /* model's unit: onset of repetitive firing from rest */
    float unit;     /* model's unit per unit of relative drive */
} model_current_scale;

/* The scale of model MODEL_* at this temperature (degC, HH only) and
 * Izhikevich recovery sensitivity b (izhikevich only). */
model_current_scale model_current_scale_of(int model, float temperature, float izh_b);

/* Relative drive d as a current in the model's unit:
 * rheobase + (d - 1) unit. */
static inline float
drive_current(model_current_scale s, float d)
{
    return s.rheobase + (d - 1.0f) * s.unit;
}

#endif
