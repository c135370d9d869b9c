"""The UI's words in English and Chinese, side by side.

One small catalog rather than gettext: the UI has a few hundred short strings, the field team
edits them without tooling, and keeping both languages on one line makes a missing translation
obvious in review. Keys are dotted ids; a key missing from the catalog is shown as itself, so a
typo is visible on screen instead of crashing a release at 23:00.

The current language is process-wide: one launchpad app runs per process (tests run their apps
one after another), and every widget, binding and palette entry reads it when it renders.
"""

from __future__ import annotations

from typing import Literal

from launchpad.phrases import Phrase, Said, render

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")

# key: (English, 中文)
MESSAGES: dict[str, tuple[str, str]] = {
    # -- app-wide ---------------------------------------------------------------------------
    "app.title": ("launchpad", "launchpad"),
    "app.loading": ("Opening the workspace…", "正在打开工作区…"),
    "key.quit": ("Quit", "退出"),
    "key.help": ("Help", "帮助"),
    "key.palette": ("Commands", "命令"),
    "key.back": ("Back", "返回"),
    "key.dashboard": ("Dashboard", "总览"),
    "key.playbooks": ("Playbooks", "操作手册"),
    "key.hosts": ("Check hosts", "检查主机"),
    "key.language": ("中文/English", "中文/English"),
    "key.resume": ("Resume", "恢复运行"),
    "key.copy": ("Copy", "复制"),
    "key.retry_open": ("Try again", "重试"),
    "key.start": ("Run", "运行"),
    "key.environment": ("Environment", "环境"),
    "key.run_next": ("Run next", "运行下一步"),
    "key.run_all": ("Run all", "全部运行"),
    "key.retry_all": ("Retry", "重试"),
    "key.retry_failed": ("Retry failed hosts", "重试失败主机"),
    "key.skip": ("Skip…", "跳过…"),
    "key.abort": ("Abort", "中止"),
    "key.rollback": ("Rollback plan", "回滚方案"),
    "key.focus_output": ("Output", "输出"),
    "key.next_env": ("Next environment", "切换环境"),
    "key.issues": ("Issues", "反馈问题"),
    "key.previous": ("Previous issue", "上一条"),
    "key.next": ("Next issue", "下一条"),
    "key.page_up": ("Page up", "上一页"),
    "key.page_down": ("Page down", "下一页"),
    "key.first": ("First issue", "第一条"),
    "key.last": ("Last issue", "最后一条"),
    "key.capture": ("Log an issue", "记录问题"),
    "key.search": ("Search", "搜索"),
    "key.edit": ("Edit", "编辑"),
    "key.status": ("Status", "改状态"),
    "key.filters": ("Filters", "筛选"),
    "key.overdue": ("Overdue only", "只看逾期"),
    "key.new_issue": ("New (form)", "新建（表单）"),
    "key.paste": ("Paste chat", "粘贴聊天"),
    "key.report": ("Daily report", "日报"),
    "key.send": ("Send", "发送"),
    "key.export": ("Export", "导出"),
    "key.report_language": ("中文/English", "中文/English"),
    "key.format": ("Format", "格式"),
    "key.channel": ("Channel", "渠道"),
    "key.plan": ("Plan", "明日计划"),
    "key.day": ("Day", "日期"),
    "production.banner": (
        "PRODUCTION · {env} · every action here changes the live system",
        "生产环境 · {env} · 此处的每个操作都会改动正式系统",
    ),
    "production.tag": ("PRODUCTION", "生产"),
    "status.passed": ("passed", "通过"),
    "status.failed": ("failed", "失败"),
    "status.skipped": ("skipped", "已跳过"),
    "status.running": ("running", "运行中"),
    "status.interrupted": ("interrupted", "中断"),
    "status.aborted": ("aborted", "已中止"),
    "status.pending": ("pending", "待运行"),
    "status.refused": ("refused", "被拒绝"),
    "status.waiting": ("waiting for you", "等待确认"),
    "day.0": ("Mon", "周一"),
    "day.1": ("Tue", "周二"),
    "day.2": ("Wed", "周三"),
    "day.3": ("Thu", "周四"),
    "day.4": ("Fri", "周五"),
    "day.5": ("Sat", "周六"),
    "day.6": ("Sun", "周日"),
    "language.switched": ("Language: English", "界面语言：中文"),
    # -- opening errors -----------------------------------------------------------------------
    "open.title": ("launchpad cannot open a workspace", "launchpad 无法打开工作区"),
    "open.not_found": ("No workspace here", "这里没有工作区"),
    "open.invalid": ("site.yaml has problems", "site.yaml 有错误"),
    "open.other": ("The workspace cannot be used", "无法使用该工作区"),
    "open.fix": ("Fix these places, then press r to try again:", "请修改以下位置，然后按 r 重试："),
    "open.ways_out": ("Ways out", "解决办法"),
    "open.way_init": (
        "launchpad init DIR — create a workspace for a real site",
        "launchpad init 目录 — 为现场创建工作区",
    ),
    "open.way_demo": ("launchpad demo — try a complete demo on this machine", "launchpad demo — 在本机体验完整演示"),
    "open.way_flag": (
        "launchpad --workspace DIR — open a workspace elsewhere",
        "launchpad --workspace 目录 — 打开其他位置的工作区",
    ),
    # -- dashboard ----------------------------------------------------------------------------
    "dash.subtitle": ("Dashboard", "总览"),
    "dash.client": ("Client", "客户"),
    "dash.environments": ("Environments", "环境"),
    "dash.env": ("Env", "环境"),
    "dash.description": ("Description", "说明"),
    "dash.hosts": ("Hosts", "主机"),
    "dash.checking": ("checking…", "检查中…"),
    "dash.reachable": ("{ok}/{total} reachable", "{ok}/{total} 可达"),
    "dash.today": ("Today", "今天"),
    "dash.duty": ("On duty", "值班"),
    "dash.backup": ("Backup", "备岗"),
    "dash.nobody": ("nobody on the roster", "值班表未排班"),
    "dash.windows": ("Release windows", "变更窗口"),
    "dash.window_open": ("open, closes in {left}", "开放中，{left}后关闭"),
    "dash.window_closed": ("closed, opens in {left} ({at})", "关闭，{left}后开放（{at}）"),
    "dash.no_windows": ("no windows in site.yaml", "site.yaml 未定义变更窗口"),
    "dash.runs": ("Recent runs", "最近运行"),
    "dash.no_runs": ("No runs yet: press p to choose a playbook.", "还没有运行记录：按 p 选择操作手册。"),
    "dash.run": ("Run", "编号"),
    "dash.playbook": ("Playbook", "操作手册"),
    "dash.status": ("Status", "结果"),
    "dash.started": ("Started", "开始时间"),
    "dash.operator": ("By", "执行人"),
    "dash.selected_hosts": ("Hosts of {env}", "{env} 的主机"),
    "dash.hosts_checked": ("Hosts checked: {ok}/{total} reachable", "主机检查完成：{ok}/{total} 可达"),
    "dash.issues": ("Issues (i)", "反馈问题（i）"),
    "dash.open_issues": ("{count} open", "未解决 {count}"),
    "dash.overdue": ("{count} overdue", "逾期 {count}"),
    # -- issues -------------------------------------------------------------------------------
    "issues.subtitle": ("Feedback issues", "反馈问题"),
    "issues.table": ("Issues", "问题清单"),
    "issues.search": ("search (/): 登录, vpn …", "搜索（/）：登录、报表 …"),
    "issues.open": ("open", "未解决"),
    "issues.overdue_only": ("overdue only", "只看逾期"),
    "issues.count": ("{count} issues", "共 {count} 项"),
    "issues.all": ("all issues, newest first", "全部问题，最新在前"),
    "issues.none": (
        "No issues match: c logs one, f changes the filters.", "没有符合条件的问题：按 c 记录，按 f 修改筛选。"
    ),
    "issues.added_many": ("{count} issues logged.", "已登记 {count} 项问题。"),
    "issues.saved": ("Saved: {line}", "已保存：{line}"),
    "it.id": ("ID", "编号"),
    "it.severity": ("Sev", "级别"),
    "it.status": ("Status", "状态"),
    "it.owner": ("Owner", "负责人"),
    "it.due": ("Due", "截止"),
    "it.module": ("Module", "模块"),
    "it.reported": ("Reported", "报告时间"),
    "it.title": ("Title", "标题"),
    "sort.newest": ("newest first", "最新在前"),
    "sort.oldest": ("oldest first", "最早在前"),
    "sort.severity": ("by severity", "按严重程度"),
    "sort.due": ("by due date", "按截止日期"),
    "sort.updated": ("recently changed", "最近变更"),
    "sort.owner": ("by owner", "按负责人"),
    "sort.status": ("by status", "按状态"),
    "capture.prompt": ("+ Log", "＋ 记录"),
    "capture.placeholder": ("P1 @owner #module !明天 what the user reported",
                            "P1 @负责人 #模块 !明天 用户反映的问题"),
    "capture.hint": ("c: type one line, Enter logs it and stays for the next · Esc: back to the list",
                     "按 c 输入一行，回车登记并可接着记下一条 · Esc 回到列表"),
    "filter.title": ("Filter the issues", "筛选问题"),
    "filter.any": ("any", "全部"),
    "filter.from": ("Reported from", "报告日期起"),
    "filter.to": ("Reported to", "报告日期止"),
    "filter.sort": ("Order", "排序"),
    "filter.apply": ("Apply", "应用"),
    "filter.clear": ("Clear all", "清除筛选"),
    "form.new_title": ("New issue", "新建问题"),
    "form.edit_title": ("Issue #{id}", "问题 #{id}"),
    "form.day_hint": ("明天, 周五, 11-25, 2025-11-25, +3", "明天、周五、11-25、2025-11-25、+3"),
    "form.time_hint": ("09:15, 昨天 18:30 (empty: now)", "09:15、昨天 18:30（留空：现在）"),
    "form.files_hint": ("screenshot paths, comma-separated", "截图路径，用逗号分隔"),
    "form.note_hint": ("a note for the history (optional)", "变更备注（可不填）"),
    "form.save": ("Save", "保存"),
    "form.need_title": ("An issue needs a title.", "请填写标题。"),
    "move.title": ("#{id} {title}", "#{id} {title}"),
    "move.now": ("Now {status}. Move it to:", "当前：{status}。改为："),
    "move.to": ("#{id} → {status}", "#{id} → {status}"),
    "move.needs_owner": (
        "An issue leaving new needs an owner and a due date.",
        "问题离开「新建」前必须有负责人和截止日期。",
    ),
    "move.need_owner_due": ("Enter both the owner and the due date.", "请同时填写负责人和截止日期。"),
    "move.resolution_hint": ("what was done, for the client's report", "处理结果，会写进给客户的日报"),
    "move.go": ("Change", "确定"),
    "paste.title": ("Paste a chat", "粘贴聊天记录"),
    "paste.body": (
        "Paste text copied from a WeChat or WeCom chat. Then Tab to the messages, Space picks them.",
        "粘贴从微信或企业微信复制的聊天记录，再按 Tab 到消息列表，用空格选择。",
    ),
    "paste.none": ("No messages yet.", "尚未识别到消息。"),
    "paste.found": ("{count} messages: Space picks, Ctrl+S logs each, Ctrl+G merges into one.",
                    "识别到 {count} 条消息：空格选择，Ctrl+S 逐条登记，Ctrl+G 合并为一项。"),
    "paste.each": ("Log each", "逐条登记"),
    "paste.merge": ("Merge into one", "合并为一项"),
    "paste.choose": ("Pick messages first (Space).", "请先用空格选择消息。"),
    # -- daily report -------------------------------------------------------------------------
    "report.subtitle": ("Daily report", "日报"),
    "report.day": ("Day", "日期"),
    "report.plan": ("Tomorrow's plan (t), one item a line", "明日计划（t），每行一项"),
    "report.lang": ("Language", "语言"),
    "report.format": ("Format", "格式"),
    "report.to": ("Send to", "发送到"),
    "report.hint": ("s sends it to the group · c copies · x exports a file · Esc back",
                    "s 发送到群 · c 复制 · x 导出文件 · Esc 返回"),
    "report.plan_hint": ("e.g. fix the login page before 9:00", "例如：上午 9 点前修复登录白屏"),
    "report.channel": ("{name} ({kind})", "{name}（{kind}）"),
    "kind.wecom": ("WeCom", "企业微信"),
    "kind.dingtalk": ("DingTalk", "钉钉"),
    "kind.feishu": ("Feishu", "飞书"),
    "report.lang_zh": ("中文", "中文"),
    "report.lang_en": ("English", "English"),
    "report.no_channel": ("no channel", "未配置渠道"),
    "report.preview": ("Preview ({fmt})", "预览（{fmt}）"),
    "report.file_only": ("{fmt} is a file: x exports {path}", "{fmt} 为文件：按 x 导出到 {path}"),
    "report.copied": ("Copied to the clipboard ({tool}): paste it into the group.",
                      "已复制到剪贴板（{tool}），可直接粘贴到群里。"),
    "report.no_clipboard": (
        "No clipboard program (xclip, wl-copy): copied through the terminal instead; if pasting gives "
        "nothing, x exports a file.",
        "没有剪贴板程序（xclip、wl-copy）：已改由终端复制；若粘贴为空，请按 x 导出文件。",
    ),
    "report.exported": ("Exported {path}", "已导出 {path}"),
    "report.no_channels": (
        "site.yaml has no channels: add a robot under channels:, or copy (c) and paste by hand.",
        "site.yaml 没有配置渠道：请在 channels: 下添加机器人，或按 c 复制后手动粘贴。",
    ),
    "report.send_title": ("Send the daily report to {channel} ({kind})?", "把日报发送到 {channel}（{kind}）？"),
    "report.send_body": ("The report of {day}, in {lang}, goes to the client's group.",
                         "{day} 的日报（{lang}）将发送到客户群。"),
    "report.send_go": ("Send", "发送"),
    "report.sending": ("Sending to {channel}…", "正在发送到 {channel}…"),
    "report.sent": ("✓ Sent to {channel} ({parts} part(s)).", "✓ 已发送到 {channel}（{parts} 段）。"),
    "report.queued": (
        "Not sent: {reason}\nIt waits in the outbox: `launchpad report outbox --send` once online.",
        "未发送：{reason}\n已放入待发队列，恢复网络后运行 `launchpad report outbox --send`。",
    ),
    "report.config": ("✗ Channel {channel} is configured wrongly: {reason}", "✗ 渠道 {channel} 配置有误：{reason}"),
    # -- playbooks ----------------------------------------------------------------------------
    "pb.subtitle": ("Playbooks", "操作手册"),
    "pb.list": ("Playbooks", "操作手册"),
    "pb.loading": ("Reading playbooks…", "正在读取操作手册…"),
    "pb.bundled": ("bundled", "内置"),
    "pb.workspace": ("workspace", "工作区"),
    "pb.invalid": ("cannot be used", "无法使用"),
    "pb.run_on": ("Run on", "运行环境"),
    "pb.variables": ("Variables", "变量"),
    "pb.no_variables": ("This playbook has no variables.", "此操作手册没有变量。"),
    "pb.start": ("Run on {env}", "在 {env} 上运行"),
    "pb.phase": ("Phase {n}: {name}", "阶段 {n}：{name}"),
    "pb.rollback": ("Rollback of this phase", "本阶段的回滚步骤"),
    "pb.no_rollback": ("no rollback steps", "无回滚步骤"),
    "pb.hosts": ("hosts: {group}", "主机：{group}"),
    "pb.confirm": ("asks first", "需确认"),
    "pb.critical": ("critical", "关键"),
    "pb.only_on": ("only on {envs}", "仅 {envs}"),
    "pb.problems": ("This playbook cannot run until these are fixed:", "修复以下问题后才能运行："),
    "pb.bad_variable": ("Variable {name}: {problem}", "变量 {name}：{problem}"),
    "pb.choose_first": ("Choose a playbook first.", "请先选择操作手册。"),
    "pb.choose_env": ("Choose an environment first.", "请先选择环境。"),
    # -- run ----------------------------------------------------------------------------------
    "run.subtitle": ("Run {id} · {playbook} · {env}", "运行 {id} · {playbook} · {env}"),
    "run.starting": ("Starting…", "正在启动…"),
    "run.steps": ("Steps", "步骤"),
    "run.output": ("Output of the selected step", "所选步骤的输出"),
    "run.commands": ("Commands sent", "已发送的命令"),
    "run.host": ("Host", "主机"),
    "run.status": ("Status", "状态"),
    "run.duration": ("Time", "耗时"),
    "run.exit": ("Exit", "退出码"),
    "run.message": ("Message", "说明"),
    "run.paused": (
        "Paused before the next step: n runs it, a runs the rest.",
        "已暂停：按 n 运行下一步，按 a 运行其余全部步骤。",
    ),
    "run.running": ("Running… n pauses after this step.", "运行中…按 n 在本步骤后暂停。"),
    "run.progress": ("{done}/{total} steps done", "已完成 {done}/{total} 步"),
    "run.failed_bar": ("{step} failed: {summary}", "{step} 失败：{summary}"),
    "run.failed_keys": (
        "r retry · f retry failed hosts · s skip with a reason · x abort",
        "r 重试 · f 重试失败主机 · s 填写原因后跳过 · x 中止",
    ),
    "run.failed_keys_critical": (
        "r retry · f retry failed hosts · x abort (critical: cannot be skipped)",
        "r 重试 · f 重试失败主机 · x 中止（关键步骤不能跳过）",
    ),
    "run.ended": ("Run {id} {status}.", "运行 {id}：{status}。"),
    "run.ended_hint": ("Esc returns to the dashboard.", "按 Esc 返回总览。"),
    "run.stopped": ("Run {id} stopped; resume it later from the dashboard.", "运行 {id} 已停止，可稍后在总览中恢复。"),
    "run.stop_title": ("Stop this run?", "停止本次运行？"),
    "run.stop_body": (
        "The run stops at the next safe point (after the current step). Everything done so far "
        "is stored and the run can be resumed later.",
        "运行将在下一个安全点（当前步骤结束后）停止。已完成的内容都已保存，之后可以恢复运行。",
    ),
    "run.busy": ("A run is in progress: abort it (x) first.", "正在运行：请先中止（x）。"),
    "run.gate_refused": ("Gate refused: {reason}", "闸门拒绝：{reason}"),
    "run.notice": ("Note: {text}", "提示：{text}"),
    "run.no_hosts": ("This step does not run on hosts.", "此步骤不在主机上执行。"),
    "run.quit_title": ("Quit while a run is in progress?", "运行尚未结束，确定退出？"),
    "run.quit_body": (
        "The run stops where it is and can be resumed when you open launchpad again.",
        "运行会停在当前位置，下次打开 launchpad 时可以恢复。",
    ),
    "rollback.title": ("Rollback plan", "回滚方案"),
    "rollback.none": ("This playbook defines no rollback steps.", "此操作手册没有定义回滚步骤。"),
    # -- dialogs ------------------------------------------------------------------------------
    "dlg.yes": ("Yes", "是"),
    "dlg.no": ("No", "否"),
    "dlg.ok": ("OK", "确定"),
    "dlg.cancel": ("Cancel", "取消"),
    "dlg.close": ("Close", "关闭"),
    "dlg.copied": ("Copied to the clipboard.", "已复制到剪贴板。"),
    "confirm.title": ("Run {step} on {env}?", "在 {env} 上执行「{step}」？"),
    "confirm.run": ("Run it", "执行"),
    "prod.title": ("PRODUCTION: {step}", "生产环境：{step}"),
    "prod.body": (
        "This changes the production environment {env}. Type its name to go on.",
        "此操作会改动生产环境 {env}。请输入环境名称以继续。",
    ),
    "prod.placeholder": ("type the environment's name", "输入环境名称"),
    "prod.mismatch": ("That is not {env}: nothing was run.", "输入的不是 {env}：未执行任何操作。"),
    "prod.go": ("Run on production", "在生产环境执行"),
    "signoff.title": ("Sign off: {step}", "签字确认：{step}"),
    "signoff.by": ("Signed by", "签字人"),
    "signoff.note": ("Note", "备注"),
    "signoff.evidence": ("Evidence (file or form number)", "证据（文件或单据编号）"),
    "signoff.sign": ("Sign off", "签字确认"),
    "signoff.not_done": ("Not done", "尚未完成"),
    "signoff.skip": ("Skip…", "跳过…"),
    "signoff.critical": ("Critical step: it cannot be skipped.", "关键步骤：不能跳过。"),
    "signoff.need_by": ("Who signs? Enter a name.", "请填写签字人。"),
    "reason.skip_title": ("Skip {step}", "跳过「{step}」"),
    "reason.skip_body": ("Why? The reason is stored with the run.", "原因会记录在运行记录中。"),
    "reason.placeholder": ("reason", "原因"),
    "reason.need": ("A reason is required.", "必须填写原因。"),
    "reason.skip_go": ("Skip", "跳过"),
    "override.title": ("Gate refused: {step}", "闸门拒绝：{step}"),
    "override.body": (
        "{refusal}\n\nOverride only with a reason; it goes to the audit log.",
        "{refusal}\n\n只有填写原因才能越过，原因会写入审计日志。",
    ),
    "override.go": ("Override", "越过"),
    "override.respect": ("Respect it", "遵守"),
    "approval.title": ("Approval: {step}", "审批：{step}"),
    "approval.form": ("Form number", "单据编号"),
    "approval.approver": ("Approved by", "审批人"),
    "approval.record": ("Record", "登记"),
    "rerun.title": ("Run {step} again?", "重新执行「{step}」？"),
    "rerun.body": (
        "It was running when the last session stopped and may have half-run. Check the hosts first.",
        "上次会话停止时它正在执行，可能只执行了一半。请先检查主机。",
    ),
    "variable.title": ("Value for {name}", "变量 {name} 的值"),
    "error.title": ("Something went wrong", "出错了"),
    "error.internal": (
        "Internal error (a bug in launchpad): {error}",
        "内部错误（launchpad 的缺陷）：{error}",
    ),
    "resume.title": ("Interrupted runs", "被中断的运行"),
    "resume.body": (
        "These runs stopped before they ended. Resume one where it stopped?",
        "以下运行在结束前停止了。要从停止处恢复吗？",
    ),
    "resume.later": ("Later", "稍后"),
    "resume.none": ("No interrupted runs.", "没有被中断的运行。"),
    "help.title": ("Keys", "快捷键"),
    "help.id": ("Binding id", "绑定 id"),
    "help.remap": (
        "Remap a key in ~/.config/launchpad/keymap.yaml, e.g.  run.next: ctrl+n",
        "可在 ~/.config/launchpad/keymap.yaml 中改键，例如  run.next: ctrl+n",
    ),
    # -- command palette ----------------------------------------------------------------------
    "cmd.dashboard": ("view: dashboard", "视图：总览"),
    "cmd.playbooks": ("playbook: choose", "操作手册：选择"),
    "cmd.run": ("playbook: run", "操作手册：运行"),
    "cmd.hosts": ("hosts: check", "主机：检查"),
    "cmd.resume": ("runs: resume", "运行：恢复"),
    "cmd.language": ("language: switch", "语言：切换"),
    "cmd.environment": ("environment: select {env}", "环境：选择 {env}"),
    "cmd.help": ("help: keys", "帮助：快捷键"),
    "cmd.quit": ("app: quit", "应用：退出"),
    "cmd.run_next": ("run: next step", "运行：下一步"),
    "cmd.run_all": ("run: run all", "运行：全部运行"),
    "cmd.abort": ("run: abort", "运行：中止"),
    "cmd.rollback": ("run: rollback plan", "运行：回滚方案"),
    "cmd.issues": ("issues: list", "问题：列表"),
    "cmd.issues_add": ("issues: add", "问题：记录"),
    "cmd.issues_search": ("issues: search", "问题：搜索"),
    "cmd.issues_paste": ("issues: paste a chat", "问题：粘贴聊天记录"),
    "cmd.issues_filters": ("issues: filters", "问题：筛选"),
    "cmd.issues_overdue": ("issues: overdue only", "问题：只看逾期"),
    "cmd.issues_status": ("issues: change status", "问题：改状态"),
    "cmd.issues_edit": ("issues: edit", "问题：编辑"),
    "cmd.issues_new": ("issues: new with the form", "问题：用表单新建"),
    "cmd.report_daily": ("report: daily", "报告：日报"),
    "cmd.report_send": ("report: send", "报告：发送日报"),
}

_current: Language = "zh"


def set_language(language: str) -> Language:
    """Make `language` current; anything unknown falls back to Chinese, the site default."""
    global _current
    _current = "en" if language == "en" else "zh"
    return _current


def current_language() -> Language:
    return _current


def other_language() -> Language:
    return "en" if _current == "zh" else "zh"


def t(key: str, **values: object) -> str:
    """The text for `key` in the current language, with `{name}` placeholders filled; a value
    that is an engine phrase (a step summary, a gate's refusal) is rendered in it too."""
    values = {name: said(value) if isinstance(value, Phrase) else value for name, value in values.items()}
    pair = MESSAGES.get(key)
    if pair is None:
        return key.format(**values) if values else key
    text = pair[1] if _current == "zh" else pair[0]
    return text.format(**values) if values else text


def said(value: Said | None) -> str:
    """What a step or the engine said, in the current language."""
    return render(value, _current)


def status_word(status: str) -> str:
    return t(f"status.{status}") if f"status.{status}" in MESSAGES else status
