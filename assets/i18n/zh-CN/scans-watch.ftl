# scans-watch: keys of that area (both languages, same keys).
# 扫描仪的热文件夹（scan watch DIR；程序内的监视）。
watch-dir-missing = 文件夹 { $path } 不存在。请先创建它，或指定扫描仪保存文件的文件夹。
watch-not-a-dir = { $path } 是文件，不是文件夹。请指定扫描仪保存文件的文件夹。
watch-dir-unreadable = 无法读取文件夹 { $path }（{ $detail }）。请确认它存在且您有读取权限。
watch-dir-in-library = 文件夹 { $path } 位于档案库文件夹 { $library } 之内。请让扫描仪保存到档案库以外的文件夹。
watch-folder-busy = 文件夹 { $path } 已由另一个 Dangan（本机或其他电脑）监视。请先停止那一个，或监视其他文件夹。
watch-cannot-create = 无法写入 { $path }（{ $detail }）。请确认文件夹存在、您有写入权限且磁盘有剩余空间。
watch-cannot-write = 无法写入 { $path }（{ $detail }）。请确认磁盘有剩余空间；文件仍留在热文件夹中，稍后重试。
watch-cannot-move = 无法把 { $path } 移出热文件夹（{ $detail }）。文件仍留在原处，稍后重试；请确认您有该文件夹的写入权限。
watch-some-failed = { $total } 个文件中有 { $count } 个未导入，已移到 { $path }，每个文件旁附有原因说明。
cli-watch-started = 正在监视 { $path }：文件在 { $settle } 秒内不再变化后导入。按 Ctrl-C 停止。
cli-watch-polling-only = 此文件夹无法接收文件事件（{ $detail }），改为每 { $poll } 秒查看一次。
cli-watch-imported = { $name }：已导入，共 { $pages } 页——归档 { $filed } 页，待归档 { $inbox } 页，空白 { $blank } 页，封面页 { $covers } 张；已移到 { $moved }
cli-watch-recovered = { $name }：监视停止前已导入；已移到 { $moved }
cli-watch-failed = { $name }：未导入，已移到 { $moved }。{ $reason }
cli-watch-retry = { $name }：暂留在文件夹中，稍后重试：{ $error }
cli-watch-stopping = 处理完当前文件后停止……
cli-watch-stopped = 已停止监视 { $path }。
watch-some-left = 有 { $count } 个文件未能处理，仍在 { $path } 中（原因见上文）。下次启动时会重试。
cli-watch-waiting = 仍在写入的文件：{ $count } 个（每个文件在 { $settle } 秒内不再变化后导入）。
