"""Every message docgen shows a person, in one place (Chinese first: the users are office staff).

Code refers to a message by its id and fills in the named fields; nothing user-facing is worded elsewhere.
"""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    # Reading the data file
    "file-missing": "找不到数据文件：{path}",
    "file-unreadable": "无法读取数据文件：{path}（{reason}）",
    "file-too-large": "数据文件过大（{size} 字节，上限 {limit} 字节），请检查是否选错了文件",
    "encoding": "文件不是 UTF-8 编码（第 {line} 行附近）；请在编辑器中“另存为”UTF-8 编码后重试",
    "number-out-of-range": "数字 {value} 超出范围（报告中的数字都小于 10^15）",
    "toml-too-deep": "表或数组嵌套的层数过多",
    "toml-syntax": "TOML 语法错误：{reason}\n    {source}\n    {pointer}",
    # Data model (pydantic error types → Chinese)
    "missing": "缺少必填项 {key}{label}",
    "unknown-key": "未知的键 {key}{suggestion}",
    "unknown-key-suggestion": "，是否想写 {candidate}？",
    "count-type": "{label}应为整数（不带引号、单位或小数点），实际为 {actual}",
    "count-negative": "{label}不能为负数，实际为 {actual}",
    "count-too-large": "{label}数值过大（上限 {limit}），实际为 {actual}",
    "amount-type": "{label}应为数字（单位：万元，可带小数），实际为 {actual}",
    "amount-negative": "{label}不能为负数，实际为 {actual}",
    "row-type": "{label}应为数组：{columns}",
    "row-length": "{label}应有 {expected} 个数（{columns}），实际为 {actual} 个",
    "text-type": "{label}应为文字（用引号括起），实际为 {actual}",
    "text-char": "{label}含有 Word 文档不允许的字符 {char}（第 {position} 个字符），请删除",
    "list-type": "{label}应为数组（用方括号括起），实际为 {actual}",
    "table-type": "{label}应为表（[节] 或 {{ 键 = 值 }}），实际为 {actual}",
    "date-type": "{label}应为日期，写法如 2022-02-18（不带引号），实际为 {actual}",
    "year-type": "{label}应为四位年份，如 2021，实际为 {actual}",
    "bool-type": "{label}应为 true 或 false，实际为 {actual}",
    "enum-items": "{label}至少需要一项",
    "choice": "{label}只能是 {choices} 之一，实际为 {actual}",
    "invalid": "{label}：{reason}",
    # Rules (勾稽关系); the ids are stable and listed in the README
    "t3-balance": "勾稽关系不符（{column}列）：一+二 = {left}，三（七）总计+四 = {right}",
    "t3-results-total": "（七）总计不等于各项办理结果之和（{column}列）：填写 {stated}，应为 {derived}",
    "t3-row-total": "{name}：总计填写 {stated}，六类申请人之和为 {derived}",
    "t4-total": "{name}：总计填写 {stated}，四项结果之和为 {derived}",
    # Formatting filters (formatting.py) and narrative expressions (narrative.py)
    "filter-error": "{filter} 无法处理 {value}：{reason}",
    "filter-undefined-value": "（未定义的名称）",
    "filter-not-number": "不是数字",
    "filter-negative": "不能为负数",
    "filter-too-long": "超过 16 位",
    "filter-not-integer": "应为整数",
    "filter-zero-base": "分母为 0，无法计算比率",
    "filter-not-date": "不是日期",
    "filter-bad-level": "标题层级只能是 1–4",
    "narrative-undefined": "正文中使用了未定义的名称 {name}；可用的名称见 README“在正文中引用数字”",
    "narrative-syntax": '正文中的 {{{{ … }}}} 表达式写法有误：{reason}（该段第 {line} 行）；要印出花括号本身，请写 {{{{ "{{{{" }}}}',
    "narrative-security": "正文表达式试图访问不允许的内容（{reason}），已拒绝",
    "narrative-limit": "正文表达式超出了允许的计算量：{reason}",
    "expression-limit": "{what}超过上限 {limit}",
    "limit-loop": "循环的总次数",
    "limit-calls": "函数和宏的调用次数",
    "limit-depth": "宏的嵌套调用层数",
    "limit-range": "range() 的长度",
    "limit-sequence": "生成的文字或列表的长度",
    "limit-power": "乘方或乘积的大小（二进制位数）",
    "limit-format": "格式的宽度或精度",
    "limit-output": "输出的大小（MB）",
    "limit-memory": "表达式需要的内存过多",
    "limit-recursion": "表达式嵌套或递归过深",
    "narrative-error": "正文表达式无法计算：{reason}",
    "figures-depth": "{label}嵌套的层数过多（最多 8 层）",
    "figures-type": "{label}只能是数字，或由数字组成的数组、表，实际为 {actual}",
    "t2-items": "{label}：上一年项目数量 {previous} 加本年增/减 {change} 小于 0",
    # Across years (docgen check --previous)
    "carry-over": "二、上年结转（{column}列）为 {this}，上年报告的“四、结转下年度继续办理”为 {previous}，两者应相等",
    "t2-in-force": "{label}为 {this}，上年 {previous} + 本年制发 {issued} − 本年废止 {repealed} = {expected}；文件也可能因到期等原因失效，请核实",
    "figure-jump": "{label}由上年的 {previous} 变为 {this}（{change}），请核实",
    "figure-jump-up": "增至 {factor} 倍",
    "figure-jump-down": "降至 {factor} 倍",
    "previous-year": "上年报告的年度为 {previous}，应为 {expected}；请确认 --previous 指定的文件",
    "check-summary": "检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告",
    # Writing the output
    "output-is-input": "输出文件 {path} 与输入文件相同；请用 -o 指定其他文件名",
    "output-is-template": "输出文件 {path} 与模板文件相同；请用 -o 指定其他文件名",
    "output-dir-missing": "输出目录不存在：{path}",
    "output-not-file": "输出路径 {path} 已存在且不是普通文件（设备、管道等），不会被替换；请用 -o 指定其他文件名",
    "os-name-too-long": "文件名过长，请用较短的名称",
    "os-permission": "没有写入权限",
    "os-no-space": "磁盘空间不足",
    "os-read-only": "只读的文件系统",
    "output-is-dir": "输出路径是一个目录：{path}；请给出 .docx 文件名",
    "no-data-files": "目录 {path} 中没有 .toml 数据文件",
    "no-documents": "目录 {path} 中没有 .docx 文档",
    "output-collision": "输出文件 {path} 已由 {other} 生成，不能再次写入；请为同名的数据文件分别指定输出目录",
    "batch-summary": "共 {total} 个文件：成功 {ok} 个，失败 {failed} 个",
    "batch-ok": "成功",
    "batch-failed": "失败",
    "batch-progress": "正在生成报告",
    "column-file": "数据文件",
    "column-status": "结果",
    "column-detail": "输出文件或第一个问题",
    "init-usage": "请给出 --issuer 和 --year（新建空白文件），或只给出 --from（由上年文件开始）",
    "init-from-kind": "--from 目前只能从 .toml 数据文件开始（{path} 是 {suffix} 文件）",
    "init-exists": "{path} 已存在；如确需覆盖，请加 --force",
    "init-written": "已创建：{path}",
    "output-needed": "这份报告不是从文件读取的，请指定输出文件",
    "output-failed": "无法写入 {path}（{reason}）；原有文件未改动",
    # PDF and preview (LibreOffice, poppler)
    "pdf-no-soffice": (
        "找不到 LibreOffice（soffice），无法生成 PDF。安装方法——Debian/Ubuntu：sudo apt install "
        "libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-gkai00mp；Windows：winget install "
        "TheDocumentFoundation.LibreOffice（或从 https://zh-cn.libreoffice.org 下载）；macOS：brew install --cask "
        "libreoffice。已装在其他位置时，请把环境变量 DOCGEN_SOFFICE 设为 soffice 的完整路径"
    ),
    "pdf-start-failed": "无法启动 LibreOffice（{path}）：{reason}",
    "pdf-timeout": "LibreOffice 超过 {seconds} 秒没有完成转换，已停止；可用 --pdf-timeout 延长等待时间",
    "pdf-failed": "LibreOffice 未能把它转换为 PDF{detail}",
    "pdfa-unsupported": "LibreOffice 版本过旧，生成的 PDF 不是 PDF/A-2b（需要 LibreOffice 7.4 或更新版本）",
    "pdf-progress": "正在转换为 PDF",
    "no-pdftoppm": (
        "找不到 pdftoppm，无法生成预览图片。安装方法——Debian/Ubuntu：sudo apt install poppler-utils；"
        "macOS：brew install poppler；Windows：安装 poppler 并把它的 bin 目录加入 PATH"
    ),
    "preview-failed": "pdftoppm 未能生成预览图片（{reason}）",
    "preview-written": "已生成预览：{path}",
    # Reading a published report (docgen extract)
    "extract-not-docx": "不是可读取的 Word 文档（{reason}）",
    "extract-no-report": "文档中没有找到年度报告的一级标题或统计表，未读出任何内容",
    "extract-blank": "空白，按 0 读入",
    "extract-not-number": "“{text}”不是数字，按 0 读入，请核对",
    "extract-annotated": "原文为“{text}”，读作 {value}，请核对",
    "extract-columns": "{table}的表头无法识别，按官方格式的列顺序读取，请核对",
    "extract-row-unplaced": "{table}中无法识别的行：{text}（已放入 unplaced）",
    "extract-row-missing": "没有找到{where}，按 0 填写，请核对",
    "extract-heading-missing": "没有找到一级标题“{heading}”，该部分的内容可能归入了其他部分，请核对",
    "extract-table-missing": "没有找到{table}，其数字按 0 填写，请核对",
    "extract-issuer-missing": "没有从标题中读出机关名称，请填写 report.issuer",
    "extract-date-missing": "没有找到成文日期（如 2022年2月18日），暂填下一年 1 月 31 日，请改为实际日期",
    "extract-unplaced": "无法归入任何部分的内容：“{text}”，已原样保存在 unplaced 中",
    "extract-written": "已读出：{path}",
    "extract-header": "由 docgen extract 从 {source} 读出。带“注意”的项请与原文核对。",
    "extract-summary": "读取了 {files} 个文档：{warnings} 个提示，{failed} 个无法读取",
    "unplaced": "有 {count} 段内容无法归入报告的任何部分（由 docgen extract 保留），生成报告时不会印出，请移入相应位置或删除",
    # Templates
    "template-missing": "找不到模板文件：{path}",
    "template-invalid": "模板文件 {path} 不是有效的 .docx 文件（{reason}）",
    "template-error": "模板 {path} 渲染出错：{reason}",
    "template-security": "模板 {path} 试图访问不允许的内容（{reason}），已拒绝渲染",
    "template-limit": "模板 {path} 超出了允许的计算量：{reason}",
    "template-undefined": "模板 {path} 使用了未定义的变量：{reason}",
    "template-broken-xml": (
        "模板 {path} 渲染后的文档结构不完整（{reason}）：{{% if %}}、{{% for %}} 等标签不能跨越段落或表格的边界，"
        "整段或整行的条件和循环请写成 {{%p … %}}、{{%tr … %}}"
    ),
    "template-not-docx": "不是 .docx 文件（如是旧版 .doc，请在 Word/WPS 中“另存为”.docx）",
    # Reading a .docx from elsewhere (ooxml.py; limits in limits.py, raised through DOCGEN_* variables)
    "package-part": "{part}：{reason}",
    "package-member-missing": "缺少 {part}",
    "package-members": "文件包含 {count} 个部件，超过上限 {limit}（可用环境变量 DOCGEN_MAX_MEMBERS 调高）",
    "package-too-large": "解压后超过 {limit} MB 的上限，可能是“压缩炸弹”（确需处理时可用环境变量 DOCGEN_MAX_PART_MB、DOCGEN_MAX_PACKAGE_MB 调高）",
    "package-corrupt": "压缩数据已损坏，无法解压（文件可能下载不完整）",
    "package-doctype": "含有文档类型声明（DOCTYPE/ENTITY），Word 文档不会有这种内容，出于安全考虑拒绝读取",
    "package-xml": "XML 结构有误（{reason}）",
    "table-too-large": "第 {table} 个表格{what}超过上限 {limit}",
    "table-rows": "的行数（可用环境变量 DOCGEN_MAX_TABLE_ROWS 调高）",
    "table-columns": "一行的列数",
    "table-span": "第 {table} 个表格的合并单元格宽度“{value}”不是有效的数字",
    "lint-unknown-name": "未知的名称 {name}{suggestion}",
    "lint-unknown-filter": "未知的过滤器 {name}{suggestion}",
    "lint-more": "另有 {count} 个问题未列出；请先改正以上问题",
    "lint-internal": "试图访问不允许的 Python 内部属性 {name}，模板不得这样做",
    "lint-split": "{where}：标签的花括号被 Word 拆到了不同的文字段中，docxtpl 无法修复；请删除后一次性重新输入该标签（“{text}”）",
    "lint-unclosed": "{{% {block} %}} 没有对应的 {{% end{block} %}}",
    "lint-syntax": "{where}：模板语法错误：{reason}",
    "lint-untagged": "官方表格的数字格 {where} 没有标签，生成的报告将缺少该数字",
    "lint-property": "文档属性 {name}",
    "lint-clean": "{path}：未发现问题",
    "lint-summary": "{path}：发现 {count} 个问题",
    "exported": "已导出：{path}",
    # CLI
    "rendered": "已生成：{path}",
    "failed-summary": "{file}：发现 {count} 个问题，未生成文件",
    "convert-failed-summary": "{file}：未能生成 PDF 或预览图片",
    "internal-error": "docgen 内部错误（{kind}：{reason}）。这不是您的数据问题；请加 --debug 重新运行，并将输出报告给开发者",
}


