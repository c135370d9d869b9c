"""The word-book: every word a person reads, in Chinese and English, and the one lookup.

One catalog, keyed by dotted ids, each entry `(English, 中文)` with the same placeholders
(tests/core/test_wordbook.py checks both, that every key is used, and that no module outside
this one branches on the language). The steps' and the engine's phrases are written below; the
other areas keep their entries in launchpad/words/ (statuses, the UI, the daily report, the run
report, issues, the command line), merged here into `CATALOG`. `word(key, lang, **values)` is
the lookup every front end and report uses: the command line in the site's language (or
`--lang`), the TUI through screens/i18n.t in its current language, the reports in theirs.

What steps and the engine say about a result is kept as a key and its parameters, a `Phrase`,
so each reader gets it in their own language: `phrase("shell.all_passed", count=3)`. `str(p)`
is the English text (what the store's `summary` column and the audit log hold); `render(p,
"zh")` is the Chinese one. The store keeps the phrase as JSON beside the English text, so a run
report written tomorrow still speaks the report's language.

Parameters are plain JSON values (text, numbers, None), other phrases, or lists of them. A list
renders as an enumeration ("a, b" / "a、b"), as does the `listed` phrase (names outside a
sentence); the `parts` phrase joins its items with "; " / "；" for several findings in one line,
and the `lines` phrase puts each item on a line of its own under the sentence it ends. Words that
come from people or from programs (a skip reason, a host name, an error from sshd) stay as they
were written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from launchpad.words import (
    cli,
    daily,
    describe,
    errors,
    help,
    hosts_column,
    httperrors,
    import_stream,
    issues,
    oserrors,
    refusals,
    refusals_hosts,
    release,
    robots,
    runreport,
    statuses,
    sweep,
    ui,
    users,
    validation,
    yamlerrors,
)

Lang = str  # "en" | "zh"
Spoken = Literal["zh", "en"]
LANGUAGES: tuple[Spoken, ...] = ("zh", "en")
DEFAULT_LANGUAGE: Spoken = "zh"  # the client's and the field team's language

# key → (English, Chinese). str.format templates; `!r` quotes a value in English, and the
# Chinese templates quote with “” instead.
CATALOG: dict[str, tuple[str, str]] = {
    "parts": ("{items}", "{items}"),
    "lines": ("{items}", "{items}"),
    "listed": ("{items}", "{items}"),
    "host.said": ("{host}: {message}", "{host}：{message}"),
    "host.no_output": ("no output", "没有输出"),
    # an error from a host and what to do about it, both as launchpad's error gives them
    "host.error_hint": ("{error} → {hint}", "{error} → 建议：{hint}"),
    # what to do next after a step that failed with a launchpad error, under its summary
    "step.hint": ("→ {hint}", "→ 建议：{hint}"),
    "more": ("{text} (+{count} more)", "{text}（另有 {count} 项）"),
    # an age as written in site.yaml or a playbook (`2h`), in words (backup.freshness.said_age)
    "duration.second": ("{n} second", "{n} 秒"),
    "duration.seconds": ("{n} seconds", "{n} 秒"),
    "duration.minute": ("{n} minute", "{n} 分钟"),
    "duration.minutes": ("{n} minutes", "{n} 分钟"),
    "duration.hour": ("{n} hour", "{n} 小时"),
    "duration.hours": ("{n} hours", "{n} 小时"),
    "duration.day": ("{n} day", "{n} 天"),
    "duration.days": ("{n} days", "{n} 天"),
    # a measured span (launchpad.durations): in words for sentences and reports…
    "span.days": ("{days} d", "{days} 天"),
    "span.hours": ("{hours} h", "{hours} 小时"),
    "span.minutes": ("{minutes} min", "{minutes} 分钟"),
    "span.seconds": ("{seconds} s", "{seconds} 秒"),
    "span.days_hours": ("{days} d {hours} h", "{days} 天 {hours} 小时"),
    "span.hours_minutes": ("{hours} h {minutes} min", "{hours} 小时 {minutes} 分钟"),
    "span.minutes_seconds": ("{minutes} min {seconds} s", "{minutes} 分钟 {seconds} 秒"),
    # …and terse, for table cells and tight status lines
    "span.terse_days": ("{days}d", "{days}天"),
    "span.terse_hours": ("{hours}h", "{hours}小时"),
    "span.terse_minutes": ("{minutes}m", "{minutes}分"),
    "span.terse_seconds": ("{seconds}s", "{seconds}秒"),
    "span.terse_days_hours": ("{days}d{hours}h", "{days}天{hours}小时"),
    "span.terse_hours_minutes": ("{hours}h{minutes}m", "{hours}小时{minutes}分"),
    "span.terse_minutes_seconds": ("{minutes}m{seconds}s", "{minutes}分{seconds}秒"),
    # engine
    "engine.not_for_env": ("not for {env}", "不适用于 {env}"),
    # Why a decision was taken, as the run's decisions keep it (English) and its report says it.
    "engine.reason.not_confirmed": ("not confirmed", "未确认"),
    "engine.reason.name_typed_wrong": ("environment name typed wrong", "环境名称输入错误"),
    "engine.reason.name_not_typed": ("environment name not typed", "未输入环境名称"),
    "engine.reason.playbook_changed": ("playbook changed", "操作手册已变更"),
    "engine.reason.continue_changed": ("continue with changed playbook", "按变更后的操作手册继续"),
    "engine.reason.rollback_not_run": ("rollback not run", "未执行回滚"),
    "engine.reason.rollback": ("rollback", "执行回滚"),
    "engine.reason.override_declined": ("override declined", "未越过"),
    "engine.reason.override_unasked": ("not overridden: nobody was there to give a reason (not a terminal)",
                                       "未越过：无人在场写明越过原因（不是终端）"),
    "engine.reason.not_overridable": ("gate refused; it cannot be overridden", "关卡未通过，且不可越过"),
    "engine.reason.interrupted_not_rerun": ("interrupted step not re-run", "中断的步骤未重做"),
    "engine.reason.no_one_to_ask": ("no one to ask (not a terminal)", "无人可询问（不是终端）"),
    "engine.skipped_after_failure": ("skipped after failure: {reason}", "失败后跳过：{reason}"),
    # a step skipped after it failed: the skip and its reason, then what failed
    "engine.skipped_failed": ("{skipped}; what failed: {failure}", "{skipped}；失败情况：{failure}"),
    "engine.critical_no_skip": ("{step} is critical and cannot be skipped: the run stops here",
                                "“{step}”是关键步骤，不能跳过：运行到此停止"),
    "engine.skip_needs_reason": ("skipping {step} needs a reason; none was given, so the run stops here",
                                 "跳过“{step}”需要写明原因；未填写原因，运行到此停止"),
    "engine.overridden": ("overridden ({reason}); {refusal}", "已越过（{reason}）；{refusal}"),
    "engine.typed_wrong": ("typed {typed!r}, not {env!r}: step not run",
                           "输入的是“{typed}”，不是“{env}”：步骤未执行"),
    "engine.name_not_typed": ("{env!r} was not typed: step not run", "未输入环境名称“{env}”：步骤未执行"),
    "engine.rerun_safe": ("step {step} was interrupted; it is safe to repeat and runs again",
                          "步骤 {step} 曾中断；它可以安全重复，将重新执行"),
    "engine.rollback_stopped": ("rollback stopped ({status}): the rest of it was not run",
                                "回滚已停止（{status}）：其余回滚步骤未执行"),
    "engine.playbook_changed": ("the playbook changed since this run started: {changes}",
                                "本次运行开始后，操作手册有改动：{changes}"),
    "engine.details_changed": ("details changed", "细节有改动"),
    "engine.continue_changed": ("continue with the changed playbook", "按改动后的操作手册继续"),
    "engine.roll_back": ("roll back", "回滚"),
    "engine.rollback_phase_started": ("rollback: {phase}", "回滚：{phase}"),
    "engine.rollback_phase": ("{phase}: {steps}", "{phase}：{steps}"),
    "playbook.step_removed": ("step {step} was removed", "步骤 {step} 已删除"),
    "playbook.step_added": ("step {step} was added", "新增了步骤 {step}"),
    "playbook.step_changed": ("step {step} was changed", "步骤 {step} 有改动"),
    "playbook.reordered": ("steps were reordered", "步骤顺序有调整"),
    # shell
    "shell.no_hosts": ("no hosts in group {group!r}", "主机组“{group}”中没有主机"),
    "shell.all_passed": ("{count} host(s) passed", "{count} 台主机通过"),
    "shell.rolling_confirm": ("{command}\n(rolling: {batch} host(s) at a time, each batch health-checked)",
                              "{command}\n（逐批切换：每批 {batch} 台，每批切换后做健康检查）"),
    "shell.hosts_not_checked": ("not checked on {unchecked} of {count} host(s): {details}",
                                "{count} 台主机中 {unchecked} 台未检查：{details}"),
    "shell.no_reason_given": ("the command said there was nothing to check", "命令表示没有需要检查的内容"),
    "shell.some_failed": ("{failed} of {count} host(s) failed: {details}",
                          "{count} 台主机中 {failed} 台失败：{details}"),
    "shell.ok": ("ok", "正常"),
    "shell.exit_code": ("exit code {code}, expected {expected}", "退出码 {code}，应为 {expected}"),
    "shell.exit_code_tail": ("exit code {code}, expected {expected}: {tail}",
                             "退出码 {code}，应为 {expected}：{tail}"),
    "shell.output_mismatch": ("output does not match /{pattern}/", "输出不匹配 /{pattern}/"),
    "shell.output_forbidden": ("output matches /{pattern}/, which it must not",
                               "输出匹配了不应出现的 /{pattern}/"),
    "shell.number_missing": ("no {label} found in the output (/{pattern}/)",
                             "输出中未找到 {label}（/{pattern}/）"),
    "shell.not_number": ("{label} {text!r} is not a number", "{label}“{text}”不是数字"),
    "shell.below_min": ("{label} {value} is below the minimum {limit}", "{label} {value} 低于下限 {limit}"),
    "shell.above_max": ("{label} {value} is above the maximum {limit}", "{label} {value} 高于上限 {limit}"),
    # http
    "http.request_failed": ("{url}: {error}", "{url}：请求失败：{error}"),
    "http.status": ("status {status}, expected {expected}", "状态码 {status}，应为 {expected}"),
    "http.missing_text": ("the page does not contain {text!r}", "页面不包含“{text}”"),
    "http.slow": ("answered in {ms} ms, limit {limit} ms", "响应用时 {ms} 毫秒，上限 {limit} 毫秒"),
    "http.ok": ("{status} in {ms} ms", "{status}，用时 {ms} 毫秒"),
    "http.summary": ("{url}: {message}", "{url}：{message}"),
    "upload.summary": ("sent to {sent} host(s), already there on {skipped} (sha256 {sha}…)",
                       "已发送 {sent} 台主机，{skipped} 台已有此文件（sha256 {sha}…）"),
    "upload.sent": ("{path}: {mib} MiB sent in {seconds} s, sha256 checked",
                    "{path}：已发送 {mib} MiB，用时 {seconds} 秒，sha256 已核对"),
    "upload.already_there": ("{path}: already there (same sha256), not sent",
                             "{path}：已存在（sha256 相同），未重复发送"),
    "probe.http_ok": ("status {status}", "状态码 {status}"),
    "probe.shell_ok": ("ok: {line}", "正常：{line}"),
    "probe.shell_failed": ("exit code {code}: {line}", "退出码 {code}：{line}"),
    "wait.passed": ("passed after {tries} tr(ies) in {seconds} s: {answer}",
                    "第 {tries} 次检查通过，用时 {seconds} 秒：{answer}"),
    "wait.timed_out": ("still failing after {seconds} s ({tries} tries); last answer: {answer}",
                       "等待 {seconds} 秒（{tries} 次）仍未通过；最后一次结果：{answer}"),
    "wait.stopped": ("stopped while waiting; last answer: {answer}", "等待中被停止；最后一次结果：{answer}"),
    "rolling.batch_failed": ("batch {batch} of {batches} failed; the remaining hosts were left untouched",
                             "第 {batch}/{batches} 批失败，其余主机保持不变"),
    "rolling.last_batch_failed": ("the last batch ({batch} of {batches}) failed",
                                  "最后一批（第 {batch}/{batches} 批）失败"),
    "rolling.untouched": ("left untouched: the rollout stopped after batch {batch} failed",
                          "未变更：第 {batch} 批失败后已停止滚动"),
    "rolling.unhealthy": ("switched, but the health check failed: {answer}", "已切换，但健康检查未通过：{answer}"),
    "rolling.healthy": ("switched; healthy: {answer}", "已切换，健康检查通过：{answer}"),
    "rolling.all_passed": ("{count} host(s) switched in {batches} batch(es), each healthy",
                           "{count} 台主机分 {batches} 批切换，均健康"),
    "http.extracted": ("{label} {value}", "{label}：{value}"),
    "http.extract_missing": ("no {label} found on the page (/{pattern}/)", "页面中未找到{label}（/{pattern}/）"),
    "http.extract_wrong": ("{label} is {value}, expected {expected}", "{label}为 {value}，应为 {expected}"),
    "logscan.clean": ("no errors since {since} ({lines} timestamped line(s) read)",
                      "自 {since} 起无错误（已读 {lines} 行带时间戳的日志）"),
    "logscan.errors": ("{count} error line(s) since {since}, limit {limit}; first: {first}",
                       "自 {since} 起有 {count} 行错误，上限 {limit}；第一条：{first}"),
    "logscan.no_file": ("no log file matches {path}", "没有与 {path} 匹配的日志文件"),
    "logscan.all_clean": ("no errors since {since} on {count} host(s)", "自 {since} 起 {count} 台主机均无错误"),
    "logscan.bad_since": ("since {since!r} is not a time of the form YYYY-MM-DD HH:MM:SS",
                          "起始时间“{since}”不是 YYYY-MM-DD HH:MM:SS 格式"),
    "logscan.unreadable": ("cannot scan {path}: {error}", "无法扫描 {path}：{error}"),
    "logscan.no_stamps": ("no timestamped line since {since} in {path}: the log format is not one launchpad reads",
                          "{path} 中没有可识别时间戳的日志行：无法判断 {since} 之后的错误"),
    # gate
    "gate.phase_passed": ("phase {phase} passed", "阶段 {phase} 已通过"),
    "gate.phase_not_passed": ("phase {phase} has not passed ({status})", "阶段 {phase} 未通过（{status}）"),
    "gate.no_approval": ("no {form} number and approver given", "未填写{form}编号和审批人"),
    "gate.approved": ("{form} {number}, approved by {approver}", "{form} {number}，审批人 {approver}"),
    "gate.window_undefined": ("window {window!r} is not defined in site.yaml",
                              "site.yaml 中没有定义窗口“{window}”"),
    "gate.inside_window": ("inside {window} (closes {closes})", "在 {window} 窗口内（{closes} 关闭）"),
    "gate.outside_window": ("outside the {window} window ({start}–{end}); it opens {weekday} {opens}",
                            "不在 {window} 窗口内（{start}–{end}）；下次开启：{weekday} {opens}"),
    "gate.no_backup_targets": ("{env} declares no backup targets, so no backup can be fresh",
                               "{env} 没有声明备份目标，无从谈起新近备份"),
    "gate.backup_stale": ("no verified backup younger than {age} of: {targets}; take one first "
                          "(`launchpad backup --env {env} {command_targets}` or pre-release-backup)",
                          "以下目标没有 {age}内的已校验备份：{targets}；请先备份"
                          "（`launchpad backup --env {env} {command_targets}` 或 pre-release-backup）"),
    "gate.backup_fresh": ("verified backups younger than {age}: {backups}", "{age}内的已校验备份：{backups}"),
    "gate.backup_ref": ("{target} #{id}", "{target} #{id}"),
    "gate.file_here": ("{path} is here ({mib} MiB)", "{path} 已在本机（{mib} MiB）"),
    "gate.file_missing": ("{path} is not here: nothing was sent or announced",
                          "{path} 不在本机：没有发送任何内容，也没有发出通知"),
    "gate.file_missing_hint": ("put the file there first (a relative path starts at the workspace), or check the "
                               "run's values (--var version=…), then run it again",
                               "请先把文件放到这个位置（相对路径以工作区为起点），或检查运行的变量（--var version=…），"
                               "然后重新运行"),
    # manual
    "manual.signed": ("signed off by {by}", "{by} 已签字确认"),
    "manual.signed_note": ("signed off by {by}: {note}", "{by} 已签字确认：{note}"),
    "manual.skipped": ("skipped: {reason}", "已跳过：{reason}"),
    "manual.not_signed": ("not signed off", "未签字确认"),
    "manual.no_signer": ("a sign-off needs the name of the person signing; none was given",
                         "签字确认需要写明签字人姓名；未填写"),
    "manual.no_note": ("a critical step's sign-off needs a note saying what was checked; none was given",
                       "关键步骤的签字确认需要备注写明检查了什么；未填写"),
    # backup and restore
    "backup.no_targets": ("environment {env} has no backup targets (backups: in site.yaml)",
                          "环境 {env} 没有备份目标（site.yaml 的 backups:）"),
    "backup.taken": ("backup {id}, {size} bytes, sha256 {sha}…", "备份 {id}，{size} 字节，sha256 {sha}…"),
    "backup.verified": ("verified", "已校验"),
    "backup.verify_failed": ("verify FAILED: {detail}", "校验失败：{detail}"),
    "backup.drill": ("drill: {summary}", "演练：{summary}"),
    "backup.summary": ("{count} backup(s) taken: {backups}", "已备份 {count} 个：{backups}"),
    # why retention keeps a backup, or deletes it (kept as a phrase with the deleted row)
    "retention.no_rule": ("no retention rule", "未设保留规则"),
    "retention.newest": ("one of the {keep} newest", "最新的 {keep} 个之一"),
    "retention.newest_one": ("the newest backup (keep: {keep})", "最新的一个备份（保留 {keep} 个）"),
    "retention.young": ("younger than {days} days", "不到 {days} 天"),
    "retention.young_one": ("younger than {days} day", "不到 {days} 天"),
    "retention.newest_usable": ("the newest usable backup", "最新的可用备份"),
    "retention.run_unfinished": ("run {run} has not finished", "运行 {run} 尚未结束"),
    "retention.expired": ("older than the retention rule ({days} days old, number {number})",
                          "超出保留规则：已存 {days} 天，从新到旧排第 {number}"),
    "retention.expired_one": ("older than the retention rule ({days} day old, number {number})",
                              "超出保留规则：已存 {days} 天，从新到旧排第 {number}"),
    "restore.none_from_run": ("no backup of {target} taken by this run to restore from",
                              "本次运行没有备份 {target}，无从恢复"),
    "restore.none_verified": ("no backup of {target} verified to restore from",
                              "{target} 没有可用于恢复的已校验备份"),
    "restore.restored": ("restored backup {id} ({file}) on {host}", "已在 {host} 上恢复备份 {id}（{file}）"),
    "restore.restored_created": ("restored backup {id} ({file}) on {host} into database {db}, created empty for it "
                                 "({charset}); no safety backup was taken: the database did not exist, so there was "
                                 "nothing to save",
                                 "已在 {host} 上新建空数据库 {db}（{charset}）并恢复备份 {id}（{file}）；"
                                 "未做安全备份：该数据库原本不存在，没有需要保存的内容"),
    "restore.charset_collation": ("{charset}, collation {collation}", "{charset}，排序规则 {collation}"),
    "restore.charset_server_collation": ("{charset}, with the server's default collation for {charset}: the "
                                         "backup records neither",
                                         "{charset}，排序规则为该服务器上 {charset} 的默认排序规则：备份未记录原库的"
                                         "字符集与排序规则"),
    "restore.user_unnamed": ("the user the client logs in as (site.yaml names none)",
                             "客户端默认登录的用户（site.yaml 未指定）"),
    "restore.done": ("{detail}; safety backup {safety}", "{detail}；安全备份 {safety}"),
    # backup checks and drills
    "check.empty": ("the dump is empty", "备份内容为空"),
    "check.mysql_cut": ("the dump does not end with mysqldump's `-- Dump completed` line: it is cut short",
                        "备份结尾没有 mysqldump 的 `-- Dump completed` 行：内容不完整"),
    "check.mysql_ok": ("the dump ends with `-- Dump completed`", "备份以 `-- Dump completed` 结尾"),
    "check.no_pattern": ("not empty (the target names no completeness pattern)", "内容非空（该目标未配置完整性规则）"),
    "check.pattern_cut": ("the end of the dump does not match /{pattern}/: it is cut short",
                          "备份结尾不匹配 /{pattern}/：内容不完整"),
    "check.pattern_ok": ("the end matches /{pattern}/", "结尾匹配 /{pattern}/"),
    "check.not_sqlite": ("not an SQLite database file", "不是 SQLite 数据库文件"),
    "check.sqlite_header": ("the SQLite header's page count is not valid", "SQLite 文件头中的页数无效"),
    "check.sqlite_cut": ("the SQLite file holds {total} bytes, its header says {expected}: cut short",
                         "SQLite 文件有 {total} 字节，文件头标明 {expected} 字节：内容不完整"),
    "check.sqlite_ok": ("SQLite database, {pages} pages of {size} bytes",
                        "SQLite 数据库，{pages} 页，每页 {size} 字节"),
    "check.tar_damaged": ("the tar archive is damaged or cut short: {error}", "tar 归档损坏或不完整：{error}"),
    "check.tar_empty": ("the tar archive holds no files", "tar 归档中没有文件"),
    "check.tar_cut": ("the tar archive lacks its end-of-archive blocks: it is cut short",
                      "tar 归档缺少结束块：内容不完整"),
    "check.tar_ok": ("tar archive, {files} files, {others} other entries",
                     "tar 归档，{files} 个文件，{others} 个其他条目"),
    "check.no_pg_restore": ("pg_restore is not installed on this machine, so the archive cannot be checked",
                            "本机没有安装 pg_restore，无法检查该归档"),
    "check.pg_list_refused": ("pg_restore --list refuses the archive: {error}",
                              "pg_restore --list 拒绝该归档：{error}"),
    "check.pg_damaged": ("the archive is cut short or damaged: {error}", "归档不完整或已损坏：{error}"),
    "check.pg_ok": ("PostgreSQL custom archive, {entries} table-of-contents entries, every block reads",
                    "PostgreSQL 自定义格式归档，目录 {entries} 项，所有数据块均可读取"),
    "check.unknown_driver": ("unknown driver {driver!r}", "未知的驱动“{driver}”"),
    "check.adopted": ("recorded later from its manifest (the backup stopped before it was recorded); size and "
                      "sha256 as in the manifest", "事后依据清单补录（备份在记录前中断）；大小与 sha256 均与清单一致"),
    "check.when_taken": ("checked when taken: {detail}", "备份时已检查：{detail}"),
    "check.file_missing": ("the file {path} is missing", "文件 {path} 不存在"),
    "check.size_differs": ("the file holds {size} bytes, the record says {recorded}",
                           "文件有 {size} 字节，记录为 {recorded} 字节"),
    "check.sha_differs": ("sha256 is {actual}…, the record says {recorded}…: the file was altered or damaged",
                          "sha256 为 {actual}…，记录为 {recorded}…：文件已被改动或损坏"),
    "check.manifest_unreadable": ("its manifest {name} is missing or unreadable", "清单文件 {name} 不存在或无法读取"),
    "check.manifest_differs": ("its manifest {name} does not match the record", "清单文件 {name} 与记录不符"),
    "drill.tables_differ": ("{differing} of {count} tables differ from {against}: {names}",
                            "{count} 张表中有 {differing} 张与{against}不一致：{names}"),
    "drill.tables_ok": ("{count} tables, {total} rows restored, equal to {against}",
                        "恢复了 {count} 张表、{total} 行，与{against}一致"),
    "drill.against_backup": ("the counts taken with the backup", "备份时记录的行数"),
    "drill.against_now": ("the source now", "源库当前的数据"),
    "drill.files_differ": ("{differing} of {count} files differ from the backup's hashes: {names}",
                           "{count} 个文件中有 {differing} 个与备份记录的哈希不一致：{names}"),
    "drill.files_ok": ("{count} files restored, every sha256 as recorded; {since}",
                       "恢复了 {count} 个文件，sha256 均与记录一致；{since}"),
    "drill.source_changed": ("{changed} differ from the source now (changed since the backup)",
                             "{changed} 个与源文件当前内容不同（备份后有改动）"),
    "drill.source_same": ("the source is unchanged", "源文件未改动"),
    "drill.command": ("a command target has no scratch restore; the dump was read through: {detail}",
                      "命令型目标无法恢复到临时位置；已完整读取备份：{detail}"),
    "drill.integrity": ("the restored database fails PRAGMA integrity_check: {result}",
                        "恢复出的数据库未通过 PRAGMA integrity_check：{result}"),
    # sql
    "sql.no_database": ("no database {name!r} in {env} (databases: {names})",
                        "{env} 中没有数据库“{name}”（已有：{names}）"),
    "sql.rows": ("{count} row(s)", "{count} 行"),
    "sql.rows_first": ("{count} row(s), first value {value}", "{count} 行，第一个值 {value}"),
    "sql.count": ("{count} rows, expected {expected}", "{count} 行，应为 {expected} 行"),
    "sql.count_min": ("{count} rows, expected at least {expected}", "{count} 行，应至少 {expected} 行"),
    "sql.count_max": ("{count} rows, expected at most {expected}", "{count} 行，应至多 {expected} 行"),
    "sql.row_differs": ("row {number} is {got}, expected {wanted}", "第 {number} 行为 {got}，应为 {wanted}"),
    "sql.no_value": ("no rows, expected the value {wanted}", "没有数据，应为值 {wanted}"),
    "sql.value_differs": ("the value is {got}, expected {wanted}", "值为 {got}，应为 {wanted}"),
    # import (user import steps)
    "import.checked": ("{rows} row(s), no problems", "{rows} 行，没有问题"),
    "import.check_problems": ("{rows} row(s): {bad} with {problems} problem(s); annotated copy: {out}",
                              "{rows} 行：{bad} 行有 {problems} 个问题；标注副本：{out}"),
    "import.planned": ("plan {plan}: insert {insert}, update {update}, unchanged {unchanged}, rejected {rejected}",
                       "计划 {plan}：新增 {insert}，更新 {update}，不变 {unchanged}，拒绝 {rejected}"),
    "import.rejected": ("{rejected} row(s) are rejected; nothing was written (fix the sheet, or skip_rejected: true)",
                        "{rejected} 行被拒绝，未写入任何数据（请修正表格，或设置 skip_rejected: true）"),
    "import.rejected_hint": ("`{command}` lists them and writes a copy marked for the client",
                             "`{command}` 会列出它们并写出给客户的标注副本"),
    "import.applied": ("import {id}: inserted {insert}, updated {update}, unchanged {unchanged}, "
                       "rejected {rejected}; {handouts} hand-out file(s)",
                       "导入 {id}：新增 {insert}，更新 {update}，不变 {unchanged}，拒绝 {rejected}；"
                       "初始密码交接文件 {handouts} 个"),
    "import.refused": ("import refused: {reason}", "拒绝导入：{reason}"),
    # roles assigned by rule (roles/rules.yaml)
    "roles.title": ("Roles by rule: {env} ({rules})", "按规则分配角色：{env}（{rules}）"),
    "roles.summary": ("{users} user(s) of {env} change roles", "{env} 共 {users} 个用户的角色将变化"),
    "roles.none": ("no user's roles change", "没有用户的角色需要变化"),
    "roles.col.account": ("Account", "账号"),
    "roles.col.name": ("Name", "姓名"),
    "roles.col.unit": ("Unit", "部门"),
    "roles.col.posts": ("Posts", "岗位"),
    "roles.col.before": ("Roles now", "现有角色"),
    "roles.col.after": ("Roles after", "调整后角色"),
    "roles.col.rules": ("Rules", "规则"),
    "roles.col.rule": ("Rule", "规则"),
    "roles.col.users": ("Users changed", "变化用户数"),
    # the preview workbook's sheets, named in the reader's language as the baseline's are
    "roles.sheet.users": ("users", "用户"),
    "roles.sheet.counts": ("counts", "统计"),
    "roles.more": ("… {count} more (--json or --xlsx lists all)", "… 另有 {count} 个（--json 或 --xlsx 列出全部）"),
    "roles.by_rule": ("by rule:", "按规则："),
    "roles.rule_counts": ("{rule}: {changed} changed, {matched} matched",
                          "{rule}：变化 {changed} 个，匹配 {matched} 个"),
    "roles.by_unit": ("by unit:", "按部门："),
    "roles.unit_count": ("{unit}: {count}", "{unit}：{count} 个"),
    # baseline (roles, permissions, dictionaries, posts against HQ's baseline)
    "baseline.clean": ("{target} matches {reference} (version {version})",
                       "{target} 与 {reference}（版本 {version}）一致"),
    "baseline.drift": ("{target} differs from {reference} (version {version}): {total} difference(s), "
                       "{high} high, {medium} medium, {low} low",
                       "{target} 与 {reference}（版本 {version}）不一致：共 {total} 处，"
                       "高 {high}、中 {medium}、低 {low}"),
    "baseline.super_admin_kept": ("{role} is {target}'s super administrator role, which RuoYi itself does not let "
                                  "anyone change or delete; no fix touches it",
                                  "{role} 是 {target} 的超级管理员角色，若依本身不允许修改或删除，修正不会动它"),
    "baseline.not_compared": ("not compared (the baseline leaves them out): {sections}",
                              "未比较（基线中没有这些部分）：{sections}"),
    "baseline.section.roles": ("roles and permissions", "角色与权限"),
    "baseline.section.dictionaries": ("dictionaries", "字典"),
    "baseline.section.posts": ("posts", "岗位"),
    "baseline.drift_reported": ("{target}: {total} difference(s) ({high} high, {medium} medium, {low} low), "
                                "reported only: this step does not fail on them",
                                "{target}：共 {total} 处差异（高 {high}、中 {medium}、低 {low}），"
                                "仅报告，本步骤不因差异失败"),
    "baseline.drift_ignored": ("{target}: {total} difference(s), none of the kinds checked ({kinds})",
                               "{target}：共 {total} 处差异，但不属于检查的类别（{kinds}）"),
    "baseline.fixed": ("fix {fix}: {applied} difference(s) fixed on {target}; {remaining} remain",
                       "修正 {fix}：已修正 {target} 的 {applied} 处差异；剩余 {remaining} 处"),
    "baseline.nothing_to_fix": ("nothing to fix on {target}", "{target} 没有需要修正的差异"),
    "baseline.refused": ("fix refused: {reason}", "拒绝修正：{reason}"),
    "baseline.title": ("Roles, permissions and dictionaries: {target} against {reference}",
                       "角色、权限与字典：{target} 对照 {reference}"),
    "baseline.col.id": ("Item id", "条目编号"),
    "baseline.col.kind": ("Kind", "类别"),
    "baseline.col.item": ("Item", "条目"),
    "baseline.col.severity": ("Severity", "严重程度"),
    "baseline.col.fields": ("Details (expected → actual)", "详情（应为 → 实际）"),
    "baseline.kind.role": ("role", "角色"),
    "baseline.kind.permission": ("permission", "权限"),
    "baseline.kind.dictionary": ("dictionary", "字典"),
    "baseline.kind.dict_item": ("dictionary item", "字典项"),
    "baseline.kind.post": ("post", "岗位"),
    # an item's fields, as the drift screen, the drift reports and the on-site changes name them
    "baseline.field.key": ("key", "权限字符"),
    "baseline.field.type": ("type", "字典类型"),
    "baseline.field.value": ("value", "键值"),
    "baseline.field.code": ("code", "岗位编码"),
    "baseline.field.name": ("name", "名称"),
    "baseline.field.status": ("status", "状态"),
    "baseline.field.data_scope": ("data scope", "数据范围"),
    "baseline.field.sort": ("order", "排序"),
    "baseline.field.permissions": ("permissions", "权限数"),
    "baseline.field.granted": ("granted", "已授权"),
    "baseline.field.items": ("items", "字典项数"),
    "baseline.field.label": ("label", "标签"),
    "baseline.field.order": ("order", "排序"),
    "baseline.field.default": ("default", "默认"),
    "baseline.field.css_class": ("CSS class", "样式"),
    "baseline.field.list_class": ("list class", "回显样式"),
    "baseline.field_value": ("{field}: {value}", "{field}：{value}"),
    "baseline.yes": ("Y", "是"),
    "baseline.no": ("N", "否"),
    "baseline.field_change": ("{field}: {before} → {after}", "{field}：{before} → {after}"),
    "baseline.sheet": ("drift", "差异"),
    "baseline.more": ("… {count} more (--json, or a report, lists all)", "… 另有 {count} 项（--json 或报告列出全部）"),
    "baseline.change.missing": ("missing", "缺少"),
    "baseline.change.extra": ("extra", "多出"),
    "baseline.change.changed": ("changed", "不同"),
    "baseline.severity.high": ("high", "高"),
    "baseline.severity.medium": ("medium", "中"),
    "baseline.severity.low": ("low", "低"),
    "baseline.compared_at": ("Compared {at} by {actor}; baseline version {version}",
                             "{actor} 于 {at} 比对；基线版本 {version}"),
    "baseline.none": ("No differences.", "没有差异。"),
    "baseline.onsite.sheet": ("on-site changes", "现场变更"),
    "baseline.onsite.title": ("On-site changes for HQ to take into the baseline",
                              "现场变更（需由总部同步回基线）"),
    "baseline.onsite.none": ("No on-site changes.", "没有现场变更。"),
    "baseline.onsite.exported": ("{count} on-site change(s) waiting for HQ written to {path}",
                                 "待总部同步的现场变更 {count} 项，已写入 {path}"),
    "baseline.onsite.stamp": ("Exported {at} by {actor}: {count} change(s)", "{actor} 于 {at} 导出，共 {count} 项"),
    "baseline.onsite.col.id": ("No.", "编号"),
    "baseline.onsite.col.recorded": ("Recorded", "记录时间"),
    "baseline.onsite.col.environment": ("Environment", "环境"),
    "baseline.onsite.col.kind": ("Kind", "类别"),
    "baseline.onsite.col.item": ("Item", "条目"),
    "baseline.onsite.col.change": ("On site", "现场变更"),
    "baseline.onsite.col.value": ("Baseline → site", "基线 → 现场"),
    "baseline.onsite.col.why": ("Why", "原因"),
    "baseline.onsite.col.issue": ("Feedback issue", "反馈问题"),
    "baseline.onsite.col.operator": ("Recorded by", "记录人"),
    "baseline.onsite.col.status": ("Status", "状态"),
    "baseline.onsite.change.extra": ("added", "现场新增"),
    "baseline.onsite.change.missing": ("removed", "现场删除"),
    "baseline.onsite.change.changed": ("changed", "现场修改"),
    "baseline.onsite.status.pending": ("waiting for HQ", "待总部同步"),
    "baseline.onsite.status.accepted": ("in the baseline", "已纳入基线"),
    "baseline.onsite.recorded": ("on-site change #{id}: {item} of {env} ({change}), issue #{issue}",
                                 "现场变更 #{id}：{env} 的 {item}（{change}），反馈问题 #{issue}"),
    "baseline.onsite.accepted": ("on-site change #{id} is in {file}: only {item}'s lines changed",
                                 "现场变更 #{id} 已写入 {file}：仅改动 {item} 所在行"),
    "baseline.onsite.already_accepted": ("on-site change #{id} was accepted by {by} at {at}: nothing to do",
                                         "现场变更 #{id} 已由 {by} 于 {at} 采纳，无需再做什么"),
    # messages to chat robots: the marker on each part of a message split to fit the robot
    "notify.part": ("(part {part}/{parts})", "（第 {part}/{parts} 部分）"),
    # e-mail: drafts for the engineer's mail client, the test message of `notify test`
    "mail.drafted": ("draft written: {path}\nopen it in your mail client, check the recipients, and send it",
                     "已写成邮件草稿：{path}\n请用邮件客户端打开，核对收件人后发送"),
    "mail.draft_hint": ("or write it as a draft for your mail client: `launchpad report outbox --draft {id}`",
                        "也可写成邮件草稿用邮件客户端发送：`launchpad report outbox --draft {id}`"),
    "mail.not_mail": ("channel {channel} is a {kind} robot: only mail is written as a draft",
                      "渠道 {channel} 是{kind}机器人：只有邮件才能写成草稿"),
    "notify.test_subject": ("[{site}] launchpad test message", "【{site}】launchpad 测试消息"),
    "notify.test_body": ("This is a test message from launchpad for channel {channel}, sent {when} by {actor}. "
                         "If it arrived, notices and daily reports sent to this channel will arrive too.",
                         "这是 launchpad 发往渠道 {channel} 的测试消息，由 {actor} 于 {when} 发送。"
                         "收到即说明发往此渠道的通知和日报也能送达。"),
    # announce
    "announce.copied": ("notice ready to paste (copied with {tool})", "通知已就绪，可直接粘贴（已用 {tool} 复制）"),
    "announce.printed": ("notice ready to paste (no clipboard program: printed above)",
                         "通知已就绪（没有剪贴板程序：已打印在上方）"),
    "announce.no_store": ("no workspace store to queue the notice in", "没有工作区存储，无法排队发送通知"),
    "announce.no_release": ("notice not sent: no release {id} in this workspace",
                            "通知未发出：本工作区没有发布 {id}"),
    "announce.sent": ("notice sent to {channel} ({parts} part(s))", "通知已发送到 {channel}（{parts} 条）"),
    "announce.already_sent": ("{channel} already had this notice, sent {when}; not sent again",
                              "{channel} 已于 {when} 收到这份通知，未重复发送"),
    "announce.queued": ("notice queued for {channel}, not delivered: {reason}",
                        "通知已排队发往 {channel}，尚未送达：{reason}"),
    "announce.robot_refused": ("the {channel} robot refused the notice, it will not be sent again: {reason}",
                               "{channel} 机器人拒收了通知，不会自动重发：{reason}"),
    "announce.unknown": ("notice sent to {channel} but not answered: check the group ({reason})",
                         "通知已发往 {channel} 但没有答复：请查看群里是否收到（{reason}）"),
    "announce.refused": ("notice not sent: {reason}", "通知未发出：{reason}"),
    "announce.no_channel": ("notice not sent: a critical notice needs a channel, and this step names none "
                            "(the text is shown above)",
                            "通知未发出：关键通知必须发到群，此步骤未指定 channel（内容已显示在上方）"),
    "notice.nobody_on_duty": ("no contact: nobody is on the duty roster today and the notice names no contact",
                              "没有联系人：值班表今天无人值班，通知也未填写联系人"),
    "notice.no_phone": ("no reachable contact: {name}, on duty today, has no phone in site.yaml",
                        "没有可联系的人：今天值班的{name}在 site.yaml 中没有电话"),
    "notice.blank_contact": ("no contact: the notice's contact field is blank",
                             "没有联系人：通知的联系人一栏为空"),
    # environments
    "envs.nothing_to_compare": ("{count} environment(s) in site.yaml: nothing to compare",
                                "site.yaml 中只有 {count} 个环境：无可比较"),
    "envs.shared_db": ("environments {envs} share the database {endpoint} ({users}); "
                       "test and production must never share one",
                       "环境 {envs} 共用数据库 {endpoint}（{users}）；测试与生产绝不能共用数据库"),
    "envs.no_shared_db": ("{count} database(s), none shared between environments",
                          "{count} 个数据库，环境之间没有共用"),
    "envs.same_groups": ("all environments define the same host groups", "各环境的主机组一致"),
    "envs.groups_differ": ("host groups differ: {details}", "主机组不一致：{details}"),
    "envs.lacks": ("{env} lacks {groups}", "{env} 缺少 {groups}"),
    "envs.warning": ("warning: {text}", "警告：{text}"),
    "envs.unreachable": ("{failed} of {count} host(s) unreachable: {details}",
                         "{count} 台主机中 {failed} 台不可达：{details}"),
    "envs.reachable": ("{count} host(s) reachable", "{count} 台主机可达"),
    "envs.behind_jump": ("{env}: {count} host(s) behind the jump host were not probed directly "
                         "(use `launchpad hosts check`)",
                         "{env}：跳板机后的 {count} 台主机未直接探测（请用 `launchpad hosts check`）"),
    "envs.not_probed": ("{label} was not probed: {error}", "{label} 未探测：{error}"),
    "envs.via_jump": ("{label} is reached through ProxyJump {jump} (~/.ssh/config) and was not probed directly",
                      "{label} 经 ProxyJump {jump}（~/.ssh/config）访问，未直接探测"),
    "envs.local": ("local transport: runs on this machine", "本地执行：在本机运行"),
    "envs.timeout": ("{where} did not answer within {seconds} s", "{where} 在 {seconds} 秒内没有响应"),
    "envs.refused": ("{where}: {error}", "{where}：{error}"),
    "envs.accepts": ("{where} accepts connections", "{where} 可以连接"),
    # hosts check: a host's health, in `launchpad hosts check`'s table
    "hosts.ok": ("ok", "正常"),
    "hosts.reachable": ("yes   ", "可达  "),
    "hosts.not_reachable": ("NO    ", "不可达"),
    "hosts.unreachable": ("unreachable", "不可达"),
    "hosts.disk_full": ("disk {percent}% used", "磁盘已用 {percent}%"),
    "hosts.low_memory": ("only {mb} MB memory free", "可用内存仅 {mb} MB"),
    "hosts.clock_off": ("clock off by {seconds:+.1f}s", "时钟偏差 {seconds:+.1f} 秒"),
    # config_diff
    "config.differs": ("{file}: {key} differs: {values}", "{file}：{key} 不一致：{values}"),
    "config.missing": ("{file}: {key} is missing in one environment: {values}",
                       "{file}：{key} 在一个环境中缺失：{values}"),
    "config.equal": ("{file}: {key} is the same in both environments and must differ: {values}",
                     "{file}：{key} 在两个环境中相同，但必须不同：{values}"),
    "config.hosts_disagree": ("{file}: {key}: the hosts of one environment disagree: {values}",
                              "{file}：{key}：同一环境的主机之间不一致：{values}"),
    "config.unreadable": ("{file}: not read: {values}", "{file}：未能读取：{values}"),
    "config.no_hosts": ("{file}: no host in the group: {values}", "{file}：主机组中没有主机：{values}"),
    "config.rule_unused": ("the must-differ rule {key} ({file}) matched no key, so nothing was checked{values}",
                           "“必须不同”规则 {key}（{file}）没有匹配到任何配置项，未做任何检查{values}"),
    "config.value": ("{where}: {value}", "{where}：{value}"),
    "config.absent": ("(missing)", "（缺失）"),
    "config.empty": ("(empty)", "（空）"),
    "config.declared": ("{text} (declared: {rule})", "{text}（已声明：{rule}）"),
    "config.declared_why": ("{text} (declared: {rule}, {why})", "{text}（已声明：{rule}，{why}）"),
    "config.rule_broken": ("{text} (rule: {rule})", "{text}（规则：{rule}）"),
    "config.rule_broken_why": ("{text} (rule: {rule}, {why})", "{text}（规则：{rule}，{why}）"),
    "config.rule.may_differ": ("may differ", "允许不同"),
    "config.rule.may_be_missing": ("may be missing", "允许缺失"),
    "config.rule.may_differ_between_hosts": ("may differ between hosts", "允许主机之间不同"),
    "config.rule.must_differ": ("must differ", "必须不同"),
    "config.all_declared": ("{env} and {other}: {files} file(s), {keys} key(s) compared; no undeclared "
                            "difference ({declared} declared)",
                            "{env} 与 {other}：比对了 {files} 个文件、{keys} 个配置项，"
                            "没有未声明的差异（已声明 {declared} 处）"),
    "config.undeclared": ("{count} undeclared difference(s) between {env} and {other}: {details}",
                          "{env} 与 {other} 之间有 {count} 处未声明的差异：{details}"),
    "config.undeclared_count": ("{count} undeclared difference(s) between {env} and {other}.",
                                "{env} 与 {other} 之间有 {count} 处未声明的差异。"),
    "config.read_failed": ("cannot read {path}: {error}", "无法读取 {path}：{error}"),
    "config.malformed": ("{path}:{line}: {error}", "{path} 第 {line} 行：{error}"),
    "config.too_large": ("{path} is larger than {limit} MiB, too large for a configuration file",
                         "{path} 超过 {limit} MiB，不像是配置文件"),
    # chat paste
    "chat.no_words": ("no words: not an issue alone", "无文字：不能单独登记"),
    "chat.lines": ("lines {lines}", "第 {lines} 行"),
    "chat.line": ("line {number}", "第 {number} 行"),
    "chat.set_aside": ("{count} of the {total} line(s) are in no message:",
                       "共 {total} 行，其中 {count} 行不属于任何消息："),
    "chat.would_log": ("would log: {title} (reported by {reporter})", "将登记：{title}（反馈人：{reporter}）"),
    "chat.dry_run": ("dry run: nothing was logged", "试运行：未登记任何问题"),
    "chat.skipped": ("skipped message {number}: already logged as #{issue} (same sender, time and text)",
                     "已跳过消息 {number}：已登记为 #{issue}（发送人、时间和内容相同）"),
    "chat.skipped_again": ("to log them again, add --again", "如确需再次登记，加 --again"),
    "chat.nothing_new": ("nothing new to log", "没有需要新登记的消息"),
    "chat.set_aside.notice": ("system line", "系统提示"),
    "chat.set_aside.divider": ("time divider", "时间分隔"),
    "chat.set_aside.attachment": ("image or file with no sender", "无发送人的图片或文件"),
    # user import: why a cell cannot be imported (the annotated sheet shows these to the client)
    "users.required": ("required, but empty", "必填，但为空"),
    "users.id_shape": ("an ID number has 18 characters (or 15 digits), not {length}",
                       "身份证号应为 18 位（或旧式 15 位数字），此处为 {length} 位"),
    "users.id_region": ("region code {region} is not a province's", "地区码 {region} 不属于任何省份"),
    "users.id_birth": ("birth date {digits} is not a real date", "出生日期 {digits} 不是有效日期"),
    "users.id_check_digit": ("check digit is {got}, the number's digits give {expected}",
                             "校验位为 {got}，按前 17 位应为 {expected}"),
    "users.id_lossy": ("stored by Excel as a number, so the last digits are lost; format the column as text "
                       "and type it again", "Excel 按数字保存，末几位已丢失；请将该列设为文本后重新录入"),
    "users.cell_error": ("{error} is an error Excel showed here (a formula's error, or one pasted as a value), "
                         "not a value; fix the formula in the sheet, or type the value",
                         "{error} 是 Excel 在此显示的错误（公式算出的错误，或按值粘贴的错误），不是数据；"
                         "请在表格中修正公式，或直接填写该值"),
    "users.zero_width": ("{count} cell(s) held invisible characters (zero-width, direction marks, soft hyphens; "
                         "pasted from a web page or a chat), removed: {cells}",
                         "{count} 个单元格含不可见字符（零宽字符、文字方向标记、软连字符，从网页或聊天中粘贴而来），"
                         "已去除：{cells}"),
    "users.read_as_big5": ("{file} was read as Big5 (Traditional Chinese); if its names look wrong, save it as "
                           "UTF-8 and check again",
                           "{file} 按 Big5（繁体中文）编码读取；如姓名显示不对，请另存为 UTF-8 后重新检查"),
    "users.api_read": ("{count} user(s) read from {url} in {pages} page(s)",
                       "从 {url} 读取了 {count} 个用户，共 {pages} 页"),
    "users.api_repeated_end": ("{url} gave page {page} the users of page {previous} again, a page shorter than "
                               "the size asked for: taken as the end of the list (an API that answers a page past "
                               "the end with its last page, as RuoYi's does); if it holds more than {count} users, "
                               "name the count its answer gives in the mapping's paging.total",
                               "{url} 的第 {page} 页与第 {previous} 页（不足一页）的用户相同：视为列表已结束"
                               "（接口对超出末页的页码返回末页，若依即如此）；如该接口不止 {count} 个用户，"
                               "请在映射文件的 paging.total 中写明其应答里的总数字段"),
    "users.mobile": ("not a mainland mobile number (11 digits starting 13–19)",
                     "不是有效的手机号（以 13–19 开头的 11 位数字）"),
    "users.email": ("not an e-mail address", "不是有效的电子邮箱"),
    "users.date_shape": ("not a date (write 2024-03-01)", "不是日期（请写成 2024-03-01）"),
    "users.date_invalid": ("no such day", "日期不存在"),
    "users.code": ("not one of {allowed}", "不在可选值 {allowed} 之内"),
    "users.too_long": ("{length} characters, at most {limit} fit", "{length} 个字符，最多 {limit} 个"),
    "users.duplicate": ("also in row {rows}", "与第 {rows} 行重复"),
    "users.taken": ("already belongs to user {owner} in the target", "目标系统中已属于用户 {owner}"),
    "users.unknown_unit": ("no unit {unit!r} in the target; closest: {closest}",
                           "目标系统中没有单位“{unit}”；最接近的：{closest}"),
    "users.unknown_unit_far": ("no unit {unit!r} in the target, nor one with a name close to it",
                               "目标系统中没有单位“{unit}”，也没有名称相近的"),
    "users.ambiguous_unit": ("{unit!r} names several units: {paths}; write the path",
                             "“{unit}”对应多个单位：{paths}；请写出完整路径"),
    "users.sheet_empty": ("sheet {sheet!r} is empty", "工作表“{sheet}”为空"),
    "users.sheet_no_header": ("sheet {sheet!r} has no header the mapping knows: skipped",
                              "工作表“{sheet}”没有映射文件认识的表头：已跳过"),
    "users.header_unmapped": ("sheet {sheet!r} column {column} {header!r} matches no field (closest: {closest}): "
                              "not imported", "工作表“{sheet}”第 {column} 列“{header}”不对应任何字段"
                              "（最接近：{closest}）：不导入"),
    "users.header_unmapped_far": ("sheet {sheet!r} column {column} {header!r} matches no field: not imported",
                                  "工作表“{sheet}”第 {column} 列“{header}”不对应任何字段：不导入"),
    "users.header_doubled": ("sheet {sheet!r} column {column} {header!r} is a second column for {field} "
                             "(column {first} is used)", "工作表“{sheet}”第 {column} 列“{header}”是 {field} 的"
                             "第二列（使用第 {first} 列）"),
    "users.not_against_target": ("units and values taken by existing users were not checked (no target given)",
                                 "未对照目标系统：单位与已有用户的重复未检查"),
    "users.problems_header": ("problems", "问题"),
    "users.cell_problem": ("{cell} {header}: {reason}", "{cell} {header}：{reason}"),
    "users.change": ("{field}: {old} → {new}", "{field}：{old} → {new}"),
    "users.empty_value": ("(empty)", "（空）"),
    "users.account_unit": ("unit", "所属单位"),
    "users.roles_label": ("roles", "角色"),
    "users.posts_label": ("posts", "岗位"),
    "report.daily_file_stem": ("daily-report", "日报"),
    "users.handout_sheet": ("initial passwords", "初始密码"),
    "users.handout_note": ("Initial passwords: hand each person their own; the system asks for a new password at "
                           "first login. Destroy this file once handed out.",
                           "初始密码：请分别交给本人；首次登录时系统会要求修改密码。分发后请销毁本文件。"),
    "users.handout_unit": ("unit", "单位"),
    "users.handout_login": ("login", "账号"),
    "users.handout_name": ("name", "姓名"),
    "users.handout_password": ("initial password", "初始密码"),
    "users.handout_password_reset": ("password reset since: the new one is in {file}",
                                     "密码已重置，新密码见 {file}"),
    "users.unknown_post": ("no post {post!r} in the target; closest: {closest}",
                           "目标系统中没有岗位“{post}”；最接近的：{closest}"),
    "users.unknown_post_far": ("no post {post!r} in the target, nor one with a name close to it",
                               "目标系统中没有岗位“{post}”，也没有名称相近的"),
    # the go-live checklist (golive/)
    "golive.no_run": ("{playbook} has not run on {env}", "“{playbook}”尚未在 {env} 运行"),
    "golive.run_not_passed": ("{playbook} on {env}: newest run #{run} {status}",
                              "“{playbook}”（{env}）：最近一次运行 #{run} {status}"),
    "golive.run_stale": ("{playbook} on {env}: run #{run} passed more than {age} ago; run it again",
                         "“{playbook}”（{env}）：运行 #{run} 通过已超过 {age}，请重新运行"),
    "golive.run_passed": ("{playbook} passed on {env} (run #{run})", "“{playbook}”已在 {env} 通过（运行 #{run}）"),
    "golive.backup_missing": ("{env}: no verified backup younger than {age} of: {targets}",
                              "{env}：以下目标没有 {age}内的已校验备份：{targets}"),
    "golive.backup_fresh": ("{env}: verified backups younger than {age}: {backups}",
                            "{env}：{age}内的已校验备份：{backups}"),
    "golive.state.done": ("done", "已完成"),
    "golive.state.open": ("open", "未完成"),
    "golive.state.blocked": ("blocked", "受阻"),
    "golive.state.not_applicable": ("not applicable", "不适用"),
    "golive.late": ("late", "已逾期"),
    "golive.go": ("GO", "具备上线条件"),
    "golive.no_go": ("NO-GO", "暂不具备上线条件"),
    # a go that rests on critical items marked not applicable says so in its own sentence
    "golive.go_set_aside": ("GO ({count} critical items marked not applicable: {items})",
                            "具备上线条件（{count} 项关键事项被标为不适用：{items}）"),
    "golive.go_set_aside_one": ("GO ({count} critical item marked not applicable: {items})",
                                "具备上线条件（{count} 项关键事项被标为不适用：{items}）"),
    "golive.summary_set_aside": ("Critical items marked not applicable:", "被标为不适用的关键事项："),
    "golive.set_aside": ("{title} (marked not applicable by {by}, {at}): {reason}",
                         "{title}（{by} 于 {at} 标为不适用）：{reason}"),
    "golive.set_aside_by_hand": ("{title} (not marked through launchpad, so who and when are not recorded: "
                                 "golive.yaml was edited by hand): {reason}",
                                 "{title}（未经 launchpad 标记，不知由谁、何时标为不适用：golive.yaml 被直接修改）："
                                 "{reason}"),
    "golive.summary_head": ("{system} {version} go-live on {date} ({days} days to go): {verdict}",
                            "{system} {version} 计划于 {date} 上线（距上线 {days} 天）：{verdict}"),
    "golive.summary_head_one": ("{system} {version} go-live on {date} ({days} day to go): {verdict}",
                                "{system} {version} 计划于 {date} 上线（距上线 {days} 天）：{verdict}"),
    "golive.summary_counts": ("{done} of {total} items done; {open} open, {blocked} blocked, {late} late",
                              "共 {total} 项，已完成 {done} 项；未完成 {open} 项，受阻 {blocked} 项，逾期 {late} 项"),
    "golive.summary_stoppers": ("Stopping go-live:", "影响上线的关键事项："),
    "golive.summary_late": ("Late:", "逾期事项："),
    "golive.summary_item": ("- {title} ({owner}, due {due}, {state}): {why}",
                            "- {title}（负责人 {owner}，截止 {due}，{state}）：{why}"),
    "golive.export_not_xlsx": ("{file}: the checklist is written as a workbook, .xlsx",
                               "{file}：上线清单导出为 Excel 工作簿，文件名须以 .xlsx 结尾"),
    "golive.export_not_xlsx_hint": ("name the file FILE.xlsx, or leave out --out",
                                    "请把文件命名为 文件名.xlsx，或不加 --out"),
    "golive.summary_item_bare": ("- {title} ({owner}, due {due}, {state})",
                                 "- {title}（负责人 {owner}，截止 {due}，{state}）"),
    "golive.summary_late_state": ("{state}, late", "{state}，已逾期"),
    "golive.sheet_items": ("Go-live checklist", "上线清单"),
    "golive.sheet_summary": ("Go or no-go", "上线结论"),  # "/" cannot be in a sheet title
    "golive.col.id": ("Item", "编号"),
    "golive.col.title": ("What", "事项"),
    "golive.col.owner": ("Owner", "负责人"),
    "golive.col.due": ("Due", "截止日期"),
    "golive.col.critical": ("Critical", "关键"),
    "golive.col.state": ("State", "状态"),
    "golive.col.late": ("Late", "逾期"),
    "golive.col.why": ("Why", "原因"),
    "golive.col.proof": ("Proof", "证明"),
    "golive.col.notes": ("Notes", "备注"),
    "golive.yes": ("yes", "是"),
    "golive.days_late": ("{days} days late", "逾期 {days} 天"),
    "golive.days_late_one": ("{days} day late", "逾期 {days} 天"),
    "golive.waiting_on": ("waiting on {items}", "等待 {items}"),
    "golive.item_named": ("{title} ({id})", "{title}（{id}）"),
    "golive.exported": ("wrote {path}", "已写入 {path}"),
    "golive.file_name": ("golive-checklist-{version}.xlsx", "上线清单-{version}.xlsx"),
    "golive.no_import": ("no user import into {env} yet", "尚未向 {env} 导入用户"),
    "golive.no_import_of": ("no import of {file} into {env} yet", "尚未向 {env} 导入 {file}"),
    "golive.import_not_applied": ("{env}: newest user import #{id} ({file}) {status}",
                                  "{env}：最近一次用户导入 #{id}（{file}）{status}"),
    "golive.import_applied": ("{env}: user import #{id} ({file}, {rows} rows) applied",
                              "{env}：用户导入 #{id}（{file}，{rows} 行）已完成"),
    "golive.no_release": ("no release of {version} recorded yet", "尚未登记 {version} 的发布"),
    "golive.release_not_done": ("release #{id} of {version} is {status}", "{version} 的发布 #{id} {status}"),
    "golive.release_done": ("{version} released (release #{id})", "{version} 已发布（发布 #{id}）"),
    "golive.no_baseline_diff": ("{env} not yet compared with the baseline", "{env} 尚未与基线比对"),
    "golive.baseline_drift": ("{env}: comparison #{id} with baseline {version} found {count} difference(s)",
                              "{env}：与基线 {version} 的比对 #{id} 发现 {count} 处差异"),
    "golive.baseline_clean": ("{env} matches baseline {version} (comparison #{id})",
                              "{env} 与基线 {version} 一致（比对 #{id}）"),
    "golive.marked": ("{item}: now {status}", "{item}：已标记为{status}"),
    "golive.status.blocked": ("blocked", "受阻"),
    "golive.status.todo": ("to do", "待办"),
    "golive.status.in_progress": ("in progress", "进行中"),
    "golive.status.not_applicable": ("not applicable", "不适用"),
    # releases: the record, its test report, its gate, the handover
    "release.status.planned": ("planned", "计划中"),
    "release.status.approved": ("approved", "已审核"),
    "release.status.in_progress": ("in progress", "发布中"),
    "release.status.released": ("released", "已发布"),
    "release.status.rolled_back": ("rolled back", "已回退"),
    "release.status.cancelled": ("cancelled", "已取消"),
    # Read from the run, not the record (release/standing.py): in progress, but its run stopped
    # because a person declined a step — a decision, never 发布中.
    "release.status.declined_switch": ("stopped, not switched (the switch was not confirmed)",
                                       "已停止，未切换（切换未获确认）"),
    "release.status.declined": ("stopped (a step was not confirmed)", "已停止（有步骤未获确认）"),
    # why: the run's recorded reason — a person's no, or production's name not typed (no terminal)
    "release.declined_by": ("{step} not run: {why} ({who}, {at}, run {run}); {next}",
                            "「{step}」未执行：{why}（{who}，{at}，运行 #{run}）；{next}"),
    "release.declined_next": ("to switch after all, run the release again: {command}; "
                              "to give it up: launchpad release status {id} rolled-back --note REASON",
                              "如仍要切换，请再次运行本次发布：{command}；"
                              "放弃本次发布：launchpad release status {id} rolled-back --note 原因"),
    "release.report_title": ("Release test report", "发布测试报告"),
    "release.report_file_stem": ("release-test-report", "发布测试报告"),
    "release.label.version": ("Version", "版本"),
    "release.label.changes": ("What changes", "发布内容"),
    "release.label.impact": ("Expected impact", "影响范围"),
    "release.label.window": ("Planned window", "计划时间"),
    "release.label.fixes": ("Feedback issues fixed", "修复的问题"),
    "release.label.rollback": ("Rollback plan", "回退方案"),
    "release.label.owner": ("Owner", "负责人"),
    "release.label.status": ("Status", "状态"),
    "release.label.approved_by": ("Reviewed by", "审核人"),
    "release.label.test_run": ("Test run", "测试执行"),
    "release.label.verdict": ("Test result", "测试结论"),
    "release.label.reviewer": ("Client reviewer (signature and date)", "甲方审核人（签字及日期）"),
    "release.sheet.release": ("Release", "发布"),
    "release.sheet.steps": ("Test steps", "测试步骤"),
    "release.sheet.decisions": ("Decisions", "确认与决定"),
    "release.verdict_passed": ("The test run passed: every step passed.", "测试通过：所有步骤均通过。"),
    "release.verdict_not_passed": ("The test run did not pass ({status}): see the steps.",
                                   "测试未通过（{status}）：详见测试步骤。"),
    "release.none": ("none", "无"),
    "release.gate_approved": ("release {id} ({version}) reviewed by {by}", "发布 {id}（{version}）已由 {by} 审核"),
    "release.gate_unknown": ("no release {id} in this workspace (see `launchpad release list`)",
                             "本工作区没有发布 {id}（请查看 `launchpad release list`）"),
    "release.gate_not_approved": ("release {id} ({version}) is {status}: no reviewer recorded "
                                  "(launchpad release approve {id} --by NAME)",
                                  "发布 {id}（{version}）{status}：尚无审核人记录"
                                  "（launchpad release approve {id} --by 姓名）"),
    "release.gate_finished": ("release {id} ({version}) is {status}: it cannot be released again; for another "
                              "attempt, record a new release (launchpad release new)",
                              "发布 {id}（{version}）{status}：不能再次发布；如需再次发布，请新建一条发布记录"
                              "（launchpad release new）"),
    "release.gate_no_id": ("{value!r} is not a release id", "“{value}”不是发布编号"),
    "release.gate_other_version": ("release {id} is for {recorded}, but this run releases {given}: record a "
                                   "release of {given}, or give version={recorded}",
                                   "发布 {id} 登记的版本是 {recorded}，本次运行发布的是 {given}：请为 {given} "
                                   "登记发布，或填写 version={recorded}"),
    "release.window_inside": ("inside release {id}'s planned window {window} (closes {closes})",
                              "在发布 {id} 计划的窗口 {window} 内（{closes} 结束）"),
    "release.window_early": ("release {id} ({version}) is planned for {window}, and it is {now}: too early "
                             "(record the release again for tonight, or override with a reason)",
                             "发布 {id}（{version}）计划于 {window}，现在是 {now}：尚未到计划时间"
                             "（请按今晚重新登记发布，或写明原因后强制）"),
    "release.window_late": ("release {id} ({version}) was planned for {window}, and it is {now}: its window has "
                            "closed (record the release again for a new window, or override with a reason)",
                            "发布 {id}（{version}）计划于 {window}，现在是 {now}：计划窗口已结束"
                            "（请重新登记发布窗口，或写明原因后强制）"),
    "release.gate_version_spelled": ("release {id} is recorded as {recorded}, but this run was given {given}: "
                                     "give version={var}, as recorded (it names the package file)",
                                     "发布 {id} 登记的版本是 {recorded}，本次运行填写的是 {given}：请按登记填写 "
                                     "version={var}（版本号即安装包文件名的一部分）"),
    "release.moved": ("release {id} ({version}): {source} → {target}", "发布 {id}（{version}）：{source} → {target}"),
    "release.already": ("release {id} ({version}) is already {status}", "发布 {id}（{version}）已是{status}"),
    "release.move_refused": ("release {id} ({version}) is {status}: it cannot become {target}",
                             "发布 {id}（{version}）{status}：不能改为{target}"),
    "release.fixed_note": ("fixed in release {id} ({version})", "已在发布 {id}（{version}）中修复"),
    "handover.title": ("Handover", "交接"),
    "handover.runs": ("Runs in progress or interrupted", "进行中或中断的运行"),
    "handover.run": ("#{id} {playbook} on {env}: {status}, started {started} by {operator}",
                     "#{id} {playbook}（{env}）：{status}，{started} 由 {operator} 开始"),
    "handover.pending": ("Waiting for a sign-off or approval", "等待签字或审核"),
    "handover.pending_release": ("release {id} {version} ({window}): no reviewer yet",
                                 "发布 {id} {version}（{window}）：尚未审核"),
    "handover.pending_golive": ("go-live item {item}: sign-off, {owner}, due {due}",
                                "上线事项 {item}：待签字，{owner}，{due} 到期"),
    "handover.releases": ("Releases today and tonight, and any in progress", "今天和今晚的发布，以及发布中的发布"),
    "handover.release": ("release {id} {version} {window}: {status}, owner {owner}",
                         "发布 {id} {version} {window}：{status}，负责人 {owner}"),
    "handover.release_stopped": ("release {id} {version} {window}: {status}, owner {owner}: {declined}",
                                 "发布 {id} {version} {window}：{status}，负责人 {owner}：{declined}"),
    "handover.issues": ("Open P0/P1 issues", "未解决的 P0/P1 问题"),
    "handover.issue": ("#{id} [{severity}] {title} ({owner}, due {due}, {status})",
                       "#{id} [{severity}] {title}（{owner}，{due} 到期，{status}）"),
    "handover.backups": ("Backups older than a day", "超过一天的备份"),
    "handover.backup_old": ("{env}/{target}: newest usable backup #{id} is {age} old",
                            "{env}/{target}：最新可用备份 #{id} 已有 {age}"),
    "handover.backup_none": ("{env}/{target}: no usable backup", "{env}/{target}：没有可用备份"),
    "handover.golive": ("Late go-live items", "逾期的上线事项"),
    "handover.set_aside": ("Critical go-live items marked not applicable", "被标为不适用的关键上线事项"),
    # {item} is the item by its title with its id after it (golive.item_named)
    "handover.golive_item": ("{item}: {owner}, due {due}, {days} days late",
                             "{item}：{owner}，{due} 到期，逾期 {days} 天"),
    "handover.golive_item_one": ("{item}: {owner}, due {due}, {days} day late",
                                 "{item}：{owner}，{due} 到期，逾期 {days} 天"),
    "handover.imports": ("User imports not finished or not handed out", "未完成或未发放密码的用户导入"),
    "handover.import_unfinished": ("import {id} ({file} into {env}) did not finish: run the same import again, "
                                   "or launchpad users rollback {id}, or give it up with launchpad users abandon {id}"
                                   "{kept}",
                                   "导入 {id}（{file} → {env}）未完成：请再次运行同一导入，"
                                   "或运行 launchpad users rollback {id}，"
                                   "或运行 launchpad users abandon {id} 放弃{kept}"),
    "handover.import_running": ("import {id} ({file} into {env}) is being written by process {pid} on {host}{kept}",
                                "导入 {id}（{file} → {env}）正在写入（{host} 上的进程 {pid}）{kept}"),
    "handover.passwords_kept": ("; until it finishes, is rolled back or abandoned, {count} plain initial password(s) "
                                "are kept in {file}",
                                "；在完成、回滚或放弃之前，{count} 个初始密码明文暂存于 {file}"),
    "handover.import_owed": ("import {id} ({file} into {env}) went in but its hand-out was not written: "
                             "launchpad users handout {id} writes it from the passwords kept in {folder}",
                             "导入 {id}（{file} → {env}）已写入，但发放单未写出：运行 launchpad users handout {id}，"
                             "由 {folder} 中暂存的密码写出"),
    "handover.count": (" ({count})", "（{count}）"),
    "handover.nothing": ("nothing", "无"),
    "handover.head": ("{site} handover, {at} (by {actor})", "{site} 交接，{at}（{actor}）"),
    "handover.clear": ("Nothing waits for the next engineer.", "没有需要交接的事项。"),
}


def _merge(*areas: dict[str, tuple[str, str]]) -> None:
    for area in areas:
        twice = CATALOG.keys() & area.keys()
        if twice:  # two areas saying one key differently is the drift this catalog exists to end
            raise KeyError(f"keys in two places of the word-book: {sorted(twice)}")
        CATALOG.update(area)


_merge(statuses.ENTRIES, ui.ENTRIES, daily.ENTRIES, runreport.ENTRIES, issues.ENTRIES, cli.ENTRIES, errors.ENTRIES,
       help.ENTRIES, validation.ENTRIES, refusals.ENTRIES, users.ENTRIES)
_merge(refusals_hosts.ENTRIES)
_merge(hosts_column.ENTRIES)
_merge(sweep.ENTRIES)
_merge(robots.ENTRIES)
_merge(release.ENTRIES)
_merge(describe.ENTRIES)
_merge(import_stream.ENTRIES)
_merge(oserrors.ENTRIES)
_merge(yamlerrors.ENTRIES)
_merge(httperrors.ENTRIES)

LIST_SEPARATOR = {"en": ", ", "zh": "、"}  # a list of names: a list parameter, or listed()
PARTS_SEPARATOR = {"en": "; ", "zh": "；"}
LINE_SEPARATOR = "\n  "  # each item under the sentence that ends with ":\n  "


@dataclass(frozen=True)
class Phrase:
    """A sentence by key, with its parameters; `str()` gives the English text."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.key not in CATALOG:  # a typo must fail in tests, not print a bare key at 23:00
            raise KeyError(f"no phrase {self.key!r} in the catalog")

    def __str__(self) -> str:
        return render(self, "en")

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "params": {name: _param_to_json(value) for name, value in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Phrase:
        return cls(data["key"], {name: _param_from_json(value) for name, value in data.get("params", {}).items()})


Said = str | Phrase  # what a step or the engine says: a phrase, or words kept as written


def phrase(key: str, **params: Any) -> Phrase:
    return Phrase(key, params)


def parts(items: Sequence[Said]) -> Phrase:
    """Several findings in one line, joined by "; " (English) or "；" (Chinese)."""
    return Phrase("parts", {"items": _Parts(items)})


def listed(items: Iterable[Said]) -> Phrase:
    """Names a person reads as one list (units, users, hosts, files), joined by ", " (English)
    or "、" (Chinese). A sentence's parameter may take the list itself (`users=keys`), joined
    the same way; this is the list as a phrase of its own, for text built outside a sentence."""
    return Phrase("listed", {"items": list(items)})


def lines(items: Sequence[Said]) -> Phrase:
    """A list read one item a line (a refusal's "what changed"), in every language alike."""
    return Phrase("lines", {"items": _Lines(items)})


def typed_instead(typed: str) -> Phrase | str:
    """What a person typed instead of a production environment's name, said after the refusal
    when anything was: without a terminal nothing was, and an empty quote told nobody anything."""
    return phrase("error.typed_instead", typed=typed) if typed else ""


def status_word(status: str | None) -> Phrase | str:
    key = f"status.{status or 'not_run'}"
    return Phrase(key) if key in CATALOG else (status or "")


def spoken(language: str | None) -> Spoken:
    """`language` as one the catalog speaks: anything but English is Chinese, the default."""
    return "en" if language == "en" else DEFAULT_LANGUAGE


def other_language(language: str) -> Spoken:
    return LANGUAGES[1 - LANGUAGES.index(spoken(language))]


def word(key: str, lang: Lang, /, **values: Any) -> str:
    """The text of catalog entry `key` in `lang`, its placeholders filled (a value may itself be
    a phrase or a list, rendered in the same language). An unknown key raises KeyError."""
    return render(Phrase(key, values), lang)


def status_text(status: str | None, lang: Lang) -> str:
    """A run's or a step's status as a person reads it; a status the catalog does not know stays
    as it is."""
    return render(status_word(status), lang)


def section(area: str, lang: Lang) -> dict[str, str]:
    """The unfilled texts of one area (`daily`, `runreport`) by their short names, with every
    status by its own name beside them and the parts separator as `semi`: what a report
    template reads as `t.<name>`."""
    prefix, chosen = f"{area}.", _column(lang)
    texts = {key.removeprefix("status."): pair[chosen] for key, pair in CATALOG.items() if key.startswith("status.")}
    texts["semi"] = PARTS_SEPARATOR[spoken(lang)]
    texts.update({key.removeprefix(prefix): pair[chosen] for key, pair in CATALOG.items() if key.startswith(prefix)})
    return texts


def _column(lang: Lang) -> int:
    return 1 if spoken(lang) == "zh" else 0  # entries are (English, 中文)


def render(value: Any, lang: Lang) -> str:
    """The text of a phrase (or of plain words, which stay as they are) in `lang`."""
    if isinstance(value, Phrase):
        template = CATALOG[value.key][_column(lang)]
        return template.format_map({name: _format_param(param, lang) for name, param in value.params.items()})
    if isinstance(value, _Parts):
        return PARTS_SEPARATOR[spoken(lang)].join(render(item, lang) for item in value.items)
    if isinstance(value, _Lines):
        return LINE_SEPARATOR.join(render(item, lang) for item in value.items)
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR[spoken(lang)].join(render(item, lang) for item in value)
    return "" if value is None else str(value)


def dumps(value: Said | None) -> str | None:
    """The JSON the store keeps beside the English text; None for plain words."""
    return json.dumps(value.to_json(), ensure_ascii=False) if isinstance(value, Phrase) else None


def loads(english: str | None, stored: str | None) -> Said:
    """What `dumps` kept, or the stored English text for rows written before phrases existed."""
    if stored:
        try:
            return Phrase.from_json(json.loads(stored))
        except (ValueError, KeyError, TypeError):
            pass  # a phrase a newer launchpad wrote: its English text is still right
    return english or ""


@dataclass(frozen=True)
class _Parts:
    items: Sequence[Said]


@dataclass(frozen=True)
class _Lines:
    items: Sequence[Said]


def _format_param(value: Any, lang: Lang) -> Any:
    # Numbers keep their type so templates may format them; everything else becomes text.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return render(value, lang)
    return value


def _param_to_json(value: Any) -> Any:
    if isinstance(value, Phrase):
        return {"phrase": value.to_json()}
    if isinstance(value, _Parts):
        return {"parts": [_param_to_json(item) for item in value.items]}
    if isinstance(value, _Lines):
        return {"lines": [_param_to_json(item) for item in value.items]}
    if isinstance(value, list | tuple):
        return [_param_to_json(item) for item in value]
    return value


def _param_from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if "phrase" in value:
            return Phrase.from_json(value["phrase"])
        if "parts" in value:
            return _Parts([_param_from_json(item) for item in value["parts"]])
        if "lines" in value:
            return _Lines([_param_from_json(item) for item in value["lines"]])
    if isinstance(value, list):
        return [_param_from_json(item) for item in value]
    return value
