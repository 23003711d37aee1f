# errors and history entries from the core
# 以 -cli 结尾的键是前一个键的命令行版本（可以提到命令行参数；界面上的文字从不提）。

untranslated = { $text }
cancelled = 已取消。
database-failed = 数据库出错（{ $detail }）。请重试；如果再次出现，请检查档案库（verify）并查看日志。
io-failed = { $context }：{ $detail }。请确认磁盘在位且有剩余空间，然后重试。

## 磁盘出错时正在做的事
io-create-folder = 无法创建文件夹 { $path }
io-read-folder = 无法读取文件夹 { $path }
io-lock-file = 无法打开档案库的锁文件
io-lock = 无法锁定档案库
io-audit-head = 无法记录审计链头
io-index = 搜索索引出错
io-index-clear = 无法清除旧的搜索索引
io-index-create = 无法创建搜索索引文件夹
io-index-finish = 无法完成搜索索引
io-index-workers = 索引工作线程已停止
io-demo-start = 无法启动演示数据生成器
io-bench-clear = 无法清除性能测试文件夹
io-password-salt = 无法生成密码盐
io-password-hash = 无法计算密码散列

## 登录与权限
login-wrong = 登录失败：用户名或密码错误，请检查后重试。
login-locked = 登录失败：该用户连续 { $failures } 次登录失败，已锁定至 { $until }。请到时再试，或请管理员解锁。
login-locked-cli = 登录失败：该用户连续 { $failures } 次登录失败，已锁定至 { $until }。请到时再试，或请管理员解锁（dangan user unlock { $name }）。
login-disabled = 登录失败：该用户已停用，请联系管理员启用。
login-disabled-cli = 登录失败：该用户已停用，请联系管理员启用（dangan user enable）。
denied = 无权限：{ $user } 的角色是{ $role ->
        [admin] 管理员
        [archivist] 档案员
        [clerk] 业务员
        [viewer] 查阅员
       *[other] { $role }
    }，不能{ $action }。请让管理员代为操作或调整您的角色。
permission-read-dossiers = 查阅档案
permission-view-confidential = 打开保密档案
permission-write-dossiers = 修改档案
permission-close-dossiers = 销户、恢复或调整档案密级
permission-manage-users = 管理用户
permission-manage-config = 修改档案库设置
permission-read-audit = 查看审计日志或检查档案库
permission-maintain = 重建搜索索引
session-read-only = 档案库以只读方式打开：请以可写方式重新打开后再修改。

## 档案库
library-locked = 档案库 { $path } 正被另一个档案程序使用（{ $holder }）。请关闭该程序或等它完成；查阅仍可进行。
library-newer = 档案库 { $path } 由更新版本的档案程序写入（结构版本 { $found }，本程序最高支持 { $supported }）。请安装新版本后再打开；档案库未作任何改动。
library-missing = { $path } 没有档案库。请在此新建，或选择已有的档案库文件夹。
library-missing-cli = { $path } 没有档案库。请用 `dangan init --library { $path }` 新建，或用 --library 或 DANGAN_LIBRARY 指向已有的档案库文件夹。
library-read-only = 当前用户无法写入档案库文件夹 { $path }（{ $detail }）。请申请该文件夹的写权限，或复制到可写的磁盘后打开副本。
library-damaged = 档案库数据库 { $path } 已损坏或不是档案库（{ $detail }）。未作任何改动。请从备份恢复，或打开其他档案库。
library-damaged-cli = 档案库数据库 { $path } 已损坏或不是档案库（{ $detail }）。未作任何改动。请从备份恢复（`dangan restore`），或打开其他档案库。
library-is-file = { $path } 是文件而不是文件夹：请为档案库选择一个文件夹。
library-folder-not-empty = 文件夹 { $path } 不是空的，也不是档案库：请选择新的或空的文件夹。
library-exists = { $path } 已有档案库：请直接打开，或选择空文件夹。
library-unfinished = 档案库 { $path } 未创建完成（没有用户）：请重新创建。
library-unfinished-cli = 档案库 { $path } 未创建完成（没有用户）：请重新运行 `dangan init --library { $path }`。
library-initialised = 档案库 { $path } 已有用户：它已经创建好了。
migration-failed = 档案库升级在步骤 { $name } 失败（{ $detail }），档案库保持原样。请连同日志一起报告。
io-index-lock-file = 无法打开搜索索引的锁文件
io-index-lock = 无法锁定搜索索引
index-rebuilding-elsewhere = 另一个档案程序正在重建搜索索引：请一分钟后再试。
library-busy = 另一个程序占用档案库 { $path } 超过 { $seconds } 秒：请再试一次；如果一再发生，请查看是哪个档案程序卡住了并关闭它。
library-network-share = 档案库 { $path } 位于网络共享（{ $kind }）上。SQLite 的锁在网络上不可靠，多台电脑同时使用可能损坏档案库。请把档案库放在本机硬盘上；多台工作站共用一个档案库，请使用 PostgreSQL 服务器的多工作站方案（请咨询管理员）。
io-audit-head-lock = 无法锁定审计链头文件
index-rebuilt-elsewhere = 搜索索引缺失，{ $holder } 正在重建：请一分钟后再试。
index-not-ready = 搜索索引尚未就绪：请稍后再试。
template-unknown = 没有名为 { $name } 的档案库模板。