def message(message_id: str, **fields: object) -> str:
    """The user-facing text of `message_id` with its fields filled in."""
    return MESSAGES[message_id].format(**fields)


# tomllib's English reasons (by their opening words) in plain Chinese, with what to do.
TOML_SYNTAX_REASONS: Final[dict[str, str]] = {
    "Cannot overwrite a value": "同一个键写了两次，请删除或合并其中一处",
    "Cannot declare": "同一个 [表] 写了两次，请合并为一处",
    "Unterminated string": '文字缺少结束的引号 "',
    'Expected "\'"': "文字缺少结束的引号 '",
    "Illegal character": "文字中有不允许的控制字符，或引号没有在本行结束",
    "Unescaped '\\'": "文字中的反斜杠 \\ 需写成 \\\\",
    "Expected '=' after a key": "键的后面缺少“=”",
    "Expected newline or end of document": "一行只能写一个“键 = 值”；文字要用引号括起，数字不带单位，日期写作 2022-02-18",
    "Invalid value": "无法识别的值：文字要用引号括起，数字不带单位，日期写作 2022-02-18",
    "Invalid statement": "这一行不是“键 = 值”或 [表]",
    "Invalid initial character for a key part": "键名只能由英文字母、数字、_ 和 - 组成",
    "Unclosed array": "数组缺少结束的“]”",
    "Unclosed inline table": "内联表缺少结束的“}”（内联表必须写在一行内）",
    "Invalid date or datetime": "日期不存在或写法不对，应写作 2022-02-18",
    "Expected ']' at the end of a table declaration": "[表] 缺少结束的“]”",
    "Expected ']]' at the end of an array declaration": "[[表]] 缺少结束的“]]”",
}
