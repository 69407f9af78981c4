"""Word documents in the official layout (公文格式), shared by every generated document: the ledger, the
reading club's yearly archive and whatever later issues add.

Layout after GB/T 9704 as party offices print it: A4 with margins top 3.7 cm, bottom 3.5, left 2.8, right 2.6;
the title in 方正小标宋简体 二号, headings in 黑体 三号, body in 仿宋_GB2312 三号 (tables 四号), page numbers
"— 1 —" in the footer. Those fonts exist on the office PCs that print these documents, but not everywhere: each
font is declared in the document's font table with an alternate name, its GB2312 charset and its PANOSE class,
which is what Word, WPS and LibreOffice use to pick a substitute (仿宋_GB2312 → 仿宋 / FangSong …) on a
machine that lacks it.

`write_html` turns the sanitised HTML of meeting minutes (partyedu.meetings.services.MINUTES_TAGS) into
paragraphs, with nothing but the standard library's html.parser.
"""

from __future__ import annotations

import datetime
import io
import re
from html.parser import HTMLParser

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

# --- fonts -------------------------------------------------------------------------------------------------
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
KAI_FONT = "楷体_GB2312"
SONG_FONT = "宋体"
LATIN_FONT = "Times New Roman"

# name → (alternate name, PANOSE-1, family, pitch): what a machine without the font substitutes.
FONT_FALLBACKS = {
    TITLE_FONT: ("宋体", "02000000000000000000", "auto", "variable"),
    HEADING_FONT: ("SimHei", "02010609060101010101", "modern", "fixed"),
    BODY_FONT: ("仿宋", "02010609030101010101", "modern", "fixed"),
    KAI_FONT: ("楷体", "02010609030101010101", "modern", "fixed"),
    SONG_FONT: ("SimSun", "02010600030101010101", "auto", "variable"),
    "仿宋": ("FangSong", "02010609060101010101", "modern", "fixed"),
    "楷体": ("KaiTi", "02010609060101010101", "modern", "fixed"),
}

# 字号 in points.
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_SMALL_4 = Pt(12)  # 小四

# Style names used throughout; the built-in headings keep their outline levels, so a TOC field finds them.
BODY = "公文正文"
TABLE_TEXT = "表格文字"
SUBHEAD = "小标题"
PART_TITLE = "分节标题"  # like a heading, but outside the table of contents
BYLINE = "署名"
DOC_TITLE = "文档标题"


