## Professional sections at work

sections-coordinators = Coordinators
sections-coordinators-none = not yet appointed
sections-member-count = Members
sections-pending = Your request to join waits for a coordinator.
sections-you-member = You are a member of this section.
sections-withdraw = Withdraw the request
sections-leave = Leave the section
sections-join = Ask to join
sections-note = Your post and community
sections-note-hint = Helps the coordinator decide, for example "chief accountant, Vinnytska hromada".
sections-sign-in = Sign in to join the section
sections-announcements = Announcements
sections-announcements-none = No announcements yet.
sections-materials = Materials
sections-materials-none = No materials yet.
sections-delete = Delete
sections-members = Members
sections-members-none = No members yet.
sections-remove = Remove
sections-requests = Requests to join
sections-requests-none = No requests wait.
sections-approve = Approve
sections-decline = Decline
sections-announce = Post an announcement
sections-title-field = Title
sections-body-field = Text
sections-upload = Upload a material
sections-file = File
sections-file-hint = { $count ->
    [one] PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text or an image, up to { $count } MB.
   *[other] PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text or an image, up to { $count } MB.
}
sections-purpose = The section's purpose
sections-done-requested = Your request is sent; a coordinator will decide.
sections-done-left = Done: the membership has ended.
sections-done-approved = The request is approved.
sections-done-declined = The request is declined.
sections-done-announced = The announcement is posted.
sections-done-uploaded = The material is uploaded.
sections-done-deleted = The material is deleted.
sections-done-purpose = The purpose is saved.
sections-error-title = Give a title (up to 200 characters).
sections-error-body = Write the text (up to 10,000 characters).
sections-error-note = The note may have at most 500 characters.
sections-error-already = You have asked to join this section already, or you are a member.
sections-error-not-member = You are not a member of this section and have no request waiting.
sections-error-decision = Choose approve or decline.
sections-error-kind = This kind of file is not accepted: use PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text, JPEG or PNG.
sections-error-too-large = The file is larger than 20 MB.
sections-error-purpose = Write the purpose in Ukrainian (and, if you can, in English), up to 2,000 characters each.
