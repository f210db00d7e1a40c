#!/usr/bin/env python3
"""Checker for blind set round 9. Prints counts and OK / list of problems."""
import csv, os, re, sys, collections, datetime
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
FINAL = '--final' in sys.argv

CATS = ['threat.regulator','threat.media','threat.online','threat.protest','threat.legal',
        'threat.management','threat.safety','threat.repeat','threat.extreme',
        'taboo.overpromise','taboo.admit_defect','taboo.privacy','taboo.impatience',
        'taboo.withdraw','taboo.incite','taboo.deflect']
HEAVY = {'threat.online','threat.protest','threat.extreme','threat.repeat','threat.management',
         'taboo.admit_defect','taboo.deflect','taboo.impatience','taboo.incite'}
AGENTS = {'客服','话务员','坐席','管家','售后','专员','快递员','护士','工作人员','老师','柜员',
          '顾问','销售','骑手','店长','前台','教练','调度','接线员','医生','导购','司机','维修师傅','主播助理'}
CUSTOMERS = {'客户','用户','来电人','业主','买家','车主','收件人','家属','市民','家长','储户',
             '乘客','会员','玩家','游客','租客','患者','学员','住户','寄件人','顾客','房东','旅客','投保人','粉丝'}
errs = []
def err(m): errs.append(m)

# ---- calls
calls = {}
files = sorted(os.listdir(os.path.join(OUT, 'calls')))
if FINAL and len(files) != 200: err('expected 200 files, got %d' % len(files))
exp = ['c%03d.txt' % i for i in range(1, len(files) + 1)]
if files != exp: err('file names not c001..cNNN')
pair_counter = collections.Counter()
for fn in files:
    cid = fn[:-4]
    lines = open(os.path.join(OUT, 'calls', fn), encoding='utf-8').read().rstrip('\n').split('\n')
    if not 4 <= len(lines) <= 20: err('%s has %d lines' % (cid, len(lines)))
    spk = []
    for i, l in enumerate(lines, 1):
        m = re.match(r'^([^：:]{1,6})：(.+)$', l)
        if not m: err('%s line %d bad format' % (cid, i)); spk.append(None); continue
        s = m.group(1)
        if s in AGENTS: spk.append('A')
        elif s in CUSTOMERS: spk.append('C')
        else: err('%s line %d unknown speaker %s' % (cid, i, s)); spk.append(None)
    names = {re.match(r'^([^：]+)：', l).group(1) for l in lines if '：' in l}
    if len(names) != 2 or set(spk) != {'A', 'C'}:
        err('%s speakers %s' % (cid, names))
    pair_counter[tuple(sorted(names))] += 1
    calls[cid] = (lines, spk)

# ---- numbers
HZ = {'零':'0','〇':'0','幺':'1','一':'1','二':'2','两':'2','三':'3','四':'4','五':'5',
      '六':'6','七':'7','八':'8','九':'9'}
