"""The agency (机关名称) a report is about: a name as the report prints it, never a sentence or a date.

The title is the first source; when it names no agency, bind.py offers the other places a report names
itself, most certain first. Every candidate goes through `clean`, which returns "" for anything that is not
a short agency name: an empty agency is better than a wrong one (the agency chooses the GK402 deadline).
"""

from __future__ import annotations

import re
import unicodedata

NAME_MAX = 40  # longer is a sentence, not a name
_YEAR = re.compile(r"(?:\d{4}|[〇零○OoＯ一二三四五六七八九]{4})\s*年度?")
_SUBJECT = re.compile(r"(?:政府信息公开|信息公开|政务公开|年度报告|工作报告)")
# the ends agency names have (局, 委员会, 人民政府, 片区管理局, 街道办事处, 管委会, 县直部门, a region's name …)
_SUFFIX = re.compile(r"(局|委|会|办|室|厅|政府|府|中心|院|处|所|站|队|署|馆|社|司|部|部门|区|县|市|省|州|旗|盟|镇|乡|"
                     r"街道|村|公司|集团|学|校|行|台|团|组|科|园|场|城|关|监狱)$")
_SELF = re.compile(r"^(?:(?:本|我|全|该|此|其)(?:机关|单位|部门|局|委|办|厅|院|中心|会|府|区|县|市|省|镇|乡|街道)$|各)")
# "本局", "各县区" name nobody
_NOT_NAME = re.compile(r"[。；;，,：:！？!?、《》“”\"]|\d|[〇○]|报告|公开|年度|附件|正文|目录|标题|索引|来源|发布|联系|地址|电话")
_BRACKETS = re.compile(r"\([^()]*\)")
# the office that compiles or signs a government's report ("本报告由某县人民政府办公室编制"): the government's
# report or the office's own? The name does not say, and the wrong one changes the deadline (GK402).
_GOVERNMENT_OFFICE = re.compile(r"办公室$|办公厅$|政府办$|公开办$")


def clean(text: str, brackets: bool = False) -> str:
    """`text` as an agency name (NFKC, no whitespace, no leading '关于'), or "" when it is not one.
    Brackets ("（本级）") are kept only when `brackets` (a name as the title prints it: the 本级 report and the
    whole region's report are different reports); elsewhere they are dropped."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    s = re.sub(r"^(?:标题|机关名称|单位)[:：]", "", s)
    s = re.sub(r"^(?:关于|度)|关于(?:报送|印发|公布|发布|上报|公开)?$", "", s)  # "某局关于报送2023年…报告的函"
    if not brackets:
        s = _BRACKETS.sub("", s)
    if s.count("(") != s.count(")"):
        s = s.replace("(", "").replace(")", "")
    if not (2 <= len(s) <= NAME_MAX) or _NOT_NAME.search(s) or _SELF.match(s):
        return ""
    if not _SUFFIX.search(_BRACKETS.sub("", s)):
        return ""
    return s


def from_title(title: str) -> str:
    """'某市某某局2023年政府信息公开工作年度报告', '2019年上海市人民政府办公厅政府信息公开工作年度报告',
    '关于某局2023年度…' -> the agency; '2023年政府信息公开工作年度报告' -> ""."""
    text = unicodedata.normalize("NFKC", title or "")
    m = _YEAR.search(text)
    if not m:
        return ""
    before = clean(_SUBJECT.split(text[: m.start()])[0], brackets=True)
    return before or clean(_SUBJECT.split(text[m.end():])[0], brackets=True)


def signature(text: str) -> str:
    """The agency of a 落款 line ("某市某某局" alone, or what stands before its date); not an office that
    may sign its government's report."""
    name = clean(text)
    return "" if _GOVERNMENT_OFFICE.search(name) else name


_PUBLISHED = re.compile(r"现(?:将|予以|向社会公布|公布|发布|印发)?《?(?P<a>[^，。；,;：:]{2,40}?)"
                        r"(?:\d{4}|[〇零○一二三四五六七八九]{4})\s*年度?(?:政府信息公开|信息公开|政务公开)")
_COMPILED = re.compile(r"本(?:年度)?报告由(?P<a>[^，。；,;：:《]{2,40}?)(?:根据|依据|按照|依照|负责|编制|起草|制作)")


def published(texts: list[str]) -> str:
    """'现将某某局2023年政府信息公开工作年度报告向社会公布': the report named by the agency itself."""
    return _first(texts, _PUBLISHED, clean)


def compiled(texts: list[str]) -> str:
    """'本报告由某某局编制' (an office compiling its government's report names no agency: _GOVERNMENT_OFFICE)."""
    return _first(texts, _COMPILED, signature)


def _first(texts: list[str], pattern: re.Pattern, accept) -> str:
    """The first match of `pattern` in `texts` whose group 'a' `accept` turns into a name."""
    for text in texts:
        for m in pattern.finditer(unicodedata.normalize("NFKC", text)):
            name = accept(m.group("a"))
            if name:
                return name
    return ""


_PLACE_END = "省市县区州旗盟"
_FAMILIES = (r"(?:管委会|管理委员会)$", r"政府$", r"(?:委|委员会)$", r"(?:办|办公室|办公厅)$", r"局$")


def _family(name: str) -> str:
    return next((f for f in _FAMILIES if re.search(f, name)), name[-1:])


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def alias(name: str, other: str) -> bool:
    """Is `other` another name of `name` ('上海市科委' / '上海市科学技术委员会', '洪泽区人民政府' /
    '淮安市洪泽区人民政府'), not a different agency ('某市人民政府' / '某市人民政府办公室')?"""
    if not name or not other or name == other or _family(name) != _family(other):
        return False
    short, long = sorted((name, other), key=len)
    if long.endswith(short):  # the higher level's name before it
        return True
    if not _subsequence(short, long):  # an abbreviation keeps its characters in order: 科委, 卫生健康委
        return False
    # the same place: both start alike, or the short one starts where a place's name ends ('市卫生健康委' in
    # '舟山市卫生健康委员会')
    i = long.find(short[:2])
    return i == 0 or (i > 0 and (short[0] in _PLACE_END or long[i - 1] in _PLACE_END))
