"""RuoYi's menus, role grants, dictionaries and posts (after RuoYi-Vue's sys_menu,
sys_role_menu, sys_dict_type and sys_dict_data), added to a RuoYiLab's databases: the shape
`launchpad baseline` reads. MariaDB holds `test`; PostgreSQL holds `prod` and `test-pg`."""

from __future__ import annotations

from tests.integration.ruoyi import MARIA, PG, RuoYiLab

DDL = """
CREATE TABLE sys_menu (menu_id {id}, menu_name VARCHAR(50) NOT NULL, parent_id BIGINT DEFAULT 0,
  order_num INT DEFAULT 0, path VARCHAR(200) DEFAULT '', menu_type CHAR(1) DEFAULT '', visible CHAR(1) DEFAULT '0',
  status CHAR(1) DEFAULT '0', perms VARCHAR(100) DEFAULT NULL, icon VARCHAR(100) DEFAULT '#',
  create_by VARCHAR(64) DEFAULT '', create_time {ts}, update_by VARCHAR(64) DEFAULT '', update_time {ts},
  remark VARCHAR(500) DEFAULT '');
CREATE TABLE sys_role_menu (role_id BIGINT NOT NULL, menu_id BIGINT NOT NULL, PRIMARY KEY (role_id, menu_id));
CREATE TABLE sys_dict_type (dict_id {id}, dict_name VARCHAR(100) DEFAULT '', dict_type VARCHAR(100) DEFAULT '',
  status CHAR(1) DEFAULT '0', create_by VARCHAR(64) DEFAULT '', create_time {ts}, update_by VARCHAR(64) DEFAULT '',
  update_time {ts}, remark VARCHAR(500) DEFAULT NULL);
CREATE TABLE sys_dict_data (dict_code {id}, dict_sort INT DEFAULT 0, dict_label VARCHAR(100) DEFAULT '',
  dict_value VARCHAR(100) DEFAULT '', dict_type VARCHAR(100) DEFAULT '', css_class VARCHAR(100) DEFAULT NULL,
  list_class VARCHAR(100) DEFAULT NULL, is_default CHAR(1) DEFAULT 'N', status CHAR(1) DEFAULT '0',
  create_by VARCHAR(64) DEFAULT '', create_time {ts}, update_by VARCHAR(64) DEFAULT '', update_time {ts},
  remark VARCHAR(500) DEFAULT NULL);
INSERT INTO sys_menu (menu_id, menu_name, parent_id, order_num, menu_type, perms) VALUES
  (1, '系统管理', 0, 1, 'M', ''), (2, '系统监控', 0, 2, 'M', ''),
  (100, '用户管理', 1, 1, 'C', 'system:user:list'), (105, '字典管理', 1, 6, 'C', 'system:dict:list'),
  (108, '日志管理', 1, 9, 'M', ''), (113, '缓存监控', 2, 5, 'C', 'monitor:cache:list'),
  (114, '缓存列表', 2, 6, 'C', 'monitor:cache:list'), (1000, '用户查询', 100, 1, 'F', 'system:user:query'),
  (1001, '用户新增', 100, 2, 'F', 'system:user:add'), (1002, '用户删除', 100, 3, 'F', 'system:user:remove');
INSERT INTO sys_role_menu (role_id, menu_id) VALUES (2, 1), (2, 100), (2, 1000), (2, 108),
  (3, 1), (3, 100), (3, 1000), (3, 1001), (3, 105), (3, 2), (3, 113), (3, 114);
INSERT INTO sys_dict_type (dict_id, dict_name, dict_type, status) VALUES (1, '用户性别', 'sys_user_sex', '0'),
  (2, '系统开关', 'sys_normal_disable', '0');
INSERT INTO sys_dict_data (dict_code, dict_sort, dict_label, dict_value, dict_type, css_class, list_class,
  is_default, status) VALUES (1, 1, '男', '0', 'sys_user_sex', '', '', 'Y', '0'),
  (2, 2, '女', '1', 'sys_user_sex', '', '', 'N', '0'), (3, 3, '未知', '2', 'sys_user_sex', '', '', 'N', '0'),
  (4, 1, '正常', '0', 'sys_normal_disable', '', 'primary', 'Y', '0'),
  (5, 2, '停用', '1', 'sys_normal_disable', '', 'danger', 'N', '0');
"""
PG_SEQUENCES = "".join(f"SELECT setval(pg_get_serial_sequence('{t}', '{c}'), 5000);"
                       for t, c in (("sys_menu", "menu_id"), ("sys_dict_type", "dict_id"),
                                    ("sys_dict_data", "dict_code")))


def add_baseline_tables(lab: RuoYiLab) -> None:
    lab.maria.root_sql(DDL.format(**MARIA), lab.name)
    lab.pg.sql(DDL.format(**PG) + PG_SEQUENCES, lab.name)


def run_sql(lab: RuoYiLab, env: str, sql: str) -> None:
    """Change env's database as a person would on site (the test's own hand, not launchpad's)."""
    if env == "test":
        lab.maria.root_sql(sql, lab.name)
    else:
        lab.pg.sql(sql, lab.name)
