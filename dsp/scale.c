#include "scale.h"

#include "params.h"

#include <math.h>

typedef struct {
    uint8_t len;
    uint8_t step[12];
} scale_steps;

/* Semitones above the root of each degree. Minor is natural minor (Aeolian),
 * pentatonic is the major pentatonic. */
static const scale_steps scales[] = {
    [SCALE_CHROMATIC] = {12, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
    [SCALE_MAJOR] = {7, {0, 2, 4, 5, 7, 9, 11}},
    [SCALE_MINOR] = {7, {0, 2, 3, 5, 7, 8, 10}},
    [SCALE_PENTATONIC] = {5, {0, 2, 4, 7, 9}},
    [SCALE_WHOLE_TONE] = {6, {0, 2, 4, 6, 8, 10}},
};

uint8_t
scale_note(int scale, int root, uint32_t i)
{
    if (scale < 0 || scale > SCALE_WHOLE_TONE)
        scale = SCALE_CHROMATIC;
    const scale_steps *s = &scales[scale];
    uint32_t octave = (i / s->len) % SCALE_OCTAVES;
    int note = root + 12 * (int)octave + s->step[i % s->len];
    while (note > 127)
        note -= 12;
    return (uint8_t)(note < 0 ? 0 : note);
}

float
scale_note_hz(float note)
{
    return 440.0f * exp2f((note - 69.0f) / 12.0f);
}
