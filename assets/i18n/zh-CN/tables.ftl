# 表格文件（CSV / XLSX）的读写
table-format-unknown = 无法识别文件 { $path } 的格式：请使用 .csv 或 .xlsx 文件名。
table-xlsx-failed = 写入 Excel 文件失败：{ $detail }。请检查磁盘空间后重试。
table-write-failed = 写入表格文件失败