## 证件号码与电话
id-resident-length = 身份证号 { $input } 长度错误（{ $len } 位）：居民身份证为 18 位（旧证 15 位）。请核对证件上的号码。
id-resident-char = 身份证号 { $input } 第 { $pos } 位是非法字符“{ $char }”：只能是数字，最后一位可以是 X。
id-resident-region = 身份证号 { $input } 地区码错误：开头的 { $code } 不是省份代码，请核对前两位。
id-resident-birth = 身份证号 { $input } 出生日期错误：{ $date } 不是有效的过去日期，请核对第 7–14 位。
id-resident-check = 身份证号 { $input } 校验位错误：最后一位应为 { $expected }，而不是 { $found }。请核对证件上的号码。
id-uscc-length = 统一社会信用代码 { $input } 长度错误（{ $len } 位）：应为 18 位。请核对营业执照。
id-uscc-char = 统一社会信用代码 { $input } 第 { $pos } 位是非法字符“{ $char }”：代码中不使用字母 I、O、Z、S、V。请核对执照。
id-uscc-region = 统一社会信用代码 { $input } 地区码错误：第 3–8 位“{ $code }”应为六位数字。
id-uscc-check = 统一社会信用代码 { $input } 校验位错误：最后一位应为 { $expected }，而不是 { $found }。
id-phone-no-area-code = 电话号码 { $input } 缺少区号：请加上区号，例如 0571-87654321。
id-phone = 电话号码 { $input } 无效：不是手机号（11 位，13–19 开头）、固定电话（区号加 7–8 位）或 400/800 号码，请核对。
id-other-bad = { $kind }号码 { $value } 应为 1–32 位字母、数字或“-”。
id-unknown-kind = { $value } 既不是居民身份证号（18 或 15 位），也不是统一社会信用代码（18 位）：请核对，或选择证件类型。
id-unknown-kind-cli = { $value } 既不是居民身份证号（18 或 15 位），也不是统一社会信用代码（18 位）：请核对，或用 --id-kind passport|other 说明证件类型。
phones-too-many = 每位客户最多 { $max } 个电话号码。

