/* test_ports.c — the generated TTL, read back through lilv, agrees with the
 * table the binary is compiled from (protocol/ports.h + dsp/params.h):
 * count, index, symbol, direction, type, range, default, properties, scale
 * points, for both plugins. */
#include "host.h"

#include <criterion/criterion.h>
#include <lv2/atom/atom.h>
#include <lv2/port-props/port-props.h>

#include <string.h>

HB_WORLD_SUITE(ports, 60);

static bool
port_is(const LilvPlugin *p, const LilvPort *port, const char *class_uri)
{
    LilvNode *c = lilv_new_uri(hb_lilv(world), class_uri);
    bool r = lilv_port_is_a(p, port, c);
    lilv_node_free(c);
    return r;
}

static bool
has_property(const LilvPlugin *p, const LilvPort *port, const char *uri)
{
    LilvNode *c = lilv_new_uri(hb_lilv(world), uri);
    bool r = lilv_port_has_property(p, port, c);
    lilv_node_free(c);
    return r;
}

static void
check_plugin(bool cv)
{
    const LilvPlugin *p = hb_plugin(world, cv);
    cr_assert_not_null(p, "plugin missing from the bundle");
    cr_assert_eq(lilv_plugin_get_num_ports(p), hillock_port_count(cv));

    uint32_t base = hillock_param_port_base(cv);
    for (uint32_t k = 0; k < PORT_LATE_COUNT; ++k) {
        const hillock_fixed_port *fp = hillock_late_port_at(k);
        const LilvPort *port = lilv_plugin_get_port_by_index(p, hillock_late_port_index(cv, k));
        cr_assert_not_null(port);
        cr_assert_str_eq(lilv_node_as_string(lilv_port_get_symbol(p, port)), fp->symbol);
        cr_assert(port_is(p, port, fp->output ? LV2_CORE__OutputPort : LV2_CORE__InputPort) &&
                      port_is(p, port, LV2_CORE__ControlPort),
                  "%s: a control port, its direction", fp->symbol);
        /* LV2 core, "Versioning": ports added under the same URI must be optional */
        cr_assert(has_property(p, port, LV2_CORE__connectionOptional), "%s", fp->symbol);
    }
    /* hosts find the latency port by its designation (lilv, Ardour, Carla) */
    LilvNode *latency = lilv_new_uri(hb_lilv(world), LV2_CORE__latency);
    LilvNode *output = lilv_new_uri(hb_lilv(world), LV2_CORE__OutputPort);
    const LilvPort *lat = lilv_plugin_get_port_by_designation(p, output, latency);
    cr_assert_not_null(lat, "no lv2:designation lv2:latency");
    cr_assert_eq(lilv_port_get_index(p, lat), hillock_late_port_index(cv, PORT_LATE_LATENCY));
    cr_assert(lilv_plugin_has_latency(p));
    cr_assert_eq(lilv_plugin_get_latency_port_index(p),
                 hillock_late_port_index(cv, PORT_LATE_LATENCY));
    /* LV2 core 6.x: hosts that predate the designation look for the
     * lv2:reportsLatency port property instead (Ardour checks both) */
    cr_assert(has_property(p, lat, LV2_CORE__reportsLatency), "no lv2:reportsLatency");
    lilv_node_free(latency);
    /* and the freewheel port by its (LV2 core: lv2:freeWheeling) */
    LilvNode *freewheeling = lilv_new_uri(hb_lilv(world), LV2_CORE__freeWheeling);
    LilvNode *input = lilv_new_uri(hb_lilv(world), LV2_CORE__InputPort);
    const LilvPort *fw = lilv_plugin_get_port_by_designation(p, input, freewheeling);
    cr_assert_not_null(fw, "no lv2:designation lv2:freeWheeling");
    cr_assert_eq(lilv_port_get_index(p, fw), hillock_late_port_index(cv, PORT_LATE_FREEWHEEL));
    lilv_node_free(freewheeling);
    lilv_node_free(input);
    lilv_node_free(output);

    for (uint32_t i = 0; i < base; ++i) {
        const hillock_fixed_port *fp = hillock_fixed_port_at(i);
        const LilvPort *port = lilv_plugin_get_port_by_index(p, i);
        cr_assert_not_null(port);
        cr_assert_str_eq(lilv_node_as_string(lilv_port_get_symbol(p, port)), fp->symbol);
        cr_assert(port_is(p, port, fp->output ? LV2_CORE__OutputPort : LV2_CORE__InputPort),
                  "%s: direction", fp->symbol);
        const char *type = fp->type == PORT_TYPE_AUDIO ? LV2_CORE__AudioPort
                           : fp->type == PORT_TYPE_CV  ? LV2_CORE__CVPort
                                                       : LV2_ATOM__AtomPort;
        cr_assert(port_is(p, port, type), "%s: type", fp->symbol);
        if (fp->type == PORT_TYPE_CV) {
            cr_assert(has_property(p, port, LV2_CORE__connectionOptional), "%s", fp->symbol);
            LilvNode *def, *min, *max;
            lilv_port_get_range(p, port, &def, &min, &max);
            cr_assert(min && max, "%s: CV range missing (Carla reads it)", fp->symbol);
            cr_assert_float_eq(lilv_node_as_float(min), fp->min, 1e-6);
            cr_assert_float_eq(lilv_node_as_float(max), fp->max, 1e-6);
            lilv_node_free(def);
            lilv_node_free(min);
            lilv_node_free(max);
        }
    }
    /* No CV port in the DAW plugin: Ardour 7 refuses it (docs/hosts.md). */
    if (!cv)
        for (uint32_t i = 0; i < lilv_plugin_get_num_ports(p); ++i)
            cr_assert_not(port_is(p, lilv_plugin_get_port_by_index(p, i), LV2_CORE__CVPort));

    for (uint32_t id = 0; id < PARAM_COUNT; ++id) {
        const param_info *info = &param_table[id];
        uint32_t index = hillock_param_port_index(cv, id);
        const LilvPort *port = lilv_plugin_get_port_by_index(p, index);
        cr_assert_not_null(port);
        cr_assert_str_eq(lilv_node_as_string(lilv_port_get_symbol(p, port)), info->symbol,
                         "port %u", index);
        cr_assert(port_is(p, port, LV2_CORE__ControlPort) &&
                      port_is(p, port, LV2_CORE__InputPort),
                  "%s", info->symbol);
        LilvNode *def, *min, *max;
        lilv_port_get_range(p, port, &def, &min, &max);
        cr_assert(def && min && max, "%s: range", info->symbol);
        /* exact: the generator prints 9 significant digits, enough for a float */
        cr_assert_eq(lilv_node_as_float(def), info->def, "%s default", info->symbol);
        cr_assert_eq(lilv_node_as_float(min), info->min, "%s minimum", info->symbol);
        cr_assert_eq(lilv_node_as_float(max), info->max, "%s maximum", info->symbol);
        lilv_node_free(def);
        lilv_node_free(min);
        lilv_node_free(max);
        bool integer = info->kind == PARAM_KIND_INTEGER || info->kind == PARAM_KIND_ENUMERATION;
        cr_assert_eq(has_property(p, port, LV2_CORE__integer), integer, "%s", info->symbol);
        cr_assert_eq(has_property(p, port, LV2_CORE__enumeration),
                     info->kind == PARAM_KIND_ENUMERATION, "%s", info->symbol);
        cr_assert_eq(has_property(p, port, LV2_CORE__toggled), info->kind == PARAM_KIND_TOGGLE,
                     "%s", info->symbol);
        cr_assert_eq(has_property(p, port, LV2_PORT_PROPS__logarithmic),
                     info->logarithmic && info->min > 0, "%s", info->symbol);
        if (info->kind == PARAM_KIND_ENUMERATION) {
            LilvScalePoints *points = lilv_port_get_scale_points(p, port);
            cr_assert_eq(lilv_scale_points_size(points), info->n_values, "%s", info->symbol);
            LILV_FOREACH (scale_points, it, points) {
                const LilvScalePoint *sp = lilv_scale_points_get(points, it);
                int v = (int)lilv_node_as_float(lilv_scale_point_get_value(sp));
                cr_assert(v >= 0 && (uint32_t)v < info->n_values);
                cr_assert_str_eq(lilv_node_as_string(lilv_scale_point_get_label(sp)),
                                 info->values[v]);
            }
            lilv_scale_points_free(points);
        }
    }
}

