"""The overdue list of a plan as an xlsx workbook (write-only: a county-wide list stays small in memory)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from partyedu.orgs.models import Organization

from .selectors import Progress

HEADERS = ["序号", "所在党组织", "姓名", "职务/岗位", "必读完成", "逾期未完成内容", "最早期限"]
CHUNK = 500


def overdue_workbook(progress: Progress, root: Organization) -> bytes:
    plan = progress.plan
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("逾期未完成名单")
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["F"].width = 60
    title = WriteOnlyCell(
        ws, value=f"{plan.title} 逾期未完成名单（{root.name}，截至 {progress.today:%Y-%m-%d}）"
    )
    title.font = Font(bold=True, size=13)
    ws.append([title])
    bold = Font(bold=True)
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    rows = progress.member_rows(root, show="overdue").values_list(
        "member_id", "member__name", "member__post", "member__organization__name", "done"
    )
    n = 0
    batch: list[tuple] = []

    def flush():
        nonlocal n
        missing = progress.overdue_items_of([r[0] for r in batch])
        for member_id, name, post, org_name, done in batch:
            items = missing.get(member_id, [])
            n += 1
            first_due = min((i.due(plan) for i in items), default=None)
            ws.append(
                [
                    n,
                    org_name,
                    name,
                    post,
                    f"{done}/{progress.required_count}",
                    "、".join(i.title for i in items),
                    first_due,
                ]
            )
        batch.clear()

    for row in rows.iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) >= CHUNK:
            flush()
    if batch:
        flush()
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
