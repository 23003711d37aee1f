# verify: the file store (scanned attachments)
verify-file-missing = attachment { $id } ({ $name }; dossiers: { $dossiers }) is missing from the file store: { $path }. Restore that file from a backup; its pages cannot be shown until then.
verify-file-changed = attachment { $id } ({ $name }; dossiers: { $dossiers }) was changed after it was stored: { $path } no longer has the content it was stored with (originals are never changed). Restore that file from a backup.
verify-file-unreadable = attachment { $id } ({ $name }; dossiers: { $dossiers }) cannot be read ({ $detail }): { $path }. Check the disk and the file's permissions, then check again.
verify-file-unreferenced = { $path } ({ $size } bytes) is in the file store but no stored file names it (put there outside Dangan). Move it out of the library folder; if it is a scan, import it from there.
verify-file-unreferenced-cli = { $path } ({ $size } bytes) is in the file store but no stored file names it (put there outside Dangan). Move it out of the library folder; if it is a scan, import it from there with dangan scan import.
verify-page-no-file = scanned page { $page } names stored file { $file }, which is gone from the database (changed outside Dangan). Restore the library from a backup.
verify-page-beyond-file = scanned page { $page } is page { $page_no } of stored file { $file }, which has only { $count } pages (changed outside Dangan). Restore the library from a backup.
cli-verify-files = { $checked } of { $stored } attachments re-hashed ({ $mb } MB at { $rate } MB/s).
cli-verify-files-quick = Attachments: those added since the last full check that found nothing, plus { $sample } picked at random. Files in the store that no record names are looked for only by a full check (verify without --quick).
cli-verify-files-recovered = An interrupted import had left files half-stored: { $moved } moved into place (their import had been saved), { $removed } removed (theirs had not).
