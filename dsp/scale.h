/* scale.h — neuron index -> MIDI note, shared by the spike voice, MIDI out
 * and MIDI in (so a keyboard plays the neurons that sing its notes).
 *
 * Neuron i is degree i of the scale above the root: note = root +
 * 12 * octave + step[i mod len], octave = (i / len) mod SCALE_OCTAVES, so a
 * large bank cycles through SCALE_OCTAVES octaves instead of running off the
 * keyboard. Notes above 127 drop by octaves until they fit.
 */
#ifndef HILLOCK_SCALE_H
#define HILLOCK_SCALE_H

#include <stdint.h>

#define SCALE_OCTAVES 4u

/* MIDI note 0..127 of neuron i; scale is SCALE_* from params.h. */
uint8_t scale_note(int scale, int root, uint32_t i);

/* Frequency in Hz of a MIDI note (A4 = 69 = 440 Hz, equal temperament). */
float scale_note_hz(float note);

#endif
