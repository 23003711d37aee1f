# errors and history entries from the core
# A key ending in -cli is the command line's variant of the key before it (it may name flags;
# the app's text never does).

untranslated = { $text }
cancelled = Cancelled.
database-failed = The database reported an error ({ $detail }). Try again; if it happens again, run a check of the library (verify) and see the log.
io-failed = { $context }: { $detail }. Check that the disk is there and has room, then try again.

## what was being done when the disk failed
io-create-folder = Cannot create the folder { $path }
io-read-folder = Cannot read the folder { $path }
io-lock-file = Cannot open the library's lock file
io-lock = Cannot lock the library
io-audit-head = Cannot record the audit head
io-index = The search index failed
io-index-clear = Cannot clear the old search index
io-index-create = Cannot create the search index folder
io-index-finish = Cannot finish the search index
io-index-workers = The indexing workers stopped
io-demo-start = Cannot start the demo generator
io-bench-clear = Cannot clear the bench folder
io-password-salt = Cannot make a password salt
io-password-hash = Cannot hash the password

## logging in and permissions
login-wrong = Wrong user name or password: check both and try again.
login-locked = Login failed: this user is locked after { $failures } failed logins in a row, until { $until }. Wait until then, or ask an administrator to unlock it.
login-locked-cli = Login failed: this user is locked after { $failures } failed logins in a row, until { $until }. Wait until then, or ask an administrator to unlock it (`dangan user unlock { $name }`).
login-disabled = This user is disabled: ask an administrator to enable it.
login-disabled-cli = This user is disabled: ask an administrator to enable it (dangan user enable).
denied = Permission denied: { $user } is { $role ->
        [admin] an administrator
        [archivist] an archivist
        [clerk] a clerk
        [viewer] a viewer
       *[other] { $role }
    } and may not { $action }. Ask an administrator to do it or to change your role.
permission-read-dossiers = read dossiers
permission-view-confidential = open confidential dossiers
permission-write-dossiers = change dossiers
permission-close-dossiers = close, reopen or reclassify dossiers
permission-manage-users = manage users
permission-manage-config = change the library's configuration
permission-read-audit = read the audit log or verify the library
permission-maintain = rebuild the search index
session-read-only = This library was opened read-only: open it again for writing to make changes.

## the library
library-locked = The library at { $path } is in use by another Dangan process ({ $holder }). Close that program or wait for it to finish; reading still works.
library-newer = The library at { $path } was written by a newer version of Dangan (schema { $found }; this program knows up to { $supported }). Install the newer Dangan to open it; nothing was changed.
library-missing = There is no library at { $path }. Create one there, or choose an existing library folder.
library-missing-cli = There is no library at { $path }. Create one with `dangan init --library { $path }`, or point --library or DANGAN_LIBRARY at an existing library folder.
library-read-only = The library folder { $path } cannot be written by this user ({ $detail }). Ask for write access to the folder, or copy it to a writable disk and open the copy.
library-damaged = The library database { $path } is damaged or is not a Dangan library ({ $detail }). Nothing was changed. Restore it from a backup, or open another library.
library-damaged-cli = The library database { $path } is damaged or is not a Dangan library ({ $detail }). Nothing was changed. Restore it from a backup (`dangan restore`), or open another library.
library-is-file = { $path } is a file, not a folder: choose a folder for the library.
library-folder-not-empty = The folder { $path } is not empty and holds no Dangan library: choose a new or empty folder.
library-exists = A library already exists at { $path }: open it, or choose an empty folder.
library-unfinished = The library at { $path } was never finished (it has no users): create it again.
library-unfinished-cli = The library at { $path } was never finished (it has no users): run `dangan init --library { $path }` again.
library-initialised = The library at { $path } already has users: it already exists.
migration-failed = Updating the library failed at step { $name } ({ $detail }); the library was left unchanged. Report this with the log.
io-index-lock-file = Cannot open the search index's lock file
io-index-lock = Cannot lock the search index
index-rebuilding-elsewhere = Another Dangan program is rebuilding the search index: try again in a minute.
library-busy = Another program kept the library at { $path } busy for more than { $seconds } seconds: try again; if it keeps happening, find the Dangan program that is stuck and close it.
library-network-share = The library at { $path } is on a network share ({ $kind }). SQLite's locking is not safe over a network, so programs on several computers could damage the library. Keep the library on this computer's own disk; to share one archive between several workstations, use the multi-workstation setup with a PostgreSQL server (ask your administrator).
io-audit-head-lock = Cannot lock the audit head file
index-rebuilt-elsewhere = The search index is missing and { $holder } is rebuilding it: try again in a minute.
index-not-ready = The search index is not ready yet: try again in a moment.
template-unknown = There is no library template { $name }.

