#!/usr/bin/env python3
"""Checker for /work/blind12 (run after build.py)."""
import csv, os, re, sys, collections, datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATS = ["threat.regulator", "threat.media", "threat.online", "threat.protest", "threat.legal",
        "threat.management", "threat.safety", "threat.repeat", "threat.extreme",
        "taboo.overpromise", "taboo.admit_defect", "taboo.privacy", "taboo.impatience",
        "taboo.withdraw", "taboo.incite", "taboo.deflect"]
HEAVY = {"threat.media", "threat.protest", "threat.extreme", "threat.repeat", "threat.management",
         "threat.online", "taboo.admit_defect", "taboo.deflect", "taboo.impatience", "taboo.incite"}
HN_HEAVY = {"threat.legal", "threat.safety", "threat.repeat", "threat.regulator"}
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
HZ = {"零": "0", "〇": "0", "洞": "0", "幺": "1", "一": "1", "二": "2", "两": "2", "三": "3",
      "四": "4", "五": "5", "六": "6", "七": "7", "拐": "7", "八": "8", "九": "9", "勾": "9"}
PUNCT = re.compile(r"[，。？！、；：“”‘’,.?!;:\"（）()《》…—]")
errors = []


def err(*a):
    errors.append(" ".join(str(x) for x in a))


