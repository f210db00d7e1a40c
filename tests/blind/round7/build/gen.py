#!/usr/bin/env python3
"""Generator for blind set round 7.
Reads build/src/*.txt (hand-written calls), fills number placeholders with valid
numbers, shuffles with a fixed seed, writes calls/cNNN.txt, labels.csv, hard_negatives.csv.

Source format:
  @ <sector> [asr] [hn=cat1,cat2]      starts a call
  speaker：text ## cat note; ?cat note  label annotations (? = optional)
Placeholders: {MOB} {MOB_S} {MOB_H} {ID} {ID_S} {ID_H} {CARD} {CARD_S} {CARD_H}
  optional :name suffix reuses the same number within a call, e.g. {MOB_H:a}
"""
import csv, glob, os, random, re, datetime

SEED = 20261124
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
rng = random.Random(SEED)

HZ = dict(zip('0123456789', '零一二三四五六七八九'))
REGIONS = ['110105', '310104', '440305', '510107', '230103', '420106', '370202', '330106',
           '500103', '610113', '320102', '210202', '430104', '350203', '120101', '220102']

def mobile():
    return '1' + rng.choice('3456789') + ''.join(rng.choice('0123456789') for _ in range(9))

def id_check(s17):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return '10X98765432'[sum(int(a) * b for a, b in zip(s17, w)) % 11]

def idno():
    d = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(0, 20000))
    s17 = rng.choice(REGIONS) + d.strftime('%Y%m%d') + '%03d' % rng.randrange(1, 999)
    return s17 + id_check(s17)

def luhn_digit(body):
    tot = 0
    for i, ch in enumerate(reversed(body)):
        n = int(ch)
        if i % 2 == 0:
            n *= 2
            if n > 9: n -= 9
        tot += n
    return str((10 - tot % 10) % 10)

def card():
    n = rng.choice([16, 19])
    body = '62' + rng.choice(['2', '1', '5', '8']) + ''.join(rng.choice('0123456789') for _ in range(n - 4))
    return body + luhn_digit(body)

def to_hz(s, one):
    return ''.join('叉' if c == 'X' else (one if c == '1' else HZ[c]) for c in s)

def fmt(kind, val, style):
    if style == '_S':
        if kind == 'MOB': return f'{val[:3]} {val[3:7]} {val[7:]}'
        if kind == 'ID': return f'{val[:6]} {val[6:14]} {val[14:]}'
        return ' '.join(val[i:i + 4] for i in range(0, len(val), 4))
    if style == '_H':
        one = '幺' if kind == 'MOB' or rng.random() < 0.5 else '一'
        return to_hz(val, one)
    return val

PH = re.compile(r'\{(MOB|ID|CARD)(_S|_H)?(?::(\w+))?\}')

def parse():
    calls = []
    for fn in sorted(glob.glob(os.path.join(ROOT, 'build', 'src', '*.txt'))):
        cur = None
        for raw in open(fn, encoding='utf-8'):
            raw = raw.rstrip('\n')
            if not raw.strip() or raw.startswith('//'):
                continue
            if raw.startswith('@'):
                toks = raw[1:].split()
                cur = {'sector': toks[0], 'asr': 'asr' in toks, 'hn': [], 'lines': [],
                       'labels': {}, 'src': os.path.basename(fn)}
                for t in toks[1:]:
                    if t.startswith('hn='):
                        cur['hn'] = t[3:].split(',')
                calls.append(cur)
                continue
            text, _, ann = raw.partition(' ## ')
            cur['lines'].append(text.strip())
            ln = len(cur['lines'])
            for a in filter(None, (x.strip() for x in ann.split(';'))):
                cat, _, note = a.partition(' ')
                kind = 'required'
                if cat.startswith('?'):
                    kind, cat = 'optional', cat[1:]
                if cat not in cur['labels']:
                    cur['labels'][cat] = (ln, kind, note.strip())
    return calls

def fill(call):
    named = {}
    out = []
    for line in call['lines']:
        def rep(m):
            kind, style, name = m.group(1), m.group(2) or '', m.group(3)
            key = (kind, name) if name else None
            if key and key in named:
                val = named[key]
            else:
                val = {'MOB': mobile, 'ID': idno, 'CARD': card}[kind]()
                if key: named[key] = val
            return fmt(kind, val, style)
        out.append(PH.sub(rep, line))
    return out

def main():
    calls = parse()
    order = list(range(len(calls)))
    rng.shuffle(order)
    labels, hns, meta = [], [], []
    for i, idx in enumerate(order, 1):
        c = calls[idx]
        cid = 'c%03d' % i
        lines = fill(c)
        with open(os.path.join(ROOT, 'calls', cid + '.txt'), 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines) + '\n')
        for cat, (ln, kind, note) in sorted(c['labels'].items(), key=lambda kv: kv[1][0]):
            labels.append([cid, cat, ln, kind, note])
        for cat in c['hn']:
            hns.append([cid, cat])
        meta.append([cid, c['sector'], 'asr' if c['asr'] else '', c['src']])
    with open(os.path.join(ROOT, 'labels.csv'), 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['conversation', 'category', 'line', 'kind', 'note'])
        w.writerows(labels)
    with open(os.path.join(ROOT, 'hard_negatives.csv'), 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['conversation', 'category'])
        w.writerows(hns)
    with open(os.path.join(ROOT, 'build', 'meta.csv'), 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['conversation', 'sector', 'asr', 'source'])
        w.writerows(meta)
    print(len(calls), 'calls,', len(labels), 'labels,', len(hns), 'hard negatives')

if __name__ == '__main__':
    main()