Test(ports, bank_ttl_matches_the_parameter_table)
{
    check_plugin(false);
}

Test(ports, bank_cv_ttl_matches_the_parameter_table)
{
    check_plugin(true);
}

/* Appending a parameter or a port must never move a released port: the
 * controls of 0.1 start right after the fixed ports, in param_id order, and
 * the ports of 0.2 follow them. Pinned values: the layout documented in
 * ports.h as released in 0.1.0 and 0.2.0. */
Test(ports, released_indices_are_pinned)
{
    cr_assert_eq(hillock_param_port_base(false), 5);
    cr_assert_eq(hillock_param_port_base(true), 10);
    cr_assert_eq(hillock_param_port_index(false, P_MASTER_LEVEL), 49);
    cr_assert_eq(hillock_param_port_index(true, P_MASTER_LEVEL), 54);
    static const char *const late[] = {"latency", "guard_load", "guard_active"};
    for (uint32_t k = 0; k < 3; ++k) {
        cr_assert_eq(hillock_late_port_index(false, k), 50 + k);
        cr_assert_eq(hillock_late_port_index(true, k), 55 + k);
        cr_assert_str_eq(hillock_late_port_at(k)->symbol, late[k]);
    }
    /* a parameter after 0.1 lands after the 0.2 ports, and maps back */
    cr_assert_eq(hillock_param_port_index(false, HILLOCK_PARAMS_0_1), 53);
    /* the ports of 0.3 follow playback_rate, the last parameter before them */
    cr_assert_eq(HILLOCK_PARAMS_0_2, P_PLAYBACK_RATE + 1);
    cr_assert_eq(hillock_param_port_index(false, P_PLAYBACK_RATE), 67);
    static const char *const late_0_3[] = {"freewheel", "guard_time"};
    for (uint32_t k = 0; k < 2; ++k) {
        cr_assert_eq(hillock_late_port_index(false, PORT_LATE_0_2_COUNT + k), 68 + k);
        cr_assert_eq(hillock_late_port_index(true, PORT_LATE_0_2_COUNT + k), 73 + k);
        cr_assert_str_eq(hillock_late_port_at(PORT_LATE_0_2_COUNT + k)->symbol, late_0_3[k]);
    }
    /* pitch_clamped follows branch_subunits, the last parameter before it */
    cr_assert_eq(HILLOCK_PARAMS_0_3, P_BRANCH_SUBUNITS + 1);
    cr_assert_eq(hillock_param_port_index(false, P_BRANCH_SUBUNITS), 81);
    cr_assert_eq(hillock_late_port_index(false, PORT_LATE_PITCH_CLAMPED), 82);
    cr_assert_eq(hillock_late_port_index(true, PORT_LATE_PITCH_CLAMPED), 87);
    cr_assert_str_eq(hillock_late_port_at(PORT_LATE_PITCH_CLAMPED)->symbol, "pitch_clamped");
    cr_assert_eq(hillock_port_param(false, 82), -1);
    cr_assert_eq(hillock_port_param(false, 68), -1);
    cr_assert_eq(hillock_port_param(false, 69), -1);
    for (int cv = 0; cv < 2; ++cv)
        for (uint32_t id = 0; id < PARAM_COUNT; ++id)
            cr_assert_eq(hillock_port_param(cv, hillock_param_port_index(cv, id)), (int)id);
    cr_assert_eq(hillock_port_param(false, 50), -1);
    cr_assert_eq(hillock_port_param(true, 9), -1);
    cr_assert_eq(PORT_EVENTS_OUT, 4);
    cr_assert_eq(PORT_CV_RATE, 9);
    /* param_id order as released in 0.1.0; new symbols go after these */
    static const char *const released[] = {
        "model", "neurons", "drive", "spread", "noise", "noise_tau", "seed",
        "temperature", "speed", "spike_threshold", "focus", "pr_gc", "pr_p", "izh_a",
        "izh_b", "izh_c", "izh_d", "hr_r", "dendrite_mode", "branch_a", "branch_b",
        "nmda_mg", "dcaap_threshold", "dcaap_width", "dcaap_amplitude", "connectivity",
        "inhibitory_fraction", "w_exc", "w_inh", "tau_exc", "tau_inh", "gap",
        "input_gain", "input_offset", "input_mode", "input_routing", "midi_drive",
        "listen", "membrane_level", "spike_level", "spike_sound", "scale", "root",
        "velocity", "master_level",
    };
    size_t n = sizeof released / sizeof released[0];
    cr_assert_geq(PARAM_COUNT, n);
    for (size_t i = 0; i < n; ++i)
        cr_assert_str_eq(param_table[i].symbol, released[i], "control %zu moved", i);
}

