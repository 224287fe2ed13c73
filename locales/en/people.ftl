## People: verifying a contact address (issue 16)

people-email-verified = verified
people-email-unverified = not verified: the address counts only once the link we mailed to it is followed
people-email-hint = We will ask you to confirm a new address by mail; until then it does not count as yours.
people-done-contacts = The contacts are saved.
people-done-contacts-mailed = The contacts are saved. A letter with a confirmation link went to the new address.
people-verify-title = Confirming an email address
people-verify-lead = This address was given as the contact address of a person on the association's website. Please confirm that the address and the record are yours.
people-verify-person = Person
people-verify-not-you = If this is not you, do nothing: without confirmation the address is not used.
people-verify-confirm = Yes, this is my address
people-verify-dead = The link does not work: it was used already, it expired, or the address has changed since.
people-verify-done = Thank you! The address is confirmed.
people-verify-back = Go to the person's page
people-verify-home = Home
mail-person-verify-subject = Confirm your contact address
mail-person-verify-body = This address was given as the contact address of “{ $name }” on the association's website. If that is you, please confirm it with the link below; it works for { $hours } hours.
mail-person-verify-ignore = If you did not give this address, just ignore this letter: without confirmation it is not used.
mail-person-verify-action = Confirm the address
people-error-verify-daily = Too many confirmation letters went to this person's addresses today. Please try again tomorrow.
