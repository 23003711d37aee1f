# 演示档案库的实体库房（演示数据与 dangan bench）
cli-demo-storage = 库房：{ $locations } 个位置，{ $boxes } 个档案盒，{ $filed } 份档案已装盒上架，{ $movements } 条移动记录；每秒装盒 { $rate } 份。
cli-progress-storage = 装盒上架
demo-filing = 正在装盒上架：{ $done } / { $total } 盒
cli-demo-loans = 借阅：{ $borrowers } 位借阅人，{ $loans } 条借阅记录，{ $out } 件借出未还（其中 { $overdue } 件逾期），{ $lost } 件遗失，{ $requests } 个预约等候。
cli-progress-loans = 生成借阅记录
demo-lending = 正在生成借阅记录：{ $done } / { $total } 批
io-bench-cli = 无法运行 dangan 命令来计时：检查程序文件是否还在、是否可以执行
