"""Every value `hillock params --json` advertises (each parameter's minimum,
maximum and default, and each enumeration's names) is accepted wherever a
value is read: `render --set`, and a preset file's pset:value (LV2 presets
spec: a port value is a number). The JSON text itself is fed back, so a
bound printed as 0.95 must be accepted although the double 0.95 is above the
float 0.95f the table holds. (`hillock jack`'s `set` line: tests/jack.)"""
import json
import os
import struct
import unittest

from clitest import run, workdir


def advertised():
    """The parameters as `hillock params --json` lists them."""
    status, out, err = run("params", "--json")
    assert status == 0, err
    return json.loads(out)


def every_value(params):
    """(symbol, value text) for every advertised value: enumeration names
    first, then minimum, maximum and default, so the last one set for each
    parameter is its default."""
    pairs = []
    for p in params:
        for name in p.get("values", []):
            pairs.append((p["symbol"], name))
        for key in ("min", "max", "default"):
            pairs.append((p["symbol"], json.dumps(p[key])))
    return pairs


def preset_text(uri, pairs):
    ports = " ,\n".join('    [ lv2:symbol "%s" ; pset:value %s ]' % (s, v) for s, v in pairs)
    return ("@prefix lv2:  <http://lv2plug.in/ns/lv2core#> .\n"
            "@prefix pset: <http://lv2plug.in/ns/ext/presets#> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n"
            "<%s>\n    a pset:Preset ;\n    rdfs:label \"edge\" ;\n    lv2:port\n%s .\n"
            % (uri, ports))


class AdvertisedValues(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.params = advertised()
        cls.pairs = every_value(cls.params)

    def test_the_table_advertises_the_edges_that_were_refused(self):
        # float bounds whose shortest text, read as a double, lies outside
        # the float: 0.95 > 0.95f, 0.1 < 0.1f, 0.2 < 0.2f ...
        values = set(self.pairs)
        for edge in (("pr_p", "0.95"), ("pr_p", "0.05"), ("noise_tau", "0.1"),
                     ("pr_gc", "0.1"), ("izh_a", "0.001"), ("dcaap_width", "0.05"),
                     ("tau_exc", "0.2"), ("tau_inh", "0.2")):
            self.assertIn(edge, values)
        as_float = struct.unpack("f", struct.pack("f", 0.95))[0]
        self.assertLess(as_float, 0.95, "the float 0.95f is below the double 0.95")

    def test_render_set_accepts_every_one(self):
        with workdir() as d:
            args = []
            for s, v in self.pairs:
                args += ["-s", "%s=%s" % (s, v)]
            status, _, err = run("render", "-q", "-d", "0.002", "-o",
                                 os.path.join(d, "out.wav"), *args)
            if status != 0:  # name every refused value, not only the first
                refused = [("%s=%s" % (s, v)) for s, v in self.pairs
                           if run("render", "-q", "-d", "0.002", "-s", "%s=%s" % (s, v),
                                  "-s", "neurons=1", "-s", "speed=1", "-o",
                                  os.path.join(d, "one.wav"))[0] != 0]
                self.fail("refused: %s (%s)" % (", ".join(refused), err.strip()))

    def test_a_preset_with_every_number_loads(self):
        # pset:value is a number (LV2 presets spec); the JSON prints numbers
        # that are valid Turtle numerals as they are
        with workdir() as d:
            for key in ("min", "max", "default"):
                pairs = [(p["symbol"], json.dumps(p[key])) for p in self.params]
                with open(os.path.join(d, "edge-%s.ttl" % key), "w") as f:
                    f.write(preset_text("urn:hillock:test:edge-" + key, pairs))
            env = dict(os.environ, HILLOCK_PRESET_PATH=d)
            status, _, err = run("presets", "--check", env=env)
            self.assertEqual(status, 0, err)
            self.assertNotIn("edge-", err)
            for key in ("min", "default"):
                status, _, err = run("render", "-q", "-d", "0.002", "-p",
                                     os.path.join(d, "edge-%s.ttl" % key), "-o",
                                     os.path.join(d, "out.wav"))
                self.assertEqual(status, 0, err)


if __name__ == "__main__":
    unittest.main()
