#!/usr/bin/env python3
"""Helper used while writing: append hard-negative categories to a call's @@ header.
usage: add_hn.py c031:threat.legal c115:taboo.deflect ..."""
import json, sys
from pathlib import Path
ROOT = Path(__file__).resolve().parent.parent
meta = json.loads((ROOT / "build/meta.json").read_text(encoding="utf-8"))
for arg in sys.argv[1:]:
    cid, cat = arg.split(":")
    fname, ln = meta[cid]["src"].split(":")
    p = ROOT / "build/src" / fname
    lines = p.read_text(encoding="utf-8").split("\n")
    h = lines[int(ln) - 1]
    assert h.startswith("@@"), h
    if "| hn:" in h:
        if cat not in h.split("| hn:")[1].split():
            h = h + " " + cat
    else:
        h = h + " | hn: " + cat
    lines[int(ln) - 1] = h
    p.write_text("\n".join(lines), encoding="utf-8")
    print(cid, h)
