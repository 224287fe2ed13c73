# Accounts: API tokens, login protection, the second factor (issue 16).

tokens-lead = A token acts with the privileges it was created with. When the account's roles, password or second factor change, all its tokens are revoked and a mail says so.
token-needs-second-factor = Staff accounts create API tokens only on their account page after signing in with the second factor, not with another token. The server's operator can create one with “hromada token create”.
totp-unreadable = This account's second factor cannot be checked: the server's encryption key does not open it. Ask an administrator to reset your second factor.

tokens-revoked-role-granted = the account was given a staff role
tokens-revoked-role-removed = a role was removed from the account
tokens-revoked-second-factor = the account's second factor was reset
tokens-revoked-password = the account's password was changed

mail-tokens-revoked-subject = The API tokens of your account were revoked
mail-tokens-revoked-body = The API tokens of your account (revoked: { $count }) no longer work, because { $reason }.
mail-tokens-revoked-advice = A token acts only with the privileges it was created with. If you still need one, create a new token on your account page; staff do so after signing in with the second factor.
mail-tokens-revoked-action = Open your account

mail-login-burst-subject = Failed attempts to sign in to your account
mail-login-burst-body = In the last { $minutes } minutes there were { $count } failed attempts to sign in to your account; the latest came from the address { $address }.
mail-login-burst-advice = If it was you, there is nothing to do: signing in from a device you have used before works as usual. If not, someone is guessing your password — change it to a longer one on your account page.
mail-login-burst-action = Open your account
