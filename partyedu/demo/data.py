"""The raw material of the demo county: places, agencies, names, posts and how they are distributed.

Everything here is invented or statistical. The county and the city do not exist; the region codes only have to
look right to a checksum and to a clerk. Weights are rough shares among agency staff, not census figures, except
the surnames, which follow their real frequency so that a roster "looks like" one.
"""

from __future__ import annotations

from dataclasses import dataclass

COUNTY_NAME = "青山县"
CITY_NAME = "云岭市"

# Region codes (the first six digits of a citizen ID) of the fictional 云岭市 and its 青山县. 4315 is a prefecture
# number Hunan (43) does not use, so the codes look right to a clerk while no generated ID can be a real person's.
# Most people were registered in the county itself, some elsewhere in the prefecture.
COUNTY_REGION_CODE = "431523"
CITY_REGION_CODE = "431502"
OTHER_REGION_CODES = [
    ("431502", 5),
    ("431503", 4),
    ("431521", 3),
    ("431522", 3),
    ("431524", 3),
    ("431525", 2),
    ("431526", 2),
    ("431581", 2),
]

# Townships of the county: police stations, tax offices and courts are named after them.
COUNTY_TOWNS = [
    "城关",
    "东岭",
    "南河",
    "白沙",
    "石桥",
    "柳林",
    "清水",
    "龙泉",
    "杨梅",
    "枫树坪",
    "桃源",
    "凤凰",
]

# ---------------------------------------------------------------------------------------------------------------
# Agencies (单位)
# ---------------------------------------------------------------------------------------------------------------

# Profiles decide the party organisation's shape and the posts people hold:
#   organ      – party organs (县委办、组织部 …): no 党组, a 机关党支部 or 党总支, a 机关党委 when large
#   government – departments and offices: a 党组 (or 党委 when large) with their branches
#   mass       – 群团 (工会、团委、妇联 …): a small 党组
#   institution– public institutions (事业单位): a branch on their own, or a 党总支/党委
#   school, hospital, police, court, procuratorate, tax – big units with their own branch patterns
# Sizes: xs (a handful of members) … xl (hundreds, with 党总支 between 党委 and branches).


@dataclass(frozen=True)
class AgencySpec:
    template: str  # "{l}" is 县 or 市
    profile: str
    size: str
    established_year: int | None = None  # agencies created by a known reform
    city_template: str | None = None  # when the city's counterpart is named differently

    def name(self, level: str) -> str:
        template = self.city_template if level == "市" and self.city_template else self.template
        return template.format(l=level)


A = AgencySpec

