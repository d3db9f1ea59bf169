"""User-facing messages in English and Simplified Chinese, chosen from the locale."""

from __future__ import annotations

import os

# Each entry: key -> (English, Simplified Chinese). Placeholders use str.format names.
MESSAGES: dict[str, tuple[str, str]] = {
    # --- files and encodings
    "file_missing": ("file not found", "找不到文件"),
    "file_unreadable": ("cannot read the file: {reason}", "无法读取文件：{reason}"),
    "file_too_large": (
        "the file is {size} bytes, more than the limit of {limit} bytes",
        "文件大小 {size} 字节，超过上限 {limit} 字节",
    ),
    "encoding_utf16": (
        "the file is saved as UTF-16",
        "文件是 UTF-16 编码",
    ),
    "encoding_gbk": (
        "the file is not UTF-8 (it looks like GBK/GB18030)",
        "文件不是 UTF-8 编码（看起来是 GBK/GB18030）",
    ),
    "encoding_other": (
        "the file is not valid UTF-8 (byte 0x{byte:02x} at column {column})",
        "文件不是有效的 UTF-8 编码（第 {column} 列的字节 0x{byte:02x}）",
    ),
    "hint_save_utf8": (
        "save it as UTF-8: in Notepad choose 'Save as' > Encoding 'UTF-8'; "
        "in VS Code click the encoding in the status bar > 'Save with Encoding' > UTF-8",
        "请另存为 UTF-8：记事本中“另存为”>编码选“UTF-8”；"
        "VS Code 中点击状态栏的编码 >“通过编码保存”> UTF-8",
    ),
    "unknown_file": (
        "'{name}' is not a data file this tool reads",
        "“{name}”不是本工具读取的数据文件",
    ),
    "not_a_month_folder": (
        "'{name}' is not a month folder (expected YYYY-MM, e.g. 2020-02)",
        "“{name}”不是月份文件夹（应为 YYYY-MM，例如 2020-02）",
    ),
    "month_missing": ("no folder for month {month}", "没有 {month} 月份的文件夹"),
    "hint_new_month": (
        "create it with: bulletin new {month}",
        "可以用 bulletin new {month} 创建",
    ),
    # --- YAML syntax
    "yaml_syntax": ("YAML syntax error: {problem}", "YAML 语法错误：{problem}"),
    "yaml_tab": (
        "a tab character is used for indentation",
        "使用了制表符（Tab）缩进",
    ),
    "hint_tab": (
        "indent with spaces only (two spaces per level)",
        "请只用空格缩进（每级两个空格）",
    ),
    "yaml_bad_escape": (
        "an escape code in quotes (\\x…, \\u…) is not a character Word can store",
        "引号中的转义码（\\x…、\\u…）不是 Word 能保存的字符",
    ),
    "yaml_unclosed_quote": ("a quotation mark is not closed", "引号没有闭合"),
    "hint_unclosed_quote": (
        "add the closing quotation mark on the same line",
        "请在同一行补上结尾的引号",
    ),
    "yaml_fullwidth_colon": (
        "a full-width colon '：' is used after the key '{key}'",
        "键“{key}”后面用了全角冒号“：”",
    ),
    "hint_fullwidth_colon": (
        "write '{key}: ' with an ASCII colon followed by a space",
        "请写成“{key}: ”（半角冒号加一个空格）",
    ),
    "yaml_colon_space": (
        "the key '{key}' is not followed by a space after its colon",
        "键“{key}”的冒号后面缺少空格",
    ),
    "hint_colon_space": ("write '{key}: value'", "请写成“{key}: 内容”"),
    "yaml_alias": (
        "anchors and aliases (&name / *name) are not allowed",
        "不允许使用锚点和别名（&名称 / *名称）",
    ),
    "hint_alias": ("write the value out in full", "请把内容完整写出"),
    "yaml_too_deep": ("the data is nested too deeply", "数据嵌套层数过多"),
    "yaml_key_type": ("a key must be plain text", "键必须是普通文字"),
    "yaml_duplicate_key": (
        "the key '{key}' appears twice (first on line {first})",
        "键“{key}”重复出现（第一次在第 {first} 行）",
    ),
    "yaml_empty": ("the file is empty", "文件是空的"),
    "hint_empty": (
        "write at least '{key}: []', or delete the file",
        "请至少写上“{key}: []”，或者删除这个文件",
    ),
    "yaml_top_shape": (
        "the file must start with the key '{key}:' followed by a list",
        "文件应以“{key}:”开头，下面是一个列表",
    ),
    "yaml_project_shape": (
        "project.yaml must be a set of 'key: value' lines",
        "project.yaml 应由“键: 值”组成",
    ),
    "yaml_multi_doc": (
        "the file holds more than one YAML document ('---')",
        "文件中有多个 YAML 文档（“---”）",
    ),
    # --- text content
    "bad_char": (
        "contains a character Word cannot store ({char}) at position {pos}",
        "第 {pos} 个字符是 Word 无法保存的字符（{char}）",
    ),
    "hint_bad_char": (
        "delete it; it often comes from text pasted from WeChat or a web page",
        "请删除它；这类字符常来自从微信或网页粘贴的文字",
    ),
    "phone_number": (
        "contains what looks like a phone number ({value})",
        "含有疑似电话号码（{value}）",
    ),
    "id_number": (
        "contains what looks like an ID-card number ({value})",
        "含有疑似身份证号码（{value}）",
    ),
    "hint_private": (
        "the bulletin is published: keep phone and ID numbers out of the data",
        "简报会公开发布：请不要在数据中写电话号码或身份证号码",
    ),
    "client_name": (
        "counselling records must not name a client ('{value}')",
        "心理咨询记录不能写出求助者的称呼（“{value}”）",
    ),
    "hint_client_name": (
        "describe the topic only, e.g. '婚恋问题'",
        "只写求助问题类型，例如“婚恋问题”",
    ),
    # --- validation (our own)
    "missing": ("this field is required", "缺少此项"),
    "unknown_key": ("'{key}' is not a known field", "“{key}”不是可用的字段"),
    "did_you_mean": ("did you mean {value}?", "是不是想写 {value}？"),
    "known_keys": ("known fields: {value}", "可用的字段：{value}"),
    "date_format": ("'{value}' is not a date", "“{value}”不是日期"),
    "hint_date_forms": (
        "write dates as 2020-02-25; 2020/2/25 and 2020年2月25日 also work",
        "日期请写成 2020-02-25，也可以写 2020/2/25 或 2020年2月25日",
    ),
    "date_invalid": ("{value} is not a real date", "{value} 不是真实存在的日期"),
    "month_format": (
        "'{value}' is not a month or date",
        "“{value}”不是月份或日期",
    ),
    "hint_month_forms": (
        "write a month as 2020-03 or a day as 2020-03-06",
        "月份请写成 2020-03，具体日期写成 2020-03-06",
    ),
    "date_outside_month": (
        "{value} is not in {month}",
        "{value} 不在 {month} 内",
    ),
    "hint_plan_month": (
        "plans are for the next month, {month}",
        "服务预告写的是下个月（{month}）的计划",
    ),
    "date_before_month": (
        "{value} is before {month}, the month the wish was collected",
        "{value} 早于收集该心愿的月份 {month}",
    ),
    "town_unknown": ("'{value}' is not a known town", "“{value}”不在镇区列表中"),
    "hint_towns": (
        "add it to 'towns' in project.yaml if it is new",
        "如果是新的镇区，请加到 project.yaml 的 towns 中",
    ),
    "section_unknown": (
        "'{value}' is not a section of the bulletin",
        "“{value}”不是简报的栏目",
    ),
    "hint_sections": ("sections: {value}", "栏目有：{value}"),
    "not_negative": ("must not be negative (got {value})", "不能是负数（现在是 {value}）"),
    "not_a_number": ("'{value}' is not a number", "“{value}”不是数字"),
    "not_whole_number": ("'{value}' is not a whole number", "“{value}”不是整数"),
    "not_text": ("must be text, not {value}", "应是文字，而不是 {value}"),
    "not_list": ("must be a list (lines starting with '- ')", "应是列表（每项以“- ”开头）"),
    "not_mapping": ("must be a set of 'key: value' lines", "应由“键: 值”组成"),
    "empty_text": ("must not be empty", "不能为空"),
    "text_too_long": (
        "is {length} characters long, more than {limit}",
        "有 {length} 个字，超过上限 {limit}",
    ),
    "choice": ("'{value}' is not one of: {choices}", "“{value}”不是可选值之一：{choices}"),
    "list_empty": ("needs at least one entry", "至少需要一项"),
    "participants_where": (
        "give 'participants' either for the activity or for every session, not both",
        "参与人次（participants）要么写在活动上，要么每一场都写，不能两处都写",
    ),
    "participants_missing": (
        "give 'participants' for the activity or for every session",
        "请在活动上或每一场中填写参与人次（participants）",
    ),
    "image_path_outside": (
        "'{value}' is outside the month folder",
        "“{value}”不在本月文件夹内",
    ),
    "hint_images": (
        "put the picture in {folder} and write its path relative to it, e.g. images/photo.jpg",
        "请把图片放到 {folder} 中，并写相对路径，例如 images/photo.jpg",
    ),
    "image_missing": ("the picture '{value}' does not exist", "图片“{value}”不存在"),
    "image_not_picture": (
        "'{value}' is not a picture (JPEG, PNG, GIF, BMP, TIFF or WebP)",
        "“{value}”不是图片（JPEG、PNG、GIF、BMP、TIFF 或 WebP）",
    ),
    "image_heic": (
        "'{value}' is a HEIC photo, which Word cannot show",
        "“{value}”是 HEIC 格式的照片，Word 无法显示",
    ),
    "hint_heic": (
        "save it as JPEG (on an iPhone: Settings > Camera > Formats > Most Compatible, "
        "or share it to a computer as JPEG)",
        "请另存为 JPEG（iPhone：设置 > 相机 > 格式 > 兼容性最佳，或者以 JPEG 格式发送到电脑）",
    ),
    "image_unreadable": (
        "cannot read the picture {path}: {reason}",
        "无法读取图片 {path}：{reason}",
    ),
    "image_too_large": (
        "the picture {path} has more pixels than any camera makes; it may be damaged",
        "图片 {path} 的像素多得不正常，文件可能已损坏",
    ),
    "table_empty": (
        "the article embeds the {table} table, but this month has none",
        "文章嵌入了{table}表，但本月没有相关数据",
    ),
    "issue_number": ("must be 1 or more", "必须大于等于 1"),
    "month_before_first": (
        "{month} is before the first issue ({first})",
        "{month} 早于第一期（{first}）",
    ),
    "duplicate_id": (
        "the id '{value}' is used twice (also on line {first})",
        "编号“{value}”重复（第 {first} 行也用了）",
    ),
    "id_format": (
        "'{value}' is not a valid id (letters, digits, '_' only, starting with a letter)",
        "“{value}”不是有效的编号（只能用字母、数字和下划线，以字母开头）",
    ),
    # --- placeholders in articles
    "placeholder_syntax": (
        "placeholder syntax error: {problem}",
        "占位符语法错误：{problem}",
    ),
    "placeholder_unknown": (
        "unknown placeholder '{value}'",
        "未知的占位符“{value}”",
    ),
    "placeholder_not_allowed": (
        "only {{{{ name }}}} placeholders are allowed here, not '{value}'",
        "这里只能使用 {{{{ 名称 }}}} 形式的占位符，不能使用“{value}”",
    ),
    "placeholder_failed": ("placeholder failed: {problem}", "占位符出错：{problem}"),
    "hint_placeholders": ("placeholders: {value}", "可用的占位符：{value}"),
    "hint_raw": (
        "to print braces literally write {{% raw %}}…{{% endraw %}}",
        "如需原样显示花括号，请写 {{% raw %}}…{{% endraw %}}",
    ),
    # --- errors summary and CLI
    "n_errors": ("{n} error(s) in {files} file(s)", "{files} 个文件中共有 {n} 处错误"),
    "checked_ok": ("{months}: no problems found", "{months}：没有发现问题"),
    "built": ("wrote {path}", "已生成 {path}"),
    "built_pdf": ("wrote {path}", "已生成 {path}"),
    "no_data_dir": (
        "cannot find the data folder (a folder with project.yaml) here or above {cwd}",
        "在 {cwd} 及其上级目录中找不到数据文件夹（含 project.yaml 的文件夹）",
    ),
    "hint_data_dir": (
        "run inside the project, or pass --data DIR (or set BULLETIN_DATA)",
        "请在项目文件夹内运行，或用 --data 指定（也可设置环境变量 BULLETIN_DATA）",
    ),
    "bad_month_arg": (
        "'{value}' is not a month; write it as YYYY-MM, e.g. 2020-02",
        "“{value}”不是月份；请写成 YYYY-MM，例如 2020-02",
    ),
    "template_missing": (
        "template '{name}' not found; looked in: {paths}",
        "找不到模板“{name}”；查找过：{paths}",
    ),
    "template_bad": (
        "the Word template {path} cannot be used: {problem}",
        "Word 模板 {path} 无法使用：{problem}",
    ),
    "output_locked": (
        "cannot write {path}: {reason}",
        "无法写入 {path}：{reason}",
    ),
    "hint_output_locked": (
        "close the file if it is open in Word or WPS, or choose another path with -o",
        "如果该文件正在 Word 或 WPS 中打开，请先关闭；或用 -o 换一个路径",
    ),
    "error": ("error", "错误"),
    "chart_no_font": (
        "no font with Chinese characters is installed, so the chart cannot be drawn",
        "没有安装中文字体，无法绘制图表",
    ),
    "hint_cjk_font": (
        "install one, e.g. Debian/Ubuntu: sudo apt install fonts-noto-cjk",
        "请安装中文字体，例如 Debian/Ubuntu：sudo apt install fonts-noto-cjk",
    ),
    "xlsx_needs_output": ("--format xlsx needs -o FILE.xlsx", "--format xlsx 需要用 -o 指定文件"),
    "range_conflict": (
        "use either MONTH, --year, or --from/--to",
        "月份、--year 和 --from/--to 只能选一种",
    ),
    "range_empty": ("--from {first} is after --to {last}", "--from {first} 晚于 --to {last}"),
    "wrote": ("wrote {path}", "已写入 {path}"),
    "plan_title": (
        "Plan published with {prev} against what {month} records",
        "{prev} 发布的服务预告与 {month} 实际开展情况对照",
    ),
    "plan_done": ("done", "已开展"),
    "plan_not_done": ("not done", "未开展"),
    "plan_unplanned": ("done but not planned", "计划外开展"),
    "none": ("(none)", "（无）"),
    "pdf_no_soffice": (
        "LibreOffice is not installed, so no PDF was made",
        "未安装 LibreOffice，无法生成 PDF",
    ),
    "hint_install_soffice": (
        "install it (Debian/Ubuntu: sudo apt install libreoffice-writer; "
        "Windows/macOS: libreoffice.org), or open the .docx in Word and save as PDF",
        "请安装 LibreOffice（Debian/Ubuntu：sudo apt install libreoffice-writer；"
        "Windows/macOS：libreoffice.org），或用 Word 打开 .docx 另存为 PDF",
    ),
    "pdf_failed": (
        "LibreOffice could not convert the file: {reason}",
        "LibreOffice 转换失败：{reason}",
    ),
    "pdf_timeout": (
        "LibreOffice did not finish within {seconds} seconds",
        "LibreOffice 在 {seconds} 秒内没有完成转换",
    ),
    "invalid_value": ("'{value}' is not a valid value here", "“{value}”在这里不是有效的值"),
    "hint_expected": ("what goes here: {value}", "这里应填：{value}"),
    # --- new, init, schema
    "month_exists": (
        "{path} already exists; nothing was written",
        "{path} 已经存在，没有写入任何文件",
    ),
    "hint_month_exists": (
        "to start again, move or delete that folder first",
        "如果要重新开始，请先移走或删除这个文件夹",
    ),
    "hint_from_month": ("months with data: {months}", "已有数据的月份：{months}"),
    "project_exists": (
        "{path} already exists; nothing was written",
        "{path} 已经存在，没有写入任何文件",
    ),
    "hint_project_exists": (
        "choose an empty folder, or edit that project.yaml",
        "请换一个空文件夹，或者直接修改这个 project.yaml",
    ),
    "hint_first_issue": (
        "change first_issue in project.yaml if the bulletin started earlier",
        "如果简报更早就开始了，请修改 project.yaml 中的 first_issue",
    ),
    "bad_check_arg": (
        "'{value}' is neither a month (such as 2020-02) nor a file or folder",
        "“{value}”既不是月份（如 2020-02），也不是文件或文件夹",
    ),
    "nothing_to_check": (
        "none of the files is bulletin data; nothing to check",
        "这些文件都不是简报数据，无需检查",
    ),
    "bad_option": ("{option} must not be empty", "{option} 不能为空"),
    "created_month": ("created {path}:", "已创建 {path}："),
    "created_planned": (
        "{count} activities of {prev}'s plan are listed in events.yaml to record",
        "events.yaml 中列出了 {prev} 服务预告的 {count} 项活动，等待记录",
    ),
    "created_services": (
        "{count} ongoing services copied from {source}",
        "从 {source} 复制了 {count} 项持续开展的服务",
    ),
    "created_next": (
        "fill the files in, then: bulletin check {month}",
        "填写这些文件，然后运行：bulletin check {month}",
    ),
    "created_project": ("started a project in {path}:", "已在 {path} 新建项目："),
    "created_project_next": (
        "edit project.yaml (name, organisation, towns, sections), then: bulletin new {month}",
        "请修改 project.yaml（名称、机构、镇区、栏目），然后运行：bulletin new {month}",
    ),
    "wrote_schemas": (
        "schemas in {path}: {count} updated",
        "{path} 中的数据格式说明：更新了 {count} 个",
    ),
    "converting_pdf": ("converting to PDF with LibreOffice…", "正在用 LibreOffice 转换为 PDF……"),
}

LANGS = ("en", "zh")


def detect_language(environ: dict[str, str] | None = None) -> str:
    """Pick 'zh' or 'en' from the locale variables in gettext's order of precedence."""
    env = os.environ if environ is None else environ
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if not value:
            continue
        # LANGUAGE may list several languages separated by ':'; the first known one wins.
        for item in value.split(":"):
            code = item.split(".")[0].split("@")[0].lower()
            if code in ("c", "posix", ""):
                if var == "LANGUAGE":
                    continue
                return "en"
            if code.startswith("zh"):
                return "zh"
            if code.startswith("en"):
                return "en"
            if var != "LANGUAGE":
                return "en"
    return "en"


def t(key: str, lang: str, /, **params: object) -> str:
    """Return the message `key` in `lang`, formatted with `params`."""
    en, zh = MESSAGES[key]
    template = zh if lang == "zh" else en
    return template.format(**params)
