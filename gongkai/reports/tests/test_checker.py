"""年报体检: the public and office pages and POST /api/report-check."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.core.testing import axe_violations
from gongkai.reports import checker, formats

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
PUBLIC = "/disclosure/annual-report-check/"
API = "/api/report-check"


def seed_001() -> bytes:
    return next(SEEDS.glob("001_*.txt")).read_bytes()


def synthetic_2021(broken: bool = True) -> str:
    """A 2021-format report as tab-separated text; ``broken`` puts 9 in （七）总计/总计 (should be 7)."""
    lines = [
        "青山县测试局2023年政府信息公开工作年度报告",
        "现公布青山县测试局2023年政府信息公开工作年度报告。",
        "一、总体情况",
        "本年度各项工作有序开展。",
        "二、主动公开政府信息情况",
    ]
    for block in formats.TABLE2_2021.blocks:
        lines.append(block.caption)
        lines.append("\t".join([block.first_header, *(c.label for c in block.columns)]))
        lines += ["\t".join([row.label, *("1" for _ in block.columns)]) for row in block.rows]
    lines += [
        "三、收到和处理政府信息公开申请情况",
        formats.TABLE3_NOTE + "\t" + formats.TABLE3_APPLICANTS,
        "自然人\t法人或其他组织\t总计",
        "\t".join(formats.TABLE3_COLUMNS[1:6]),
    ]
    values = {
        "new": [6, 1, 0, 0, 0, 0, 7],
        "carried_in": [1, 0, 0, 0, 0, 0, 1],
        "r1_open": [5, 1, 0, 0, 0, 0, 6],
        "r4_1": [1, 0, 0, 0, 0, 0, 1],
        "r7_total": [6, 1, 0, 0, 0, 0, 9 if broken else 7],
        "carried_out": [1, 0, 0, 0, 0, 0, 1],
    }
    prev: tuple[str | None, str | None] = (None, None)
    for row in formats.TABLE3_ROWS_2021:
        labels = []
        if row.level2 and row.level1 != prev[0]:
            labels.append(row.level1)
        if row.level3 and row.level2 != prev[1]:
            labels.append(row.level2)
        labels.append(row.label)
        prev = (row.level1, row.level2)
        lines.append("\t".join([*labels, *(str(v) for v in values.get(row.key, [0] * 7))]))
    lines += [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议\t行政诉讼",
        "\t".join(formats.TABLE4_COLUMNS) + "\t未经复议直接起诉\t复议后起诉",
        "\t".join(formats.TABLE4_COLUMNS * 2),
        "\t".join(["0"] * 15),
        "五、存在的主要问题及改进情况",
        "无。",
        "六、其他需要报告的事项",
        "无。",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _upload(client: Client, url: str, data: bytes, name: str = "report.txt"):
    return client.post(url, {"file": SimpleUploadedFile(name, data), "text": ""})


# --- the selector ---------------------------------------------------------------------------


def test_selector_flags_every_cell_of_a_failed_identity_and_links_it_to_its_line():
    checked = checker.check_text(synthetic_2021())
    assert checked.data["format"] == 2021
    assert checked.data["year"] == 2023
    assert checked.data["agency_name"] == "青山县测试局"
    codes = [c["code"] for c in checked.checks]
    assert "H1" in codes and "H2" in codes
    cells = {c["cell"]: c for t in checked.tables for r in t["rows"] for c in r if c.get("number")}
    total = cells["table3.r7_total.6"]
    assert total["failed"] and total["text"] == "9"
    h1 = next(c["number"] for c in checked.checks if c["code"] == "H1")
    assert h1 in total["checks"] and h1 in cells["table3.new.6"]["checks"]
    assert not cells["table3.new.0"]["failed"]
    anchors = {line["anchor"]: line for line in checked.lines}
    assert "9" in anchors[total["anchor"]]["text"] and anchors[total["anchor"]]["cited"]
    # The official labels and layout come from formats.py.
    assert [t["key"] for t in checked.tables] == ["二", "三", "四"]
    labels = [c["text"] for t in checked.tables for r in t["rows"] for c in r]
    assert formats.TABLE3_NOTE in labels and "（七）总计" in labels


def test_consistent_report_has_no_flags():
    checked = checker.check_text(synthetic_2021(broken=False))
    assert checked.checks == []
    assert not any(c.get("failed") for t in checked.tables for r in t["rows"] for c in r)


def test_type_is_judged_by_content_not_by_name():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    assert checker.sniff(png) is None
    assert checker.sniff(b"%PDF-1.4 ...") == "pdf"
    assert checker.sniff("报告".encode("gb18030")) == "text"
    with pytest.raises(checker.CheckerError):
        checker.check_upload(png, "report.txt")
    # A text file named .pdf is still read as text.
    assert checker.check_upload(synthetic_2021().encode(), "report.pdf").kind == "text"


# --- the public page --------------------------------------------------------------------------


def test_public_page_shows_the_form(client):
    response = client.get(PUBLIC)
    assert response.status_code == 200
    html = response.content.decode()
    assert "年报体检" in html and 'type="file"' in html and "<textarea" in html
    assert "csrfmiddlewaretoken" in html


def test_seed_001_upload_shows_the_2008_table_with_its_failed_identity(client):
    response = _upload(client, PUBLIC, seed_001(), "001.txt")
    assert response.status_code == 200
    html = response.content.decode()
    assert "2014" in html and "2008年版" in html and "政府信息公开情况统计表" in html
    assert "L3 主动公开政府信息数" in html
    assert 'class="num checker-failed" data-cell="table2008.proactive_items"' in html
    assert "✗" in html and "勾稽关系不符" in html
    assert "机关名称：未在正文中找到" in html  # the not-found list
    assert "正文中的数字" in html and "49272" in html  # prose figures
    assert 'id="src-l41"' in html and 'href="#src-l41"' in html  # cell → source line


def test_broken_2021_upload_highlights_the_failed_cells(client):
    response = _upload(client, PUBLIC, synthetic_2021().encode("gb18030"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "青山县测试局" in html and "2021年版" in html
    assert 'class="num checker-failed" data-cell="table3.r7_total.6"' in html
    assert 'class="num checker-failed" data-cell="table3.new.6"' in html
    assert 'class="num" data-cell="table3.new.0"' in html
    assert "H1 第7列（总计）" in html and 'id="check-1"' in html
    assert 'class="checker-cited"' in html


def test_pasted_text_is_checked(client):
    response = client.post(PUBLIC, {"text": synthetic_2021()})
    assert response.status_code == 200
    assert 'data-cell="table3.r7_total.6"' in response.content.decode()
    assert "H2 第7列（总计）" in response.content.decode()


def test_empty_submission_and_both_inputs_are_refused(client):
    assert "请上传报告文件，或粘贴报告正文。" in client.post(PUBLIC, {"text": " "}).content.decode()
    both = client.post(
        PUBLIC, {"file": SimpleUploadedFile("a.txt", b"abc"), "text": synthetic_2021()}
    )
    assert both.status_code == 200 and "不要同时提交" in both.content.decode()


def test_oversize_upload_gets_a_clear_chinese_message(client):
    response = _upload(client, PUBLIC, b"a" * (checker.MAX_BYTES + 1))
    assert response.status_code == 413
    assert "文件超过5 MB，无法体检" in response.content.decode()


def test_unsupported_file_type_is_explained(client):
    response = _upload(client, PUBLIC, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "report.txt")
    assert response.status_code == 400
    assert "无法识别该文件的类型" in response.content.decode()


def test_csrf_is_enforced(tree):
    client = Client(enforce_csrf_checks=True)
    assert client.post(PUBLIC, {"text": synthetic_2021()}).status_code == 403
    page = client.get(PUBLIC)
    token = page.cookies["csrftoken"].value
    response = client.post(PUBLIC, {"text": synthetic_2021(), "csrfmiddlewaretoken": token})
    assert response.status_code == 200


def test_rate_limited_by_ip(client, settings):
    settings.PORTAL_RATE_LIMITS = {"report_check_ip": (2, 600)}
    for _ in range(2):
        assert client.post(PUBLIC, {"text": synthetic_2021()}).status_code == 200
    response = client.post(PUBLIC, {"text": synthetic_2021()})
    assert response.status_code == 429 and "操作过于频繁" in response.content.decode()
    assert client.post(API, {"text": "x"}).status_code == 429  # the API shares the limit


def test_default_limit_is_20_per_10_minutes():
    from gongkai.portal.ratelimit import DEFAULT_LIMITS

    assert DEFAULT_LIMITS["report_check_ip"] == (20, 600)


# --- the office page --------------------------------------------------------------------------


def test_office_page_for_any_staff_member(client, staff):
    url = reverse("reports:check")
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(staff["handler_b"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": synthetic_2021()})
    assert response.status_code == 200
    assert 'class="num checker-failed" data-cell="table3.r7_total.6"' in response.content.decode()


# --- the API ----------------------------------------------------------------------------------


def test_api_json_text_returns_the_parse_with_checks(client):
    response = client.post(API, {"text": synthetic_2021()}, content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["format"] == 2021 and data["year"] == 2023
    assert {"H1", "H2"} <= {c["code"] for c in data["checks"]}
    assert data["table3"][0]["key"] == "new"
    assert "table3.r7_total.6" in data["sources"]


def test_api_multipart_file_returns_checks(client):
    response = client.post(API, {"file": SimpleUploadedFile("001.txt", seed_001())})
    assert response.status_code == 200
    data = response.json()
    assert data["format"] == 2008
    assert [c["code"] for c in data["checks"]] == ["L3"]
    assert data["checks"][0]["cells"][0] == "table2008.proactive_items"


def test_api_errors_are_json_in_chinese(client):
    big = client.post(API, {"file": SimpleUploadedFile("a.txt", b"a" * (checker.MAX_BYTES + 1))})
    assert big.status_code == 413
    assert big.json()["code"] == "too_large" and "文件超过5 MB" in big.json()["message"]
    bad = client.post(API, "{", content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_json"
    no_text = client.post(API, {"txt": 1}, content_type="application/json")
    assert no_text.status_code == 400 and "text" in no_text.json()["errors"]
    empty = client.post(API, {"text": ""}, content_type="application/json")
    assert empty.status_code == 400 and "请上传报告文件" in empty.json()["message"]
    png = client.post(API, {"file": SimpleUploadedFile("a.txt", b"\x89PNG\r\n\x1a\n\x00\x00")})
    assert png.status_code == 400 and "无法识别" in png.json()["errors"]["file"]
    get = client.get(API)
    assert get.status_code == 405 and get.json()["code"] == "method_not_allowed"
    english = client.post(
        API, {"text": ""}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "请上传报告文件" in english.json()["message"]


def test_api_is_in_the_openapi_document(client):
    doc = client.get("/api/openapi.json").json()
    post = doc["paths"]["/api/report-check"]["post"]
    assert post["operationId"] == "checkAnnualReport"
    assert "multipart/form-data" in post["requestBody"]["content"]


# --- real browser -----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_public_page_in_a_browser_is_accessible(browser, live_server, tmp_path, width):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(f"{live_server.url}{PUBLIC}")
        assert axe_violations(page) == []
        report = tmp_path / "report.txt"
        report.write_text(synthetic_2021(), encoding="utf-8")
        page.get_by_label("报告文件").set_input_files(str(report))
        page.get_by_role("button", name="开始体检").click()
        page.wait_for_selector("td.checker-failed")
        failed = page.locator('td[data-cell="table3.r7_total.6"]')
        assert "checker-failed" in failed.get_attribute("class")
        assert "✗" in failed.inner_text()
        assert "H1 第7列（总计）" in page.locator(".checker-checks").inner_text()
        assert axe_violations(page) == []
        failed.get_by_role("link", name="9").click()
        assert page.url.endswith("#" + failed.locator("a").first.get_attribute("href")[1:])
    finally:
        context.close()
