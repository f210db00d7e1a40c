#!/usr/bin/env python3
"""Render the hand-written blind13 sources into calls/, labels.csv, hard_negatives.csv, meta.csv.

Source format (build/srcNN.txt), calls separated by blank lines:
  @ <sector> <agentSpeaker>/<customerSpeaker> [asr]
  A：agent text || category:note || ?category:note
  C：customer text
  # neg: category, category
Placeholders: {TYPE[n][_FORM]} with TYPE in MOBILE, ID, CARD and FORM in
  (none)=digits, SPACED, HANZI, MASKED, TAIL, TAIL_HANZI.  Same TYPE[n] in one call = same number.
"""
import csv, glob, os, random, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

THREATS = ["regulator", "media", "online", "protest", "legal", "management", "safety", "repeat", "extreme"]
TABOOS = ["overpromise", "admit_defect", "privacy", "impatience", "withdraw", "incite", "deflect"]
CATS = {c: "threat." + c for c in THREATS}
CATS.update({c: "taboo." + c for c in TABOOS})
FULL = set(CATS.values())


def cat_id(name):
    name = name.strip()
    if name in FULL:
        return name
    if name in CATS:
        return CATS[name]
    raise ValueError("unknown category %r" % name)


# ---------------------------------------------------------------- numbers
AREAS = ["110105", "110108", "310104", "310115", "440106", "440305", "330106", "330102", "510107",
         "420102", "320102", "320583", "370102", "370203", "610113", "500103", "350203", "430104",
         "410105", "210102", "130102", "340104", "360102", "450103", "530102", "120101", "220102"]
ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_C = "10X98765432"


def id_check(first17):
    return ID_C[sum(int(d) * w for d, w in zip(first17, ID_W)) % 11]


def luhn_ok(s):
    tot = 0
    for i, ch in enumerate(reversed(s)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        tot += d
    return tot % 10 == 0


def luhn_complete(partial):
    for d in "0123456789":
        if luhn_ok(partial + d):
            return partial + d


def gen_mobile(rng):
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def gen_id(rng):
    import datetime
    start = datetime.date(1950, 1, 1).toordinal()
    end = datetime.date(2006, 12, 31).toordinal()
    day = datetime.date.fromordinal(rng.randint(start, end))
    first = rng.choice(AREAS) + day.strftime("%Y%m%d") + "%03d" % rng.randint(1, 999)
    return first + id_check(first)


def gen_card(rng):
    prefix = rng.choice(["6222", "6217", "6228", "6225", "6214", "6212", "6226", "6259"])
    length = rng.choice([16, 16, 19])
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - 1 - len(prefix)))
    return luhn_complete(body)


HZ = dict(zip("0123456789", "零一二三四五六七八九"))


def hanzi(s, rng, yao):
    out = []
    for ch in s:
        if ch == "1" and yao:
            out.append("幺")
        elif ch in HZ:
            out.append(HZ[ch])
        elif ch == "X":
            out.append("叉")
        else:
            out.append(ch)
    return "".join(out)


def render_number(typ, form, value, rng):
    if form == "":
        return value
    if form == "SPACED":
        if typ == "MOBILE":
            return "%s %s %s" % (value[:3], value[3:7], value[7:])
        if typ == "ID":
            return "%s %s %s" % (value[:6], value[6:14], value[14:])
        return " ".join(value[i:i + 4] for i in range(0, len(value), 4))
    if form == "HANZI":
        if typ == "MOBILE":
            v = hanzi(value, rng, True)
            return "%s %s %s" % (v[:3], v[3:7], v[7:])
        if typ == "ID":
            v = hanzi(value, rng, rng.random() < 0.5)
            return "%s %s %s" % (v[:6], v[6:14], v[14:])
        v = hanzi(value, rng, rng.random() < 0.5)
        return " ".join(v[i:i + 4] for i in range(0, len(v), 4))
    if form == "MASKED":
        if typ == "MOBILE":
            return value[:3] + "****" + value[-4:]
        if typ == "ID":
            return value[:3] + "*" * 11 + value[-4:]
        return value[:4] + " **** **** " + value[-4:]
    if form == "TAIL":
        return value[-4:]
    if form == "TAIL_HANZI":
        return hanzi(value[-4:], rng, True)
    raise ValueError(form)


UNMASKED = {"", "SPACED", "HANZI"}
PH = re.compile(r"\{(MOBILE|ID|CARD)(\d*)(?:_(SPACED|HANZI|MASKED|TAIL_HANZI|TAIL))?\}")