def id_ok(s):
    if not re.fullmatch(r'\d{17}[\dX]', s): return False
    try: datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError: return False
    if not 1900 <= int(s[6:10]) <= 2025: return False
    w = [7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
    return '10X98765432'[sum(int(a)*b for a,b in zip(s[:17], w)) % 11] == s[17]
def luhn_ok(n):
    t = 0
    for i, ch in enumerate(reversed(n)):
        d = int(ch)
        if i % 2: d = d*2 - 9 if d*2 > 9 else d*2
        t += d
    return t % 10 == 0
def classify(n):
    if len(n) == 11 and n[0] == '1': return 'mobile' if re.fullmatch(r'1[3-9]\d{9}', n) else 'BAD-mobile'
    if len(n) == 18: return 'id' if id_ok(n) else 'BAD-id'
    if len(n) in (16, 19) and n.isdigit(): return 'card' if luhn_ok(n) else 'BAD-card'
    if len(n) >= 11: return 'BAD-unknown'
    return None
numcount = collections.Counter()
privacy_lines = set()
for cid, (lines, spk) in calls.items():
    for i, l in enumerate(lines, 1):
        body = l.split('：', 1)[1] if '：' in l else l
        found = []
        for m in re.finditer(r'\d(?:[ -]?\d)*(?:[ -]?[Xx])?', body):
            found.append(re.sub(r'[ -]', '', m.group()).upper())
        for m in re.finditer(r'[零〇幺一二两三四五六七八九](?: ?[零〇幺一二两三四五六七八九])*', body):
            s = re.sub(' ', '', m.group())
            if len(s) >= 11: found.append(''.join(HZ[c] for c in s))
        for n in found:
            c = classify(n)
            if c is None: continue
            if c.startswith('BAD'): err('%s line %d invalid number %s (%s)' % (cid, i, n, c))
            else:
                numcount[c] += 1
                if spk[i-1] == 'A': privacy_lines.add((cid, i))

# ---- labels
rows = list(csv.DictReader(open(os.path.join(OUT, 'labels.csv'), encoding='utf-8')))
seen = set(); req = collections.Counter(); opt = collections.Counter(); labelled = set()
for r in rows:
    cid, cat = r['conversation'], r['category']
    if cid not in calls: err('label for unknown %s' % cid); continue
    if cat not in CATS: err('bad category %s' % cat)
    if r['kind'] not in ('required', 'optional'): err('bad kind %s' % r)
    if (cid, cat) in seen: err('duplicate %s %s' % (cid, cat))
    seen.add((cid, cat)); labelled.add(cid)
    ln = int(r['line']); lines, spk = calls[cid]
    if not 1 <= ln <= len(lines): err('line out of range %s' % r); continue
    side = spk[ln-1]
    if cat.startswith('threat.') and side != 'C': err('threat on non-customer line %s %s %d' % (cid, cat, ln))
    if cat.startswith('taboo.') and side != 'A': err('taboo on non-agent line %s %s %d' % (cid, cat, ln))
    if not r['note'].strip(): err('empty note %s %s' % (cid, cat))
    if len(r['note']) > 40: err('note too long %s %s' % (cid, cat))
    (req if r['kind'] == 'required' else opt)[cat] += 1
# privacy sanity: agent lines with a full number must be labelled privacy (unless optional)
for (cid, i) in sorted(privacy_lines):
    if (cid, 'taboo.privacy') not in seen:
        err('%s line %d: agent reads a full number but no privacy label' % (cid, i))

# ---- hard negatives
hn = list(csv.DictReader(open(os.path.join(OUT, 'hard_negatives.csv'), encoding='utf-8')))
hnc = collections.Counter(); hnset = set()
for r in hn:
    cid, cat = r['conversation'], r['category']
    if cid not in calls: err('hn unknown %s' % cid)
    if cat not in CATS: err('hn bad category %s' % cat)
    if (cid, cat) in seen: err('hn clashes with label %s %s' % (cid, cat))
    if (cid, cat) in hnset: err('hn duplicate %s %s' % (cid, cat))
    hnset.add((cid, cat)); hnc[cat] += 1
clean = [c for c in calls if c not in labelled]
hn_calls = {c for c, _ in hnset}
for c in clean:
    if c not in hn_calls: err('clean call %s not listed in hard_negatives' % c)

# ---- meta
meta = list(csv.DictReader(open(os.path.join(HERE, 'meta.csv'), encoding='utf-8')))
asr = [m['conversation'] for m in meta if m['asr'] == '1']
sectors = collections.Counter(m['sector'] for m in meta)
for c in asr:
    for l in calls[c][0]:
        body = l.split('：', 1)[1]
        if re.search(r'[，。？！、；：“”…,.?!;]', body): err('ASR call %s has punctuation: %s' % (c, body[:30]))

# ---- report
print('%-20s %8s %8s %8s %6s' % ('category', 'required', 'optional', 'hard_neg', 'min'))
for c in CATS:
    mn = 22 if c in HEAVY else 15
    flag = '' if req[c] >= mn and hnc[c] >= 8 else '  <-- short'
    print('%-20s %8d %8d %8d %6d%s' % (c, req[c], opt[c], hnc[c], mn, flag))
    if FINAL and req[c] < mn: err('%s has %d required < %d' % (c, req[c], mn))
    if FINAL and hnc[c] < 8: err('%s has %d hard negatives < 8' % (c, hnc[c]))
print('total required %d, optional %d, hard negatives %d' % (sum(req.values()), sum(opt.values()), len(hnset)))
print('calls %d, clean (no label) %d, ASR-style %d, sectors %d' % (len(calls), len(clean), len(asr), len(sectors)))
kf = sum(v for k, v in pair_counter.items() if k == ('客户', '客服'))
print('客服/客户 calls %d of %d; other pairs %d kinds' % (kf, len(calls), len(pair_counter) - 1))
print('numbers found:', dict(numcount))
if FINAL:
    if len(clean) < 60: err('only %d clean calls' % len(clean))
    if len(asr) < 60: err('only %d ASR calls' % len(asr))
    if len(sectors) < 20: err('only %d sectors' % len(sectors))
print('sectors:', dict(sectors))
if errs:
    print('PROBLEMS (%d):' % len(errs)); [print(' -', e) for e in errs]; sys.exit(1)
print('CHECK OK')
