# 库房：库位、档案盒、装盒、移动、查位置、盘点

permission-manage-storage = 管理库位、档案盒和盘点

# 取值
kind-level = 库位层级
level-room = 库房
level-rack = 密集架
level-column = 列
level-section = 节
level-shelf = 层
level-position = 位
kind-box-status = 档案盒状态
box-status-open = 未满
box-status-full = 已满
box-status-sealed = 已封盒
kind-box-mode = 装盒方式
box-mode-own = 一户一盒
box-mode-shared = 多户合盒
kind-move = 移动原因
move-shelved = 上架
move-moved = 移位
move-filed = 装盒
move-refiled = 换盒
move-unfiled = 出盒
move-loan = 借出
move-returned = 归位
move-inventory = 盘点更正
label-fonds = 全宗号
label-location = 库位
label-note = 说明
label-date = 日期

# 错误
box-prefix-invalid = 档案盒条码前缀“{ $value }”不可用：请用 1–4 个大写英文字母，且不能是 LC。
box-capacity-invalid = 容量“{ $value }”不对：请填卷数（1–500，如 20）或厚度（5–200 毫米，如 35mm 或 3.5cm）。
retention-unknown = 没有“{ $value }”这个保管期限：可选 { $known }。
box-spine-invalid = 盒脊宽度 { $value } 毫米不在可选之列：请选 20、30、40 或 50。
box-year-invalid = 年度 { $value } 不对：请填四位年份。
location-segment-long = 库位名“{ $segment }”超过 { $max } 个字：请缩短。
location-path-empty = 请填写库位，例如“档案室A/1排/3列/2层”。
location-path-deep = 库位最多 { $max } 级：请减少层级。
location-capacity-invalid = 库位容量 { $value } 不对：请填 1 以上的盒数。
location-not-found = 没有库位“{ $path }”：请检查名称或条码，或先新建这个库位。
location-not-empty = 库位“{ $path }”还有 { $boxes } 个档案盒：请先把它们移走，再删除。
location-has-history = 库位“{ $path }”有移动或盘点记录，不能删除（记录要保留）。
location-full = 库位“{ $path }”已放满 { $capacity } 个盒：请换一个库位，或先移走一个盒。
code-empty = 请扫描或输入一个条码。
code-mistyped = “{ $code }”的校验位不对（应为 { $expected }）：可能输错或扫错了，请重新扫描或核对。
code-foreign = “{ $code }”不是本系统的条码（像是商品条码）：请扫描档案盒、库位或档案袋上的条码。
code-unknown = 找不到“{ $code }”：它不是本库的档案号、档案盒或库位条码。
box-not-found = 没有条码为 { $code } 的档案盒：请核对条码。
box-already-there = 档案盒 { $code } 已经在“{ $path }”。
box-not-shelved = 档案盒 { $code } 还没有上架：请先把它放到一个库位（上架）。
box-at-home = 档案盒 { $code } 已经在它的固定位置。
box-sealed = 档案盒 { $code } 已封盒，不能再装入：请换一个盒，或先解除封盒。
box-full = 档案盒 { $code } 已满：请换一个盒，或不指定盒由系统按规则选择。
box-no-room = 档案盒 { $code } 放不下这一卷（容量 { $capacity }）：请换一个盒。
file-closed-dossier = 档案 { $dossier } 已销户，不再装盒：如需装盒请先恢复。
file-already-filed = 档案 { $dossier } 已在档案盒 { $box }（{ $place }）：如要换盒，请明确选择“换盒”。
file-already-filed-cli = 档案 { $dossier } 已在档案盒 { $box }（{ $place }）：如要换盒，请加 --move。
file-same-box = 档案 { $dossier } 已经在档案盒 { $box } 里。
file-not-filed = 档案 { $dossier } 还没有装盒。
inventory-read-failed = 读不了扫描文件 { $path }。
inventory-no-location = 请指定要盘点的库位。
inventory-no-scanned = 请给出扫描结果文件（每行一个条码）。
inventory-no-scanned-cli = 请用 --scanned 文件 给出扫描结果（每行一个条码，“-”表示标准输入）。

# 盘点
inventory-found = 找到
inventory-missing = 缺失
inventory-misplaced = 错放
inventory-unknown = 无法识别
inventory-other-location = 这是别处库位的标签
inventory-mistyped = 校验位不对（扫错或输错）
inventory-no-such-code = 本库没有这个条码
inventory-not-ours = 不是本系统的条码

