## The Mayors' Club

club-apply-title = Apply to the Mayors' Club
club-apply-lead = Any current or former head of a Ukrainian city or hromada may join the Mayors' Club. Membership is free, has no end date and stays after the term of office. The club's committee reviews each application; you will learn its decision by mail in the language you choose.
club-name = Full name
club-community = City or hromada
club-community-hint = The name of the hromada or city, or its KATOTTH code (UA and 17 digits).
club-community-choose = Several communities match this name; choose yours:
club-term-since = Head since
club-term-until = Head until (if the term has ended)
club-motivation = Why you want to join the club
club-lang = Language for our letters
club-submit = Send the application
club-submitted = Your application has arrived. We have sent you a mail with a link to this page, where you can follow its review.
club-application-title = Your application to the Mayors' Club
club-status = Status
club-submitted-on = Sent
club-link-private = This page opens only through the link in our mail; do not pass it on.
club-status-submitted = sent, waiting for the committee
club-status-more_info = the committee asks for more information
club-status-accepted = accepted into the club
club-status-declined = declined
club-status-withdrawn = withdrawn
club-error-name = Give your full name (3 to 200 characters).
club-error-community = No such hromada or city is in the registry; give its name more exactly or its KATOTTH code.
club-error-community-choose = Several communities match this name, or none exactly: choose yours below or give its KATOTTH code.
club-error-motivation = Describe your motivation (20 to 5,000 characters).
club-error-lang = Choose the language for our letters.
mail-club-received-subject = Your application to the Mayors' Club has arrived
mail-club-received-body = Thank you for applying to the Mayors' Club. The club's committee will review your application and tell you its decision by mail. You can follow the review through the link below.
mail-club-received-action = See the application
club-review-title = Applications to the Mayors' Club
club-review-none = There are no applications yet.
club-reviews = Recommendations
club-reviews-none = No recommendations yet.
club-review-give = Your recommendation
club-recommendation = Recommendation
club-comment = Comment
club-recommend-accept = accept
club-recommend-decline = decline
club-recommend-more_info = ask for more information
club-reviewed = Recommendation saved.
club-error-closed = This application has been decided already.
club-error-recommendation = Choose a recommendation from the list.
club-error-comment = Add a comment (up to 5,000 characters).
club-listed-agree = List me on the club's public page once I am a member.
club-steps = Decisions and answers
club-step-accept = The chair accepted the application
club-step-decline = The chair declined the application
club-step-more_info = The committee asked for more information
club-step-answer = The applicant answered
club-answer-title = Answer the committee
club-answer = Your answer
club-answer-send = Send the answer
club-answered = Your answer has reached the committee.
club-quorum-line = { $count ->
    [one] { $count } recommendation
   *[other] { $count } recommendations
} given; { $number } needed before the chair decides.
club-decision-give = The chair's decision
club-decision = Decision
club-note = Message to the applicant
club-note-hint = It goes into the letter. Required when declining or asking for more information.
club-decision-record = Record the decision and send the letter
club-decided = The decision is recorded and the letter is on its way.
club-error-quorum = Not enough committee members have given a recommendation yet to reach the quorum.
club-error-note = Write a message to the applicant (up to 5,000 characters); it is required when declining or asking for more information.
club-error-no-question = The committee has not asked you anything that awaits an answer.
club-error-answer = Write your answer (up to 5,000 characters).
club-error-not-member = Only a member of the Mayors' Club can do this; a delegate cannot act for a member here.
club-error-delegate-self = You cannot name yourself as your own delegate.
club-error-delegate-name = There is no account with this address yet: give the delegate's full name (3 to 200 characters) so that we can invite them.
club-error-delegate-already = This person is your delegate already.
club-error-quorum-range = The quorum is a whole number from 1 to 50.
club-error-confirm = Tick the box to confirm that you are leaving the club.
club-settings-title = Mayors' Club settings
club-settings-saved = Settings saved.
club-quorum = Quorum of the committee
club-quorum-hint = How many committee members must give a recommendation before the chair may decide.
club-title = Mayors' Club
club-lead = The Mayors' Club brings together current and former heads of Ukrainian cities and hromadas to share experience and speak with one voice. Membership is free and has no end date.
club-members = Members
club-members-count = { $count ->
    [one] The club has { $count } member.
   *[other] The club has { $count } members.
}
club-members-hidden = { $count ->
    [one] { $count } of them chose not to be listed here.
   *[other] { $count } of them chose not to be listed here.
}
club-member-since = member since
club-me-title = My membership in the Mayors' Club
club-listed = Listed on the public page
club-listed-yes = yes
club-listed-no = no
club-listing = The public club page
club-delegates = Delegates
club-delegates-lead = Delegates are accounts of people on your staff who may act for you: register you for events and edit your mayor's page. They cannot vote or change your delegates.
club-delegates-none = You have named no delegates.
club-delegate-revoke = End delegation
club-delegate-name = Name a delegate
club-delegate-fullname = The delegate's full name
club-delegate-fullname-hint = Needed only when the delegate has no account yet: we will invite them by mail.
club-delegate-add = Name the delegate
club-resign = Leave the club
club-resign-confirm = I am leaving the Mayors' Club; my delegations end with it.
club-not-member = Your account is not a member of the Mayors' Club.
club-acting-for = You act as a delegate for
club-done-listed = You are now listed on the public club page.
club-done-unlisted = You are no longer listed on the public club page.
club-done-resigned = You have left the club.
club-done-named = The delegate is named; we have told them by mail.
club-done-revoked = The delegation has ended.
mail-club-accept-subject = Welcome to the Mayors' Club
mail-club-accept-body = We are glad to tell you that the committee of the Mayors' Club has accepted your application. You are now a member of the club; membership is free and has no end date.
mail-club-accept-next = Next steps: sign in through the link below; on your club page choose whether to be listed publicly, name delegates from your staff if you wish, and fill in your mayor's page, which our editors publish after review.
mail-club-accept-open = Open your club page
mail-club-accept-password = { $count ->
    [one] Set your password (the link works for { $count } day)
   *[other] Set your password (the link works for { $count } days)
}
mail-club-decline-subject = Your application to the Mayors' Club
mail-club-decline-body = Thank you for your interest in the Mayors' Club. After review, the committee has decided not to accept your application. The chair's message follows.
mail-club-more_info-subject = The Mayors' Club committee asks for more information
mail-club-more_info-body = The committee of the Mayors' Club is reviewing your application and asks for more information. The chair's message follows; you can answer on your application's page.
mail-club-more_info-action = Answer on the application's page
mail-club-delegate-subject = You are named a delegate of a Mayors' Club member
mail-club-delegate-body = { $name } has named you a delegate in the Mayors' Club: you may register them for events and edit their mayor's page.
mayor-edit-title = Edit the mayor's page
mayor-page = The mayor's page
club-apply-sent = Thank you! If the application was complete, we have sent a letter to the address you gave: its link lets you follow the review. If no letter arrives within a few minutes, please check the spam folder.
mail-club-apply-member-subject = Someone tried to apply to the Mayors' Club with your address
mail-club-apply-member-body = Someone (perhaps you) has just applied to the Mayors' Club with this address. You are a member already, so no new application was recorded. The link below opens your membership page.
mail-club-apply-open-subject = Someone tried to apply to the Mayors' Club again with your address
mail-club-apply-open-body = Someone (perhaps you) has just applied to the Mayors' Club with this address. An application from it is already under review, so no new one was recorded. Here is a new link to your application; the previous one no longer works.
mail-club-apply-ignore = If this was not you, there is nothing to do: nobody else sees your data, nor whether you are a member or have applied.
mail-club-accept-pending-link = The committee believes you are a person we already have a record of. We have asked that record's owner to confirm it by mail; until then your membership is on a new record.
mail-club-link-subject = Please confirm that the new member of the Mayors' Club is you
mail-club-link-body = The committee of the Mayors' Club accepted an application from “{ $name }” and believes it is you. If so, please confirm with the link below: the membership will then be recorded on your record. { $count ->
    [one] The link works for { $count } day.
   *[other] The link works for { $count } days.
}
mail-club-link-ignore = If you did not apply, do nothing: without your confirmation your record is not linked to the new member.
mail-club-link-action = Confirm it is me
club-link-title = Confirming a membership of the Mayors' Club
club-link-lead = The committee of the Mayors' Club accepted an application and believes you sent it. Confirm only if you really did.
club-link-record = Your record
club-link-not-you = If this is not you, close this page: nothing changes without your confirmation.
club-link-confirm = Yes, I applied
club-link-dead = The link does not work: it was used already or it expired.
club-matches = Possible match with a person on record
club-matches-lead = The applicant's name is that of a head of this community in our records. A name proves nothing: confirm that it is the same person only when you are sure. When the record has an account or a verified address, its owner must also confirm by mail.
club-match-confirmed = confirmed by the committee
club-match-owner = the owner must confirm
club-match-confirm = This is the same person
club-match-withdraw = Withdraw the confirmation
club-matched = The decision about the match is recorded.
club-error-match = Choose a person recorded as head of this community.
mail-club-link-details = The application was sent on { $date } from the address { $email }. If that is not your address, you did not apply.
club-link-address = Applicant's address
club-link-applied = Applied on
club-link-warning = What confirming does: the membership of the Mayors' Club is recorded on your record, and the delegates the applicant named lose their access. Your account and data stay yours; the applicant's account is not linked to your record. Confirm only if you yourself applied.
club-link-pending = The record's owner has not yet confirmed that the new member is them.
club-link-cancel = Cancel the confirmation request
club-link-cancelled = The confirmation request is cancelled: the link in the mail no longer works.