## 客户、档案、文件
duplicate-id-number = 重复录入：该证件号码已登记在档案 { $dossier }（{ $name }）中。一位客户只有一份档案：请打开 { $dossier }。
duplicate-name-phone = 疑似重复：档案 { $dossier }（{ $name }）的姓名和电话相同。请打开 { $dossier }；如果确实是另一位客户，可以仍然保存。
duplicate-name-phone-cli = 疑似重复：档案 { $dossier }（{ $name }）的姓名和电话相同。请打开 { $dossier }；如果确实是另一位客户，请加 --force。
duplicate-id-number-hidden = 重复录入：该证件号码已登记在一份您无权查看的保密档案中。一位客户只有一份档案：请联系有权查看保密档案的负责人。
duplicate-name-phone-hidden = 疑似重复：一份您无权查看的保密档案的姓名和电话相同。请联系有权查看保密档案的负责人；如果确实是另一位客户，可以仍然保存。
duplicate-name-phone-hidden-cli = 疑似重复：一份您无权查看的保密档案的姓名和电话相同。请联系有权查看保密档案的负责人；如果确实是另一位客户，请加 --force。
name-empty = 客户户名为空：请填写证件或执照上的名称。
text-too-long = { $what }超过 { $max } 个字：请缩短。
edit-nothing = 没有要修改的内容：请至少修改一项。
edit-nothing-cli = 没有要修改的内容：请至少给出一项修改，例如 --phone。
edit-close-separately = 请用“销户”操作关闭档案 { $dossier }，而不是修改状态。
edit-close-separately-cli = 请用 `dangan customer close { $dossier }` 销户。
edit-id-kind-needs-number = 该客户没有证件号码：请同时填写证件类型和号码。
edit-id-kind-needs-number-cli = --id-kind 需要与 --id-number 一起使用：该客户没有证件号码。
edit-phone-not-here = { $phone } 不是该客户的电话。
register-closed = 新客户不能以“销户”状态登记：请先登记，再销户。
dossier-closed = 档案 { $dossier } 已销户（{ $since } 起）：请先恢复再修改。
dossier-closed-cli = 档案 { $dossier } 已销户（{ $since } 起）：请先用 `dangan customer reopen { $dossier }` 恢复。
dossier-already-closed = 档案 { $dossier } 已经销户。
dossier-not-closed = 档案 { $dossier } 未销户：无需恢复。
dossier-not-found = 找不到档案 { $dossier }。请核对档案号（例如 KH-2026-000123），或搜索该客户。
dossier-not-found-cli = 找不到档案 { $dossier }。请核对档案号（例如 KH-2026-000123），或用 `dangan customer list` 查找。
clerk-not-found = 找不到用户 { $name }：责任人必须是系统用户。
clerk-not-found-cli = 找不到用户 { $name }：责任人必须是系统用户（见 `dangan user list`）。
doc-expires-before-date = 到期日 { $expires } 早于文件日期 { $date }。
doc-not-found = 档案 { $dossier } 中没有编号为 { $id } 的资料。
doc-not-found-cli = 档案 { $dossier } 中没有编号为 { $id } 的资料：可用 `dangan doc list { $dossier }` 查看。
doc-edit-nothing = 没有要修改的内容：请至少修改类型、标题、日期、到期日、页数或备注中的一项。
doc-edit-nothing-cli = 没有要修改的内容：请至少给出 --type、--title、--date、--expires、--pages 或 --notes 中的一项。
doc-date-future = 文件日期在未来：请核对。
doc-pages = 页数 { $pages } 应在 0 到 100000 之间。
date-out-of-range = { $what }：“{ $value }”在 { $year } 年：日期应在 { $min } 年到 { $max } 年之间；请核对年份（四位数字，例如 2026-11-22）。
field-out-of-range = { $field }：“{ $value }”超出范围：应为 0 到 { $max }{ $unit } 之间的数量。
date-bad = { $what }：“{ $value }”不是日期。请写成 年-月-日（四位年份），例如 2026-11-22；也可写 2026/11/22、2026.11.22、20261122、2026年11月22日。
unknown-choice = “{ $value }”不是有效的{ $what }：请从 { $choices } 中选择。

## 自定义字段
field-bad-value = 字段 { $field }：“{ $value }”不是{ $expect }。
field-too-long = 字段 { $field }：文字超过 { $max } 个字；请缩短或写在备注里。
field-not-a-choice = 字段 { $field }：“{ $value }”不在可选项中：{ $choices }。
field-none-here = 字段 { $field }：该分类没有自定义字段。
field-unknown = 该分类没有字段 { $field }；它的字段有：{ $fields }。
field-required = 缺少必填字段：{ $fields }。请填写。
field-required-cli = 缺少必填字段：{ $fields }。请用 --field 字段=值 给出。
field-assignment = “{ $value }”不是 字段=值 的形式，例如 户号=0101234567。
field-name-equals = 字段名不能包含“=”。
field-choice-options = 选项字段至少需要两个选项。
field-choice-options-cli = 选项字段至少需要两个选项（--options A,B）。
field-options-not-choice = 只有选项字段才有可选项。
field-options-not-choice-cli = 只有选项字段才能用 --options。
field-exists = 分类 { $category } 已有字段 { $field }（自有或继承）。