## identity numbers and phones
id-resident-length = ID number { $input } has { $len } characters: a resident ID has 18 (or 15 on old cards). Check the number on the card.
id-resident-char = ID number { $input } has “{ $char }” at position { $pos }: only digits, and X as the last character, are allowed.
id-resident-region = ID number { $input } starts with { $code }, which is no province: check the first two digits.
id-resident-birth = ID number { $input } has the birth date { $date }, which is not a real past date: check digits 7–14.
id-resident-check = ID number { $input } has a wrong check digit: the last character should be { $expected }, not { $found }. Check the number on the card.
id-uscc-length = Social credit code { $input } has { $len } characters: it has 18. Check the business licence.
id-uscc-char = Social credit code { $input } has “{ $char }” at position { $pos }: the letters I, O, Z, S and V are never used. Check the licence.
id-uscc-region = Social credit code { $input } has a wrong region code { $code }: characters 3–8 are six digits.
id-uscc-check = Social credit code { $input } has a wrong check character: the last character should be { $expected }, not { $found }.
id-phone-no-area-code = Phone number { $input } has no area code: write it with its area code, e.g. 0571-87654321.
id-phone = Phone number { $input } is not a Chinese mobile (11 digits, 13–19…), landline (area code and 7–8 digits) or 400/800 number: check it.
id-other-bad = The { $kind } number { $value } must be 1–32 letters, digits or “-”.
id-unknown-kind = { $value } is neither a resident ID (18 or 15 digits) nor a social credit code (18 characters): check it, or choose what kind of ID it is.
id-unknown-kind-cli = { $value } is neither a resident ID (18 or 15 digits) nor a social credit code (18 characters): check it, or say what it is with --id-kind passport|other.
phones-too-many = At most { $max } phone numbers per customer.

## customers, dossiers, documents
duplicate-id-number = Duplicate: this ID number is already registered in dossier { $dossier } ({ $name }). One customer has one dossier: open { $dossier } instead.
duplicate-name-phone = Likely duplicate: dossier { $dossier } ({ $name }) has the same name and phone. Open { $dossier } instead, or save anyway if this really is another customer.
duplicate-name-phone-cli = Likely duplicate: dossier { $dossier } ({ $name }) has the same name and phone. Open { $dossier } instead, or add --force if this really is another customer.
duplicate-id-number-hidden = Duplicate: this ID number is already registered in a confidential dossier you may not see. One customer has one dossier: ask a manager who may open confidential dossiers.
duplicate-name-phone-hidden = Likely duplicate: a confidential dossier you may not see has the same name and phone. Ask a manager who may open confidential dossiers, or save anyway if this really is another customer.
duplicate-name-phone-hidden-cli = Likely duplicate: a confidential dossier you may not see has the same name and phone. Ask a manager who may open confidential dossiers, or add --force if this really is another customer.
name-empty = The customer's name is empty: give the name on the ID card or licence.
text-too-long = { $what } is longer than { $max } characters: shorten it.
edit-nothing = Nothing to change: change at least one field.
edit-nothing-cli = Nothing to change: give at least one field to change, e.g. --phone.
edit-close-separately = Close dossier { $dossier } with the close action, not by editing its status.
edit-close-separately-cli = Close a dossier with `dangan customer close { $dossier }`.
edit-id-kind-needs-number = This customer has no ID number: give the number together with its kind.
edit-id-kind-needs-number-cli = --id-kind needs --id-number: this customer has no ID number.
edit-phone-not-here = { $phone } is not one of this customer's phones.
register-closed = A new customer cannot start closed: register it, then close it.
dossier-closed = Dossier { $dossier } is closed (since { $since }): reopen it first to change it.
dossier-closed-cli = Dossier { $dossier } is closed (since { $since }): reopen it first with `dangan customer reopen { $dossier }`.
dossier-already-closed = Dossier { $dossier } is already closed.
dossier-not-closed = Dossier { $dossier } is not closed: nothing to reopen.
dossier-not-found = Dossier { $dossier } not found. Check the number (e.g. KH-2026-000123), or search for the customer.
dossier-not-found-cli = Dossier { $dossier } not found. Check the number (e.g. KH-2026-000123), or find it with `dangan customer list`.
clerk-not-found = User { $name } not found: the responsible clerk must be a user.
clerk-not-found-cli = User { $name } not found: the responsible clerk must be a user (see `dangan user list`).
doc-expires-before-date = The expiry date { $expires } is before the document's date { $date }.
doc-not-found = Dossier { $dossier } has no paper numbered { $id }.
doc-not-found-cli = Dossier { $dossier } has no paper numbered { $id }: list them with `dangan doc list { $dossier }`.
doc-edit-nothing = Nothing to change: change at least the type, title, date, expiry, pages or notes.
doc-edit-nothing-cli = Nothing to change: give at least one of --type, --title, --date, --expires, --pages or --notes.
doc-date-future = The document's date is in the future: check it.
doc-pages = The page count { $pages } must be between 0 and 100000.
date-out-of-range = { $what }: “{ $value }” is in the year { $year }: a date here lies between { $min } and { $max }; check the year (four digits, e.g. 2026-11-22).
field-out-of-range = { $field }: “{ $value }” is out of range: it holds a quantity from 0 to { $max } { $unit }.
date-bad = { $what }: “{ $value }” is not a date. Write it as YYYY-MM-DD (a four-digit year), for example 2026-11-22; also accepted: 2026/11/22, 2026.11.22, 20261122, 2026年11月22日.
unknown-choice = “{ $value }” is not a known { $what }: choose one of { $choices }.