/* Every preset sets only ports that exist, with values in range. */
Test(ports, presets_name_only_existing_ports)
{
    for (int cv = 0; cv < 2; ++cv) {
        const LilvNode *presets[HB_MAX_PRESETS];
        int n = hb_presets(world, cv, presets, HB_MAX_PRESETS);
        cr_assert_gt(n, 0);
        for (int i = 0; i < n; ++i) {
            hb_instance h;
            cr_assert(hb_instantiate(&h, world, cv, 48000.0));
            float values[PARAM_COUNT];
            int set = hb_apply_preset(&h, presets[i], values);
            cr_assert_gt(set, 0, "%s: unknown port or nothing set",
                         lilv_node_as_uri(presets[i]));
            for (int id = 0; id < PARAM_COUNT; ++id)
                cr_assert(values[id] >= param_table[id].min &&
                              values[id] <= param_table[id].max,
                          "%s: %s = %g out of range", lilv_node_as_uri(presets[i]),
                          param_table[id].symbol, (double)values[id]);
            hb_free(&h);
        }
    }
}

static LilvNode *
plugin_value(const LilvPlugin *p, const char *predicate)
{
    LilvNode *pred = lilv_new_uri(hb_lilv(world), predicate);
    LilvNodes *values = lilv_plugin_get_value(p, pred);
    lilv_node_free(pred);
    LilvNode *first = values ? lilv_node_duplicate(lilv_nodes_get_first(values)) : NULL;
    lilv_nodes_free(values);
    return first;
}

