#!/bin/sh
# jack_onsets.sh — how `hillock jack` starts: for each case, the silence
# before the sound (the settled start's pre-roll) and the onset, the level
# of the first 250 ms of sound against the 3 s after (a thump > 0, a
# fade-in < 0; docs/measurements.md), both channels together.
#
#   sh scripts/jack_onsets.sh [HILLOCK [WAV_STATS]] [-- CASE...]
#
# A CASE is PRESET (recorded from the start) or PRESET:MODEL (the preset
# for 1.5 s, then `set model MODEL` on stdin: measured from where the sound
# comes back after the switch's silence). Defaults: build/cli/hillock,
# build/tests/jack/wav_stats and the coupled presets with a switch each.
# Starts its own `jackd -d dummy -r 48000 -p 256`; prints a Markdown table.
set -u
cd "$(dirname "$0")/.."
H=build/cli/hillock
W=build/tests/jack/wav_stats
[ $# -gt 0 ] && [ "$1" != -- ] && { H=$1; shift; }
[ $# -gt 0 ] && [ "$1" != -- ] && { W=$1; shift; }
[ $# -gt 0 ] && shift # --
[ $# -gt 0 ] || set -- ei-gamma ei-balanced-80-20 feedback-inhibition-rhythm \
    feedforward-inhibition-window ei-gamma:hindmarsh_rose ei-gamma:izhikevich \
    ei-balanced-80-20:izhikevich

TMP=$(mktemp -d)
export JACK_DEFAULT_SERVER="hillock_onsets_$$" JACK_NO_AUDIO_RESERVATION=1
jackd -n "$JACK_DEFAULT_SERVER" -d dummy -r 48000 -p 256 >"$TMP/jackd.log" 2>&1 &
jackd_pid=$!
trap 'kill $jackd_pid 2>/dev/null; wait $jackd_pid 2>/dev/null; rm -rf "$TMP"' EXIT
i=0
until [ "$(jack_wait -c 2>/dev/null)" = running ]; do
    i=$((i + 1))
    [ $i -lt 100 ] || { cat "$TMP/jackd.log" >&2; exit 1; }
    sleep 0.1
done

# level in dBFS of both channels of $1 over [$2, $3) s
level() {
    s=$("$W" "$1" --from "$2" --to "$3")
    awk -v a="$(printf '%s\n' "$s" | sed -n 's/^rms_0=//p')" \
        -v b="$(printf '%s\n' "$s" | sed -n 's/^rms_1=//p')" \
        'BEGIN { m = (a * a + b * b) / 2; printf "%.1f", (m > 0 ? 10 * log(m) / log(10) : -999) }'
}
add() { awk "BEGIN { print $1 + $2 }"; }

echo "| case | silence before the sound, s | first 250 ms / next 3 s, dBFS | onset, dB |"
echo "|---|---|---|---|"
for c in "$@"; do
    preset=${c%%:*}
    model=${c#*:}
    f="$TMP/take.wav"
    if [ "$model" = "$c" ]; then
        "$H" jack -p "$preset" -d 4 -o "$f" -q --no-stdin </dev/null || exit 1
        silent=0
        back=$("$W" "$f" | sed -n 's/^sound_from=//p')
        name="\`$preset\` at instantiation"
    else
        (sleep 1.5; echo "set model $model"; sleep 5) | "$H" jack -p "$preset" -d 5.5 -o "$f" -q ||
            exit 1
        start=$("$W" "$f" | sed -n 's/^sound_from=//p')
        set -- $("$W" "$f" --from "$(add "$start" 0.1)" --silences 0.0005 |
            sed -n 's/^silence=//p' | head -n 1)
        [ $# = 2 ] || { echo "| \`$preset\` → $model | no switch found | | |"; continue; }
        silent=$1
        back=$2
        name="\`$preset\` → \`$model\`"
    fi
    a=$(level "$f" "$back" "$(add "$back" 0.25)")
    b=$(level "$f" "$(add "$back" 0.25)" "$(add "$back" 3.25)")
    echo "| $name | $(awk "BEGIN { printf \"%.3f\", $back - $silent }") | $a / $b |" \
        "$(awk "BEGIN { printf \"%+.1f\", $a - ($b) }") |"
done
