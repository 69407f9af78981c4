"""A resident scans an organisation's 意见箱 QR code: no account, a receipt code, the reply looked up later.
Bad input gets a Chinese message and stores nothing; the form is rate-limited."""

import pytest
from django.urls import reverse

from partyedu.opinions import services
from partyedu.opinions.models import Channel, Opinion

pytestmark = pytest.mark.django_db


@pytest.fixture
def box(county):
    return services.open_box(county.finance_branch)


def test_a_resident_submits_and_later_reads_the_reply(county, box, client):
    url = reverse("opinions:public_submit", args=[box.token])
    assert url.startswith("/opinions/p/")
    page = client.get(url)
    assert page.status_code == 200 and "县财政局机关党支部" in page.content.decode()
    response = client.post(
        url,
        {
            "content": "建议在办事大厅设置老年人绿色通道。",
            "giver_name": "王阿姨",
            "giver_contact": "13700001111",
        },
    )
    assert response.status_code == 200
    op = Opinion.objects.get()
    assert (op.organization, op.channel, op.giver_contact) == (
        county.finance_branch,
        Channel.QR,
        "13700001111",
    )
    assert op.receipt_code in response.content.decode()
    assert "_auth_user_id" not in client.session

    receipt = client.get(reverse("opinions:public_receipt", args=[op.receipt_code.lower()]))
    assert receipt.status_code == 200 and "办理中" in receipt.content.decode()
    assert "13700001111" not in receipt.content.decode()  # the contact never shows on the public page
    services.reply(op, text="已在大厅设置绿色通道，并安排专人引导。")
    body = client.get(reverse("opinions:public_receipt", args=[op.receipt_code])).content.decode()
    assert "并安排专人引导" in body and "已答复" in body
    lookup = client.get(reverse("opinions:public_lookup"), {"code": op.receipt_code})
    assert lookup.status_code == 302 and lookup["Location"].endswith(f"/p/r/{op.receipt_code}/")


@pytest.mark.parametrize(
    "data, message",
    [
        ({"content": ""}, "请填写意见建议内容"),
        ({"content": "好"}, "至少"),
        ({"content": "长" * 2001}, "不能超过2000字"),
        ({"content": "建议加装电梯扶手，方便老人", "giver_name": "名" * 51}, "不能超过50字"),
        ({"content": "\x00\x00\x00"}, "无法识别的字符"),
        ({"content": "建议增设路灯", "giver_contact": "139\x00"}, "无法识别的字符"),
    ],
)
def test_bad_input_gets_a_chinese_message_and_nothing_is_stored(box, client, data, message):
    response = client.post(reverse("opinions:public_submit", args=[box.token]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Opinion.objects.exists()


def test_an_unknown_or_renewed_token_says_so(county, box, client):
    assert client.get(reverse("opinions:public_submit", args=["nope"])).status_code == 404
    old = box.token
    services.renew_box_token(county.finance_branch)
    response = client.post(reverse("opinions:public_submit", args=[old]), {"content": "建议增加停车位"})
    assert response.status_code == 404 and "已停用" in response.content.decode()
    assert client.get("/opinions/p/" + "x" * 300 + "/").status_code == 404
    assert client.get(reverse("opinions:public_receipt", args=["ZZZZZZZZ"])).status_code == 404
    assert not Opinion.objects.exists()


def test_the_form_is_rate_limited_per_address(box, client):
    url = reverse("opinions:public_submit", args=[box.token])
    for i in range(services.PUBLIC_LIMIT):
        assert client.post(url, {"content": f"第{i}条建议：增加公交班次"}).status_code == 200
    response = client.post(url, {"content": "再提一条建议：增加公交班次"})
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Opinion.objects.count() == services.PUBLIC_LIMIT


def test_a_robot_filling_the_hidden_field_stores_nothing(box, client):
    response = client.post(
        reverse("opinions:public_submit", args=[box.token]),
        {"content": "买便宜发票请联系", "website": "spam.example"},
    )
    assert response.status_code == 200 and not Opinion.objects.exists()
