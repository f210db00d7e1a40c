import sys, collections
sys.path.insert(0, '.')
import gen
calls = gen.parse()
req = collections.Counter(); opt = collections.Counter(); hn = collections.Counter()
asr = sum(c['asr'] for c in calls); clean = sum(1 for c in calls if not c['labels'])
for c in calls:
    for cat, (ln, k, n) in c['labels'].items():
        (req if k == 'required' else opt)[cat] += 1
    for h in c['hn']: hn[h] += 1
cats = sorted(set(req) | set(opt) | set(hn))
for k in cats: print(f'{k:22s} req={req[k]:3d} opt={opt[k]:2d} hn={hn[k]:2d}')
print('calls', len(calls), 'asr', asr, 'clean', clean, 'sectors', len({c["sector"] for c in calls}))