## 用户与设置
user-name-bad = 用户名 { $name } 应为 1–32 位字母、数字、“.”、“_”、“-”或汉字。
fields-would-drop = 新类别没有这些字段，以下内容会丢失：{ $values }。请先把它们抄到备注里，或确认丢弃（审计日志会保留）。
fields-would-drop-cli = 新类别没有这些字段，以下内容会丢失：{ $values }。请先把它们抄到备注里，或加 --drop-fields 确认丢弃（审计日志会保留）。
lockout-range = 锁定条件应为连续 { $min_failures }–{ $max_failures } 次登录失败，锁定 { $min_minutes }–{ $max_minutes } 分钟：请在此范围内选择。
user-not-locked = 用户 { $name } 未被锁定，无需解锁。
user-not-found = 找不到用户 { $name }：请在用户列表中核对。
user-not-found-cli = 找不到用户 { $name }。用 `dangan user list` 查看用户。
user-exists = 用户 { $name } 已存在：请换一个名字，或启用该用户。
user-exists-cli = 用户 { $name } 已存在：请换一个名字，或用 `dangan user enable { $name }` 启用。
user-already-disabled = 用户 { $name } 已经停用。
user-already-enabled = 用户 { $name } 已经启用。
user-last-admin-disable = { $name } 是最后一位在用的管理员：请先添加或启用另一位管理员。
user-last-admin-role = { $name } 是最后一位在用的管理员：请先让另一位用户成为管理员。
password-only-spaces = 密码只有空格：请使用字母、数字或符号。
password-is-user-name = 密码与用户名相同：请选一个别人无法从用户名猜到的密码。
password-repeated = 密码是同一个字符的重复：请混合使用不同的字母、数字或符号。
password-common = 这是最常见的密码之一，会被最先尝试：请另选一个。
password-too-short = 密码太短：至少 { $min } 个字符。
config-code-bad = { $what }代码“{ $code }”应为 1–32 位字母、数字、- 或 _（例如 HV-10）。
config-name-bad = { $what }名称应为 1–64 个字。
category-exists = 分类 { $code } 已存在。
category-not-found = 找不到分类 { $code }。现有分类：{ $known }。管理员可以添加分类。
category-not-found-cli = 找不到分类 { $code }。现有分类：{ $known }。管理员可以用 `dangan category add` 添加。
category-ambiguous = 分类名称 { $name } 有多个：请用代码（{ $codes }）。
doc-type-exists = 文件类型 { $code }（{ $name }）已存在。
doc-type-not-found = 找不到文件类型 { $code }。现有类型：{ $known }。管理员可以添加类型。
doc-type-not-found-cli = 找不到文件类型 { $code }。现有类型：{ $known }。管理员可以用 `dangan doctype add` 添加。
numbering-prefix = 编号前缀“{ $value }”应为 1–12 位字母、数字或汉字。
numbering-separator = 编号分隔符“{ $value }”应为空或一个标点，例如 - 或 /。
numbering-width = 编号位数 { $value } 应在 3 到 10 之间。
demo-category-missing = 档案库缺少演示数据的分类 { $code }。
demo-doc-type-missing = 档案库缺少演示数据的文件类型 { $code }。
bench-not-verified = 性能测试档案库检查未通过：{ $problems }
bench-not-searchable = { $token } 在 10 秒后仍搜索不到。

