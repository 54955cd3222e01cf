#!/bin/sh
# jalv_midi_file.sh LV2_DIR HILLOCK SMF_PLAY PYTHON
# A melody in a MIDI file, played in tune and in time by the renderer and
# by the plugin under jalv. Six notes (A3 C4 E4 A4 G4 C5), 0.3 s each with
# 0.1 s between them, from 1.5 s (the render's start has settled by then:
# a later start renders the notes the same); one HH neuron with pitch_mode
# track, the membrane voice alone (spike_level off).
#   - `hillock render --midi-in melody.mid`;
#   - jalv running urn:hillock:bank on jackd (dummy backend, 48 kHz,
#     1024-frame periods), smf_play playing the same file into its MIDI
#     input on the server's frame clock and recording its left output
#     (frame 0 = the file's time 0), moved back by the plugin's latency as
#     a host compensates it (the renderer trims the same frames).
# Reference: note n sounds 440 x 2^((n - 69)/12) Hz (12-tone equal
# temperament, MIDI tuning standard); each note's pitch, from the upward
# crossings of its last 0.2 s, is within 3 cents of it in both, and the two
# within 0.5 cent of each other; each note's onset (its first sample above
# 0.3 of its first 30 ms' peak) is within 1 ms of the same onset in the
# render, and the waveforms of each note line up at lag 0 (the plugin takes
# MIDI sample-accurately); each note's level is within 0.1 dB of the
# render's and no sample of the melody differs by more than 1e-3 (the same
# engine fed the same MIDI at the same frames: it sounds the same).
# A run in which a JACK cycle was lost (a loaded machine: the dummy
# backend's clock does not wait) is measured again while the server
# reports xruns (three attempts at most, then skipped, saying so).
# Everything started here is stopped here.
set -u
lv2_dir=$1 hillock=$2 smf_play=$3 python=$4
here=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/jalv_lib.sh"
jalv_setup hillock_midi
# the real-time guard off: on a loaded machine it may thin or slow a
# block by the wall-clock time it took (docs/reliability.md)
export JACK_NO_AUDIO_RESERVATION=1 HILLOCK_GUARD=off

# the melody: 120 BPM, 480 ticks a quarter (0.3 s = 288 ticks)
"$python" - "$tmp/melody.mid" "$here/../cli" <<'PY' || exit 1
import sys
sys.path.insert(0, sys.argv[2])
import smf
events, tick = [(0, smf.tempo(500000))], 1440
for note in (57, 60, 64, 69, 67, 72):
    events += [(tick, bytes([0x90, note, 100])), (tick + 288, bytes([0x80, note, 0]))]
    tick += 384
open(sys.argv[1], "wb").write(smf.smf(0, 480, [smf.track(events)]))
PY

settings="neurons=1 pitch_mode=track spike_level=-60"
render_set='' jalv_set=''
for s in $settings; do
  render_set="$render_set -s $s"
  case $s in pitch_mode=track) s=pitch_mode=1 ;; esac
  jalv_set="$jalv_set -c $s"
done
# shellcheck disable=SC2086
"$hillock" render $render_set --midi-in "$tmp/melody.mid" -d 4 -o "$tmp/render.wav" \
    2>"$tmp/render.log" || { echo "FAIL: hillock render"; cat "$tmp/render.log"; exit 1; }
latency=$(sed -n 's/.*latency \([0-9]*\) frames trimmed.*/\1/p' "$tmp/render.log")
[ -n "$latency" ] || { echo "FAIL: no latency in: $(cat "$tmp/render.log")"; exit 1; }

# 1024-frame periods (21 ms): at 256 (5.3 ms) the dummy backend lost
# cycles on the shared 2-vCPU host so often (2 to 25 in 4 s) that the test
# skipped itself, xruns in all three attempts, in two whole CI runs and in
# seven of nine runs alone (2026-12-05); in runs alternating the two, 256
# skipped twice and 1024 lost no cycle twice. The notes' events still land
# inside periods, so the plugin's sample-accurate MIDI is still measured
JALV_PERIOD=${JALV_PERIOD:-1024}
start_jackd

