"""The demo question bank: a few hundred questions on party history, new China, reform and opening up, the Party
Constitution and regulations, organisational life and theory, written for this demo.

Most questions are composed from small tables of historical facts (an event and its year and place; a meeting
and what it decided), each fact giving a single-choice, a true/false and a fill-in question; the rest are written
out one by one. Stems are unique after `bank_services.stem_key`, so the bank has no near-duplicates. Everything
goes into the 工委's bank (the root working committee), published, with a handful of queries.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from partyedu.orgs.models import Organization, OrganizationKind

from . import bank_services
from .models import Question

HISTORY, PRC, REFORM, SOCIALISM, CHARTER, THEORY, EDUCATION, LIFE = (
    "党史",
    "新中国史",
    "改革开放史",
    "社会主义发展史",
    "党章党规",
    "党的创新理论",
    "党员教育管理",
    "组织生活",
)
TOPICS = [HISTORY, PRC, REFORM, SOCIALISM, CHARTER, THEORY, EDUCATION, LIFE]
SOURCE = "示范题库（演示数据）"

# (name, verb, year, place or None, difficulty, topic or None (by year), note)
EVENTS = [
    (
        "五四运动",
        "爆发",
        1919,
        None,
        1,
        None,
        "五四运动是一场彻底反帝反封建的爱国运动，促进了马克思主义在中国的传播。",
    ),
    (
        "中国共产党第一次全国代表大会",
        "召开",
        1921,
        "上海",
        1,
        None,
        "1921年7月23日，中共一大在上海开幕，最后一天的会议转移到浙江嘉兴南湖的游船上举行，宣告中国共产党成立。",
    ),
    ("中国共产党第二次全国代表大会", "召开", 1922, "上海", 2, None, "二大制定了党的民主革命纲领。"),
    (
        "中国共产党第三次全国代表大会",
        "召开",
        1923,
        "广州",
        2,
        None,
        "三大决定同国民党合作，建立革命统一战线。",
    ),
    (
        "中国共产党第四次全国代表大会",
        "召开",
        1925,
        "上海",
        3,
        None,
        "四大提出了无产阶级领导权和工农联盟问题。",
    ),
    ("中国共产党第五次全国代表大会", "召开", 1927, "武汉", 3, None, ""),
    ("八七会议", "召开", 1927, "汉口", 2, None, "八七会议确定了土地革命和武装反抗国民党反动派的总方针。"),
    ("南昌起义", "爆发", 1927, None, 1, None, "1927年8月1日，南昌起义打响了武装反抗国民党反动派的第一枪。"),
    (
        "中国共产党第六次全国代表大会",
        "召开",
        1928,
        "莫斯科",
        3,
        None,
        "六大是党唯一一次在国外召开的全国代表大会。",
    ),
    ("古田会议", "召开", 1929, "福建上杭", 2, None, "古田会议确立了思想建党、政治建军的原则。"),
    ("中华苏维埃共和国临时中央政府", "成立", 1931, "瑞金", 2, None, ""),
    ("中央红军长征", "开始", 1934, None, 2, None, "1934年10月，中央红军开始战略转移，踏上长征之路。"),
    ("遵义会议", "召开", 1935, None, 1, None, "遵义会议是党的历史上一个生死攸关的转折点。"),
    ("瓦窑堡会议", "召开", 1935, None, 3, None, "瓦窑堡会议确定了建立抗日民族统一战线的策略方针。"),
    ("红军三大主力会师", "实现", 1936, "甘肃会宁", 2, None, "1936年10月，红军三大主力会师，长征胜利结束。"),
    ("西安事变", "发生", 1936, None, 2, None, "西安事变的和平解决成为时局转换的枢纽。"),
    ("七七事变", "发生", 1937, None, 1, None, "七七事变标志着全民族抗战的开始。"),
    ("洛川会议", "召开", 1937, None, 3, None, "洛川会议制定了全面抗战路线。"),
    ("平型关大捷", "取得", 1937, None, 2, None, "平型关大捷是全国抗战以来中国军队的第一个大胜仗。"),
    ("党的六届六中全会", "召开", 1938, "延安", 3, None, "全会提出了“马克思主义中国化”的命题。"),
    ("百团大战", "发起", 1940, None, 2, None, ""),
    ("延安整风运动", "全面开展", 1942, None, 2, None, ""),
    (
        "中国共产党第七次全国代表大会",
        "召开",
        1945,
        "延安",
        1,
        None,
        "七大确立毛泽东思想为党的指导思想并写入党章。",
    ),
    ("中国人民抗日战争", "取得伟大胜利", 1945, None, 1, None, ""),
    ("辽沈战役", "打响", 1948, None, 3, None, "辽沈、淮海、平津三大战役基本上消灭了国民党军队的主力。"),
    ("党的七届二中全会", "召开", 1949, "西柏坡", 2, None, "全会提出了“两个务必”。"),
    ("中华人民共和国", "成立", 1949, "北京", 1, PRC, "1949年10月1日，开国大典在北京天安门广场举行。"),
    ("中国人民志愿军", "入朝参战", 1950, None, 1, PRC, "抗美援朝战争于1953年7月停战。"),
    ("第一个五年计划", "开始实施", 1953, None, 2, PRC, "“一五”计划（1953—1957年）超额完成。"),
    ("第一部《中华人民共和国宪法》", "通过", 1954, None, 2, PRC, "由第一届全国人民代表大会第一次会议通过。"),
    ("中国共产党第八次全国代表大会", "召开", 1956, "北京", 2, PRC, ""),
    ("我国第一颗原子弹", "爆炸成功", 1964, None, 1, PRC, ""),
    ("我国第一颗氢弹", "爆炸成功", 1967, None, 2, PRC, ""),
    ("我国第一颗人造地球卫星“东方红一号”", "发射成功", 1970, None, 2, PRC, ""),
    ("我国在联合国的合法席位", "得到恢复", 1971, None, 2, PRC, ""),
    ("党的十一届三中全会", "召开", 1978, None, 1, REFORM, "全会开启了改革开放和社会主义现代化建设新时期。"),
    ("深圳、珠海、汕头、厦门经济特区", "设立", 1980, None, 2, REFORM, ""),
    ("党的十一届六中全会", "召开", 1981, None, 3, REFORM, ""),
    ("中国共产党第十二次全国代表大会", "召开", 1982, None, 3, REFORM, ""),
    ("中国共产党第十三次全国代表大会", "召开", 1987, None, 3, REFORM, ""),
    ("邓小平南方谈话", "发表", 1992, None, 2, REFORM, ""),
    ("中国共产党第十四次全国代表大会", "召开", 1992, None, 3, REFORM, ""),
    ("香港", "回归祖国", 1997, None, 1, REFORM, "1997年7月1日，中国政府对香港恢复行使主权。"),
    ("中国共产党第十五次全国代表大会", "召开", 1997, None, 3, REFORM, ""),
    ("澳门", "回归祖国", 1999, None, 1, REFORM, "1999年12月20日，中国政府对澳门恢复行使主权。"),
    ("我国", "正式加入世界贸易组织", 2001, None, 2, REFORM, ""),
    ("中国共产党第十六次全国代表大会", "召开", 2002, None, 3, REFORM, ""),
    ("“神舟五号”载人飞船", "发射成功", 2003, None, 2, REFORM, "杨利伟成为我国第一位进入太空的航天员。"),
    ("中国共产党第十七次全国代表大会", "召开", 2007, None, 3, REFORM, ""),
    ("第29届夏季奥林匹克运动会", "在北京举办", 2008, None, 1, REFORM, ""),
    ("中国共产党第十八次全国代表大会", "召开", 2012, None, 2, REFORM, ""),
    (
        "中央八项规定",
        "出台",
        2012,
        None,
        2,
        CHARTER,
        "2012年12月，中央政治局审议通过关于改进工作作风、密切联系群众的八项规定。",
    ),
    ("中国共产党第十九次全国代表大会", "召开", 2017, None, 2, REFORM, ""),
    ("“不忘初心、牢记使命”主题教育", "在全党开展", 2019, None, 3, EDUCATION, ""),
    ("党史学习教育", "在全党开展", 2021, None, 2, EDUCATION, "2021年是中国共产党成立100周年。"),
    ("中国共产党第二十次全国代表大会", "召开", 2022, None, 1, THEORY, ""),
    ("《中国共产党党员教育管理工作条例》", "印发", 2019, None, 2, EDUCATION, ""),
    ("《中国共产党支部工作条例（试行）》", "印发", 2018, None, 2, LIFE, ""),
    ("《中国共产党发展党员工作细则》", "印发", 2014, None, 3, CHARTER, ""),
]
PLACES = [
    "上海",
    "北京",
    "广州",
    "武汉",
    "汉口",
    "延安",
    "莫斯科",
    "南京",
    "长沙",
    "重庆",
    "瑞金",
    "西柏坡",
    "福建上杭",
    "甘肃会宁",
    "井冈山",
    "西安",
]
SAME_PLACE = {"武汉": {"汉口"}, "汉口": {"武汉"}}

# (meeting, accepted names for a fill-in, what it did, topic, difficulty)
DECISIONS = [
    ("遵义会议", ["遵义会议"], "确立了毛泽东在党中央和红军的领导地位", HISTORY, 1),
    (
        "党的七大",
        ["七大", "中共七大", "党的七大", "中国共产党第七次全国代表大会"],
        "确立毛泽东思想为党的指导思想并写入党章",
        HISTORY,
        1,
    ),
    (
        "党的十一届三中全会",
        ["十一届三中全会", "党的十一届三中全会"],
        "作出把党和国家工作中心转移到经济建设上来、实行改革开放的历史性决策",
        REFORM,
        1,
    ),
    ("党的七届二中全会", ["七届二中全会", "党的七届二中全会"], "提出了“两个务必”", HISTORY, 2),
    (
        "党的十四大",
        ["十四大", "中共十四大", "党的十四大"],
        "明确我国经济体制改革的目标是建立社会主义市场经济体制",
        REFORM,
        2,
    ),
    (
        "党的十五大",
        ["十五大", "中共十五大", "党的十五大"],
        "把邓小平理论确立为党的指导思想并写入党章",
        THEORY,
        2,
    ),
    (
        "党的十六大",
        ["十六大", "中共十六大", "党的十六大"],
        "把“三个代表”重要思想确立为党必须长期坚持的指导思想",
        THEORY,
        2,
    ),
    ("党的十七大", ["十七大", "中共十七大", "党的十七大"], "把科学发展观写入党章", THEORY, 2),
    (
        "党的十九大",
        ["十九大", "中共十九大", "党的十九大"],
        "把习近平新时代中国特色社会主义思想确立为党必须长期坚持的指导思想并写入党章",
        THEORY,
        1,
    ),
    ("古田会议", ["古田会议"], "确立了思想建党、政治建军的原则", HISTORY, 2),
    ("八七会议", ["八七会议"], "确定了土地革命和武装反抗国民党反动派的总方针", HISTORY, 2),
    ("党的二大", ["二大", "中共二大", "党的二大"], "制定了党的民主革命纲领", HISTORY, 3),
    (
        "党的三大",
        ["三大", "中共三大", "党的三大"],
        "决定共产党员以个人名义加入国民党，实现国共合作",
        HISTORY,
        3,
    ),
    (
        "党的四大",
        ["四大", "中共四大", "党的四大"],
        "提出了无产阶级在民主革命中的领导权问题和工农联盟问题",
        HISTORY,
        3,
    ),
    ("瓦窑堡会议", ["瓦窑堡会议"], "确定了建立抗日民族统一战线的策略方针", HISTORY, 3),
    ("洛川会议", ["洛川会议"], "通过了《抗日救国十大纲领》，制定了全面抗战路线", HISTORY, 3),
    ("党的六届六中全会", ["六届六中全会", "党的六届六中全会"], "提出了“马克思主义中国化”的命题", HISTORY, 3),
    (
        "党的十一届六中全会",
        ["十一届六中全会", "党的十一届六中全会"],
        "通过了《关于建国以来党的若干历史问题的决议》",
        REFORM,
        3,
    ),
    (
        "党的十九届六中全会",
        ["十九届六中全会", "党的十九届六中全会"],
        "通过了《中共中央关于党的百年奋斗重大成就和历史经验的决议》",
        HISTORY,
        2,
    ),
    ("党的十三大", ["十三大", "中共十三大", "党的十三大"], "系统阐述了社会主义初级阶段理论", REFORM, 3),
    (
        "党的十二大",
        ["十二大", "中共十二大", "党的十二大"],
        "提出了“走自己的道路，建设有中国特色的社会主义”",
        REFORM,
        3,
    ),
    (
        "党的八大",
        ["八大", "中共八大", "党的八大"],
        "指出国内的主要矛盾已经是人民对于建立先进的工业国的要求同落后的农业国的现实之间的矛盾",
        PRC,
        3,
    ),
    (
        "党的二十大",
        ["二十大", "中共二十大", "党的二十大"],
        "提出以中国式现代化全面推进中华民族伟大复兴",
        THEORY,
        1,
    ),
]

# (spirit, where or what it comes from)
SPIRITS = [
    ("红船精神", "中共一大与嘉兴南湖红船"),
    ("井冈山精神", "井冈山革命根据地的斗争"),
    ("长征精神", "红军长征"),
    ("延安精神", "党中央在延安的十三年"),
    ("西柏坡精神", "党中央在西柏坡指挥解放战争、召开七届二中全会"),
    ("抗美援朝精神", "中国人民志愿军抗美援朝"),
    ("“两弹一星”精神", "原子弹、氢弹和人造卫星的研制"),
    ("焦裕禄精神", "兰考县委书记焦裕禄带领群众治理风沙、内涝、盐碱"),
    ("红旗渠精神", "林县人民在太行山上修建红旗渠"),
    ("载人航天精神", "我国载人航天工程"),
    ("脱贫攻坚精神", "打赢脱贫攻坚战"),
    ("沂蒙精神", "沂蒙革命根据地军民同心、水乳交融"),
]

LETTERS = "ABCDEFGH"
# Year windows of the "which of these happened between … and …" questions (multiple choice).
WINDOWS = [
    (1919, 1926),
    (1927, 1931),
    (1934, 1937),
    (1938, 1948),
    (1950, 1960),
    (1964, 1971),
    (1978, 1992),
    (1997, 2003),
    (2007, 2017),
    (2018, 2022),
]


def _letters(text: str) -> dict:
    indexes = [LETTERS.index(x) for x in text]
    return {"choice": indexes[0]} if len(indexes) == 1 else {"choices": indexes}


# (topic, type, difficulty, stem, options, answer, explanation); answer: letters, True/False, or "a/b；c"
WRITTEN = [
    (CHARTER, "blank", 1, "中国共产党的最高理想和最终目标是实现____。", [], "共产主义", "见党章总纲。"),
    (CHARTER, "blank", 1, "中国共产党的根本宗旨是____。", [], "全心全意为人民服务", ""),
    (
        CHARTER,
        "single",
        1,
        "党章规定，年满多少岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子可以申请加入中国共产党？",
        ["十六岁", "十八岁", "二十岁", "二十二岁"],
        "B",
        "党章第一条。",
    ),
    (
        CHARTER,
        "single",
        1,
        "预备党员的预备期为多长时间？",
        ["六个月", "一年", "一年半", "两年"],
        "B",
        "党章第七条：预备党员的预备期为一年。",
    ),
    (
        CHARTER,
        "single",
        1,
        "发展党员，必须有几名正式党员作介绍人？",
        ["一名", "两名", "三名", "五名"],
        "B",
        "党章第五条。",
    ),
    (
        CHARTER,
        "single",
        2,
        "预备党员的预备期从什么时候算起？",
        [
            "递交入党申请书之日",
            "被确定为入党积极分子之日",
            "支部大会通过其为预备党员之日",
            "上级党组织批准之日",
        ],
        "C",
        "党章第七条。",
    ),
    (
        CHARTER,
        "single",
        2,
        "党员的党龄从什么时候算起？",
        ["递交入党申请书之日", "支部大会通过其为预备党员之日", "预备期满转为正式党员之日", "入党宣誓之日"],
        "C",
        "党章第七条。",
    ),
    (
        CHARTER,
        "judge",
        2,
        "预备党员除了没有表决权、选举权和被选举权以外，同正式党员一样享有党员权利，履行党员义务。",
        [],
        True,
        "党章第七条。",
    ),
    (
        CHARTER,
        "judge",
        2,
        "预备党员的预备期可以延长，但不能超过两年。",
        [],
        False,
        "预备期可以延长，但不能超过一年。",
    ),
    (
        CHARTER,
        "single",
        1,
        "党的根本组织原则是什么？",
        ["集体领导", "民主集中制", "少数服从多数", "个人分工负责"],
        "B",
        "",
    ),
    (
        CHARTER,
        "single",
        1,
        "党的最高领导机关是什么？",
        ["中央政治局", "中央书记处", "党的全国代表大会和它所产生的中央委员会", "中央军事委员会"],
        "C",
        "党章第十条。",
    ),
    (CHARTER, "single", 1, "党的全国代表大会每几年举行一次？", ["三年", "四年", "五年", "六年"], "C", ""),
    (
        CHARTER,
        "single",
        2,
        "企业、农村、机关等基层单位，凡是有正式党员几人以上的，都应当成立党的基层组织？",
        ["二人", "三人", "五人", "七人"],
        "B",
        "党章第三十条。",
    ),
    (
        CHARTER,
        "multiple",
        2,
        "党的纪律处分包括哪些？",
        ["警告、严重警告", "撤销党内职务", "留党察看", "开除党籍", "降级"],
        "ABCD",
        "党章第四十条规定了五种党纪处分，“降级”是政务处分。",
    ),
    (
        CHARTER,
        "single",
        3,
        "留党察看最长不超过多长时间？",
        ["半年", "一年", "两年", "三年"],
        "C",
        "党章第四十一条。",
    ),
    (
        CHARTER,
        "judge",
        2,
        "党员没有正当理由，连续六个月不参加党的组织生活，或不交纳党费，或不做党所分配的工作，就被认为是自行脱党。",
        [],
        True,
        "党章第九条。",
    ),
    (CHARTER, "judge", 1, "中国共产党党旗为旗面缀有金黄色党徽图案的红旗。", [], True, ""),
    (CHARTER, "blank", 2, "入党誓词的最后一句是：随时准备为党和人民牺牲一切，____。", [], "永不叛党", ""),
    (
        CHARTER,
        "judge",
        1,
        "中国共产党是中国工人阶级的先锋队，同时是中国人民和中华民族的先锋队。",
        [],
        True,
        "党章总纲。",
    ),
    (
        CHARTER,
        "multiple",
        2,
        "党的纪律包括哪些方面？",
        ["政治纪律", "组织纪律", "廉洁纪律", "群众纪律", "工作纪律", "生活纪律"],
        "ABCDEF",
        "《中国共产党纪律处分条例》规定的六项纪律。",
    ),
    (CHARTER, "single", 2, "党章规定，党员必须按期交纳什么？", ["会费", "党费", "工会费", "团费"], "B", ""),
    (
        CHARTER,
        "judge",
        2,
        "党员个人服从党的组织，少数服从多数，下级组织服从上级组织，全党各个组织和全体党员服从党的全国代表大会和中央委员会。",
        [],
        True,
        "党章第十条。",
    ),
    (
        CHARTER,
        "single",
        2,
        "入党积极分子经过多长时间以上的培养教育和考察，基本具备党员条件的，可以列为发展对象？",
        ["三个月", "半年", "一年", "两年"],
        "C",
        "《中国共产党发展党员工作细则》。",
    ),
    (
        CHARTER,
        "multiple",
        2,
        "发展党员一般要经过哪些阶段？",
        ["确定入党积极分子", "确定发展对象", "接收预备党员", "预备党员转正"],
        "ABCD",
        "",
    ),
    (CHARTER, "judge", 2, "接收预备党员，必须经过支部大会讨论通过和上级党组织批准。", [], True, ""),
    (
        CHARTER,
        "multiple",
        1,
        "“四个意识”是指哪些意识？",
        ["政治意识", "大局意识", "核心意识", "看齐意识", "忧患意识"],
        "ABCD",
        "",
    ),
    (
        CHARTER,
        "multiple",
        1,
        "“四个自信”是指哪些自信？",
        ["道路自信", "理论自信", "制度自信", "文化自信", "历史自信"],
        "ABCD",
        "",
    ),
    (
        CHARTER,
        "blank",
        2,
        "“两个维护”是坚决维护习近平总书记党中央的核心、全党的核心地位，坚决维护党中央____和集中统一领导。",
        [],
        "权威",
        "",
    ),
    (
        CHARTER,
        "multiple",
        1,
        "党的优良作风包括哪些？",
        ["理论联系实际", "密切联系群众", "批评和自我批评", "官僚主义"],
        "ABC",
        "毛泽东在党的七大上系统论述了党的三大优良作风。",
    ),
    (
        CHARTER,
        "blank",
        2,
        "“两个务必”是：务必使同志们继续地保持谦虚、谨慎、不骄、不躁的作风，务必使同志们继续地保持____的作风。",
        [],
        "艰苦奋斗",
        "毛泽东在党的七届二中全会上提出。",
    ),
    (
        LIFE,
        "multiple",
        1,
        "“三会一课”中的“三会”是指哪些会议？",
        ["支部党员大会", "支部委员会会议", "党小组会", "职工代表大会"],
        "ABC",
        "“一课”是党课。",
    ),
    (
        LIFE,
        "single",
        1,
        "按照《中国共产党支部工作条例（试行）》，支部党员大会一般多久召开1次？",
        ["每月", "每季度", "每半年", "每年"],
        "B",
        "",
    ),
    (
        LIFE,
        "single",
        1,
        "按照《中国共产党支部工作条例（试行）》，支部委员会会议一般多久召开1次？",
        ["每周", "每月", "每季度", "每半年"],
        "B",
        "",
    ),
    (
        LIFE,
        "single",
        1,
        "按照《中国共产党支部工作条例（试行）》，党小组会一般多久召开1次？",
        ["每周", "每月", "每季度", "每年"],
        "B",
        "",
    ),
    (
        LIFE,
        "single",
        1,
        "按照《中国共产党支部工作条例（试行）》，党课一般多久开展1次？",
        ["每月", "每季度", "每半年", "每年"],
        "B",
        "",
    ),
    (
        LIFE,
        "single",
        2,
        "党支部书记每年至少讲几次党课？",
        ["1次", "2次", "3次", "4次"],
        "A",
        "《中国共产党支部工作条例（试行）》。",
    ),
    (
        LIFE,
        "single",
        1,
        "党支部应当每月相对固定几天开展主题党日？",
        ["1天", "2天", "3天", "不作要求"],
        "A",
        "",
    ),
    (LIFE, "single", 2, "组织生活会一般每年召开几次？", ["1次", "2次", "3次", "4次"], "A", ""),
    (LIFE, "single", 2, "民主评议党员一般多久开展一次？", ["每季度", "每半年", "每年", "每两年"], "C", ""),
    (LIFE, "judge", 1, "党员领导干部应当以普通党员身份参加所在党支部或党小组的组织生活。", [], True, ""),
    (
        LIFE,
        "judge",
        2,
        "党员领导干部可以由秘书代为参加所在党支部的组织生活。",
        [],
        False,
        "党员领导干部应当以普通党员身份亲自参加组织生活。",
    ),
    (
        LIFE,
        "multiple",
        2,
        "召开组织生活会，一般要开展哪些活动？",
        ["学习研讨", "查摆问题", "开展批评和自我批评", "明确整改方向"],
        "ABCD",
        "",
    ),
    (LIFE, "judge", 2, "党支部委员会会议须有半数以上委员到会方可召开。", [], True, ""),
    (LIFE, "judge", 2, "支部党员大会须有半数以上有表决权的党员到会方可召开。", [], True, ""),
    (
        LIFE,
        "single",
        2,
        "党员因特殊情况不能参加组织生活的，应当怎么做？",
        ["无需说明", "事后补签到", "事先向党支部或党小组请假", "由他人代签"],
        "C",
        "",
    ),
    (
        LIFE,
        "multiple",
        2,
        "主题党日可以结合哪些内容开展？",
        ["集中学习", "过组织生活", "开展志愿服务", "交纳党费"],
        "ABCD",
        "",
    ),
    (
        EDUCATION,
        "single",
        1,
        "按照《中国共产党党员教育管理工作条例》，党员每年集中学习培训时间一般不少于多少学时？",
        ["16学时", "24学时", "32学时", "56学时"],
        "C",
        "",
    ),
    (
        EDUCATION,
        "single",
        2,
        "按照《中国共产党党员教育管理工作条例》，基层党组织书记和班子成员每年集中学习培训时间一般不少于多少学时？",
        ["32学时", "40学时", "48学时", "56学时"],
        "D",
        "",
    ),
    (EDUCATION, "judge", 2, "党员教育培训可以采取集中培训、个人自学、网络学习等多种方式进行。", [], True, ""),
    (
        EDUCATION,
        "multiple",
        2,
        "党员教育的基本任务包括哪些？",
        [
            "政治理论教育",
            "政治教育和政治训练",
            "党章党规党纪教育",
            "党的宗旨教育",
            "革命传统教育",
            "知识技能教育",
        ],
        "ABCDEF",
        "《中国共产党党员教育管理工作条例》规定的党员教育基本任务。",
    ),
    (
        EDUCATION,
        "judge",
        2,
        "对行动不便的老党员、病残党员，党组织可以采取送学上门等方式开展教育。",
        [],
        True,
        "",
    ),
    (
        EDUCATION,
        "judge",
        2,
        "流动党员不需要参加党组织的教育培训。",
        [],
        False,
        "流动党员应当参加流入地或流出地党组织的教育管理。",
    ),
    (
        EDUCATION,
        "single",
        2,
        "“学习强国”学习平台于哪一年正式上线？",
        ["2017年", "2018年", "2019年", "2020年"],
        "C",
        "2019年1月上线。",
    ),
    (
        EDUCATION,
        "blank",
        2,
        "党员教育要坚持“缺什么补什么、干什么学什么”，增强教育培训的____。",
        [],
        "针对性/针对性和实效性",
        "",
    ),
    (
        THEORY,
        "multiple",
        1,
        "新发展理念包括哪些？",
        ["创新", "协调", "绿色", "开放", "共享", "速度"],
        "ABCDE",
        "",
    ),
    (
        THEORY,
        "multiple",
        1,
        "“五位一体”总体布局包括哪些建设？",
        ["经济建设", "政治建设", "文化建设", "社会建设", "生态文明建设"],
        "ABCDE",
        "",
    ),
    (
        THEORY,
        "multiple",
        2,
        "“四个全面”战略布局包括哪些？",
        ["全面建设社会主义现代化国家", "全面深化改革", "全面依法治国", "全面从严治党", "全面对外开放"],
        "ABCD",
        "",
    ),
    (
        THEORY,
        "single",
        1,
        "在中国共产党成立一百年时实现的奋斗目标是什么？",
        ["基本实现社会主义现代化", "全面建成小康社会", "建成社会主义现代化强国", "实现国民经济翻两番"],
        "B",
        "",
    ),
    (
        THEORY,
        "single",
        2,
        "按照党的二十大的部署，我国基本实现社会主义现代化的时间是哪一年？",
        ["2025年", "2030年", "2035年", "2049年"],
        "C",
        "",
    ),
    (
        THEORY,
        "multiple",
        2,
        "社会主义核心价值观中，国家层面的价值目标是哪些？",
        ["富强", "民主", "文明", "和谐", "自由"],
        "ABCD",
        "",
    ),
    (
        THEORY,
        "multiple",
        2,
        "社会主义核心价值观中，社会层面的价值取向是哪些？",
        ["自由", "平等", "公正", "法治", "诚信"],
        "ABCD",
        "",
    ),
    (
        THEORY,
        "multiple",
        2,
        "社会主义核心价值观中，公民个人层面的价值准则是哪些？",
        ["爱国", "敬业", "诚信", "友善", "和谐"],
        "ABCD",
        "",
    ),
    (THEORY, "judge", 1, "中国共产党领导是中国特色社会主义最本质的特征。", [], True, ""),
    (THEORY, "blank", 1, "“绿水青山就是____”。", [], "金山银山", ""),
    (
        THEORY,
        "multiple",
        2,
        "四项基本原则是指坚持哪些？",
        ["社会主义道路", "人民民主专政", "中国共产党的领导", "马克思列宁主义、毛泽东思想", "市场经济"],
        "ABCD",
        "",
    ),
    (
        THEORY,
        "single",
        2,
        "党在社会主义初级阶段的基本路线中，“一个中心”是指什么？",
        ["以阶级斗争为纲", "以经济建设为中心", "以改革开放为中心", "以科技创新为中心"],
        "B",
        "",
    ),
    (
        THEORY,
        "multiple",
        2,
        "马克思主义中国化时代化的理论成果包括哪些？",
        ["毛泽东思想", "邓小平理论", "“三个代表”重要思想", "科学发展观", "习近平新时代中国特色社会主义思想"],
        "ABCDE",
        "",
    ),
    (
        THEORY,
        "blank",
        2,
        "伟大建党精神是：坚持真理、坚守理想，践行初心、担当使命，不怕牺牲、英勇斗争，对党忠诚、____。",
        [],
        "不负人民",
        "",
    ),
    (
        THEORY,
        "blank",
        3,
        "党找到了跳出治乱兴衰历史周期率的第二个答案，这就是____。",
        [],
        "自我革命",
        "第一个答案是让人民来监督政府。",
    ),
    (THEORY, "judge", 2, "党的二十大报告指出，中国式现代化是人口规模巨大的现代化。", [], True, ""),
    (
        THEORY,
        "multiple",
        3,
        "中国式现代化的中国特色包括哪些？",
        [
            "人口规模巨大的现代化",
            "全体人民共同富裕的现代化",
            "物质文明和精神文明相协调的现代化",
            "人与自然和谐共生的现代化",
            "走和平发展道路的现代化",
        ],
        "ABCDE",
        "",
    ),
    (
        THEORY,
        "single",
        2,
        "进入新时代，我国社会主要矛盾是人民日益增长的美好生活需要和什么之间的矛盾？",
        ["落后的社会生产", "不平衡不充分的发展", "城乡差距", "区域发展不协调"],
        "B",
        "党的十九大作出的重大判断。",
    ),
    (THEORY, "judge", 2, "全过程人民民主是社会主义民主政治的本质属性。", [], True, ""),
    (
        THEORY,
        "judge",
        2,
        "坚持以人民为中心的发展思想，就是要把人民对美好生活的向往作为奋斗目标。",
        [],
        True,
        "",
    ),
    (
        THEORY,
        "single",
        3,
        "总体国家安全观以什么为宗旨？",
        ["政治安全", "经济安全", "人民安全", "国际安全"],
        "C",
        "以人民安全为宗旨，以政治安全为根本，以经济安全为基础。",
    ),
    (HISTORY, "judge", 1, "中共一大最后一天的会议转移到浙江嘉兴南湖的游船上举行。", [], True, ""),
    (
        HISTORY,
        "single",
        2,
        "我国第一个农村革命根据地是哪里？",
        ["中央革命根据地", "井冈山革命根据地", "陕甘革命根据地", "鄂豫皖革命根据地"],
        "B",
        "1927年10月，毛泽东率领秋收起义部队到达井冈山。",
    ),
    (
        HISTORY,
        "single",
        2,
        "《共产党宣言》第一个中文全译本的译者是谁？",
        ["李大钊", "陈独秀", "陈望道", "瞿秋白"],
        "C",
        "1920年出版。",
    ),
    (HISTORY, "judge", 2, "李大钊是中国最早传播马克思主义的先驱之一。", [], True, ""),
    (HISTORY, "blank", 2, "“砍头不要紧，只要主义真”是革命烈士____的就义诗。", [], "夏明翰", ""),
    (
        HISTORY,
        "single",
        2,
        "《可爱的中国》是哪位革命先烈在狱中写下的？",
        ["方志敏", "杨靖宇", "赵一曼", "刘胡兰"],
        "A",
        "",
    ),
    (HISTORY, "judge", 2, "长征途中，红军四渡赤水是毛泽东军事指挥艺术的“得意之笔”。", [], True, ""),
    (
        HISTORY,
        "single",
        2,
        "红军长征途中，“飞夺泸定桥”跨越的是哪条河流？",
        ["金沙江", "大渡河", "乌江", "赤水河"],
        "B",
        "",
    ),
    (
        HISTORY,
        "single",
        3,
        "“星星之火，可以燎原”的论断出自毛泽东哪一年写的文章？",
        ["1927年", "1928年", "1930年", "1935年"],
        "C",
        "1930年1月，毛泽东写下《星星之火，可以燎原》。",
    ),
    (
        HISTORY,
        "single",
        2,
        "毛泽东在哪次会议上提出“政权是由枪杆子中取得的”？",
        ["八七会议", "古田会议", "遵义会议", "洛川会议"],
        "A",
        "",
    ),
    (
        HISTORY,
        "multiple",
        2,
        "解放战争中的三大战役是哪些？",
        ["辽沈战役", "淮海战役", "平津战役", "渡江战役"],
        "ABC",
        "",
    ),
    (
        HISTORY,
        "single",
        2,
        "中国共产党领导的第一支人民军队诞生于哪次起义？",
        ["秋收起义", "南昌起义", "广州起义", "百色起义"],
        "B",
        "8月1日后来成为中国人民解放军建军节。",
    ),
    (HISTORY, "judge", 2, "杨靖宇是东北抗日联军的主要领导人之一。", [], True, ""),
    (
        HISTORY,
        "single",
        2,
        "党中央在延安和陕北领导中国革命大约多少年？",
        ["八年", "十年", "十三年", "十五年"],
        "C",
        "1935年至1948年。",
    ),
    (
        PRC,
        "single",
        1,
        "中国人民政治协商会议第一届全体会议在哪一年召开？",
        ["1948年", "1949年", "1950年", "1954年"],
        "B",
        "1949年9月在北平召开。",
    ),
    (PRC, "judge", 2, "抗美援朝战争于1953年7月签订停战协定。", [], True, ""),
    (
        PRC,
        "single",
        2,
        "“铁人”王进喜是哪个油田的石油工人？",
        ["胜利油田", "大庆油田", "克拉玛依油田", "玉门油田"],
        "B",
        "",
    ),
    (PRC, "single", 2, "焦裕禄曾任哪个县的县委书记？", ["林县", "兰考县", "正定县", "沂南县"], "B", ""),
    (PRC, "judge", 1, "1963年，毛泽东题词“向雷锋同志学习”。", [], True, ""),
    (
        PRC,
        "blank",
        2,
        "1956年底，我国基本完成了对农业、手工业和____的社会主义改造。",
        [],
        "资本主义工商业",
        "",
    ),
    (
        REFORM,
        "single",
        1,
        "我国改革开放首先从哪个领域突破？",
        ["城市国有企业", "农村", "金融", "外贸"],
        "B",
        "家庭联产承包责任制首先在农村推行。",
    ),
    (REFORM, "judge", 2, "1978年，安徽凤阳小岗村18户农民签下“大包干”契约。", [], True, ""),
    (
        REFORM,
        "single",
        2,
        "我国第一个经济特区建设的口号“时间就是金钱，效率就是生命”出自哪里？",
        ["深圳蛇口", "珠海", "厦门", "上海浦东"],
        "A",
        "",
    ),
    (
        REFORM,
        "single",
        2,
        "上海浦东开发开放于哪一年正式宣布？",
        ["1988年", "1990年", "1992年", "1994年"],
        "B",
        "",
    ),
    (
        REFORM,
        "judge",
        2,
        "2020年，我国脱贫攻坚战取得了全面胜利，现行标准下农村贫困人口全部脱贫。",
        [],
        True,
        "",
    ),
    (
        REFORM,
        "single",
        3,
        "我国全面取消农业税是在哪一年？",
        ["2004年", "2006年", "2008年", "2010年"],
        "B",
        "",
    ),
    (
        SOCIALISM,
        "single",
        1,
        "《共产党宣言》发表于哪一年？",
        ["1840年", "1848年", "1867年", "1871年"],
        "B",
        "",
    ),
    (
        SOCIALISM,
        "single",
        2,
        "世界上第一个无产阶级政权的尝试是什么？",
        ["巴黎公社", "十月革命", "宪章运动", "里昂工人起义"],
        "A",
        "1871年巴黎公社。",
    ),
    (SOCIALISM, "single", 1, "俄国十月革命发生于哪一年？", ["1905年", "1914年", "1917年", "1919年"], "C", ""),
    (
        SOCIALISM,
        "judge",
        1,
        "“十月革命一声炮响，给我们送来了马克思列宁主义。”",
        [],
        True,
        "毛泽东《论人民民主专政》。",
    ),
    (
        SOCIALISM,
        "single",
        2,
        "《资本论》第一卷出版于哪一年？",
        ["1848年", "1859年", "1867年", "1883年"],
        "C",
        "",
    ),
    (
        SOCIALISM,
        "multiple",
        2,
        "马克思主义的三个组成部分是哪些？",
        ["马克思主义哲学", "马克思主义政治经济学", "科学社会主义", "空想社会主义"],
        "ABC",
        "",
    ),
    (SOCIALISM, "judge", 2, "科学社会主义的创始人是马克思和恩格斯。", [], True, ""),
    (
        SOCIALISM,
        "blank",
        2,
        "马克思和恩格斯在《共产党宣言》结尾发出号召：“全世界____，联合起来！”",
        [],
        "无产者",
        "",
    ),
]


def _year_options(rng: random.Random, year: int) -> tuple[list[str], int]:
    others = rng.sample([y for y in range(year - 4, year + 5) if y != year], 3)
    years = sorted([year, *others])
    return [f"{y}年" for y in years], years.index(year)


def _compose(rng: random.Random) -> list[tuple[str, dict]]:
    """(topic name, question fields) of the whole demo bank."""
    out: list[tuple[str, dict]] = []

    def add(topic, qtype, difficulty, stem, answer, options=(), explanation=""):
        out.append(
            (
                topic,
                {
                    "qtype": qtype,
                    "stem": stem,
                    "options": list(options),
                    "answer": answer,
                    "explanation": explanation,
                    "difficulty": max(1, min(3, difficulty)),
                    "source": SOURCE,
                },
            )
        )

    for name, verb, year, place, difficulty, topic, note in EVENTS:
        topic = topic or HISTORY
        fact = f"{name}于{year}年{verb}。"
        explanation = f"{fact}{note}" if note else fact
        options, right = _year_options(rng, year)
        add(topic, "single", difficulty, f"{name}于哪一年{verb}？", {"choice": right}, options, explanation)
        if rng.random() < 0.5:
            add(topic, "judge", difficulty - 1, fact, {"value": True}, explanation=explanation)
        else:
            wrong = year + rng.choice([-3, -2, -1, 1, 2, 3])
            add(
                topic,
                "judge",
                difficulty - 1,
                f"{name}于{wrong}年{verb}。",
                {"value": False},
                explanation=explanation,
            )
        add(
            topic,
            "blank",
            difficulty + 1,
            f"{name}于____年{verb}。",
            {"blanks": [[str(year)]]},
            explanation=explanation,
        )
        if place:
            pool = [p for p in PLACES if p != place and p not in SAME_PLACE.get(place, set())]
            choices = sorted([place, *rng.sample(pool, 3)])
            add(
                topic,
                "single",
                difficulty,
                f"{name}在哪里{verb}？",
                {"choice": choices.index(place)},
                choices,
                explanation,
            )
    meetings = [d[0] for d in DECISIONS]
    for meeting, accepted, did, topic, difficulty in DECISIONS:
        explanation = f"{meeting}{did}。"
        choices = sorted([meeting, *rng.sample([m for m in meetings if m != meeting], 3)])
        add(
            topic,
            "single",
            difficulty,
            f"哪次会议{did}？",
            {"choice": choices.index(meeting)},
            choices,
            explanation,
        )
        if rng.random() < 0.5:
            add(topic, "judge", difficulty, explanation, {"value": True}, explanation=explanation)
        else:
            other = rng.choice([m for m in meetings if m != meeting])
            add(topic, "judge", difficulty, f"{other}{did}。", {"value": False}, explanation=explanation)
        add(topic, "blank", difficulty + 1, f"____{did}。", {"blanks": [accepted]}, explanation=explanation)
    for first, last in WINDOWS:
        inside = [e for e in EVENTS if first <= e[2] <= last]
        outside = [e for e in EVENTS if e[2] < first - 1 or e[2] > last + 1]
        picked = rng.sample(inside, min(len(inside), rng.choice([2, 3])))
        options = picked + rng.sample(outside, 5 - len(picked))
        rng.shuffle(options)
        add(
            HISTORY if last < 1949 else PRC if last < 1978 else REFORM,
            "multiple",
            2,
            f"下列事件中，发生在{first}年至{last}年之间的有哪些？",
            {"choices": sorted(options.index(e) for e in picked)},
            [f"{e[0]}{e[1]}" for e in options],
            "；".join(f"{e[0]}于{e[2]}年{e[1]}" for e in options) + "。",
        )
    spirits = [s[0] for s in SPIRITS]
    for spirit, origin in SPIRITS:
        choices = sorted([spirit, *rng.sample([s for s in spirits if s != spirit], 3)])
        add(
            THEORY, "single", 2, f"形成于{origin}的是哪一种精神？", {"choice": choices.index(spirit)}, choices
        )
    for topic, qtype, difficulty, stem, options, answer, explanation in WRITTEN:
        if qtype in {"single", "multiple"}:
            answer = _letters(answer)
        elif qtype == "judge":
            answer = {"value": answer}
        else:
            answer = {"blanks": [[a for a in part.split("/") if a] for part in answer.split("；")]}
        add(topic, qtype, difficulty, stem, answer, options, explanation)
    return out


@transaction.atomic
def seed_question_bank(seed: int, today: datetime.date | None = None) -> int:
    """Publish the demo bank in the root 工委's bank; returns the number of questions written (0 when the bank
    already holds them or there is no 工委)."""
    from partyedu.learning import materials_services
    from partyedu.learning.models import Topic

    owner = (
        Organization.objects.filter(kind=OrganizationKind.WORKING_COMMITTEE, parent__isnull=True)
        .order_by("pk")
        .first()
    )
    if owner is None:
        return 0
    rng = random.Random(seed * 7919 + 5)
    composed = _compose(rng)
    existing = set(Question.objects.filter(owner=owner).values_list("stem_key", flat=True))
    topics = dict(Topic.objects.filter(name__in=TOPICS).values_list("name", "pk"))
    for name in TOPICS:
        if name not in topics:
            topics[name] = materials_services.topic_named(name).pk
    items, seen = [], set(existing)
    for topic, fields in composed:
        key = bank_services.stem_key(fields["stem"])
        if key in seen:
            continue
        seen.add(key)
        items.append({**fields, "topics": [topics[topic]]})
    if not items:
        return 0
    return len(bank_services.bulk_create_questions(owner, items, publish=True))
