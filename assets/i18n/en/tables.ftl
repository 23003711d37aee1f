# Table files (CSV / XLSX)
table-format-unknown = Cannot tell the format of { $path }: name the file .csv or .xlsx.
table-xlsx-failed = Writing the Excel file failed: { $detail }. Check the free disk space and try again.
table-write-failed = Writing the table file failed
