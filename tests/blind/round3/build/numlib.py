"""Personal-number helpers shared by gen.py and check.py (blind3 build)."""
import datetime
import random
import re

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"

# a few real-looking (invented) area codes: province+city+district
AREAS = ["110105", "310115", "440106", "330106", "510107", "420111", "320102",
         "370202", "610113", "350203", "430104", "500103", "210202", "410105",
         "130104", "450103", "530102", "340104", "360102", "220104"]


def id_check_digit(body17):
    s = sum(int(c) * w for c, w in zip(body17, ID_WEIGHTS))
    return ID_CHECK[s % 11]


def id_valid(s):
    s = s.upper()
    if not re.fullmatch(r"\d{17}[\dX]", s):
        return False
    try:
        datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    if not 1900 <= int(s[6:10]) <= 2026:
        return False
    return id_check_digit(s[:17]) == s[17]


def luhn_valid(s):
    if not re.fullmatch(r"\d{13,19}", s):
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


def mobile_valid(s):
    return bool(re.fullmatch(r"1[3-9]\d{9}", s))


def rand_id(rng, lo=1955, hi=2002, sex=None):
    area = rng.choice(AREAS)
    start = datetime.date(lo, 1, 1)
    d = start + datetime.timedelta(days=rng.randrange(0, 365 * (hi - lo)))
    seq = rng.randrange(0, 1000)
    if sex == "M" and seq % 2 == 0:
        seq = (seq + 1) % 1000
    if sex == "F" and seq % 2 == 1:
        seq = seq - 1
    body = area + d.strftime("%Y%m%d") + "%03d" % seq
    return body + id_check_digit(body)


CARD_BINS = ["622202", "621700", "622848", "621226", "622588", "625802",
             "623668", "621483", "622609", "436742", "622262", "621661"]


def rand_card(rng):
    length = rng.choice([16, 19, 19, 16, 19])
    body = rng.choice(CARD_BINS)
    while len(body) < length - 1:
        body += str(rng.randrange(10))
    for c in "0123456789":
        if luhn_valid(body + c):
            return body + c
    raise RuntimeError


def rand_mobile(rng):
    pre = rng.choice(["13", "15", "18", "17", "19", "16", "14"])
    third = {"13": "0123456789", "15": "012356789", "18": "0123456789",
             "17": "35678", "19": "1389", "16": "6", "14": "579"}[pre]
    return pre + rng.choice(third) + "".join(str(rng.randrange(10)) for _ in range(8))


HZ = {"0": "零", "1": "一", "2": "二", "3": "三", "4": "四", "5": "五",
      "6": "六", "7": "七", "8": "八", "9": "九", "X": "叉"}
HZ_YAO = dict(HZ, **{"1": "幺"})
HZ_DONG = dict(HZ_YAO, **{"0": "洞", "7": "拐"})


def fmt(num, style):
    """style: a=arabic, s=spaced groups, h=hanzi(一), y=hanzi with 幺, yd=幺/洞/拐,
    hs/ys = hanzi spaced groups, d=dashed, m=mixed."""
    if len(num) == 11:
        groups = [num[:3], num[3:7], num[7:]]
    elif len(num) == 18:
        groups = [num[:6], num[6:14], num[14:]]
    else:
        groups = [num[i:i + 4] for i in range(0, len(num), 4)]
    if style == "a":
        return num
    if style == "s":
        return " ".join(groups)
    if style == "d":
        return "-".join(groups)
    if style == "h":
        return "".join(HZ[c] for c in num)
    if style == "y":
        return "".join(HZ_YAO[c] for c in num)
    if style == "yd":
        return "".join(HZ_DONG[c] for c in num)
    if style == "hs":
        return " ".join("".join(HZ[c] for c in g) for g in groups)
    if style == "ys":
        return " ".join("".join(HZ_YAO[c] for c in g) for g in groups)
    if style == "yc":  # hanzi groups joined by Chinese comma
        return "，".join("".join(HZ_YAO[c] for c in g) for g in groups)
    if style == "m":  # first group arabic, rest hanzi
        return groups[0] + " " + " ".join("".join(HZ_YAO[c] for c in g) for g in groups[1:])
    raise ValueError(style)


REV = {"零": "0", "〇": "0", "洞": "0", "一": "1", "幺": "1", "二": "2", "两": "2",
       "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "拐": "7", "八": "8",
       "九": "9", "勾": "9", "叉": "X", "x": "X", "X": "X"}


def digit_runs(text):
    """Return digit strings found in text, joining groups separated by spaces,
    hyphens or Chinese commas, after mapping hanzi digits to arabic."""
    t = "".join(REV.get(c, c) if c in "零〇洞一幺二两三四五六七拐八九勾" else c for c in text)
    # X / 叉 only as ID tail: map 叉 -> X
    t = t.replace("叉", "X")
    runs = []
    for m in re.finditer(r"\d(?:[\d]|[ \-，,](?=\d)|X(?![A-Za-z]))*", t):
        s = re.sub(r"[ \-，,]", "", m.group(0))
        runs.append(s)
    return runs


def classify(run):
    """Return list of (kind, number) for valid personal numbers inside a run."""
    found = []
    r = run.upper()
    if len(r) == 18 and id_valid(r):
        found.append(("id", r))
    elif re.fullmatch(r"\d+", r) and 13 <= len(r) <= 19 and luhn_valid(r):
        found.append(("card", r))
    elif re.fullmatch(r"\d+", r) and len(r) == 11 and mobile_valid(r):
        found.append(("mobile", r))
    return found
