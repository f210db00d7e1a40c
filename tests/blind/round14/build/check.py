#!/usr/bin/env python3
"""Check the rendered blind set. Writes build/check_output.txt; last line is OK or the problem count.

Run:  cd /work/blind14/build && nice python3 check.py
"""
import csv
import datetime
import glob
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
from build import CATEGORIES, parse_sources  # noqa: E402  (only the source parser and category list)

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
DIGIT_MAP = {"零": "0", "〇": "0", "幺": "1", "一": "1", "二": "2", "三": "3", "四": "4",
             "五": "5", "六": "6", "七": "7", "八": "8", "九": "9", "叉": "X", "X": "X", "x": "X"}
DIGIT_RUN = re.compile(r"[0-9零〇幺一二三四五六七八九叉Xx][0-9零〇幺一二三四五六七八九叉Xx ]*")
ASR_FORBIDDEN = set("，。？！、；：,.?!;:“”‘’\"'（）()《》…—*~「」【】")

problems = []
out = []


def problem(msg):
    problems.append(msg)


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def valid_mobile(s):
    return len(s) == 11 and s[0] == "1" and s[1] in "3456789" and s.isdigit()


def valid_id(s):
    if len(s) != 18 or not s[:17].isdigit() or s[17] not in "0123456789X":
        return False
    try:
        birth = datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    if not (datetime.date(1900, 1, 1) <= birth <= datetime.date.today()):
        return False
    return ID_CHECK[sum(int(c) * w for c, w in zip(s[:17], ID_WEIGHTS)) % 11] == s[17]


def valid_card(s):
    if not (16 <= len(s) <= 19) or not s.isdigit():
        return False
    total = 0
    for i, c in enumerate(reversed(s)):
        d = int(c)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def classify(num):
    if len(num) == 11 and valid_mobile(num):
        return "mobile"
    if len(num) == 18 and valid_id(num):
        return "id"
    if valid_card(num):
        return "card"
    return None


def scan_numbers(text):
    """Long digit strings (digits, hanzi digits, spaced) in a line -> list of normalised strings."""
    found = []
    for m in DIGIT_RUN.finditer(text):
        norm = "".join(DIGIT_MAP.get(c, c) for c in m.group(0) if c != " ")
        if len(norm) >= 11:
            found.append(norm)
    return found


