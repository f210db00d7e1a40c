#!/usr/bin/env python3
import csv, collections, os, subprocess
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
meta = list(csv.DictReader(open(os.path.join(ROOT, 'build', 'meta.csv'), encoding='utf-8')))
labs = list(csv.DictReader(open(os.path.join(ROOT, 'labels.csv'), encoding='utf-8')))
hns = list(csv.DictReader(open(os.path.join(ROOT, 'hard_negatives.csv'), encoding='utf-8')))
CATS = [f'threat.{x}' for x in 'regulator media online protest legal management safety repeat extreme'.split()] + \
       [f'taboo.{x}' for x in 'overpromise admit_defect privacy impatience withdraw incite deflect'.split()]
req = collections.Counter(r['category'] for r in labs if r['kind'] == 'required')
opt = collections.Counter(r['category'] for r in labs if r['kind'] == 'optional')
hn = collections.Counter(r['category'] for r in hns)
labelled = {r['conversation'] for r in labs}
L = [int(m['lines']) for m in meta]
short = sum(1 for x in L if x <= 6); mid = sum(1 for x in L if 7 <= x <= 9); long_ = sum(1 for x in L if x >= 10)
asr = sum(int(m['asr']) for m in meta)
pairs = collections.Counter((m['agent'], m['customer']) for m in meta)
sectors = sorted({m['sector'] for m in meta})
rows = '\n'.join(f'| `{c}` | {req[c]} | {opt[c]} | {hn[c]} |' for c in CATS)
check = subprocess.run(['python3', os.path.join(ROOT, 'build', 'check.py')], capture_output=True, text=True).stdout.strip().splitlines()[-1]
txt = f"""# Blind labelled test set, round 11

Never tune on this set; read only overall figures.

## Sources read
Only these two files were read while writing this set:
- `/work/shared/docs/RISK_CATEGORIES.md`
- `/work/main/tests/devset/GUIDELINES.md`

Nothing else under `/work/main`, no corpus, seeds, dictionaries, earlier blind sets or callrisk
output was opened, and callrisk was not run. All dialogue text, people, places and numbers are invented.

## Contents
- `calls/c001.txt … c200.txt`: 200 invented Chinese service calls, UTF-8, one utterance per line as
  `speaker：text` (full-width colon), 4–20 lines each.
- `labels.csv`: `conversation,category,line,kind,note`, one row per (call, category), line = first
  utterance carrying the category (1-based).
- `hard_negatives.csv`: `conversation,category`, calls written as traps for a category that carry no
  label for it.
- `build/src/b01.txt … b08.txt`: the hand-written sources (labels inline as `[[category|note]]`,
  `[[?category|note]]` for optional; number placeholders `{{MOB|ID|CARD:name:format}}`).
- `build/gen.py`: fills placeholders with valid invented numbers, shuffles call order
  (random seed 20261128) and writes the files; `build/meta.csv` records sector, ASR flag, speakers,
  length and source block of each call.
- `build/check.py`: the checker; `build/make_readme.py` writes this file.

Rebuild: `python3 build/gen.py && python3 build/check.py && python3 build/make_readme.py`.

## Shape
- Calls: 200; with at least one label: {len(labelled)}; with no label at all: {200 - len(labelled)}
  (every one of them is listed in `hard_negatives.csv` for the categories it traps).
- ASR-style calls (no punctuation, spaces at pauses, fillers, hanzi digits, repeated words, some
  homophone slips such as 经里/等级/速讼/申述/据收): {asr}.
- Length: {short} short (4–6 lines), {mid} middle (7–9 lines), {long_} long (10–20 lines).
- Speaker pairs: {len(pairs)} different pairs; 客服/客户 in {pairs[('客服','客户')]} calls.
- Sectors ({len(sectors)} labels as written, covering telecom, broadband, cable TV, e-commerce,
  live-stream shopping, second-hand platforms, banking, credit cards/collection, securities,
  insurance, express delivery, logistics, moving, airlines, rail, metro, coaches, cruises, ride
  hailing, car rental, car dealers, used cars, EV charging, property management, developers,
  rental/agents, utilities (power, water, gas, heating), hospitals, community clinics, check-up
  centres, pet hospitals, elderly care, confinement centres, domestic help, schools, training,
  driving schools, games, reading apps, gyms, swimming pools, beauty/medical aesthetics, hair salons,
  furniture, building materials, decoration, appliances, phone repair, hotels, travel, wedding
  services, ticketing, food delivery, fresh food, health products, TV shopping, 政务热线 …).
- Personal numbers: mobiles 1[3-9]+9 digits, ID numbers with real birth dates and valid
  ISO 7064 MOD 11-2 check digits, bank cards passing Luhn; written as plain digits, spaced groups or
  hanzi digits; masked forms (138****1234, 尾号1234, 4101**********1234) also appear.

## Counts per category

| category | required | optional | hard negatives |
|---|---|---|---|
{rows}
| **total** | {sum(req.values())} | {sum(opt.values())} | {sum(hn.values())} |

## Labelling notes
- Threats are marked only on customer lines, taboos only on agent lines (checked). One row per
  (call, category), at the first utterance that carries it.
- Conditional threats (不…就…) are marked required. Negated (我不会去消协), hypothetical
  (如果是质量问题), declined (朋友说要打12315，我觉得没必要), third-party (隔壁床家属说要告,
  同事去了消协), news (新闻说工信部/证监会…), other senses (曝光补偿, 高层 floors, 横幅广告/宣传横幅,
  静坐冥想课, 报警器/呼叫器, 爆款/爆满/跳楼价, 同归于尽 as a game skill, 累死/笑死/吓死, 律师 as a
  relative's profession, 撤销预约/撤销变更/撤销转账) and customer-spoken rude words (你听不懂吗,
  你烦不烦) are not labelled; such calls are listed as hard negatives.
- `threat.regulator`: external official channels only (工信部申诉, 12315, 12345, 消协, 民航局
  12326, 国家邮政局12305, 12301/文旅局, 12386证监会, 12363人民银行, 12378/金融监管局, 12328交通运输
  监督, 12320/卫健委, 医保局, 民政局, 教育局, 市场监管局, 物价局/价格举报). Company hotlines
  (10086-type, 12306, 400, in-app feedback) are not.
- `threat.media` includes TV consumer programmes, newspapers and self-media (大V, 测评号, 旅行博主,
  公众号主编). `threat.online` covers posting to 抖音, 小红书, 微博, 贴吧, NGA, 知乎, B站, 黑猫投诉,
  大众点评, 今日头条, 懂车帝/汽车之家 forums, 朋友圈, 车友群 etc.
- `threat.protest` includes sit-ins at gates, lobbies, showrooms and boarding gates, blocking doors
  or vehicles, banners, placards, kneeling at a government gate, moving into a store.
- `threat.safety` covers fire, smoke, explosion, electric shock/leakage, burns, battery swelling and
  CO poisoning; warm phones and hypothetical risks are traps.
- `taboo.privacy` only where the agent reads a full number or a third party's address/number;
  numbers read by customers and masked numbers are traps.
- `taboo.admit_defect` only for product/equipment defects; agents apologising for a service or
  operating error (剂量算错, 挪车蹭到, 骑手送串) are traps.
- Optional rows ({sum(opt.values())}) mark real doubt only: a relative's threat relayed by the
  customer, an incident not caused by the company's product (a neighbour's e-bike fire, a tyre
  blow-out), a live stream already running, a customer's bare 好啊我去 / 我会去的 answering
  an agent who named a regulator, 12345 staff pointing to another department, a problem
  reported a few times without the word complaint, borderline shirking or effort-vs-promise wording.

## Checker result
`{check}` — 200 files, 4–20 lines each, labels in range, valid ids/kinds, no duplicate
(call, category), threat labels on customer lines, taboo labels on agent lines, hard negatives never
clash with labels, every long digit string (arabic, spaced or hanzi) a valid mobile / ID / Luhn card,
per-category minima (≥15 required, ≥22 for the ten weighted categories; ≥8 hard negatives, ≥12 for
legal/safety/repeat/regulator), ≥60 unlabelled calls, ≥60 ASR-style calls, ≥40 calls of 10+ lines.
"""
open(os.path.join(ROOT, 'README.md'), 'w', encoding='utf-8').write(txt)
print('README written')
