/* midi_event.h — a MIDI message the engine emits (spikes as notes), timed
 * in the block: the type both the engine's interface (engine.h) and the
 * note bookkeeping (midi.h) speak, so neither includes the other. */
#ifndef HILLOCK_MIDI_EVENT_H
#define HILLOCK_MIDI_EVENT_H

#include <stdint.h>

typedef struct {
    uint32_t frame;
    uint8_t size;
    uint8_t data[3];
} engine_midi_event;

#endif
