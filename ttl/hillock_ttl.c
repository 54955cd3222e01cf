/* hillock_ttl.c — prints the bundle's Turtle from the one parameter table.
 *
 *   hillock_ttl plugin VERSION [UI_BINARY]  > hillock.ttl
 *   hillock_ttl manifest BINARY PRESET_DIR > manifest.ttl
 *
 * hillock.ttl describes urn:hillock:bank and urn:hillock:bank-cv: the fixed
 * ports from protocol/ports.h, then one control port per param_table entry
 * (dsp/params.h). Nothing about a port is written anywhere else, so the
 * binary and the TTL cannot disagree.
 *
 * The manifest lists both plugins and every preset file (*.ttl) in PRESET_DIR (read at
 * build time, so a new preset file needs no reconfigure). A preset's URI is read
 * from its file (the subject typed pset:Preset), never guessed from the file
 * name; each gets lv2:appliesTo both plugins and rdfs:seeAlso its file.
 */
/* realpath() is XSI */
#define _XOPEN_SOURCE 700

#include "params.h"
#include "path_props.h"
#include "ports.h"
#include "uris.h"

#include <sord/sord.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_RDFS "http://www.w3.org/2000/01/rdf-schema#"
#define NS_PSET "http://lv2plug.in/ns/ext/presets#"

static const char *const prefixes =
    "@prefix atom:  <http://lv2plug.in/ns/ext/atom#> .\n"
    "@prefix bufsz: <http://lv2plug.in/ns/ext/buf-size#> .\n"
    "@prefix doap:  <http://usefulinc.com/ns/doap#> .\n"
    "@prefix foaf:  <http://xmlns.com/foaf/0.1/> .\n"
    "@prefix idpy:  <http://harrisonconsoles.com/lv2/inlinedisplay#> .\n"
    "@prefix log:   <http://lv2plug.in/ns/ext/log#> .\n"
    "@prefix lv2:   <http://lv2plug.in/ns/lv2core#> .\n"
    "@prefix midi:  <http://lv2plug.in/ns/ext/midi#> .\n"
    "@prefix opts:  <http://lv2plug.in/ns/ext/options#> .\n"
    "@prefix patch: <http://lv2plug.in/ns/ext/patch#> .\n"
    "@prefix pg:    <http://lv2plug.in/ns/ext/port-groups#> .\n"
    "@prefix pprop: <http://lv2plug.in/ns/ext/port-props#> .\n"
    "@prefix pset:  <http://lv2plug.in/ns/ext/presets#> .\n"
    "@prefix rdf:   <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
    "@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .\n"
    "@prefix rsz:   <http://lv2plug.in/ns/ext/resize-port#> .\n"
    "@prefix state: <http://lv2plug.in/ns/ext/state#> .\n"
    "@prefix time:  <http://lv2plug.in/ns/ext/time#> .\n"
    "@prefix ui:    <http://lv2plug.in/ns/extensions/ui#> .\n"
    "@prefix units: <http://lv2plug.in/ns/extensions/units#> .\n"
    "@prefix urid:  <http://lv2plug.in/ns/ext/urid#> .\n"
    "@prefix work:  <http://lv2plug.in/ns/ext/worker#> .\n";

/* The project's addresses (meson options homepage and maintainer_email). */
#ifndef HILLOCK_HOMEPAGE
#define HILLOCK_HOMEPAGE "https://hillock.invalid/"
#endif
#ifndef HILLOCK_MAINTAINER_EMAIL
#define HILLOCK_MAINTAINER_EMAIL "hillock@hillock.invalid"
#endif

/* Port groups: one per param_table group, in the order a UI shows them,
 * then the groups of the ports that are not parameters (fixed_port_group). */
static const struct {
    const char *symbol, *label, *type;
} groups[] = {
    {"bank", "Bank", "pg:Group"},
    {"model", "Model", "pg:Group"},
    {"dendrite", "Dendrites", "pg:Group"},
    {"network", "Network", "pg:Group"},
    {"drugs", "Drugs and modulators", "pg:Group"},
    {"stimulus", "Stimulus", "pg:InputGroup"},
    {"sound", "Sound", "pg:Group"},
    {"time", "Time", "pg:Group"},
    {"out", "Output", "pg:StereoGroup, pg:OutputGroup"},
    {"events", "Events", "pg:Group"},
    {"cv_out", "CV outputs", "pg:OutputGroup"},
    {"status", "Status", "pg:OutputGroup"},
};

