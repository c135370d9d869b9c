"""What a playbook step will do, in one line, as its preview and its confirmation say it
(each kind's `describe()` in launchpad/steps/): the playbook's own `description` wins."""

from __future__ import annotations

# key: (English, 中文)
ENTRIES: dict[str, tuple[str, str]] = {
    "describe.backup": ("back up {what}", "备份 {what}"),
    "describe.all_backup_targets": ("all backup targets", "全部备份对象"),
    "describe.this_environment": ("this environment", "本环境"),
    "describe.the_baseline": ("the baseline", "基线"),
    "describe.baseline_fix": ("fix {kinds} of {target} from the baseline", "按基线修正 {target} 的 {kinds}"),
    "describe.baseline_changes": ("export the on-site changes waiting for HQ to {report}",
                                  "把待总部同步的现场变更导出到 {report}"),
    "describe.baseline_compare": ("compare {target} with {against}", "把 {target} 与{against}对比"),
    "describe.section": ("section {section}", "第 {section} 节"),
    "describe.config_diff": ("compare configuration with {against} ({what})", "与 {against} 对比配置（{what}）"),
    "describe.environments": ("compare all environments: {checks}", "对比所有环境：{checks}"),
    "describe.gate_window": ("inside the {window} window", "在 {window} 时间窗口内"),
    "describe.gate_phase": ("phase {phase} passed", "阶段 {phase} 已通过"),
    "describe.gate_backup": ("a verified backup younger than {age}", "有 {age}内经过校验的备份"),
    "describe.gate_file": ("{path} on this machine", "本机上有 {path}"),
    "describe.gate_approval": ("approval ({form})", "审批（{form}）"),
    "describe.release_approved": ("release {release} approved by the client's reviewer",
                                  "发布 {release} 已由甲方审核人批准"),
    "describe.release_window": ("inside the window release {release} is planned for",
                                "在发布 {release} 计划的时间窗口内"),
    "describe.release_status": ("release {release} → {status}", "发布 {release} → {status}"),
    "describe.restore": ("restore {target} from the backup {whence}", "从{whence}的备份恢复 {target}"),
    "describe.restore_from_run": ("taken earlier in this run", "本次运行较早时做"),
    "describe.restore_newest": ("newest verified", "最新且经过校验"),
    "describe.restore_creates": ("a database that does not exist on its server is created empty and the backup "
                                 "restored into it, with no safety backup (there is nothing to save)",
                                 "数据库若在其服务器上不存在，将新建空数据库再把备份恢复进去，不做安全备份（没有需要保存的内容）"),
    "describe.every_target": ("every target", "全部对象"),
    "describe.wait": ("{probe} (every {every}s, up to {within}s)", "{probe}（每 {every} 秒一次，最长 {within} 秒）"),
    "describe.announce": ("{template} → {to}", "{template} → {to}"),
    "describe.clipboard": ("clipboard", "剪贴板"),
    "describe.import_check": ("check {file}", "检查 {file}"),
    "describe.import_plan": ("plan {file}", "生成 {file} 的导入计划"),
    "describe.import_apply": ("import {file}", "导入 {file}"),
}