AGENCIES = [
    # The working committee's own staff, enrolled in a branch directly under it.
    A("{l}直机关工委", "organ", "xs"),
    A("{l}委办公室", "organ", "m"),
    A("{l}人大常委会办公室", "government", "s"),
    A("{l}政府办公室", "government", "m"),
    A("{l}政协办公室", "government", "s"),
    A("{l}纪委监委机关", "organ", "m", 2018),
    A("{l}委组织部", "organ", "m"),
    A("{l}委宣传部", "organ", "s"),
    A("{l}委统战部", "organ", "s"),
    A("{l}委政法委", "organ", "s"),
    A("{l}委机构编制委员会办公室", "organ", "xs"),
    A("{l}委党校", "organ", "s"),
    A("{l}委巡察工作领导小组办公室", "organ", "xs", 2017),
    A("{l}委网络安全和信息化委员会办公室", "organ", "xs", 2019),
    A("{l}委政策研究室", "organ", "xs"),
    A("{l}委老干部局", "organ", "s"),
    A("{l}委社会工作部", "organ", "xs", 2024),
    A("{l}委机要保密局", "organ", "xs"),
    A("{l}委党史研究室", "organ", "xs"),
    A("{l}发展和改革局", "government", "m"),
    A("{l}教育局", "government", "m"),
    A("{l}科学技术局", "government", "s"),
    A("{l}工业和信息化局", "government", "s"),
    A("{l}公安局", "police", "xl"),
    A("{l}民政局", "government", "m"),
    A("{l}司法局", "government", "m"),
    A("{l}财政局", "government", "m"),
    A("{l}人力资源和社会保障局", "government", "l"),
    A("{l}自然资源和规划局", "government", "l", 2019),
    A("{l}生态环境分局", "government", "s", 2019, city_template="{l}生态环境局"),
    A("{l}住房和城乡建设局", "government", "m"),
    A("{l}交通运输局", "government", "m"),
    A("{l}水利局", "government", "m"),
    A("{l}农业农村局", "government", "l", 2019),
    A("{l}商务局", "government", "s"),
    A("{l}文化广电旅游体育局", "government", "m", 2019),
    A("{l}卫生健康局", "government", "m", 2019),
    A("{l}退役军人事务局", "government", "s", 2019),
    A("{l}应急管理局", "government", "s", 2019),
    A("{l}审计局", "government", "s"),
    A("{l}市场监督管理局", "government", "l", 2019),
    A("{l}统计局", "government", "xs"),
    A("{l}医疗保障局", "government", "s", 2019),
    A("{l}林业局", "government", "m"),
    A("{l}信访局", "government", "xs"),
    A("{l}机关事务服务中心", "government", "s"),
    A("{l}城市管理局", "government", "m"),
    A("{l}数据局", "government", "xs", 2024),
    A("{l}工业园区管理委员会", "government", "m"),
    A("{l}气象局", "government", "xs"),
    A("{l}烟草专卖局", "government", "s"),
    A("{l}消防救援大队", "government", "s", 2018, city_template="{l}消防救援支队"),
    A("{l}统计调查队", "government", "xs"),
    A("{l}供销社", "government", "s"),
    A("{l}税务局", "tax", "l", 2018),
    A("{l}人民法院", "court", "l", city_template="{l}中级人民法院"),
    A("{l}人民检察院", "procuratorate", "m"),
    A("{l}总工会", "mass", "s"),
    A("团{l}委", "mass", "xs"),
    A("{l}妇联", "mass", "xs"),
    A("{l}科协", "mass", "xs"),
    A("{l}残联", "mass", "xs"),
    A("{l}文联", "mass", "xs"),
    A("{l}工商联", "mass", "xs"),
    A("{l}红十字会", "mass", "xs"),
    A("{l}融媒体中心", "institution", "m", 2019, city_template="{l}广播电视台"),
    A("{l}档案馆", "institution", "xs"),
    A("{l}图书馆", "institution", "xs"),
    A("{l}文化馆", "institution", "xs"),
    A("{l}博物馆", "institution", "xs"),
    A("{l}社会福利院", "institution", "xs"),
    A("{l}救助管理站", "institution", "xs"),
    A("{l}不动产登记中心", "institution", "s"),
    A("{l}就业创业服务中心", "institution", "xs"),
    A("{l}社会保险服务中心", "institution", "s"),
    A("{l}医疗保障事务中心", "institution", "xs", 2019),
    A("{l}退役军人服务中心", "institution", "xs", 2019),
    A("{l}水利水电工程管理中心", "institution", "xs"),
    A("{l}农业技术推广中心", "institution", "s"),
    A("{l}畜牧兽医水产中心", "institution", "xs"),
    A("{l}国有林场", "institution", "s"),
    A("{l}建设工程质量安全监督站", "institution", "xs"),
    A("{l}环境卫生服务中心", "institution", "s"),
    A("{l}园林绿化服务中心", "institution", "xs"),
    A("{l}公路事业发展中心", "institution", "s"),
    A("{l}投资促进中心", "institution", "xs"),
    A("{l}乡村振兴服务中心", "institution", "xs", 2021),
    A("{l}国有资产事务中心", "institution", "xs"),
    A("{l}金融服务中心", "institution", "xs"),
    A("{l}住房公积金管理中心", "institution", "xs"),
    A("{l}人防事务中心", "institution", "xs"),
    A("{l}地方志编纂中心", "institution", "xs"),
    A("{l}公共资源交易中心", "institution", "xs"),
    A("{l}政务服务中心", "institution", "s"),
    A("{l}公共检验检测中心", "institution", "xs"),
    A("{l}农业科学研究所", "institution", "xs"),
    A("{l}茶叶产业发展中心", "institution", "xs"),
    A("{l}粮食和物资储备服务中心", "institution", "xs"),
    A("{l}中小企业服务中心", "institution", "xs"),
    A("{l}老年大学", "institution", "xs"),
    A("{l}青少年活动中心", "institution", "xs"),
    A("{l}教师发展中心", "institution", "xs"),
    A("{l}第一中学", "school", "xl"),
    A("{l}第二中学", "school", "l"),
    A("{l}第三中学", "school", "m"),
    A("{l}实验中学", "school", "l"),
    A("{l}城关中学", "school", "m", city_template="{l}城东中学"),
    A("{l}职业中等专业学校", "school", "m", city_template="{l}职业技术学院"),
    A("{l}实验小学", "school", "m"),
    A("{l}城关第一小学", "school", "m", city_template="{l}城东小学"),
    A("{l}城关第二小学", "school", "s", city_template="{l}城西小学"),
    A("{l}特殊教育学校", "school", "xs"),
    A("{l}机关幼儿园", "school", "xs"),
    A("{l}人民医院", "hospital", "xl", city_template="{l}第一人民医院"),
    A("{l}中医院", "hospital", "l"),
    A("{l}妇幼保健院", "hospital", "m"),
    A("{l}第二人民医院", "hospital", "m"),
    A("{l}疾病预防控制中心", "hospital", "s"),
    A("{l}中心血站", "hospital", "xs"),
    A("{l}康复医院", "hospital", "s"),
]

