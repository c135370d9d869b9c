"""Configuration formats read into dotted keys, and secrets kept out of what is shown."""

from __future__ import annotations

import pytest

from launchpad.configdiff.formats import ConfigSyntaxError, decode, format_for, parse_config
from launchpad.configdiff.masking import Masker, is_secret_key, redact_inline


def syntax_error(text: str, fmt: str) -> ConfigSyntaxError:
    with pytest.raises(ConfigSyntaxError) as caught:
        parse_config(text, fmt)  # type: ignore[arg-type]
    return caught.value


def test_properties_as_java_reads_them() -> None:
    text = (
        "# comment\n"
        "! also a comment\n"
        "server.port = 8080\n"
        "spring.application.name:网关\n"
        "key\\ with\\ space\\=and\\:colon = v\n"
        "greeting hello world\n"
        "multi = first, \\\n"
        "        second, \\\n"
        "   # not a comment, a continuation\n"
        "escaped = tab\\there\\nline \\u4e2d\\u6587 back\\\\slash\n"
        "ends.with.backslash = C:\\\\\n"
        "empty =\n"
        "   indented.key=1\n"
        "server.port=9090\n"
    )
    keys = parse_config(text, "properties")
    assert keys == {
        "server.port": "9090",  # repeated: the later one wins, as java.util.Properties does
        "spring.application.name": "网关",
        "key with space=and:colon": "v",
        "greeting": "hello world",
        "multi": "first, second, # not a comment, a continuation",
        "escaped": "tab\there\nline 中文 back\\slash",
        "ends.with.backslash": "C:\\",
        "empty": "",
        "indented.key": "1",
    }


def test_properties_bad_unicode_escape_names_its_line() -> None:
    error = syntax_error("a=1\nb=\\u12G4\n", "properties")
    assert error.line == 2 and "\\u12G4" in error.reason


def test_env_files() -> None:
    text = (
        "# settings\n"
        "export APP_ENV=prod\n"
        "DB_URL = jdbc:mysql://db/app   # inline comment\n"
        "QUOTED=\"a \\\"b\\\" #notcomment\\n\"\n"
        "SINGLE='raw \\n $HOME'\n"
        "MULTI=\"line1\n"
        "line2\"\n"
        "EMPTY=\n"
        "HASH=abc#def\n"
    )
    assert parse_config(text, "env") == {
        "APP_ENV": "prod",
        "DB_URL": "jdbc:mysql://db/app",
        "QUOTED": 'a "b" #notcomment\n',
        "SINGLE": "raw \\n $HOME",
        "MULTI": "line1\nline2",
        "EMPTY": "",
        "HASH": "abc#def",
    }


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("A=1\njust words\n", 2, "KEY=VALUE"),
        ("A=1\n\n1BAD=2\n", 3, "not a variable name"),
        ("A=1\nB=\"open\nstill open\n", 2, "never closed"),
        ("A='x' y\n", 1, "after the closing quote"),
    ],
)
def test_env_mistakes_name_their_line(text: str, line: int, words: str) -> None:
    error = syntax_error(text, "env")
    assert error.line == line and words in error.reason


def test_yaml_flattened_to_spring_keys_with_text_as_written() -> None:
    text = (
        "spring:\n"
        "  datasource:\n"
        "    url: jdbc:mysql://db/app\n"
        "    pool: {max: 010}\n"
        "  profiles: [a, b]\n"
        "defaults: &d {timeout: 30}\n"
        "client:\n"
        "  <<: *d\n"
        "  name: ~\n"
        "  quoted: \"8080\"\n"
        "  empty: []\n"
    )
    assert parse_config(text, "yaml") == {
        "spring.datasource.url": "jdbc:mysql://db/app",
        "spring.datasource.pool.max": "010",
        "spring.profiles[0]": "a",
        "spring.profiles[1]": "b",
        "defaults.timeout": "30",
        "client.timeout": "30",
        "client.name": "",
        "client.quoted": "8080",
        "client.empty": "",
    }


def test_yaml_documents_keep_their_own_keys() -> None:
    keys = parse_config("server: {port: 1}\n---\nserver: {port: 2}\n", "yaml")
    assert keys == {"---1.server.port": "1", "---2.server.port": "2"}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a:\n  b: 1\n  b: 2\n", 3, "duplicate key 'b'"),
        ("a: [1\nb: 2\n", 2, "YAML"),
        ("a.b: 1\na:\n  b: 2\n", 3, "given twice"),
        ("a: &x [*x]\n", 1, "alias"),
    ],
)
def test_yaml_mistakes_name_their_line(text: str, line: int, words: str) -> None:
    error = syntax_error(text, "yaml")
    assert error.line == line and words in error.reason


