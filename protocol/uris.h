/* uris.h — the URIs Hillock's plugins, UI and host tests share, and the
 * specification of the plugin <-> UI protocol on the atom ports.
 *
 * Stable contract: once committed, entries are only ever added. A URI never
 * changes meaning; the UI (gui/) builds against this file.
 *
 * ---------------------------------------------------------------------------
 * Plugins
 *   urn:hillock:bank     audio + MIDI only (DAWs; Ardour 7 refuses CV ports)
 *   urn:hillock:bank-cv  the same plus CV in/outs (Carla, jalv, modular hosts)
 *   urn:hillock:ui       the X11 UI for both (if gui/ builds one)
 *
 * Port indices: see ports.h.
 *
 * ---------------------------------------------------------------------------
 * Plugin -> UI: notifications on the atom output ("events_out")
 *
 * While a UI is open (between its hillock:UiOn and hillock:UiOff, below),
 * once per 1/HILLOCK_NOTIFY_HZ s of audio the plugin writes one event whose
 * body is an atom:Object of type hillock:Notification (so several in one
 * run() when the host's blocks are long, none in some runs when they are
 * short), timed at the last frame it covers, after the MIDI events of the
 * frames it covers:
 *
 *   hillock:frame        atom:Long   first frame this notification covers,
 *                                    counted from activate() (hillock:Reset
 *                                    does not restart it)
 *   hillock:frames       atom:Int    number of frames it covers (>= 1);
 *                                    the next one starts at frame + frames
 *                                    unless one was dropped (then a gap)
 *   hillock:sampleRate   atom:Float  Hz
 *   hillock:focusStep    atom:Float  model ms between two focus samples
 *   hillock:focusFrames  atom:Float  host frames between two focus samples
 *                                    (fractional: several a frame at high
 *                                    speed)
 *   hillock:focusSoma    atom:Vector of atom:Float: the focus neuron's
 *                                    somatic voltage in mV, sampled in model
 *                                    time: one sample every focusStep model
 *                                    ms (about 0.1, a whole number of engine
 *                                    steps), each the extreme of its steps,
 *                                    oldest first, the last one taken in the
 *                                    covered frames; at most
 *                                    HILLOCK_NOTIFY_MAX_POINTS (the newest)
 *   hillock:focusDendrite atom:Vector of atom:Float: its dendritic voltage at
 *                                    the same steps (= soma for 1-compartment
 *                                    models), same length
 *   hillock:focusSlow    atom:Vector of atom:Float: its slow variable (n,
 *                                    Ca, u, z) at the same steps, same length:
 *                                    (focusSoma, focusSlow) pairs are states of
 *                                    the true phase-plane trajectory at every
 *                                    speed and sample rate
 *   hillock:focusSkipped atom:Int    samples taken since the previous
 *                                    notification's last one that are not in
 *                                    this one (0: the two join; at high speed
 *                                    a notification covers more model time
 *                                    than HILLOCK_NOTIFY_MAX_POINTS samples)
 *   hillock:slow         atom:Float  the focus neuron's slow variable at the
 *                                    end of the block (h, n, u, y... per
 *                                    model; engine_display.focus_slow)
 *   hillock:spikeNeuron  atom:Vector of atom:Int: neuron index per spike
 *   hillock:spikeTime    atom:Vector of atom:Float: per spike, its time in
 *                                    frames after hillock:frame (fractional,
 *                                    sub-sample); same length as spikeNeuron,
 *                                    ascending
 *   hillock:spikesLost   atom:Int    spikes in the covered frames that did not
 *                                    fit in the vectors (0 normally)
 *   hillock:rate         atom:Float  population firing rate per neuron, Hz
 *                                    (smoothed, at the end of the block)
 *   hillock:neurons      atom:Int    neurons active in the bank (while a
 *                                    recording is heard: the rows shown,
 *                                    its units, engine.h engine_display)
 *   hillock:focus        atom:Int    the focus neuron's index (clamped to
 *                                    the bank like the engine does; with a
 *                                    recording of fewer units heard, it may
 *                                    be past hillock:neurons)
 *   hillock:inhibitoryMask atom:Vector of atom:Int, OPTIONAL: present when
 *                                    the cell types or the bank size changed,
 *                                    after a patch:Get, and about once a
 *                                    second. Bit (i % 32) of word (i / 32)
 *                                    is 1 when neuron i is inhibitory;
 *                                    ceil(neurons / 32) words.
 *   hillock:weightHist   atom:Vector of atom:Int, OPTIONAL: present while
 *                                    plasticity is on and the stored synapses
 *                                    play: the histogram of the excitatory
 *                                    synapses' relative weights (1 = w_exc),
 *                                    WEIGHT_CENSUS_BINS bins over [0,
 *                                    weightMax], the last one holding
 *                                    weightMax; of every synapse, or of an
 *                                    even sample of every weightStride-th
 *                                    (dsp/weight_census.h); refreshed at
 *                                    least every 0.1 s
 *   hillock:weightMax    atom:Float  with weightHist: its range (w_max)
 *   hillock:weightStride atom:Int    with weightHist: 1 if it counts every
 *                                    synapse, k if every k-th
 *   hillock:tempoScale   atom:Float  the tempo lock's time scale (tempo_sync;
 *                                    1 while off and settled)
 *   hillock:tempoError   atom:Float  its last event's distance to the
 *                                    nearest grid line, in divisions
 *                                    (positive: late); NaN before one
 *   hillock:pitchLow     atom:Float  pitch_mode track: the lowest and highest
 *   hillock:pitchHigh    atom:Float  pitch (Hz) the model reaches; 0 until
 *                                    measured or while not tracking
 *   hillock:pitchClamped atom:Int    the last note played out of reach (the
 *                                    nearest reachable pitch played), -1: none
 *
 * Until version 1.1 the plugin sent the focus neuron frame-based instead of
 * the focus* keys (a point per frame from speed 4: a few states per cycle at
 * high speed); readers still accept these keys:
 *   hillock:traceStep    atom:Int    frames per trace point (>= 1)
 *   hillock:traceSoma    atom:Vector of atom:Float: the focus neuron's
 *                                    somatic voltage in mV, one point per
 *                                    traceStep frames, point k covering
 *                                    frames [frame + k*step, frame+(k+1)*step);
 *                                    each point is the bucket's extreme (max
 *                                    or min, whichever is farther from the
 *                                    previous point), so spikes survive.
 *   hillock:traceDendrite atom:Vector of atom:Float: the same for its
 *                                    dendrite (= soma for 1-compartment models)
 *   hillock:traceSlow    atom:Vector of atom:Float: the focus neuron's slow
 *                                    variable at the frame whose voltage each
 *                                    traceSoma point keeps (same length), so
 *                                    (traceSoma, traceSlow) pairs are points
 *                                    of the true phase-plane trajectory
 *                                    (added in version 1.1; readers ignore it
 *                                    when absent)
 *
 * A UI must accept a notification with fewer keys than listed (a host may
 * cut it short; future versions may add keys) and ignore unknown keys.
 * If the output buffer cannot hold the whole notification it is dropped
 * (not truncated) and the next one has a gap in hillock:frame.
 *
 * The same output also carries the spikes as MIDI note on/off events
 * (midi:MidiEvent, as engine_midi_event gives them) for downstream
 * instruments; a UI may ignore them.
 *
 * ---------------------------------------------------------------------------
 * UI -> plugin: on the atom input ("events_in"), besides MIDI
 *
 *   hillock:UiOn (object)   a UI opened: notifications start, the first
 *                           one carrying hillock:inhibitoryMask. Until then
 *                           the output carries MIDI only.
 *   hillock:UiOff (object)  the UI closed: notifications stop (hosts open
 *                           at most one UI per plugin instance).
 *   patch:Get               (any subject/property) the next notification
 *                           carries hillock:inhibitoryMask.
 *   hillock:Reset (object)  every neuron back to its start state, parameters
 *                           kept (engine_reset()).
 *
 *   patch:Set               patch:property hillock:tuning, hillock:keymap
 *                           or hillock:spikes (a recording: CSV, NWB, MIDI),
 *                           patch:value an atom:Path: the plugin's worker
 *                           loads the file (an empty path clears it). The
 *                           plugin answers on events_out with a patch:Set
 *                           of the property's current path ("" if none):
 *                           the new one once loaded, the old one if the
 *                           file was refused (the reason goes to the log).
 *                           After every load or refusal the plugin also
 *                           sends a patch:Set of hillock:fileStatus, an
 *                           atom:String (read-only): "" after a load, else
 *                           "<label>: <file>: <reason>".
 *   patch:Get               with patch:property one of those (or
 *                           hillock:fileStatus): answered with its
 *                           patch:Set; without a property: every file
 *                           property and the status are answered.
 *
 * Parameters are control ports: a UI writes them with its write_function on
 * the port index (ports.h), not with patch messages; file properties are
 * the patch messages above (plugin/path_props.h lists them).
 *
 * ---------------------------------------------------------------------------
 * State (LV2 state extension), keys a host stores besides port values:
 *   hillock:stateVersion atom:Int    HILLOCK_STATE_VERSION
 *   hillock:legacyRules  atom:Int    bit i: compat_rules[i] in force (compat.h)
 *   hillock:tuning       atom:Path   the Scala scale, mapped with state:mapPath
 *   hillock:keymap       atom:Path   the Scala keymap, likewise (absent: none)
 *   hillock:spikes       atom:Path   the recording played (source), likewise
 *   hillock:synapseWeights  atom:Path (state:makePath) or atom:Chunk: the
 *                        learned weights, a .npy file (dsp/synapse_file.h);
 *                        absent: none stored
 */
