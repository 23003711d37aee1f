app-title = Dangan
app-title-library = Dangan — { $library }

welcome-title = Welcome to Dangan
welcome-body = There is no library yet. Choose one:
welcome-create = Create a library here
welcome-create-hint = Location: { $path }
welcome-open = Open a library folder…
welcome-open-typed = or type the folder's path:
welcome-not-library = There is no Dangan library in { $path }: choose the folder that holds one
welcome-open-button = Open
welcome-demo = Try the demo library
welcome-demo-hint = Generates { $count } demo customers (about half a minute)
admin-name = Administrator login
admin-password = Administrator password (8+ characters)
admin-password-again = Repeat the password
welcome-demo-setup = The demo library will be created in { $path }, with demo customers, dossiers and staff.
welcome-demo-admin = Its administrator is admin: choose the password (you will log in with it later).
welcome-demo-build = Build the demo library
admin-password-short = The password is too short or too easy to guess: use at least 8 characters, not only spaces, not the user name and not a common password such as 12345678.
admin-password-mismatch = The two passwords differ: type them again.
create-button = Create
cancel = Cancel
demo-progress = Generating demo data: { $done } / { $total }
demo-indexing = Building the search index: { $done } / { $total }
demo-password = Demo administrator: admin, password: { $password }
stop = Stop

login-title = Log in
login-user = User name
login-password = Password
login-button = Log in
login-library = Library: { $path }
login-working = Logging in…
switch-library = Use another library

recovery-title = The library cannot be opened
recovery-retry = Try again
recovery-choose = Choose another library

nav-workbench = Workbench
nav-dossiers = Dossiers
nav-settings = Settings
logout = Log out

status-user = { $name } ({ $role })
status-index-ready = Search index: up to date
status-index-behind = Search index: { $count } change(s) waiting
status-index-missing = Search index: to be rebuilt

workbench-title = Workbench
workbench-hello = Hello, { $name }.
workbench-count = The library holds { $count } dossiers.
workbench-hint = In Dossiers, type a name, pinyin initials, a phone or the last digits of an ID; scanning a dossier's barcode opens it directly.

search-placeholder = Name, pinyin, phone, ID number, address…
search-all-categories = All categories
search-all-grades = All grades
search-all-statuses = All statuses
search-none = Nothing found for “{ $query }”
search-hint = { $count } result(s); ↑↓ to choose, Enter to open
search-searching = Searching…
new-customer = New customer
list-title = Dossiers by number
list-more = Next page
list-prev = Previous page

col-dossier = Dossier
col-name = Name
col-category = Category
col-grade = Grade
col-status = Status

dossier-back = Back
dossier-edit = Edit
dossier-close-account = Close account
dossier-close-confirm = Close the account of { $dossier }? The dossier and its history stay.
dossier-close-reason = Reason
dossier-confirm = Close account
dossier-reopen = Reopen
field-name = Name
field-former-names = Former names
field-id-number = ID number
field-phones = Phones
field-address = Address
field-category = Category
field-grade = Grade
field-status = Status
field-clerk = Responsible clerk
field-notes = Notes
field-confidential = Confidentiality
field-confidential-yes = Confidential
documents-title = Documents
completeness = Complete { $present }/{ $required }
completeness-missing = missing: { $missing }
completeness-complete = All required documents present
history-title = History
no-documents = No documents yet
save = Save
saved = Saved
save-anyway = Save anyway
duplicate-warning = Possible duplicate: { $existing }
error-phone = Bad phone number: { $detail }
error-id = Bad ID number: { $detail }
error-name = Enter the customer's name
readonly-note = Your role may read dossiers but not change them.

new-title = New customer
new-create = Create dossier

settings-title = Settings
settings-language = Language
settings-users = Users and roles
settings-categories = Categories
settings-doc-types = Document types
settings-checklists = Required documents
settings-numbering = Dossier numbering
settings-admin-only = Only administrators may change these settings.
user-disabled = Disabled
users-add = Add user
role = Role

wedge-opened = Scanned: { $code }
wedge-unknown = Unknown barcode: { $code }

job-cancel = Cancel
job-reindex = Rebuild the search index
job-reindex-progress = Rebuilding the search index: { $done } / { $total }
