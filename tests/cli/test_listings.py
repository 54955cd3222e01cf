"""`hillock params` and `hillock presets`: the table and JSON derive from the
parameter table and the preset files; presets load by name, label, URI and
path through $HILLOCK_PRESET_PATH, and --set applies after the preset."""
import json
import os
import unittest

from clitest import EXIT_INPUT, FIXTURES, SOURCE_ROOT, read_csv, run, workdir

SEARCH = os.path.join(FIXTURES, "search")


def env_with_path(path):
    env = dict(os.environ)
    env["HILLOCK_PRESET_PATH"] = path
    return env


class Params(unittest.TestCase):
    def test_json_has_every_symbol_of_the_table(self):
        status, out, _ = run("params", "--json")
        self.assertEqual(status, 0)
        params = json.loads(out)
        status, table, _ = run("params")
        rows = table.splitlines()[1:]
        self.assertEqual(len(params), len(rows))
        self.assertEqual([p["symbol"] for p in params], [r.split()[0] for r in rows])
        self.assertEqual(len({p["symbol"] for p in params}), len(params), "unique symbols")

    def test_json_objects_have_the_documented_keys(self):
        params = json.loads(run("params", "--json")[1])
        for p in params:
            for key in ("symbol", "name", "min", "max", "default", "unit", "kind"):
                self.assertIn(key, p)
            self.assertIn(p["kind"], ("float", "integer", "enumeration", "toggle"))
            self.assertLessEqual(p["min"], p["default"])
            self.assertLessEqual(p["default"], p["max"])
            self.assertEqual("values" in p, p["kind"] == "enumeration")

    def test_the_symbols_issue_2_requires(self):
        params = {p["symbol"]: p for p in json.loads(run("params", "--json")[1])}
        for s in ("model", "neurons", "drive", "spread", "noise", "seed", "temperature",
                  "speed", "pr_gc", "pr_p", "izh_a", "izh_b", "izh_c", "izh_d", "hr_r",
                  "spike_threshold", "focus", "input_gain"):
            self.assertIn(s, params)
        self.assertEqual(params["model"]["values"],
                         ["hh", "pinsky_rinzel", "izhikevich", "hindmarsh_rose"])
        self.assertGreaterEqual(params["neurons"]["max"], 4096)
        self.assertEqual(params["spike_threshold"]["default"], -20)

    def test_table_shows_enumeration_names(self):
        line = [l for l in run("params")[1].splitlines() if l.startswith("model ")][0]
        self.assertIn("hh, pinsky_rinzel, izhikevich, hindmarsh_rose", line)


class Presets(unittest.TestCase):
    def test_every_shipped_preset_loads(self):
        # presets/*.ttl: each must parse and name only known, in-range values
        status, _, err = run("presets", "--check", env=env_with_path(""))
        self.assertEqual(status, 0, err)
        shipped = [f for f in os.listdir(os.path.join(SOURCE_ROOT, "presets"))
                   if f.endswith(".ttl") and f != "manifest.ttl"]
        self.assertRegex(err, r"\b%d preset files? checked, 0 broken" % len(shipped))

    def test_json_lists_the_shipped_presets(self):
        status, out, _ = run("presets", "--json", env=env_with_path(""))
        self.assertEqual(status, 0)
        presets = json.loads(out)
        names = [p["name"] for p in presets]
        self.assertIn("tonic-hh", names)
        self.assertEqual(names, sorted(names))
        for p in presets:
            for key in ("name", "uri", "comment", "label"):
                self.assertIn(key, p)

    def test_search_path_shadows_and_skips_non_presets(self):
        status, out, err = run("presets", "--json", env=env_with_path(SEARCH))
        self.assertEqual(status, 0, err)
        presets = {p["name"]: p for p in json.loads(out)}
        self.assertNotIn("manifest", presets)
        self.assertNotIn("not-a-preset", presets)
        self.assertEqual(presets["tonic-hh"]["uri"], "urn:hillock:test:tonic-hh-shadow")
        self.assertEqual(presets["one-izh"]["comment"],
                         'A single regular-spiking Izhikevich neuron; comment with '
                         '"quotes" and a \\ backslash.')

    def test_check_reports_broken_files(self):
        status, _, err = run("presets", "--check", env=env_with_path(FIXTURES))
        self.assertEqual(status, EXIT_INPUT)
        for name in ("unknown-symbol.ttl", "out-of-range.ttl", "broken-turtle.ttl"):
            self.assertIn(name, err)
        self.assertIn("no_such_knob", err)

    def spikes_with(self, *args):
        """Spikes in 1 s rendered with the test search path."""
        with workdir() as d:
            sp = os.path.join(d, "s.csv")
            status, _, err = run("render", *args, "-s", "start=rest", "-d", "1", "-q", "--spikes", sp,
                                 "-o", os.path.join(d, "o.wav"), env=env_with_path(SEARCH))
            self.assertEqual(status, 0, err)
            return len(read_csv(sp)[1])

    def test_preset_by_name_label_uri_and_path(self):
        # the shadow tonic-hh is one HH neuron at drive 10: 69 spikes in 1 s
        # (docs/science.md, HH table)
        for which in ("tonic-hh", "Tonic HH (test shadow)", "urn:hillock:test:tonic-hh-shadow",
                      os.path.join(SEARCH, "tonic-hh.ttl")):
            self.assertEqual(self.spikes_with("-p", which), 69, which)

    def test_set_applies_after_the_preset(self):
        self.assertEqual(self.spikes_with("-p", "tonic-hh", "-s", "drive=0"), 0)


if __name__ == "__main__":
    unittest.main()