# The small scale (for tests) takes a few agencies of different shapes, each at a size of its own.
SMALL_AGENCIES = [
    ("{l}直机关工委", "xs"),
    ("{l}财政局", "m"),
    ("{l}委组织部", "xs"),
    ("{l}人民医院", "s"),
    ("{l}档案馆", "xs"),
    ("{l}自然资源和规划局", "s"),
]

# Member weight (rough head count) of an agency of each size, before scaling to the requested total.
SIZE_WEIGHTS = {"xs": 22, "s": 45, "m": 90, "l": 170, "xl": 380}
# Branches of a unit that is not split into 党总支, by size (inclusive range).
SIZE_BRANCHES = {"xs": (1, 1), "s": (2, 5), "m": (5, 8), "l": (7, 11), "xl": (8, 12)}

# Sub-units of an agency that have a branch of their own. "{t}" is a township (or, in the city, a district).
SUB_UNITS = {
    "{l}发展和改革局": ["价格认证中心", "重点项目服务中心"],
    "{l}民政局": ["婚姻登记处", "殡葬服务中心", "社会救助服务中心"],
    "{l}司法局": ["{t}司法所", "{t}司法所", "公证处", "法律援助中心"],
    "{l}财政局": ["国库集中支付中心", "财政投资评审中心", "非税收入管理中心"],
    "{l}人力资源和社会保障局": ["劳动保障监察大队", "劳动人事争议仲裁院", "人才服务中心", "工伤保险服务中心"],
    "{l}自然资源和规划局": [
        "{t}自然资源所",
        "{t}自然资源所",
        "{t}自然资源所",
        "土地储备中心",
        "测绘地理信息中心",
    ],
    "{l}生态环境分局": ["环境监测站", "生态环境保护综合行政执法大队"],
    "{l}住房和城乡建设局": ["住房保障服务中心", "城市建设档案馆", "物业服务中心"],
    "{l}交通运输局": ["交通运输综合行政执法大队", "道路运输服务中心", "地方海事处"],
    "{l}水利局": ["水土保持站", "河湖保护中心", "{t}水库管理所"],
    "{l}农业农村局": ["农业综合行政执法大队", "农村经营服务站", "植保植检站", "农产品质量安全检测站"],
    "{l}文化广电旅游体育局": ["文化市场综合行政执法大队", "旅游服务中心", "体育事业发展中心"],
    "{l}卫生健康局": ["卫生健康综合监督执法大队", "计划生育协会"],
    "{l}应急管理局": ["应急救援指挥中心"],
    "{l}市场监督管理局": ["{t}市场监督管理所", "{t}市场监督管理所", "{t}市场监督管理所", "综合行政执法大队"],
    "{l}林业局": ["林业技术推广站", "森林病虫害防治检疫站", "{t}林业站"],
    "{l}城市管理局": ["城市管理综合执法大队", "市政设施维护中心"],
    "{l}教育局": ["教育考试中心", "学生资助管理中心"],
    "{l}工业园区管理委员会": ["企业服务中心", "建设发展有限公司"],
    "{l}委办公室": ["督查室", "机要室"],
    "{l}政府办公室": ["督查室", "外事侨务办公室"],
    "{l}融媒体中心": ["新闻采编部", "广播电视技术部", "新媒体部"],
    "{l}总工会": ["职工服务中心"],
}

