"""What the `users` commands say about their files, their progress and their records: a
sheet that cannot be read, the import's phases, how a plan changed since a person read it."""

from __future__ import annotations

# key: (English, 中文)
ENTRIES: dict[str, tuple[str, str]] = {
    # what became of a rolled-back import's hand-out files (rollback_handouts.said_after_rollback)
    "users.rollback.handouts_removed": ("{count} hand-out file(s) of import {id} removed ({folder}): the users they "
                                        "gave initial passwords to no longer exist",
                                        "已删除导入 {id} 的 {count} 个初始密码交接文件（{folder}）："
                                        "其中的用户已不存在"),
    "users.rollback.handouts_kept": ("the {count} hand-out file(s) of import {id} stay in {folder}: {still} user(s) it "
                                     "inserted are still in {env} ({users}); once they are gone, "
                                     "`launchpad users handout {id} --remove` deletes the files",
                                     "导入 {id} 的 {count} 个初始密码交接文件保留在 {folder}：它新增的 {still} 个用户"
                                     "仍在 {env} 中（{users}）；"
                                     "这些用户删除后，用 `launchpad users handout {id} --remove` 删除这些文件"),
    "users.rollback.handouts_not_removed": ("the hand-out files of import {id} in {folder} could not all be removed "
                                            "({reason}): {count} stay; `launchpad users handout {id} --remove` "
                                            "deletes them",
                                            "导入 {id} 在 {folder} 中的初始密码交接文件未能全部删除（{reason}）："
                                            "还剩 {count} 个；用 `launchpad users handout {id} --remove` 删除"),
    "users.batch_not_written_hint": ("nothing of this batch was written; fix and re-run: rows already written are "
                                     "recognised", "这一批什么都没有写入；改正后重新运行即可，已写入的行会被识别出来"),
    # the database answered a batch (or a reset) with an error of its own: a CHECK constraint, a trigger, a NOT NULL
    # or a too-long value (target.refused_by_server); its error, above the hint, names the rule or the column.
    # An import's batch; any other write (a rollback's, the role links', a baseline fix); a password reset.
    "users.batch_refused_hint": ("the database refused this batch's data (the constraint, trigger or column it named "
                                 "is in its error above) and rolled the batch back: nothing of it was written. Fix "
                                 "those rows in the sheet, or the mapping's field for that column, or ask the "
                                 "client's DBA about the rule; then run the same command again: the rows already "
                                 "written are recognised",
                                 "数据库拒绝了这一批的数据（它指出的约束、触发器或字段见上面的报错），整批已回滚，"
                                 "这一批什么都没有写入。请改正表格中的这些行，或映射中对应该字段的设置，或向客户的 "
                                 "DBA 询问这条规则；然后再次运行同一命令，已写入的行会被识别出来"),
    "users.write_refused_hint": ("the database refused this change (the constraint, trigger or column it named is in "
                                 "its error above) and rolled it back: nothing of it was written. Ask the client's "
                                 "DBA about the rule, or change what breaks it; then run the same command again",
                                 "数据库拒绝了这次修改（它指出的约束、触发器或字段见上面的报错），已整体回滚，"
                                 "什么都没有写入。请向客户的 DBA 询问这条规则，或改正违反它的内容；"
                                 "然后再次运行同一命令"),
    "users.reset_refused_hint": ("the database refused the new passwords (the constraint, trigger or column it named "
                                 "is in its error above) and rolled the reset back: no password was changed. Change "
                                 "the mapping's passwords: to fit the rule, or ask the client's DBA about it; then run "
                                 "the same reset again",
                                 "数据库拒绝了新密码（它指出的约束、触发器或字段见上面的报错），重置已回滚，"
                                 "没有任何密码被修改。请按这条规则修改映射中的 passwords:，或向客户的 DBA 询问；"
                                 "然后再次运行同一重置"),
    "users.read_failed_hint": ("nothing was written; check that the database is there and can be reached as site.yaml "
                               "describes it (host, port, user, name), then run again",
                               "什么都没有写入；请确认数据库存在，并能按 site.yaml 中的设置（主机、端口、用户、库名）"
                               "连上，再重新运行"),
    # a sheet that cannot be read
    "users.no_such_file": ("{path}: no such file", "{path}：文件不存在"),
    "users.sheets_beside_hint": ("sheets in {folder}: {names}", "{folder} 中的表格：{names}"),
    "users.no_such_file_hint": ("a relative path is read from the current folder, {cwd}",
                                "相对路径从当前目录 {cwd} 算起"),
    "users.not_a_file": ("{path} is not a file", "{path} 不是文件"),
    "users.os_error": ("{path}: {reason}", "{path}：{reason}"),
    # `users handout ID --reset`: the new hand-out is written first, made final once the passwords are set
    "users.reset_handout_unwritable": ("the new hand-out of import {id}'s password reset cannot be written in "
                                       "{folder}: {error}; no password was reset and the earlier hand-outs are as "
                                       "they were",
                                       "无法在 {folder} 写出导入 {id} 重置密码的新交接文件：{error}；"
                                       "没有重置任何密码，此前的交接文件保持原样"),
    "users.reset_handout_unwritable_hint": ("make room on the disk or make the folder writable, then run the same "
                                            "reset again", "请腾出磁盘空间或让该文件夹可写，然后再次运行同一重置"),
    "users.reset_kept_unwritable": ("the passwords import {id} keeps ({path}) cannot be rewritten without the "
                                    "old ones of the users to reset: {error}; no password was reset",
                                    "无法改写导入 {id} 保存的密码文件（{path}），去掉待重置用户的旧密码：{error}；"
                                    "没有重置任何密码"),
    "users.reset_kept_unwritable_hint": ("make room on the disk or make the folder writable, then run the same "
                                         "reset again", "请腾出磁盘空间或让该文件夹可写，然后再次运行同一重置"),
    "users.reset_handout_pending": ("the passwords of import {id} were reset, but their new hand-out could not be "
                                    "made final ({error}): it is in {pending}",
                                    "导入 {id} 的密码已重置，但其新交接文件未能生效（{error}）：它在 {pending}"),
    "users.reset_handout_pending_hint": ("rename {pending} to {final}: the passwords in it are the ones that work",
                                         "请将 {pending} 改名为 {final}：其中的密码才是有效的"),
    "users.reset_handout_pending_named_hint": ("rename {pending} to {final}: the passwords in it are the ones that "
                                               "work, and the earlier hand-outs rewritten above already name the "
                                               "new hand-out by that name",
                                               "请将 {pending} 改名为 {final}：其中的密码才是有效的，"
                                               "上面已改写的此前交接文件已按这个名称注明新的交接文件"),
    "users.reset_unsure": ("the target did not say whether import {id}'s password reset was done ({error}); its new "
                           "hand-out stays in {pending}",
                           "目标库未表明导入 {id} 的密码重置是否完成（{error}）；新交接文件保留在 {pending}"),
    "users.reset_unsure_hint": ("log in as one of the users with the password from that file: if it works, rename "
                                "the folder without its leading dot and `.pending`; if not, delete it and run the "
                                "reset again (`launchpad users handout {id}` lists the hand-outs)",
                                "用该文件中的密码登录其中一个用户：若可以登录，将该文件夹改名，"
                                "去掉开头的点和 `.pending`；"
                                "若不能，删除它并再次运行重置（`launchpad users handout {id}` 列出交接文件）"),
    "users.handout_remove_pending": ("import {id} has a password reset's hand-out never made final ({folders}): "
                                     "it may hold the only passwords that work, so no hand-out was removed",
                                     "导入 {id} 有未生效的重置密码交接文件（{folders}）：其中可能是唯一有效的密码，"
                                     "因此没有删除任何交接文件"),
    "users.handout_remove_pending_hint": ("log in as one of its users with the password from it: if it works, rename "
                                          "the folder without its leading dot and `.pending`; if not, delete it and "
                                          "run the reset again. `launchpad users handout {id} --remove --keep-resets` "
                                          "removes the other hand-outs and keeps it",
                                          "用其中的密码登录其中一个用户：若可以登录，将该文件夹改名，去掉开头的点和 "
                                          "`.pending`；若不能，删除它并再次运行重置。"
                                          "`launchpad users handout {id} --remove --keep-resets` "
                                          "删除其他交接文件并保留它"),
    "users.keep_resets_alone": ("--keep-resets only goes with --remove: it says which hand-outs --remove keeps",
                                "--keep-resets 只能与 --remove 一起使用：它指定 --remove 保留哪些交接文件"),
    "users.keep_resets_alone_hint": ("`launchpad users handout {id} --remove --keep-resets` removes import {id}'s "
                                     "hand-outs but the newest resets'",
                                     "`launchpad users handout {id} --remove --keep-resets` 删除导入 {id} "
                                     "除最新重置交接文件外的全部交接文件"),
    "users.file_empty": ("{path} is empty (0 bytes)", "{path} 是空文件（0 字节）"),
    "users.file_empty_hint": ("ask the client to send the file again", "请让客户重新发送该文件"),
    # a header and no rows under it: no users, whatever the command (check, plan, import)
    "users.sheets_header_only": ("{path}: no rows below the header of sheet {sheets}",
                                 "{path}：工作表 {sheets} 只有表头，没有数据行"),
    "users.file_header_only": ("{path} has a header but no rows",
                               "{path} 只有表头，没有数据行"),
    "users.header_only_hint": ("ask the client to fill in the users below the header and send the file again",
                               "请让客户在表头下填好人员后重新发送该文件"),
    "users.sheet_header_only": ("sheet {sheet!r} has a header but no rows: nothing from it",
                                "工作表“{sheet}”只有表头，没有数据行：其中没有可导入的用户"),
    "users.not_a_sheet": ("{path}: {suffix} is not a sheet launchpad reads", "{path}：launchpad 不读取 {suffix} 文件"),
    "users.no_suffix": ("no suffix", "无扩展名"),
    "users.not_a_sheet_hint": ("save it as .xlsx, .xls or .csv", "请另存为 .xlsx、.xls 或 .csv"),
    "users.password_protected": ("{path} is protected by a password", "{path} 设有密码保护"),
    "users.password_protected_hint": ("ask the client for a copy without the password "
                                      "(WPS/Excel: File → Info → Protect Workbook)",
                                      "请让客户提供不带密码的副本（WPS/Excel：文件 → 信息 → 保护工作簿）"),
    "users.not_excel": ("{path} is not a readable Excel workbook ({error})",
                        "{path} 不是可读取的 Excel 工作簿（{error}）"),
    "users.text_as_excel": ("{file} is named {suffix} but holds text (CSV/TSV), not a workbook: read as text",
                            "{file} 的扩展名是 {suffix}，内容却是文本（CSV/TSV），不是 Excel 工作簿：已按文本读取"),
    "users.markup_as_excel": ("{path} is named {suffix} but is a web page or XML (what some systems export), "
                              "not a workbook",
                              "{path} 的扩展名是 {suffix}，内容却是网页或 XML（有些系统这样导出），不是 Excel 工作簿"),
    "users.rows_without_fields": ("sheet {sheet!r}: {count} row(s) ({rows}) hold text only in columns no field "
                                  "reads (row numbers filled down an empty template): not people, skipped",
                                  "工作表“{sheet}”有 {count} 行（第 {rows} 行）只在不导入的列中有内容"
                                  "（如预先编好的序号）：不是人员，已跳过"),
    "users.merged_down": ("sheet {sheet!r}: merged cell(s) {cells} span several rows; each row takes the merged "
                          "cell's value",
                          "工作表“{sheet}”的合并单元格 {cells} 跨了多行：每一行都取合并单元格的值"),
    "users.hidden_rows": ("sheet {sheet!r}: row(s) {rows} are hidden in Excel, and the users in them are checked "
                          "and imported like the others (delete the rows that should not be imported)",
                          "工作表“{sheet}”第 {rows} 行在 Excel 中是隐藏的：其中的人员与其他行一样检查和导入"
                          "（不应导入的请删除这些行）"),
    "users.hidden_columns": ("sheet {sheet!r}: column(s) {columns} are hidden in Excel, and their values are "
                             "imported like the others",
                             "工作表“{sheet}”的 {columns}在 Excel 中是隐藏的：其中的值与其他列一样导入"),
    "users.hidden_column": ("{column} {header!r}", "{column} 列“{header}”"),
    "users.hidden_sheet": ("sheet {sheet!r} is hidden in Excel, and the users in it are checked and imported like "
                           "the others", "工作表“{sheet}”在 Excel 中是隐藏的：其中的人员与其他工作表一样检查和导入"),
    "users.not_excel_hint": ("open it in Excel or WPS and save it again as .xlsx",
                             "请用 Excel 或 WPS 打开并重新另存为 .xlsx"),
    "users.no_known_header": ("{path}: no sheet has a header the mapping knows ({notes})",
                              "{path}：没有任何工作表带有映射认识的表头（{notes}）"),
    "users.no_sheets": ("no sheets", "没有工作表"),
    "users.no_known_header_hint": ("the mapping looks for headers such as {headers}", "映射查找的表头例如：{headers}"),
    "users.cannot_write_hint": ("make room on the disk, or choose a folder you can write to; then run it again",
                                "请腾出磁盘空间，或选择有写入权限的文件夹，然后重新运行"),
    # the target system's description
    "users.no_profile": ("no target profile {name!r}: not bundled ({bundled}) and no {name}.yaml{where}",
                         "没有目标系统描述“{name}”：既非内置（{bundled}），也没有 {name}.yaml{where}"),
    "users.no_profile_in": (" in {folder}", "（在 {folder} 中）"),
    "users.no_profile_hint": ("describe the system in {folder}/{name}.yaml (`launchpad schema target-profile`)",
                              "请在 {folder}/{name}.yaml 中描述该系统（`launchpad schema target-profile`）"),
    # an import's record
    "users.import_other_env": ("import {id} went into {env}, not {given}", "导入 {id} 写入的是 {env}，不是 {given}"),
    "users.import_other_env_hint": ("use --env {env}", "请用 --env {env}"),
    "users.not_inserted": ("import {id} did not insert {keys}", "导入 {id} 没有新增 {keys}"),
    "users.not_inserted_hint": ("only users an import inserted get their initial password from it",
                                "只有导入新增的用户才从该导入获得初始密码"),
    "users.already_rolled_back": ("import {id} was already rolled back ({at})", "导入 {id} 已回滚过（{at}）"),
    "users.already_rolled_back_by": ("import {id} was already rolled back ({at}, by {actor})",
                                     "导入 {id} 已回滚过（{at}，执行人 {actor}）"),
    "users.already_rolled_back_hint": ("nothing was changed; `launchpad users imports` lists the imports and their "
                                       "states", "未做任何改动；`launchpad users imports` 列出各次导入及其状态"),
    # the import's progress, and what is asked before a rollback
    "users.progress.hashing": ("hashing {done}/{total} ({time})", "计算密码哈希 {done}/{total}（{time}）"),
    "users.progress.writing": ("writing {done}/{total} ({time})", "写入 {done}/{total}（{time}）"),
    "users.progress.left": (", about {time} left", "，约剩 {time}"),
    "users.hashing_estimate": ("{count} new user(s): hashing at bcrypt cost {cost} takes {took} "
                               "on {cores} core(s) ({per_hash} ms per hash)",
                               "{count} 个新用户：bcrypt 成本 {cost} 的密码哈希{took}"
                               "（{cores} 核，每个哈希 {per_hash} 毫秒）"),
    # how long the hashing takes, said after "takes" / "密码哈希"
    "users.took_under_a_second": ("under a second", "不到 1 秒"),
    "users.took": ("about {time}", "约需 {time}"),
    "users.hashing_kept": ("{kept} password(s) hashed before the interruption are kept, not hashed again",
                           "中断前已算好的 {kept} 个密码哈希予以保留，不再重算"),
    "users.without_password": ("{count} user(s) inserted before the interruption have no handed-out password: "
                               "{users}; give them one with `launchpad users handout {id} --reset LOGIN`",
                               "中断前新增的 {count} 个用户没有交接初始密码：{users}；"
                               "请用 `launchpad users handout {id} --reset 账号` 为他们生成"),
    "users.more": ("… {count} more", "……另有 {count} 条"),
    "users.rollback_title": ("roll back user import {id} ({file})", "回滚用户导入 {id}（{file}）"),
    "users.reset_title": ("new initial passwords in {env} for {count} user(s) of import {id}",
                          "在 {env} 中为导入 {id} 的 {count} 个用户重新生成初始密码"),
    "users.reset_detail": ("{users}: the passwords handed out to them stop working; the new ones go to a "
                           "hand-out file",
                           "{users}：已交给他们的初始密码将失效；新密码写入交接文件"),
    "users.rollback_detail": ("delete {insert} inserted user(s), restore {update} updated",
                              "删除 {insert} 个新增用户，恢复 {update} 个被更新的用户"),
    # `users imports`
    "users.imports.id": ("ID", "编号"),
    "users.imports.status": ("STATUS", "状态"),
    "users.imports.file": ("FILE", "文件"),
    # how the plan changed since it was shown (`users import`)
    "users.since.action": ("{login}: {before} → {after}", "{login}：{before} → {after}"),
    "users.since.values": ("{login}: {action} with other values ({before} → {after})",
                           "{login}：{action}，取值不同（{before} → {after}）"),
    "users.since.absent": ("absent", "无"),
    "users.since.field": ("{field} {value!r}", "{field}“{value}”"),
    "users.since.roles": ("roles +{names}", "角色 +{names}"),
    "users.since.posts": ("posts +{names}", "岗位 +{names}"),
    "users.since.nothing": ("nothing", "无变化"),
    "users.action.insert": ("insert", "新增"),
    "users.action.update": ("update", "更新"),
    "users.action.unchanged": ("unchanged", "不变"),
    "users.action.rejected": ("rejected", "拒绝"),
}
