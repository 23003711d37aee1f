# Backup and restore

backup-out-exists = The backup file { $path } already exists; it was not overwritten. Choose another name or move the old file away.
backup-out-folder-missing = The folder { $path } does not exist. Create it first, or choose another folder.
backup-base-other-library = { $path } is a backup of another library; it cannot be the base of this library's incremental backup. Choose a backup of this library, or make a full one.
backup-disk-full = The disk is full ({ $path }). The backup was not finished and its partial file was removed; the library is unharmed. Free some space or use another disk, then try again.
backup-write-failed = Cannot write { $path }
backup-read-failed = Cannot read { $path }
backup-source-changed = { $path } changed while it was being backed up; the backup was not finished. Try again.
backup-library-file-missing = The library's scanned file { $path } is missing; the backup was not finished. Run dangan verify first to find out why.
backup-library-file-changed = The library's scanned file { $path } does not match its recorded checksum (damaged); the backup was not finished. Run dangan verify first to find out why.
backup-file-missing = The backup file { $path } was not found.
backup-not-a-backup = { $path } is not a Dangan backup. Choose a .tar file made by Backup or dangan backup.
backup-cut-short = The backup file { $path } is incomplete: it ends after { $entry } (a copy interrupted, or a full disk?). Use another backup, or copy this one again.
backup-entry-altered = In the backup file { $path }, { $entry } does not match the manifest (changed or damaged). This backup cannot be used; use another one.
backup-damaged = The backup file { $path } is damaged after { $entry } and cannot be read ({ $detail }). Use another backup.
backup-newer-format = The backup file { $path } was made by a newer Dangan. Update Dangan first.
backup-newer-schema = The backup file { $path } comes from a newer library (schema { $found }; this program knows up to { $supported }). Update Dangan first.
backup-base-missing = This is an incremental backup; it also needs the backup it was made on, { $id } ({ $name }, { $created }). Put that file in the same folder, or name it with --base.
backup-base-mismatch = { $path } has the id { $id }, but its contents differ from what the incremental backup recorded. Find the original base backup.
restore-target-not-empty = { $path } exists and is not an empty folder. A restore only writes into a new, empty folder and never over a library: choose a new or empty folder.

history-library-backup = { $user } backed up the library
history-library-restore = { $user } restored the library from a backup

cli-backup-progress = Backing up (MB)
cli-restore-progress = Restoring (MB)
cli-backup-check-progress = Checking (MB)
cli-backup-done = Backup written to { $file }: { $kind }, { $customers } customers, { $files } scanned files ({ $written } in this file), { $mb } MB in { $seconds } s ({ $rate } MB/s).
cli-backup-full = full backup
cli-backup-incremental = incremental backup (on { $base })
cli-backup-removed = Removed the old backup { $file } (keeping the newest)
cli-backup-check-ok = The backup { $file } is whole: { $kind }, made { $created } by { $user }, { $customers } customers, { $files } scanned files, audit chain to row { $seq }.
cli-backup-check-bases = Base backups also needed (checked): { $files }
cli-restore-done = Restored into { $library }: { $customers } customers, { $files } scanned files, { $mb } MB in { $seconds } s ({ $rate } MB/s).
cli-restore-verify-ok = The restored library checks out.
cli-restore-verify-problems = Restored, but the check found { $count } problems (they were in the library when it was backed up):
cli-backup-need-out = Say where to write the backup: --out FILE or --out-dir FOLDER.
