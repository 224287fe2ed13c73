## Mayors' pages and photos

mayor-field-bio = Біографія
mayor-field-vision = Бачення
mayor-field-social_impact = Суспільний вплив
mayor-field-achievements = Досягнення
mayor-fallback-uk = This text is not yet available in English; the Ukrainian text is shown.
mayor-fallback-en = Цей текст ще не перекладено українською; показано англійський текст.
mayor-now = дотепер
mayor-empty = Цю сторінку ще не опубліковано.
mayor-person-link = Посади й контакти
mayor-edit-lead = Напишіть кожен текст українською і, якщо можете, англійською. Збережені тексти перевіряє редактор асоціації й публікує їх; доти публічна сторінка показує раніше опубліковані тексти.
mayor-published-text = Опублікований текст
mayor-save = Зберегти чернетки
mayor-publish-title = Публікація (редактори)
mayor-publish-none = Чернеток на перевірку немає.
mayor-publish-choose = Чернетки для публікації
mayor-publish = Опублікувати обрані чернетки
mayor-photo = Фото
mayor-photo-hint = JPEG, PNG або WebP до 12 МБ. Ми зменшуємо фото до 600 пікселів і видаляємо з нього метадані (камеру, місце, дату) перед збереженням.
mayor-photo-file = Файл фото
mayor-photo-upload = Завантажити фото
mayor-photo-delete = Видалити фото
mayor-review-title = Сторінки мерів на перевірці
mayor-review-none = Жодна сторінка мера не чекає на перевірку.
mayor-review-drafts = { $count ->
    [one] { $count } чернетка
    [few] { $count } чернетки
   *[other] { $count } чернеток
}
mayor-state-missing = відсутній
mayor-state-draft = чернетка, чекає перевірки
mayor-state-reviewed = перевірено й опубліковано
mayor-done-saved = Чернетки збережено; їх перевірить редактор.
mayor-done-published = Обрані чернетки опубліковано.
mayor-done-photo = Фото завантажено.
mayor-done-photo-deleted = Фото видалено.
mayor-error-long = Текст може мати щонайбільше 10 000 символів.
mayor-error-nothing = Оберіть хоча б одну чернетку для публікації.
lang-name-uk = українська
lang-name-en = англійська
photo-error-too-large = Фото більше за 12 МБ.
photo-error-format = Файл не є зображенням JPEG, PNG чи WebP або пошкоджений.
photo-error-dimensions = Зображення завелике в пікселях (щонайбільше 12 000 по стороні).
photo-error-small = Зображення замале (щонайменше 64 пікселі по стороні).
photo-error-none = Оберіть фото для завантаження.
upload-error-too-large = Файл більший за дозволений розмір.
mayor-done-photo-waiting = Фото завантажено; його опублікують після перевірки редактором, а доти на сторінці залишається попереднє.
mayor-photo-waiting = Нове фото очікує перевірки редактором
mayor-error-photo-changed = Фото змінилося, поки ви його переглядали: надійшло нове. Відкрийте сторінку ще раз, подивіться на нове фото й тоді публікуйте.
