#!/usr/bin/env python3
"""Generator for blind set round 6.
Source: build/src/*.txt, blocks:
  ### key | sector | asr|norm | 客服/客户
  A: agent text   (A = first speaker, agent side)
  B: customer text [[threat.x|note]] [[?taboo.y|note]]  (?=optional)
  HN: cat1 cat2
Placeholders: {MOB[:sp|:hz]} {ID[:sp|:hz]} {CARD[:sp|:hz]} {MMOB} {TAIL}
Calls are shuffled with seed 20260606 and written to calls/c001..c200.txt."""
import glob, os, re, random, csv, datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = 20260606
rng = random.Random(SEED)
HZ = dict(zip('0123456789', '零一二三四五六七八九'))

def mob():
    return '1' + rng.choice('3456789') + ''.join(rng.choice('0123456789') for _ in range(9))

def id_check(s17):
    w = [7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
    return '10X98765432'[sum(int(a)*b for a, b in zip(s17, w)) % 11]

def idno():
    reg = rng.choice(['110105','310104','440106','510107','210102','420111','330106','320102','370202','230103','500103','610113','350203','430104'])
    d = datetime.date(1950,1,1) + datetime.timedelta(days=rng.randrange(0, 365*54))
    s17 = reg + d.strftime('%Y%m%d') + '%03d' % rng.randrange(1000)
    return s17 + id_check(s17)

def luhn_ok(s):
    t = 0
    for i, c in enumerate(reversed(s)):
        d = int(c)
        if i % 2: d = d*2 - 9 if d*2 > 9 else d*2
        t += d
    return t % 10 == 0

def card():
    pre = rng.choice(['622202','622848','621700','436742','621483','622588','625907','622260'])
    n = rng.choice([16, 19])
    body = pre + ''.join(rng.choice('0123456789') for _ in range(n - len(pre) - 1))
    for c in '0123456789':
        if luhn_ok(body + c): return body + c

def fmt(num, kind, style):
    if style == 'sp':
        if kind == 'MOB': return f'{num[:3]} {num[3:7]} {num[7:]}'
        if kind == 'ID': return f'{num[:6]} {num[6:14]} {num[14:]}'
        return ' '.join(num[i:i+4] for i in range(0, len(num), 4))
    if style == 'hz':
        s = ''.join(('幺' if (c == '1' and kind == 'MOB') else HZ.get(c, '叉')) for c in num)
        if kind == 'MOB': return f'{s[:3]} {s[3:7]} {s[7:]}'
        return s
    return num

def subst(text):
    def rep(m):
        kind, style = m.group(1), (m.group(2) or '')
        if kind == 'MOB': return fmt(mob(), 'MOB', style)
        if kind == 'ID': return fmt(idno(), 'ID', style)
        if kind == 'CARD': return fmt(card(), 'CARD', style)
        if kind == 'MMOB':
            n = mob(); return n[:3] + '****' + n[7:]
        if kind == 'TAIL': return '尾号' + ''.join(rng.choice('0123456789') for _ in range(4))
    return re.sub(r'\{(MOB|ID|CARD|MMOB|TAIL)(?::(sp|hz))?\}', rep, text)

MARK = re.compile(r'\s*\[\[(\??)([a-z_.]+)\|([^\]]*)\]\]')

def parse():
    calls = []
    for fn in sorted(glob.glob(os.path.join(ROOT, 'build', 'src', '*.txt'))):
        cur = None
        for raw in open(fn, encoding='utf-8'):
            line = raw.rstrip('\n')
            if not line.strip() or line.startswith('//'): continue
            if line.startswith('###'):
                key, sector, style, pair = [x.strip() for x in line[3:].split('|')]
                a, b = pair.split('/')
                cur = dict(key=key, sector=sector, asr=(style == 'asr'), agent=a, cust=b,
                           lines=[], labels=[], hn=[], src=os.path.basename(fn))
                calls.append(cur); continue
            if line.startswith('HN:'):
                cur['hn'] += line[3:].split(); continue
            spk, text = line[0], line[2:].strip()
            assert spk in 'AB' and line[1] == ':', (fn, line)
            for m in MARK.finditer(text):
                cur['labels'].append(dict(cat=m.group(2), kind='optional' if m.group(1) else 'required',
                                          note=m.group(3).strip(), line=len(cur['lines']) + 1, spk=spk))
            text = MARK.sub('', text).strip()
            cur['lines'].append((spk, subst(text)))
    return calls

def main():
    calls = parse()
    order = list(range(len(calls)))
    rng2 = random.Random(SEED)
    rng2.shuffle(order)
    cdir = os.path.join(ROOT, 'calls')
    for f in glob.glob(os.path.join(cdir, '*.txt')): os.remove(f)
    lab_rows, hn_rows, meta = [], [], []
    for i, idx in enumerate(order):
        c = calls[idx]; cid = 'c%03d' % (i + 1)
        with open(os.path.join(cdir, cid + '.txt'), 'w', encoding='utf-8') as fh:
            for spk, text in c['lines']:
                fh.write((c['agent'] if spk == 'A' else c['cust']) + '：' + text + '\n')
        seen = set()
        for l in c['labels']:
            if l['cat'] in seen: continue
            seen.add(l['cat'])
            lab_rows.append([cid, l['cat'], l['line'], l['kind'], l['note']])
        for h in c['hn']: hn_rows.append([cid, h])
        meta.append([cid, c['key'], c['sector'], 'asr' if c['asr'] else 'text', c['agent'], c['cust']])
    lab_rows.sort(); hn_rows.sort()
    with open(os.path.join(ROOT, 'labels.csv'), 'w', encoding='utf-8', newline='') as fh:
        w = csv.writer(fh, lineterminator='\n'); w.writerow(['conversation','category','line','kind','note']); w.writerows(lab_rows)
    with open(os.path.join(ROOT, 'hard_negatives.csv'), 'w', encoding='utf-8', newline='') as fh:
        w = csv.writer(fh, lineterminator='\n'); w.writerow(['conversation','category']); w.writerows(hn_rows)
    with open(os.path.join(ROOT, 'build', 'meta.csv'), 'w', encoding='utf-8', newline='') as fh:
        w = csv.writer(fh, lineterminator='\n'); w.writerow(['conversation','key','sector','style','agent','customer']); w.writerows(meta)
    print('calls', len(calls), 'labels', len(lab_rows), 'hn', len(hn_rows))

if __name__ == '__main__':
    main()