# Branch names for the big profiles, used when a unit is not split into 党总支.
PROFILE_UNITS = {
    "school": [
        "语文教研组",
        "数学教研组",
        "英语教研组",
        "理化生教研组",
        "政史地教研组",
        "音体美教研组",
        "行政",
        "后勤",
    ],
    "hospital": ["内科", "外科", "妇产科", "儿科", "医技", "护理", "急诊科", "药剂科", "行政", "后勤"],
    "police": [
        "{t}派出所",
        "{t}派出所",
        "{t}派出所",
        "{t}派出所",
        "刑事侦查大队",
        "交通警察大队",
        "看守所",
        "指挥中心",
    ],
    "court": ["{t}人民法庭", "{t}人民法庭", "{t}人民法庭", "执行局", "立案庭", "刑事审判庭", "民事审判庭"],
    "procuratorate": ["第一检察部", "第二检察部", "第三检察部", "综合业务部", "检务保障部"],
    "tax": ["{t}税务分局", "{t}税务分局", "{t}税务分局", "第一税务分局", "稽查局", "纳税服务股"],
}

# The 党总支 of the largest units and the branches under each, in the order a unit would set them up.
DEPARTMENTS = {
    "school": [
        ("高中部", ["高一年级", "高二年级", "高三年级"]),
        ("初中部", ["七年级", "八年级", "九年级"]),
        ("行政后勤", ["行政", "后勤"]),
    ],
    "hospital": [
        ("内科", ["心血管内科", "呼吸内科", "消化内科", "神经内科", "肾内科"]),
        ("外科", ["普外科", "骨科", "神经外科", "泌尿外科"]),
        ("医技", ["检验科", "医学影像科", "药剂科", "病理科"]),
        ("护理", ["门诊护理", "病区护理", "急诊科", "重症医学科"]),
        ("行政后勤", ["行政", "后勤"]),
    ],
    "police": [
        ("交通警察大队", ["交警一中队", "交警二中队", "事故处理中队"]),
        ("刑事侦查大队", ["刑侦一中队", "刑侦二中队", "刑事技术中队"]),
        ("巡特警大队", ["巡逻一中队", "巡逻二中队", "特警中队"]),
        ("治安管理大队", ["治安中队", "户政中队"]),
    ],
}

RETIREE_BRANCH = {
    "school": "离退休教师",
    "hospital": "离退休职工",
    "police": "离退休民警",
}
RETIREE_BRANCH_DEFAULT = "离退休干部"

# Share of men among a profile's staff.
MALE_SHARE = {"police": 0.82, "school": 0.38, "hospital": 0.34}
MALE_SHARE_DEFAULT = 0.56

# ---------------------------------------------------------------------------------------------------------------
# Posts
# ---------------------------------------------------------------------------------------------------------------

# Ordered roughly from junior to senior, so that a member's post can follow his age.
POSTS = {
    "organ": [
        "试用期人员",
        "办事员",
        "科员",
        "二级科员",
        "一级科员",
        "四级主任科员",
        "三级主任科员",
        "副科长",
        "科长",
        "二级主任科员",
        "一级主任科员",
        "四级调研员",
    ],
    "government": [
        "工作人员",
        "办事员",
        "科员",
        "二级科员",
        "一级科员",
        "四级主任科员",
        "副股长",
        "三级主任科员",
        "股长",
        "二级主任科员",
        "一级主任科员",
        "四级调研员",
    ],
    "mass": ["工作人员", "科员", "一级科员", "四级主任科员", "部长", "三级主任科员", "二级主任科员"],
    "institution": [
        "工作人员",
        "工作人员",
        "专业技术人员",
        "科员",
        "助理工程师",
        "专业技术人员",
        "会计",
        "工程师",
        "副主任",
        "高级工程师",
    ],
    "school": ["二级教师", "教师", "一级教师", "班主任", "教研组长", "高级教师", "年级组长", "教务处主任"],
    "hospital": [
        "护士",
        "医师",
        "护师",
        "检验师",
        "主治医师",
        "主管护师",
        "护士长",
        "副主任医师",
        "主任医师",
        "科主任",
    ],
    "police": ["二级警员", "一级警员", "四级警长", "三级警长", "二级警长", "一级警长", "四级高级警长"],
    "court": ["书记员", "法官助理", "司法警察", "四级法官", "三级法官", "二级法官", "一级法官"],
    "procuratorate": ["书记员", "检察官助理", "四级检察官", "三级检察官", "二级检察官", "一级检察官"],
    "tax": ["科员", "一级行政执法员", "四级主任科员", "副股长", "股长", "三级主任科员", "一级主任科员"],
}
RETIRED_POST = {"school": "退休教师", "hospital": "退休职工", "police": "退休民警"}
RETIRED_POST_DEFAULT = "退休干部"