#ifndef HILLOCK_URIS_H
#define HILLOCK_URIS_H

#define HILLOCK_URI "urn:hillock"
#define HILLOCK_BANK_URI "urn:hillock:bank"
#define HILLOCK_BANK_CV_URI "urn:hillock:bank-cv"
#define HILLOCK_UI_URI "urn:hillock:ui"
#define HILLOCK_PRESET_URI_PREFIX "urn:hillock:preset:"

/* Terms of the protocol live under one prefix. */
#define HILLOCK_NS "urn:hillock:ns#"

#define HILLOCK__Notification HILLOCK_NS "Notification"
#define HILLOCK__Reset HILLOCK_NS "Reset"
#define HILLOCK__UiOn HILLOCK_NS "UiOn"
#define HILLOCK__UiOff HILLOCK_NS "UiOff"
#define HILLOCK__frame HILLOCK_NS "frame"
#define HILLOCK__frames HILLOCK_NS "frames"
#define HILLOCK__sampleRate HILLOCK_NS "sampleRate"
#define HILLOCK__traceStep HILLOCK_NS "traceStep"
#define HILLOCK__traceSoma HILLOCK_NS "traceSoma"
#define HILLOCK__traceDendrite HILLOCK_NS "traceDendrite"
#define HILLOCK__slow HILLOCK_NS "slow"
#define HILLOCK__traceSlow HILLOCK_NS "traceSlow"
#define HILLOCK__spikeNeuron HILLOCK_NS "spikeNeuron"
#define HILLOCK__spikeTime HILLOCK_NS "spikeTime"
#define HILLOCK__spikesLost HILLOCK_NS "spikesLost"
#define HILLOCK__rate HILLOCK_NS "rate"
#define HILLOCK__neurons HILLOCK_NS "neurons"
#define HILLOCK__focus HILLOCK_NS "focus"
#define HILLOCK__inhibitoryMask HILLOCK_NS "inhibitoryMask"
#define HILLOCK__focusStep HILLOCK_NS "focusStep"
#define HILLOCK__focusFrames HILLOCK_NS "focusFrames"
#define HILLOCK__focusSoma HILLOCK_NS "focusSoma"
#define HILLOCK__focusDendrite HILLOCK_NS "focusDendrite"
#define HILLOCK__focusSlow HILLOCK_NS "focusSlow"
#define HILLOCK__focusSkipped HILLOCK_NS "focusSkipped"
#define HILLOCK__stateVersion HILLOCK_NS "stateVersion"
#define HILLOCK__legacyRules HILLOCK_NS "legacyRules"
#define HILLOCK__synapseWeights HILLOCK_NS "synapseWeights"
/* File properties (atom:Path; plugin/path_props.c) */
#define HILLOCK__tuning HILLOCK_NS "tuning"
#define HILLOCK__keymap HILLOCK_NS "keymap"
#define HILLOCK__spikes HILLOCK_NS "spikes"
/* atom:String: where the plugin sends its spikes as OSC (plugin/osc.c) */
#define HILLOCK__oscUrl HILLOCK_NS "oscUrl"
/* atom:Int: the UDP port of 127.0.0.1 the plugin takes OSC spikes on, 0:
 * none (plugin/osc_in.c) */
