#!/usr/bin/env python3
"""Checker for /work/blind7 (reads only the output files and build/meta.csv)."""
import csv, os, re, sys, collections, datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATS = ['threat.regulator', 'threat.media', 'threat.online', 'threat.protest', 'threat.legal',
        'threat.management', 'threat.safety', 'threat.repeat', 'threat.extreme',
        'taboo.overpromise', 'taboo.admit_defect', 'taboo.privacy', 'taboo.impatience',
        'taboo.withdraw', 'taboo.incite', 'taboo.deflect']
HEAVY = {'threat.online', 'threat.protest', 'threat.regulator', 'threat.extreme', 'threat.repeat',
         'taboo.admit_defect', 'taboo.withdraw', 'taboo.deflect'}
AGENTS = {'客服', '话务员', '坐席', '管家', '售后', '专员', '快递员', '护士', '工作人员', '老师', '柜员',
          '顾问', '骑手', '前台', '店长', '店员', '教练', '经纪人'}
CUSTOMERS = {'客户', '用户', '来电人', '业主', '买家', '车主', '收件人', '家属', '市民', '家长', '储户',
             '乘客', '会员', '顾客', '租客', '玩家', '游客', '客人', '患者', '学员', '农户', '货主', '雇主'}
HZ = {'零': '0', '〇': '0', '一': '1', '幺': '1', '二': '2', '两': '2', '三': '3', '四': '4', '五': '5',
      '六': '6', '七': '7', '八': '8', '九': '9', '叉': 'X'}
errors = []
def err(msg): errors.append(msg)

