# The demo library's records room (demo data and dangan bench)
cli-demo-storage = Records room: { $locations } locations, { $boxes } boxes, { $filed } dossiers filed and shelved, { $movements } movements; { $rate } dossiers filed/s.
cli-progress-storage = filing and shelving
demo-filing = Filing dossiers into boxes and shelving them: { $done } / { $total } boxes
cli-demo-loans = Lending: { $borrowers } borrowers, { $loans } loan records, { $out } items out ({ $overdue } overdue), { $lost } lost, { $requests } holds waiting.
cli-progress-loans = Writing the loan history
demo-lending = Writing the loan history: { $done } / { $total } batches
io-bench-cli = Cannot run the dangan command to time it: check that the program file is still there and may be run
