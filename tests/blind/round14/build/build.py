#!/usr/bin/env python3
"""Render the hand-written sources (build/src*.txt) into the blind set.

Outputs (all under /work/blind14):
  calls/c001.txt .. c200.txt   one utterance per line, `speaker：text`
  labels.csv                   conversation,category,line,kind,note
  hard_negatives.csv           conversation,category
  build/meta.csv               conversation,sector,speakers,asr,speaker_pattern
  build/numbers.csv            every personal number / address filled in (for check.py)
  build/source_map.csv         conversation -> source file and position
  README.md                    description and counts

Run:  cd /work/blind14/build && nice python3 build.py
"""
import csv
import datetime
import glob
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

CATEGORIES = [
    "threat.regulator", "threat.media", "threat.online", "threat.protest",
    "threat.legal", "threat.management", "threat.safety", "threat.repeat",
    "threat.extreme",
    "taboo.overpromise", "taboo.admit_defect", "taboo.privacy",
    "taboo.impatience", "taboo.withdraw", "taboo.incite", "taboo.deflect",
]

SHUFFLE_SEED = 20261201
NUMBER_SEED = 20261202

PLACEHOLDER = re.compile(
    r"\{(MOBILE|ID|CARD|ADDR)(?:_(DIGITS|SPACED|HANZI|MASKED|TAIL|TAILHANZI))?(?:#(\w+))?\}")
UNMASKED_FORMS = {"DIGITS", "SPACED", "HANZI"}


class SourceError(Exception):
    pass


# ---------------------------------------------------------------- parsing
def parse_sources(directory=HERE):
    calls = []
    paths = sorted(glob.glob(os.path.join(directory, "src*.txt")))
    if not paths:
        raise SourceError("no build/src*.txt found")
    for path in paths:
        src = os.path.basename(path)
        cur = None
        index = 0
        with open(path, encoding="utf-8") as f:
            for ln, raw in enumerate(f, 1):
                line = raw.rstrip("\n").rstrip()
                where = f"{src}:{ln}"
                if not line.strip():
                    continue
                if line.startswith("@"):
                    parts = line[1:].split()
                    if len(parts) not in (2, 3) or "/" not in parts[1]:
                        raise SourceError(f"{where}: bad header {line!r}")
                    if len(parts) == 3 and parts[2] != "asr":
                        raise SourceError(f"{where}: third header field must be 'asr'")
                    agent, cust = parts[1].split("/", 1)
                    if not agent or not cust or agent == cust:
                        raise SourceError(f"{where}: bad speaker pair {parts[1]!r}")
                    index += 1
                    cur = {"source": src, "index": index, "where": where,
                           "sector": parts[0], "agent": agent, "customer": cust,
                           "asr": len(parts) == 3, "utts": [], "negs": []}
                    calls.append(cur)
                    continue
                if cur is None:
                    raise SourceError(f"{where}: text before the first header")
                if line.startswith("# neg:"):
                    for c in line[len("# neg:"):].split(","):
                        c = c.strip()
                        if c:
                            if c not in CATEGORIES:
                                raise SourceError(f"{where}: unknown hard-negative category {c!r}")
                            cur["negs"].append(c)
                    continue
                if line.startswith("#"):
                    continue
                if line[:2] not in ("A：", "C："):
                    raise SourceError(f"{where}: utterance must start with A： or C：")
                segs = line[2:].split(" || ")
                text = segs[0].strip()
                if not text:
                    raise SourceError(f"{where}: empty utterance")
                labels = []
                for s in segs[1:]:
                    s = s.strip()
                    kind = "required"
                    if s.startswith("?"):
                        kind, s = "optional", s[1:]
                    cat, _, note = s.partition(":")
                    cat = cat.strip()
                    if cat not in CATEGORIES:
                        raise SourceError(f"{where}: unknown category {cat!r}")
                    labels.append((cat, kind, note.strip()))
                cur["utts"].append({"spk": line[0], "text": text, "labels": labels})
    return calls


# ---------------------------------------------------------------- numbers
AREA_CODES = ["110105", "110108", "310104", "310115", "440305", "440106", "320102",
              "330106", "420106", "510104", "370202", "610113", "500103", "210102",
              "350203", "430104", "410105", "120103"]
CARD_PREFIXES = ["622202", "621700", "622848", "621226", "622588", "622700", "621483",
                 "623052", "622908", "621661"]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
