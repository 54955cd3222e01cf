/* transport.c — the host's musical time (time:Position) to the engine's
 * beat grid, for tempo_sync (dsp/tempo_lock.h).
 *
 * A host sends a time:Position object in the atom input when its transport
 * changes (start, stop, locate, loop, tempo) and many send one every
 * cycle. It carries the tempo (time:beatsPerMinute, in beats of
 * time:beatUnit), the position (time:bar, time:barBeat, with
 * time:beatsPerBar) and time:speed (0 stopped, 1 playing). The engine
 * counts quarter notes, so beats of another unit are converted; what a
 * Position leaves out keeps its last value. */
#include "plugin.h"

#include <lv2/atom/util.h>
#include <lv2/time/time.h>

#include <math.h>

void
transport_init(hillock_plugin *self)
{
    LV2_URID_Map *map = self->map;
    plugin_transport *t = &self->transport;
    t->Position = map->map(map->handle, LV2_TIME__Position);
    t->bar = map->map(map->handle, LV2_TIME__bar);
    t->barBeat = map->map(map->handle, LV2_TIME__barBeat);
    t->beatUnit = map->map(map->handle, LV2_TIME__beatUnit);
    t->beatsPerBar = map->map(map->handle, LV2_TIME__beatsPerBar);
    t->beatsPerMinute = map->map(map->handle, LV2_TIME__beatsPerMinute);
    t->speed_key = map->map(map->handle, LV2_TIME__speed);
    t->frame_key = map->map(map->handle, LV2_TIME__frame);
    t->bpm = 120.0;
    t->beat_unit = 4.0;
    t->beats_per_bar = 4.0;
    t->speed = 0.0;
}

/* A number of any of the atom types hosts use for these keys. */
static bool
number_of(const hillock_plugin *self, const LV2_Atom *a, double *out)
{
    if (!a)
        return false;
    const LV2_Atom_Forge *f = &self->forge;
    if (a->type == f->Double && a->size >= sizeof(double))
        *out = ((const LV2_Atom_Double *)a)->body;
    else if (a->type == f->Float && a->size >= sizeof(float))
        *out = ((const LV2_Atom_Float *)a)->body;
    else if (a->type == f->Long && a->size >= sizeof(int64_t))
        *out = (double)((const LV2_Atom_Long *)a)->body;
    else if (a->type == f->Int && a->size >= sizeof(int32_t))
        *out = ((const LV2_Atom_Int *)a)->body;
    else
        return false;
    return isfinite(*out);
}

void
transport_on_position(hillock_plugin *self, const LV2_Atom_Object *obj)
{
    plugin_transport *t = &self->transport;
    const LV2_Atom *bar = NULL, *bar_beat = NULL, *unit = NULL, *per_bar = NULL, *bpm = NULL,
                   *speed = NULL, *frame = NULL;
    lv2_atom_object_get(obj, t->bar, &bar, t->barBeat, &bar_beat, t->beatUnit, &unit,
                        t->beatsPerBar, &per_bar, t->beatsPerMinute, &bpm, t->speed_key,
                        &speed, t->frame_key, &frame, 0);
    double v;
    if (number_of(self, unit, &v) && v > 0.0)
        t->beat_unit = v;
    if (number_of(self, per_bar, &v) && v > 0.0)
        t->beats_per_bar = v;
    if (number_of(self, bpm, &v) && v > 0.0)
        t->bpm = v;
    if (number_of(self, speed, &v))
        t->speed = v;
    double bar_n = 0.0, beat = 0.0;
    bool placed = number_of(self, bar, &bar_n) && number_of(self, bar_beat, &beat);
    /* beats of beat_unit -> quarter notes */
    const double quarters_per_beat = 4.0 / t->beat_unit;
    double quarter = placed ? (bar_n * t->beats_per_bar + beat) * quarters_per_beat
                            : t->last_quarter;
    t->last_quarter = quarter;
    engine_set_transport(self->eng, quarter, t->bpm * quarters_per_beat, t->speed);
    double at = 0.0; /* the recording follows the frame (recording.h) */
    bool has_frame = number_of(self, frame, &at);
    recording_on_position(self, has_frame, at, t->speed);
}
