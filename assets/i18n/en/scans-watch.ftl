# scans-watch: keys of that area (both languages, same keys).
# The scanner's hot folder (scan watch DIR; the app's watcher).
watch-dir-missing = The folder { $path } does not exist. Create it, or give the folder the scanner saves into.
watch-not-a-dir = { $path } is a file, not a folder. Give the folder the scanner saves into.
watch-dir-unreadable = The folder { $path } cannot be read ({ $detail }). Check that it is there and that you may read it.
watch-dir-in-library = The folder { $path } is inside the library folder { $library }. Let the scanner save into a folder outside the library.
watch-folder-busy = The folder { $path } is already being watched by another Dangan (on this PC or another). Stop that one first, or watch another folder.
watch-cannot-create = Cannot write { $path } ({ $detail }). Check that the folder is there, that you may write in it and that the disk has room.
watch-cannot-write = Cannot write { $path } ({ $detail }). Check that the disk has room; the file stays in the hot folder and is tried again.
watch-cannot-move = Cannot move { $path } out of the hot folder ({ $detail }). It stays there and is tried again; check that you may write in the folder.
watch-some-failed = { $count } of { $total } files were not imported; they are in { $path } with the reason beside each.
cli-watch-started = Watching { $path }: a file is taken when it has not changed for { $settle } s. Press Ctrl-C to stop.
cli-watch-polling-only = File events are not available for this folder ({ $detail }); looking every { $poll } s instead.
cli-watch-imported = { $name }: imported, { $pages } pages — { $filed } filed, { $inbox } to the inbox, { $blank } blank, { $covers } cover sheets; moved to { $moved }
cli-watch-recovered = { $name }: had been imported before the watcher stopped; moved to { $moved }
cli-watch-failed = { $name }: not imported, moved to { $moved }. { $reason }
cli-watch-retry = { $name }: left in the folder for now and tried again: { $error }
cli-watch-stopping = Stopping after the current file…
cli-watch-stopped = Stopped watching { $path }.
watch-some-left = { $count } files could not be taken and are still in { $path } (see why above). They are tried again at the next start.
cli-watch-waiting = Still being written: { $count } (each file is taken once it has not changed for { $settle } s).