def test_json_flattened_with_numbers_as_written() -> None:
    text = '{"a": {"b": 1.50, "c": null, "d": [true, {"e": "中"}]}, "f": {}}'
    assert parse_config(text, "json") == {"a.b": "1.50", "a.c": "", "a.d[0]": "true", "a.d[1].e": "中", "f": ""}


def test_json_mistakes_name_their_line() -> None:
    assert syntax_error('{\n"a": 1,\n}', "json").line == 3
    duplicate = syntax_error('{\n"a": 1,\n"a": 2\n}', "json")
    assert duplicate.line == 3 and "duplicate key 'a'" in duplicate.reason
    assert "NaN" in syntax_error('{"a": NaN}', "json").reason


def test_ini_sections_keep_case_and_compare_raw() -> None:
    text = "[DEFAULT]\nbase = /opt\n[mysqld]\nPort = 3306\npath = %(base)s/data\nskip-name-resolve\n"
    assert parse_config(text, "ini") == {
        "DEFAULT.base": "/opt", "mysqld.Port": "3306", "mysqld.path": "%(base)s/data", "mysqld.skip-name-resolve": "",
    }


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a = 1\n", 1, "[section]"),
        ("[s]\na = 1\na = 2\n", 3, "duplicate option 'a'"),
        ("[s]\na = 1\n[s]\n", 3, "duplicate section"),
    ],
)
def test_ini_mistakes_name_their_line(text: str, line: int, words: str) -> None:
    error = syntax_error(text, "ini")
    assert error.line == line and words in error.reason


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("/opt/app/application.properties", "properties"),
        ("app.YML", "yaml"),
        ("conf/app.yaml", "yaml"),
        ("a.json", "json"),
        ("my.ini", "ini"),
        ("setup.cfg", "ini"),
        ("/srv/.env", "env"),
        ("/srv/.env.production", "env"),
        ("prod.env", "env"),
        ("/etc/nginx/nginx.conf", None),
    ],
)
def test_format_from_the_name(path: str, fmt: str | None) -> None:
    assert format_for(path) == fmt


def test_gbk_files_decode_and_utf8_bom_is_dropped() -> None:
    assert decode("名称=网关".encode("gbk")) == "名称=网关"
    assert decode("\ufeffa=1".encode()) == "a=1"


def test_only_line_breaks_end_a_line_whatever_the_encoding() -> None:
    # A Windows-1252 comment with an ellipsis (byte 0x85, NEL once decoded) and a form feed are
    # inside their lines, as java.util.Properties and shells read them; the lines still count.
    data = "# wait\u2026 then restart\nserver.port=8080\n\fname=a\n".encode("cp1252")
    assert parse_config(decode(data), "properties") == {"server.port": "8080", "name": "a"}
    assert parse_config(decode(data.replace(b"server.port", b"PORT")), "env") == {"PORT": "8080", "name": "a"}
    error = syntax_error("# a\x85b\na=1\nb=\\u12G4\n", "properties")
    assert error.line == 3


@pytest.mark.parametrize(
    "key",
    ["spring.datasource.password", "DB_PASSWORD", "appSecret", "ACCESS_KEY", "api.key", "apikey",
     "jwt.token", "oauth.client-credentials", "ssl.private-key", "redis.passwd", "mail.pwd"],
)
def test_secret_looking_keys(key: str) -> None:
    assert is_secret_key(key)


@pytest.mark.parametrize("key", ["server.port", "spring.datasource.url", "group.gateway.url", "keystore.type"])
def test_ordinary_keys(key: str) -> None:
    assert not is_secret_key(key)


def test_passwords_inside_urls_are_cut_out() -> None:
    assert redact_inline("jdbc:mysql://app:S3cret@db:3306/app") == "jdbc:mysql://app:***@db:3306/app"
    assert redact_inline("jdbc:mysql://db/app?user=app&password=S3cret&ssl=true") == (
        "jdbc:mysql://db/app?user=app&password=***&ssl=true")
    assert redact_inline("http://group.example.cn/api?id=7") == "http://group.example.cn/api?id=7"


def test_masked_values_show_tags_equal_for_equal_values_only() -> None:
    masker = Masker()
    one, secret = masker.shown("db.password", "CANARY-1")
    assert secret and one.startswith("#") and "CANARY" not in one
    assert masker.shown("db.password", "CANARY-1")[0] == one
    assert masker.shown("db.password", "CANARY-2")[0] != one
    # A new comparison, a new key: a tag cannot be matched against another report's.
    assert Masker().shown("db.password", "CANARY-1")[0] != one
    url_a, _ = masker.shown("db.url", "jdbc:mysql://u:CANARY-a@db/x")
    url_b, _ = masker.shown("db.url", "jdbc:mysql://u:CANARY-b@db/x")
    assert "CANARY" not in url_a + url_b and url_a != url_b
    assert masker.shown("server.port", "8080") == ("8080", False)
