"""The facility standards the seeds print, as the first rows of their dated rules (`settlements.facilities`).

Loaded by `manage.py load_reference_data`; each row is created once (`dated_rules.ensure`), so a standard the
office has corrected is left alone. `basis` quotes seed 000 (榕党办发〔2019〕20号, annex 3) word for word;
`reading` says where the portal reads more than the sentence prints. The standards hold from the plan's date.
"""

import datetime

from . import dated_rules
from .facilities import standard_code
from .models import FacilityKind

PLAN_DATE = datetime.date(2019, 5, 20)  # 榕党办发〔2019〕20号


def _at_least(attribute, value):
    return {"attribute": attribute, "at_least": value}


def _present(*attributes):
    return [{"attribute": attribute, "present": True} for attribute in attributes]


STANDARDS = {
    "rural_library": {
        "name": "农家书屋建设标准",
        "conditions": [
            _at_least("area_m2", 20),
            _at_least("open_hours", 6),
            *_present("library_room", "sign", "bookcases", "reading_tables", "rules", "keeper"),
        ],
        "basis": "附件3 五（一）1：要求农家书屋占地面积不少于20平方米，有图书室、有“农家书屋”牌子、有图书柜、"
        "有阅览桌椅、有制度、有专兼职农家书屋管理员，每天开放时间不少于6小时。",
        "reading": "“不少于”含本数：20 平方米、6 小时达标，19.9 平方米、5.5 小时不达标。",
    },
    "culture_centre": {
        "name": "综合文化服务中心“七个一”标准",
        "conditions": [
            _at_least("activity_site_m2", 600),
            _at_least("activity_room_m2", 90),
            _at_least("stage_length_m", 10),
            _at_least("stage_width_m", 5),
            _at_least("stage_height_m", "0.8"),
            *_present("notice_board", "culture_kit", "broadcast_kit", "sports_kit"),
        ],
        "basis": "附件3 五（三）6：每个村综合文化服务中心按“七个一”标准进行建设。具体包括："
        "一个文化活动现场(不少于 600 平方米)，一个文化活动室(不少于 90 平方米)，"
        "一个简易戏台(长 10 米、宽 5 米、高 0.8 米)，一个宣传栏、一套文化器材、一套广播器材，一套体育设施器材。",
        "reading": "戏台的长 10 米、宽 5 米、高 0.8 米原文未写“不少于”，按最低尺寸理解："
        "高 0.7 米不达标，更大的戏台达标。“文化活动现场”按活动场地（广场）理解。",
    },
    "broadcast_room": {
        "name": "广播室配备标准",
        "conditions": _present("broadcast_kit"),
        "basis": "附件3 五（一）2：广播室。由县文体广电旅游局负责，为七个移民社区设置广播室，配备广播器材。",
        "reading": "每个广播室须配备广播器材；“七个移民社区”即七个安置点，每个安置点一间"
        "（指标：在用广播室的安置点数，全县 7 个）。",
    },
    "government_service_centre": {
        "name": "政务服务中心制度",
        "conditions": _present("first_responsible", "single_window", "full_agency", "service_pledge"),
        "basis": "附件4 三（五）发挥基层政府主导作用（完成时限：2019年5月）："
        "乡镇、街道(社区服务中心)要提高为安置点居民服务供给能力,要建立政务服务中心,"
        "设置直接面向群众的“一站式”综合性服务和管理平台,负责办理与居民生活密切相关的公共服务事项。"
        "推行首问负责、一窗受理、全程代办、服务承诺等制度。",
        "reading": "四项制度均须建立才达标。原文所列劳动就业、社会保障等十类公共服务事项以“等”结尾、"
        "未规定必须全部办理，登记为属性以便查看，不计入达标判断；办公室认为须全部办理时，可在本规则中加入这些条件。",
    },
}


def load_standards() -> int:
    """Create the seed's standards that are not there yet; returns how many kinds have one."""
    kinds = {kind.code: kind for kind in FacilityKind.objects.filter(code__in=STANDARDS)}
    for code, standard in STANDARDS.items():
        dated_rules.ensure(
            code=standard_code(kinds[code]),
            valid_from=PLAN_DATE,
            name=standard["name"],
            params={"conditions": standard["conditions"]},
            basis=standard["basis"],
            reading=standard["reading"],
        )
    return len(STANDARDS)
