# search as you type and the result list
search-count-capped = 共 { $count } 条结果，列表显示前 { $shown } 条；再输入几个字可缩小范围
search-more = 显示更多结果
search-loading-more = 正在加载更多…
search-phone-tail = 电话尾号 { $tail }
search-id-tail = 证件尾号 { $tail }
