# The storage screen: location tree, boxes, a box's folders, moves, inventory; the dossier's place

nav-storage = Storage

room-tree-title = Locations
room-tree-empty = No locations yet: create one on the right, e.g. “Room A/Rack 1/Column 3/Shelf 2”.
room-boxes-here = { $count ->
    [1] 1 box
   *[other] { $count } boxes
}
room-choose-hint = Choose a location on the left to see its boxes, or scan a box or location barcode.
room-boxes-title = Boxes here
room-status = Status
room-away = away from its home
room-year-no = { $year } no. { $no }
room-more-boxes = Showing the first { $shown } of { $total } boxes: choose a lower level to see the others.
room-new-box = Open a box here
room-inventory = Inventory
room-add-location = New location
room-new-path-hint = Location path, e.g. Room A/Rack 1/Column 3/Shelf 2
room-add = Create
room-location-added = Created the location { $path }, barcode { $code }
room-location-exists = The location exists: { $path }, barcode { $code }
room-box-made = Opened the box { $code } ({ $year } no. { $no })
room-box-now = Box { $code }: { $status }, now at { $place }
room-box-empty = No folders in this box yet
room-no-movements = No movements
room-place-hint = Location path, or scan the location's barcode
room-shelve = Shelve
room-move-home = Move here (new home)
room-move-away = Move for now
room-return = Return home
room-seal = Seal
room-unseal = Unseal

inv-title = Inventory: { $path }
inv-hint = Scan the barcode of every box on this location in turn; scanning the label of a lower level says the boxes after it stand there. Then press “Finish inventory”.
inv-code-hint = Or type a code and press Enter
inv-add = Add
inv-fix = Correct the boxes’ current locations from this inventory
inv-finish = Finish inventory
inv-running = Checking…
inv-close = Close
inv-scanned = { $count } codes scanned
inv-summary = { $expected } boxes expected: { $found } found, { $missing } missing, { $misplaced } misplaced, { $unknown } not recognised
inv-fixed = { $count ->
    [1] Corrected the current location of 1 box
   *[other] Corrected the current location of { $count } boxes
}
inv-last-seen = recorded at { $place }
inv-belongs = belongs at { $place }

dossier-place-title = Where the folder is
dossier-box-item = box no. { $no }, item { $item }
dossier-file = File into a box
dossier-refile = Move to another box
dossier-unfile = Take out of its box
dossier-file-by-rule = File by the box rule
dossier-by-rule = the box the rule picks
dossier-file-hint = Box barcode (scan or type; leave empty for the box rule)
dossier-file-rule-note = With no box given, the category's box rule picks one, and opens a new box if none fits.
dossier-move-confirm = This folder is in the box { $box }. Move it to { $to }?
dossier-move-yes = Yes, move it
dossier-filed = Filed into the box { $box } (no. { $no }), item { $item }
dossier-filed-opened = The box rule opened this box for it.
dossier-unfiled = Taken out: the folder is not in any box now.
inv-unfinished = This inventory is not finished: press “Finish inventory”, or “Cancel” to drop the codes scanned, before choosing another location.
