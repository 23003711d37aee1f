# 备份与恢复

backup-out-exists = 备份文件 { $path } 已存在，未覆盖。请换一个文件名，或先移走旧文件。
backup-out-folder-missing = 文件夹 { $path } 不存在。请先建好它，或选择另一个文件夹。
backup-base-other-library = { $path } 是另一个档案库的备份，不能作为本库增量备份的基础。请选本库的备份，或做完整备份。
backup-disk-full = 磁盘已满（{ $path }）。备份未写完，已删除未完成的文件，档案库未受影响。请腾出空间或换一个磁盘后重试。
backup-write-failed = 无法写入 { $path }
backup-read-failed = 无法读取 { $path }
backup-source-changed = 备份过程中 { $path } 发生了变化，备份未完成。请重试。
backup-library-file-missing = 档案库中的扫描文件 { $path } 不见了，备份未完成。请先运行 dangan verify 查明情况。
backup-library-file-changed = 档案库中的扫描文件 { $path } 与记录的校验值不符（已损坏），备份未完成。请先运行 dangan verify 查明情况。
backup-file-missing = 找不到备份文件 { $path }。
backup-not-a-backup = { $path } 不是 Dangan 的备份文件。请选择由“备份”或 dangan backup 生成的 .tar 文件。
backup-cut-short = 备份文件 { $path } 不完整：在 { $entry } 之后就结束了（可能复制中断或磁盘已满）。请使用另一份备份，或重新复制这份文件。
backup-entry-altered = 备份文件 { $path } 中的 { $entry } 与清单不符（内容被改动或损坏）。这份备份不能使用，请使用另一份备份。
backup-damaged = 备份文件 { $path } 在 { $entry } 之后损坏，无法读取（{ $detail }）。请使用另一份备份。
backup-newer-format = 备份文件 { $path } 由更新版本的 Dangan 生成。请先升级 Dangan。
backup-newer-schema = 备份文件 { $path } 来自更新版本的档案库（结构版本 { $found }，本程序支持到 { $supported }）。请先升级 Dangan。
backup-base-missing = 这是一份增量备份，还需要它所基于的备份 { $id }（{ $name }，{ $created }）。请把那份文件放在同一文件夹，或用 --base 指定。
backup-base-mismatch = { $path } 的编号是 { $id }，但内容与增量备份记录的不一致。请找到原来那份基础备份。
restore-target-not-empty = { $path } 已存在且不是空文件夹。恢复只写入新的空文件夹，绝不覆盖现有档案库：请选择一个新的或空的文件夹。

history-library-backup = { $user } 备份了档案库
history-library-restore = { $user } 从备份恢复了档案库

cli-backup-progress = 备份（MB）
cli-restore-progress = 恢复（MB）
cli-backup-check-progress = 检查（MB）
cli-backup-done = 已写入备份 { $file }：{ $kind }，{ $customers } 户，{ $files } 个扫描文件（本文件含 { $written } 个），{ $mb } MB，用时 { $seconds } 秒（{ $rate } MB/秒）。
cli-backup-full = 完整备份
cli-backup-incremental = 增量备份（基于 { $base }）
cli-backup-removed = 按保留份数删除了旧备份 { $file }
cli-backup-check-ok = 备份 { $file } 完好：{ $kind }，{ $created } 由 { $user } 制作，{ $customers } 户，{ $files } 个扫描文件，审计链到第 { $seq } 条。
cli-backup-check-bases = 另需的基础备份（已检查）：{ $files }
cli-restore-done = 已恢复到 { $library }：{ $customers } 户，{ $files } 个扫描文件，{ $mb } MB，用时 { $seconds } 秒（{ $rate } MB/秒）。
cli-restore-verify-ok = 恢复后的档案库检查无误。
cli-restore-verify-problems = 已恢复，但检查发现 { $count } 个问题（备份时原库已有）：
cli-backup-need-out = 请用 --out 文件 或 --out-dir 文件夹 指定备份写到哪里。