## 命令行
cli-no-user = 请说明您是谁：用 --user 用户名，或设置 DANGAN_USER（及 DANGAN_PASSWORD）。
cli-no-password = 没有密码：请设置 { $var }，或在终端中运行以输入密码。
cli-no-new-password = 没有 { $name } 的密码：请设置 { $var }，或在终端中运行以输入密码。
cli-passwords-differ = 两次输入的密码不一致：未作任何修改。
cli-password-prompt = { $name } 的密码：
cli-new-password-prompt = { $name } 的新密码：
cli-repeat-password-prompt = 再输入一次：
cli-user-added = 已添加用户 { $name }（{ $role }）。
cli-user-disabled = 已停用 { $name }：该用户不能再登录。
cli-user-enabled = 已启用 { $name }。
cli-user-role = { $name } 现在是{ $role }。
cli-user-password = 已修改 { $name } 的密码。
cli-category-added = 已添加分类 { $code }（{ $path }）。
cli-customer-registered = 已登记 { $name }，档案号 { $dossier }。
cli-customer-saved = 已保存档案 { $dossier }。
cli-customer-closed = 档案 { $dossier } 已销户。
cli-customer-reopened = 档案 { $dossier } 已恢复。
cli-doc-added = 已将 { $title } 添加到档案 { $dossier }。
cli-library-created = 已在 { $path } 创建档案库，管理员 { $admin }（{ $template } 模板）。
cli-demo-password = 管理员是 { $name }，密码 { $password }
cli-demo-done = 演示档案库 { $path }：{ $customers } 位客户，{ $documents } 份文件；每秒 { $rate } 行。
cli-reindexed = 已索引 { $count } 份档案，用时 { $seconds } 秒（{ $mib } MiB）。
cli-nothing-found = 没有找到“{ $query }”。
cli-verify-checked = 已检查 { $customers } 位客户、{ $documents } 份文件、{ $rows } 条审计记录。
cli-search-index = 搜索索引：{ $state }。
cli-verify-ok = 正常：数据库完好，审计链完整，索引一致。
cli-verify-problems = 发现 { $count } 个问题：
cli-verify-failed = 检查发现 { $count } 个问题；请从备份恢复，或请管理员调查
cli-info = 档案库 { $path }（{ $source }）
    结构版本 { $schema }，档案程序 { $version }
    当前用户 { $user }（{ $role }）
    { $users } 位用户，{ $categories } 个分类，{ $doc-types } 种文件类型
    搜索索引：{ $index }
cli-progress-customers = 生成客户
cli-progress-index = 建立搜索索引
cli-progress-reindex = 索引档案
cli-index-ready = 最新
cli-index-behind = { $count } 项修改等待索引
cli-index-missing = 缺失；下次搜索时重建（或运行 `dangan reindex`）

## 消息中用到的名称
text-control-char = { $what }在第 { $pos } 个字符处含有控制字符（{ $char }）：请以普通文字重新输入。
text-control-char-line = { $what }在第 { $pos } 个字符处含有控制字符（{ $char }）：请在一行内以普通文字重新输入。
label-field-group = 字段分组
label-field-unit = 字段单位
label-field-choice = 选项
label-full-name = 姓名
user-state-disabled = 停用
user-state-ok = 正常
user-state-locked = 锁定至 { $until }
label-name = 户名
label-address = 地址
label-notes = 备注
label-title = 标题
label-reason = 原因
label-doc-date = 文件日期
label-doc-date-cli = --date
label-doc-expires = 到期日
label-doc-expires-cli = --expires
label-since = 起始日期
label-since-cli = --since
label-category = 分类
label-doc-type = 文件类型
label-field = 字段

## 代码值
kind-role = 角色
role-admin = 管理员
role-archivist = 档案员
role-clerk = 业务员
role-viewer = 查阅员
kind-grade = 档案等级
grade-important = 重要
grade-special = 特殊
grade-general = 一般
kind-status = 状态
status-potential = 潜在
status-active = 在册
status-closed = 销户
kind-id-kind = 证件类型
id-kind-resident = 居民身份证
id-kind-uscc = 统一社会信用代码
id-kind-passport = 护照
id-kind-other = 其他证件
kind-field-kind = 字段类型
field-kind-text = 文本
field-kind-integer = 整数
field-kind-decimal = 小数
field-kind-date = 日期
field-kind-choice = 选项
field-kind-bool = 是否
expect-integer = 整数
expect-decimal = 数字
expect-bool = 是或否

