# Text recognition (OCR)
cli-ocr-progress = Recognising text
cli-ocr-done = Recognised { $count } pages ({ $failed } failed).
cli-ocr-engine = OCR is on: { $engine }
cli-ocr-queue = { $pending } pages waiting, { $failed } failed, { $done } recognised.
ocr-off-no-engine = OCR is off: Tesseract is not installed on this computer. Install tesseract-ocr and tesseract-ocr-chi-sim to turn it on (importing and everything else work without it).
ocr-off-no-chinese = OCR is off: Tesseract has no simplified Chinese language data. Install tesseract-ocr-chi-sim.
ocr-gui-on = Text recognition: { $pending } pages waiting, { $done } recognised, { $failed } failed (in the background; nothing waits for it)
