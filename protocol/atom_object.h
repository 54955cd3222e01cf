/* atom_object.h — whether an atom:Object's properties lie inside it.
 *
 * The LV2 atom utilities (lv2/atom/util.h: LV2_ATOM_OBJECT_FOREACH,
 * lv2_atom_object_get) walk an object's properties trusting every size
 * they read: a property header cut short by the object's end, or a value
 * claiming more bytes than the object has left, makes them read past the
 * buffer the host handed over (found by fuzz_plugin: a patch:Get whose
 * last property was cut short). The plugin and the UI check each object
 * once where it arrives and ignore one that does not hold; after that,
 * every property the utilities visit, its value's header and its value's
 * body are inside the object.
 */
#ifndef HILLOCK_ATOM_OBJECT_H
#define HILLOCK_ATOM_OBJECT_H

#include <lv2/atom/atom.h>
#include <lv2/atom/util.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* obj's header is readable and obj->atom.size bytes of body follow it (the
 * caller has checked that against its buffer). True when the body holds
 * the object body and whole properties, each stepped over as
 * lv2_atom_object_next steps (its size padded to 8 bytes); the last one's
 * padding may be missing. */
static inline bool
atom_object_holds(const LV2_Atom_Object *obj)
{
    if (obj->atom.size < sizeof(LV2_Atom_Object_Body))
        return false;
    const uint8_t *p = (const uint8_t *)lv2_atom_object_begin(&obj->body);
    const uint8_t *const end = (const uint8_t *)&obj->body + obj->atom.size;
    while (p < end) {
        const size_t left = (size_t)(end - p);
        if (left < sizeof(LV2_Atom_Property_Body))
            return false;
        const LV2_Atom_Property_Body *prop = (const LV2_Atom_Property_Body *)p;
        if (prop->value.size > left - sizeof(LV2_Atom_Property_Body))
            return false;
        /* at most left (< 2^32): no overflow before the padding */
        const size_t step =
            lv2_atom_pad_size((uint32_t)(sizeof(LV2_Atom_Property_Body) + prop->value.size));
        if (step >= left)
            break;
        p += step;
    }
    return true;
}

#endif