## 历史记录（审计日志的句子）；时间在前
list-separator = 、
history-other = { $user }：{ $action } { $entity } { $id }
history-customer-create = { $user } 新建了客户档案 { $id }
history-customer-update = { $user } 修改了客户资料：{ $fields }
history-customer-close = { $user } 将档案 { $id } 销户
history-customer-reopen = { $user } 恢复了档案 { $id }
history-customer-view = { $user } 查看了保密档案 { $id }
history-customer-view-denied = { $user } 试图查看保密档案 { $id }，被拒绝
history-customer-view-in-results = { $user } 在列表或搜索结果中看到了保密档案 { $id }
history-document-create = { $user } 添加了文件“{ $title }”
history-document-update = { $user } 修改了文件“{ $title }”：{ $fields }
history-user-create = { $user } 添加了用户 { $id }
history-user-update = { $user } 修改了用户 { $id }：{ $fields }
history-user-disable = { $user } 停用了用户 { $id }
history-user-enable = { $user } 启用了用户 { $id }
history-user-password = { $user } 修改了 { $id } 的密码
history-session-login = { $user } 登录
history-session-login-failed = 以 { $id } 登录失败
history-session-lock = 用户 { $id } 连续登录失败，账户被暂时锁定
history-session-unlock = { $user } 解锁了用户 { $id }
history-login-policy-update = { $user } 修改了登录失败锁定规则
history-library-init = { $user } 创建了档案库
history-category-create = { $user } 添加了分类 { $id }
history-doc-type-create = { $user } 添加了文件类型 { $id }
history-checklist-update = { $user } 修改了 { $id } 的必备资料清单
history-field-create = { $user } 添加了自定义字段 { $id }
history-numbering-update = { $user } 修改了档案编号规则：{ $fields }
history-demo-generate = { $user } 生成了演示数据
changed-name = 户名
changed-former-names = 曾用名
changed-id-kind = 证件类型
changed-id-number = 证件号码
changed-phones = 电话
changed-address = 地址
changed-category = 分类
changed-grade = 档案等级
changed-status = 状态
changed-confidential = 密级
changed-clerk = 责任人
changed-notes = 备注
changed-role = 角色
changed-display-name = 姓名
changed-disabled = 启用状态
changed-title = 标题
changed-date = 日期
changed-expires-on = 到期日
changed-pages = 页数
changed-doc-type = 文件类型
changed-prefix = 前缀
changed-separator = 分隔符
changed-with-year = 编号含年份
changed-width = 位数

## the app itself
app-poisoned = 之前的一个操作严重出错：请重新启动档案程序。
app-work-stopped = 操作意外中止：请查看日志后重试。
app-login-stopped = 登录意外中止：请查看日志后重试。

## 审计链：检查结果、纸质登记用的链头、重新锚定
audit-head-meta = 数据库中的审计链头
audit-head-writer = 写入链头
audit-head-file = audit.head 文件
verify-audit-rows-missing = 审计记录 { $from }–{ $to } 缺失（已从日志中删除）
verify-audit-row-order = 审计记录 { $seq } 顺序错乱
verify-audit-row-unlinked = 审计记录 { $seq } 与前一条接不上（有记录被删除、插入或调换）
verify-audit-row-altered = 审计记录 { $seq }（{ $action }）写入后被改动：内容与其哈希不符
verify-audit-forged-rows = 审计记录 { $seq }：档案程序于 { $at } 发现审计记录 { $from }–{ $to } 不是它写入的（被人绕过程序添加）；请从备份恢复或调查
verify-audit-lost-rows = 审计记录 { $seq }：档案程序于 { $at } 发现日志末尾的审计记录 { $from }–{ $to } 已不见（被人绕过程序截掉）；请从备份恢复或调查
verify-audit-cut-off = 审计日志止于第 { $last } 条，但{ $what }记录的是第 { $seq } 条：日志末尾被截掉
verify-audit-rewritten = 第 { $seq } 条审计记录与{ $what }记录的不同：日志被改写
verify-audit-log-empty = 档案库有用户，审计日志却是空的：日志被清空。请从备份恢复。
verify-audit-head-missing = 审计日志有记录，{ $what }却不见了：可能有记录随它一起被截掉。请与备份或纸质登记核对，再请管理员重新锚定。
verify-audit-head-missing-cli = 审计日志有记录，{ $what }却不见了：可能有记录随它一起被截掉。请与备份或纸质登记（`dangan audit head`）核对，再请管理员重新锚定（`dangan audit anchor`）。
verify-audit-head-unreadable = { $what }无法读取（不是记录号加哈希）。请与备份或纸质登记核对，再请管理员重新锚定。
verify-audit-head-unreadable-cli = { $what }无法读取（不是记录号加哈希）。请与备份或纸质登记核对，再请管理员重新锚定（`dangan audit anchor`）。
verify-audit-unheaded-rows = 审计记录 { $from }–{ $to } 排在所有链头之后：它们是绕过档案程序添加的
verify-audit-head-behind = { $what }指向第 { $seq } 条审计记录，日志却止于第 { $last } 条：有记录是绕过档案程序添加的
verify-what-customer = 客户
verify-what-document = 文件
verify-what-user = 用户
verify-what-category = 分类
verify-record-differs = { $what } { $id } 与其最后一次有审计的状态不同：{ $fields }（在档案程序之外被改动）
verify-record-gone = { $what } { $id } 不见了，却没有任何有审计的操作删除它
audit-digest-invalid = “{ $digest }”不是链头摘要：摘要是打印出来的 16 位十六进制数（如 1A2B-3C4D-5E6F-7A8B）。
audit-digest-seq = “{ $seq }”不是审计记录号。
cli-verify-quick = 快速检查：审计链从第 { $seq } 条（上次未发现问题的完整检查）起，以及此后改动或抽样的 { $records } 条记录。完整检查请去掉 --quick。
cli-verify-quick-first = 快速检查：此前没有未发现问题的完整检查，因此检查了整条审计链；比对了改动或抽样的 { $records } 条记录。
cli-verify-more = ……另有 { $count } 个（全部见 --json）。
cli-audit-head = 档案库 { $library } 的审计链头：第 { $seq } 条
    哈希 { $hash }
    摘要 { $digest }
    请把记录号和摘要写入纸质登记簿；以后用 `dangan audit head --check { $seq } { $digest }` 核对。
