"""Ship a starter synonym list (abbreviations and colloquial names of common matters)."""

from django.db import migrations

SYNONYMS = [
    ("发改委，发展和改革委员会，发改局，发展和改革局", "机关简称"),
    ("人社局，人力资源和社会保障局，人社厅，人力资源和社会保障厅", "机关简称"),
    ("住建局，住房和城乡建设局，住建委，住房和城乡建设委员会", "机关简称"),
    ("市监局，市场监督管理局，市场监管局", "机关简称"),
    ("卫健委，卫生健康委员会，卫健局，卫生健康局", "机关简称"),
    ("生态环境局，环保局，环境保护局", "机关简称"),
    ("资规局，自然资源和规划局，自然资源局", "机关简称"),
    ("文旅局，文化广电旅游局，文化广电体育和旅游局", "机关简称"),
    ("应急局，应急管理局", "机关简称"),
    ("医保局，医疗保障局", "机关简称"),
    ("公租房，公共租赁住房", "俗称"),
    ("低保，最低生活保障", "俗称"),
    ("社保，社会保险", "俗称"),
    ("医保，医疗保险，医疗保障", "俗称"),
    ("公积金，住房公积金", "俗称"),
    ("拆迁，房屋征收", "俗称"),
    ("征地，土地征收", "俗称"),
    ("招聘，招考，录用", "俗称"),
    ("年报，年度报告", "俗称"),
    ("预算，财政预算", "俗称"),
]


def add(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for terms, note in SYNONYMS:
        Synonym.objects.get_or_create(terms=terms, defaults={"note": note})


def remove(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    Synonym.objects.filter(terms__in=[t for t, _ in SYNONYMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
