jobs-title = Background jobs
jobs-total = { $count ->
    [one] { $count } job
   *[other] { $count } jobs
}
jobs-quarantined-count = { $count ->
    [0] No job is quarantined.
    [one] { $count } job is quarantined: it ran out of attempts and waits for you to look at its error and run it again.
   *[other] { $count } jobs are quarantined: they ran out of attempts and wait for you to look at their errors and run them again.
}
jobs-kind = Job
jobs-attempts = Attempts
jobs-error = Last error
jobs-action = Action
jobs-retry = Run again
jobs-error-not-quarantined = Only a quarantined job can be run again by hand.
jobs-status-queued = queued
jobs-status-running = running
jobs-status-done = done
jobs-status-quarantined = quarantined
jobs-status-failed = failed
import-error-xlsx-size = The sheet is too large to import: at most 64 columns (up to BL) and 10,000,000 cells are read. Remove cells far outside the table, or copy the table into a new workbook.
upload-errors-more = { $count ->
    [one] …and { $count } more row with errors, not listed: only the first { $listed } are shown.
   *[other] …and { $count } more rows with errors, not listed: only the first { $listed } are shown.
}
photo-error-pixels = The image has too many pixels: at most 40 megapixels (for example 7,700 × 5,200) and 12,000 on a side. Save a smaller copy and upload that.
import-error-xlsx-unpacked = The workbook unpacks to too much: at most 1 GB in all, and 256 MB for its shared texts and styles. Copy the table into a new workbook.
