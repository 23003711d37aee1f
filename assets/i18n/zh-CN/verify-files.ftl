# verify：文件库（扫描附件）
verify-file-missing = 附件 { $id }（{ $name }；所在档案：{ $dossiers }）在文件库中缺失：{ $path }。请从备份中恢复该文件；恢复前其页面无法显示。
verify-file-changed = 附件 { $id }（{ $name }；所在档案：{ $dossiers }）在入库后被改动：{ $path } 的内容已与入库时不同（原件从不修改）。请从备份中恢复该文件。
verify-file-unreadable = 附件 { $id }（{ $name }；所在档案：{ $dossiers }）无法读取（{ $detail }）：{ $path }。请检查磁盘和文件权限后再校验一次。
verify-file-unreferenced = { $path }（{ $size } 字节）在文件库中，但没有任何已存文件记录指向它（在档案系统之外放入）。请把它移出档案库文件夹；如果它是扫描件，请从那里导入。
verify-file-unreferenced-cli = { $path }（{ $size } 字节）在文件库中，但没有任何已存文件记录指向它（在档案系统之外放入）。请把它移出档案库文件夹；如果它是扫描件，请从那里用 dangan scan import 导入。
verify-page-no-file = 扫描页 { $page } 指向的已存文件 { $file } 已从数据库中消失（在档案系统之外被改动）。请从备份恢复档案库。
verify-page-beyond-file = 扫描页 { $page } 是已存文件 { $file } 的第 { $page_no } 页，但该文件只有 { $count } 页（在档案系统之外被改动）。请从备份恢复档案库。
cli-verify-files = 已重新校验 { $stored } 个附件中的 { $checked } 个（{ $mb } MB，{ $rate } MB/s）。
cli-verify-files-quick = 附件：自上次无问题的完整校验以来新增的全部，另随机抽查 { $sample } 个。文件库中无记录指向的文件只在完整校验时查找（不带 --quick 运行 verify）。
cli-verify-files-recovered = 一次中断的导入留下了未存完的文件：{ $moved } 个已移入原位（其导入已保存），{ $removed } 个已删除（其导入未保存）。
