# 演示档案库的实体库房（演示数据与 dangan bench）
cli-demo-storage = 库房：{ $locations } 个位置，{ $boxes } 个档案盒，{ $filed } 份档案已装盒上架，{ $movements } 条移动记录；每秒装盒 { $rate } 份。
cli-progress-storage = 装盒上架
demo-filing = 正在装盒上架：{ $done } / { $total } 盒
cli-demo-loans = 借阅：{ $borrowers } 位借阅人，{ $loans } 条借阅记录，{ $out } 件借出未还（其中 { $overdue } 件逾期），{ $lost } 件遗失，{ $requests } 个预约等候。
cli-progress-loans = 生成借阅记录
demo-lending = 正在生成借阅记录：{ $done } / { $total } 批
io-bench-cli = 无法运行 dangan 命令来计时：检查程序文件是否还在、是否可以执行
demo-scan-bad-dpi = 无法按 { $dpi } dpi 生成模拟扫描页：请在 50 到 1200 之间选择（扫描仪常用 150、200 或 300）。
demo-scan-code-too-small = 条码“{ $code }”在 { $dpi } dpi 下放不下：请把它放大，或用更高的分辨率扫描。
demo-scan-cover-failed = 打印的封面无法渲染成模拟扫描页（{ $detail }）：请把此问题报告为程序错误。
demo-scan-encode-failed = 模拟扫描页无法写成 { $format } 文件（{ $detail }）：请把此问题报告为程序错误。
cli-demo-scans = 扫描件：{ $pages } 页已归入文件（{ $files } 个扫描批次，{ $mib } MiB），收件箱 { $inbox } 页，{ $unscanned } 份档案已登记未扫描；用时 { $seconds } 秒。
cli-progress-scans = 正在附加扫描页
demo-scanning = 正在附加扫描页：{ $done } / { $total } 批
io-bench-scans = 无法写入基准测试的扫描文件：请检查临时文件夹是否有剩余空间、是否可写。
bench-scan-refused = 基准测试的合成扫描件被拒收（{ $reason }）：请报告此问题。
