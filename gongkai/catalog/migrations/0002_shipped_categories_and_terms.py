"""Ship the 22 gov.cn subject classes (spec §6.3) with the known sub-classes, and a starter
list of commonly mistaken / sensitive expressions (each platform edits its own list)."""

from django.db import migrations

GOV_CN = [
    ("国务院组织机构", []),
    (
        "综合政务",
        [
            "政务公开",
            "政务督查",
            "应急管理",
            "电子政务",
            "文秘工作",
            "保密工作",
            "信访",
            "参事",
            "文史",
            "其他",
        ],
    ),
    (
        "国民经济管理、国有资产监管",
        ["宏观经济", "经济体制改革", "统计", "物价", "国有资产监管", "重大建设项目", "其他"],
    ),
    (
        "财政、金融、审计",
        [
            "财政",
            "税务",
            "银行",
            "货币（含外汇）",
            "证券",
            "保险",
            "社会信用体系建设",
            "审计",
            "其他",
        ],
    ),
    ("国土资源、能源", []),
    ("农业、林业、水利", []),
    ("工业、交通", []),
    ("商贸、海关、旅游", []),
    ("市场监管、安全生产监管", []),
    ("城乡建设、环境保护", []),
    ("科技、教育", []),
    ("文化、广电、新闻出版", []),
    ("卫生、体育", []),
    ("人口与计划生育、妇女儿童工作", []),
    ("劳动、人事、监察", []),
    ("公安、安全、司法", []),
    ("民政、扶贫、救灾", []),
    ("民族、宗教", []),
    ("对外事务", []),
    ("港澳台侨工作", []),
    ("国防", []),
    ("其他", []),
]

TERMS = [
    ("中华人民共合国", "MISTAKEN", "中华人民共和国"),
    ("政府信息公开条列", "MISTAKEN", "政府信息公开条例"),
    ("社会主义核心价值现", "MISTAKEN", "社会主义核心价值观"),
    ("党中央国务院", "MISTAKEN", "党中央、国务院"),
    ("其它", "MISTAKEN", "其他"),
    ("台湾政府", "SENSITIVE", "台湾当局"),
    ("台湾总统", "SENSITIVE", "台湾地区领导人"),
    ("中华民国", "SENSITIVE", "（不得使用，涉及1949年以后台湾地区时应改为“台湾地区”）"),
    ("港澳台国家", "SENSITIVE", "国家和地区"),
]


def ship(apps, schema_editor):
    Scheme = apps.get_model("catalog", "CategoryScheme")
    Category = apps.get_model("catalog", "Category")
    Term = apps.get_model("catalog", "SensitiveTerm")
    scheme, _ = Scheme.objects.get_or_create(
        code="govcn", defaults={"name": "主题分类（中国政府网）", "is_subject": True}
    )
    for i, (name, subs) in enumerate(GOV_CN):
        top, _ = Category.objects.get_or_create(
            scheme=scheme, parent=None, name=name, defaults={"sort_order": i + 1}
        )
        for j, sub in enumerate(subs):
            Category.objects.get_or_create(
                scheme=scheme, parent=top, name=sub, defaults={"sort_order": j + 1}
            )
    for term, kind, suggestion in TERMS:
        Term.objects.get_or_create(term=term, defaults={"kind": kind, "suggestion": suggestion})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
