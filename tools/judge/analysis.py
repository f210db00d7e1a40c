"""What does the model find that the rules miss? OOF (seed 0, outer folds) dialogue scores."""
from data import RESULTS
import numpy as np
from experiment import Pool, CONFIGS, nested_cv
pool = Pool(); cat = 'threat.repeat'
rules = pool.rule_pred(cat)
lab = np.array([pool.L.get((c, cat), (0, 'none'))[1] for c in pool.convs])
for name in ['dlg13_C16', 'ng13_C4']:
    cfg = CONFIGS[name]
    _, oof, _ = nested_cv(pool, cat, cfg, ['C2'])
    np.save(f'{RESULTS}/oof_{name}.npy', oof)
    neg = ~rules
    order = np.argsort(-oof[neg]); idx = np.where(neg)[0][order]
    print(f'== {name}: rule-negative dialogues ranked by model score; {int((lab[neg]=="required").sum())} required misses among {neg.sum()}')
    for k in (5, 10, 20, 40, 80):
        top = lab[idx[:k]]
        print(f'  top{k}: required={int((top=="required").sum())} optional={int((top=="optional").sum())} unlabelled={int((top=="none").sum())}')
    print('  scores of rule misses:', sorted(np.round(oof[neg & (lab=="required")], 2), reverse=True))
    pos = rules
    order = np.argsort(oof[pos]); idx2 = np.where(pos)[0][order]
    print(f'== {name}: rule-positive dialogues, lowest model score first ({int((lab[pos]=="none").sum())} rule false alarms among {pos.sum()})')
    for k in (5, 10, 20, 40):
        top = lab[idx2[:k]]
        print(f'  bottom{k}: required={int((top=="required").sum())} optional={int((top=="optional").sum())} unlabelled={int((top=="none").sum())}')
    if name == 'ng13_C4':
        print('-- top model-only alarms (unlabelled):')
        for i in idx[:40]:
            if lab[i] == 'none':
                c = pool.convs[i]
                print('  ', c, round(oof[i], 2), ' | '.join(t[:60] for ln, s, t in pool.D[c] if s == 'customer')[:200])
        print('-- rule misses with low model score:')
        for i in np.where(neg & (lab == 'required'))[0]:
            c = pool.convs[i]; ln = pool.L[(c, cat)][0]
            print('  ', c, round(oof[i], 2), [t[:90] for l, s, t in pool.D[c] if l == ln])
