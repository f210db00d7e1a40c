#!/usr/bin/env python3
"""Consistency checks for the blind3 set. Exit code 1 on any error."""
import collections
import csv
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
import numlib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CATS = ["threat.regulator", "threat.media", "threat.online", "threat.protest",
        "threat.legal", "threat.management", "threat.safety", "threat.repeat",
        "threat.extreme", "taboo.overpromise", "taboo.admit_defect", "taboo.privacy",
        "taboo.impatience", "taboo.withdraw", "taboo.incite", "taboo.deflect"]
MIN_REQ = {c: 13 for c in CATS}
MIN_REQ["threat.repeat"] = 18
MIN_REQ["taboo.deflect"] = 18

errors, warns = [], []


def err(m):
    errors.append(m)


def main():
    manifest = {m["conversation"]: m for m in json.load(open(os.path.join(HERE, "manifest.json"), encoding="utf-8"))}
    calls = {}
    for p in sorted(glob.glob(os.path.join(ROOT, "calls", "*.txt"))):
        cid = os.path.basename(p)[:-4]
        raw = open(p, encoding="utf-8").read()
        lines = raw.rstrip("\n").split("\n")
        calls[cid] = lines
        if cid not in manifest:
            err(f"{cid}: not in manifest")
            continue
        m = manifest[cid]
        if not 4 <= len(lines) <= 22:
            err(f"{cid}: {len(lines)} lines")
        if "{{" in raw or "<MOB" in raw or "<ID" in raw or "<CARD" in raw or "}}" in raw:
            err(f"{cid}: marker or placeholder left in text")
        for i, ln in enumerate(lines, 1):
            sp, sep, text = ln.partition("：")
            if m["asr"] and re.search(r"[，。？！、；：“”‘’（）,.?!;:\"…—《》]", text):
                err(f"{cid}:{i}: punctuation in ASR call: {text[:30]}")
            if not sep or sp not in (m["agent"], m["customer"]) or not text.strip():
                err(f"{cid}:{i}: bad speaker/format: {ln[:30]}")
        if m["agent"] == m["customer"]:
            err(f"{cid}: same speaker labels")
    ids = [f"c{i:03d}" for i in range(1, len(calls) + 1)]
    if sorted(calls) != ids:
        err("call ids not contiguous")

    # labels
    with open(os.path.join(ROOT, "labels.csv"), encoding="utf-8", newline="") as f:
        rd = csv.reader(f)
        header = next(rd)
        if header != ["conversation", "category", "line", "kind", "note"]:
            err(f"labels header {header}")
        labels = list(rd)
    seen = set()
    lab = collections.defaultdict(dict)
    for r in labels:
        if len(r) != 5:
            err(f"label row width {r}")
            continue
        cid, cat, line, kind, note = r
        if cid not in calls:
            err(f"label for missing call {cid}")
            continue
        if cat not in CATS:
            err(f"{cid}: bad category {cat}")
        if kind not in ("required", "optional"):
            err(f"{cid}: bad kind {kind}")
        if not note.strip():
            err(f"{cid} {cat}: empty note")
        if (cid, cat) in seen:
            err(f"{cid}: duplicate {cat}")
        seen.add((cid, cat))
        try:
            ln = int(line)
        except ValueError:
            err(f"{cid}: bad line {line}")
            continue
        if not 1 <= ln <= len(calls[cid]):
            err(f"{cid}: line {ln} out of range")
            continue
        sp = calls[cid][ln - 1].partition("：")[0]
        m = manifest[cid]
        want = m["customer"] if cat.startswith("threat.") else m["agent"]
        if sp != want:
            err(f"{cid}:{ln} {cat} on speaker {sp}, expected {want}")
        lab[cid][cat] = (ln, kind)

    # hard negatives
    with open(os.path.join(ROOT, "hard_negatives.csv"), encoding="utf-8", newline="") as f:
        rd = csv.reader(f)
        header = next(rd)
        if header != ["conversation", "category"]:
            err(f"hn header {header}")
        hns = list(rd)
    hseen = set()
    for cid, cat in hns:
        if cid not in calls:
            err(f"hn for missing call {cid}")
        if cat not in CATS:
            err(f"hn {cid}: bad category {cat}")
        if (cid, cat) in hseen:
            err(f"hn duplicate {cid} {cat}")
        hseen.add((cid, cat))
        if cat in lab.get(cid, {}):
            err(f"hn {cid} {cat} clashes with a label")

    # privacy numbers
    for cid, lines in calls.items():
        m = manifest[cid]
        for i, ln in enumerate(lines, 1):
            sp, _, text = ln.partition("：")
            found = []
            for run in numlib.digit_runs(text):
                v = numlib.classify(run)
                found += v
                if not v and len(run) >= 11 and sp == m["agent"]:
                    warns.append(f"{cid}:{i}: agent line long number not personal: {run}")
                if not v and len(run) in (11, 16, 18, 19) and sp == m["customer"]:
                    warns.append(f"{cid}:{i}: customer line invalid-looking number: {run}")
            if sp == m["agent"] and found:
                p = lab.get(cid, {}).get("taboo.privacy")
                if not p or p[0] > i:
                    err(f"{cid}:{i}: agent line holds unlabelled valid number {found}")
        p = lab.get(cid, {}).get("taboo.privacy")
        if p:
            text = lines[p[0] - 1].partition("：")[2]
            has = any(numlib.classify(r) for r in numlib.digit_runs(text))
            if not has:
                warns.append(f"{cid}:{p[0]}: privacy label line has no valid number (address/other?)")
            for r in numlib.digit_runs(text):
                if len(r) >= 11 and not numlib.classify(r):
                    err(f"{cid}:{p[0]}: privacy label line has invalid number {r}")

    # counts
    req = collections.Counter()
    opt = collections.Counter()
    for cid, d in lab.items():
        for cat, (ln, kind) in d.items():
            (req if kind == "required" else opt)[cat] += 1
    hnc = collections.Counter(c for _, c in hns)
    print(f"{'category':22s} req opt hn")
    for c in CATS:
        flag = ""
        if req[c] < MIN_REQ[c]:
            flag += f"  <-- need {MIN_REQ[c]} req"
        if hnc[c] < 5:
            flag += "  <-- need 5 hn"
        print(f"{c:22s} {req[c]:3d} {opt[c]:3d} {hnc[c]:3d}{flag}")
    unl = [c for c in calls if c not in lab]
    asr = sum(1 for c in calls if manifest[c]["asr"])
    agents = collections.Counter((manifest[c]["agent"], manifest[c]["customer"]) for c in calls)
    kf = agents[("客服", "客户")]
    print(f"calls {len(calls)}  labels {len(labels)}  hn {len(hns)}  unlabelled {len(unl)}  asr {asr}  客服/客户 {kf}")
    secs = collections.Counter(manifest[c]["sector"] for c in calls)
    print("sectors:", dict(secs))
    for w in warns:
        print("WARN", w)
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
