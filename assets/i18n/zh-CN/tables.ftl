# 表格文件（CSV / XLSX）的读写
table-format-unknown = 无法识别文件 { $path } 的格式：请使用 .csv 或 .xlsx 文件名。
table-xlsx-failed = 写入 Excel 文件失败：{ $detail }。请检查磁盘空间后重试。
table-write-failed = 写入表格文件失败
table-encoding-unknown = 不认识的编码“{ $value }”：可用 auto、utf-8、gbk、gb18030。
table-utf16 = { $path } 是 UTF-16 编码的文本（Excel 的“Unicode 文本”）。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再导入。
table-xlsx-named-csv = { $path } 其实是 Excel 工作簿（.xlsx），只是文件名以 .csv 结尾。请把文件名改为 .xlsx 后再导入。
table-xls = { $path } 是旧版 Excel 文件（.xls）。请在 Excel 中另存为 .xlsx 或“CSV UTF-8”后再导入。
table-binary = { $path } 不是文本表格（含有二进制内容）。请选择 .csv 或 .xlsx 文件。
table-encoding-bad = { $path } 既不是 UTF-8 也不是 GBK/GB18030 编码。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再导入，或用 --encoding 指定编码。
table-not-utf8 = { $path } 不是 UTF-8 编码。请去掉 --encoding utf-8 让程序自动识别，或指定 --encoding gbk。
table-file-missing = 找不到文件 { $path }。
table-read-failed = 无法读取 { $path }
table-csv-broken = { $path } 第 { $line } 行的格式有误（{ $detail }），通常是引号没有成对。请在 Excel 中打开检查该行。
table-empty = { $path } 里没有数据（连表头也没有）。
table-not-xlsx = { $path } 不是有效的 .xlsx 工作簿（可能已损坏，或是改了扩展名的其他文件）。
table-sheet-missing = 工作簿里没有名为“{ $sheet }”的工作表。现有：{ $sheets }。
