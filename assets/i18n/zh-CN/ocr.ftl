# 文字识别（OCR）
cli-ocr-progress = 文字识别
cli-ocr-done = 已识别 { $count } 页（失败 { $failed } 页）。
cli-ocr-engine = 文字识别已开启：{ $engine }
cli-ocr-queue = 等待识别 { $pending } 页，失败 { $failed } 页，已识别 { $done } 页。
ocr-off-no-engine = 文字识别已关闭：本机没有安装 Tesseract。安装 tesseract-ocr 和 tesseract-ocr-chi-sim 后即可开启（导入和其他功能不受影响）。
ocr-off-no-chinese = 文字识别已关闭：Tesseract 缺少简体中文语言包。请安装 tesseract-ocr-chi-sim。
ocr-gui-on = 文字识别：等待 { $pending } 页，已识别 { $done } 页，失败 { $failed } 页（在后台进行，不影响其他操作）
