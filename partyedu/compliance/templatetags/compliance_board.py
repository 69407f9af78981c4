"""The board's rows, built in Python: a county's board is some 900 rows and 20,000 month marks, which the template
language would take the better part of a second to render one tag at a time."""

from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from partyedu.compliance.selectors import MISSED, NA, STATE_LABELS
from partyedu.orgs.models import OrganizationKind

register = template.Library()

# one-letter classes keep a page of 20,000 marks small
MARK = {"met": "g", "missed": "r", "pending": "p", "future": "f", "na": "n"}
WIDTH = {1: "", 3: " w3", 12: " w12"}
KIND_CLASS = {OrganizationKind.BRANCH: "k-branch", OrganizationKind.GROUP: "k-group"}


@lru_cache(maxsize=4096)
def _strip_html(key: tuple) -> str:
    marks = "".join(f'<i class="{MARK[state]}{WIDTH[months]}"></i>' for state, months in key)
    return f'<span class="strip">{marks}</span>'


def _strip(periods) -> str:
    # most rows share a handful of patterns (all green, one red month …)
    return _strip_html(tuple((p.state, p.span.months) for p in periods))


def _cell(cell, url: str) -> str:
    if not cell.applicable:
        return '<td class="cc s-x"></td>'
    label = "—" if cell.state == NA else f"{cell.done}/{cell.required}"
    title = ""
    if cell.missed:
        title = (
            ' title="未达标：'
            + "、".join(p.span.short_label for p in cell.periods if p.state == MISSED)
            + '"'
        )
    strip = _strip(cell.periods) if cell.column.multi else ""
    return f'<td class="cc s-{cell.state}"{title}><a href="{url}">{label}</a>{strip}</td>'


def _rate(row, url: str) -> str:
    if not row.meetings:
        return '<td class="rate muted">—</td>'
    rate = f"{row.present * 100 / row.expected:.0f}%" if row.expected else "—"
    low = " low" if row.expected and row.present * 10 < row.expected * 8 else ""
    return (
        f'<td class="rate{low}" title="{row.meetings} 次会议，实到 {row.present} / 应到 {row.expected} 人次">'
        f'<a href="{url}">{rate}</a></td>'
    )


@register.simple_tag
def board_rows(rows, query: str, cell_url: str, meetings_url: str, window_year: int) -> str:
    """Every row of the board. `cell_url` has the placeholders ORG and RULE, `meetings_url` ORG; `query` is the
    window's query string (digits and ASCII only)."""
    q = escape(query)
    out = []
    for row in rows:
        org = row.org
        pk = str(org.pk)
        name = escape(org.name)
        notes = ""
        # a group sits right under its branch; a branch whose name does not say its unit gets the unit's name
        if org.kind != OrganizationKind.GROUP and org.unit_name and org.unit_name not in org.name:
            notes += f"<small>{escape(org.unit_name)}</small>"
        if org.dissolved_on:
            notes += f'<small class="warn">{org.dissolved_on:%Y-%m-%d}撤销</small>'
        elif org.established_on and org.established_on.year == window_year:
            notes += f"<small>{org.established_on.month}月{org.established_on.day}日成立</small>"
        base = cell_url.replace("ORG", pk)
        cells = "".join(_cell(c, f"{base.replace('RULE', str(c.column.rule.pk))}?{q}") for c in row.cells)
        rate = _rate(row, f"{meetings_url.replace('ORG', pk)}?{q}")
        out.append(
            f'<tr class="lv{min(row.level, 5)} {KIND_CLASS.get(org.kind, "k-unit")}">'
            f'<th class="org" scope="row"><a href="?{q}&amp;org={pk}">{name}</a>{notes}</th>{cells}{rate}</tr>'
        )
    return mark_safe("\n".join(out))


@register.filter
def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state)


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"
