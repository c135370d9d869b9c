"""Why a YAML file could not be read, in words a field engineer reads in their own language:
read by launchpad/yamlreasons.yaml_reason from the YAML parser's own problem. Each
(English, 中文); the sentence around it names the file, the line and the column."""

from __future__ import annotations

# key: (English, 中文)
ENTRIES: dict[str, tuple[str, str]] = {
    "yaml.colon_in_value": ("a 'key: value' cannot start here: a value holding ': ' needs quotes, "
                            "or this line is indented wrongly",
                            "此处不能开始“键: 值”：值里含有“: ”时须加引号，或者这一行缩进不对"),
    "yaml.key_without_colon": ("this line should be 'key: value' but has no ':' (or the line above "
                               "opened a quote it never closed)",
                               "这一行应为“键: 值”，却没有冒号（或上一行的引号没有闭合）"),
    "yaml.tab": ("a tab character: YAML indents with spaces only", "用了制表符（Tab）：YAML 只能用空格缩进"),
    "yaml.cannot_start": ("{char!r} cannot begin a value: put the value in quotes",
                          "值不能以“{char}”开头：请把这个值加上引号"),
    "yaml.indentation": ("the indentation does not match the lines above (a line moved left or right?)",
                         "缩进与上面的行对不上（某一行多缩进或少缩进了？）"),
    "yaml.list_unclosed": ("a [ … ] list is not closed, or a comma is missing between its items",
                           "列表 [ … ] 没有闭合，或元素之间少了逗号"),
    "yaml.map_unclosed": ("a {{ … }} mapping is not closed, or a comma is missing between its items",
                          "映射 {{ … }} 没有闭合，或项之间少了逗号"),
    "yaml.quote_unclosed": ("a quote is not closed: the file ends before its closing quote",
                            "引号没有闭合：直到文件末尾也没有找到对应的引号"),
    "yaml.bad_escape": ("\\{char} is not an escape inside double quotes: write a Windows path in single "
                        "quotes, or double the backslash",
                        "双引号中的 \\{char} 不是有效的转义：Windows 路径请用单引号，或把反斜杠写成两个"),
    "yaml.missing_value": ("a value is missing here", "此处缺少值"),
    "yaml.unknown_alias": ("*{name} refers to no anchor &{name} above it", "*{name} 引用的锚点 &{name} 在前面没有定义"),
    "yaml.unknown_tag": ("unknown tag {tag}: launchpad reads plain YAML only",
                         "不认识的标签 {tag}：launchpad 只读普通 YAML"),
    "yaml.control_char": ("the file holds a control character U+{code} that YAML does not allow (pasted from "
                          "another program?)", "文件中有 YAML 不允许的控制字符 U+{code}（从别的程序粘贴来的？）"),
    "yaml.key_not_allowed": ("a key cannot stand here (the line is indented wrongly?)",
                             "此处不能写键（这一行缩进不对？）"),
    "yaml.unclosed_or_indented": ("the indentation is wrong, or a [ or {{ is not closed",
                                  "缩进不对，或 [ / {{ 没有闭合"),
    "yaml.document_start": ("this is not where a 'key: value' can begin (indented wrongly, or a stray line?)",
                            "此处不能开始“键: 值”（缩进不对，或多出了一行？）"),
    # the parser's own words, for a problem the word-book does not know
    "yaml.parser_says": ("the YAML parser says: {text}", "YAML 解析器报告：{text}"),
}