/* What lv2lint checks and lv2_validate does not: versions, maintainer,
 * license, class, a comment on every port, a unit on every control whose
 * parameter has one, a group on every control. */
Test(ports, metadata_lv2lint_looks_for)
{
    static const char *const required[] = {
        LV2_CORE__minorVersion, LV2_CORE__microVersion,
        "http://usefulinc.com/ns/doap#maintainer", "http://usefulinc.com/ns/doap#license",
        "http://usefulinc.com/ns/doap#name", "http://www.w3.org/2000/01/rdf-schema#comment",
    };
    LilvNode *comment = lilv_new_uri(hb_lilv(world), "http://www.w3.org/2000/01/rdf-schema#comment");
    LilvNode *unit = lilv_new_uri(hb_lilv(world), "http://lv2plug.in/ns/extensions/units#unit");
    LilvNode *group = lilv_new_uri(hb_lilv(world), "http://lv2plug.in/ns/ext/port-groups#group");
    LilvNode *instrument = lilv_new_uri(hb_lilv(world), LV2_CORE__InstrumentPlugin);
    LilvNode *a = lilv_new_uri(hb_lilv(world), "http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
    for (int cv = 0; cv < 2; ++cv) {
        const LilvPlugin *p = hb_plugin(world, cv);
        cr_assert_not_null(p);
        for (size_t i = 0; i < sizeof required / sizeof required[0]; ++i) {
            LilvNode *v = plugin_value(p, required[i]);
            cr_assert_not_null(v, "plugin %d lacks <%s>", cv, required[i]);
            lilv_node_free(v);
        }
        LilvNodes *types = lilv_plugin_get_value(p, a);
        cr_assert(lilv_nodes_contains(types, instrument), "not an lv2:InstrumentPlugin");
        lilv_nodes_free(types);
        for (uint32_t i = 0; i < lilv_plugin_get_num_ports(p); ++i) {
            const LilvPort *port = lilv_plugin_get_port_by_index(p, i);
            LilvNodes *c = lilv_port_get_value(p, port, comment);
            cr_assert(c && lilv_nodes_size(c) == 1, "port %u: no rdfs:comment", i);
            lilv_nodes_free(c);
            int id = hillock_port_param(cv, i);
            if (id < 0)
                continue;
            const param_info *info = &param_table[id];
            LilvNodes *u = lilv_port_get_value(p, port, unit);
            cr_assert_eq(u != NULL && lilv_nodes_size(u) > 0,
                         info->lv2_unit != NULL || (info->unit && info->unit[0]),
                         "%s: unit", info->symbol);
            lilv_nodes_free(u);
            LilvNodes *g = lilv_port_get_value(p, port, group);
            cr_assert(g && lilv_nodes_size(g) == 1, "%s: no port group", info->symbol);
            lilv_nodes_free(g);
        }
    }
    lilv_node_free(comment);
    lilv_node_free(unit);
    lilv_node_free(group);
    lilv_node_free(instrument);
    lilv_node_free(a);
}