# Title of an agency's head and deputies, by how its name ends (longest ending first).
HEAD_TITLES = [
    ("人民检察院", ("检察长", "副检察长")),
    ("人民法院", ("院长", "副院长")),
    ("直机关工委", ("常务副书记", "副书记")),
    ("纪委监委机关", ("书记", "副书记")),
    ("委党校", ("常务副校长", "副校长")),
    ("管理委员会", ("主任", "副主任")),
    ("委员会办公室", ("主任", "副主任")),
    ("总工会", ("主席", "副主席")),
    ("红十字会", ("常务副会长", "副会长")),
    ("残联", ("理事长", "副理事长")),
    ("医院", ("院长", "副院长")),
    ("保健院", ("院长", "副院长")),
    ("幼儿园", ("园长", "副园长")),
    ("学校", ("校长", "副校长")),
    ("学院", ("院长", "副院长")),
    ("大学", ("校长", "副校长")),
    ("中学", ("校长", "副校长")),
    ("小学", ("校长", "副校长")),
    ("大队", ("大队长", "副大队长")),
    ("支队", ("支队长", "副支队长")),
    ("调查队", ("队长", "副队长")),
    ("办公室", ("主任", "副主任")),
    ("林场", ("场长", "副场长")),
    ("研究所", ("所长", "副所长")),
    ("妇联", ("主席", "副主席")),
    ("科协", ("主席", "副主席")),
    ("文联", ("主席", "副主席")),
    ("工商联", ("主席", "副主席")),
    ("委", ("书记", "副书记")),
    ("部", ("部长", "副部长")),
    ("局", ("局长", "副局长")),
    ("馆", ("馆长", "副馆长")),
    ("院", ("院长", "副院长")),
    ("台", ("台长", "副台长")),
    ("站", ("站长", "副站长")),
]
HEAD_TITLES_DEFAULT = ("主任", "副主任")

# ---------------------------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------------------------