/* Print s as a Turtle string literal body (escape quotes and backslashes). */
static void
put_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; ++s) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* A float as Turtle decimal, exact enough to round-trip the float. */
static void
put_number(FILE *out, float v)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.9g", (double)v);
    /* Turtle reads "1e+02" as a double and "5" as an integer; both are fine
     * for lilv, but lv2_validate wants decimals: force a decimal point. */
    if (!strpbrk(buf, ".eEn"))
        strcat(buf, ".0");
    fputs(buf, out);
}

/* A value of a parameter: whole numbers for integers, enumerations and
 * toggles (lv2:integer ports take xsd:integer literals), else a decimal. */
static void
put_value(FILE *out, const param_info *p, float v)
{
    if (p->kind == PARAM_KIND_FLOAT)
        put_number(out, v);
    else
        fprintf(out, "%ld", lroundf(v));
}

/* A unit: the LV2 units vocabulary's when it has one (lv2_unit), else a
 * blank-node units:Unit with this symbol; nothing for neither. */
static void
put_unit_of(FILE *out, const char *lv2_unit, const char *symbol)
{
    if (lv2_unit) {
        fprintf(out, " ;\n        units:unit %s", lv2_unit);
    } else if (symbol && symbol[0]) {
        fprintf(out, " ;\n        units:unit [\n            a units:Unit ;\n"
                     "            rdfs:label ");
        put_string(out, symbol);
        fprintf(out, " ;\n            units:symbol ");
        put_string(out, symbol);
        fprintf(out, " ;\n            units:render \"%%f %s\"\n        ]", symbol);
    }
}

/* The group of a port that is not a parameter, from its kind alone, so a
 * port added to protocol/ports.h lands in a group without a change here:
 * audio outs form the stereo output, whatever feeds the bank is the
 * stimulus, atom ports carry events, CV outs and control outs report. */
static const char *
fixed_port_group(const hillock_fixed_port *fp)
{
    switch (fp->type) {
    case PORT_TYPE_AUDIO: return fp->output ? "out" : "stimulus";
    case PORT_TYPE_CV: return fp->output ? "cv_out" : "stimulus";
    case PORT_TYPE_ATOM: return "events";
    case PORT_TYPE_CONTROL: return fp->output ? "status" : "bank";
    }
    return "bank";
}

/* A control port added after the first release: optional (LV2 core:
 * ports added without a new URI must be lv2:connectionOptional). */
static void
put_late_port(FILE *out, uint32_t index, const hillock_fixed_port *fp)
{
    fprintf(out, "    [\n        a %s, lv2:ControlPort ;\n",
            fp->output ? "lv2:OutputPort" : "lv2:InputPort");
    fprintf(out, "        lv2:index %u ;\n        lv2:symbol \"%s\" ;\n        lv2:name ", index,
            fp->symbol);
    put_string(out, fp->name);
    fprintf(out, " ;\n        rdfs:comment ");
    put_string(out, fp->comment);
    fprintf(out, " ;\n        pg:group <urn:hillock:group#%s>", fixed_port_group(fp));
    fprintf(out, " ;\n        lv2:portProperty lv2:connectionOptional");
    switch (fp->index) {
    case PORT_LATE_LATENCY:
        /* the designation for lilv and current hosts, the (deprecated)
         * port property for hosts that look for it alone */
        fprintf(out, ", lv2:integer, lv2:reportsLatency, pprop:notOnGUI ;\n"
                     "        lv2:designation lv2:latency ;\n"
                     "        units:unit units:frame");
        break;
    case PORT_LATE_GUARD_LOAD:
        fprintf(out, " ;\n        units:unit units:coef");
        break;
    case PORT_LATE_GUARD_ACTIVE:
        fprintf(out, ", lv2:toggled");
        break;
    case PORT_LATE_FREEWHEEL:
        /* hosts set it by its designation (LV2 core: lv2:freeWheeling) */
        fprintf(out, ", lv2:toggled, pprop:notOnGUI ;\n"
                     "        lv2:designation lv2:freeWheeling");
        break;
    case PORT_LATE_GUARD_TIME:
        fprintf(out, " ;\n        units:unit units:coef");
        break;
    case PORT_LATE_PITCH_CLAMPED:
        fprintf(out, ", lv2:integer ;\n        units:unit units:midiNote");
        break;
    default:
        break;
    }
    /* lv2:integer and lv2:toggled ports take whole numbers */
    const bool whole = fp->index == PORT_LATE_LATENCY || fp->index == PORT_LATE_GUARD_ACTIVE ||
                       fp->index == PORT_LATE_FREEWHEEL || fp->index == PORT_LATE_PITCH_CLAMPED;
    fprintf(out, " ;\n        lv2:minimum ");
    whole ? (void)fprintf(out, "%ld", lroundf(fp->min)) : put_number(out, fp->min);
    fprintf(out, " ;\n        lv2:maximum ");
    whole ? (void)fprintf(out, "%ld", lroundf(fp->max)) : put_number(out, fp->max);
    /* pitch_clamped: -1, no note clamped */
    fprintf(out, " ;\n        lv2:default %s\n    ]",
            fp->index == PORT_LATE_PITCH_CLAMPED ? "-1" : whole ? "0" : "0.0");
}

