#!/usr/bin/env python3
"""make_seeds.py — writes the hand-made seed inputs of the fuzz corpus.

Each seed is a program in the byte language fuzz_engine.c / fuzz_plugin.c
read (fuzz_input.h): it starts the fuzzer where bugs are likely (every
parameter NaN, at its ends, the largest bank, MIDI floods, events past the
block end) instead of from empty inputs. Run it after changing the harness
language; libFuzzer adds what it finds to its own work folder, and
`scripts/fuzz.sh --merge` folds that back into corpus/.
"""
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PARAMS_H = os.path.join(HERE, '..', '..', 'dsp', 'params.h')


def param_ids():
    text = open(PARAMS_H).read()
    body = text[text.index('typedef enum {\n    /* the bank */'):]
    body = body[:body.index('PARAM_COUNT')]
    return re.findall(r'\b(P_[A-Z0-9_]+)\b', body)


P = {name: i for i, name in enumerate(param_ids())}
COUNT = len(P)
NAN, PINF, NINF, DENORMAL, MIN, MAX, DEF, BELOW, ABOVE = 0, 2, 3, 4, 9, 10, 11, 12, 13


def u16(v):
    return struct.pack('<H', v)


def u32(v):
    return struct.pack('<I', v)


# ---- engine language ----
def e_set(p, kind, extra=b''):
    return bytes([0, p, kind]) + extra


def e_midi(msg):
    return bytes([2, len(msg)]) + bytes(msg)


def block(n):
    """fuzz_block(): r & 3 == 2 means 1 + (r >> 2) % 8192."""
    return u16(((n - 1) << 2) | 2)


def audio(kind, amp_kind=MAX):
    # kind 0 silence, 1 constant, 2 square, 3 noise, 4 impulses
    return bytes([kind, amp_kind]) + u32(0x9E3779B9)


def e_process(n, wiring=0xFF, stim=audio(3), cv=audio(2)):
    out = bytes([3]) + block(n) + bytes([wiring])
    if wiring & 1:
        out += stim
    if wiring & 2:
        out += cv
    return out + bytes([1]) + u16(2047) + bytes([1]) + u16(1023)


