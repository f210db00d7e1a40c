#!/usr/bin/env python3
"""Labeller's own sanity scan: print lines with risky-looking words whose category
is neither labelled nor declared a hard negative in that call (for manual review)."""
import csv, json, os, re, collections
HERE=os.path.dirname(os.path.abspath(__file__)); ROOT=os.path.dirname(HERE)
man={m["conversation"]:m for m in json.load(open(os.path.join(HERE,"manifest.json")))}
lab=collections.defaultdict(set)
for r in csv.DictReader(open(os.path.join(ROOT,"labels.csv"))): lab[r["conversation"]].add(r["category"])
hn=collections.defaultdict(set)
for r in csv.DictReader(open(os.path.join(ROOT,"hard_negatives.csv"))): hn[r["conversation"]].add(r["category"])
W={
"threat.regulator":"12315|一二三一五|12345|一二三四五|市长热线|消协|消费者协会|消委会|工商|市场监管|监督管理|工信部|通信管理局|质监|物价|发改委|民航局|邮政|银保监|金融监管|人民银行|卫健委|教育局|文旅局|住建|12301|一二三零一|12378|一二三七八|12305|一二三零五|12398|监察|信访",
"threat.media":"媒体|记者|电视|报社|晚报|曝光|曝|央视|315|三一五|栏目|新闻|大V|爆料|焦点访谈|帮忙|第一现场|黄金眼|帮女郎|都市",
"threat.online":"微博|发帖|网上|抖音|小红书|贴吧|知乎|黑猫|朋友圈|快手|B站|视频号|公众号|论坛|点评|业主群|宝妈群",
"threat.protest":"横幅|条幅|静坐|坐着|堵|门口|讨说法|讨个公道|举牌|牌子|大厅|住着|白T恤",
"threat.legal":"起诉|法院|律师|打官司|诉讼|仲裁|报警|告|法律|法庭|立案|派出所|110|一一零|发函",
"threat.management":"领导|经理|主管|高层|总裁|董事长|总部|老板|负责人|店长|站长|院长|校长|主任|总监|老总|列车长|乘务长|换个人|处长",
"threat.safety":"爆|起火|着火|着了|冒烟|烟|烧|烫|触电|漏电|鼓包|鼓起|火|麻了|电了一下|炸",
"threat.repeat":"好几次|多次|几回|三回|四回|五回|三次|四次|五次|第三|第四|第五|一直|每次|每回|趟|又",
"threat.extreme":"跳|自杀|死|弄死|砸|拼|打断|砍|捅|撞|汽油|一把火|揍|拳|弄残|打一个",
"taboo.overpromise":"一定|保证|肯定|百分|包|绝对|担保|保准|稳拿|打包票",
"taboo.admit_defect":"质量|缺陷|问题|毛病|批|不合格|通病|设计",
"taboo.privacy":"电话|手机|身份证|卡号|住在|地址|号码",
"taboo.impatience":"听不懂|多少遍|几遍|随便|烦|怪谁|就就|呗|到底|啰|爱|懂不懂|琢磨|嚷",
"taboo.withdraw":"撤|别投诉|不要投诉|销|已解决|满意|别再往上|别来了|不用了吧|别走法律",
"taboo.incite":"投诉|12315|举报|去告|起诉|消协|监管|工信部|局|热线|打官司",
"taboo.deflect":"不归|没关系|管不了|找商家|找厂家|找他|自己找|没办法|不是我们|怪不了|我不管",
}
for cid in sorted(man):
    m=man[cid]; lines=open(os.path.join(ROOT,"calls",cid+".txt")).read().rstrip("\n").split("\n")
    for i,ln in enumerate(lines,1):
        sp,_,t=ln.partition("：")
        for cat,pat in W.items():
            side = m["customer"] if cat.startswith("threat") else m["agent"]
            if sp!=side or cat in lab[cid] or cat in hn[cid]: continue
            mm=re.search(pat,t)
            if mm: print(f"{cid}:{i} {cat:18s} [{mm.group(0)}] {ln[:70]}")
