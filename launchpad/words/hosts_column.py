"""What a host's own row says when it fails: the health probe's answers, a host whose key was
not read, a host a cancelled fan-out never started, and launchpad's own failure on one host.
Each (English, 中文) with the same placeholders."""

from __future__ import annotations

# key: (English, 中文)
ENTRIES: dict[str, tuple[str, str]] = {
    # hosts/hostcheck.py: the probe ran, but its answer cannot be read
    "hostcheck.unexpected_output": ("unexpected probe output: {output!r}", "探测命令的输出无法识别：“{output}”"),
    "hostcheck.probe_exited": ("probe exited {code}: {stderr}", "探测命令退出码 {code}：{stderr}"),
    "hostcheck.probe_hint": ("the host needs /proc, df, awk and date; run the probe by hand to see why",
                             "主机需要 /proc、df、awk 和 date；请手动执行探测命令查看原因"),
    # hosts/connect.py: a scan that neither read a key nor said why
    "hosttrust.no_key_read": ("no key was read", "没有读到主机密钥"),
    # hosts/pool.py
    "pool.not_started": ("not started, the run was cancelled", "未开始：运行已取消"),
    "pool.unexpected": ("launchpad failed unexpectedly: {error}", "launchpad 意外出错：{error}"),
    "pool.unexpected_hint": ("this is a launchpad bug; please report it with the log",
                             "这是 launchpad 的缺陷；请连同日志一起报告"),
}