COMMUNITIES = ["锦绣花园", "阳光新城", "翠湖苑", "金桂小区", "滨江华庭", "东方明珠苑",
               "紫荆家园", "望江公寓", "春晖里", "梧桐雅居"]
HZ = dict(zip("0123456789", "零一二三四五六七八九"))


def id_check_digit(first17):
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def luhn_ok(digits):
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_complete(partial):
    for d in "0123456789":
        if luhn_ok(partial + d):
            return partial + d
    raise AssertionError


MOBILE_PREFIXES = ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
                   "147", "150", "151", "152", "153", "155", "156", "157", "158", "159",
                   "166", "173", "176", "177", "178", "180", "181", "182", "183", "185",
                   "186", "187", "188", "189", "191", "195", "198", "199"]


def gen_mobile(rng):
    return rng.choice(MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))


def gen_id(rng):
    start = datetime.date(1950, 1, 1).toordinal()
    end = datetime.date(2004, 12, 31).toordinal()
    birth = datetime.date.fromordinal(rng.randint(start, end))
    first17 = rng.choice(AREA_CODES) + birth.strftime("%Y%m%d") + "%03d" % rng.randint(1, 999)
    return first17 + id_check_digit(first17)


def gen_card(rng):
    length = rng.choice([16, 19])
    body = rng.choice(CARD_PREFIXES)
    while len(body) < length - 1:
        body += rng.choice("0123456789")
    return luhn_complete(body)


def gen_addr(rng):
    return "%s%d栋%d单元%d%02d室" % (rng.choice(COMMUNITIES), rng.randint(1, 28),
                                  rng.randint(1, 4), rng.randint(2, 26), rng.randint(1, 4))


def hanzi(s, yao):
    out = []
    for c in s:
        if c in "Xx":
            out.append("叉")
        elif c == "1" and yao:
            out.append("幺")
        else:
            out.append(HZ[c])
    return "".join(out)


def render_number(kind, form, value, yao):
    if kind == "ADDR":
        return value
    if form == "DIGITS":
        return value
    if form == "HANZI":
        return hanzi(value, yao)
    if form == "TAIL":
        return value[-4:]
    if form == "TAILHANZI":
        return hanzi(value[-4:], yao)
    if form == "SPACED":
        if kind == "MOBILE":
            return f"{value[:3]} {value[3:7]} {value[7:]}"
        if kind == "ID":
            return f"{value[:6]} {value[6:14]} {value[14:]}"
        return " ".join(value[i:i + 4] for i in range(0, len(value), 4))
    if form == "MASKED":
        if kind == "MOBILE":
            return value[:3] + "****" + value[-4:]
        if kind == "ID":
            return value[:4] + "*" * 10 + value[-4:]
        return value[:4] + " **** **** " + value[-4:]
    raise ValueError(form)


GENERATORS = {"MOBILE": gen_mobile, "ID": gen_id, "CARD": gen_card, "ADDR": gen_addr}


def fill_call(call, rng):
    """Replace placeholders; return rendered texts and number records."""
    tagged = {}
    records = []
    texts = []
    for ln, u in enumerate(call["utts"], 1):
        def repl(m):
            kind, form, tag = m.group(1), m.group(2) or "DIGITS", m.group(3)
            if kind == "ADDR":
                form = "DIGITS"
            key = (kind, tag)
            if tag and key in tagged:
                value, yao = tagged[key]
            else:
                value = GENERATORS[kind](rng)
                yao = True if kind == "MOBILE" else rng.random() < 0.6
                if tag:
                    tagged[key] = (value, yao)
            rendered = render_number(kind, form, value, yao)
            records.append({"line": ln, "speaker": u["spk"], "kind": kind.lower(),
                            "form": "unmasked" if form in UNMASKED_FORMS else "masked",
                            "style": form.lower(), "value": value, "rendered": rendered})
            return rendered
        texts.append(PLACEHOLDER.sub(repl, u["text"]))
        if "{" in texts[-1] or "}" in texts[-1]:
            raise SourceError(f"{call['where']}: unfilled placeholder in line {ln}")
    return texts, records