# 命令行
cli-location-created = 已建库位 { $path }，条码 { $code }
cli-location-exists = 库位已存在：{ $path }，条码 { $code }
cli-location-deleted = 已删除库位 { $path }（共 { $count } 个）
cli-box-created = 已建档案盒 { $code }（{ $year } 年度 第 { $no } 盒）
cli-box-placed = 档案盒 { $code } 现在在 { $path }
cli-box-status = 档案盒 { $code }：{ $status }
cli-box-rule-saved = 已保存装盒规则：{ $category }
cli-box-opened-for = 按装盒规则新开了档案盒 { $code }
cli-filed = 已将 { $dossier } 装入档案盒 { $box }，件号 { $item }
cli-unfiled = 已将 { $dossier } 从档案盒中取出
cli-inventory-saved = 盘点已保存（第 { $id } 次，{ $path }）：应有 { $expected } 盒，找到 { $found }，缺失 { $missing }，错放 { $misplaced }，无法识别 { $unknown }，更正位置 { $fixed }
box-rule-default = （默认）
col-location = 库位
col-level = 层级
col-code = 条码
col-boxes = 盒数
col-box = 档案盒
col-year = 年度
col-box-no = 盒号
col-retention = 保管期限
col-items = 起止件号
col-fill = 装盒
col-current = 当前位置
col-fonds = 全宗号
col-spine = 盒脊
col-mode = 装盒方式
col-capacity = 容量
col-box-prefix = 盒条码前缀
col-inventory = 盘点
col-time = 时间
col-user = 操作人

# 查位置
where-not-shelved = 未上架
where-not-filed = 尚未装盒
where-home = 固定位置
where-current = 当前位置
where-contents = 盒内档案
where-folder-out = 档案袋不在盒内，在
where-movements = 移动记录
where-children = 下级库位
where-no-boxes = 这里没有档案盒
where-visiting = 暂放在这里的其他档案盒
where-box-title = 档案盒 { $code }（{ $year } 年度 第 { $no } 盒）
where-in-box = 在档案盒 { $box }（第 { $no } 盒），件号 { $item }
where-dossier-title = 档案 { $dossier } { $name }
where-location-title = 库位 { $path }（{ $level }，条码 { $code }）

# 历史
history-location-create = { $user } 新建了库位 { $id }
history-location-update = { $user } 修改了库位 { $id }
history-location-delete = { $user } 删除了库位 { $id }
history-box-create = { $user } 新建了档案盒 { $id }
history-box-update = { $user } 修改了档案盒 { $id } 的状态
history-box-shelved = { $user } 将档案盒 { $id } 上架
history-box-moved = { $user } 移动了档案盒 { $id }
history-box-returned = { $user } 将档案盒 { $id } 放回固定位置
history-box-inventory = { $user } 按盘点结果更正了档案盒 { $id } 的位置
history-folder-file = { $user } 将档案 { $id } 装盒
history-folder-refile = { $user } 将档案 { $id } 换到另一个盒
history-folder-unfile = { $user } 将档案 { $id } 从盒中取出
history-inventory-create = { $user } 完成了一次盘点（第 { $id } 次）
history-box-rule-update = { $user } 修改了装盒规则 { $id }
history-storage-settings-update = { $user } 修改了全宗号或盒条码前缀
verify-what-location = 库位
verify-what-box = 档案盒
verify-what-folder = 档案袋
verify-record-back = { $what } { $id } 已被有审计的操作删除或取出，却又出现了（在档案程序之外被改动）

# 标签打印（命令行与核心）
col-stock = 标签纸
col-stock-name = 名称
col-label-size = 标签尺寸
col-per-page = 每张
col-suits = 适用
cli-labels-written = 已生成 { $count } 张标签：{ $path }（{ $stock }）
cli-printer-calibrated = 已保存打印机“{ $name }”的校准偏移
labels-remarks-note = 本卷共 { "{docs}" } 件，{ "{pages}" } 页。
label-write-failed = 无法写入 { $path }：请检查文件夹是否存在、是否有写权限、磁盘是否已满。
label-too-many = 一次最多打印 { $max } 张标签（这次是 { $count } 张）：请分批打印。
label-printer = 打印机名称
label-printer-empty = 请填写打印机名称。
label-printer-unknown = 没有校准过名为“{ $name }”的打印机：请先校准，或不指定打印机。
history-printer-calibrate = { $user } 校准了打印机“{ $id }”
inventory-box-label = { $year } 年度第 { $no } 盒
