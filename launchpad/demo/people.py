"""The demo client's staff: a few hundred invented people, the same every time (a fixed seed),
each with a login name in pinyin as RuoYi sites usually make them, a unit, a post and roles.

A few people are fixed because the rest of the demo names them: 周敏 and 王芳 appear in the
sample chat, 王强 is the client's contact in site.yaml.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

SURNAMES = (("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
            ("赵", "zhao"), ("黄", "huang"), ("周", "zhou"), ("吴", "wu"), ("徐", "xu"), ("孙", "sun"),
            ("胡", "hu"), ("朱", "zhu"), ("高", "gao"), ("林", "lin"), ("何", "he"), ("郭", "guo"),
            ("马", "ma"), ("罗", "luo"), ("梁", "liang"), ("宋", "song"), ("郑", "zheng"), ("谢", "xie"),
            ("韩", "han"), ("唐", "tang"), ("冯", "feng"), ("于", "yu"), ("董", "dong"), ("萧", "xiao"))
# (character, pinyin, sex: 0 male, 1 female, None either)
GIVEN = (("伟", "wei", 0), ("芳", "fang", 1), ("娜", "na", 1), ("敏", "min", 1), ("静", "jing", 1),
         ("磊", "lei", 0), ("强", "qiang", 0), ("洋", "yang", 0), ("勇", "yong", 0), ("艳", "yan", 1),
         ("杰", "jie", 0), ("娟", "juan", 1), ("涛", "tao", 0), ("明", "ming", None), ("超", "chao", 0),
         ("秀", "xiu", 1), ("霞", "xia", 1), ("平", "ping", None), ("刚", "gang", 0), ("桂", "gui", 1),
         ("文", "wen", None), ("华", "hua", None), ("建", "jian", 0), ("丽", "li", 1), ("鹏", "peng", 0),
         ("婷", "ting", 1), ("宇", "yu", 0), ("欣", "xin", 1), ("浩", "hao", 0), ("玲", "ling", 1),
         ("俊", "jun", 0), ("雪", "xue", 1), ("晨", "chen", None), ("凯", "kai", 0), ("琳", "lin", 1),
         ("博", "bo", 0), ("倩", "qian", 1), ("佳", "jia", None), ("志", "zhi", 0), ("慧", "hui", 1))
SEED = 20250522
# How many people each kind of unit has: (局领导, 处室 without 科室, 处室 with 科室, one 科室, 直属单位's own office)
STAFFING = {"leaders": 5, "office": 10, "division": 3, "section": 14, "centre": 4}
MAIL_DOMAIN = "dsj.example.gov.cn"


@dataclass
class Person:
    user_name: str
    nick_name: str
    sex: str
    phone: str
    unit: tuple[str, ...]  # path under the root, e.g. ("办公室", "综合科")
    post: str  # post code
    roles: list[str] = field(default_factory=list)

    @property
    def email(self) -> str:
        return f"{self.user_name}@{MAIL_DOMAIN}"


# People the demo names elsewhere: (login, name, sex, unit path, post, roles)
FIXED = (
    ("wangqiang", "王强", "0", ("信息化建设处", "网络安全科"), "kz", ["common", "section_head", "auditor"]),
    ("zhoumin", "周敏", "1", ("某市政务服务中心", "窗口管理科"), "ky", ["common", "approver"]),
    ("wangfang", "王芳", "1", ("某市政务服务中心", "窗口管理科"), "ky", ["common", "window"]),
    ("chenjing", "陈静", "1", ("某市信息中心", "运维科"), "ky", ["common", "ops", "data_admin"]),
)


class Namer:
    """Invented people with login names and phone numbers nobody else has."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken_logins: set[str] = {p[0] for p in FIXED}
        self.taken_phones: set[str] = set()

    def person(self, unit: tuple[str, ...], post: str, roles: list[str]) -> Person:
        surname, surname_py = self.rng.choice(SURNAMES)
        picked = [self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2)))]
        sexes = {s for _, _, s in picked if s is not None}
        sex = str(sexes.pop()) if len(sexes) == 1 else str(self.rng.randint(0, 1))
        base = surname_py + "".join(py for _, py, _ in picked)
        login, n = base, 1
        while login in self.taken_logins:
            n += 1
            login = f"{base}{n}"
        self.taken_logins.add(login)
        return Person(login, surname + "".join(c for c, _, _ in picked), sex, self.phone(), unit, post, roles)

    def phone(self) -> str:
        while True:
            number = self.rng.choice(("139", "138", "137", "136", "135", "158", "188", "189", "177", "199"))
            number += f"{self.rng.randrange(10 ** 8):08d}"
            if number not in self.taken_phones:
                self.taken_phones.add(number)
                return number


def staff(org: tuple[tuple[str, tuple[str, ...]], ...]) -> list[Person]:
    """Everybody, unit by unit; the same list on every call."""
    rng = random.Random(SEED)
    namer = Namer(rng)
    people = [Person(login, name, sex, namer.phone(), unit, post, roles) for login, name, sex, unit, post, roles
              in FIXED]
    for division, sections in org:
        if division == "局领导":
            people.append(namer.person((division,), "jz", ["common", "leader"]))
            people += [namer.person((division,), "fjz", ["common", "leader"]) for _ in range(STAFFING["leaders"] - 1)]
            continue
        centre = division.startswith("某市")
        head, deputy = ("zr", "fzr") if centre else ("cz", "fcz")
        people.append(namer.person((division,), head, ["common", "dept_head"]))
        people.append(namer.person((division,), deputy, ["common", "dept_head"]))
        own = STAFFING["centre"] if centre else STAFFING["division"] if sections else STAFFING["office"]
        people += [namer.person((division,), "ky", ["common"]) for _ in range(own)]
        for section in sections:
            unit = (division, section)
            people.append(namer.person(unit, "kz", ["common", "section_head"]))
            people.append(namer.person(unit, "fkz", ["common", "section_head"]))
            for _ in range(STAFFING["section"]):
                roles = ["common", *_section_role(section)]
                people.append(namer.person(unit, rng.choice(("ky", "ky", "ky", "gq")), roles))
    return people


def _section_role(section: str) -> list[str]:
    """What the people of a 科室 do, as roles."""
    if section in ("窗口管理科", "投诉受理科"):
        return ["window"]
    if section in ("审批协调科",):
        return ["approver"]
    if section in ("数据归集科", "数据共享科"):
        return ["data_admin"]
    if section in ("运维科", "网络运维科", "网络安全科"):
        return ["ops"]
    return []