# Real frequency (per mille, rounded) of the commonest surnames, then a tail of rarer and two-character ones.
SURNAMES = [
    ("王", 71), ("李", 70), ("张", 67), ("刘", 54), ("陈", 46), ("杨", 31), ("黄", 22), ("赵", 20), ("吴", 19),
    ("周", 19), ("徐", 15), ("孙", 15), ("马", 14), ("朱", 13), ("胡", 13), ("郭", 12), ("何", 12), ("林", 11),
    ("高", 11), ("罗", 11), ("郑", 10), ("梁", 10), ("谢", 8), ("宋", 8), ("唐", 8), ("许", 7), ("韩", 7), ("冯", 7),
    ("邓", 7), ("曹", 7), ("彭", 6), ("曾", 6), ("肖", 6), ("田", 6), ("董", 5), ("袁", 5), ("潘", 5), ("于", 5),
    ("蒋", 5), ("蔡", 5), ("余", 5), ("杜", 5), ("叶", 4), ("程", 4), ("苏", 4), ("魏", 4), ("吕", 4), ("丁", 4),
    ("任", 4), ("沈", 4), ("姚", 4), ("卢", 4), ("姜", 3), ("崔", 3), ("钟", 3), ("谭", 3), ("陆", 3), ("汪", 3),
    ("范", 3), ("金", 3), ("石", 3), ("廖", 3), ("贾", 3), ("夏", 3), ("韦", 3), ("付", 3), ("方", 3), ("白", 3),
    ("邹", 3), ("孟", 3), ("熊", 3), ("秦", 3), ("邱", 3), ("江", 3), ("尹", 3), ("薛", 2), ("闫", 2), ("段", 2),
    ("雷", 2), ("侯", 2), ("龙", 2), ("史", 2), ("陶", 2), ("黎", 2), ("贺", 2), ("顾", 2), ("毛", 2), ("郝", 2),
    ("龚", 2), ("邵", 2), ("万", 2), ("钱", 2), ("严", 2), ("覃", 2), ("武", 2), ("戴", 2), ("莫", 2), ("孔", 2),
    ("向", 2), ("汤", 2), ("易", 2), ("常", 1), ("温", 1), ("康", 1), ("施", 1), ("文", 1), ("牛", 1), ("樊", 1),
    ("葛", 1), ("邢", 1), ("安", 1), ("齐", 1), ("乔", 1), ("伍", 1), ("庞", 1), ("颜", 1), ("倪", 1),
    ("庄", 1), ("聂", 1), ("章", 1), ("鲁", 1), ("岳", 1), ("翟", 1), ("殷", 1), ("詹", 1), ("申", 1), ("欧", 1),
    ("耿", 1), ("关", 1), ("兰", 1), ("焦", 1), ("俞", 1), ("左", 1), ("柳", 1), ("甘", 1), ("祝", 1), ("包", 1),
    # Rare, and the ones pinyin gets wrong unless told (单 shàn, 解 xiè, 仇 qiú …): the roster must cope with them.
    ("单", 0.4), ("解", 0.4), ("仇", 0.2), ("查", 0.2), ("缪", 0.2), ("区", 0.1), ("朴", 0.1), ("盖", 0.1),
    ("欧阳", 0.5), ("司马", 0.05), ("上官", 0.05), ("诸葛", 0.05), ("司徒", 0.05), ("皇甫", 0.03), ("尉迟", 0.02),
]  # fmt: skip

# Given-name characters by gender and by the years people were born in: a roster of 1945–2004 births reads
# differently at each end (建国、秀英 … 浩宇、欣怡). A two-character name takes one character from each pool, the
# order real names mostly have; a one-character name takes one from the second.
GIVEN_CHARS = {
    ("male", "old"): ("建国志文德忠学新春荣庆永金世长振光", "华军民平伟强明红东海林生福祥宏山兴富贵才"),
    ("male", "mid"): ("建志晓海文国永立卫俊红小明新继宏", "伟强磊军勇杰涛斌超明刚平辉鹏华飞波宁健峰亮成东毅"),
    ("male", "young"): ("浩子宇俊家思博天嘉一明文志泽嘉俊", "轩然阳宇杰航睿泽凯辰豪鑫博涛磊翔帆旭鹏程远诚哲"),
    ("female", "old"): ("秀桂淑玉凤丽红美春金素月翠", "英兰芳珍华霞梅琴玲艳萍云芬娥香"),
    ("female", "mid"): ("晓丽小红海春雪美秀海文玉静", "丽静敏燕艳娟霞芳娜玲婷倩雪慧莉琳洁颖丹晶红梅萍琴"),
    ("female", "young"): ("欣思雨梦佳诗子晓若雅心紫可语", "怡悦琪涵婷雯萱璐瑶媛琳雪晴颖蕾薇月宁曦彤"),
}
# Whole given names of the older generation, which were chosen as words, not as pairs of characters.
OLD_GIVEN_NAMES = {
    "male": ["建国", "国庆", "建军", "卫东", "建华", "国强", "志刚", "红军", "跃进", "援朝", "卫国", "建平"],
    "female": [
        "秀英",
        "桂兰",
        "玉兰",
        "淑珍",
        "秀兰",
        "桂英",
        "玉珍",
        "凤英",
        "秀珍",
        "红梅",
        "丽华",
        "建英",
    ],
}

ETHNICITIES = [
    ("汉族", 940),
    ("回族", 14),
    ("满族", 10),
    ("壮族", 8),
    ("土家族", 8),
    ("苗族", 7),
    ("瑶族", 5),
    ("侗族", 3),
    ("蒙古族", 2),
    ("彝族", 1),
    ("白族", 1),
    ("藏族", 0.5),
    ("维吾尔族", 0.5),
]

