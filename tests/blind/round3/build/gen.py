#!/usr/bin/env python3
"""Generate calls/, labels.csv, hard_negatives.csv from build/src/*.txt.

Source format (one block per call):
    @@ <agent-speaker> <customer-speaker> [asr] [sec=<sector>]
    #hn <category> [<category> ...]          (optional, hard negatives)
    <speaker>：<text> {{category|r|note}} {{category|o|note}}
Number placeholders: <MOB1:s> <ID2:h> <CARD1:ys> ... (same kind+index within a call
= same number); styles from numlib.fmt, plus :mask (138****5678) and :tail / :tailh.
Calls are shuffled with a fixed seed and numbered c001..cNNN.
"""
import csv
import glob
import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
import numlib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SEED = 20261123

MARK = re.compile(r"\{\{([a-z_.]+)\|([ro])\|([^}]*)\}\}")
PH = re.compile(r"<(MOB|ID|CARD)(\d*):(\w+)(?::(old|mid|young)(M|F)?)?>")


def parse():
    blocks = []
    for path in sorted(glob.glob(os.path.join(HERE, "src", "*.txt"))):
        cur = None
        for n, raw in enumerate(open(path, encoding="utf-8"), 1):
            line = raw.rstrip("\n")
            if not line.strip():
                continue
            if line.startswith("@@"):
                parts = line[2:].split()
                cur = {"src": f"{os.path.basename(path)}:{n}", "agent": parts[0],
                       "customer": parts[1], "asr": "asr" in parts[2:],
                       "sector": next((p[4:] for p in parts[2:] if p.startswith("sec=")), ""),
                       "hn": [], "lines": []}
                blocks.append(cur)
            elif line.startswith("#hn"):
                cur["hn"].extend(line[3:].split())
            elif line.startswith("//"):
                continue
            else:
                cur["lines"].append(line)
    return blocks


def fill(text, nums, rng):
    def rep(m):
        kind, idx, style = m.group(1), m.group(2) or "0", m.group(3)
        key = kind + idx
        if key not in nums:
            if kind == "ID" and m.group(4):
                lo, hi = {"old": (1946, 1963), "mid": (1962, 1980), "young": (1985, 2003)}[m.group(4)]
                nums[key] = numlib.rand_id(rng, lo, hi, m.group(5))
            else:
                nums[key] = {"MOB": numlib.rand_mobile, "ID": numlib.rand_id,
                             "CARD": numlib.rand_card}[kind](rng)
        v = nums[key]
        if style == "mask":
            return v[:3] + "****" + v[-4:]
        if style == "tail":
            return v[-4:]
        if style == "tailh":
            return "".join(numlib.HZ_YAO[c] for c in v[-4:])
        return numlib.fmt(v, style)
    return PH.sub(rep, text)


def main():
    blocks = parse()
    rng = random.Random(SEED)
    order = list(range(len(blocks)))
    random.Random(SEED + 1).shuffle(order)
    os.makedirs(os.path.join(ROOT, "calls"), exist_ok=True)
    for f in glob.glob(os.path.join(ROOT, "calls", "*.txt")):
        os.remove(f)
    labels, hns, manifest = [], [], []
    for i, bi in enumerate(order, 1):
        b = blocks[bi]
        cid = "c%03d" % i
        nums = {}
        out = []
        for ln, line in enumerate(b["lines"], 1):
            for m in MARK.finditer(line):
                labels.append([cid, m.group(1), ln,
                               "required" if m.group(2) == "r" else "optional",
                               m.group(3).strip()])
            text = MARK.sub("", line).rstrip()
            text = fill(text, nums, rng)
            out.append(text)
        with open(os.path.join(ROOT, "calls", cid + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")
        for c in b["hn"]:
            hns.append([cid, c])
        manifest.append({"conversation": cid, "src": b["src"], "agent": b["agent"],
                         "customer": b["customer"], "asr": b["asr"], "sector": b["sector"]})
    labels.sort(key=lambda r: (r[0], r[2], r[1]))
    with open(os.path.join(ROOT, "labels.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["conversation", "category", "line", "kind", "note"])
        w.writerows(labels)
    hns.sort()
    with open(os.path.join(ROOT, "hard_negatives.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["conversation", "category"])
        w.writerows(hns)
    with open(os.path.join(HERE, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    print(f"{len(blocks)} calls, {len(labels)} labels, {len(hns)} hard negatives")


if __name__ == "__main__":
    main()