## custom fields
field-bad-value = Field { $field }: “{ $value }” is not { $expect }.
field-too-long = Field { $field }: the text is longer than { $max } characters; shorten it or put it in the notes.
field-not-a-choice = Field { $field }: “{ $value }” is not one of the choices: { $choices }.
field-none-here = Field { $field }: this category has no custom fields.
field-unknown = Field { $field } does not exist for this category; its fields are: { $fields }.
field-required = Required field(s) missing: { $fields }. Fill them in.
field-required-cli = Required field(s) missing: { $fields }. Give them with --field KEY=VALUE.
field-assignment = “{ $value }” is not KEY=VALUE, e.g. 户号=0101234567.
field-name-equals = A field name cannot contain “=”.
field-choice-options = A choice field needs at least two options.
field-choice-options-cli = A choice field needs at least two options (--options A,B).
field-options-not-choice = Only choice fields have options.
field-options-not-choice-cli = Only choice fields take --options.
field-exists = Category { $category } already has a field { $field } (its own or inherited).

## users and configuration
user-name-bad = User name { $name } must be 1–32 letters, digits, “.”, “_”, “-” or Chinese characters.
fields-would-drop = The new category has no field for these values, which would be lost: { $values }. Copy them into the notes first, or confirm dropping them (the audit log keeps them).
fields-would-drop-cli = The new category has no field for these values, which would be lost: { $values }. Copy them into the notes first, or confirm dropping them with --drop-fields (the audit log keeps them).
lockout-range = A lock needs { $min_failures }–{ $max_failures } failed logins in a row and lasts { $min_minutes }–{ $max_minutes } minutes: choose values in these ranges.
user-not-locked = User { $name } is not locked: nothing to unlock.
user-not-found = User { $name } not found: check the name in the list of users.
user-not-found-cli = User { $name } not found. See the users with `dangan user list`.
user-exists = User { $name } already exists: choose another name, or enable that user.
user-exists-cli = User { $name } already exists: choose another name, or enable it with `dangan user enable { $name }`.
user-already-disabled = User { $name } is already disabled.
user-already-enabled = User { $name } is already enabled.
user-last-admin-disable = { $name } is the last active administrator: add or enable another administrator first.
user-last-admin-role = { $name } is the last active administrator: make another user administrator first.
password-only-spaces = The password is only spaces: use letters, digits or signs.
password-is-user-name = The password is the user name: choose one that others cannot guess from the name.
password-repeated = The password is one character repeated: mix different letters, digits or signs.
password-common = The password is one of the most common passwords, which are tried first: choose another.
password-too-short = The password is too short: use at least { $min } characters.
config-code-bad = The { $what } code “{ $code }” must be 1–32 letters, digits, - or _ (e.g. HV-10).
config-name-bad = The { $what } name must be 1–64 characters.
category-exists = Category { $code } already exists.
category-not-found = Category { $code } not found. Known categories: { $known }. An administrator can add one.
category-not-found-cli = Category { $code } not found. Known categories: { $known }. An admin can add one with `dangan category add`.
category-ambiguous = The category name { $name } is ambiguous: use a code ({ $codes }).
doc-type-exists = Document type { $code } ({ $name }) already exists.
doc-type-not-found = Document type { $code } not found. Known types: { $known }. An administrator can add one.
doc-type-not-found-cli = Document type { $code } not found. Known types: { $known }. An admin can add one with `dangan doctype add`.
numbering-prefix = The numbering prefix “{ $value }” must be 1–12 letters, digits or Chinese characters.
numbering-separator = The numbering separator “{ $value }” must be empty or one punctuation mark such as - or /.
numbering-width = The numbering width { $value } must be between 3 and 10 digits.
demo-category-missing = The demo's category { $code } is missing from the library.
demo-doc-type-missing = The demo's document type { $code } is missing from the library.
bench-not-verified = The bench library does not verify: { $problems }
bench-not-searchable = { $token } was not searchable after 10 s.