# ---------------------------------------------------------------- build
def build():
    calls = parse_sources()
    random.seed(SHUFFLE_SEED)
    random.shuffle(calls)
    rng = random.Random(NUMBER_SEED)

    calls_dir = os.path.join(ROOT, "calls")
    os.makedirs(calls_dir, exist_ok=True)
    for old in glob.glob(os.path.join(calls_dir, "c*.txt")):
        os.remove(old)

    label_rows, neg_rows, meta_rows, num_rows, map_rows = [], [], [], [], []
    for i, call in enumerate(calls, 1):
        conv = "c%03d" % i
        call["conv"] = conv
        texts, records = fill_call(call, rng)
        lines = []
        for u, t in zip(call["utts"], texts):
            spk = call["agent"] if u["spk"] == "A" else call["customer"]
            lines.append(f"{spk}：{t}")
        with open(os.path.join(calls_dir, conv + ".txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        seen = {}
        for ln, u in enumerate(call["utts"], 1):
            for cat, kind, note in u["labels"]:
                if cat in seen:
                    raise SourceError(f"{call['where']}: category {cat} annotated twice "
                                      f"(lines {seen[cat]} and {ln}); annotate only the first")
                seen[cat] = ln
                label_rows.append([conv, cat, ln, kind, note])
        for cat in dict.fromkeys(call["negs"]):
            neg_rows.append([conv, cat])
        meta_rows.append([conv, call["sector"], f"{call['agent']}/{call['customer']}",
                          "yes" if call["asr"] else "no",
                          "".join(u["spk"] for u in call["utts"])])
        for r in records:
            num_rows.append([conv, r["line"], r["speaker"], r["kind"], r["form"], r["style"],
                             r["value"], r["rendered"]])
        map_rows.append([conv, call["source"], call["index"]])

    label_rows.sort(key=lambda r: (r[0], r[2], CATEGORIES.index(r[1])))

    def write(path, header, rows):
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    write(os.path.join(ROOT, "labels.csv"), ["conversation", "category", "line", "kind", "note"], label_rows)
    write(os.path.join(ROOT, "hard_negatives.csv"), ["conversation", "category"], neg_rows)
    write(os.path.join(HERE, "meta.csv"),
          ["conversation", "sector", "speakers", "asr", "speaker_pattern"], meta_rows)
    write(os.path.join(HERE, "numbers.csv"),
          ["conversation", "line", "speaker", "kind", "form", "style", "value", "rendered"], num_rows)
    write(os.path.join(HERE, "source_map.csv"), ["conversation", "source", "index"], map_rows)
    write_readme(calls, label_rows, neg_rows, meta_rows)
    print(f"built {len(calls)} calls, {len(label_rows)} label rows, {len(neg_rows)} hard negatives")


def write_readme(calls, label_rows, neg_rows, meta_rows):
    req = {c: 0 for c in CATEGORIES}
    opt = {c: 0 for c in CATEGORIES}
    neg = {c: 0 for c in CATEGORIES}
    for conv, cat, ln, kind, note in label_rows:
        (req if kind == "required" else opt)[cat] += 1
    for conv, cat in neg_rows:
        neg[cat] += 1
    labelled = {r[0] for r in label_rows}
    labelled_req = {r[0] for r in label_rows if r[3] == "required"}
    n = len(calls)
    asr = sum(1 for m in meta_rows if m[3] == "yes")
    sectors = sorted({m[1] for m in meta_rows})
    pairs = {}
    for m in meta_rows:
        pairs[m[2]] = pairs.get(m[2], 0) + 1
    lengths = [len(c["utts"]) for c in calls]

    out = []
    out.append("# Blind set 14 (callrisk)\n")
    out.append("A blind, hand-written test set of 200 invented Chinese customer-service calls, "
               "labelled for the 16 risk categories (customer threats and agent taboos).\n")
    out.append("**Never tune on this set; read only overall figures.**\n")
    out.append("## Sources read\n")
    out.append("Exactly two files were read to write this set:\n")
    out.append("- `/work/shared/docs/RISK_CATEGORIES.md` (the specification)")
    out.append("- `/work/main/tests/devset/GUIDELINES.md` (labelling format and conventions)\n")
    out.append("Nothing else under /work/main, /work/shared or any other blind set was opened; "
               "callrisk and cargo were not run; no search tool was used. Every call was invented.\n")
    out.append("## Contents\n")
    out.append("- `calls/c001.txt … c200.txt` — one utterance per line, `speaker：text` (full-width colon), "
               "%d–%d lines per call." % (min(lengths), max(lengths)))
    out.append("- `labels.csv` — `conversation,category,line,kind,note`; one row per (call, category), "
               "`line` = 1-based line of the first utterance carrying the category; kind required/optional.")
    out.append("- `hard_negatives.csv` — `conversation,category`: calls with a trap for that category "
               "which must NOT be reported.")
    out.append("- `build/src01.txt …` — hand-written sources; `build/build.py` renders them "
               "(fills personal numbers, shuffles with `random.seed(%d)`); `build/check.py` checks them "
               "and writes `build/check_output.txt`." % SHUFFLE_SEED)
    out.append("- `build/meta.csv` — `conversation,sector,speakers,asr,speaker_pattern` "
               "(pattern = A/C sequence of agent and customer turns); `build/numbers.csv` and "
               "`build/source_map.csv` are build by-products used by the checker.\n")
    out.append("Rebuild and check: `cd /work/blind14/build && nice python3 build.py && nice python3 check.py`\n")
    out.append("## Counts per category\n")
    out.append("| category | required | optional | hard negatives |")
    out.append("|---|---:|---:|---:|")
    for c in CATEGORIES:
        out.append(f"| `{c}` | {req[c]} | {opt[c]} | {neg[c]} |")
    out.append(f"| **total** | **{sum(req.values())}** | **{sum(opt.values())}** | **{sum(neg.values())}** |\n")
    out.append(f"- Calls: {n}; with at least one label: {len(labelled)} "
               f"(with a required label: {len(labelled_req)}); without any label: {n - len(labelled)}.")
    out.append(f"- Every call without a label is listed in `hard_negatives.csv` for the categories it traps; "
               f"calls listed there: {len({r[0] for r in neg_rows})}.")
    out.append(f"- ASR-style calls (no punctuation, spaces at pauses, fillers, hanzi digits incl. 幺, "
               f"repetitions, run-on clauses, a few homophone slips): {asr}; written-chat/clean transcripts: {n - asr}.")
    out.append(f"- Sectors: {len(sectors)} distinct: " + ", ".join(sectors) + ".")
    out.append(f"- Speaker pairs (agent/customer): {len(pairs)} distinct: " +
               ", ".join(f"{k} ({v})" for k, v in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))) + ".\n")
    out.append("## Personal numbers\n")
    out.append("Sources carry placeholders (`{MOBILE}`, `{ID}`, `{CARD}`, `{ADDR}` with forms `_SPACED`, "
               "`_HANZI`, `_MASKED`, `_TAIL`, `_TAILHANZI`, and `#tag` to reuse one value in a call). "
               "build.py fills them with seed %d: mobiles 1[3-9]+9 digits (real 13x-19x prefixes); ID numbers with a real birth date "
               "and a correct ISO 7064 MOD 11-2 check digit; bank cards passing Luhn; written as digits, "
               "spaced groups or hanzi digits (1 read as 幺 or 一, X as 叉). Masked forms "
               "(138****1234, 尾号…) are never privacy findings.\n" % NUMBER_SEED)
    out.append("## Labelling notes\n")
    out.append("Labelled strictly by RISK_CATEGORIES.md and GUIDELINES.md:\n")
    out.append("- Threats only on customer lines, in the customer's own words, as something done, being done "
               "or to be done; conditional threats (不…就…) count. Taboos only on agent lines.")
    out.append("- `threat.regulator`: only official external channels (12315, 12345, 消协/消费者协会/消委会, "
               "市场监管局, 工信部/通信管理局, and sector regulators or their hotlines: 12378 and 金融监管局 for "
               "banking/insurance, 12386 for securities, 人民银行, 12320/卫健委 for health, 12328/交通运输局, "
               "民航局, 教育局, 住建局, 邮政局 complaints, 药监). The company's own hotline (12306, in-app feedback, "
               "公众号), the tax service line 12366 used for a question, and a vague 我要投诉 are not. A customer who "
               "says they already complained to such a channel is counted; a customer who turns down a channel "
               "the agent suggested is a hard negative. Calling 12345 itself (the call happens on that hotline) "
               "is a hard negative, not a threat.")
    out.append("- `threat.media` covers journalists, TV/radio/newspaper hotlines, named consumer TV shows, "
               "315/CCTV programmes, bloggers with a following (self-media). `threat.online` covers posting on "
               "platforms (微博, 抖音, 快手, 小红书, B站, 知乎, 贴吧, 黑猫/聚投诉, 大众点评, 朋友圈, 视频号, "
               "forums, 车质网, 公众号, live streams). Reading a platform, using an app, or the chat platform "
               "itself are not.")
    out.append("- `threat.protest`: on-site actions (banners 横幅/条幅/白布, sitting in, blocking doors, "
               "placards, wreaths, going to the shop/HQ to make a scene, piling damaged goods at the door). "
               "`threat.management`: demands for leaders, managers, 店长/院长/行长/总部/制作人/负责人; the "
               "agent's own 请示领导 and job titles mentioned without a demand are not.")
    out.append("- `threat.safety`: an actual incident (fire, smoke, explosion, swelling battery, electric "
               "shock, scalding, gas leak, brake failure, child hurt or trapped, food poisoning). Merely warm "
               "devices, fears and hypotheticals are not. Borderline harms (allergy, a cut from a spring, a ride "
               "stopping mid-air) are optional.")
    out.append("- `threat.repeat`: the customer says they complained/called/came several times or that the "
               "problem has gone unresolved through earlier contacts; settled earlier complaints, first calls "
               "and repeating a sentence inside the call are hard negatives.")
    out.append("- `threat.extreme`: self-harm (跳楼, 喝农药, 不活了, taking a child along) and violence "
               "(砸, 弄死, 揍, 菜刀, 放火, 偿命). Idioms (气死/热死/笑死), 跳楼价 and game skills are hard negatives.")
    out.append("- `taboo.overpromise`: guaranteed outcomes beyond the agent's control (保证/一定/肯定/百分之百/"
               "打包票/工资担保 … + result or deadline). Statements of fact (肯定在保修期内), own effort "
               "(尽量/争取), conditional policy and colleagues' quoted promises are not.")
    out.append("- `taboo.admit_defect`: the agent concedes a product defect without a test verdict "
               "(确实有问题, 通病, 设计缺陷, 那批…, bug). Negated, hypothetical, and admissions of a service "
               "error (wrong delivery, installer's mistake, system double-charge) are not.")
    out.append("- `taboo.privacy`: an agent line with an unmasked full mobile, ID or bank card (the customer's "
               "or a third party's), or a third party's address. Masked forms and numbers the customer reads "
               "are hard negatives.")
    out.append("- `taboo.withdraw`: asking the customer to withdraw, reclassify, not file or not escalate a "
               "complaint (incl. 'tell the regulator's follow-up call it is solved'). Other senses (撤销订单/"
               "分期/兑换/报关申请) and a customer withdrawing on their own are hard negatives.")
    out.append("- `taboo.incite`: the agent points to an external complaint channel or dares/invites a complaint "
               "(去12315, 去告吧, 你尽管去, 要不您投诉一下). Internal channels (App 售后, 家委会, 医务科) and "
               "acknowledging a ticket transferred from a regulator are hard negatives.")
    out.append("- `taboo.deflect`: shirking responsibility (不归我们管, 找厂家/网点/骑手/第三方, 跟我没关系). "
               "Routing that the agent actively handles is a hard negative.")
    out.append("- `taboo.impatience`: rude or impatient agent language; the same words from a customer, or an "
               "agent patiently repeating instructions, are hard negatives.")
    out.append("- Homophone slips (ASR calls) keep their label where a reviewer would still act: 公信部 (工信部), "
               "小红薯 (小红书), 暴光 (曝光), 电视抬 (电视台), 律诗 (律师), 中裁 (仲裁), 保正 (保证). Run-on clauses "
               "join a negation to a real threat (我不是吓唬你这礼拜还不到我就打…) or to a harmless clause "
               "(我也不想去工信部申诉那个太麻烦了…).")
    out.append("- Optional rows mark real doubt only (e.g. a relative's stated plan, an allergy, a quasi-factual "
               "百分之百正品, a rhetorical 你以为我不敢).")
    out.append("- Hard negatives follow the traps of the specification: negation, hypotheticals, declined or "
               "retracted threats, someone else's words (colleagues, relatives, neighbours, scammers, news), "
               "other senses of the words (曝光补偿, 报警器, 横幅广告/通知横幅, 住高层, 领导力, 跳楼价, 告诉, "
               "撤销订单), the wrong speaker, masked numbers and numbers read by the customer, settled matters "
               "and job titles without a demand. Traps also sit inside labelled calls (listed for categories "
               "that call does not carry).\n")
    with open(os.path.join(ROOT, "README.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    try:
        build()
    except SourceError as e:
        print("SOURCE ERROR:", e)
        sys.exit(1)
