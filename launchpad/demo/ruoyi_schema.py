"""The demo client's database schema: RuoYi's (若依) system tables as RuoYi-Vue defines them
(sys_dept, sys_user, sys_post, sys_role, sys_menu, the link tables, dictionaries and settings),
written for SQLite. Column names, sizes and defaults follow RuoYi, so what launchpad does to
the demo is what it does to a client's RuoYi system."""

DDL = """
CREATE TABLE sys_dept (
  dept_id INTEGER PRIMARY KEY AUTOINCREMENT, parent_id BIGINT DEFAULT 0, ancestors VARCHAR(50) DEFAULT '',
  dept_name VARCHAR(30) DEFAULT '', order_num INT DEFAULT 0, leader VARCHAR(20) DEFAULT NULL,
  phone VARCHAR(11) DEFAULT NULL, email VARCHAR(50) DEFAULT NULL, status CHAR(1) DEFAULT '0',
  del_flag CHAR(1) DEFAULT '0', create_by VARCHAR(64) DEFAULT '', create_time DATETIME,
  update_by VARCHAR(64) DEFAULT '', update_time DATETIME);
CREATE TABLE sys_user (
  user_id INTEGER PRIMARY KEY AUTOINCREMENT, dept_id BIGINT DEFAULT NULL, user_name VARCHAR(30) NOT NULL,
  nick_name VARCHAR(30) NOT NULL, user_type VARCHAR(2) DEFAULT '00', email VARCHAR(50) DEFAULT '',
  phonenumber VARCHAR(11) DEFAULT '', sex CHAR(1) DEFAULT '0', avatar VARCHAR(100) DEFAULT '',
  password VARCHAR(100) DEFAULT '', status CHAR(1) DEFAULT '0', del_flag CHAR(1) DEFAULT '0',
  login_ip VARCHAR(128) DEFAULT '', login_date DATETIME, pwd_update_date DATETIME,
  create_by VARCHAR(64) DEFAULT '', create_time DATETIME, update_by VARCHAR(64) DEFAULT '',
  update_time DATETIME, remark VARCHAR(500) DEFAULT NULL);
CREATE TABLE sys_post (
  post_id INTEGER PRIMARY KEY AUTOINCREMENT, post_code VARCHAR(64) NOT NULL, post_name VARCHAR(50) NOT NULL,
  post_sort INT NOT NULL, status CHAR(1) NOT NULL, create_by VARCHAR(64) DEFAULT '', create_time DATETIME,
  update_by VARCHAR(64) DEFAULT '', update_time DATETIME, remark VARCHAR(500) DEFAULT NULL);
CREATE TABLE sys_role (
  role_id INTEGER PRIMARY KEY AUTOINCREMENT, role_name VARCHAR(30) NOT NULL, role_key VARCHAR(100) NOT NULL,
  role_sort INT NOT NULL, data_scope CHAR(1) DEFAULT '1', menu_check_strictly TINYINT DEFAULT 1,
  dept_check_strictly TINYINT DEFAULT 1, status CHAR(1) NOT NULL, del_flag CHAR(1) DEFAULT '0',
  create_by VARCHAR(64) DEFAULT '', create_time DATETIME, update_by VARCHAR(64) DEFAULT '',
  update_time DATETIME, remark VARCHAR(500) DEFAULT NULL);
CREATE TABLE sys_menu (
  menu_id INTEGER PRIMARY KEY AUTOINCREMENT, menu_name VARCHAR(50) NOT NULL, parent_id BIGINT DEFAULT 0,
  order_num INT DEFAULT 0, path VARCHAR(200) DEFAULT '', component VARCHAR(255) DEFAULT NULL,
  query VARCHAR(255) DEFAULT NULL, route_name VARCHAR(50) DEFAULT '', is_frame INT DEFAULT 1,
  is_cache INT DEFAULT 0, menu_type CHAR(1) DEFAULT '', visible CHAR(1) DEFAULT '0', status CHAR(1) DEFAULT '0',
  perms VARCHAR(100) DEFAULT NULL, icon VARCHAR(100) DEFAULT '#', create_by VARCHAR(64) DEFAULT '',
  create_time DATETIME, update_by VARCHAR(64) DEFAULT '', update_time DATETIME, remark VARCHAR(500) DEFAULT '');
CREATE TABLE sys_user_role (user_id BIGINT NOT NULL, role_id BIGINT NOT NULL, PRIMARY KEY (user_id, role_id));
CREATE TABLE sys_role_menu (role_id BIGINT NOT NULL, menu_id BIGINT NOT NULL, PRIMARY KEY (role_id, menu_id));
CREATE TABLE sys_role_dept (role_id BIGINT NOT NULL, dept_id BIGINT NOT NULL, PRIMARY KEY (role_id, dept_id));
CREATE TABLE sys_user_post (user_id BIGINT NOT NULL, post_id BIGINT NOT NULL, PRIMARY KEY (user_id, post_id));
CREATE TABLE sys_dict_type (
  dict_id INTEGER PRIMARY KEY AUTOINCREMENT, dict_name VARCHAR(100) DEFAULT '',
  dict_type VARCHAR(100) DEFAULT '' UNIQUE, status CHAR(1) DEFAULT '0', create_by VARCHAR(64) DEFAULT '',
  create_time DATETIME, update_by VARCHAR(64) DEFAULT '', update_time DATETIME, remark VARCHAR(500) DEFAULT NULL);
CREATE TABLE sys_dict_data (
  dict_code INTEGER PRIMARY KEY AUTOINCREMENT, dict_sort INT DEFAULT 0, dict_label VARCHAR(100) DEFAULT '',
  dict_value VARCHAR(100) DEFAULT '', dict_type VARCHAR(100) DEFAULT '', css_class VARCHAR(100) DEFAULT NULL,
  list_class VARCHAR(100) DEFAULT NULL, is_default CHAR(1) DEFAULT 'N', status CHAR(1) DEFAULT '0',
  create_by VARCHAR(64) DEFAULT '', create_time DATETIME, update_by VARCHAR(64) DEFAULT '',
  update_time DATETIME, remark VARCHAR(500) DEFAULT NULL);
CREATE TABLE sys_config (
  config_id INTEGER PRIMARY KEY AUTOINCREMENT, config_name VARCHAR(100) DEFAULT '',
  config_key VARCHAR(100) DEFAULT '', config_value VARCHAR(500) DEFAULT '', config_type CHAR(1) DEFAULT 'N',
  create_by VARCHAR(64) DEFAULT '', create_time DATETIME, update_by VARCHAR(64) DEFAULT '',
  update_time DATETIME, remark VARCHAR(500) DEFAULT NULL);
CREATE TABLE sys_job_log (
  job_log_id INTEGER PRIMARY KEY AUTOINCREMENT, job_name VARCHAR(64) NOT NULL,
  job_group VARCHAR(64) NOT NULL, invoke_target VARCHAR(500) NOT NULL, job_message VARCHAR(500),
  status CHAR(1) DEFAULT '0', exception_info VARCHAR(2000) DEFAULT '', create_time DATETIME);
CREATE TABLE about (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