## the command line
cli-no-user = Who are you? Give --user NAME or set DANGAN_USER (and DANGAN_PASSWORD).
cli-no-password = No password: set { $var }, or run in a terminal to be asked.
cli-no-new-password = No password for { $name }: set { $var }, or run in a terminal to be asked.
cli-passwords-differ = The two passwords differ: nothing was changed.
cli-password-prompt = {"Password for "}{ $name }:{" "}
cli-new-password-prompt = {"New password for "}{ $name }:{" "}
cli-repeat-password-prompt = {"Repeat it: "}
cli-user-added = Added { $name } ({ $role }).
cli-user-disabled = Disabled { $name }: they can no longer log in.
cli-user-enabled = Enabled { $name }.
cli-user-role = { $name } is now { $role }.
cli-user-password = Changed the password of { $name }.
cli-category-added = Added category { $code } ({ $path }).
cli-customer-registered = Registered { $name } as dossier { $dossier }.
cli-customer-saved = Saved dossier { $dossier }.
cli-customer-closed = Closed dossier { $dossier }.
cli-customer-reopened = Reopened dossier { $dossier }.
cli-doc-added = Added { $title } to dossier { $dossier }.
cli-library-created = Created a library at { $path } with administrator { $admin } ({ $template } template).
cli-demo-password = The administrator is { $name } with password { $password }
cli-demo-done = Demo library at { $path }: { $customers } customers, { $documents } documents; { $rate } rows/s.
cli-reindexed = Indexed { $count } dossiers in { $seconds } s ({ $mib } MiB).
cli-nothing-found = nothing found for “{ $query }”
cli-verify-checked = { $customers } customers, { $documents } documents, { $rows } audit rows checked.
cli-search-index = Search index: { $state }.
cli-verify-ok = OK: the database is intact, the audit chain is unbroken, the index agrees.
cli-verify-problems = { $count } problem(s):
cli-verify-failed = verify found { $count } problem(s); restore from a backup or ask an administrator to investigate
cli-info = Library { $path } ({ $source })
    Schema { $schema }, Dangan { $version }
    Logged in as { $user } ({ $role })
    { $users } users, { $categories } categories, { $doc-types } document types
    Search index: { $index }
cli-progress-customers = generating customers
cli-progress-index = building the search index
cli-progress-reindex = indexing dossiers
cli-index-ready = up to date
cli-index-behind = { $count } change(s) waiting to be indexed
cli-index-missing = missing; it is rebuilt at the next search (or run `dangan reindex`)

## names of things, used inside messages
text-control-char = { $what } holds a control character ({ $char }) at position { $pos }: type it again as plain text.
text-control-char-line = { $what } holds a control character ({ $char }) at position { $pos }: type it again as plain text on one line.
label-field-group = The field's heading
label-field-unit = The field's unit
label-field-choice = A choice
label-full-name = The full name
user-state-disabled = disabled
user-state-ok = active
user-state-locked = locked until { $until }
label-name = The name
label-address = The address
label-notes = The notes
label-title = The title
label-reason = The reason
label-doc-date = The document's date
label-doc-date-cli = --date
label-doc-expires = The expiry date
label-doc-expires-cli = --expires
label-since = The start date
label-since-cli = --since
label-category = category
label-doc-type = document type
label-field = field

