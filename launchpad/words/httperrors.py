"""Why an HTTP request failed, in words a field engineer reads in their own language: read by
launchpad/httperrors.http_reason. Each (English, 中文): the sentence around it names the address;
a refused connection, a name DNS does not know and a TLS certificate problem are os_reason's
words (words/oserrors.py)."""

from __future__ import annotations

# key: (English, 中文)
ENTRIES: dict[str, tuple[str, str]] = {
    "httperr.connect_timeout": ("timed out connecting: nothing answered at that address in time",
                                "连接超时：该地址在限定时间内没有应答"),
    "httperr.read_timeout": ("timed out waiting for the answer: the server took the request but did not answer in "
                             "time", "等待应答超时：服务器收下了请求，但没有按时应答"),
    "httperr.write_timeout": ("timed out sending the request", "发送请求超时"),
    "httperr.pool_timeout": ("timed out waiting for a free connection", "等待空闲连接超时"),
    "httperr.timeout": ("timed out", "超时"),
    "httperr.too_many_redirects": ("too many redirects (a redirect loop?)", "重定向次数过多（可能是循环重定向）"),
    "httperr.invalid_url": ("not a valid http:// or https:// address", "不是有效的 http:// 或 https:// 地址"),
    "httperr.undecodable": ("the answer's content could not be decoded", "应答内容无法解码"),
    "httperr.closed": ("the server closed the connection before it answered",
                       "服务器在应答前关闭了连接"),
    "httperr.not_http": ("the server's answer is not valid HTTP: {detail}", "服务器的应答不是有效的 HTTP：{detail}"),
}
