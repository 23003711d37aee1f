# The demo library's records room (demo data and dangan bench)
cli-demo-storage = Records room: { $locations } locations, { $boxes } boxes, { $filed } dossiers filed and shelved, { $movements } movements; { $rate } dossiers filed/s.
cli-progress-storage = filing and shelving
demo-filing = Filing dossiers into boxes and shelving them: { $done } / { $total } boxes
cli-demo-loans = Lending: { $borrowers } borrowers, { $loans } loan records, { $out } items out ({ $overdue } overdue), { $lost } lost, { $requests } holds waiting.
cli-progress-loans = Writing the loan history
demo-lending = Writing the loan history: { $done } / { $total } batches
io-bench-cli = Cannot run the dangan command to time it: check that the program file is still there and may be run
demo-scan-bad-dpi = A synthetic scan cannot be made at { $dpi } dpi: choose between 50 and 1200 (scanners use 150, 200 or 300).
demo-scan-code-too-small = The code “{ $code }” does not fit at { $dpi } dpi: make it larger or scan at a higher resolution.
demo-scan-cover-failed = The printed cover sheet could not be rendered for a synthetic scan ({ $detail }): report this as a bug.
demo-scan-encode-failed = A synthetic scan could not be written as { $format } ({ $detail }): report this as a bug.
cli-demo-scans = Scans: { $pages } pages filed in { $files } scanning batches ({ $mib } MiB), { $inbox } pages in the inbox, { $unscanned } dossiers registered but not yet scanned; { $seconds } s.
cli-progress-scans = Attaching scanned pages
demo-scanning = Attaching scanned pages: { $done } / { $total } batches
io-bench-scans = Cannot write the benchmark's scan files: check that the temporary folder has free space and may be written.
bench-scan-refused = A benchmark's synthetic scan was refused ({ $reason }): report this as a bug.