static void
put_fixed_port(FILE *out, const hillock_fixed_port *fp)
{
    static const char *const type_names[] = {
        [PORT_TYPE_AUDIO] = "lv2:AudioPort",
        [PORT_TYPE_CV] = "lv2:CVPort",
        [PORT_TYPE_ATOM] = "atom:AtomPort",
        [PORT_TYPE_CONTROL] = "lv2:ControlPort",
    };
    fprintf(out, "    [\n        a %s, %s ;\n", fp->output ? "lv2:OutputPort" : "lv2:InputPort",
            type_names[fp->type]);
    fprintf(out, "        lv2:index %u ;\n        lv2:symbol \"%s\" ;\n        lv2:name ",
            fp->index, fp->symbol);
    put_string(out, fp->name);
    fprintf(out, " ;\n        rdfs:comment ");
    put_string(out, fp->comment);
    fprintf(out, " ;\n        pg:group <urn:hillock:group#%s>", fixed_port_group(fp));
    switch (fp->index) {
    case PORT_OUT_LEFT:
        fprintf(out, " ;\n        lv2:designation pg:left");
        break;
    case PORT_OUT_RIGHT:
        fprintf(out, " ;\n        lv2:designation pg:right");
        break;
    case PORT_EVENTS_IN:
        fprintf(out, " ;\n        atom:bufferType atom:Sequence ;\n"
                     "        atom:supports midi:MidiEvent, patch:Message, time:Position ;\n"
                     "        lv2:designation lv2:control");
        break;
    case PORT_EVENTS_OUT:
        fprintf(out, " ;\n        atom:bufferType atom:Sequence ;\n"
                     "        atom:supports midi:MidiEvent, patch:Message ;\n"
                     "        rsz:minimumSize %d", HILLOCK_ATOM_OUT_MIN_SIZE);
        break;
    default:
        break;
    }
    if (fp->type == PORT_TYPE_CV) {
        /* control voltage: the LV2 CV port convention is volts */
        fprintf(out, " ;\n        lv2:portProperty lv2:connectionOptional ;\n"
                     "        lv2:minimum ");
        put_number(out, fp->min);
        fprintf(out, " ;\n        lv2:maximum ");
        put_number(out, fp->max);
        fprintf(out, " ;\n        lv2:default 0.0");
        put_unit_of(out, NULL, "V");
    }
    fprintf(out, "\n    ]");
}