cli-audit-digest-matches = 第 { $seq } 条的摘要仍是 { $digest }：到此为止的日志未被改动。
cli-audit-digest-differs = 第 { $seq } 条的摘要不是 { $digest }：审计日志在这条或之前被改写（或这条已不见）。请从备份恢复或调查。
cli-audit-anchored = audit.head 现在指向第 { $seq } 条（原来是：{ $previous }）。这次重新锚定已记入审计日志。
history-audit-chain-break = 档案程序发现了不是它写入的审计记录（或被截掉的记录），并记下了这处断裂
history-audit-anchor = { $user } 重新锚定了审计链头文件
history-library-verify = { $user } 检查了档案库
verify-audit-file-behind = audit.head 文件指向第 { $seq } 条审计记录，数据库中的链头却指向第 { $last } 条：其后的记录是有人连同数据库链头一起改动后添加的，或该文件未能写入（见日志）。请调查后由管理员重新锚定。
## the disk and the database (store::classify)
database-disk-full = 档案库所在的磁盘已满，刚才的改动没有保存。请清理该磁盘的空间后重试。
database-io-error = 磁盘无法读写档案库数据库（I/O 错误），刚才的改动没有保存。请检查磁盘是否连接正常、是否完好，然后重试，并检查档案库（verify）。
database-read-only = 档案库数据库无法写入：文件、所在文件夹或磁盘是只读的。请申请写权限，或将档案库复制到可写的磁盘后打开副本。
database-busy = 另一个程序占用档案库超过 { $seconds } 秒：请重试；如果一直如此，请找到卡住的档案程序并关闭它。
database-damaged = 档案库数据库已损坏，未再作任何改动。请从备份恢复，或打开其他档案库。
database-out-of-memory = 处理档案库时计算机内存不足。请关闭其他程序后重试。
library-foreign = 文件 { $path } 是其他程序的 SQLite 数据库，不是档案库，未作任何改动。请打开档案库所在的文件夹，或在空文件夹中新建档案库。
library-schema-odd = 档案库 { $path } 标明的结构版本是 { $found }，但其数据表与该版本不符，未作任何改动。请从备份恢复，或附上日志报告此问题。
demo-unfinished = { $path } 处的档案库是一个未完成的演示库（生成中途被中止），可能缺少记录。请继续完成演示库，或重新生成。
demo-unfinished-cli = { $path } 处的档案库是一个未完成的演示库（生成中途被中止），可能缺少记录。请运行 `dangan demo --library { $path } --finish` 继续完成，或运行 `dangan demo --library { $path } --restart` 重新生成（使用相同的 --customers 和 --seed）。
demo-restart-refused = { $path } 不是未完成的演示库，未删除任何内容。只有中途被中止的演示库才能重新开始。
io-demo-clear = 无法删除未完成的演示库
demo-finish-refused = { $path } 不是未完成的演示库，没有可以继续完成的内容。
demo-finish-too-early = { $path } 处的演示库在写入任何数据之前就被中止了，没有可以继续完成的内容：请重新生成。
demo-finish-too-early-cli = { $path } 处的演示库在写入任何数据之前就被中止了，没有可以继续完成的内容：请运行 `dangan demo --library { $path } --restart` 重新生成。
