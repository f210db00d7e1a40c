"""Stability check: repeat the nested CV with other fold seeds for the leading threat.repeat options."""
import sys, numpy as np
from experiment import Pool, CONFIGS, nested_cv, report, prf
pool = Pool(); cat = 'threat.repeat'
print('rules', report(pool, cat, pool.rule_pred(cat))['all'])
for name, modes in [('dlg13_C16', ['C2', 'C3']), ('dlg13_C4', ['C2', 'C3']), ('ng13_C4_optskip', ['C2', 'C3'])]:
    for seed in (1, 2, 3):
        pred, oof, ch = nested_cv(pool, cat, CONFIGS[name], modes, seed=seed)
        for m in modes:
            r = report(pool, cat, pred[m])['all']
            print(name, m, 'seed', seed, r, 'F=%.3f' % prf(*r)[2], flush=True)