static void
put_param_port(FILE *out, uint32_t index, const param_info *p)
{
    fprintf(out, "    [\n        a lv2:InputPort, lv2:ControlPort ;\n");
    fprintf(out, "        lv2:index %u ;\n        lv2:symbol \"%s\" ;\n        lv2:name ", index,
            p->symbol);
    put_string(out, p->name);
    fprintf(out, " ;\n        rdfs:comment ");
    put_string(out, p->comment);
    fprintf(out, " ;\n        pg:group <urn:hillock:group#%s>", p->group);
    fprintf(out, " ;\n        lv2:default ");
    put_value(out, p, p->def);
    fprintf(out, " ;\n        lv2:minimum ");
    put_value(out, p, p->min);
    fprintf(out, " ;\n        lv2:maximum ");
    put_value(out, p, p->max);
    switch (p->kind) {
    case PARAM_KIND_INTEGER:
        fprintf(out, " ;\n        lv2:portProperty lv2:integer");
        break;
    case PARAM_KIND_TOGGLE:
        fprintf(out, " ;\n        lv2:portProperty lv2:toggled");
        break;
    case PARAM_KIND_ENUMERATION:
        fprintf(out, " ;\n        lv2:portProperty lv2:integer, lv2:enumeration");
        for (uint32_t i = 0; i < p->n_values; ++i) {
            fprintf(out, " ;\n        lv2:scalePoint [ rdfs:label ");
            put_string(out, p->values[i]);
            fprintf(out, " ; rdf:value %u ]", i);
        }
        break;
    case PARAM_KIND_FLOAT:
        break;
    }
    if (p->logarithmic && p->min > 0)
        fprintf(out, " ;\n        lv2:portProperty pprop:logarithmic");
    put_unit_of(out, p->lv2_unit, p->unit);
    fprintf(out, "\n    ]");
}

/* Whether a port of either plugin is in group g (bank-cv has every port). */
static bool
group_in_use(const char *g)
{
    for (uint32_t i = 0; i < hillock_param_port_base(true); ++i)
        if (!strcmp(fixed_port_group(hillock_fixed_port_at(i)), g))
            return true;
    for (uint32_t k = 0; k < PORT_LATE_COUNT; ++k)
        if (!strcmp(fixed_port_group(hillock_late_port_at(k)), g))
            return true;
    for (uint32_t p = 0; p < PARAM_COUNT; ++p)
        if (!strcmp(param_table[p].group, g))
            return true;
    return false;
}

/* "    patch:writable <p1>, <p2> ;" for the file properties, and one more
 * property if `extra` is not NULL */
static void
put_path_property_list(FILE *out, const char *predicate, const char *const *extras)
{
    fprintf(out, "    %s ", predicate);
    for (int p = 0; p < PATH_PROP_COUNT; ++p)
        fprintf(out, "<%s>%s", path_props[p].uri,
                p + 1 < PATH_PROP_COUNT || extras[0] ? ", " : "");
    for (int k = 0; extras[k]; ++k)
        fprintf(out, "<%s>%s", extras[k], extras[k + 1] ? ", " : "");
    fprintf(out, " ;\n");
}

/* The file properties (plugin/path_props.c): lv2:Parameter of range
 * atom:Path, set and read with patch messages, saved in the state. */
static void
put_path_properties(FILE *out)
{
    for (int p = 0; p < PATH_PROP_COUNT; ++p) {
        const path_property *pp = &path_props[p];
        fprintf(out, "\n<%s>\n    a lv2:Parameter ;\n    rdfs:label ", pp->uri);
        put_string(out, pp->label);
        char comment[1024];
        snprintf(comment, sizeof comment, "%s. File type: .%s", pp->comment, pp->extensions);
        fprintf(out, " ;\n    rdfs:comment ");
        put_string(out, comment);
        fprintf(out, " ;\n    rdfs:range atom:Path .\n");
    }
    fprintf(out, "\n<%s>\n    a lv2:Parameter ;\n    rdfs:label \"OSC URL\" ;\n"
                 "    rdfs:comment \"Where every spike goes as an OSC message /hillock/spike "
                 "(int32 neuron, float64 seconds of the output), a bundle per block: "
                 "osc.udp://HOST:PORT/ or osc.tcp://HOST:PORT/; empty: none\" ;\n"
                 "    rdfs:range atom:String .\n",
            HILLOCK__oscUrl);
    fprintf(out, "\n<%s>\n    a lv2:Parameter ;\n    rdfs:label \"OSC input port\" ;\n"
                 "    rdfs:comment \"The UDP port of 127.0.0.1 on which /hillock/spike "
                 "messages (int32 unit, optional float64 time) play as spikes of recorded "
                 "units, in the block after they arrive; 0: none\" ;\n"
                 "    rdfs:range atom:Int ;\n    lv2:minimum 0 ;\n    lv2:maximum 65535 .\n",
            HILLOCK__oscInPort);
    fprintf(out, "\n<%s>\n    a lv2:Parameter ;\n    rdfs:label \"File status\" ;\n"
                 "    rdfs:comment \"Why the last tuning or keymap file was refused; empty "
                 "after a file loaded\" ;\n    rdfs:range atom:String .\n",
            HILLOCK__fileStatus);
}

