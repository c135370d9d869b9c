"""How issue values read to people, in Chinese (the default: the client reads them) or
English. The store keeps the codes (`in_progress`); everything shown goes through here."""

from __future__ import annotations

VALUE_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "new": "新建", "in_progress": "处理中", "fixed": "已修复", "verified": "已验证",
        "closed": "已关闭", "wontfix": "不予修复", "by_design": "设计如此", "duplicate": "重复",
        "P0": "P0 紧急", "P1": "P1 高", "P2": "P2 中", "P3": "P3 低",
        "defect": "缺陷", "config": "配置", "data": "数据", "usage": "培训/使用",
        "requirement": "新需求", "question": "咨询",
        "group": "群", "phone": "电话", "wechat": "微信", "email": "邮件", "onsite": "现场",
        "complaint": "投诉", "outage": "故障",
        "reported": "报告", "responded": "响应", "reproduced": "复现", "mitigated": "缓解",
        "resolved": "解决", "note": "备注", "status_changed": "状态变更",
    },
    "en": {
        "new": "new", "in_progress": "in progress", "fixed": "fixed", "verified": "verified",
        "closed": "closed", "wontfix": "won't fix", "by_design": "by design", "duplicate": "duplicate",
        "P0": "P0 critical", "P1": "P1 high", "P2": "P2 medium", "P3": "P3 low",
        "defect": "defect", "config": "configuration", "data": "data", "usage": "training/usage",
        "requirement": "new requirement", "question": "question",
        "group": "group", "phone": "phone", "wechat": "WeChat", "email": "email", "onsite": "on site",
        "complaint": "complaint", "outage": "outage",
        "reported": "reported", "responded": "responded", "reproduced": "reproduced",
        "mitigated": "mitigated", "resolved": "resolved", "note": "note", "status_changed": "status",
    },
}

FIELD_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "id": "编号", "title": "标题", "description": "描述", "reporter": "报告人", "channel": "渠道",
        "reported_at": "报告时间", "module": "模块", "severity": "严重程度", "type": "类型",
        "owner": "负责人", "due": "截止日期", "status": "状态", "resolution": "处理结果",
        "fixed_in": "修复版本/执行", "attachments": "附件", "created": "创建", "note": "备注",
        "overdue": "逾期", "history": "变更记录", "incident": "事件",
        "root_cause": "根本原因", "short_term_fix": "临时措施", "long_term_fix": "长期方案",
        "prevention": "预防措施", "kind": "类别", "resolved_at": "解决时间",
    },
    "en": {
        "id": "ID", "title": "Title", "description": "Description", "reporter": "Reporter",
        "channel": "Channel", "reported_at": "Reported", "module": "Module", "severity": "Severity",
        "type": "Type", "owner": "Owner", "due": "Due", "status": "Status", "resolution": "Resolution",
        "fixed_in": "Fixed in", "attachments": "Attachments", "created": "created", "note": "note",
        "overdue": "OVERDUE", "history": "History", "incident": "Incident",
        "root_cause": "Root cause", "short_term_fix": "Short-term fix", "long_term_fix": "Long-term fix",
        "prevention": "Prevention", "kind": "Kind", "resolved_at": "Resolved",
    },
}


def value_label(value: str | None, lang: str) -> str:
    if not value:
        return "—"
    return VALUE_LABELS.get(lang, VALUE_LABELS["zh"]).get(value, value)


def field_label(name: str, lang: str) -> str:
    return FIELD_LABELS.get(lang, FIELD_LABELS["zh"]).get(name, name)
