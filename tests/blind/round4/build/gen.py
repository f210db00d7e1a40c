#!/usr/bin/env python3
"""Generate calls/, labels.csv, hard_negatives.csv and build/meta.json
from the hand-written sources in build/src/batch*.txt.

Source format
-------------
@@ <asr|-> <agent>/<customer> [| hn: cat cat ...]
speaker：text  [##category|r|note] [##category|o|note]
...
Lines starting with // are comments.  Blank lines are ignored.
Placeholders {MOB}, {ID}, {CARD} with optional style :sp (spaced groups),
:hz (hanzi digits), :hzs (hanzi digits in spaced groups) are replaced by
random but valid numbers (seeded, reproducible).
"""
import csv, json, random, re, sys, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "build" / "src"
SEED = 20261124
rng = random.Random(SEED)

CATS = """threat.regulator threat.media threat.online threat.protest threat.legal
threat.management threat.safety threat.repeat threat.extreme taboo.overpromise
taboo.admit_defect taboo.privacy taboo.impatience taboo.withdraw taboo.incite
taboo.deflect""".split()

# ---------- valid numbers ----------
REGIONS = ["110105", "310115", "440305", "510107", "210102", "330106", "420106",
           "500103", "320102", "370202", "610113", "430104", "350203", "230103",
           "410105", "440106", "120104", "340104"]
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHK = "10X98765432"


def id_check(s17):
    return CHK[sum(int(c) * w for c, w in zip(s17, W)) % 11]


def make_id():
    start = datetime.date(1958, 1, 1)
    d = start + datetime.timedelta(days=rng.randrange(0, 16000))
    s17 = rng.choice(REGIONS) + d.strftime("%Y%m%d") + "%03d" % rng.randrange(1, 999)
    return s17 + id_check(s17)


def luhn_digit(partial):
    total = 0
    for i, c in enumerate(reversed(partial)):
        n = int(c)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return str((10 - total % 10) % 10)


BINS = [("622202", 19), ("622848", 19), ("621700", 19), ("621483", 16), ("622588", 16),
        ("439225", 16), ("518710", 16), ("625907", 16), ("622150", 19), ("621226", 19),
        ("436742", 16), ("622262", 19)]


def make_card():
    b, n = rng.choice(BINS)
    body = b + "".join(str(rng.randrange(10)) for _ in range(n - len(b) - 1))
    return body + luhn_digit(body)


PREF = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
        "152", "155", "156", "157", "158", "159", "166", "177", "180", "181", "183",
        "186", "187", "188", "189", "191", "195", "198", "199", "147", "173"]


def make_mob():
    return rng.choice(PREF) + "".join(str(rng.randrange(10)) for _ in range(8))


HZ = dict(zip("0123456789X", ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "叉"]))
HZ_PHONE = dict(HZ, **{"1": "幺"})


def groups(kind, s):
    if kind == "MOB":
        return [s[:3], s[3:7], s[7:]]
    if kind == "ID":
        return [s[:6], s[6:14], s[14:]]
    return [s[i:i + 4] for i in range(0, len(s), 4)]


def render(kind, style, s):
    style = style or "ar"
    if style == "ar":
        return s
    if style == "sp":
        return " ".join(groups(kind, s))
    table = HZ_PHONE if kind == "MOB" else HZ
    if style == "hz":
        return "".join(table[c] for c in s)
    if style == "hzs":
        return " ".join("".join(table[c] for c in g) for g in groups(kind, s))
    if style == "hy":
        return "-".join(groups(kind, s))
    raise ValueError(style)


MAKERS = {"MOB": make_mob, "ID": make_id, "CARD": make_card}
PH = re.compile(r"\{(MOB|ID|CARD)(?::(\w+))?\}")


def fill(text, numbers):
    def rep(m):
        v = MAKERS[m.group(1)]()
        numbers.append((m.group(1), v))
        return render(m.group(1), m.group(2), v)
    return PH.sub(rep, text)


# ---------- parse ----------
def parse():
    calls = []
    cur = None
    files = sorted(SRC.glob("batch*.txt"))
    for f in files:
        for ln, raw in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("//"):
                continue
            if line.startswith("@@"):
                head = line[2:].strip()
                hn = []
                if "|" in head:
                    head, rest = head.split("|", 1)
                    rest = rest.strip()
                    assert rest.startswith("hn:"), (f, ln, raw)
                    hn = rest[3:].split()
                parts = head.split()
                assert len(parts) == 2 and parts[0] in ("asr", "-"), (f, ln, raw)
                agent, cust = parts[1].split("/")
                cur = dict(src=f"{f.name}:{ln}", asr=parts[0] == "asr", agent=agent,
                           customer=cust, hn=hn, lines=[], labels=[], numbers=[])
                calls.append(cur)
                continue
            assert cur is not None, (f, ln)
            segs = line.split("##")
            text = segs[0].rstrip()
            spk, sep, body = text.partition("：")
            assert sep and spk in (cur["agent"], cur["customer"]), (f, ln, raw)
            body = fill(body.strip(), cur["numbers"])
            cur["lines"].append(f"{spk}：{body}")
            for m in segs[1:]:
                cat, kind, note = (m.strip().split("|") + ["", ""])[:3]
                assert cat in CATS, (f, ln, cat)
                assert kind in ("r", "o"), (f, ln, kind)
                cur["labels"].append(dict(category=cat, line=len(cur["lines"]),
                                          kind="required" if kind == "r" else "optional",
                                          note=note.strip()))
    return calls


def main():
    calls = parse()
    out = ROOT / "calls"
    for p in out.glob("*.txt"):
        p.unlink()
    labels, hns, meta = [], [], {}
    for i, c in enumerate(calls, 1):
        cid = f"c{i:03d}"
        (out / f"{cid}.txt").write_text("\n".join(c["lines"]) + "\n", encoding="utf-8")
        seen = set()
        for lab in c["labels"]:
            if lab["category"] in seen:
                continue  # first utterance only
            seen.add(lab["category"])
            labels.append([cid, lab["category"], lab["line"], lab["kind"], lab["note"]])
        for h in c["hn"]:
            assert h in CATS, (c["src"], h)
            hns.append([cid, h])
        meta[cid] = dict(src=c["src"], asr=c["asr"], agent=c["agent"], customer=c["customer"],
                         numbers=c["numbers"])
    with open(ROOT / "labels.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["conversation", "category", "line", "kind", "note"])
        w.writerows(labels)
    with open(ROOT / "hard_negatives.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["conversation", "category"])
        w.writerows(hns)
    (ROOT / "build" / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1),
                                              encoding="utf-8")
    # stats
    stat = {c: [0, 0, 0] for c in CATS}
    for l in labels:
        stat[l[1]][0 if l[3] == "required" else 1] += 1
    for h in hns:
        stat[h[1]][2] += 1
    labelled = {l[0] for l in labels}
    print(f"calls={len(calls)} asr={sum(c['asr'] for c in calls)} "
          f"unlabelled={len(calls) - len(labelled)} "
          f"kefu={sum(c['agent'] == '客服' and c['customer'] == '客户' for c in calls)}")
    for c in CATS:
        print(f"  {c:20s} req={stat[c][0]:3d} opt={stat[c][1]:2d} hn={stat[c][2]:2d}")


if __name__ == "__main__":
    main()