#define HILLOCK__oscInPort HILLOCK_NS "oscInPort"
/* Read-only atom:String: why the last file was refused, "" after a load */
#define HILLOCK__fileStatus HILLOCK_NS "fileStatus"

/* The notification's terms, listed once: X(name) per term, whose URI is
 * HILLOCK_NS "name". Both ends declare and map their URIDs from this list
 * (HILLOCK_URID_FIELD inside a struct, HILLOCK_NOTIFICATION_URI(name) to
 * map), so a new key is added here and nowhere else. */
#define HILLOCK_NOTIFICATION_TERMS(X)                                              \
    X(Notification) X(frame) X(frames) X(sampleRate) X(traceStep) X(traceSoma)    \
    X(traceDendrite) X(slow) X(traceSlow) X(spikeNeuron) X(spikeTime)             \
    X(spikesLost) X(rate) X(neurons) X(focus) X(inhibitoryMask) X(focusStep)            \
    X(focusFrames) X(focusSoma) X(focusDendrite) X(focusSlow) X(focusSkipped)      \
    X(weightHist) X(weightMax) X(weightStride) X(tempoScale) X(tempoError)       \
    X(pitchLow) X(pitchHigh) X(pitchClamped)
#define HILLOCK_URID_FIELD(name) LV2_URID name;
#define HILLOCK_NOTIFICATION_URI(name) HILLOCK_NS #name

/* Notifications per second of audio. */
#define HILLOCK_NOTIFY_HZ 50
/* Most focus samples one notification carries: 1280 samples about 0.1
 * model ms apart (dsp/focus_trace.h) are more than the scope's 100 model
 * ms window, in about 15 KB. */
#define HILLOCK_NOTIFY_MAX_POINTS 1280
/* Most spikes one notification carries. */
#define HILLOCK_NOTIFY_MAX_SPIKES 1024
/* Bytes the plugin asks for on its atom output (rsz:minimumSize). */
#define HILLOCK_ATOM_OUT_MIN_SIZE 65536

/* Version of what state save writes; restore accepts 1..this. It counts
 * meanings, not releases: it goes up when a parameter changes what it does,
 * or a parameter's default plays differently from the release before it
 * (with a rule in plugin/compat.c), not when one is added.
 *   1: 0.1
 *   2: loudness follows activity by default (levelling 0, retrigger
 *      in_step); the bank starts settled (start); currents count in the
 *      model's rheobase (drive_mode relative) */
#define HILLOCK_STATE_VERSION 2
/* The first version, 0.1: also the meaning of a state that has none. */
#define HILLOCK_STATE_FIRST 1

#endif
