#!/usr/bin/env python3
"""Generator for blind set round 9.
Reads build/src/*.txt (hand-written calls with inline labels), fills in
personal-number placeholders with valid invented numbers, shuffles with a
fixed seed and writes calls/, labels.csv, hard_negatives.csv, build/meta.csv.

Source format:
  @@ sector=NAME asr=0|1 hn=cat1,cat2
  speaker：text ##category=note ##category?=note(optional)
Placeholders: <<kind:name:fmt>>  kind in mob,id,card ; same name -> same number in a call.
"""
import csv, glob, os, random, re, sys

SEED = 20261126
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
rng = random.Random(SEED)

HZ = dict(zip('0123456789', '零幺二三四五六七八九'))
MOB_PREFIX = ['139','138','137','136','135','150','151','152','158','159','182','187','188',
              '130','131','132','155','156','185','186','133','153','180','181','189','177',
              '173','199','166','191','198','176','175','178','147','183','157','134','195']
REGIONS = ['110105','310104','440106','510107','420102','330106','230102','210102','370102',
           '500103','610113','320102','350203','430104','410105','130102','140105','220104',
           '360102','450103','520102','530102','620102','340104','120101']
CARD_PREFIX = [('622848',19),('621700',19),('622202',19),('621483',16),('622588',16),
               ('436742',16),('621661',19),('622908',16),('623668',19),('625968',16)]

def id_check(s17):
    w = [7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
    return '10X98765432'[sum(int(a)*b for a,b in zip(s17,w)) % 11]

def luhn_ok(num):
    tot = 0
    for i, ch in enumerate(reversed(num)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9: d -= 9
        tot += d
    return tot % 10 == 0

def luhn_complete(partial):
    for c in '0123456789':
        if luhn_ok(partial + c):
            return partial + c

def new_mob():
    return rng.choice(MOB_PREFIX) + ''.join(rng.choice('0123456789') for _ in range(8))

def new_id():
    import datetime
    d0 = datetime.date(1948,1,1)
    d = d0 + datetime.timedelta(days=rng.randrange(0, 365*57))
    s17 = rng.choice(REGIONS) + d.strftime('%Y%m%d') + '%03d' % rng.randrange(1,999)
    return s17 + id_check(s17)

def new_card():
    p, n = rng.choice(CARD_PREFIX)
    body = p + ''.join(rng.choice('0123456789') for _ in range(n - len(p) - 1))
    return luhn_complete(body)

def hz(s):
    return ''.join(HZ.get(c, c) for c in s)

def fmt(kind, num, f):
    if f == 'a': return num
    if f == 't': return num[-4:]
    if f == 'th': return hz(num[-4:])
    if kind == 'mob':
        g = [num[:3], num[3:7], num[7:]]
        if f == 's': return ' '.join(g)
        if f == 'h': return ' '.join(hz(x) for x in g)
        if f == 'hc': return hz(num)
        if f == 'm': return num[:3] + '****' + num[-4:]
    if kind == 'id':
        if f == 's': return ' '.join([num[:6], num[6:14], num[14:]])
        if f == 'm': return num[:4] + '*' * 10 + num[-4:]
    if kind == 'card':
        g = [num[i:i+4] for i in range(0, len(num), 4)]
        if f == 's': return ' '.join(g)
        if f == 'h': return ' '.join(hz(x) for x in g)
        if f == 'm': return num[:6] + '*' * (len(num) - 10) + num[-4:]
    raise ValueError((kind, f))

PH = re.compile(r'<<(mob|id|card):(\w+):(\w+)>>')
TAG = re.compile(r'##([a-z_]+\.[a-z_]+)(\?)?=([^#]*)')

def parse():
    blocks = []
    for fn in sorted(glob.glob(os.path.join(HERE, 'src', '*.txt'))):
        cur = None
        for raw in open(fn, encoding='utf-8'):
            raw = raw.rstrip('\n')
            if not raw.strip() or raw.startswith('//'):
                continue
            if raw.startswith('@@'):
                meta = dict(kv.split('=', 1) for kv in raw[2:].split())
                cur = {'meta': meta, 'lines': [], 'src': os.path.basename(fn)}
                blocks.append(cur)
                continue
            cur['lines'].append(raw)
    return blocks

def build():
    blocks = parse()
    rng.shuffle(blocks)
    labels, hns, metas = [], [], []
    for i, b in enumerate(blocks, 1):
        cid = 'c%03d' % i
        nums = {}
        out_lines = []
        seen = set()
        for ln, raw in enumerate(b['lines'], 1):
            tags = TAG.findall(raw)
            text = TAG.sub('', raw).rstrip()
            def rep(m):
                k, name, f = m.groups()
                key = (k, name)
                if key not in nums:
                    nums[key] = {'mob': new_mob, 'id': new_id, 'card': new_card}[k]()
                return fmt(k, nums[key], f)
            text = PH.sub(rep, text)
            out_lines.append(text)
            for cat, opt, note in tags:
                if cat in seen:
                    sys.exit('duplicate tag %s in %s (%s)' % (cat, cid, b['src']))
                seen.add(cat)
                labels.append((cid, cat, ln, 'optional' if opt else 'required', note.strip()))
        with open(os.path.join(OUT, 'calls', cid + '.txt'), 'w', encoding='utf-8') as f:
            f.write('\n'.join(out_lines) + '\n')
        for c in [x for x in b['meta'].get('hn', '').split(',') if x]:
            hns.append((cid, c))
        metas.append((cid, b['meta'].get('sector', ''), b['meta'].get('asr', '0'), b['src']))
    labels.sort(); hns.sort()
    with open(os.path.join(OUT, 'labels.csv'), 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['conversation', 'category', 'line', 'kind', 'note'])
        w.writerows(labels)
    with open(os.path.join(OUT, 'hard_negatives.csv'), 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['conversation', 'category'])
        w.writerows(hns)
    with open(os.path.join(HERE, 'meta.csv'), 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['conversation', 'sector', 'asr', 'source'])
        w.writerows(metas)
    print('built', len(blocks), 'calls,', len(labels), 'labels,', len(hns), 'hard negatives')

if __name__ == '__main__':
    import shutil
    shutil.rmtree(os.path.join(OUT, 'calls'), ignore_errors=True)
    os.makedirs(os.path.join(OUT, 'calls'))
    build()