def set_fonts(element_with_rpr, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set the Chinese and Latin fonts of a style or run. Theme font attributes are removed, since they
    override the named fonts."""
    rpr = element_with_rpr.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def run_font(run, east_asia: str, size=None, bold: bool | None = None) -> None:
    set_fonts(run._r, east_asia)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.bold = bold


def _register_fallbacks(document) -> None:
    """Declare our fonts in word/fontTable.xml with their substitutes (python-docx keeps that part as bytes)."""
    part = next(
        (p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None
    )
    if part is None:
        return
    root = etree.fromstring(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, (alt, panose, family, pitch) in FONT_FALLBACKS.items():
        if name in known:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (
            ("w:altName", alt),
            ("w:panose1", panose),
            ("w:charset", "86"),  # GB2312
            ("w:family", family),
            ("w:pitch", pitch),
        ):
            child = etree.SubElement(font, qn(tag))
            child.set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- the document --------------------------------------------------------------------------------------------
def _paragraph_style(document, name: str, base: str = "Normal"):
    styles = document.styles
    try:
        return styles[name]
    except KeyError:
        style = styles.add_style(name, 1)  # WD_STYLE_TYPE.PARAGRAPH
        style.base_style = styles[base]
        style.quick_style = True
        return style


def _style(style, font: str, size, *, bold=False, align=None, line=None, indent=None, before=0, after=0):
    set_fonts(style.element, font)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    color = style.element.rPr.find(qn("w:color"))
    if color is not None:
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            color.attrib.pop(qn(attr), None)
    pf = style.paragraph_format
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if align is not None:
        pf.alignment = align
    if line is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = line
    pf.first_line_indent = indent
    # The template's Title has a rule under it; an official title has none.
    ppr = style.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)


def new_document(title: str = "") -> Document:
    """An empty A4 document with the official margins, styles, font substitutes and page numbers."""
    document = Document()
    _register_fallbacks(document)
    styles = document.styles

    normal = styles["Normal"]
    _style(normal, BODY_FONT, SIZE_3, line=Pt(28))
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    _style(_paragraph_style(document, BODY), BODY_FONT, SIZE_3, line=Pt(28), indent=Pt(32))
    _style(_paragraph_style(document, TABLE_TEXT), BODY_FONT, SIZE_4, line=Pt(20))
    _style(_paragraph_style(document, SUBHEAD), KAI_FONT, SIZE_3, bold=True, line=Pt(28), indent=Pt(32))
    _style(_paragraph_style(document, PART_TITLE), HEADING_FONT, SIZE_3, line=Pt(28), before=6)
    styles[PART_TITLE].paragraph_format.keep_with_next = True
    _style(
        _paragraph_style(document, BYLINE),
        KAI_FONT,
        SIZE_3,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line=Pt(28),
        after=6,
    )
    _style(
        _paragraph_style(document, DOC_TITLE),
        TITLE_FONT,
        SIZE_2,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line=Pt(36),
        after=12,
    )
    _style(styles["Title"], TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36), after=12)
    _style(
        styles["Heading 1"],
        HEADING_FONT,
        SIZE_3,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line=Pt(28),
        before=12,
        after=12,
    )
    _style(styles["Heading 2"], HEADING_FONT, SIZE_3, line=Pt(28), before=12, after=6)
    _style(styles["Heading 3"], KAI_FONT, SIZE_3, bold=True, line=Pt(28), before=6)
    for name in ("Heading 1", "Heading 2", "Heading 3", BYLINE):
        styles[name].paragraph_format.keep_with_next = True
    toc_heading = styles["TOC Heading"]
    _style(toc_heading, HEADING_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(28), after=12)

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(2.5)
    _page_number_footer(section)
    # The cover carries no page number; the page after it is page 1.
    section.different_first_page_header_footer = True
    number_type = OxmlElement("w:pgNumType")
    number_type.set(qn("w:start"), "0")
    section._sectPr.append(number_type)

    if title:
        document.core_properties.title = title
    document.core_properties.author = "党员教育培训管理平台"
    return document


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (PAGE, TOC …): Word computes it on opening or on 更新域."""

    def fld(kind: str):
        run = paragraph.add_run()
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            char.set(qn("w:dirty"), "true")
        run._r.append(char)
        return run

    fld("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    fld("separate")
    if placeholder:
        paragraph.add_run(placeholder)
    fld("end")


def _page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" —")
    for run in paragraph.runs:
        run_font(run, SONG_FONT, SIZE_4)


def add_toc(
    document, levels: str = "1-2", placeholder: str = "（目录将在 Word 中右键“更新域”后生成）"
) -> None:
    """A real table-of-contents field. Word asks to update fields on opening (settings below); until then the
    placeholder shows, so callers add a static list after it."""
    paragraph = document.add_paragraph(style=TABLE_TEXT)
    _field(paragraph, f'TOC \\o "{levels}" \\h \\z \\u', placeholder)
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)


def page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def new_section(document) -> None:
    document.add_section(WD_SECTION.NEW_PAGE)


def cover_page(document, *, organization: str, title: str, subtitle: str, note: str = "") -> None:
    """The cover: the organisation, the title, the year, the date it was generated; then a new page."""
    for _ in range(4):
        document.add_paragraph()
    cover_line(document, organization, TITLE_FONT, SIZE_2)
    document.add_paragraph()
    cover_line(document, title, TITLE_FONT, Pt(42))
    document.add_paragraph()
    cover_line(document, subtitle, KAI_FONT, SIZE_3)
    for _ in range(8):
        document.add_paragraph()
    cover_line(document, f"生成日期：{cn_date(timezone.localdate())}", BODY_FONT, SIZE_3)
    if note:
        cover_line(document, note, BODY_FONT, SIZE_4)
    page_break(document)


def cover_line(document, text: str, font: str, size, *, bold: bool = False) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    paragraph.paragraph_format.line_spacing = size
    run_font(paragraph.add_run(text), font, size, bold=bold)


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --- tables --------------------------------------------------------------------------------------------------
def _repeat_as_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


# --- styles by name, looked up once per document ---------------------------------------------------------------
def _style_id(part, name: str, style_type: WD_STYLE_TYPE) -> str | None:
    # python-docx resolves a style name by scanning every style of the document for the default one, on every
    # assignment: a few milliseconds each, which made a unit's ledger (a dozen styled cells per meeting) take
    # minutes. The id a name resolves to does not change while a document is written.
    cache = part.__dict__.setdefault("_partyedu_style_ids", {})
    key = (name, style_type)
    if key not in cache:
        cache[key] = part.get_style_id(name, style_type)
    return cache[key]


