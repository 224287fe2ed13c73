## The association: members, regional offices, sections

nav-members = Members
members-title = Member communities
members-figures = { $count ->
    [one] { $count } member community
   *[other] { $count } member communities
}: { $population } people live in them, { $share }% of Ukraine's population (on 1 January 2022, without Crimea and Sevastopol), as of { $date }.
members-filters = Filters
members-col-oblast = Oblast
members-col-office = Regional office
members-col-since = Member since
members-col-until = Until
members-col-end = How it ended
members-col-decision = Council decision
members-sort = Sort
members-sort-name = by name
members-sort-population = by population
members-sort-since = by date of joining
members-on = As of
members-band-0-5k = under 5,000
members-band-5k-10k = 5,000–10,000
members-band-10k-50k = 10,000–50,000
members-band-50k-100k = 50,000–100,000
members-band-over-100k = over 100,000
members-found = { $count ->
    [one] { $count } community matches
   *[other] { $count } communities match
}
members-map-caption = Member communities are green. Boundaries from OCHA COD-AB (2024).
members-add = Add a member
members-open = Open
members-unit-page = Page in the registry
members-is-member = The community is a member of the association.
members-not-member = The community is not a member of the association now.
members-history = Membership history
members-history-none = The community has never been a member of the association.
members-decision = decision No. { $number } of { $date }
members-decision-number = Council decision number
members-decision-on = Council decision date
members-end-suspended = membership suspended
members-end-left = left the association
members-end-title = Suspension or leaving
members-join-title = Joining the association
members-done-joined = Membership recorded.
members-done-ended = The end of membership is recorded.
members-error-not-community = Only a territorial hromada or a city from the registry can be a member.
members-error-already = The community is a member already.
members-error-overlaps = A new membership cannot start before the previous one ended.
members-error-date = The date must be no earlier than 1992 and no later than today.
members-error-ends-before = A membership cannot end before it started.
members-error-not-member = The community is not a member now.
members-error-office = Choose a regional office you may manage.
members-error-reason = Choose how the membership ended.
members-error-decision = The decision number is too long (100 characters at most).
error-filter = There is no such filter value.
offices-title = Regional offices
offices-none = No regional offices have been added yet.
offices-oblasts = Oblasts
offices-members = Member communities
offices-head = Head
offices-email = Email
offices-phone = Phone
offices-address = Address
sections-title = Professional sections
sections-lead = Sections bring together local government specialists of one field: they share experience, prepare positions on draft laws and share materials.
demo-tag = demo
demo-banner = This is demo data, not a real office of the association.
members-demo-banner = Demo data: the members and regional offices below are made up for the demonstration and are not real.
members-import-title = Import member communities
members-import-lead = Upload a UTF-8 CSV file with the header row code,since,regional_office and, optionally, decision_number,decision_on. Each row is a community (its KATOTTH code), the day it joined and its regional office. The file is applied whole or not at all; every row is checked against the registry.
members-import-offices = Offices you may add members to:
members-imported = { $count ->
    [one] { $count } community imported.
   *[other] { $count } communities imported.
}
members-import-problem = Line { $line } ({ $code }): { $message }
offices-error-slug = The short name is 2 to 40 lower-case Latin letters, digits and hyphens.
offices-error-name = The name is required (200 characters at most).
offices-error-long = The value is too long (300 characters at most).
offices-error-taken = There is an office with this short name already.
offices-add = Add an office
offices-edit = Change the details
offices-slug = Short name (Latin, for addresses and files)
offices-name-uk = Name in Ukrainian
offices-name-en = Name in English