## coded values
kind-role = role
role-admin = Administrator
role-archivist = Archivist
role-clerk = Clerk
role-viewer = Viewer
kind-grade = grade
grade-important = Important
grade-special = Special
grade-general = General
kind-status = status
status-potential = Potential
status-active = Active
status-closed = Closed
kind-id-kind = ID kind
id-kind-resident = Resident ID card
id-kind-uscc = Unified social credit code
id-kind-passport = Passport
id-kind-other = Other ID
kind-field-kind = field type
field-kind-text = Text
field-kind-integer = Whole number
field-kind-decimal = Number
field-kind-date = Date
field-kind-choice = Choice
field-kind-bool = Yes/No
expect-integer = a whole number
expect-decimal = a number
expect-bool = yes or no (是/否)

## history entries (the audit log as sentences); the time comes first
list-separator = {", "}
history-other = { $user }: { $action } { $entity } { $id }
history-customer-create = { $user } registered the customer (dossier { $id })
history-customer-update = { $user } changed the customer's details: { $fields }
history-customer-close = { $user } closed dossier { $id }
history-customer-reopen = { $user } reopened dossier { $id }
history-customer-view = { $user } opened the confidential dossier { $id }
history-customer-view-denied = { $user } tried to open the confidential dossier { $id } and was refused
history-customer-view-in-results = { $user } was shown the confidential dossiers { $id } in a list or search results
history-document-create = { $user } added the document “{ $title }”
history-document-update = { $user } changed the document “{ $title }”: { $fields }
history-user-create = { $user } added the user { $id }
history-user-update = { $user } changed the user { $id }: { $fields }
history-user-disable = { $user } disabled the user { $id }
history-user-enable = { $user } enabled the user { $id }
history-user-password = { $user } changed the password of { $id }
history-session-login = { $user } logged in
history-session-login-failed = A login as { $id } failed
history-session-lock = The user { $id } was locked after repeated failed logins
history-session-unlock = { $user } unlocked the user { $id }
history-login-policy-update = { $user } changed the rule for locking after failed logins
history-library-init = { $user } created the library
history-category-create = { $user } added the category { $id }
history-doc-type-create = { $user } added the document type { $id }
history-checklist-update = { $user } changed the checklist of { $id }
history-field-create = { $user } added the custom field { $id }
history-numbering-update = { $user } changed the dossier numbering: { $fields }
history-demo-generate = { $user } generated the demo data
changed-name = name
changed-former-names = former names
changed-id-kind = ID kind
changed-id-number = ID number
changed-phones = phone
changed-address = address
changed-category = category
changed-grade = grade
changed-status = status
changed-confidential = confidentiality
changed-clerk = responsible clerk
changed-notes = notes
changed-role = role
changed-display-name = full name
changed-disabled = enabled or disabled
changed-title = title
changed-date = date
changed-expires-on = expiry date
changed-pages = pages
changed-doc-type = document type
changed-prefix = prefix
changed-separator = separator
changed-with-year = year in the number
changed-width = width

## the app itself
app-poisoned = An earlier action failed badly: restart Dangan.
app-work-stopped = The work stopped unexpectedly: see the log, then try again.
app-login-stopped = The login stopped unexpectedly: see the log, then try again.

