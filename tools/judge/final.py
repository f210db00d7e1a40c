"""Final: train the chosen option on ALL development dialogues (dev + w2), choose its thresholds by
5-fold out-of-fold scores on the development sets (same procedure as the inner CV), save the weights,
then score the held-out set ONCE: rules alone vs the chosen option (other categories: rules).

Usage: nice python3 final.py CONFIG MODE [SET]    (e.g. dlg13_C16 C3 heldout2; SET: heldout)
       add --no-heldout to only fit and save (no look at the held-out set)
"""
import sys, json, collections
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from experiment import (Pool, CONFIGS, scores_for, choose, combine, strat_key, vectorizer, dlg_matrix,
                        fit_line, NF)
from data import load, prf, rules_and_model, RESULTS

CAT = 'threat.repeat'
name, mode = sys.argv[1], sys.argv[2]
cfg = CONFIGS[name]
pool = Pool()
n = len(pool.convs); idx = np.arange(n)
rules = pool.rule_pred(CAT)
oof = np.full(n, -1.0)
for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(idx, strat_key(pool, CAT, idx)):
    oof[te] = scores_for(pool, CAT, cfg, tr, te)[te]
th = choose(pool, CAT, oof, rules, idx, mode)
print('thresholds', th)

# fit on everything
if cfg['level'] == 'dialogue':
    X = dlg_matrix(pool, cfg['ng'])
    y = np.array([1 if (c, CAT) in pool.L else 0 for c in pool.convs])
    clf = LogisticRegression(C=cfg['C'], solver='liblinear', max_iter=2000).fit(X, y)
else:
    clf, _ = fit_line(pool, CAT, cfg, idx)
w = clf.coef_.ravel()
print('non-zero weights', int((w != 0).sum()), 'of', w.size, '+ intercept')
np.savez_compressed(f'{RESULTS}/model_{name}_{mode}.npz', w=w, b=clf.intercept_, th=np.array(th, float))
json.dump(dict(config=name, mode=mode, cfg={k: (list(v) if isinstance(v, tuple) else v) for k, v in cfg.items()},
               thresholds=list(map(float, th)), nonzero=int((w != 0).sum())),
          open(f'{RESULTS}/final_choice.json', 'w'), indent=1)
if '--no-heldout' in sys.argv:
    sys.exit(0)

# ---- held-out: scored once ----
HELD = next((a for a in sys.argv[3:] if not a.startswith('--')), 'heldout')
D, L, C, U = load(HELD)
convs = sorted(D)
cust = {c: [t for ln, s, t in D[c] if s == 'customer'] for c in convs}
if cfg['level'] == 'dialogue':
    Xh = vectorizer(cfg['ng']).transform(['\n'.join(cust[c]) for c in convs])
    s = clf.predict_proba(Xh)[:, 1]
else:
    s = np.array([clf.predict_proba(vectorizer(cfg['ng']).transform(cust[c]))[:, 1].max() if cust[c] else 0.0 for c in convs])
hr = np.array([(c, CAT) in C for c in convs])
pred_model = combine(s, hr, mode, th)
out = rules_and_model(convs, L, C, CAT, pred_model, 'final')
for k, v in out.items():
    P, R, F = prf(*v)
    print(f'HELDOUT {k[0]:6s} {k[1]:14s} tp={v[0]} fp={v[1]} fn={v[2]} P={P:.3f} R={R:.3f} F1={F:.3f}')
diff_add = [c for c, p, r in zip(convs, pred_model, hr) if p and not r]
diff_drop = [c for c, p, r in zip(convs, pred_model, hr) if r and not p]
print('model added', [(c, L.get((c, CAT), (0, 'none'))[1]) for c in diff_add])
print('model vetoed', [(c, L.get((c, CAT), (0, 'none'))[1]) for c in diff_drop])
