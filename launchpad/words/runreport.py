"""The words of the run report (the release test report the client reads), read by its
templates as `t.<name>` (the key without `runreport.`), statuses as `s(status)`."""

from __future__ import annotations

# key: (English, 中文)
ENTRIES: dict[str, tuple[str, str]] = {
    "runreport.title": ("Run report", "执行报告"),
    "runreport.site": ("Project", "项目"),
    "runreport.client": ("Client", "客户"),
    "runreport.playbook": ("Playbook", "操作手册"),
    "runreport.environment": ("Environment", "环境"),
    "runreport.production": ("production", "生产环境"),
    "runreport.operator": ("Operator", "执行人"),
    "runreport.started": ("Started", "开始时间"),
    "runreport.finished": ("Finished", "结束时间"),
    "runreport.status": ("Result", "结果"),
    "runreport.phase": ("Phase", "阶段"),
    "runreport.step": ("Step", "步骤"),
    "runreport.host": ("Host", "主机"),
    "runreport.exit": ("Exit", "退出码"),
    "runreport.http_status": ("HTTP status", "HTTP 状态码"),
    # a host's number in the text report, which has no column headings
    "runreport.exit_code": ("exit {code}", "退出码 {code}"),
    "runreport.http_code": ("HTTP {code}", "HTTP 状态码 {code}"),
    "runreport.duration": ("Seconds", "耗时(秒)"),
    "runreport.message": ("Detail", "说明"),
    "runreport.decisions": ("Confirmations and decisions", "确认与决定"),
    "runreport.who": ("Who", "人员"),
    "runreport.kind": ("Kind", "类型"),
    "runreport.reason": ("Reason", "原因"),
    "runreport.at": ("At", "时间"),
    "runreport.evidence": ("Evidence", "证据"),
    "runreport.variables": ("Variables", "变量"),
    "runreport.summary": ("Summary", "概要"),
    "runreport.none": ("none", "无"),
    # The kinds of decision a run records (store DECISION_KINDS), as its report names them.
    # what the run's own rollback decision (roll back after a failure, or not) is about
    "runreport.rollback_step": ("rollback", "回滚"),
    "runreport.decision_confirmed": ("confirmed", "已确认"),
    "runreport.decision_signed_off": ("signed off", "已签字"),
    "runreport.decision_skipped": ("skipped", "跳过"),
    "runreport.decision_retried": ("retried", "重试"),
    "runreport.decision_retried_failed": ("retried the failed hosts", "重试失败主机"),
    "runreport.decision_aborted": ("stopped", "中止"),
    "runreport.decision_overrode": ("overrode", "越过"),
    # A gate that refused and was overridden with a reason: it did not pass, and the client's
    # report must not say it did.
    "runreport.overridden": ("overridden", "已越过"),
    "runreport.decision_approved": ("approved", "已批准"),
    "runreport.decision_rerun_interrupted": ("re-ran the interrupted step", "重做中断的步骤"),
    "runreport.decision_declined": ("declined", "未同意"),
    # a step a person did not confirm, which never ran
    "runreport.declined": ("not run (declined)", "未执行（未同意）"),
    "runreport.decision_refused": ("refused", "被拒绝"),
    "runreport.hosts_passed": ("{passed}/{total} hosts passed", "{passed}/{total} 台主机通过"),
}
