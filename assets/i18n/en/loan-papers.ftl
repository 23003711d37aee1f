# The papers the lending desk prints: loan slip, overdue reminder, loan register (src/labels/loans.rs, src/core/loans/papers.rs)
papers-slip-title = Loan slip
papers-loan-no = Loan no.
papers-item = Dossier no.
papers-box-item = Box
papers-title = Title
papers-borrower = Borrower
papers-card = Card no.
papers-purpose = Purpose
papers-lent-at = Lent at
papers-lent-by = Lent by
papers-due = Due
papers-renewals = Renewals
papers-approved-by = Approved by
papers-folders = Folders in the box ({ "{count}" })
papers-more-folders = …and { "{count}" } more
papers-sign-borrower = Borrower's signature
papers-sign-clerk = Clerk's signature
papers-sign-return-date = Returned on
papers-sign-receiver = Received by
papers-fonds = Fonds
papers-reminder-title = Overdue reminder
papers-reminder-body = The records below that you borrowed are past their due date. Please return them to the records room by { "{date}" }. If you have already returned them, please disregard this notice. Thank you.
papers-seq = No.
papers-lent-on = Lent on
papers-days-overdue = Days late
papers-date = Date
papers-register-title = Loan register
papers-period = { "{from}" } to { "{to}" }
papers-dept = Department/unit
papers-returned-on = Returned on
papers-state = State
papers-page-of = Page { "{page}" } of { "{pages}" }
papers-contact = Questions: please contact the records room.

# Errors
papers-slip-not-out = { $item } is not out on loan now, so there is no slip to print: check the barcode, or print an earlier loan by its number.
papers-slip-not-out-cli = { $item } is not out on loan now, so there is no slip to print: check the barcode, or print an earlier loan with --loan NUMBER.
papers-slip-what = Say which dossier or box (or which loan number) to print the slip of.
papers-slip-what-cli = Give a dossier number or box code, or --loan NUMBER.
papers-register-format = The register is saved as PDF or CSV: { $path } should end in .pdf or .csv.

# Command line
papers-slip-written = Loan slip written to { $path } ({ $item }).
papers-remind-written = Overdue reminders written to { $path }: { $count } borrower(s).
papers-remind-none = Nothing is overdue: no reminder to print, no file written.
papers-register-written = Loan register written to { $path }: { $count } loan(s).