static void
put_plugin(FILE *out, bool cv, int minor, int micro, const char *ui_binary)
{
    fprintf(out, "\n<%s>\n", cv ? HILLOCK_BANK_CV_URI : HILLOCK_BANK_URI);
    fprintf(out,
            "    a lv2:Plugin, lv2:InstrumentPlugin, doap:Project ;\n"
            "    doap:name \"%s\" ;\n"
            "    doap:shortdesc \"%s\" ;\n"
            "    lv2:project <%s> ;\n"
            "    doap:license <http://opensource.org/licenses/isc> ;\n"
            "    doap:maintainer <urn:hillock:maintainer> ;\n"
            "    lv2:minorVersion %d ;\n"
            "    lv2:microVersion %d ;\n"
            "    rdfs:comment ",
            cv ? "Hillock (CV)" : "Hillock",
            cv ? "Biophysical neuron bank, with CV" : "Biophysical neuron bank",
            HILLOCK_URI, minor, micro);
    put_string(out, cv ? "A bank of biophysical neuron models integrated at the audio "
                         "rate, with CV stimulus in and CV outs (focus voltage, "
                         "dendritic voltage, spike gate, population rate) for modular "
                         "hosts such as Carla and jalv."
                       : "A bank of biophysical neuron models (Hodgkin-Huxley, "
                         "Pinsky-Rinzel, Izhikevich, Hindmarsh-Rose) integrated at the "
                         "audio rate: membrane voltages and spikes become audio and "
                         "MIDI. Audio and MIDI only, for DAWs such as Ardour.");
    fprintf(out, " ;\n"
                 "    lv2:requiredFeature urid:map ;\n"
                 "    lv2:optionalFeature lv2:hardRTCapable, opts:options, "
                 "bufsz:boundedBlockLength, log:log, idpy:queue_draw, work:schedule, "
                 "state:mapPath, state:freePath, state:loadDefaultState ;\n"
                 /* the one option instantiate() reads */
                 "    opts:supportedOption bufsz:maxBlockLength ;\n"
                 "    lv2:extensionData state:interface, idpy:interface, work:interface ;\n"
                 "    pg:mainOutput <urn:hillock:group#out> ;\n");
    /* The default state (LV2 state: state:state on the plugin), which hosts
     * such as jalv restore into a fresh instance: it says the present
     * meanings. Without it restore() reads a state without a version, as
     * a session of 0.1 is, and a new instance would play the 0.1 meanings
     * (compat.c: the leveller on, plucks restarted...). */
    fprintf(out, "    state:state [ <%s> \"%d\"^^<http://www.w3.org/2001/XMLSchema#int> ] ;\n",
            HILLOCK__stateVersion, HILLOCK_STATE_VERSION);
    static const char *const writable[] = {HILLOCK__oscUrl, HILLOCK__oscInPort, NULL};
    static const char *const readable[] = {HILLOCK__fileStatus, NULL};
    put_path_property_list(out, "patch:writable", writable);
    put_path_property_list(out, "patch:readable", readable);
    if (ui_binary)
        fprintf(out, "    ui:ui <%s> ;\n", HILLOCK_UI_URI);
    fprintf(out, "    lv2:port\n");
    uint32_t n_fixed = hillock_param_port_base(cv);
    for (uint32_t i = 0; i < n_fixed; ++i) {
        put_fixed_port(out, hillock_fixed_port_at(i));
        fprintf(out, " ,\n");
    }
    /* in index order: the parameters and the ports added later, in their
     * segments (protocol/ports.h) */
    const uint32_t count = hillock_port_count(cv);
    for (uint32_t i = n_fixed; i < count; ++i) {
        int k = hillock_port_late(cv, i);
        if (k >= 0)
            put_late_port(out, i, hillock_late_port_at((uint32_t)k));
        else
            put_param_port(out, i, &param_table[hillock_port_param(cv, i)]);
        fprintf(out, i + 1 < count ? " ,\n" : " .\n");
    }
}

