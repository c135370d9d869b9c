"""Why the system refused a file or a connection, by the error's number (errno), in words a
field engineer reads in their own language: read by launchpad/oserrors.os_reason. Each
(English, 中文), without placeholders but for OpenSSL's own words as the detail of a TLS
failure it has no entry for: the sentence around it names the file or the address."""

from __future__ import annotations

# key: (English, 中文)
ENTRIES: dict[str, tuple[str, str]] = {
    "os.no_such_file": ("no such file or folder", "文件或目录不存在"),
    "os.no_permission": ("permission denied", "没有权限"),
    "os.disk_full": ("no space left on the disk", "磁盘空间已满"),
    "os.quota": ("disk quota exceeded", "超出磁盘配额"),
    "os.is_folder": ("it is a folder, not a file", "这是目录，不是文件"),
    "os.not_folder": ("a part of the path is a file, not a folder", "路径中有一级是文件，不是目录"),
    "os.read_only": ("the file system is read-only", "文件系统是只读的"),
    "os.exists": ("it already exists", "已经存在"),
    "os.name_too_long": ("the name is too long", "名称过长"),
    "os.too_many_open": ("too many open files", "打开的文件过多"),
    "os.link_loop": ("too many levels of symbolic links (a link loop?)", "符号链接层级过多（可能是循环链接）"),
    "os.io_error": ("input/output error: the disk or its connection failed",
                    "输入/输出错误：磁盘或其连接出了故障"),
    "os.timed_out": ("connection timed out", "连接超时"),
    "os.refused": ("connection refused: nothing listens on that port", "连接被拒绝：该端口上没有服务在监听"),
    "os.host_unreachable": ("no route to the host", "没有到达该主机的路由"),
    "os.network_unreachable": ("the network is unreachable", "网络不可达"),
    # socket.gaierror: the name of a host could not be turned into an address
    "os.unknown_name": ("no such name: neither DNS nor /etc/hosts knows it",
                        "没有这个名称：DNS 和 /etc/hosts 中都查不到"),
    "os.dns_no_answer": ("no DNS server answered", "DNS 服务器没有应答"),
    "os.name_unresolved": ("the name could not be resolved", "名称无法解析"),
    # ssl.SSLError: TLS, said by what went wrong with the certificate or the handshake
    "os.tls_expired": ("TLS certificate problem: it has expired (or this computer's clock is wrong)",
                       "TLS 证书问题：证书已过期（或本机时钟不对）"),
    "os.tls_not_yet_valid": ("TLS certificate problem: it is not valid yet (or this computer's clock is wrong)",
                             "TLS 证书问题：证书尚未生效（或本机时钟不对）"),
    "os.tls_self_signed": ("TLS certificate problem: it is self-signed, and this computer does not trust it",
                           "TLS 证书问题：证书是自签名的，本机不信任它"),
    "os.tls_untrusted": ("TLS certificate problem: it is signed by a CA this computer does not trust",
                         "TLS 证书问题：签发证书的 CA 不受本机信任"),
    "os.tls_wrong_name": ("TLS certificate problem: it is issued for another name than this address",
                          "TLS 证书问题：证书签发给的名称与该地址不符"),
    "os.tls_certificate": ("TLS certificate problem: {detail}", "TLS 证书问题：{detail}"),
    "os.tls_not_tls": ("the other side does not speak TLS on that port", "对方在该端口上不使用 TLS"),
    "os.tls_closed": ("the other side closed the connection during TLS", "对方在 TLS 连接过程中关闭了连接"),
    "os.tls_no_certificate": ("no certificate can be read from it: a PEM file is expected",
                              "无法从中读取证书：应为 PEM 格式的文件"),
    "os.tls_failed": ("TLS failed: {detail}", "TLS 失败：{detail}"),
}