## the audit chain: verify's findings, the head for a paper log, re-anchoring
audit-head-meta = database's audit head
audit-head-writer = writer head
audit-head-file = audit.head file
verify-audit-rows-missing = audit rows { $from }–{ $to } are missing (deleted from the log)
verify-audit-row-order = audit row { $seq } is out of order
verify-audit-row-unlinked = audit row { $seq } does not follow the row before it (a row was removed, inserted or reordered)
verify-audit-row-altered = audit row { $seq } ({ $action }) was altered after it was written: its content no longer matches its hash
verify-audit-forged-rows = audit row { $seq }: on { $at } Dangan found audit rows { $from }–{ $to } it had not written (added behind its back); restore from a backup or investigate
verify-audit-lost-rows = audit row { $seq }: on { $at } Dangan found audit rows { $from }–{ $to } gone from the end of the log (cut off behind its back); restore from a backup or investigate
verify-audit-cut-off = the audit log ends at row { $last } but the { $what } records row { $seq }: rows were cut off the end
verify-audit-rewritten = audit row { $seq } differs from the one the { $what } recorded: the log was rewritten
verify-audit-log-empty = the audit log is empty although the library has users: it was wiped. Restore from a backup.
verify-audit-head-missing = the { $what } is missing although the audit log has rows: rows may have been cut off with it. Compare with a backup or a paper log, then have an administrator re-anchor it.
verify-audit-head-missing-cli = the { $what } is missing although the audit log has rows: rows may have been cut off with it. Compare with a backup or a paper log (`dangan audit head`), then have an administrator re-anchor it (`dangan audit anchor`).
verify-audit-head-unreadable = the { $what } is unreadable (not a row number and hash). Compare with a backup or a paper log, then have an administrator re-anchor it.
verify-audit-head-unreadable-cli = the { $what } is unreadable (not a row number and hash). Compare with a backup or a paper log, then have an administrator re-anchor it (`dangan audit anchor`).
verify-audit-unheaded-rows = audit rows { $from }–{ $to } come after every recorded head: they were added behind Dangan's back
verify-audit-head-behind = the { $what } names audit row { $seq } but the log ends at row { $last }: rows were added behind Dangan's back
verify-what-customer = customer
verify-what-document = document
verify-what-user = user
verify-what-category = category
verify-record-differs = { $what } { $id } differs from its last audited state: { $fields } (changed outside Dangan)
verify-record-gone = { $what } { $id } is gone although no audited change removed it
audit-digest-invalid = “{ $digest }” is not a head digest: it has 16 hexadecimal digits, as printed (e.g. 1A2B-3C4D-5E6F-7A8B).
audit-digest-seq = “{ $seq }” is not an audit row number.
cli-verify-quick = Quick check: the audit chain from row { $seq } (the last full check that found nothing) and { $records } records changed since then or sampled. Run verify without --quick for everything.
cli-verify-quick-first = Quick check: no earlier full check found nothing, so the whole audit chain was walked; { $records } records changed or sampled were compared.
cli-verify-more = … and { $count } more (see --json for all).
cli-audit-head = Audit head of library { $library }: row { $seq }
    hash   { $hash }
    digest { $digest }
    Write the row number and digest in the paper log; check them later with `dangan audit head --check { $seq } { $digest }`.
cli-audit-digest-matches = Row { $seq } still has digest { $digest }: the log up to it is as it was.
cli-audit-digest-differs = Row { $seq } does not have digest { $digest }: the audit log was rewritten at or before that row (or the row is gone). Restore from a backup or investigate.
cli-audit-anchored = audit.head now names row { $seq } (it said: { $previous }). The re-anchoring is in the audit log.
history-audit-chain-break = Dangan found audit rows it had not written (or rows cut off) and recorded the break
history-audit-anchor = { $user } re-anchored the audit head file
history-library-verify = { $user } checked the library
verify-audit-file-behind = the audit.head file names audit row { $seq } but the database's heads name row { $last }: the rows after it were added by someone who also moved the database's heads, or the file could not be written (see the log). Investigate, then have an administrator re-anchor it.
## the disk and the database (store::classify)
database-disk-full = The disk holding the library is full, so the last change was not saved. Free some space on that disk, then try again.
database-io-error = The disk could not read or write the library's database (an I/O error), so the last change was not saved. Check that the disk is connected and healthy, then try again and run a check of the library (verify).
database-read-only = The library's database cannot be written: the file, its folder or the disk is read-only. Ask for write access, or copy the library to a writable disk and open the copy.
database-busy = Another program kept the library busy for more than { $seconds } seconds: try again; if it keeps happening, find the Dangan program that is stuck and close it.
database-damaged = The library's database is damaged. Nothing more was changed. Restore it from a backup, or open another library.
database-out-of-memory = The computer ran out of memory while working on the library. Close other programs, then try again.
library-foreign = The file { $path } is a SQLite database of another program, not a Dangan library. It was left unchanged. Open the folder of a Dangan library, or create a new library in an empty folder.
library-schema-odd = The library { $path } says it has schema version { $found }, but its tables do not match that version; it was left unchanged. Restore it from a backup, or report this with the log.
demo-unfinished = The library at { $path } is a demo that was stopped before it was finished, so records may be missing. Finish the demo, or create it again from the start.
demo-unfinished-cli = The library at { $path } is a demo that was stopped before it was finished, so records may be missing. Finish it with `dangan demo --library { $path } --finish`, or start it again with `dangan demo --library { $path } --restart` (add the same --customers and --seed).
demo-restart-refused = { $path } does not hold an unfinished demo, so nothing was removed. Starting again is only for a demo that was stopped before it finished.
io-demo-clear = Cannot remove the unfinished demo
demo-finish-refused = { $path } does not hold an unfinished demo, so there is nothing to finish.
demo-finish-too-early = The demo at { $path } was stopped before any of its data was written, so there is nothing to finish: start it again.
demo-finish-too-early-cli = The demo at { $path } was stopped before any of its data was written, so there is nothing to finish: start it again with `dangan demo --library { $path } --restart`.
