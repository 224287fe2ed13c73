site-name = hromada
skip-to-content = Skip to content
nav-label = Main menu
nav-home = Home
switch-language = Українська
footer-text = The platform of an association of Ukrainian local governments.
home-title = Ukraine's communities together
home-lead = Here the association and its communities work together: the registry of communities, membership, news, statistics, aid and partnerships.
home-areas = Sections
home-area-registry = Registry of territorial units and community profiles
home-area-members = Member communities, regional offices, sections, the Mayors' Club
home-area-news = News by sector and the weekly digest
home-area-statistics = Municipal statistics
demo = demo
all = all
status = Status
created = Created
last-used = Last used
filter-button = Show
date-from = From
date-to = To
pages-label = Pages
page-prev = Previous
page-next = Next
back-home = Home page
roles = Roles

hromada-count = { $count ->
    [one] { $count } hromada
   *[other] { $count } hromadas
}

role-admin = administrator
role-editor = editor
role-coordinator = regional office coordinator
role-community-official = community official
role-section-coordinator = section coordinator
role-partner = partner municipality
role-club-committee = Mayors' Club committee member
role-club-chair = chair of the Mayors' Club committee

field-email = Email
field-password = Password
field-current-password = Current password
field-new-password = New password
field-repeat-password = Repeat the new password
field-name = Name
field-code = Code from the app
field-role = Role
field-scope = Scope of the role
field-scope-help = A regional office for a coordinator, a community code for an official, a section for a member. Leave empty for other roles.
field-lang = Language of mail

login-title = Log in
login-button = Log in
login-failed = Wrong email or password.
logout = Log out
second-factor-title = Confirm your login
second-factor-lead = Enter the six-digit code from your authenticator app.
confirm-button = Confirm

forgot-title = Forgot your password?
forgot-lead = Enter the email of your account and we will send you a link to set a new password.
forgot-button = Send the link
forgot-sent = If such an account exists, we have sent a link to its email. The link works for 2 hours.
reset-title = New password
reset-button = Save the password
password-reset-done = Your password has been changed. Log in with the new password.
password-rules = At least 10 characters; a phrase of several words works well.
password-too-short = The password is too short: it needs at least 10 characters.
password-too-long = The password is too long: 256 characters at most.
password-is-email = The password cannot be your email address.
password-mismatch = The passwords do not match.
password-current-wrong = The current password is wrong.
password-change-title = Change the password
password-change-button = Change the password
password-changed = Your password has been changed. All other sessions have ended.
link-invalid = This link is no longer valid: it has been used or has expired. Ask for a new one.

verify-title = Email confirmation
verify-done = Your email address is confirmed. Thank you!
verification-resend = Send the confirmation email again
verification-sent = A confirmation email is on its way.
email-unverified = not confirmed
email-unverified-banner = Your email address is not confirmed yet. Check your mailbox, or send the email again from your account page.

account-title = Account
totp-title = Two-factor authentication
totp-on = on
totp-off = not set up — set it up
totp-lead = Association staff log in with a second factor. Scan the QR code with an authenticator app (FreeOTP or Aegis, for example) or type the key in by hand, then enter a code.
totp-secret-label = Key to type in by hand:
totp-enable-button = Turn on
totp-enabled = Two-factor authentication is on.
totp-already = Two-factor authentication is already on.
totp-wrong = The code is wrong or was used already. Enter a new code from the app.
totp-not-started = Open the two-factor set-up page first.

tokens-title = API tokens
tokens-none = No tokens yet.
token-name = Token name
token-create = Create a token
token-created = The token was created. Copy it now: it will not be shown again.
token-prefix = Starts with
token-revoke = Revoke
token-revoked = The token was revoked.
token-revoked-status = revoked
token-name-required = Give the token a name (up to 100 characters).

