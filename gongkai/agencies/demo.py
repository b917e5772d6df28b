"""A deterministic, realistic demo city: ~100 agencies and staff for every role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from gongkai.accounts.choices import Role
from gongkai.accounts.models import User
from gongkai.accounts.services import membership_grant, user_create
from gongkai.agencies.choices import AgencyKind, AgencyLevel
from gongkai.agencies.credit_code import make_credit_code
from gongkai.agencies.models import Agency
from gongkai.agencies.services import agency_create, reading_points_replace
from gongkai.core.actors import SYSTEM

DEMO_PASSWORD = "Gongkai-demo-2026"  # noqa: S105 - printed demo credentials, not a secret
CITY = "临江市"
CITY_DIVISION = "439900"

CITY_DEPARTMENTS = [
    ("临江市人民政府办公室", "市府办"),
    ("临江市发展和改革委员会", "市发改委"),
    ("临江市教育局", "市教育局"),
    ("临江市科学技术局", "市科技局"),
    ("临江市工业和信息化局", "市工信局"),
    ("临江市公安局", "市公安局"),
    ("临江市民政局", "市民政局"),
    ("临江市司法局", "市司法局"),
    ("临江市财政局", "市财政局"),
    ("临江市人力资源和社会保障局", "市人社局"),
    ("临江市自然资源和规划局", "市自然资源局"),
    ("临江市生态环境局", "市生态环境局"),
    ("临江市住房和城乡建设局", "市住建局"),
    ("临江市交通运输局", "市交通运输局"),
    ("临江市水利局", "市水利局"),
    ("临江市农业农村局", "市农业农村局"),
    ("临江市商务局", "市商务局"),
    ("临江市文化广电旅游体育局", "市文广旅体局"),
    ("临江市卫生健康委员会", "市卫健委"),
    ("临江市应急管理局", "市应急管理局"),
    ("临江市审计局", "市审计局"),
    ("临江市市场监督管理局", "市市场监管局"),
    ("临江市统计局", "市统计局"),
    ("临江市医疗保障局", "市医保局"),
]
DISTRICTS = [
    ("江南区", "01", ["江南街道", "滨江街道", "沙洲镇", "石桥镇", "龙湾镇", "新塘镇"]),
    ("江北区", "02", ["江北街道", "北城街道", "白云镇", "青山镇", "长岭镇", "柳溪镇"]),
    ("高新区", "03", ["科城街道", "创业街道", "东湖镇", "西岭镇", "南岗镇", "双桥镇"]),
    ("临山县", "21", ["城关镇", "临山镇", "茶园乡", "桃源镇", "黄塘镇", "金竹乡"]),
    ("河口县", "22", ["河口镇", "沙坪镇", "双河镇", "梅林乡", "大洲镇", "石门镇"]),
]
DISTRICT_DEPARTMENTS = [
    ("人民政府办公室", "政府办"),
    ("发展和改革局", "发改局"),
    ("教育局", "教育局"),
    ("财政局", "财政局"),
    ("人力资源和社会保障局", "人社局"),
    ("自然资源局", "自然资源局"),
    ("住房和城乡建设局", "住建局"),
    ("卫生健康局", "卫健局"),
]


@dataclass(frozen=True)
class DemoLogin:
    """A printed demo account."""

    username: str
    roles: str


def _contact(n: int, address: str) -> dict[str, Any]:
    return {
        "address": address,
        "postcode": "439900",
        "phone": f"0799-8{n:06d}",
        "office_hours": "工作日 上午8:30—12:00，下午14:30—17:30",
    }


def build_demo(*, stdout: Any = None) -> list[DemoLogin]:
    """Create the demo city, or do nothing if the platform already has agencies."""
    if Agency.objects.exists():
        return []
    serial = 1000
    logins: list[DemoLogin] = []

    def new_agency(
        parent: Agency | None,
        name: str,
        short: str,
        kind: str,
        level: str,
        division: str,
        address: str,
        **extra: Any,
    ) -> Agency:
        nonlocal serial
        serial += 7
        return agency_create(
            by=SYSTEM,
            parent=parent,
            name=name,
            short_name=short,
            kind=kind,
            level=level,
            credit_code=make_credit_code(division, serial),
            **_contact(serial, address),
            **extra,
        )

    def staff(username: str, full_name: str, grants: list[tuple[Agency, str, bool]]) -> None:
        user = User.objects.filter(username=username).first() or user_create(
            by=SYSTEM, username=username, password=DEMO_PASSWORD, full_name=full_name
        )
        labels = []
        for agency, role, sub in grants:
            membership_grant(
                by=SYSTEM, user=user, agency=agency, role=role, includes_subagencies=sub
            )
            labels.append(
                f"{agency.short_name or agency.name}·{Role(role).label}{'（含下级）' if sub else ''}"
            )
        logins.append(DemoLogin(username, "、".join(labels)))

    with transaction.atomic():
        city = new_agency(
            None,
            "临江市人民政府",
            "市政府",
            AgencyKind.GOVERNMENT,
            AgencyLevel.CITY,
            CITY_DIVISION,
            "临江市江滨大道1号",
            responsible_leader="王建国",
            responsible_leader_title="常务副市长",
        )
        reading_points_replace(
            by=SYSTEM,
            agency=city,
            points=[
                {
                    "name": "临江市政务服务中心政府信息公开查阅点",
                    "address": "临江市江滨大道8号一楼",
                    "opening_hours": "工作日 9:00—17:00",
                    "phone": "0799-8123456",
                },
                {
                    "name": "临江市图书馆政府信息查阅室",
                    "address": "临江市文化路20号",
                    "opening_hours": "周二至周日 9:00—20:00",
                    "phone": "0799-8234567",
                },
                {
                    "name": "临江市档案馆政府信息查阅点",
                    "address": "临江市档案路3号",
                    "opening_hours": "工作日 9:00—17:00",
                    "phone": "0799-8345678",
                },
            ],
        )
        city_depts: dict[str, Agency] = {}
        for i, (name, short) in enumerate(CITY_DEPARTMENTS):
            city_depts[short] = new_agency(
                city,
                name,
                short,
                AgencyKind.DEPARTMENT,
                AgencyLevel.CITY,
                CITY_DIVISION,
                f"临江市行政中心{i + 1}号楼",
                is_disclosure_office=(i == 0),
                email=f"gk{i + 1:02d}@linjiang.example.gov.cn",
            )
        districts: list[tuple[Agency, Agency, str]] = []
        for dname, code, towns in DISTRICTS:
            division = f"4399{code}"
            gov = new_agency(
                city,
                f"临江市{dname}人民政府",
                f"{dname}政府",
                AgencyKind.GOVERNMENT,
                AgencyLevel.COUNTY,
                division,
                f"临江市{dname}政府大院",
                responsible_leader="李文",
                responsible_leader_title="副区（县）长",
            )
            office = None
            for j, (dept, short) in enumerate(DISTRICT_DEPARTMENTS):
                a = new_agency(
                    gov,
                    f"临江市{dname}{dept}",
                    f"{dname}{short}",
                    AgencyKind.DEPARTMENT,
                    AgencyLevel.COUNTY,
                    division,
                    f"临江市{dname}政府大院{j + 1}号楼",
                    is_disclosure_office=(j == 0),
                )
                office = office or a
            for town in towns:
                kind_name = "办事处" if town.endswith("街道") else "人民政府"
                new_agency(
                    gov,
                    f"临江市{dname}{town}{kind_name}",
                    town,
                    AgencyKind.GOVERNMENT,
                    AgencyLevel.TOWNSHIP,
                    division,
                    f"临江市{dname}{town}",
                )
            assert office is not None  # noqa: S101
            districts.append((gov, office, code))

        office = city_depts["市府办"]
        staff("admin", "平台管理员", [(city, Role.PLATFORM_ADMIN, True)])
        staff("security", "安全管理员", [(city, Role.SECURITY_ADMIN, True)])
        staff("auditor", "审计员", [(city, Role.AUDITOR, True)])
        staff("bgs_handler", "张敏（市府办经办人）", [(office, Role.HANDLER, False)])
        staff("bgs_reviewer", "刘洋（市府办审核人）", [(office, Role.REVIEWER, False)])
        staff("bgs_head", "陈刚（市府办负责人）", [(office, Role.HEAD, True)])
        staff("bgs_admin", "赵丽（市府办管理员）", [(city, Role.AGENCY_ADMIN, True)])
        for short, prefix in [("市发改委", "fgw"), ("市教育局", "jyj"), ("市人社局", "rsj")]:
            department = city_depts[short]
            staff(f"{prefix}_handler", f"{short}经办人", [(department, Role.HANDLER, False)])
            staff(f"{prefix}_reviewer", f"{short}审核人", [(department, Role.REVIEWER, False)])
            staff(f"{prefix}_head", f"{short}负责人", [(department, Role.HEAD, False)])
        for gov, d_office, code in districts:
            staff(f"d{code}_handler", f"{gov.short_name}经办人", [(d_office, Role.HANDLER, False)])
            staff(f"d{code}_head", f"{gov.short_name}负责人", [(d_office, Role.HEAD, True)])
    return logins
