# 借阅台打印的单据：借阅单、催还通知单、借阅登记簿（src/labels/loans.rs、src/core/loans/papers.rs）
papers-slip-title = 档案借阅单
papers-loan-no = 借阅编号
papers-item = 档号
papers-box-item = 盒号
papers-title = 题名
papers-borrower = 借阅人
papers-card = 借阅证号
papers-purpose = 借阅事由
papers-lent-at = 借出时间
papers-lent-by = 经办人
papers-due = 应还日期
papers-renewals = 续借次数
papers-approved-by = 审批人
papers-folders = 盒内案卷（{ "{count}" } 卷）
papers-more-folders = …另有 { "{count}" } 卷
papers-sign-borrower = 借阅人签字
papers-sign-clerk = 经办人签字
papers-sign-return-date = 归还日期
papers-sign-receiver = 接收人签字
papers-fonds = 全宗号
papers-reminder-title = 催还通知单
papers-reminder-body = 您借阅的下列档案已超过应还日期，请于 { "{date}" } 前归还档案室。如已归还，请忽略本通知。谢谢配合！
papers-seq = 序号
papers-lent-on = 借阅日期
papers-days-overdue = 逾期天数
papers-date = 日期
papers-register-title = 借阅登记簿
papers-period = { "{from}" } 至 { "{to}" }
papers-dept = 部门/单位
papers-returned-on = 归还日期
papers-state = 状况
papers-page-of = 第 { "{page}" } 页 共 { "{pages}" } 页
papers-contact = 如有疑问，请与档案室联系。

# 错误
papers-slip-not-out = { $item } 现在没有借出，没有可打印的借阅单：请核对条码，或按借阅编号打印。
papers-slip-not-out-cli = { $item } 现在没有借出，没有可打印的借阅单：请核对条码，或用 --loan 编号 打印以前的借阅。
papers-slip-what = 请指定要打印借阅单的档案（档号或盒号）或借阅编号。
papers-slip-what-cli = 请指定档号或盒号，或用 --loan 编号。
papers-register-format = 登记簿只能保存为 PDF 或 CSV：{ $path } 的扩展名不对，请以 .pdf 或 .csv 结尾。

# 命令行
papers-slip-written = 借阅单已写入 { $path }（{ $item }）。
papers-remind-written = 催还通知单已写入 { $path }：{ $count } 位借阅人。
papers-remind-none = 没有逾期未还的借阅，无需催还；未写入文件。
papers-register-written = 借阅登记簿已写入 { $path }：{ $count } 条借阅。