def engine_seeds(rate=6):
    r = bytes([rate])
    seeds = {}
    seeds['every-param-nan'] = r + b''.join(e_set(p, NAN) for p in range(COUNT)) + e_process(512)
    seeds['every-param-inf'] = r + b''.join(e_set(p, PINF) for p in range(COUNT)) + e_process(
        300) + b''.join(e_set(p, NINF) for p in range(COUNT)) + e_process(300)
    seeds['every-param-denormal'] = r + b''.join(e_set(p, DENORMAL) for p in range(COUNT)) + e_process(256)
    jump = b''
    for _ in range(6):
        jump += b''.join(e_set(p, MAX) for p in range(COUNT) if p != P['P_NEURONS']) + e_process(64)
        jump += b''.join(e_set(p, MIN) for p in range(COUNT)) + e_process(64)
    seeds['min-max-jumps'] = r + jump
    seeds['beyond-range'] = r + b''.join(e_set(p, ABOVE) for p in range(COUNT)) + e_process(
        128) + b''.join(e_set(p, BELOW) for p in range(COUNT)) + e_process(128)
    seeds['largest-bank'] = r + e_set(P['P_NEURONS'], MAX) + e_set(P['P_CONNECTIVITY'], MAX) + e_set(
        P['P_GAP'], MAX) + e_process(1) + e_process(64)
    seeds['fastest'] = r + e_set(P['P_SPEED'], MAX) + e_set(P['P_TEMPERATURE'], MAX) + e_process(256)
    midi = b''.join(e_midi([0x90 | (n % 16), n, 127]) for n in range(0, 128, 3))
    midi += e_midi([0xE0, 0x7F, 0x7F]) + e_midi([0xB0, 1, 127]) + e_process(480)
    midi += e_midi([0xE0, 0, 0]) + e_midi([0xB0, 123, 0]) + e_process(480)
    seeds['midi-flood'] = r + midi
    seeds['midi-garbage'] = r + e_midi([0x90]) + e_midi([0x80, 200, 200]) + e_midi([0xF0, 1, 2, 3, 4, 5, 6, 7]) + e_midi(
        []) + e_midi([0x7F, 0x7F]) + e_midi([0xFF]) + e_process(100)
    for m in range(4):
        for d in range(3):
            name = 'model%d-dendrite%d' % (m, d)
            prog = e_set(P['P_MODEL'], 14, u16(m * 65535 // 3)) + e_set(P['P_DENDRITE_MODE'], 14, u16(d * 65535 // 2))
            prog += e_set(P['P_NOISE'], MAX) + e_set(P['P_INPUT_GAIN'], MAX) + e_set(P['P_INPUT_MODE'], 14, u16(
                (m % 3) * 65535 // 2)) + e_process(1024) + e_process(1024, stim=audio(1, PINF))
            seeds[name] = r + prog
    seeds['stimulus-nan'] = r + e_process(2048, stim=audio(1, NAN), cv=audio(1, NINF))
    seeds['reset-and-set-all'] = r + e_process(64) + bytes([6, 1]) + e_process(64) + bytes([6, 0]) + bytes(
        [NAN] * COUNT) + e_process(64) + bytes([7]) + u16(5000)
    for i, rate_i in enumerate([0, 11]):
        seeds['rate%d-blocks' % i] = bytes([rate_i]) + b''.join(e_process(n) for n in (1, 2, 3, 8192, 7, 4096))
    return seeds


# ---- plugin language ----
def p_control(p, kind, extra=b''):
    return bytes([0, p, kind]) + extra


def event(kind, time_sel, time_bytes, payload, lie=3, extra=b''):
    return bytes([kind, time_sel]) + time_bytes + bytes([len(payload)]) + bytes(payload) + extra + bytes([lie])


def p_run(n, events, cv, tail=1, cap=9):
    out = bytes([2]) + block(n) + audio(3)
    if cv:
        out += audio(2)
    out += bytes([len(events)]) + b''.join(events)
    return out + bytes([tail, cap])


def plugin_seeds():
    seeds = {}
    for cv in (0, 1):
        head = bytes([0x0A | cv, 6])
        notes = [event(0, 3, u16(i * 37), [0x90, 60 + i, 100]) for i in range(8)]
        seeds['cv%d-notes' % cv] = head + p_run(512, notes, cv) + p_run(512, [event(0, 3, u16(3), [0xB0, 123, 0])], cv)
        objs = [event(3, 3, u16(0), [0] * 8), event(11, 3, u16(10), [0] * 8), event(19, 3, u16(20), [0] * 8, extra=u32(7))]
        seeds['cv%d-objects' % cv] = head + p_run(256, objs, cv)
        times = [event(0, 0, bytes([5]), [0x90, 64, 90]), event(0, 1, u16(9), [0x80, 64, 0]),
                 event(0, 2, u32(123456), [0x90, 1, 1]), event(0, 3, u16(100), [0x90, 2, 2])]
        seeds['cv%d-times' % cv] = head + p_run(128, times, cv)
        bad = [event(0, 3, u16(1), [0x90, 60, 100], lie=0), event(0, 3, u16(2), [0x90, 60, 100], lie=1),
               event(5, 3, u16(2), [1, 2, 3], extra=u16(999)), event(6, 3, u16(3), []),
               event(0, 3, u16(4), [0x90, 61, 100], lie=2, extra=u16(4000))]
        seeds['cv%d-malformed' % cv] = head + p_run(64, bad, cv, tail=0)
        ctl = b''.join(p_control(p, NAN) for p in range(COUNT)) + p_run(256, [], cv)
        ctl += b''.join(p_control(p, MAX) for p in range(COUNT) if p != P['P_NEURONS']) + p_run(256, [], cv)
        ctl += bytes([5, 5]) + bytes([6, 1, 1]) + bytes([6, 0, 2, 9, 1, 2, 3, 4]) + bytes([7]) + u16(300) + u16(150)
        ctl += bytes([8, 1]) + p_run(100, [], cv) + bytes([8, 2]) + p_run(100, [], cv) + bytes([8, 3]) + p_run(100, [], cv)
        seeds['cv%d-controls-states-layouts' % cv] = head + ctl
        seeds['cv%d-tiny-outputs' % cv] = head + b''.join(p_run(64, notes[:2], cv, cap=c) for c in range(9))
    return seeds


# ---- MIDI files (fuzz_midifile.c reads the bytes as a file) ----

def midifile_seeds():
    sys.path.insert(0, os.path.join(HERE, '..', 'cli'))
    import smf
    notes = [(0, b'\x90\x3c\x64'), (240, b'\x3e\x50'), (480, b'\x80\x3c\x40'),
             (480, b'\xe0\x00\x50'), (500, b'\xb0\x01\x7f'), (520, b'\xc0\x05'),
             (600, b'\xf0\x03\x43\x12\xf7'), (700, b'\x91\x40\x01')]
    tempos = [(0, smf.tempo(500000)), (960, smf.tempo(700000)), (960, smf.tempo(400000)),
              (1000, b'\xff\x03\x05tempo')]
    return {
        'type0': smf.smf(0, 480, [smf.track(sorted(tempos + notes, key=lambda e: e[0]))]),
        'type1': smf.smf(1, 9600, [smf.track(tempos), smf.track(notes), smf.track(notes[:3])]),
        'smpte': smf.smf(0, 0xE728, [smf.track(notes)]),
        'alien-chunk': smf.smf(1, 96, [b'XFIH\x00\x00\x00\x02ab', smf.track(notes)]),
        'long-delta': smf.smf(0, 96, [smf.track([(0x0FFFFFFF, b'\x90\x3c\x64'),
                                                 (0x1FFFFFFE, b'\x80\x3c\x40')])]),
    }


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, 'corpus')
    for sub, seeds in (('engine', engine_seeds()), ('plugin', plugin_seeds()),
                       ('midifile', midifile_seeds())):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(out, sub, 'seed-' + name), 'wb') as f:
                f.write(data)
    print('%d parameters; seeds written to %s' % (COUNT, out))


if __name__ == '__main__':
    main()
