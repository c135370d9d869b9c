"""A release record's refused moves and what to do next (release/record.py, operations.py)."""

from __future__ import annotations

# key: (English, 中文)
ENTRIES: dict[str, tuple[str, str]] = {
    "release.cannot_become": ("release {id} is {status}: it cannot become {target}",
                              "发布 {id} 当前为{status}，不能改为{target}"),
    "release.approve_first_hint": ("the client's reviewer approves it first: `launchpad release approve {id} --by "
                                   "NAME` (after `launchpad release report` attached the test report)",
                                   "请先由甲方审核人批准：`launchpad release approve {id} --by 姓名`"
                                   "（在 `launchpad release report` 附上测试报告之后）"),
    "release.can_become_hint": ("from {status} it can become: {allowed}", "{status}的发布可以改为：{allowed}"),
    "release.finished_hint": ("it is finished; record a new release for another attempt",
                              "该发布已结束；如需再次发布，请新建一条发布记录"),
    "release.no_test_report": ("release {id} has no test report the reviewer could have read (none attached, or its "
                               "file changed since)",
                               "发布 {id} 没有审核人能看到的测试报告（未附报告，或报告文件此后被改动过）"),
    "release.attach_report_hint": ("attach the test report of a passed test run first: `launchpad release report "
                                   "{id} --run N`, then the client's reviewer approves it",
                                   "请先附上通过的测试运行的测试报告：`launchpad release report {id} --run 编号`，"
                                   "再由甲方审核人批准"),
    "release.report_not_passed": ("release {id}'s test report rests on run {run}, which is {status}: a reviewer "
                                  "cannot approve a release on a test that did not pass",
                                  "发布 {id} 的测试报告基于运行 {run}，其结果为“{status}”："
                                  "测试未通过，不能据此批准发布"),
    "release.report_other_version": ("release {id}'s test report rests on run {run}, which tested version "
                                     "{tested}, not {version}",
                                     "发布 {id} 的测试报告基于运行 {run}，测试的是版本 {tested}，不是 {version}"),
    "release.issue_already": ("already {status}", "已是“{status}”"),
    "release.notice_misfit": ("release {id} ({version}) is {status}: a '{kind}' notice does not fit it",
                              "发布 {id}（{version}）当前为{status}，不能发“{kind}”通知"),
    "release.notice_kind_hint": ("the notice that fits it: `launchpad release notice {id} --kind {kind}`",
                                 "与之相符的通知：`launchpad release notice {id} --kind {kind}`"),
    "release.notice_none_hint": ("no notice fits a release that is {status}: before (not out yet), done "
                                 "(released), rolled-back (rolled back)",
                                 "{status}的发布没有相符的通知：before（尚未发布完成）、done（已发布）、"
                                 "rolled-back（已回退）"),
    "release.var_bad_version": ("the version this release_approved step names comes from variable {name}: {problem}",
                                "这个 release_approved 步骤的版本号来自变量 {name}：{problem}"),
    "release.var_bad_version_hint": ("give the version as the release record names it, e.g. --var version=2.3.1; "
                                     "the run did not start",
                                     "请按发布记录中的版本号给出，例如 --var version=2.3.1；运行没有开始"),
}