# One performance, judged: 1 when a JACK cycle was lost (smf_play saw one,
# or a note lags by a whole period), FAIL at once when it is off otherwise.
measure() {
  # shellcheck disable=SC2086
  start_jalv out_left $jalv_set urn:hillock:bank
  "$smf_play" "$tmp/melody.mid" hb:events_in hb:out_left 4 "$tmp/jalv.wav"
  played=$?
  stop_jalv
  [ $played -eq 1 ] && fail "smf_play"
  "$python" - "$tmp/render.wav" "$tmp/jalv.wav" "$latency" "$played" "$here/../cli" \
      "$JALV_PERIOD" <<'PY'
import math, sys
render_path, jalv_path, latency, played, cli, period = sys.argv[1:7]
sys.path.insert(0, cli)
from clitest import read_wav
r = read_wav(render_path)
j = read_wav(jalv_path)
rate = r.rate
xr = r.samples[0::r.channels]
xj = j.samples[int(latency):]  # as a host compensates the reported latency
PERIOD = int(period)
notes = (57, 60, 64, 69, 67, 72)

def onset(x, a):
    peak = max(abs(v) for v in x[a:a + int(0.03 * rate)])
    return next(k for k in range(a, len(x)) if abs(x[k]) > 0.3 * peak)

def pitch(x, a, b):
    s = x[a:b]
    mean = sum(s) / len(s)
    hyst = 0.2 * (max(s) - mean)
    ups, armed = [], False
    for k in range(1, len(s)):
        if s[k] < mean - hyst:
            armed = True
        if armed and s[k - 1] < mean <= s[k]:
            ups.append(k - 1 + (mean - s[k - 1]) / (s[k] - s[k - 1]))
            armed = False
    return (len(ups) - 1) / (ups[-1] - ups[0]) * rate

def lag(a, b, start, end):
    # near 0, and a whole period either way (a cycle lost)
    near = list(range(-8, 9)) + [s * PERIOD + e for s in (-1, 1) for e in (-1, 0, 1)]
    return max(near,
               key=lambda d: sum(a[k] * b[k + d] for k in range(start, end)))

def rms(x, a, b):
    return math.sqrt(sum(v * v for v in x[a:b]) / (b - a))

bad, whole_periods = [], False
print("note  Hz      render cents  jalv cents  onset render/jalv ms  lag  level jalv-render dB")
for i, n in enumerate(notes):
    t = 1.5 + 0.4 * i
    a, b = int(t * rate), int((t + 0.3) * rate)
    ref = 440.0 * 2 ** ((n - 69) / 12)
    cr = 1200 * math.log2(pitch(xr, a + int(0.1 * rate), b) / ref)
    cj = 1200 * math.log2(pitch(xj, a + int(0.1 * rate), b) / ref)
    orr, oj = (onset(xr, a) - a) / rate * 1e3, (onset(xj, a) - a) / rate * 1e3
    d = lag(xr, xj, a + int(0.1 * rate), a + int(0.15 * rate))
    level = 20 * math.log10(rms(xj, a + int(0.1 * rate), b) / rms(xr, a + int(0.1 * rate), b))
    print("%4d %7.2f %10.3f %11.3f %12.2f / %.2f %6d %10.2f" % (n, ref, cr, cj, orr, oj, d, level))
    if abs(cr) > 3 or abs(cj) > 3:
        bad.append("note %d: %.3f / %.3f cents, expected within 3" % (n, cr, cj))
    if abs(cj - cr) > 0.5:
        bad.append("note %d: the plugin %.3f cents from the render" % (n, cj - cr))
    if abs(level) > 0.1:
        bad.append("note %d: the plugin %.2f dB from the render" % (n, level))
    if abs(oj - orr) > 1.0 or abs(d) > 1:
        bad.append("note %d: onset %.2f ms in the plugin, %.2f in the render, lag %d frames"
                   % (n, oj, orr, d))
        whole_periods |= abs(abs(d) - PERIOD) <= 1
start, end = int(1.4 * rate), min(len(xr), len(xj))
worst = max(abs(xj[k] - xr[k]) for k in range(start, end))
print("largest difference from 1.4 s on: %.3g (the render's peak %.3f)"
      % (worst, max(abs(v) for v in xr[start:end])))
if worst > 1e-3 and not whole_periods:
    bad.append("the plugin's samples differ from the render's by up to %.3g" % worst)
if bad:
    print("FAIL: " + "; ".join(bad))
    sys.exit(2 if whole_periods or played == "2" else 1)
if played == "2":
    print("a JACK cycle was lost, but the notes agree")
PY
  case $? in
    0) return 0 ;;
    2) return 1 ;;
    *) fail "the plugin does not play the melody as the renderer does" ;;
  esac
}

# the dummy backend's clock does not wait: a cycle lost on a loaded
# machine moves a note by a period, measured again while the server
# reports xruns
measure_without_xruns measure