def set_paragraph_style(paragraph, name: str) -> None:
    """`paragraph.style = name`, without python-docx's scan of every style each time."""
    paragraph._p.style = _style_id(paragraph.part, name, WD_STYLE_TYPE.PARAGRAPH)


def add_styled_paragraph(container, text: str = "", style: str = BODY):
    """`container.add_paragraph(text, style=style)`, without python-docx's scan of every style each time."""
    paragraph = container.add_paragraph(text)
    set_paragraph_style(paragraph, style)
    return paragraph


def set_table_style(table, name: str = "Table Grid") -> None:
    """`table.style = name`, without python-docx's scan of every style each time."""
    table._tbl.tblStyle_val = _style_id(table.part, name, WD_STYLE_TYPE.TABLE)


def _cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def set_cell(cell, text: str, *, bold: bool = False, center: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    set_paragraph_style(paragraph, TABLE_TEXT)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lines = (text or "").split("\n")
    for n, line in enumerate(lines):
        run = paragraph.add_run(line)
        if bold:
            run.bold = True
        if n < len(lines) - 1:
            run.add_break()


def add_table(container, headers: list[str], rows: list[list[str]], widths_cm: list[float] | None = None):
    """A bordered table: a bold header row repeated on every page, rows that do not split across pages."""
    table = container.add_table(rows=1, cols=len(headers))
    set_table_style(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        set_cell(cell, text, bold=True, center=True)
    _repeat_as_header(table.rows[0])
    for values in rows:
        row = table.add_row()
        _cant_split(row)
        for cell, text in zip(row.cells, values, strict=True):
            set_cell(cell, "" if text is None else str(text))
    if widths_cm:
        set_widths(table, widths_cm)
    return table


def set_widths(table, widths_cm: list[float]) -> None:
    """Column widths, both in the grid (what LibreOffice and WPS read) and on every cell (what Word reads)."""
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=False):
        column.w = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def key_value_table(document, pairs: list[tuple[str, str]], *, columns: int = 2, widths_cm=None):
    """Label/value pairs, `columns` pairs a row; a pair whose label ends with '*' spans the whole row."""
    cols = columns * 2
    table = document.add_table(rows=0, cols=cols)
    set_table_style(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    row, used = None, cols
    for label, value in pairs:
        wide = label.endswith("*")
        label = label.rstrip("*")
        if used >= cols or (wide and used):
            row, used = table.add_row(), 0
            _cant_split(row)
        cells = row.cells
        set_cell(cells[used], label, bold=True, center=True)
        if wide:
            merged = cells[used + 1].merge(cells[cols - 1])
            set_cell(merged, value)
            used = cols
        else:
            set_cell(cells[used + 1], value)
            used += 2
    if widths_cm:
        set_widths(table, widths_cm)
    return table


# --- text ----------------------------------------------------------------------------------------------------
def add_plain_text(container, text: str, style: str = BODY, empty: str = "") -> int:
    """Plain text, one paragraph per line. Returns the number of paragraphs written."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines and empty:
        add_styled_paragraph(container, empty, style)
        return 1
    for line in lines:
        add_styled_paragraph(container, line, style)
    return len(lines)


_SPACE = re.compile(r"\s+")
_CJK = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
# A line break in the HTML source between two Chinese characters is no space in the text.
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


class _HtmlWriter(HTMLParser):
    """Writes the minutes' sanitised HTML as paragraphs: p/div/blockquote → body paragraphs, h3/h4 → bold
    subheadings, br → line break, strong/b/em/i/u → run formatting, ul/ol/li → numbered or bulleted
    paragraphs (numbers typed, so that each list starts at 1 in every viewer), table → a bordered table."""

    BLOCKS = {"p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "li"}

    def __init__(self, container, body_style: str, subheading_style: str):
        super().__init__(convert_charrefs=True)
        self.container = container
        self.body_style = body_style
        self.subheading_style = subheading_style
        self.paragraph = None
        self.block: list[str] = []
        self.bold = self.italic = self.underline = 0
        self.lists: list[list] = []  # [kind, counter]
        self.pending_prefix = ""
        self.table: list[list[tuple[str, bool]]] | None = None
        self.cell: list[str] | None = None
        self.cell_header = False
        self.written = 0

    # paragraphs
    def _style_for_block(self) -> str:
        if any(tag in {"h1", "h2", "h3", "h4", "h5", "h6"} for tag in self.block):
            return self.subheading_style
        return self.body_style

    def _open(self):
        if self.paragraph is None:
            self.paragraph = add_styled_paragraph(self.container, style=self._style_for_block())
            self.written += 1
            if self.lists:
                fmt = self.paragraph.paragraph_format
                fmt.first_line_indent = Pt(0)
                fmt.left_indent = Pt(32 * len(self.lists))
            if "blockquote" in self.block:
                self.paragraph.paragraph_format.left_indent = Pt(32)
            if self.pending_prefix:
                self.paragraph.add_run(self.pending_prefix)
                self.pending_prefix = ""
        return self.paragraph

    def _close(self):
        if self.paragraph is not None and self.paragraph.runs:
            last = self.paragraph.runs[-1]
            last.text = last.text.rstrip(" ")
        self.paragraph = None

    def handle_starttag(self, tag, attrs):
        if self.table is not None:
            if tag == "tr":
                self.table.append([])
            elif tag in {"td", "th"}:
                self.cell, self.cell_header = [], tag == "th"
            elif tag == "br" and self.cell is not None:
                self.cell.append("\n")
            return
        if tag == "table":
            self._close()
            self.table = []
        elif tag in self.BLOCKS:
            self._close()
            self.block.append(tag)
            if tag == "li" and self.lists:
                entry = self.lists[-1]
                entry[1] += 1
                self.pending_prefix = f"{entry[1]}. " if entry[0] == "ol" else "• "
        elif tag in {"ul", "ol"}:
            self._close()
            self.lists.append([tag, 0])
        elif tag == "br":
            if self.paragraph is not None:
                self.paragraph.add_run().add_break()
        elif tag in {"strong", "b"}:
            self.bold += 1
        elif tag in {"em", "i"}:
            self.italic += 1
        elif tag == "u":
            self.underline += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.table is not None:
            if tag in {"td", "th"} and self.cell is not None:
                text = _SPACE.sub(" ", "".join(self.cell).replace("\n", "\0")).replace("\0", "\n").strip()
                if not self.table:
                    self.table.append([])
                self.table[-1].append((text, self.cell_header))
                self.cell = None
            elif tag == "table":
                rows, self.table = [r for r in self.table if r], None
                self._write_table(rows)
            return
        if tag in self.BLOCKS:
            self._close()
            if tag in self.block:
                del self.block[len(self.block) - 1 - self.block[::-1].index(tag)]
            self.pending_prefix = ""
        elif tag in {"ul", "ol"}:
            self._close()
            if self.lists:
                self.lists.pop()
        elif tag in {"strong", "b"}:
            self.bold = max(0, self.bold - 1)
        elif tag in {"em", "i"}:
            self.italic = max(0, self.italic - 1)
        elif tag == "u":
            self.underline = max(0, self.underline - 1)

    def handle_data(self, data):
        if self.table is not None:
            if self.cell is not None:
                self.cell.append(data)
            return
        text = _SPACE.sub(" ", _SPACE_BETWEEN_CJK.sub("", data))
        if self.paragraph is None or not self.paragraph.runs:
            text = text.lstrip(" ")
        if not text:
            return
        run = self._open().add_run(text)
        if self.bold:
            run.bold = True
        if self.italic:
            run.italic = True
        if self.underline:
            run.underline = True

    def _write_table(self, rows):
        if not rows:
            return
        width = max(len(r) for r in rows)
        table = self.container.add_table(rows=0, cols=width)
        set_table_style(table)
        for values in rows:
            row = table.add_row()
            for cell, (text, header) in zip(row.cells, values, strict=False):
                set_cell(cell, text, bold=header)
        self.written += 1

    def close(self):
        super().close()
        self._close()


def write_html(container, html: str, *, body_style: str = BODY, subheading_style: str = SUBHEAD) -> int:
    """Write sanitised rich text (or plain text, one paragraph per line) into a document or table cell.
    Returns the number of paragraphs and tables written."""
    html = (html or "").strip()
    if not html:
        return 0
    if "<" not in html:
        return add_plain_text(container, html, body_style)
    writer = _HtmlWriter(container, body_style, subheading_style)
    writer.feed(html)
    writer.close()
    return writer.written


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
