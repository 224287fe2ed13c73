stat-error-period = A period is a year (2022), a quarter (2022-Q3) or a month (2022-07).
stat-error-empty = The value is empty.
stat-error-number = This is not a number: write digits, with a comma or a point before the decimals.
stat-error-integer = This indicator takes whole numbers.
stat-error-yes-no = Answer yes or no (1 or 0).
stat-error-below = The value is below the indicator's range.
stat-error-above = The value is above the indicator's range.
stat-yes = yes
stat-no = no
stat-unit-title = Statistics
stat-indicator = Indicator
stat-values = Values by period
stat-partial-note = * Part of the year only.
stat-error-indicator = There is no indicator with this code.
stat-error-unit = There is no unit with this code in the registry.
stat-error-periodicity = This period does not fit the indicator's periodicity.
import-error-encoding = The file is not UTF-8 text: save it as CSV in UTF-8.
import-error-header = The first row must name the columns unit, indicator, period and value (comment is optional).
import-error-row = The row cannot be read as CSV (an unclosed quote?).
import-error-unit = There is no unit with this code in the registry.
import-error-indicator = There is no indicator with this code.
import-error-comment = The comment is longer than 2,000 characters.
import-error-duplicate = The same unit, indicator and period appear on an earlier line (the number shown).
import-error-xlsx = The file is not an XLSX workbook, or its first sheet cannot be read.
stat-owe-title = Reporting
stat-owe-nav = Reporting
stat-owe-lead = The reports the association expects from your community: deadlines, what is missing and what came back with a comment.
stat-owe-none = You owe nothing right now. Thank you!
stat-owe-missing = { $n ->
    [one] { $n } value is missing.
   *[other] { $n } values are missing.
}
stat-owe-returned = Sent back for correction:
stat-owe-open = Fill in the report
stat-owe-done = Reports submitted
stat-campaigns-title = Data collection
stat-campaigns-none = No collection campaigns yet.
stat-campaign-title = Collection campaign
stat-campaign-new = New campaign
stat-campaign-start = Start collecting
stat-campaign-note = Note to the communities
stat-campaign-close = Close the campaign
stat-closed = closed
stat-deadline = Deadline
stat-due-today = due today
stat-days-left = { $n ->
    [one] { $n } day left
   *[other] { $n } days left
}
stat-days-late = { $n ->
    [one] { $n } day late
   *[other] { $n } days late
}
stat-report-title = Community report
stat-report-open = not submitted
stat-report-submitted = submitted, awaiting review
stat-report-returned = sent back for correction
stat-report-approved = approved
stat-report-status = Report
stat-timeliness-on_time = on time
stat-timeliness-late = late
stat-timeliness-missing = not yet submitted
stat-community = Community
stat-dataset = Data set
stat-period = Period
stat-period-hint = A year (2025), a quarter (2025-Q3) or a month (2025-07).
stat-locked-note = This period is locked: its values no longer change.
stat-problems = { $n ->
    [one] The report was not submitted: { $n } field needs attention. The draft is saved.
   *[other] The report was not submitted: { $n } fields need attention. The draft is saved.
}
stat-form-lead = Numbers may have spaces between thousands and a comma or a point before decimals. The draft is saved as you type; without a connection, your browser keeps it.
stat-returned-note = Coordinator's comment:
stat-last-period = Last period
stat-change = change
stat-comment = Comment
stat-restored = What you typed on this device while offline is back in the form. Check it and submit the report.
stat-save-draft = Save draft
stat-submit = Submit the report
stat-values-title = Values and their history
stat-value = Value
stat-state = State
stat-history = History
stat-history-system = system
stat-state-draft = draft
stat-state-submitted = submitted
stat-state-approved = approved
stat-state-returned = sent back
stat-warn-change = A change of { $pct } % from last period is larger than usual. Explain it in the comment and the report will go through.
stat-warn-change-from-zero = This was zero last period. Explain the change in the comment and the report will go through.
stat-review-title = Review
stat-review-lead = Mark the values to correct and say why. With nothing marked, the report is approved.
stat-send-back = Send back for correction
stat-review-note = What is wrong
stat-review-submit = Approve, or send back what is marked
stat-done-saved = Draft saved.
stat-done-submitted = Report submitted. The regional coordinator will review it.
stat-done-approved = Report approved: its values are now public.
stat-done-returned = Report sent back to the community with your comments.
stat-done-created = Campaign started: the communities see it in their reporting.
stat-done-reminded = Reminders queued.
stat-done-closed = Campaign closed.
stat-done-locked = Period locked.
stat-done-unlocked = Period unlocked.
stat-scope = Who is asked
stat-scope-members = Every member community
stat-scope-office = The member communities of one regional office
stat-scope-list = Communities from a list
stat-office = Regional office
stat-units = Codifier codes of the communities
stat-units-hint = Separated by spaces, commas or new lines, such as UA05020030000031457.
stat-completeness = Completeness
stat-asked = Asked
stat-reported = Reported
stat-on-time = On time
stat-late = Late
stat-missing = Missing
stat-approved = Approved
stat-returned = Sent back
stat-by-oblast = By oblast
stat-by-office = By regional office
stat-by-community = By community
stat-oblast = Oblast
stat-submitted-at = Submitted
stat-reminders = Reminders
stat-remind-now = Remind the communities that owe now
stat-no-office = no office
stat-locks-title = Locked periods
stat-locks-lead = When a period's figures are final, lock it: forms, reviews and imports no longer change its values.
stat-locks-none = No period is locked.
stat-lock = Lock a period
stat-unlock = Unlock
stat-error-dataset = Choose a data set from the list.
stat-error-deadline = The deadline is a date written YYYY-MM-DD.
stat-error-deadline-past = The deadline cannot be in the past.
stat-error-note-long = The note is longer than 2,000 characters.
stat-error-office = There is no such regional office.
stat-error-units = Some codes are not hromadas of the registry.
stat-error-no-units = The campaign asks nobody: there are no communities in that circle.
stat-error-scope = The circle of communities is members, office or list.
stat-error-locked = This period is locked: its values no longer change.
stat-error-closed = The campaign is closed.
stat-error-not-open = The report has been submitted: it can change only when the coordinator sends it back.
stat-error-not-submitted = Only a submitted report can be reviewed.
stat-error-note = Say what needs correcting.
mail-stat-reminder-before-subject = Reminder: a report is due soon
mail-stat-reminder-before-body = The association expects your community's report "{ $dataset }" for { $period }. It is due on { $deadline }. You can fill it in bit by bit: the draft is kept.
mail-stat-reminder-after-subject = A report is overdue
mail-stat-reminder-after-body = The report "{ $dataset }" for { $period } was due on { $deadline }, and your community's has not come yet. Please submit it as soon as you can.
mail-stat-reminder-now-subject = A reminder about a report for the association
mail-stat-reminder-now-body = A reminder about the report "{ $dataset }" for { $period }, due on { $deadline }.
mail-stat-reminder-returned = The coordinator sent some values back for correction; their comments are in the report.
mail-stat-reminder-action = Open the report
stat-import-title = Statistics import
stat-import-lead = A CSV or XLSX file with the columns unit (codifier code), indicator (indicator code), period, value and, optionally, comment. Imported values are approved at once. Importing the same file again changes nothing.
stat-import-file = File
stat-import-file-hint = CSV in UTF-8 (comma or semicolon) or an XLSX workbook (first sheet), up to { $n } MB.
stat-import-mode = What to do with bad rows
stat-import-mode-all = All or nothing: with a bad row, no row is loaded
stat-import-mode-good = Load the good rows, report the bad ones
stat-import-source = Source
stat-import-source-hint = Where these figures come from; without it, the file's name is the source.
stat-import-submit = Import
stat-import-recent = Recent imports
stat-import-status-queued = queued
stat-import-status-running = running
stat-import-status-done = done
stat-import-status-failed = failed
stat-import-progress = { $n ->
    [one] { $n } row written
   *[other] { $n } rows written
}
stat-import-wait = This page refreshes itself while the import runs.
stat-import-failed = The import failed on our side; nothing of the file was kept. Please try again later.
stat-import-summary = Rows read: { $rows }; values written: { $written }; bad rows: { $bad }.
stat-import-summary-refused = The file was not imported: { $bad } of { $rows } rows are bad. Nothing was kept. Fix them, or choose to load the good rows.
stat-import-download = Download the report of bad rows (CSV)
stat-import-bad-rows = Bad rows
stat-import-col-line = Line
stat-import-col-reason = Reason
stat-import-col-found = Found
stat-import-more = { $n ->
    [one] …and { $n } more row in the report.
   *[other] …and { $n } more rows in the report.
}
stat-import-again = Import another file
stat-import-too-large = The file is larger than 100 MB. Split it into parts.
import-error-locked = The period is locked: its values no longer change.
import-error-rule = The value breaks a rule between indicators (the rule is named).
stat-index-title = Statistics
stat-index-lead = Community indicators: population, territory, budget revenues, and what communities report to the association. Only approved values are here, each with its source.
stat-index-datasets = What the association collects
stat-export-title = Download data
stat-export-indicators = Indicators
stat-export-indicators-hint = With none ticked, every indicator.
stat-export-periods = Periods
stat-export-periods-hint = Separated by commas, such as 2022, 2023. Empty: every period.
stat-export-parent = Territory (codifier code)
stat-export-parent-hint = An oblast or a raion: the values of every community within it. Empty: the whole country.
stat-export-format = Format
stat-export-submit = Download
stat-export-api = The same data through the API:
stat-error-export-too-big = The selection holds more than 500,000 values: narrow it by indicators, periods or territory.
stat-error-export-format = The format is csv, xlsx or json.
stat-to-review = Waiting for your review
stat-to-review-count = { $n ->
    [one] { $n } report
   *[other] { $n } reports
}
