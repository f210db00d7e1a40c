"""Load the project's own blind rounds (tests/blind/roundN): customer-side text and threat.repeat labels.

Speaker roles: each line is `label：text` (full-width colon; ASCII colon accepted). A label is the
agent if it equals or starts with one of callrisk's built-in agent labels (from `callrisk scan --help`),
the customer if it matches a built-in customer label. If both speakers of a call resolve to the same role (客服 vs 骑手/商家/卖家),
the one named 客服/坐席/座席 (or 客户/用户) keeps its role and the other flips. Unresolved labels: inferred from labels.csv
(threat.* rows sit on customer lines, taboo.* rows on agent lines); then, in a two-speaker call,
the other speaker of a resolved one gets the opposite role; remaining: the speaker of line 1 is
counted as the agent (unresolved counts are printed). Customer text = every line not spoken by the agent.
Labels: a call is positive for threat.repeat if labels.csv has a threat.repeat row (required or
optional), as tools/judge's dialogue model trains (y = (conv, cat) in labels); scoring counts only
`required` rows (optional: neither tp nor fp), as tools/judge's score().
"""
import csv, glob, os, re, collections
BLIND = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'tests', 'blind')
AGENT = '坐席 客服 agent 工号 人工客服 客服代表 客服专员 售后 话务员 座席 客户经理 商家 卖家 店小二 operator staff helpdesk representative support 顾问 课程顾问 销售顾问 管家 物业管家 专员 服务专员 乘务员 空乘 理财经理 客户代表 接线员 值班员 工作人员 柜员 导购 营业员 店员 医生 医生助理 医助 护士 导诊 老师 班主任 快递员 配送员 骑手 理赔员 经纪人 师傅 前台'.split()
CUST = '客户 用户 顾客 来电人 customer 来电客户 买家 消费者 访客 caller user client 来电者 家长 学员 业主 住户 车主 旅客 乘客 持卡人 投保人 租户 患者 病人 家属 市民 群众 居民 村民 机主 会员 学生 收件人 寄件人 收货人 投诉人 报修人 被保险人 房主 游客 住客 客人'.split()
CAT = 'threat.repeat'
STATS = collections.Counter()


def role_of(label):
    l = label.strip().lower()
    # exact first, then prefix (longest wins)
    if l in CUST: return 'customer'
    if l in AGENT: return 'agent'
    best = None
    for lst, r in ((AGENT, 'agent'), (CUST, 'customer')):
        for a in lst:
            if l.startswith(a) and (best is None or len(a) > best[0]):
                best = (len(a), r)
    return best[1] if best else None


def parse(path):
    out = []
    for i, raw in enumerate(open(path, encoding='utf-8').read().split('\n')):
        if not raw.strip(): continue
        m = re.match(r'^\s*([^：:]{1,12})[：:](.*)$', raw)
        spk, txt = (m.group(1).strip(), m.group(2)) if m else (None, raw)
        out.append((i + 1, spk, txt))
    return out


def load_round(r):
    d = f'{BLIND}/round{r}'
    labs = {}
    byline = collections.defaultdict(list)
    for row in csv.DictReader(open(f'{d}/labels.csv', encoding='utf-8')):
        c = f'r{r}_{row["conversation"]}'
        labs[(c, row['category'])] = (int(row['line']), row['kind'])
        byline[c].append((int(row['line']), row['category']))
    convs = {}
    for p in sorted(glob.glob(f'{d}/calls/*.txt')):
        c = f'r{r}_' + os.path.basename(p)[:-4]
        lines = parse(p)
        spk = [s for _, s, _ in lines if s]
        roles = {s: role_of(s) for s in set(spk)}
        # two speakers resolved to the same role (客服 vs 骑手/商家/卖家): 客服/坐席/座席 stays agent
        if len(roles) == 2 and len(set(roles.values())) == 1 and None not in roles.values():
            core = [s for s in roles if s in ('客服', '坐席', '座席', '客户', '用户')]
            if len(core) == 1:
                other = [s for s in roles if s != core[0]][0]
                roles[other] = 'customer' if roles[core[0]] == 'agent' else 'agent'; STATS['same_role_fix'] += 1
        lmap = {ln: s for ln, s, _ in lines}
        for ln, cat in byline.get(c, []):
            s = lmap.get(ln)
            if s and roles.get(s) is None:
                roles[s] = 'customer' if cat.startswith('threat.') else 'agent'; STATS['by_label'] += 1
        unres = [s for s in roles if roles[s] is None]
        if unres and len(roles) == 2:
            known = [s for s in roles if roles[s]]
            if known:
                roles[unres[0]] = 'agent' if roles[known[0]] == 'customer' else 'customer'; STATS['by_pair'] += 1
        for s in roles:
            if roles[s] is None:
                roles[s] = 'agent' if spk and s == spk[0] else 'customer'; STATS['fallback'] += 1
        STATS['builtin'] += sum(1 for s in roles if role_of(s))
        convs[c] = [(ln, 'agent' if s and roles[s] == 'agent' else 'customer', txt) for ln, s, txt in lines]
    return convs, labs


def load_rounds(rounds):
    D, L, src = {}, {}, {}
    for r in rounds:
        d, l = load_round(r)
        D.update(d); L.update(l)
        for c in d: src[c] = r
    return D, L, src


def customer_text(lines):
    return '\n'.join(t for _, s, t in lines if s == 'customer')


if __name__ == '__main__':
    D, L, src = load_rounds(range(1, 14))
    print('speaker resolution', dict(STATS))
    for r in range(1, 14):
        cs = [c for c in D if src[c] == r]
        req = sum(1 for c in cs if L.get((c, CAT), (0, ''))[1] == 'required')
        opt = sum(1 for c in cs if L.get((c, CAT), (0, ''))[1] == 'optional')
        print(f'round{r}: {len(cs)} calls, threat.repeat required {req}, optional {opt}')
    # sanity: threat labels should be on customer lines, taboo on agent lines
    bad = 0
    for (c, cat), (ln, k) in L.items():
        lines = {l: s for l, s, _ in D[c]}
        want = 'customer' if cat.startswith('threat.') else 'agent' if cat.startswith('taboo.') else None
        if want and lines.get(ln) != want: bad += 1
    print('label/role mismatches', bad, 'of', len(L))