static int
print_plugin_ttl(const char *version, const char *ui_binary)
{
    int major = 0, minor = 0, micro = 0;
    if (sscanf(version, "%d.%d.%d", &major, &minor, &micro) < 2) {
        fprintf(stderr, "hillock_ttl: bad version '%s'\n", version);
        return 1;
    }
    FILE *out = stdout;
    fputs(prefixes, out);
    fprintf(out, "\n# Generated by ttl/hillock_ttl.c from dsp/params.c and protocol/ports.h."
                 "\n# Do not edit: change the parameter table instead.\n");
    fprintf(out, "\n<%s>\n    a doap:Project ;\n    doap:name \"Hillock\" ;\n"
                 "    doap:maintainer <urn:hillock:maintainer> .\n",
            HILLOCK_URI);
    fprintf(out, "\n<urn:hillock:maintainer>\n    a foaf:Person ;\n"
                 "    foaf:name \"Hillock developers\" ;\n"
                 "    foaf:mbox <mailto:%s> ;\n"
                 "    foaf:homepage <%s> .\n",
            HILLOCK_MAINTAINER_EMAIL, HILLOCK_HOMEPAGE);
    fprintf(out, "\nidpy:interface a lv2:ExtensionData .\nidpy:queue_draw a lv2:Feature .\n");
    /* the state keys (protocol/uris.h); presets carry the version too */
    fprintf(out, "\n<%s>\n    a rdf:Property ;\n    rdfs:label \"state version\" ;\n"
                 "    rdfs:comment \"The meanings the saved parameter values have "
                 "(docs/compatibility.md); a state without it is one of 0.1\" ;\n"
                 "    rdfs:range <http://www.w3.org/2001/XMLSchema#int> .\n",
            HILLOCK__stateVersion);
    fprintf(out, "\n<%s>\n    a rdf:Property ;\n    rdfs:label \"legacy rules\" ;\n"
                 "    rdfs:comment \"Bit i: the old meaning of compatibility rule i still "
                 "holds\" ;\n"
                 "    rdfs:range <http://www.w3.org/2001/XMLSchema#int> .\n",
            HILLOCK__legacyRules);
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; ++g)
        if (group_in_use(groups[g].symbol))
            fprintf(out, "\n<urn:hillock:group#%s>\n    a %s ;\n"
                         "    lv2:symbol \"%s\" ;\n    rdfs:label \"%s\" .\n",
                    groups[g].symbol, groups[g].type, groups[g].symbol, groups[g].label);
    put_path_properties(out);
    put_plugin(out, false, minor, micro, ui_binary);
    put_plugin(out, true, minor, micro, ui_binary);
    if (ui_binary)
        fprintf(out, "\n<%s>\n    a ui:X11UI ;\n    ui:binary <%s> ;\n"
                     "    lv2:requiredFeature ui:parent, ui:idleInterface, urid:map ;\n"
                     "    lv2:optionalFeature opts:options ;\n"
                     "    opts:supportedOption ui:scaleFactor ;\n"
                     "    lv2:extensionData ui:idleInterface ;\n"
                     /* ask hosts (Ardour) to pass the notifications to the UI */
                     "    ui:portNotification [\n"
                     "        ui:plugin <%s> ;\n"
                     "        lv2:symbol \"events_out\" ;\n"
                     "        ui:protocol atom:eventTransfer\n"
                     "    ] , [\n"
                     "        ui:plugin <%s> ;\n"
                     "        lv2:symbol \"events_out\" ;\n"
                     "        ui:protocol atom:eventTransfer\n"
                     "    ] .\n",
                HILLOCK_UI_URI, ui_binary, HILLOCK_BANK_URI, HILLOCK_BANK_CV_URI);
    return ferror(out) ? 1 : 0;
}

/* The subjects typed pset:Preset in one preset file, printed as manifest
 * entries. Returns how many were found, -1 on a parse error. */
