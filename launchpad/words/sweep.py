"""The last refusals of the user import, the demo, the engine, the workspace, the config diff,
the baseline, the notices and the go-live checklist, and the names of the secrets launchpad asks
for: each message and hint, (English, 中文) with the same placeholders."""

from __future__ import annotations

# key: (English, 中文)
ENTRIES: dict[str, tuple[str, str]] = {
    "mail.draft_not_written": ("cannot write the mail draft {path}: {reason}; the message stays in the outbox",
                               "无法写入邮件草稿 {path}：{reason}；该消息仍留在发件箱中"),
    "mail.draft_not_written_hint": ("free some space or fix the folder's permissions, then draft it again "
                                    "(`launchpad report outbox`)",
                                    "请腾出磁盘空间或修正文件夹权限后重新生成草稿（`launchpad report outbox`）"),
    "error.draft_not_written": ("draft not written", "草稿未写入"),
    "sweep.none": ("none", "无"),
    # the names of secrets, as the prompt asking for one and the refusal without one say them
    "secret.database": ("database {database} ({env})", "{env} 的数据库 {database}"),
    "secret.password_of": ("the password of {name}", "{name} 的密码"),
    "secret.database_password": ("the password of database {name} ({env})", "{env} 的数据库 {name} 的密码"),
    "secret.api_token": ("the token of {url}", "{url} 的令牌"),
    "secret.channel_password": ("channel {channel} password", "渠道 {channel} 的密码"),
    "secret.channel_webhook": ("channel {channel} webhook", "渠道 {channel} 的 webhook 地址"),
    "secret.channel_secret": ("channel {channel} secret", "渠道 {channel} 的签名密钥"),
    "secret.not_given": ("{label} is set to prompt, and no value was given; nothing was done",
                         "{label} 设为运行时输入（prompt），但没有输入任何值；什么都没有做"),
    "secret.not_given_hint": ("start again and type the password", "请重新开始并输入密码"),
    # users/apply.py
    "users.handout_lost": ("import {id} was applied, but its hand-out could not be written ({error}); the new "
                           "users' initial passwords are still kept, owner-only, in {folder}",
                           "导入 {id} 已写入，但无法写出发放单（{error}）；"
                           "新用户的初始密码仍保存在 {folder}（仅本人可读）"),
    "users.handout_lost_hint": ("make room, then `launchpad users handout {id}` writes the hand-out from them: "
                                "no password needs a reset",
                                "腾出空间后运行 `launchpad users handout {id}`，由保存的密码写出发放单，无需重置密码"),
    "users.import_stopped": ("import {id} stopped after {done} of {total} row(s); what was written stays",
                             "导入 {id} 在 {total} 行中写完 {done} 行后停止；已写入的内容保留"),
    "users.import_stopped_hint": ("run the same import again to continue it, or roll it back",
                                  "再次运行同一导入即可继续，或将其回滚"),
    "users.handout_folder": ("the hand-out folder {folder} cannot be written: {error}; nothing was imported",
                             "无法写入发放单文件夹 {folder}：{error}；什么都没有导入"),
    "users.handout_folder_hint": ("make the workspace writable and run the import again",
                                  "请让工作区可写，然后再次运行导入"),
    "users.batch_raced": ("batch {batch} of import {id}: some of its users were added to {env} after the plan "
                          "was made; nothing of this batch was written",
                          "导入 {id} 的第 {batch} 批：制定计划之后，{env} 中又新增了其中的部分用户；"
                          "这一批什么都没有写入"),
    "users.batch_raced_hint": ("run the same import again: it plans afresh and continues import {id}",
                               "请再次运行同一导入：它会重新制定计划并继续导入 {id}"),
    "users.unfinished_other": ("import {id} of {file} into {env} was interrupted; finish it before importing "
                               "another file", "导入 {id}（{file} 写入 {env}）曾中断；请先完成它，再导入其他文件"),
    "users.unfinished_other_hint": ("run the same import again to finish it, or `launchpad users rollback {id}`, "
                                    "or give it up with `launchpad users abandon {id}`",
                                    "请再次运行同一导入以完成它，或运行 `launchpad users rollback {id}`，"
                                    "或运行 `launchpad users abandon {id}` 放弃它"),
    # users/abandon.py: an unfinished import given up, its pending passwords discarded
    "users.abandon_not_confirmed": ("import {id} not abandoned: nobody confirmed it",
                                    "导入 {id} 未放弃：未经确认"),
    "users.abandon_not_confirmed_hint": ("type the import's id at a terminal, or give --yes without one: "
                                         "launchpad users abandon {id} --yes",
                                         "请在终端输入导入编号确认；没有终端时加 --yes："
                                         "launchpad users abandon {id} --yes"),
    "users.abandon_typed_wrong": ("typed {typed!r}, not {id}: nothing was discarded",
                                  "输入的是“{typed}”，不是“{id}”：未删除任何内容"),
    "users.abandon_typed_wrong_hint": ("to abandon import {id}, type {id} when asked to confirm",
                                       "要放弃导入 {id}，确认时请输入 {id}"),
    "users.abandon_not_unfinished": ("import {id} is {status}: only an unfinished import can be abandoned",
                                     "导入 {id} {status}：只有未完成的导入可以放弃"),
    "users.abandon_not_unfinished_hint": ("an import that went in is undone with launchpad users rollback {id}; "
                                          "its hand-outs are deleted with launchpad users handout {id} --remove",
                                          "已导入的用 launchpad users rollback {id} 回滚；"
                                          "发放单用 launchpad users handout {id} --remove 删除"),
    # users/handout_removal.py: an unfinished import's folder keeps what its resume needs
    "users.handout_remove_unfinished": ("import {id} did not finish ({count} plain initial password(s) kept for its "
                                        "resume): its hand-outs are not removed, nothing was deleted",
                                        "导入 {id} 未完成（为继续导入暂存了 {count} 个初始密码明文）："
                                        "不删除它的发放单，未删除任何内容"),
    "users.handout_remove_unfinished_hint": ("finish it (run the same import again), roll it back (launchpad users "
                                             "rollback {id}) or give it up and discard the kept passwords (launchpad "
                                             "users abandon {id}); then its hand-outs can be removed",
                                             "请先完成它（再次运行同一导入）、回滚（launchpad users rollback {id}），"
                                             "或放弃并删除暂存的密码（launchpad users abandon {id}）；"
                                             "之后才能删除发放单"),
    # users/handout_removal.py: an applied import whose hand-out was never written (a full disk)
    "users.handout_remove_owed": ("the hand-out of import {id} was never written: its kept file holds the only copy of "
                                  "{count} new user(s)' initial password(s), so nothing was deleted",
                                  "导入 {id} 的发放单从未写出：暂存文件中是 {count} 个新用户初始密码的唯一副本，"
                                  "未删除任何内容"),
    "users.handout_remove_owed_hint": ("write the hand-out first (launchpad users handout {id}) and hand it out; "
                                       "then its hand-outs can be removed",
                                       "请先写出发放单（launchpad users handout {id}）并发放；之后才能删除发放单"),
    "users.import_abandoned": ("import {id} of {file} into {env} was abandoned (its pending passwords discarded): "
                               "it cannot be resumed",
                               "导入 {id}（{file} 写入 {env}）已放弃（暂存的初始密码已删除）：不能再继续"),
    "users.import_abandoned_hint": ("roll it back first (launchpad users rollback {id}), then import the file again; "
                                    "or give the users it wrote new passwords: "
                                    "launchpad users handout {id} --reset LOGIN",
                                    "请先回滚（launchpad users rollback {id}），再重新导入该文件；"
                                    "或为它已写入的用户重新生成密码：launchpad users handout {id} --reset 登录名"),
    # users/checks.py, users/sources.py, users/dbsource.py
    "users.no_sheet_named": ("{path}: no sheet named {sheet!r} (sheets: {sheets})",
                             "{path}：没有名为“{sheet}”的工作表（现有工作表：{sheets}）"),
    "users.no_sheet_named_hint": ("correct `sheets:` in the mapping", "请改正映射中的 `sheets:`"),
    "users.no_column": ("sheet {sheet!r}: no column for the required field(s) {wanted}; headers that matched "
                        "nothing: {spare}",
                        "工作表“{sheet}”：必填字段 {wanted} 没有对应的列；未匹配任何字段的表头：{spare}"),
    "users.unfit_hint": ("add the sheet's header to the field's headers: in the mapping, or correct the header "
                         "in the sheet", "请把工作表的表头加到映射中该字段的 headers:，或改正工作表中的表头"),
    "users.unfit_or_sheets_hint": ("add the sheet's header to the field's headers: in the mapping, or correct "
                                   "the header in the sheet; if sheet(s) {unfit} hold no users (a summary, notes), "
                                   "name the sheets to read in the mapping: sheets: [{sheets}]",
                                   "请把工作表的表头加到映射中该字段的 headers:，或改正工作表中的表头；"
                                   "如果工作表“{unfit}”中没有人员（汇总、说明），请在映射中写明要读取的工作表："
                                   "sheets: [{sheets}]"),
    "users.bad_bom": ("{path}: starts like {encoding} but byte {byte} is not",
                      "{path}：开头像 {encoding} 编码，但第 {byte} 个字节不是"),
    "users.bad_bom_hint": ("save it again as CSV UTF-8", "请重新另存为 CSV UTF-8"),
    "users.no_encoding": ("{path}: not text in any encoding launchpad recognises",
                          "{path}：不是 launchpad 认识的任何一种编码的文本"),
    "users.mixed_encodings": ("{path}: line(s) {lines} are {encoding} text and the rest of the file is {rest}: "
                              "two encodings in one file (lines pasted from another file, or two files joined)",
                              "{path}：第 {lines} 行是 {encoding} 文本，文件其余部分是 {rest}：一个文件里混有两种编码"
                              "（从另一个文件粘贴的行，或两个文件拼接而成）"),
    "users.mixed_encodings_hint": ("retype those lines, or open the file they came from in Excel or WPS and save "
                                   "both as \"CSV UTF-8\" before joining them",
                                   "请重新录入这几行，或将它们来自的文件用 Excel 或 WPS 打开，"
                                   "两个文件都另存为“CSV UTF-8”后再合并"),
    "users.stray_byte": ("{path}: line {line}: byte {byte} is not {encoding} text, which the rest of the file is",
                         "{path}：第 {line} 行：字节 {byte} 不是 {encoding} 文本，而文件其余部分是"),
    "users.stray_byte_hint": ("open it in Excel or WPS, check that line, and save it as \"CSV UTF-8\"",
                              "请用 Excel 或 WPS 打开，检查该行，并另存为“CSV UTF-8”"),
    "users.not_in_given_encoding": ("{path} does not decode as {encoding} (the mapping's encoding:): line {line}, "
                                    "byte {byte} at offset {offset}",
                                    "{path} 无法按 {encoding}（映射的 encoding:）解码：第 {line} 行，偏移 {offset} "
                                    "处的字节 {byte}"),
    "users.given_encoding_detected_hint": ("it reads as {detected} when detected: remove encoding: from the mapping, "
                                           "or write encoding: {name}",
                                           "不指定编码时自动识别为 {detected}：请删除映射中的 encoding:，"
                                           "或改为 encoding: {name}"),
    "users.given_encoding_detected_at_hint": ("it reads as {detected} when detected: remove encoding: at {at}, "
                                              "or write encoding: {name} there",
                                              "不指定编码时自动识别为 {detected}：请删除 {at} 处的 encoding:，"
                                              "或在该处改为 encoding: {name}"),
    "users.given_encoding_at_hint": ("remove encoding: at {at} to have the encoding detected, or give there the one "
                                     "the file was saved in (gb18030 for GBK, big5, utf-8, utf-16)",
                                     "请删除 {at} 处的 encoding: 以自动识别编码，或在该处改为文件保存时的编码"
                                     "（GBK 写 gb18030，以及 big5、utf-8、utf-16）"),
    "users.given_encoding_hint": ("remove encoding: from the mapping to have the encoding detected, or give the one "
                                  "the file was saved in (gb18030 for GBK, big5, utf-8, utf-16)",
                                  "请删除映射中的 encoding: 以自动识别编码，或改为文件保存时的编码"
                                  "（GBK 写 gb18030，以及 big5、utf-8、utf-16）"),
    "users.binary_csv": ("{path} holds binary data, not CSV text", "{path} 含有二进制数据，不是 CSV 文本"),
    "users.excel_name_hint": ("if it is an Excel file, give it its .xlsx or .xls name",
                              "如果它是 Excel 文件，请给它 .xlsx 或 .xls 扩展名"),
    "users.open_quote": ("{path}: line {line}: a quote opens a cell that is never closed, so the rest of the file "
                         "would be one cell",
                         "{path}：第 {line} 行：引号开始的单元格没有结束，文件的其余部分会变成一个单元格"),
    "users.open_quote_hint": ("remove the stray quote (\") at the start of a cell on that line, or save the sheet "
                              "from Excel again", "请删除该行某个单元格开头多余的引号（\"），或用 Excel 重新另存"),
    "users.bad_csv": ("{path}: not valid CSV ({error})", "{path}：不是有效的 CSV（{error}）"),
    "users.source_said": ("{name}: {message}", "{name}：{message}"),
    "users.source_query_hint": ("correct source.query in the mapping (one SELECT; values as :name placeholders "
                                "with source.params)",
                                "请改正映射中的 source.query（一条 SELECT；值用 :name 占位符，写在 source.params 中）"),
    # users/passwords.py, users/plan.py, users/profile.py, users/reset.py
    "users.rule_field_missing": ("the password rule uses {fields}, which user {user} lacks; nothing was written",
                                 "密码规则用到了 {fields}，但用户 {user} 没有；什么都没有写入"),
    "users.rule_field_missing_hint": ("fill it in the sheet, or use random passwords",
                                      "请在表格中填上，或改用随机密码"),
    "users.rule_same_password": ("the password rule gives {other} and {user} the same password; nothing was written",
                                 "密码规则给 {other} 和 {user} 生成了相同的密码；什么都没有写入"),
    "users.rule_same_password_hint": ("use a rule on a field no two users share, or random passwords",
                                      "请改用基于各用户互不相同的字段的规则，或改用随机密码"),
    "users.roles_missing": ("role key(s) {missing} of the mapping are not in sys_role of {where} (it has {roles})",
                            "映射中的角色标识 {missing} 不在 {where} 的 sys_role 中（现有：{roles}）"),
    "users.roles_missing_hint": ("correct roles: in the mapping, or create the roles in the target first",
                                 "请改正映射中的 roles:，或先在目标系统中创建这些角色"),
    "users.profile_other_name": ("{file} describes target {inner!r}, not {name!r}",
                                 "{file} 描述的是目标系统“{inner}”，不是“{name}”"),
    "users.profile_other_name_hint": ("the file's name and its name: must agree", "文件名与其中的 name: 必须一致"),
    "users.reset_unsafe": ("target {name} says neither when a password was changed nor how a new one is forced, "
                           "so a password someone chose could be replaced; nothing was reset",
                           "目标系统 {name} 既没有说明何时改过密码，也没有说明如何强制设置新密码，"
                           "因此可能覆盖别人自己设的密码；什么都没有重置"),
    "users.reset_unsafe_hint": ("add password: {{changed_at: COLUMN}} or {{force_change: {{COLUMN: VALUE}}}} "
                                "to its profile",
                                "请在它的描述中加上 password: {{changed_at: 列名}} 或 "
                                "{{force_change: {{列名: 值}}}}"),
    # users/role_rules.py, users/staged.py, users/target.py
    "users.no_rules_file": ("no rules file {file}", "没有规则文件 {file}"),
    "users.no_rules_file_hint": ("a relative path is read from the current folder, {cwd}, or the workspace, {root}; "
                                 "without --rules, {default} is read",
                                 "相对路径从当前目录 {cwd} 或工作区 {root} 算起；不给 --rules 时读取 {default}"),
    "users.no_rules_here": ("no {file} in the workspace", "工作区中没有 {file}"),
    "users.no_rules_here_hint": ("write the rules there, or pass --rules FILE",
                                 "请把规则写在那里，或用 --rules 文件 指定"),
    "users.rules_fix_hint": ("correct the rules to the target's role keys, unit paths and posts "
                             "(`launchpad roles preview` checks them again)",
                             "请按目标系统的角色标识、部门路径和岗位改正规则（`launchpad roles preview` 会再次检查）"),
    "users.databases_many": ("environment {env} has {count} databases ({names})",
                             "环境 {env} 有 {count} 个数据库（{names}）"),
    "users.databases_many_hint": ("name one with `database:` in the mapping file",
                                  "请在映射文件中用 `database:` 指定其中一个"),
    "users.no_database": ("environment {env} has no database {name!r} ({names})",
                          "环境 {env} 没有数据库“{name}”（{names}）"),
    "users.no_database_hint": ("correct `database:` in the mapping file or the environment's databases: in site.yaml",
                               "请改正映射文件中的 `database:`，或 site.yaml 中该环境的 databases:"),
    # the same, where the database is named by a command's --database, the role rules or a step
    "users.databases_many_hint_option": ("name one with --database: {names}", "请用 --database 指定其中一个：{names}"),
    "users.no_database_hint_option": ("give --database one of {env}'s databases: {names}",
                                      "请用 --database 指定 {env} 的数据库之一：{names}"),
    "users.databases_many_hint_rules": ("name one with `database:` in the rules file: {names}",
                                        "请在规则文件中用 `database:` 指定其中一个：{names}"),
    "users.no_database_hint_rules": ("correct `database:` in the rules file to one of {env}'s databases: {names}",
                                     "请把规则文件中的 `database:` 改为 {env} 的数据库之一：{names}"),
    "users.databases_many_hint_step": ("name one with the step's `database:`: {names}",
                                       "请在该步骤中用 `database:` 指定其中一个：{names}"),
    "users.no_database_hint_step": ("correct the step's `database:` to one of {env}'s databases: {names}",
                                    "请把该步骤的 `database:` 改为 {env} 的数据库之一：{names}"),
    "users.engine_unsupported": ("database {name!r} of {env} is {engine}; user import supports {supported}",
                                 "{env} 的数据库“{name}”是 {engine}；用户导入支持 {supported}"),
    "users.bulk_load_failed": ("{shell}: the bulk load failed: {error}", "{shell}：批量装载失败：{error}"),
    "users.bulk_load_failed_hint": ("nothing of this batch was written; fix and re-run: rows already written are "
                                    "recognised", "这一批什么都没有写入；请修正后重新运行：已写入的行会被识别"),
    # backup/restore.py
    "backup.changed_after_verify": ("backup {id} changed after it was verified ({problem}); its end was never sent, "
                                    "so {target} was not restored from it",
                                    "备份 {id} 在校验之后被改动（{problem}）；它的末尾从未发送，"
                                    "所以 {target} 没有用它恢复"),
    "backup.changed_after_verify_hint": ("find out who changed the backups folder, then verify the backup again",
                                         "请查明是谁改动了备份文件夹，然后重新校验这个备份"),
    # baseline/
    "baseline.report_suffix": ("{file}: a report is .md, .html or .xlsx", "{file}：报告只能是 .md、.html 或 .xlsx"),
    "baseline.report_suffix_hint": ("name the file with one of these", "请用其中一种扩展名命名文件"),
    "baseline.key_twice_hint": ("a natural key names one item; remove or rename the second",
                                "一个自然键只对应一项；请删除第二项或给它改名"),
    "baseline.key_twice_remove_hint": ("a natural key names one item; remove the second",
                                       "一个自然键只对应一项；请删除第二项"),
    "baseline.fix_cells_hint": ("fix the cells named above", "请改正上面列出的单元格"),
    "users.rule_no_role": ("rule {rule!r}: the target has no role {role!r} ({known})",
                           "规则“{rule}”：目标系统没有角色“{role}”（现有：{known}）"),
    "users.rule_no_unit": ("rule {rule!r}: no unit of the target matches {pattern!r}",
                           "规则“{rule}”：目标系统没有与“{pattern}”匹配的部门"),
    "users.rule_no_post": ("rule {rule!r}: the target has no post {post!r} ({known})",
                           "规则“{rule}”：目标系统没有岗位“{post}”（现有：{known}）"),
    "baseline.no_sheet": ("{file}: no sheet {sheet!r} (columns: {columns})",
                          "{file}：没有工作表“{sheet}”（列：{columns}）"),
    "baseline.sheet_row": ("{file}, sheet {sheet}, row {row}", "{file}，工作表 {sheet}，第 {row} 行"),
    "baseline.permissions_of": ("{file}, sheet permissions (role {role})", "{file}，工作表 permissions（角色 {role}）"),
    "baseline.column": ("{place}, column {column} ({field})", "{place}，{column} 列（{field}）"),
    "baseline.problem_at": ("{place}: {message}", "{place}：{message}"),
    "baseline.no_role_for": ("{file}, sheet permissions, row {row}, column A (role): no role {role!r} in sheet roles",
                             "{file}，工作表 permissions，第 {row} 行，A 列（role）：工作表 roles 中没有角色“{role}”"),
    "baseline.no_dictionary_for": ("{file}, sheet items, row {row}, column A (type): no dictionary {type!r} in sheet "
                                   "dictionaries",
                                   "{file}，工作表 items，第 {row} 行，A 列（type）："
                                   "工作表 dictionaries 中没有字典“{type}”"),
    "baseline.unknown_column": ("{file}, sheet {sheet}, row 1, column {column}: unknown column {name!r} "
                                "(known: {known})",
                                "{file}，工作表 {sheet}，第 1 行，{column} 列：未知的列“{name}”（已知：{known}）"),
    "baseline.cell_error": ("{file}, sheet {sheet}, row {row}, column {column} ({name}): {error} is an error Excel "
                            "showed here (a formula's error, or one pasted as a value), not a value; fix the formula "
                            "in the sheet, or type the value",
                            "{file}，工作表 {sheet}，第 {row} 行，{column} 列（{name}）："
                            "{error} 是 Excel 在此显示的错误（公式算出的错误，或按值粘贴的错误），"
                            "不是数据；请在表格中修正公式，或直接填写该值"),
    "baseline.twice": ("{what} {name!r} appears twice", "{what}“{name}”出现了两次"),
    "baseline.role": ("role", "角色"),
    "baseline.dictionary": ("dictionary", "字典"),
    "baseline.item_of": ("item of {type}:", "{type} 的字典项"),
    "baseline.post": ("post", "岗位"),
    "baseline.permission": ("permission", "权限"),
    "config.env_not_in_site": ("environment {env!r} is not in site.yaml", "环境“{env}”不在 site.yaml 中"),
    "config.no_host_in_group": ("{env} has no host in group {group!r}", "{env} 没有属于组“{group}”的主机"),
    "config.no_path_for": ("no path for {env}: add `{env}: /path/to/its/file`",
                           "没有 {env} 的路径：请添加 `{env}: /文件/的/路径`"),
    "config.group_nowhere": ("host group {group!r} is not defined in any environment of site.yaml",
                             "主机组“{group}”在 site.yaml 的任何环境中都没有定义"),
    "roster.gap": ("duty roster: {day} ({weekday}) has {missing}; add a date or weekday entry with a primary and "
                   "a backup", "值班表：{day}（{weekday}）{missing}；请添加一条写明主值班和备岗的日期或星期条目"),
    "roster.nobody": ("no primary and no backup on duty", "既没有主值班，也没有备岗"),
    "roster.no_backup": ("no backup for {name} ({id})", "{name}（{id}）没有备岗"),
    "roster.no_phone": ("contact {id!r} ({name}) is on the duty roster but has no phone",
                        "联系人“{id}”（{name}）在值班表上，但没有电话"),
    # cli/tui.py
    "cli.no_tui": ("the terminal app is not available in this version", "此版本不含终端界面"),
    "cli.no_tui_hint": ("use the commands: launchpad --help (e.g. launchpad run, launchpad runs)",
                        "请使用命令：launchpad --help（例如 launchpad run、launchpad runs）"),
    # configdiff/
    "config.expected_sections": ("expected sections by name (app: {{files: …, expect: …}})",
                                 "应按名称分节（app: {{files: …, expect: …}}）"),
    "config.yaml_error": ("YAML: {error}", "YAML：{error}"),
    "config.json_error": ("JSON: {error}", "JSON：{error}"),
    "config.ini_error": ("INI: {error}", "INI：{error}"),
    # demo/
    "error.demo_web_app": ("demo web app", "演示 Web 应用"),
    "demo.not_a_demo_folder": ("{root} is not empty and is not a launchpad demo; the demo would overwrite its files",
                               "{root} 不是空文件夹，也不是 launchpad 演示；演示会覆盖其中的文件"),
    "demo.not_a_demo_folder_hint": ("choose an empty or new folder with `launchpad demo --dir DIR`",
                                    "请用 `launchpad demo --dir 目录` 选择一个空的或新的文件夹"),
    "demo.no_config": ("{root} is not a launchpad demo (no readable {file})",
                       "{root} 不是 launchpad 演示（没有可读的 {file}）"),
    "demo.no_config_hint": ("build one with `launchpad demo --dir DIR`", "请用 `launchpad demo --dir 目录` 生成一个"),
    "demo.bad_config": ("{path} is not a launchpad demo config", "{path} 不是 launchpad 演示的配置"),
    "demo.bad_config_hint": ("build the demo again with `launchpad demo --dir DIR`",
                             "请用 `launchpad demo --dir 目录` 重新生成演示"),
    "demo.port_busy": ("port {port} (the demo's {env} environment) is in use by another program",
                       "端口 {port}（演示的 {env} 环境）被其他程序占用"),
    "demo.port_busy_hint": ("stop the program listening on 127.0.0.1:{port}, or run `launchpad demo --dir {root}` "
                            "again: rebuilding picks free ports",
                            "请停止监听 127.0.0.1:{port} 的程序，或再次运行 `launchpad demo --dir {root}`："
                            "重新生成时会选用空闲端口"),
    # said after the error's title, "demo web app: " / "演示 Web 应用："
    "demo.webapp_exited": ("exited at start (code {code}): {log}", "启动时就退出了（退出码 {code}）：{log}"),
    "demo.webapp_silent": ("did not answer within {seconds} s", "{seconds} 秒内没有应答"),
    "demo.see_log": ("see {path}", "请查看 {path}"),
    # golive/checklist.py
    "golive.expected_top": ("expected date:, version: and items:", "应包含 date:、version: 和 items:"),
    "valid.proof_kind": ("a proof is {{playbook: NAME, env: ENV}}, {{backup: ENV, max_age: 1d}}, {{import: ENV}}, "
                         "{{release: VERSION}}, {{baseline: ENV}} or {{sign_off: true}}",
                         "证明须为 {{playbook: 名称, env: 环境}}、{{backup: 环境, max_age: 1d}}、{{import: 环境}}、"
                         "{{release: 版本}}、{{baseline: 环境}} 或 {{sign_off: true}} 之一"),
    # issues/pasted_file.py
    "issues.paste_missing": ("{path}: no such file", "{path}：文件不存在"),
    "issues.paste_folder": ("{path} is a folder, not a file", "{path} 是文件夹，不是文件"),
    "issues.paste_where_hint": ("check the file's name and folder; without a file, `launchpad issue paste` reads the "
                                "chat from standard input",
                                "请检查文件名和所在目录；不给文件时，`launchpad issue paste` 从标准输入读取聊天记录"),
    "issues.paste_unreadable": ("cannot read {path}: {reason}", "无法读取 {path}：{reason}"),
    "issues.paste_no_permission": ("no permission to read it", "没有读取权限"),
    "issues.paste_unreadable_hint": ("check the file's permissions (`ls -l`)", "请检查文件的权限（`ls -l`）"),
    "issues.not_chat_text": ("{name} is not a chat copied as text: {why}",
                             "{name} 不是以文本形式复制的聊天记录：{why}"),
    "issues.not_chat_text_hint": ("copy the messages from WeChat/WeCom, save them as text (UTF-8 or GBK) and paste "
                                  "again", "请从微信/企业微信复制消息，存为文本（UTF-8 或 GBK）后重新粘贴"),
    "issues.utf16_broken": ("it starts like UTF-16 text but is not", "开头像 UTF-16 文本，但并不是"),
    "issues.controls": ("{count} of its {total} characters are control characters",
                        "{total} 个字符中有 {count} 个是控制字符"),
    "issues.nul_bytes": ("it holds NUL bytes", "其中含有 NUL 字节"),
    "issues.not_utf8_gbk": ("it is neither UTF-8 nor GBK text", "既不是 UTF-8 也不是 GBK 文本"),
    # notify/deliver.py
    "robot.where": ("the {kind} robot at {host} (channel {channel})", "{host} 上的{kind}机器人（渠道 {channel}）"),
    "robot.unreachable": ("cannot reach {where}: {error}", "无法连接{where}：{error}"),
    "robot.unreachable_hint": ("no network? it stays in the outbox: `launchpad report outbox --send` when back online",
                               "没有网络？消息留在发件箱中：联网后运行 `launchpad report outbox --send`"),
    "robot.no_answer": ("sent to {where}, but no answer came back: {error}",
                        "已发送到{where}，但没有收到回复：{error}"),
    "robot.no_answer_hint": ("the robot may have posted it: check the group, then `launchpad report outbox "
                             "--requeue ID` if it is not there, else --drop ID",
                             "机器人可能已经发出：请查看群聊，没有的话用 `launchpad report outbox --requeue ID` "
                             "重新排队，否则用 --drop ID"),
    # report/notice.py
    "notice.blank_contact_hint": ("give a name and a phone (contact=…), or leave it out to name the person on duty",
                                  "请写上姓名和电话（contact=…），或不写此项以列出值班人员"),
    "notice.nobody_on_duty_hint": ("add today to the duty roster in site.yaml, or give the contact field (contact=…)",
                                   "请在 site.yaml 的值班表中加上今天，或填写 contact 字段（contact=…）"),
    "notice.no_phone_hint": ("add a phone to contact {id!r} in site.yaml, or give the contact field (contact=…)",
                             "请在 site.yaml 中给联系人“{id}”加上电话，或填写 contact 字段（contact=…）"),
    # run/engine.py
    "engine.resume_other_playbook": ("run {id} is of playbook {actual!r}, not {given!r}",
                                     "运行 {id} 属于操作手册“{actual}”，不是“{given}”"),
    "engine.resume_other_playbook_hint": ("resume it with `launchpad run {actual} --resume {id}`",
                                          "请用 `launchpad run {actual} --resume {id}` 继续它"),
    # run/template_refs.py
    "refs.where": ("{envs}: {reason}", "{envs}：{reason}"),
    "refs.environment": ("environment {name!r}", "环境“{name}”"),
    "refs.environments": ("environments {names}", "环境 {names}"),
    "refs.quoted": ("{name!r}", "“{name}”"),
    "refs.within": ("{reason} (line {line} of the template)", "{reason}（模板第 {line} 行）"),
    "refs.unrenderable": ("the template cannot be rendered: {error}", "模板无法渲染：{error}"),
    "refs.undefined": ("{{{{ {reference} }}}} is undefined", "{{{{ {reference} }}}} 未定义"),
    "refs.no_env_value": ("{said}: site.yaml has no environments.{env}.{rest}; add it there, or name the "
                          "environments this step runs on (environments: [...])",
                          "{said}：site.yaml 中没有 environments.{env}.{rest}；请在那里添加，"
                          "或写明这一步在哪些环境运行（environments: [...]）"),
    "refs.no_environment": ("{said}: site.yaml has no environments.{rest}",
                            "{said}：site.yaml 中没有 environments.{rest}"),
    "refs.no_variable": ("{said}: the playbook declares no variable {name!r} (vars: {known})",
                         "{said}：操作手册没有声明变量“{name}”（vars：{known}）"),
    "refs.no_contact": ("{said}: site.yaml has no contact {name!r}", "{said}：site.yaml 中没有联系人“{name}”"),
    "refs.other": ("{said}: {error}", "{said}：{error}"),
    # workspace/scaffold.py
    "folder.site_exists": ("{path} already exists; init does not overwrite a workspace",
                           "{path} 已存在；init 不会覆盖已有的工作区"),
    "folder.site_exists_hint": ("edit that site.yaml, or run `launchpad init` on a new folder",
                                "请编辑那个 site.yaml，或对一个新文件夹运行 `launchpad init`"),
}