# Education of agency staff by age band (code value, weight).
EDUCATION_BY_AGE = {
    "young": [("postgraduate", 18), ("bachelor", 72), ("college", 8), ("secondary", 2)],
    "middle": [("postgraduate", 10), ("bachelor", 64), ("college", 19), ("secondary", 5), ("high_school", 2)],
    "senior": [
        ("postgraduate", 4),
        ("bachelor", 50),
        ("college", 28),
        ("secondary", 10),
        ("high_school", 6),
        ("junior", 2),
    ],
    "retired": [
        ("postgraduate", 1),
        ("bachelor", 26),
        ("college", 34),
        ("secondary", 18),
        ("high_school", 15),
        ("junior", 6),
    ],
}

# Second and third digits of mainland mobile numbers in use (all of the form 1[3-9]x).
MOBILE_PREFIXES = [
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182", "183", "184",
    "185", "186", "187", "188", "189", "191", "193", "195", "198", "199",
]  # fmt: skip

# ---------------------------------------------------------------------------------------------------------------
# The city: the county's agencies one level up, and the many more units a city has.
# ---------------------------------------------------------------------------------------------------------------

CITY_EXTRA_AGENCIES = [
    A("{l}人民政府国有资产监督管理委员会", "government", "m"),
    A("{l}民族宗教事务委员会", "government", "s"),
    A("{l}人民政府外事办公室", "government", "s"),
    A("{l}人民政府研究室", "government", "xs"),
    A("{l}委台湾工作办公室", "organ", "xs"),
    A("{l}委金融委员会办公室", "organ", "xs", 2024),
    A("{l}委外事工作委员会办公室", "organ", "xs", 2019),
    A("{l}社会科学界联合会", "mass", "xs"),
    A("{l}归国华侨联合会", "mass", "xs"),
    A("{l}园林绿化中心", "institution", "s"),
    A("{l}中心医院", "hospital", "xl"),
    A("{l}急救中心", "hospital", "s"),
    A("{l}精神卫生中心", "hospital", "m"),
    A("{l}技师学院", "school", "l"),
    A("{l}卫生学校", "school", "m"),
    A("{l}第一职业中等专业学校", "school", "m"),
    A("{l}广播电视大学", "school", "s"),
    A("{l}社会科学院", "institution", "s"),
    A("{l}农业科学院", "institution", "m"),
    A("{l}林业科学研究院", "institution", "s"),
    A("{l}水文水资源勘测中心", "institution", "s"),
    A("{l}城乡规划设计研究院", "institution", "m"),
    A("{l}质量技术监督检验检测中心", "institution", "s"),
    A("{l}交通建设质量安全监督站", "institution", "xs"),
]

# City agencies with an office in each urban district: "{t}" is the district's name without 区.
CITY_DISTRICT_OFFICES = [
    A("{l}公安局{t}分局", "police", "l"),
    A("{l}公安局交通警察支队{t}大队", "police", "s"),
    A("{l}自然资源和规划局{t}分局", "government", "s"),
    A("{l}生态环境局{t}分局", "government", "s"),
    A("{l}市场监督管理局{t}分局", "government", "m"),
    A("{l}医疗保障局{t}分局", "government", "xs"),
    A("{l}城市管理局{t}分局", "government", "s"),
    A("{l}住房公积金管理中心{t}管理部", "institution", "xs"),
]
CITY_URBAN_DISTRICTS = ["城东", "城西", "北湖", "南山", "高新", "经开", "滨江"]

# Numbered units that make up the rest of a city's several hundred agencies: "{n}" is a Chinese numeral, counted
# from the first number not already taken by a named unit up to the last one a city of its size would have.
CITY_NUMBERED_UNITS = [
    (A("{l}第{n}中学", "school", "m"), 4, 100),
    (A("{l}第{n}小学", "school", "s"), 1, 120),
    (A("{l}第{n}幼儿园", "school", "xs"), 1, 90),
    (A("{l}第{n}人民医院", "hospital", "m"), 3, 8),
    (A("{l}第{n}社区卫生服务中心", "hospital", "xs"), 1, 40),
]
