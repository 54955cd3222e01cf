/* notify_view.h — the UI's side of the plugin -> UI protocol (protocol/uris.h):
 * reads a hillock:Notification atom into a hillock_view. No X; the tests
 * feed it forged notifications. */
#ifndef HILLOCK_NOTIFY_VIEW_H
#define HILLOCK_NOTIFY_VIEW_H

#include "uris.h"
#include "view.h"

#include <lv2/atom/atom.h>
#include <lv2/urid/urid.h>

#include <stdbool.h>

typedef struct {
    LV2_URID atom_Float, atom_Int, atom_Long, atom_Vector, atom_Object,
        atom_eventTransfer, patch_Get, UiOn, UiOff;
    HILLOCK_NOTIFICATION_TERMS(HILLOCK_URID_FIELD)
} hv_urids;

void hv_urids_map(hv_urids *u, LV2_URID_Map *map);

/* Apply one atom from the plugin's output. Returns true if it was a
 * Notification (and v changed), false for anything else (MIDI, unknown). */
bool hillock_view_apply_atom(hillock_view *v, const hv_urids *u, const LV2_Atom *atom);

#endif
