/* test_notify — the UI reads the plugin's notifications (protocol/uris.h)
 * into its view. Expected values follow from forge_notify.h's activity:
 * in frames 0..959 neuron i fires at 3i and 3i + 480 + 48i, so neurons 0..9
 * fire twice and 10..15 once: 26 spikes. */
#include "atom_object.h"
#include "forge_notify.h"
#include "notify_view.h"

#include <criterion/criterion.h>

#include <lv2/atom/forge.h>
#include <lv2/atom/util.h>

#include <math.h>
#include <stdlib.h>

static hillock_view *v;
static hv_urids u;
static _Alignas(8) uint8_t buf[65536];

static void
setup(void)
{
    v = malloc(sizeof *v);
    hillock_view_init(v);
    hv_urids_map(&u, test_urid_map());
}

static void
teardown(void)
{
    free(v);
}

TestSuite(notify, .init = setup, .fini = teardown);

Test(notify, spikes_land_at_their_times_with_their_cell_type)
{
    const LV2_Atom *a = forge_notification(buf, sizeof buf, 0, 16);
    cr_assert_not_null(a);
    cr_assert(hillock_view_apply_atom(v, &u, a));
    cr_expect_eq(hillock_view_spike_count(v), 26);
    cr_expect_eq(v->active_neurons, 16);
    cr_expect_float_eq(v->now_s, 960.0 / 48000, 1e-12);
    int seen4 = 0, seen3 = 0;
    for (uint32_t i = 0; i < hillock_view_spike_count(v); ++i) {
        const hv_spike *s = hillock_view_spike_at(v, i);
        if (s->neuron == 4) {
            seen4++;
            cr_expect_eq(s->inhibitory, 1, "neuron 4 is inhibitory in the mask");
        }
        if (s->neuron == 3) {
            seen3++;
            cr_expect_eq(s->inhibitory, 0);
            /* first spike of neuron 3: frame 9 + 0.25 */
            if (s->t_s < 0.01)
                cr_expect_float_eq(s->t_s, 9.25 / 48000, 1e-9);
        }
    }
    cr_expect_eq(seen4, 2);
    cr_expect_eq(seen3, 2);
}

/* 240 points at 12 kHz decimate by 3 to 80; both +30 mV points survive. */
Test(notify, trace_arrives_decimated_with_its_spikes)
{
    cr_assert(hillock_view_apply_atom(v, &u, forge_notification(buf, sizeof buf, 0, 16)));
    /* 240 points 1/12 model ms apart at speed 1: the view's decimation
     * factor is floor(HV_TRACE_MODEL_MS / (1/12 ms)) = 1, all kept */
    cr_assert_eq(hillock_view_trace_count(v), 240);
    int peaks = 0;
    for (uint32_t i = 0; i < 240; ++i)
        peaks += hillock_view_trace_at(v, i)->soma == 30.0f;
    cr_expect_eq(peaks, 2);
    cr_expect_float_eq(hillock_view_trace_at(v, 0)->slow, 0.3f, 1e-6f);
    cr_assert_eq(hillock_view_phase_count(v), 1);
    cr_expect_float_eq(hillock_view_phase_at(v, 0)->slow, 0.3f, 1e-6f);
}

Test(notify, a_restarted_plugin_clock_restarts_the_view)
{
    for (uint32_t b = 0; b < 10; ++b)
        hillock_view_apply_atom(v, &u, forge_notification(buf, sizeof buf, b, 16));
    cr_expect_gt(hillock_view_spike_count(v), 100);
    hillock_view_apply_atom(v, &u, forge_notification(buf, sizeof buf, 0, 16));
    cr_expect_eq(hillock_view_spike_count(v), 26);
}

Test(notify, other_atoms_are_not_notifications)
{
    LV2_Atom_Int i = {{sizeof(int32_t), u.atom_Int}, 3};
    cr_expect_not(hillock_view_apply_atom(v, &u, &i.atom));
    LV2_Atom_Object get = {{sizeof(LV2_Atom_Object_Body), u.atom_Object}, {0, u.patch_Get}};
    cr_expect_not(hillock_view_apply_atom(v, &u, &get.atom));
    cr_expect_eq(hillock_view_spike_count(v), 0);
}

