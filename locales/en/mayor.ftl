## Mayors' pages and photos

mayor-field-bio = Biography
mayor-field-vision = Vision
mayor-field-social_impact = Social impact
mayor-field-achievements = Achievements
mayor-fallback-uk = This text is not yet available in English; the Ukrainian text is shown.
mayor-fallback-en = Цей текст ще не перекладено українською; показано англійський текст.
mayor-now = now
mayor-empty = This page has not been published yet.
mayor-person-link = Posts and contacts
mayor-edit-lead = Write each text in Ukrainian and, if you can, in English. Saved texts wait for an editor of the association, who publishes them; until then the public page shows the texts published before.
mayor-published-text = The published text
mayor-save = Save the drafts
mayor-publish-title = Publish (editors)
mayor-publish-none = No drafts wait for review.
mayor-publish-choose = Drafts to publish
mayor-publish = Publish the chosen drafts
mayor-photo = Photo
mayor-photo-hint = JPEG, PNG or WebP up to 12 MB. We resize it to 600 pixels and remove its metadata (camera, place, date) before storing it.
mayor-photo-file = Photo file
mayor-photo-upload = Upload the photo
mayor-photo-delete = Remove the photo
mayor-review-title = Mayors' pages waiting for review
mayor-review-none = No mayor's page waits for review.
mayor-review-drafts = { $count ->
    [one] { $count } draft
   *[other] { $count } drafts
}
mayor-state-missing = missing
mayor-state-draft = draft, waiting for review
mayor-state-reviewed = reviewed and published
mayor-done-saved = The drafts are saved; an editor will review them.
mayor-done-published = The chosen drafts are published.
mayor-done-photo = The photo is uploaded.
mayor-done-photo-deleted = The photo is removed.
mayor-error-long = A text may have at most 10,000 characters.
mayor-error-nothing = Choose at least one draft to publish.
lang-name-uk = Ukrainian
lang-name-en = English
photo-error-too-large = The photo is larger than 12 MB.
photo-error-format = The file is not a JPEG, PNG or WebP image, or it is damaged.
photo-error-dimensions = The image is too large in pixels (at most 12,000 on a side).
photo-error-small = The image is too small (at least 64 pixels on a side).
photo-error-none = Choose a photo to upload.
upload-error-too-large = The file is larger than allowed.
mayor-done-photo-waiting = The photo is uploaded; it will appear once an editor has reviewed it, and the page keeps the previous one until then.
mayor-photo-waiting = A new photo waits for an editor's review
mayor-error-photo-changed = The photo changed while you were looking: a new one arrived. Open the page again, look at the new photo and then publish.
