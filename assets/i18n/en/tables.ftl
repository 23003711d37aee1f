# Table files (CSV / XLSX)
table-format-unknown = Cannot tell the format of { $path }: name the file .csv or .xlsx.
table-xlsx-failed = Writing the Excel file failed: { $detail }. Check the free disk space and try again.
table-write-failed = Writing the table file failed
table-encoding-unknown = Unknown encoding "{ $value }": use auto, utf-8, gbk or gb18030.
table-utf16 = { $path } is UTF-16 text (Excel's "Unicode Text"). In Excel, save it as "CSV UTF-8 (Comma delimited)" or .xlsx, then import that.
table-xlsx-named-csv = { $path } is really an Excel workbook (.xlsx) whose name ends in .csv. Rename it to .xlsx and import again.
table-xls = { $path } is a legacy Excel file (.xls). In Excel, save it as .xlsx or "CSV UTF-8", then import that.
table-binary = { $path } is not a text table (it holds binary data). Choose a .csv or .xlsx file.
table-encoding-bad = { $path } is neither UTF-8 nor GBK/GB18030. In Excel, save it as "CSV UTF-8 (Comma delimited)" or .xlsx, or name the encoding with --encoding.
table-not-utf8 = { $path } is not UTF-8. Leave out --encoding utf-8 to have it detected, or give --encoding gbk.
table-file-missing = The file { $path } was not found.
table-read-failed = Cannot read { $path }
table-csv-broken = Line { $line } of { $path } is malformed ({ $detail }), usually an unpaired quote. Open it in Excel and check that line.
table-empty = { $path } holds no data (not even a header).
table-not-xlsx = { $path } is not a valid .xlsx workbook (damaged, or another file renamed).
table-sheet-missing = The workbook has no sheet named "{ $sheet }". It has: { $sheets }.