static int
print_presets_of(FILE *out, SordWorld *world, const char *path)
{
    char *abs = realpath(path, NULL);
    if (!abs) {
        fprintf(stderr, "hillock_ttl: cannot find %s\n", path);
        return -1;
    }
    SerdNode base = serd_node_new_file_uri((const uint8_t *)abs, NULL, NULL, true);
    SerdEnv *env = serd_env_new(&base);
    SordModel *model = sord_new(world, SORD_SPO, false);
    SerdReader *reader = sord_new_reader(model, env, SERD_TURTLE, NULL);
    int found = -1;
    if (serd_reader_read_file(reader, (const uint8_t *)abs) == SERD_SUCCESS) {
        found = 0;
        SordNode *a = sord_new_uri(world, (const uint8_t *)NS_RDF "type");
        SordNode *preset = sord_new_uri(world, (const uint8_t *)NS_PSET "Preset");
        SordNode *label = sord_new_uri(world, (const uint8_t *)NS_RDFS "label");
        const char *name = strrchr(abs, '/') ? strrchr(abs, '/') + 1 : abs;
        SordIter *it = sord_search(model, NULL, a, preset, NULL);
        for (; !sord_iter_end(it); sord_iter_next(it)) {
            const SordNode *s = sord_iter_get_node(it, SORD_SUBJECT);
            if (sord_node_get_type(s) != SORD_URI)
                continue;
            fprintf(out, "\n<%s>\n    a pset:Preset ;\n"
                         "    lv2:appliesTo <%s>, <%s> ;\n",
                    (const char *)sord_node_get_string(s), HILLOCK_BANK_URI,
                    HILLOCK_BANK_CV_URI);
            SordNode *l = sord_get(model, s, label, NULL, NULL);
            if (l) {
                fprintf(out, "    rdfs:label ");
                put_string(out, (const char *)sord_node_get_string(l));
                fprintf(out, " ;\n");
                sord_node_free(world, l);
            }
            fprintf(out, "    rdfs:seeAlso <%s> .\n", name);
            ++found;
        }
        sord_iter_free(it);
        sord_node_free(world, a);
        sord_node_free(world, preset);
        sord_node_free(world, label);
    }
    serd_reader_free(reader);
    sord_free(model);
    serd_env_free(env);
    serd_node_free(&base);
    free(abs);
    return found;
}

static int
is_preset_file(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return n > 4 && d->d_name[0] != '.' && strcmp(d->d_name + n - 4, ".ttl") == 0 &&
           strcmp(d->d_name, "manifest.ttl") != 0;
}

static int
print_manifest(const char *binary, const char *preset_dir)
{
    struct dirent **entries = NULL;
    int n_presets = scandir(preset_dir, &entries, is_preset_file, alphasort);
    if (n_presets < 0) {
        fprintf(stderr, "hillock_ttl: cannot read %s\n", preset_dir);
        return 1;
    }
    FILE *out = stdout;
    fputs("@prefix lv2:  <http://lv2plug.in/ns/lv2core#> .\n"
          "@prefix pset: <http://lv2plug.in/ns/ext/presets#> .\n"
          "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
          "@prefix ui:   <http://lv2plug.in/ns/extensions/ui#> .\n",
          out);
    fprintf(out, "\n# Generated by ttl/hillock_ttl.c. Do not edit.\n");
    const char *uris[] = {HILLOCK_BANK_URI, HILLOCK_BANK_CV_URI};
    for (int i = 0; i < 2; ++i)
        fprintf(out, "\n<%s>\n    a lv2:Plugin ;\n    lv2:binary <%s> ;\n"
                     "    rdfs:seeAlso <hillock.ttl> .\n",
                uris[i], binary);
    SordWorld *world = sord_world_new();
    int status = 0;
    for (int i = 0; i < n_presets; ++i) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", preset_dir, entries[i]->d_name);
        int n = print_presets_of(out, world, path);
        if (n < 0) {
            fprintf(stderr, "hillock_ttl: %s: not readable Turtle\n", path);
            status = 1;
        } else if (n == 0) {
            fprintf(stderr, "hillock_ttl: %s: no pset:Preset in it, skipped\n", path);
        }
        free(entries[i]);
    }
    free(entries);
    sord_world_free(world);
    return status || ferror(out) ? 1 : 0;
}

int
main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "plugin") == 0)
        return print_plugin_ttl(argv[2], argc >= 4 && argv[3][0] ? argv[3] : NULL);
    if (argc == 4 && strcmp(argv[1], "manifest") == 0)
        return print_manifest(argv[2], argv[3]);
    fprintf(stderr, "usage: hillock_ttl plugin VERSION [UI_BINARY]\n"
                    "       hillock_ttl manifest BINARY PRESET_DIR\n");
    return 2;
}
