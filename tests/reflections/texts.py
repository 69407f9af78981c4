"""Texts for the originality tests: an original reflection in paragraphs, and ways people copy it."""

ORIGINAL = (
    "通过这次集中学习，我深刻认识到理论武装是党员干部的必修课。只有坚持读原著、学原文、悟原理，"
    "才能在纷繁复杂的工作中保持清醒头脑，把握正确方向。\n\n"
    "作为财政部门的一名普通党员，我要把学习成果转化为做好本职工作的实际行动。在预算编制中坚持过紧日子的要求，"
    "严格控制一般性支出，把有限的资金用在刀刃上，让每一分钱都花出实效。\n\n"
    "同时，我也查找了自身存在的不足：有时满足于完成任务，主动研究新情况新问题不够；"
    "联系群众的次数不多，对基层的困难了解得不深。今后我将经常到乡镇财政所走一走，听一听一线同志的意见。\n\n"
    "学习没有终点，我将以这次学习为新的起点，坚持学思用贯通、知信行统一，努力做一名让组织放心、让群众满意的合格党员。"
)

OTHER = (
    "参加支部组织的红色教育基地参观后，我心里久久不能平静。展馆里一件件泛黄的老物件，"
    "讲述着先辈们为了理想信念不惜牺牲一切的故事。\n\n"
    "回到单位，我把这种感动带到了教学管理工作中，认真梳理了学校在课后服务方面的短板，"
    "和同事们一起研究了改进办法，力争让家长少跑腿、让孩子多受益。"
)

MATERIAL_TEXT = (
    "全面从严治党永远在路上，党的自我革命永远在路上，决不能有松劲歇脚、疲劳厌战的情绪，"
    "必须持之以恒推进全面从严治党，深入推进新时代党的建设新的伟大工程。"
)


def disguise(text: str) -> str:
    """The same words with punctuation shuffled, full-width letters and digits, and spaces thrown in."""
    table = str.maketrans({"，": "、", "。": "；", "：": " ", "；": "，"})
    out = text.translate(table)
    out = out.replace("学习", "学 习").replace("党员", "党　员")
    return out + "ＡＢＣ１２３"


def interleave(text: str, extra: str = "这是我自己补充的一句体会，与原文无关。") -> str:
    """A copy with one sentence of one's own inserted into every paragraph."""
    paragraphs = text.split("\n\n")
    out = []
    for i, p in enumerate(paragraphs):
        mid = len(p) // 2
        out.append(p[:mid] + extra.replace("一句", f"第{i + 1}句") + p[mid:])
    return "\n\n".join(out)
