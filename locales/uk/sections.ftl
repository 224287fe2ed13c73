## Professional sections at work

sections-coordinators = Координатори
sections-coordinators-none = ще не призначено
sections-member-count = Учасників
sections-pending = Ваш запит на вступ чекає рішення координатора.
sections-you-member = Ви учасник цієї секції.
sections-withdraw = Відкликати запит
sections-leave = Вийти із секції
sections-join = Подати запит на вступ
sections-note = Ваша посада й громада
sections-note-hint = Допоможе координаторові ухвалити рішення, наприклад «головна бухгалтерка, Вінницька громада».
sections-sign-in = Увійдіть, щоб вступити до секції
sections-announcements = Оголошення
sections-announcements-none = Оголошень ще немає.
sections-materials = Матеріали
sections-materials-none = Матеріалів ще немає.
sections-delete = Видалити
sections-members = Учасники
sections-members-none = Учасників ще немає.
sections-remove = Вилучити
sections-requests = Запити на вступ
sections-requests-none = Запитів немає.
sections-approve = Схвалити
sections-decline = Відхилити
sections-announce = Опублікувати оголошення
sections-title-field = Заголовок
sections-body-field = Текст
sections-upload = Завантажити матеріал
sections-file = Файл
sections-file-hint = { $count ->
    [one] PDF, Word, Excel, PowerPoint, OpenDocument, CSV, текст або зображення, до { $count } МБ.
    [few] PDF, Word, Excel, PowerPoint, OpenDocument, CSV, текст або зображення, до { $count } МБ.
   *[other] PDF, Word, Excel, PowerPoint, OpenDocument, CSV, текст або зображення, до { $count } МБ.
}
sections-purpose = Мета секції
sections-done-requested = Запит надіслано; рішення ухвалить координатор.
sections-done-left = Готово: участь припинено.
sections-done-approved = Запит схвалено.
sections-done-declined = Запит відхилено.
sections-done-announced = Оголошення опубліковано.
sections-done-uploaded = Матеріал завантажено.
sections-done-deleted = Матеріал видалено.
sections-done-purpose = Мету збережено.
sections-error-title = Вкажіть заголовок (до 200 символів).
sections-error-body = Напишіть текст (до 10 000 символів).
sections-error-note = Примітка може мати щонайбільше 500 символів.
sections-error-already = Ви вже подали запит на вступ до цієї секції або є її учасником.
sections-error-not-member = Ви не є учасником цієї секції й не маєте запиту, що очікує рішення.
sections-error-decision = Оберіть «схвалити» або «відхилити».
sections-error-kind = Такий тип файлу не приймається: використовуйте PDF, Word, Excel, PowerPoint, OpenDocument, CSV, текст, JPEG або PNG.
sections-error-too-large = Файл більший за 20 МБ.
sections-error-purpose = Напишіть мету українською (і, якщо можете, англійською), до 2000 символів кожна.
