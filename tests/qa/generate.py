"""Writes the timed fixtures of tests/qa_sheet.rs: one call in each timed format.

The call has known timing, the same in every format (seconds):
  one silence of 12.0 s after the agent said 稍等/查一下 (announced: no finding),
  one silence of 16.0 s from 34.0 to 50.0, not announced (timing.silence before line 8),
  the agent starting 1.5 s before the customer finished (line 3) and 1.2 s (line 10).
Agent is channel/speaker 0 (SPEAKER_00). Run: python3 tests/qa/generate.py
"""
import json, os

CALL = [  # (start, end, side, text)
    (0.0, 3.0, 0, "喂，这边是蓝鲸宽带服务中心，我是工号六六八，请讲。"),
    (3.5, 8.0, 1, "我家网络从昨天晚上就一直掉线，真是受够了。"),
    (6.5, 10.0, 0, "这事儿确实让您受累了，先跟您核对一下身份，您贵姓？"),
    (10.5, 12.0, 1, "姓王。"),
    (12.5, 15.0, 0, "好的您稍等，我帮您查一下线路。"),
    (27.0, 30.0, 0, "查到了，您登记的地址这边光猫信号偏弱。"),
    (30.5, 34.0, 1, "那你们赶紧派人来修啊。"),
    (50.0, 54.0, 0, "已经给您派单了，师傅明天上午上门。"),
    (54.5, 56.0, 1, "行吧。"),
    (54.8, 58.0, 0, "您看还有别的需要帮忙的吗？"),
    (58.5, 59.5, 1, "没有了。"),
    (60.0, 62.0, 0, "那祝您周末愉快，拜拜。"),
]
LABEL = {0: "客服", 1: "客户"}
here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "timed")


def clock(s, sep="."):
    ms = round(s * 1000)
    return f"{ms // 3600000:02}:{ms // 60000 % 60:02}:{ms // 1000 % 60:02}{sep}{ms % 1000:03}"


def write(name, text):
    with open(os.path.join(here, name), "w", encoding="utf-8") as f:
        f.write(text)


dump = lambda v: json.dumps(v, ensure_ascii=False, indent=1) + "\n"
write("funasr.json", dump([{"key": "qa_funasr", "text": "".join(t for *_, t in CALL),
      "sentence_info": [{"text": t, "start": round(a * 1000), "end": round(b * 1000), "spk": s} for a, b, s, t in CALL]}]))
write("whisper.json", dump({"segments": [{"id": i, "start": a, "end": b, "text": t, "speaker": f"SPEAKER_0{s}"}
      for i, (a, b, s, t) in enumerate(CALL)]}))
write("aliyun.json", dump({"TaskId": "qa", "Result": {"Sentences": [{"Text": t, "BeginTime": round(a * 1000),
      "EndTime": round(b * 1000), "ChannelId": s} for a, b, s, t in CALL]}}))
write("tencent.json", dump({"Response": {"Data": {"ResultDetail": [{"FinalSentence": t, "StartMs": round(a * 1000),
      "EndMs": round(b * 1000), "SpeakerId": s} for a, b, s, t in CALL]}}}))
write("call.srt", "".join(f"{i + 1}\n{clock(a, ',')} --> {clock(b, ',')}\n{LABEL[s]}：{t}\n\n" for i, (a, b, s, t) in enumerate(CALL)))
write("call.vtt", "WEBVTT\n\n" + "".join(f"{clock(a)} --> {clock(b)} align:start\n<v {LABEL[s]}>{t}\n\n" for a, b, s, t in CALL))
write("ranges.txt", "".join(f"[{clock(a)}-{clock(b)}] {LABEL[s]}：{t}\n" for a, b, s, t in CALL))
