app-title = 档案 Dangan
app-title-library = 档案 Dangan — { $library }

welcome-title = 欢迎使用档案管理
welcome-body = 还没有档案库。请选择：
welcome-create = 在此处新建档案库
welcome-create-hint = 位置：{ $path }
welcome-open = 打开档案库文件夹…
welcome-open-typed = 或输入文件夹路径：
welcome-not-library = { $path } 里没有档案库：请选择档案库所在的文件夹
welcome-open-button = 打开
welcome-demo = 试用演示档案库
welcome-demo-hint = 生成 { $count } 户演示数据（约半分钟）
admin-name = 管理员账号
admin-password = 管理员密码（至少 8 位）
admin-password-again = 再次输入密码
welcome-demo-setup = 演示档案库将建在 { $path }，含演示客户、档案和工作人员。
welcome-demo-admin = 管理员账号为 admin，请为其设置密码（以后登录要用）。
welcome-demo-build = 生成演示库
admin-password-short = 密码太短或太容易猜：至少 8 位，不能全是空格，不能与用户名相同，也不能是 12345678 这类常见密码。
admin-password-mismatch = 两次输入的密码不一致，请重新输入。
create-button = 创建
cancel = 取消
demo-progress = 正在生成演示数据：{ $done } / { $total }
demo-indexing = 正在建立检索索引：{ $done } / { $total }
demo-password = 演示库管理员：admin，密码：{ $password }
stop = 停止

login-title = 登录
login-user = 用户名
login-password = 密码
login-button = 登录
login-library = 档案库：{ $path }
login-working = 正在登录…
switch-library = 换一个档案库

recovery-title = 无法打开档案库
recovery-retry = 重试
recovery-choose = 选择其他档案库

nav-workbench = 工作台
nav-dossiers = 客户档案
nav-settings = 设置
logout = 退出登录

status-user = { $name }（{ $role }）
status-index-ready = 检索索引：最新
status-index-behind = 检索索引：{ $count } 项待更新
status-index-missing = 检索索引：待重建

workbench-title = 工作台
workbench-hello = 你好，{ $name }。
workbench-count = 档案库共有 { $count } 户档案。
workbench-hint = 在“客户档案”中输入姓名、拼音首字母、电话或证件号后几位即可查找；扫码枪扫描档案条码可直接打开档案。

search-placeholder = 输入姓名、拼音、电话、证件号、地址…
search-all-categories = 全部类别
search-all-grades = 全部等级
search-all-statuses = 全部状态
search-none = 没有找到“{ $query }”
search-hint = 共 { $count } 条结果；↑↓ 选择，回车打开
search-searching = 正在查找…
new-customer = 新建客户
list-title = 最近档案（按档案号）
list-more = 下一页
list-prev = 上一页

col-dossier = 档案号
col-name = 户名
col-category = 类别
col-grade = 等级
col-status = 状态

dossier-back = 返回
dossier-edit = 编辑
dossier-close-account = 销户
dossier-close-confirm = 确认对 { $dossier } 销户？档案和历史记录会保留。
dossier-close-reason = 销户原因
dossier-confirm = 确认销户
dossier-reopen = 重新开户
field-name = 户名
field-former-names = 曾用名
field-id-number = 证件号码
field-phones = 电话
field-address = 地址
field-category = 类别
field-grade = 等级
field-status = 状态
field-clerk = 责任人
field-notes = 备注
field-confidential = 密级
field-confidential-yes = 保密
documents-title = 档案资料
completeness = 资料完整度 { $present }/{ $required }
completeness-missing = 缺：{ $missing }
completeness-complete = 资料齐全
history-title = 历史记录
no-documents = 暂无资料
save = 保存
saved = 已保存
save-anyway = 仍然保存
duplicate-warning = 可能重复：{ $existing }
error-phone = 电话号码格式不正确：{ $detail }
error-id = 证件号码不正确：{ $detail }
error-name = 请填写户名
readonly-note = 你的角色只能查阅，不能修改档案。

new-title = 新建客户
new-create = 建档

settings-title = 设置
settings-language = 界面语言
settings-users = 用户与角色
settings-categories = 档案类别
settings-doc-types = 资料类型
settings-checklists = 必备资料清单
settings-numbering = 档案编号规则
settings-admin-only = 只有管理员可以修改这些设置。
user-disabled = 停用
users-add = 添加用户
role = 角色

wedge-opened = 扫码打开：{ $code }
wedge-unknown = 未识别的条码：{ $code }

job-cancel = 取消
job-reindex = 重建检索索引
job-reindex-progress = 正在重建检索索引：{ $done } / { $total }