/* uris.h: a UI must accept a notification with fewer keys than listed. */
Test(notify, a_notification_with_only_a_clock_is_accepted)
{
    LV2_Atom_Forge forge;
    LV2_URID_Map *map = test_urid_map();
    lv2_atom_forge_init(&forge, map);
    lv2_atom_forge_set_buffer(&forge, buf, sizeof buf);
    LV2_Atom_Forge_Frame f;
    lv2_atom_forge_object(&forge, &f, 0, u.Notification);
    lv2_atom_forge_key(&forge, u.frame);
    lv2_atom_forge_long(&forge, 48000);
    lv2_atom_forge_key(&forge, u.sampleRate);
    lv2_atom_forge_float(&forge, 48000.0f);
    lv2_atom_forge_key(&forge, map->map(map->handle, "urn:hillock:ns#fromTheFuture"));
    lv2_atom_forge_int(&forge, 7);
    lv2_atom_forge_pop(&forge, &f);
    cr_expect(hillock_view_apply_atom(v, &u, (const LV2_Atom *)buf));
    cr_expect_float_eq(v->now_s, 1.0, 1e-12);
}

/* A notification cut short: its object's size ends inside its last
 * property (the value's body, or the property's own header), as a host
 * relaying a damaged event would hand it over. The UI refuses it whole
 * (protocol/atom_object.h) rather than read the property past the object;
 * the same notification intact is applied. */
Test(notify, a_notification_cut_inside_its_last_property_is_refused)
{
    LV2_Atom *a = (LV2_Atom *)forge_notification(buf, sizeof buf, 0, 16);
    cr_assert_not_null(a);
    const uint32_t whole = a->size;
    /* the last property's offset in the object, stepping as the LV2
     * utilities do */
    const LV2_Atom_Object *obj = (const LV2_Atom_Object *)a;
    const LV2_Atom_Property_Body *last = NULL;
    LV2_ATOM_OBJECT_FOREACH (obj, p)
        last = p;
    cr_assert_not_null(last);
    const uint32_t last_at = (uint32_t)((const uint8_t *)last - (const uint8_t *)&obj->body);

    a->size = whole - 8u; /* the value's body (or its padding and 4 bytes of it) */
    cr_expect_not(hillock_view_apply_atom(v, &u, a), "a value past the object");
    a->size = last_at + 12u; /* key, context and the value's size: no type */
    cr_expect_not(hillock_view_apply_atom(v, &u, a), "a property header past the object");
    cr_expect_eq(hillock_view_spike_count(v), 0, "nothing of them reached the view");

    a->size = whole;
    cr_expect(hillock_view_apply_atom(v, &u, a));
    cr_expect_eq(hillock_view_spike_count(v), 26);
}

/* atom_object_holds: each property, stepped over as lv2_atom_object_next
 * steps (sizes padded to 8 bytes), must lie inside the object; the last
 * one's padding may be missing (LV2 atom spec: an atom's size excludes its
 * padding; the forge writes it, other writers may not). */
Test(notify, an_object_holds_only_whole_properties)
{
    LV2_Atom_Forge forge;
    LV2_URID_Map *map = test_urid_map();
    lv2_atom_forge_init(&forge, map);
    lv2_atom_forge_set_buffer(&forge, buf, sizeof buf);
    LV2_Atom_Forge_Frame f;
    lv2_atom_forge_object(&forge, &f, 0, u.Notification);
    LV2_Atom_Object *obj = (LV2_Atom_Object *)buf;
    cr_expect(atom_object_holds(obj), "no property");
    lv2_atom_forge_key(&forge, u.frame);
    lv2_atom_forge_long(&forge, 1);
    lv2_atom_forge_key(&forge, u.sampleRate);
    lv2_atom_forge_string(&forge, "abc", 3); /* 4 bytes, padded to 8 */
    lv2_atom_forge_pop(&forge, &f);
    const uint32_t whole = obj->atom.size;
    cr_assert_eq(whole, 8u + (16u + 8u) + (16u + 8u));
    cr_expect(atom_object_holds(obj), "two whole properties");
    obj->atom.size = whole - 4u;
    cr_expect(atom_object_holds(obj), "the last one's padding left out");
    obj->atom.size = whole - 5u;
    cr_expect_not(atom_object_holds(obj), "the last value's body cut by a byte");
    obj->atom.size = 8u + 24u + 12u;
    cr_expect_not(atom_object_holds(obj), "the last property's header cut");
    obj->atom.size = 4u;
    cr_expect_not(atom_object_holds(obj), "shorter than an object's body");

    /* a value claiming nearly 4 GiB: no wrap-around in the check */
    obj->atom.size = whole;
    LV2_Atom_Property_Body *first = lv2_atom_object_begin(&obj->body);
    first->value.size = UINT32_MAX - 4u;
    cr_expect_not(atom_object_holds(obj), "a value larger than the object");
}
