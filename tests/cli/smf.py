"""A small Standard MIDI File reader and writer for the tests, written from
the specification (MMA "Standard MIDI Files 1.0") independently of
midifile/, so each checks the other."""
import struct


def vlq(v):
    out = [v & 0x7F]
    v >>= 7
    while v:
        out.append(0x80 | (v & 0x7F))
        v >>= 7
    return bytes(reversed(out))


def track(events):
    """events: (tick, bytes) in tick order; bytes is a whole event (status
    first; meta as FF type len data). Returns the MTrk chunk with End of Track."""
    body, last = b"", 0
    for tick, data in events:
        body += vlq(tick - last) + data
        last = tick
    body += b"\x00\xff\x2f\x00"
    return b"MTrk" + struct.pack(">I", len(body)) + body


def tempo(us):
    return b"\xff\x51\x03" + us.to_bytes(3, "big")


def smf(fmt, division, tracks):
    return b"MThd" + struct.pack(">IHHH", 6, fmt, len(tracks), division) + b"".join(tracks)


def read(data):
    """Returns (format, division, tracks): each track a list of (tick, status, data bytes)
    for channel messages and ('meta', type, bytes) for meta events."""
    assert data[:4] == b"MThd"
    hlen, fmt, ntrks, division = struct.unpack(">IHHH", data[4:14])
    pos, tracks = 8 + hlen, []
    while pos < len(data):
        cid, clen = data[pos:pos + 4], struct.unpack(">I", data[pos + 4:pos + 8])[0]
        body, pos = data[pos + 8:pos + 8 + clen], pos + 8 + clen
        if cid != b"MTrk":
            continue
        i, tick, running, events = 0, 0, None, []
        while i < len(body):
            delta = 0
            while True:
                b = body[i]
                i += 1
                delta = delta << 7 | (b & 0x7F)
                if not b & 0x80:
                    break
            tick += delta
            status = body[i]
            if status & 0x80:
                i += 1
            else:
                status = running
            if status == 0xFF:
                mtype, n = body[i], body[i + 1]
                assert n < 0x80
                events.append((tick, "meta", mtype, body[i + 2:i + 2 + n]))
                i += 2 + n
                running = None
                if mtype == 0x2F:
                    break
            else:
                n = 1 if status & 0xF0 in (0xC0, 0xD0) else 2
                events.append((tick, status, bytes(body[i:i + n])))
                i += n
                running = status
        tracks.append(events)
    assert len(tracks) == ntrks
    return fmt, division, tracks


def tempo_map(tracks):
    """[(tick, us per quarter)] from every track, 120 BPM until the first."""
    changes = sorted((e[0], int.from_bytes(e[3], "big")) for t in tracks for e in t
                     if e[1] == "meta" and e[2] == 0x51)
    if not changes or changes[0][0] != 0:
        changes.insert(0, (0, 500000))
    return changes


def seconds(tick, tmap, ppq):
    t, last_tick, us = 0.0, 0, tmap[0][1]
    for at, new_us in tmap:
        if at > tick:
            break
        t += (at - last_tick) * us / 1e6 / ppq
        last_tick, us = at, new_us
    return t + (tick - last_tick) * us / 1e6 / ppq