def main():
    calls_dir = os.path.join(ROOT, "calls")
    meta = {r["conversation"]: r for r in read_csv(os.path.join(HERE, "meta.csv"))}
    labels = read_csv(os.path.join(ROOT, "labels.csv"))
    negs = read_csv(os.path.join(ROOT, "hard_negatives.csv"))
    numbers = read_csv(os.path.join(HERE, "numbers.csv"))
    smap = {r["conversation"]: r for r in read_csv(os.path.join(HERE, "source_map.csv"))}

    files = sorted(glob.glob(os.path.join(calls_dir, "c*.txt")))
    expected = ["c%03d" % i for i in range(1, 201)]
    names = [os.path.basename(p)[:-4] for p in files]
    if names != expected:
        problem(f"call files are not exactly c001..c200 (found {len(names)})")
    if sorted(meta) != expected:
        problem("meta.csv does not list exactly c001..c200")

    # ---- rendered calls
    calls = {}
    for conv in names:
        with open(os.path.join(calls_dir, conv + ".txt"), encoding="utf-8") as f:
            raw = f.read()
        lines = raw.rstrip("\n").split("\n")
        m = meta.get(conv)
        if m is None:
            continue
        agent, cust = m["speakers"].split("/")
        if not (5 <= len(lines) <= 9):
            problem(f"{conv}: {len(lines)} lines (must be 5-9)")
        if len(lines) != len(m["speaker_pattern"]):
            problem(f"{conv}: line count differs from speaker_pattern")
        spk = []
        for i, line in enumerate(lines, 1):
            name, sep, text = line.partition("：")
            if not sep or not text.strip():
                problem(f"{conv}:{i}: not `speaker：text`")
            if name == agent:
                spk.append("A")
            elif name == cust:
                spk.append("C")
            else:
                spk.append("?")
                problem(f"{conv}:{i}: unknown speaker {name!r}")
            if m["asr"] == "yes":
                bad = sorted(set(text) & ASR_FORBIDDEN)
                if bad:
                    problem(f"{conv}:{i}: punctuation in an ASR-style call: {''.join(bad)}")
        if "".join(spk) != m["speaker_pattern"]:
            problem(f"{conv}: speakers differ from speaker_pattern")
        if "A" not in spk or "C" not in spk:
            problem(f"{conv}: both sides must speak")
        calls[conv] = {"lines": lines, "spk": spk, "texts": [l.partition("：")[2] for l in lines]}

    # ---- labels
    seen = set()
    label_by = {}
    for r in labels:
        conv, cat, kind = r["conversation"], r["category"], r["kind"]
        try:
            ln = int(r["line"])
        except ValueError:
            problem(f"labels: bad line {r}")
            continue
        if cat not in CATEGORIES:
            problem(f"labels: unknown category {cat} in {conv}")
        if kind not in ("required", "optional"):
            problem(f"labels: bad kind {kind} in {conv}")
        if (conv, cat) in seen:
            problem(f"labels: duplicate row {conv} {cat}")
        seen.add((conv, cat))
        if not r["note"].strip():
            problem(f"labels: empty note {conv} {cat}")
        c = calls.get(conv)
        if c is None:
            problem(f"labels: unknown conversation {conv}")
            continue
        if not (1 <= ln <= len(c["lines"])):
            problem(f"labels: {conv} {cat} line {ln} out of range")
            continue
        s = c["spk"][ln - 1]
        if cat.startswith("threat.") and s != "C":
            problem(f"labels: {conv}:{ln} {cat} is not on a customer line")
        if cat.startswith("taboo.") and s != "A":
            problem(f"labels: {conv}:{ln} {cat} is not on an agent line")
        if len(r["note"]) > 40:
            problem(f"labels: {conv} {cat} note too long")
        if r["note"].strip() and r["note"].strip() in c["texts"][ln - 1] and len(r["note"]) > 12:
            problem(f"labels: {conv} {cat} note copies the utterance")
        label_by.setdefault(conv, {})[cat] = (ln, kind)

    # ---- label line = first annotated utterance, rows match the sources
    src_calls = {(c["source"], c["index"]): c for c in parse_sources(HERE)}
    if len(src_calls) != 200:
        problem(f"sources hold {len(src_calls)} calls, not 200")
    for conv in names:
        sm = smap.get(conv)
        if sm is None:
            problem(f"{conv}: missing in source_map.csv")
            continue
        sc = src_calls.get((sm["source"], int(sm["index"])))
        if sc is None:
            problem(f"{conv}: source call not found")
            continue
        want = {}
        for ln, u in enumerate(sc["utts"], 1):
            for cat, kind, note in u["labels"]:
                if cat not in want:
                    want[cat] = (ln, kind)
        if want != label_by.get(conv, {}):
            problem(f"{conv}: labels.csv differs from the source annotations")
        if len(sc["utts"]) != len(calls.get(conv, {}).get("lines", [])):
            problem(f"{conv}: rendered line count differs from source")

    # ---- hard negatives
    neg_by = {}
    for r in negs:
        conv, cat = r["conversation"], r["category"]
        if cat not in CATEGORIES:
            problem(f"hard_negatives: unknown category {cat}")
        if conv not in calls:
            problem(f"hard_negatives: unknown conversation {conv}")
        if cat in neg_by.get(conv, set()):
            problem(f"hard_negatives: duplicate {conv} {cat}")
        neg_by.setdefault(conv, set()).add(cat)
        if cat in label_by.get(conv, {}):
            problem(f"hard_negatives: {conv} {cat} clashes with a label")
    for conv in names:
        if conv not in label_by and not neg_by.get(conv):
            problem(f"{conv}: no label and no hard negative")

    # ---- numbers
    num_by_line = {}
    for r in numbers:
        conv, ln = r["conversation"], int(r["line"])
        v = r["value"]
        kind = r["kind"]
        ok = {"mobile": valid_mobile, "id": valid_id, "card": valid_card}.get(kind, lambda s: bool(s))(v)
        if not ok:
            problem(f"numbers: invalid {kind} {v} in {conv}:{ln}")
        c = calls.get(conv)
        if c is None or ln > len(c["texts"]) or r["rendered"] not in c["texts"][ln - 1]:
            problem(f"numbers: {conv}:{ln} rendered form not found in the line")
        num_by_line.setdefault((conv, ln), []).append(r)

    unmasked_lines = {}
    for conv, c in calls.items():
        for ln, text in enumerate(c["texts"], 1):
            found = scan_numbers(text)
            for n in found:
                if classify(n) is None:
                    problem(f"{conv}:{ln}: long number {n} is not a valid mobile/ID/card")
            recs = num_by_line.get((conv, ln), [])
            n_unmasked_recs = sum(1 for r in recs if r["form"] == "unmasked" and r["kind"] != "addr")
            if len(found) != n_unmasked_recs:
                problem(f"{conv}:{ln}: scanned {len(found)} unmasked numbers, build recorded {n_unmasked_recs}")
            has_addr = any(r["kind"] == "addr" for r in recs)
            if found or has_addr:
                unmasked_lines[(conv, ln)] = c["spk"][ln - 1]

    # every agent line with an unmasked number / third-party address is covered by a privacy label,
    # every privacy label sits on such a line
    for (conv, ln), s in sorted(unmasked_lines.items()):
        if s != "A":
            continue
        lab = label_by.get(conv, {}).get("taboo.privacy")
        if lab is None or lab[0] > ln:
            problem(f"{conv}:{ln}: agent reads an unmasked number/address without a privacy label")
    for conv, cats in label_by.items():
        if "taboo.privacy" in cats:
            ln = cats["taboo.privacy"][0]
            if unmasked_lines.get((conv, ln)) != "A":
                problem(f"{conv}:{ln}: privacy label without an unmasked number or third-party address on an agent line")
        if "taboo.privacy" in neg_by.get(conv, set()):
            pass

    # ---- counts
    req = {c: 0 for c in CATEGORIES}
    opt = {c: 0 for c in CATEGORIES}
    hn = {c: 0 for c in CATEGORIES}
    for conv, cats in label_by.items():
        for cat, (ln, kind) in cats.items():
            (req if kind == "required" else opt)[cat] += 1
    for conv, cats in neg_by.items():
        for cat in cats:
            hn[cat] += 1
    out.append("category                required optional hard_neg")
    for c in CATEGORIES:
        out.append(f"{c:22s} {req[c]:9d} {opt[c]:8d} {hn[c]:8d}")
        if not (17 <= req[c] <= 25):
            problem(f"counts: {c} has {req[c]} required labels (want 17-25)")
    out.append(f"{'total':22s} {sum(req.values()):9d} {sum(opt.values()):8d} {sum(hn.values()):8d}")
    with_label = len(label_by)
    asr = sum(1 for m in meta.values() if m["asr"] == "yes")
    out.append(f"calls {len(calls)}; with labels {with_label}; without {len(calls) - with_label}; "
               f"ASR-style {asr}; sectors {len({m['sector'] for m in meta.values()})}; "
               f"speaker pairs {len({m['speakers'] for m in meta.values()})}")
    n_nums = len(numbers)
    out.append(f"personal numbers/addresses filled: {n_nums} "
               f"({sum(1 for r in numbers if r['form'] == 'unmasked')} unmasked)")

    if problems:
        out.append("PROBLEMS:")
        out.extend("  " + p for p in problems)
        out.append(f"{len(problems)} problem(s)")
    else:
        out.append("OK")
    text = "\n".join(out) + "\n"
    with open(os.path.join(HERE, "check_output.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    print(text, end="")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