# ---------------------------------------------------------------- parsing
def parse_sources():
    calls = []
    for path in sorted(glob.glob(os.path.join(HERE, "src*.txt"))):
        src = os.path.basename(path)
        with open(path, encoding="utf-8") as f:
            blocks = re.split(r"\n\s*\n", f.read().strip())
        for bi, block in enumerate(blocks, 1):
            lines = [l.rstrip() for l in block.strip().split("\n") if l.strip()]
            head = lines[0]
            if not head.startswith("@ "):
                raise SystemExit("%s block %d: no header: %s" % (src, bi, head))
            parts = head[2:].split()
            sector, pair = parts[0], parts[1]
            asr = len(parts) > 2 and parts[2] == "asr"
            agent, cust = pair.split("/")
            call = {"src": "%s#%d" % (src, bi), "sector": sector, "agent": agent, "customer": cust,
                    "asr": asr, "utts": [], "negs": []}
            for l in lines[1:]:
                if l.startswith("#"):
                    m = re.match(r"#\s*neg:\s*(.*)$", l)
                    if m:
                        call["negs"] += [cat_id(x) for x in m.group(1).split(",") if x.strip()]
                    continue
                segs = l.split(" || ")
                spk, text = segs[0][0], segs[0][2:]
                if spk not in "AC" or segs[0][1] != "：":
                    raise SystemExit("%s: bad utterance %r" % (call["src"], l))
                labels = []
                for s in segs[1:]:
                    kind = "required"
                    if s.startswith("?"):
                        kind, s = "optional", s[1:]
                    name, _, note = s.partition(":")
                    labels.append((cat_id(name), kind, note.strip()))
                call["utts"].append({"spk": spk, "text": text, "labels": labels})
            calls.append(call)
    return calls


def main():
    calls = parse_sources()
    nrng = random.Random(1313)
    # fill numbers in source order (deterministic)
    numbers = []  # (call index, line, type, form, value, rendered)
    for ci, call in enumerate(calls):
        pool = {}
        for li, u in enumerate(call["utts"], 1):
            def sub(m):
                typ, idx, form = m.group(1), m.group(2), m.group(3) or ""
                key = typ + idx
                if key not in pool:
                    pool[key] = {"MOBILE": gen_mobile, "ID": gen_id, "CARD": gen_card}[typ](nrng)
                r = render_number(typ, form, pool[key], nrng)
                numbers.append((ci, li, typ, form or "DIGITS", pool[key], r))
                return r
            u["text"] = PH.sub(sub, u["text"])
    order = list(range(len(calls)))
    random.seed(20261130)
    random.shuffle(order)
    name_of = {}
    for n, ci in enumerate(order, 1):
        name_of[ci] = "c%03d" % n

    os.makedirs(os.path.join(ROOT, "calls"), exist_ok=True)
    for old in glob.glob(os.path.join(ROOT, "calls", "c*.txt")):
        os.remove(old)
    label_rows, neg_rows, meta_rows, src_rows = [], [], [], []
    for ci in order:
        call, conv = calls[ci], name_of[ci]
        with open(os.path.join(ROOT, "calls", conv + ".txt"), "w", encoding="utf-8") as f:
            for u in call["utts"]:
                f.write("%s：%s\n" % (call["agent"] if u["spk"] == "A" else call["customer"], u["text"]))
        seen = {}
        for li, u in enumerate(call["utts"], 1):
            for cat, kind, note in u["labels"]:
                if cat not in seen:
                    seen[cat] = [conv, cat, li, kind, note]
                elif kind == "required" and seen[cat][3] == "optional":
                    seen[cat][3] = "required"  # checker reports the mix
        for cat in sorted(seen, key=lambda c: (seen[c][2], c)):
            label_rows.append(seen[cat])
        for cat in sorted(set(call["negs"])):
            neg_rows.append([conv, cat])
        meta_rows.append([conv, call["sector"], "%s/%s" % (call["agent"], call["customer"]),
                          "yes" if call["asr"] else "no", "".join(u["spk"] for u in call["utts"])])
        src_rows.append([conv, call["src"]])
    label_rows.sort(key=lambda r: (r[0], r[2], r[1]))
    neg_rows.sort()
    meta_rows.sort()
    src_rows.sort()

    def write(path, header, rows):
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    write(os.path.join(ROOT, "labels.csv"), ["conversation", "category", "line", "kind", "note"], label_rows)
    write(os.path.join(ROOT, "hard_negatives.csv"), ["conversation", "category"], neg_rows)
    write(os.path.join(HERE, "meta.csv"), ["conversation", "sector", "speakers", "asr", "speaker_pattern"], meta_rows)
    write(os.path.join(HERE, "sources.csv"), ["conversation", "source"], src_rows)
    write(os.path.join(HERE, "numbers.csv"), ["conversation", "line", "type", "form", "value", "rendered"],
          sorted([[name_of[ci], li, t, fm, v, r] for ci, li, t, fm, v, r in numbers]))
    print("built %d calls, %d label rows, %d hard negatives" % (len(calls), len(label_rows), len(neg_rows)))


if __name__ == "__main__":
    main()