def luhn(s):
    tot = 0
    for i, ch in enumerate(reversed(s)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9: n -= 9
        tot += n
    return tot % 10 == 0

def id_ok(s):
    if not re.fullmatch(r'\d{17}[\dX]', s): return False
    try: datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError: return False
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return '10X98765432'[sum(int(a) * b for a, b in zip(s[:17], w)) % 11] == s[17]

def numbers(text):
    """Long digit runs (arabic or hanzi, single spaces/hyphens allowed inside)."""
    t = ''.join(HZ.get(ch, ch) for ch in text)
    out = []
    for m in re.finditer(r'[0-9X](?:[ \-]?[0-9X])*', t):
        s = re.sub(r'[ \-]', '', m.group())
        if sum(ch.isdigit() for ch in s) >= 11:
            out.append(s)
    return out

def classify(s):
    if len(s) == 11 and s.isdigit(): return 'mobile' if re.fullmatch(r'1[3-9]\d{9}', s) else None
    if len(s) == 18 and id_ok(s): return 'id'
    if len(s) in (16, 19) and s.isdigit() and luhn(s): return 'card'
    return None

# ---- calls
files = sorted(f for f in os.listdir(os.path.join(ROOT, 'calls')) if f.endswith('.txt'))
expect = ['c%03d.txt' % i for i in range(1, 201)]
if files != expect: err(f'call files: {len(files)} found, names differ from c001..c200')
calls = {}
asr = 0; num_count = collections.Counter()
for fn in files:
    cid = fn[:-4]
    lines = open(os.path.join(ROOT, 'calls', fn), encoding='utf-8').read().rstrip('\n').split('\n')
    if not 4 <= len(lines) <= 20: err(f'{cid}: {len(lines)} lines')
    roles = []; sp = set()
    for i, l in enumerate(lines, 1):
        if '：' not in l: err(f'{cid}:{i} no full-width colon'); roles.append('?'); continue
        s, text = l.split('：', 1)
        if not text.strip(): err(f'{cid}:{i} empty text')
        sp.add(s)
        roles.append('agent' if s in AGENTS else 'customer' if s in CUSTOMERS else '?')
        if roles[-1] == '?': err(f'{cid}:{i} unknown speaker {s}')
        for n in numbers(text):
            k = classify(n)
            if not k: err(f'{cid}:{i} invalid long number {n}')
            else: num_count[k] += 1
    if len(sp) != 2 or len({r for r in roles}) != 2: err(f'{cid}: speakers {sp}')
    body = ''.join(l.split('：', 1)[-1] for l in lines)
    is_asr = not re.search(r'[，。？！、；：…“”"（）《》,.?!;]', body)
    asr += is_asr
    calls[cid] = (lines, roles, is_asr)

# ---- labels
labels = list(csv.reader(open(os.path.join(ROOT, 'labels.csv'), encoding='utf-8')))
if labels[0] != ['conversation', 'category', 'line', 'kind', 'note']: err('labels.csv header')
seen = set(); req = collections.Counter(); opt = collections.Counter(); labelled = set()
for row in labels[1:]:
    if len(row) != 5: err(f'label row {row}'); continue
    cid, cat, ln, kind, note = row
    if cid not in calls: err(f'label for unknown call {cid}'); continue
    if cat not in CATS: err(f'{cid}: bad category {cat}')
    if kind not in ('required', 'optional'): err(f'{cid}: bad kind {kind}')
    if (cid, cat) in seen: err(f'{cid}: duplicate {cat}')
    seen.add((cid, cat)); labelled.add(cid)
    if not note.strip(): err(f'{cid}: empty note')
    ln = int(ln); lines, roles, _ = calls[cid]
    if not 1 <= ln <= len(lines): err(f'{cid}: line {ln} out of range'); continue
    want = 'customer' if cat.startswith('threat.') else 'agent'
    if roles[ln - 1] != want: err(f'{cid}:{ln} {cat} on a {roles[ln-1]} line')
    if cat == 'taboo.privacy':
        text = lines[ln - 1].split('：', 1)[1]
        if not numbers(text) and not re.search(r'(住|地址|栋|小区|路)', text):
            err(f'{cid}:{ln} privacy label without number or address')
    (req if kind == 'required' else opt)[cat] += 1

# agent lines with a full number must carry a privacy label (at or after first label line)
for cid, (lines, roles, _) in calls.items():
    for i, (l, r) in enumerate(zip(lines, roles), 1):
        if r == 'agent' and numbers(l.split('：', 1)[1]) and (cid, 'taboo.privacy') not in seen:
            err(f'{cid}:{i} agent reads a full number but no privacy label')

# ---- hard negatives
hn = list(csv.reader(open(os.path.join(ROOT, 'hard_negatives.csv'), encoding='utf-8')))
if hn[0] != ['conversation', 'category']: err('hard_negatives.csv header')
hnc = collections.Counter(); hseen = set(); hcalls = set()
for cid, cat in hn[1:]:
    if cid not in calls: err(f'hn unknown call {cid}')
    if cat not in CATS: err(f'hn bad category {cat}')
    if (cid, cat) in seen: err(f'hn clash with label {cid} {cat}')
    if (cid, cat) in hseen: err(f'hn duplicate {cid} {cat}')
    hseen.add((cid, cat)); hnc[cat] += 1; hcalls.add(cid)
clean = [c for c in calls if c not in labelled]
for c in clean:
    if c not in hcalls: err(f'{c}: unlabelled call not listed in hard_negatives.csv')

# ---- minima
for cat in CATS:
    need = 22 if cat in HEAVY else 15
    if req[cat] < need: err(f'{cat}: {req[cat]} required < {need}')
    if hnc[cat] < 8: err(f'{cat}: {hnc[cat]} hard negatives < 8')
if len(clean) < 60: err(f'only {len(clean)} unlabelled calls')
if asr < 60: err(f'only {asr} ASR-style calls')
meta = list(csv.DictReader(open(os.path.join(ROOT, 'build', 'meta.csv'), encoding='utf-8')))
sectors = {m['sector'] for m in meta}
if len(sectors) < 20: err(f'only {len(sectors)} sectors')
pairs = collections.Counter(tuple(sorted({l.split('：', 1)[0] for l in calls[c][0]})) for c in calls)

print(f"{'category':22s} {'required':>8s} {'optional':>8s} {'hard_neg':>8s}")
for cat in CATS:
    print(f'{cat:22s} {req[cat]:8d} {opt[cat]:8d} {hnc[cat]:8d}')
print(f"{'total':22s} {sum(req.values()):8d} {sum(opt.values()):8d} {sum(hnc.values()):8d}")
print(f'calls {len(calls)}, labelled {len(labelled)}, unlabelled (hard-negative only) {len(clean)}, '
      f'ASR-style {asr}, sectors {len(sectors)}, 客服/客户 pairs {pairs[("客户", "客服")]}, '
      f'speaker pairs {len(pairs)}, numbers {dict(num_count)}')
if errors:
    print('ERRORS:'); [print('  ' + e) for e in errors]; sys.exit(1)
print('CHECK OK')
