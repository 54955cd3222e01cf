#!/usr/bin/env python3
"""Print the README's parameter table (Markdown) from `hillock params --json`.

    build/cli/hillock params --json | python3 scripts/params_table.py
"""
import json
import sys

UNITS = {"uA/cm2": "µA/cm²", "mS/cm2": "mS/cm²", "degC": "°C"}


def cell(text):
    return text.replace("|", "/")


def main():
    print("| symbol | range | default | unit | meaning |")
    print("|---|---|---|---|---|")
    for p in json.load(sys.stdin):
        if p["kind"] == "enumeration":
            values = " / ".join("`%s`" % v for v in p["values"])
            default = "`%s`" % p["values"][int(p["default"])]
        elif p["kind"] == "toggle":
            values, default = "off / on", ("on" if p["default"] else "off")
        else:
            values = "%g … %g" % (p["min"], p["max"])
            default = "%g" % p["default"]
        unit = UNITS.get(p["unit"], p["unit"])
        print("| `%s` | %s | %s | %s | %s |" % (p["symbol"], values, default, unit,
                                               cell(p["comment"])))


if __name__ == "__main__":
    main()