def luhn_ok(s):
    t = 0
    for i, ch in enumerate(reversed(s)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        t += d
    return t % 10 == 0


def id_ok(s):
    if not re.fullmatch(r"\d{17}[\dX]", s):
        return False
    try:
        d = datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    if not (1900 <= d.year <= 2025):
        return False
    return "10X98765432"[sum(int(a) * b for a, b in zip(s[:17], W)) % 11] == s[17]


def num_kind(s):
    """Return kind of a full personal number, None if too short; 'BAD' if invalid."""
    if len(s) < 11:
        return None
    if len(s) == 11 and re.fullmatch(r"1[3-9]\d{9}", s):
        return "mobile"
    if len(s) == 18 and id_ok(s):
        return "id"
    if 16 <= len(s) <= 19 and s.isdigit() and luhn_ok(s):
        return "card"
    return "BAD"


def numbers(text):
    out = []
    for m in re.finditer(r"(?<![\d*＊])\d(?:[\d ]*\d)?[Xx]?(?![\d*＊])", text):
        out.append(m.group().replace(" ", "").upper())
    hz = "".join(HZ)
    for m in re.finditer(r"[%s](?:[%s ]*[%s])?" % (hz, hz, hz), text):
        s = "".join(HZ.get(c, "") for c in m.group())
        if len(s) >= 11:
            out.append(s)
    return [(s, num_kind(s)) for s in out if num_kind(s)]


def main():
    meta = {r["conversation"]: r for r in csv.DictReader(open(os.path.join(ROOT, "build", "meta.csv"), encoding="utf-8"))}
    files = sorted(os.listdir(os.path.join(ROOT, "calls")))
    want = ["c%03d.txt" % i for i in range(1, 201)]
    if files != want:
        err("call files are not exactly c001..c200", len(files))
    calls = {}
    for fn in files:
        cid = fn[:-4]
        lines = open(os.path.join(ROOT, "calls", fn), encoding="utf-8").read().splitlines()
        if not 4 <= len(lines) <= 20:
            err(cid, "line count", len(lines))
        agent, cust = meta[cid]["speakers"].split("/")
        spk = []
        for i, l in enumerate(lines, 1):
            name, sep, text = l.partition("：")
            if not sep or name not in (agent, cust) or not text.strip():
                err(cid, i, "bad utterance format")
            spk.append("A" if name == agent else "C")
            if meta[cid]["asr"] and PUNCT.search(text):
                err(cid, i, "punctuation in ASR call", PUNCT.search(text).group())
            for s, k in numbers(text):
                if k == "BAD":
                    err(cid, i, "invalid long number", s)
        if set(spk) != {"A", "C"}:
            err(cid, "needs both speakers")
        calls[cid] = (lines, spk)

    labels = collections.defaultdict(dict)
    rows = list(csv.DictReader(open(os.path.join(ROOT, "labels.csv"), encoding="utf-8")))
    for r in rows:
        cid, cat, kind = r["conversation"], r["category"], r["kind"]
        if cid not in calls:
            err("label for unknown call", cid); continue
        if cat not in CATS:
            err(cid, "unknown category", cat)
        if kind not in ("required", "optional"):
            err(cid, "bad kind", kind)
        if cat in labels[cid]:
            err(cid, "duplicate", cat)
        line = int(r["line"])
        lines, spk = calls[cid]
        if not 1 <= line <= len(lines):
            err(cid, cat, "line out of range", line); continue
        if cat.startswith("threat.") and spk[line - 1] != "C":
            err(cid, cat, line, "threat not on customer line")
        if cat.startswith("taboo.") and spk[line - 1] != "A":
            err(cid, cat, line, "taboo not on agent line")
        if not r["note"].strip() or len(r["note"]) > 40:
            err(cid, cat, "note missing or too long")
        labels[cid][cat] = (line, kind)

    # privacy: every agent line with a full personal number must be covered by a privacy label
    for cid, (lines, spk) in calls.items():
        for i, l in enumerate(lines, 1):
            if spk[i - 1] == "A" and numbers(l.partition("：")[2]):
                lab = labels[cid].get("taboo.privacy")
                if not lab or lab[0] > i:
                    err(cid, i, "agent reads a full number but no privacy label at/before this line")

    hn = collections.defaultdict(set)
    for r in csv.DictReader(open(os.path.join(ROOT, "hard_negatives.csv"), encoding="utf-8")):
        cid, cat = r["conversation"], r["category"]
        if cid not in calls or cat not in CATS:
            err("bad hard negative", cid, cat)
        if cat in hn[cid]:
            err("duplicate hard negative", cid, cat)
        hn[cid].add(cat)
        if cat in labels[cid]:
            err(cid, cat, "hard negative clashes with a label")

    clean = [c for c in calls if not labels[c]]
    for c in clean:
        if not hn[c]:
            err(c, "unlabelled call not listed in hard_negatives.csv")
    if len(clean) < 60:
        err("only", len(clean), "unlabelled calls (<60)")

    req = collections.Counter(cat for c in labels for cat, (l, k) in labels[c].items() if k == "required")
    opt = collections.Counter(cat for c in labels for cat, (l, k) in labels[c].items() if k == "optional")
    hnc = collections.Counter(cat for c in hn for cat in hn[c])
    print("%-20s %8s %8s %8s" % ("category", "required", "optional", "hard_neg"))
    for cat in CATS:
        print("%-20s %8d %8d %8d" % (cat, req[cat], opt[cat], hnc[cat]))
        if req[cat] < (22 if cat in HEAVY else 15):
            err(cat, "too few required", req[cat])
        if hnc[cat] < (12 if cat in HN_HEAVY else 8):
            err(cat, "too few hard negatives", hnc[cat])
    print("%-20s %8d %8d %8d" % ("total", sum(req.values()), sum(opt.values()), sum(hnc.values())))
    asr = sum(1 for c in meta.values() if c["asr"])
    sectors = collections.Counter(c["sector"] for c in meta.values())
    kefu = sum(1 for c in meta.values() if c["speakers"] == "客服/客户")
    pairs = len(set(c["speakers"] for c in meta.values()))
    print(f"calls={len(calls)} unlabelled={len(clean)} asr={asr} sectors={len(sectors)} "
          f"客服/客户={kefu} speaker_pairs={pairs}")
    if asr < 60:
        err("too few ASR calls", asr)
    if len(sectors) < 20:
        err("too few sectors", len(sectors))
    if not 80 <= kefu <= 120:
        err("客服/客户 share off", kefu)
    if "-v" in sys.argv:
        print(sorted(sectors.items(), key=lambda x: -x[1]))
    if errors:
        print("\n".join(errors[:200]))
        print("FAILED:", len(errors), "problems")
        sys.exit(1)
    print("CHECK OK")


if __name__ == "__main__":
    main()
