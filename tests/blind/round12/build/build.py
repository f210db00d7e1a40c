#!/usr/bin/env python3
"""Generate /work/blind12 from build/src*.txt (hand-written sources).

Source format (blocks separated by blank lines):
  @ sector 坐席名/客户名 [asr]
  A：agent line            (A = agent, C = customer)
  C：customer line || cat[?][:note] ; cat2:note
  !hn cat cat ...          (hard negatives for this call)
Placeholders for personal numbers: {MOB} {MOB_SP} {MOB_HZ} {ID} {ID_SP} {CARD} {CARD_SP},
optional ':key' suffix reuses the same number inside one call, e.g. {MOB_HZ:a}.
Calls are shuffled with seed 20261129 and numbered c001..c200.
"""
import glob, os, random, re, csv, datetime

SEED = 20261129
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
rng = random.Random(SEED)

HZ = dict(zip("0123456789", "零幺二三四五六七八九"))
AREAS = ["110105", "310104", "440305", "510107", "230102", "420106", "330106",
         "370202", "500103", "610113", "210202", "350203", "430104", "320102"]
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def mobile():
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def idno():
    while True:
        d = datetime.date(1958, 1, 1) + datetime.timedelta(days=rng.randrange(0, 17000))
        body = rng.choice(AREAS) + d.strftime("%Y%m%d") + "%03d" % rng.randrange(1, 999)
        c = "10X98765432"[sum(int(a) * b for a, b in zip(body, W)) % 11]
        if c != "X" or rng.random() < 0.3:
            return body + c


def luhn_ok(s):
    t = 0
    for i, ch in enumerate(reversed(s)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        t += d
    return t % 10 == 0


def card():
    n = rng.choice([16, 19])
    body = rng.choice(["622202", "621700", "622848", "623668", "621483", "625807"])
    body += "".join(rng.choice("0123456789") for _ in range(n - 1 - len(body)))
    for c in "0123456789":
        if luhn_ok(body + c):
            return body + c


def fmt(kind, style, v):
    if style == "":
        return v
    if style == "SP":
        if kind == "MOB":
            return f"{v[:3]} {v[3:7]} {v[7:]}"
        if kind == "ID":
            return f"{v[:6]} {v[6:14]} {v[14:]}"
        return " ".join(v[i:i + 4] for i in range(0, len(v), 4))
    if style == "HZ":
        return "".join(HZ[c] for c in v)
    raise ValueError(style)


PH = re.compile(r"\{(MOB|ID|CARD)(?:_(SP|HZ))?(?::(\w+))?\}")


def parse():
    blocks = []
    for fn in sorted(glob.glob(os.path.join(ROOT, "build", "src*.txt"))):
        text = open(fn, encoding="utf-8").read()
        for raw in re.split(r"\n\s*\n", text):
            lines = [l for l in raw.strip().splitlines() if l.strip() and not l.startswith("#")]
            if not lines:
                continue
            head = lines[0].split()
            assert head[0] == "@", (fn, lines[0])
            sector, pair = head[1], head[2]
            asr = "asr" in head[3:]
            a, c = pair.split("/")
            utts, labels, hn = [], [], []
            for l in lines[1:]:
                if l.startswith("!hn"):
                    hn += l.split()[1:]
                    continue
                spk, rest = l[0], l[2:]
                assert l[1] == "：" and spk in "AC", (fn, l)
                if " || " in rest:
                    rest, lab = rest.split(" || ")
                    for item in lab.split(";"):
                        item = item.strip()
                        cat, _, note = item.partition(":")
                        kind = "required"
                        if cat.endswith("?"):
                            cat, kind = cat[:-1], "optional"
                        labels.append((cat, len(utts) + 1, kind, note.strip()))
                utts.append((spk, rest.strip()))
            blocks.append(dict(src=os.path.basename(fn), sector=sector, agent=a, cust=c,
                               asr=asr, utts=utts, labels=labels, hn=hn))
    return blocks


def main():
    blocks = parse()
    rng.shuffle(blocks)
    calls_dir = os.path.join(ROOT, "calls")
    for f in glob.glob(os.path.join(calls_dir, "*.txt")):
        os.remove(f)
    lab_rows, hn_rows, meta = [], [], []
    for i, b in enumerate(blocks, 1):
        cid = "c%03d" % i
        nums = {}

        def sub(m):
            kind, style, key = m.group(1), m.group(2) or "", m.group(3)
            if key and (kind, key) in nums:
                v = nums[(kind, key)]
            else:
                v = {"MOB": mobile, "ID": idno, "CARD": card}[kind]()
                if key:
                    nums[(kind, key)] = v
            return fmt(kind, style, v)

        out = []
        for spk, t in b["utts"]:
            name = b["agent"] if spk == "A" else b["cust"]
            out.append(f"{name}：{PH.sub(sub, t)}")
        with open(os.path.join(calls_dir, cid + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")
        for cat, line, kind, note in b["labels"]:
            lab_rows.append([cid, cat, line, kind, note])
        for cat in b["hn"]:
            hn_rows.append([cid, cat])
        meta.append([cid, b["sector"], b["agent"] + "/" + b["cust"], "asr" if b["asr"] else "",
                     "".join(s for s, _ in b["utts"])])
    with open(os.path.join(ROOT, "labels.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["conversation", "category", "line", "kind", "note"])
        w.writerows(sorted(lab_rows, key=lambda r: (r[0], r[2], r[1])))
    with open(os.path.join(ROOT, "hard_negatives.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["conversation", "category"])
        w.writerows(sorted(hn_rows))
    with open(os.path.join(ROOT, "build", "meta.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["conversation", "sector", "speakers", "asr", "speaker_pattern"])
        w.writerows(meta)
    print("built", len(blocks), "calls,", len(lab_rows), "labels,", len(hn_rows), "hard negatives")


if __name__ == "__main__":
    main()
