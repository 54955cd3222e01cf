"""`hillock presets` with awkward preset files and search paths: the JSON
stays UTF-8 (RFC 8259, section 8.1) when a long label is cut to fit and when
a file name is not UTF-8 at all (its bytes become U+FFFD), and any number of
folders in $HILLOCK_PRESET_PATH leaves the built-in folders searched."""
import json
import os
import subprocess
import unittest

from clitest import HILLOCK, SOURCE_ROOT, workdir

PRESET = """@prefix lv2:  <http://lv2plug.in/ns/lv2core#> .
@prefix pset: <http://lv2plug.in/ns/ext/presets#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<urn:hillock:test:%s>
    a pset:Preset ;
    rdfs:label "%s" ;
    rdfs:comment "%s" ;
    lv2:port [ lv2:symbol "drive" ; pset:value 12.0 ] .
"""


def presets_json(path):
    """The raw bytes of `hillock presets --json`, decoded strictly."""
    env = dict(os.environ, HILLOCK_PRESET_PATH=path)
    p = subprocess.run([HILLOCK, "presets", "--json"], env=env, capture_output=True,
                       timeout=60)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout.decode("utf-8", errors="strict"))


class Utf8(unittest.TestCase):
    def test_a_long_label_is_cut_between_characters(self):
        # 300 two-byte and three-byte characters: far beyond the label's
        # 127 bytes, with a cut that would fall inside a character
        label = "é" * 100 + "€" * 100
        with workdir() as d:
            with open(os.path.join(d, "long.ttl"), "w", encoding="utf-8") as f:
                f.write(PRESET % ("long", label, "ü" * 400))
            entry = [p for p in presets_json(d) if p["name"] == "long"][0]
            self.assertGreater(len(entry["label"]), 50)
            self.assertTrue(label.startswith(entry["label"]), entry["label"])
            self.assertTrue(("ü" * 400).startswith(entry["comment"]))
            self.assertNotIn("\ufffd", entry["label"] + entry["comment"])

    def test_a_latin1_file_name_gives_valid_json(self):
        with workdir() as d:
            name = os.path.join(d.encode(), b"caf\xe9.ttl")  # Latin-1, not UTF-8
            with open(name, "w", encoding="utf-8") as f:
                f.write(PRESET % ("cafe", "Caf\u00e9", "a Latin-1 file name"))
            entries = [p for p in presets_json(d) if p["uri"] == "urn:hillock:test:cafe"]
            self.assertEqual(len(entries), 1)
            self.assertEqual(entries[0]["name"], "caf\ufffd")
            self.assertEqual(entries[0]["label"], "Caf\u00e9")


class SearchPath(unittest.TestCase):
    def test_many_folders_keep_the_built_in_ones(self):
        with workdir() as d:
            folders = []
            for i in range(40):
                folders.append(os.path.join(d, "f%02d" % i))
                os.mkdir(folders[-1])
            with open(os.path.join(folders[-1], "mine.ttl"), "w") as f:
                f.write(PRESET % ("mine", "Mine", "in the 40th folder"))
            env = dict(os.environ, HILLOCK_PRESET_PATH=":".join(folders))
            p = subprocess.run([HILLOCK, "presets", "--path"], env=env, capture_output=True,
                               text=True, timeout=60)
            listed = p.stdout.splitlines()
            self.assertEqual(listed[:40], folders)
            self.assertIn(os.path.join(SOURCE_ROOT, "presets"), listed[40:])
            names = [e["name"] for e in presets_json(":".join(folders))]
            self.assertIn("mine", names)
            self.assertIn("tonic-hh", names, "a preset of the source tree's folder")


if __name__ == "__main__":
    unittest.main()