users-title = Users
users-total = { $count ->
    [one] { $count } account
   *[other] { $count } accounts
}
invite-title = Invite a user
invite-lead = The new user gets an email with a link to set a password. The link works for 7 days.
invite-button = Invite
user-invited = An invitation to { $email } is in the mail queue.
email-invalid = This does not look like an email address.
email-taken = An account with this email already exists.
name-required = Enter a name (up to 200 characters).
scope-required = This role needs a scope.
scope-not-allowed = This role is national: it takes no scope.
role-invalid = Unknown role.
lang-invalid = The language must be uk or en.

audit-title = Audit log
audit-total = { $count ->
    [one] { $count } entry
   *[other] { $count } entries
}
audit-when = When
audit-actor = Who
audit-action = Action
audit-entity = Entity
audit-entity-id = Entity id
audit-changes = Changes

outbox-title = Outgoing mail
outbox-total = { $count ->
    [one] { $count } message
   *[other] { $count } messages
}
outbox-no-smtp = No mail server (HROMADA_SMTP_URL) is configured: messages wait here, where you can read them.
outbox-to = To
outbox-subject = Subject
outbox-attempts = Attempts
outbox-sent = Sent
outbox-error = Error
outbox-body = Message text
outbox-requeue = Send again
outbox-not-failed = Only a message that failed can be sent again.
outbox-status-queued = queued
outbox-status-sending = sending
outbox-status-sent = sent
outbox-status-failed = failed

mail-greeting = Hello, { $name }!
mail-footer = hromada — the platform of an association of Ukrainian local governments. If you did not expect this email, simply ignore it.
mail-verify-subject = Confirm your email address
mail-verify-body = Please confirm that this address is yours. The link works for { $hours } hours.
mail-verify-action = Confirm the email
mail-reset-subject = A new password for hromada
mail-reset-body = Someone (perhaps you) asked for a new password for your account. The link works for { $hours } hours and only once.
mail-reset-action = Set a new password
mail-invite-subject = Invitation to hromada
mail-invite-body = An account has been created for you. Set your password with the link; it works for { $hours } hours.
mail-invite-action = Set the password

error-title = Error
error-not-found-title = Page not found
error-code = Response code:
error-not-found = There is no such page. Check the address or start from the home page.
error-bad-request = The request could not be understood.
error-invalid = Some fields are not filled in correctly.
error-control-characters = The text contains control characters that are not allowed (such as a NUL byte). Remove them and try again.
error-invalid-body = The request data is incomplete or malformed.
error-field-value = This value is not of the kind expected here (a number, a date, a word from the list).
error-login-required = Please log in.
error-second-factor = Confirm your login with the second factor first.
error-forbidden = You do not have access to this page.
error-csrf = The form has expired. Reload the page and try again — what you typed below was not saved.
error-too-many = Too many attempts. Try again in { $minutes } min.
error-invalid-token = The API token is invalid or revoked.
error-method-not-allowed = This request method is not supported here.
error-payload-too-large = The request is too large.
error-unsupported-media-type = The request's content type is not supported.
error-internal = Something went wrong on our side. The error has been logged; please try again later.
error-date = Dates are written as YYYY-MM-DD.
error-limit-range = limit must be between 1 and 500.
error-offset-range = offset cannot be negative.
error-status = Unknown status.

user-title = Account
users-back = ← All users
user-status = Status
user-active = active
user-disabled-since = disabled since
user-no-roles = No roles: the account can sign in but sees only public pages.
actions = Actions
role-add = Add role
role-remove = Remove
user-access = Access
user-disable = Disable account
user-disable-help = A disabled account cannot sign in; its sessions end and its API tokens stop working. Nothing it created is deleted.
user-enable = Enable account
user-reset-totp = Reset second factor
user-reset-totp-help = For a lost phone: the account's authenticator is forgotten, its sessions end, and it sets up a new one at its next login.
user-done-granted = The role was added.
user-done-revoked = The role was removed; the account signs in again.
user-done-disabled = The account is disabled.
user-done-enabled = The account is enabled again.
user-done-totp-reset = The second factor was reset.
last-admin = This would leave no active administrator. Give another account the administrator role first.
cannot-disable-self = You cannot disable your own account.
totp-not-enrolled = This account has no second factor to reset.
scope-too-long = The scope is too long (at most 100 characters).
user-disabled = disabled
