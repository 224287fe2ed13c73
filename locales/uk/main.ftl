site-name = hromada
skip-to-content = Перейти до змісту
nav-label = Головне меню
nav-home = Головна
switch-language = English
footer-text = Платформа асоціації органів місцевого самоврядування України.
home-title = Громади України разом
home-lead = Тут асоціація та її громади працюють разом: реєстр громад, членство, новини, статистика, допомога і партнерство.
home-areas = Розділи
home-area-registry = Реєстр адміністративно-територіальних одиниць і профілі громад
home-area-members = Громади-члени, регіональні відділення, секції, Клуб мерів
home-area-news = Новини за секторами і щотижневий дайджест
home-area-statistics = Муніципальна статистика
demo = демо
all = усі
status = Стан
created = Створено
last-used = Востаннє вжито
filter-button = Показати
date-from = З дати
date-to = По дату
pages-label = Сторінки
page-prev = Попередня
page-next = Наступна
back-home = На головну
roles = Ролі

hromada-count = { $count ->
    [one] { $count } громада
    [few] { $count } громади
    [many] { $count } громад
   *[other] { $count } громади
}

role-admin = адміністратор
role-editor = редактор
role-coordinator = координатор регіонального відділення
role-community-official = посадова особа громади
role-section-coordinator = координатор секції
role-partner = партнерський муніципалітет
role-club-committee = член комітету Клубу мерів
role-club-chair = голова комітету Клубу мерів

field-email = Електронна пошта
field-password = Пароль
field-current-password = Поточний пароль
field-new-password = Новий пароль
field-repeat-password = Повторіть новий пароль
field-name = Ім’я
field-code = Код із застосунку
field-role = Роль
field-scope = Сфера дії ролі
field-scope-help = Для координатора — регіональне відділення, для посадової особи — код громади, для учасника — секція. Для інших ролей залиште порожнім.
field-lang = Мова листів

login-title = Вхід
login-button = Увійти
login-failed = Неправильна пошта або пароль.
logout = Вийти
second-factor-title = Підтвердження входу
second-factor-lead = Введіть шестизначний код із застосунку-автентифікатора.
confirm-button = Підтвердити

forgot-title = Забули пароль?
forgot-lead = Вкажіть пошту облікового запису, і ми надішлемо посилання для нового пароля.
forgot-button = Надіслати посилання
forgot-sent = Якщо такий обліковий запис існує, ми надіслали на його пошту посилання. Воно діє 2 години.
reset-title = Новий пароль
reset-button = Зберегти пароль
password-reset-done = Пароль змінено. Увійдіть з новим паролем.
password-rules = Щонайменше 10 символів; можна фразу з кількох слів.
password-too-short = Пароль закороткий: потрібно щонайменше 10 символів.
password-too-long = Пароль задовгий: не більше 256 символів.
password-is-email = Пароль не може збігатися з адресою пошти.
password-mismatch = Паролі не збігаються.
password-current-wrong = Поточний пароль неправильний.
password-change-title = Змінити пароль
password-change-button = Змінити пароль
password-changed = Пароль змінено. Усі інші сеанси завершено.
link-invalid = Посилання недійсне: його вже використано або строк його дії минув. Попросіть нове.

verify-title = Підтвердження пошти
verify-done = Адресу пошти підтверджено. Дякуємо!
verification-resend = Надіслати лист підтвердження ще раз
verification-sent = Лист для підтвердження пошти надіслано.
email-unverified = не підтверджено
email-unverified-banner = Адресу вашої пошти ще не підтверджено. Перевірте скриньку або надішліть лист ще раз зі сторінки облікового запису.

account-title = Обліковий запис
totp-title = Двофакторна автентифікація
totp-on = увімкнено
totp-off = не налаштовано — налаштувати
totp-lead = Працівники асоціації входять із другим чинником. Відскануйте QR-код застосунком-автентифікатором (наприклад, FreeOTP або Aegis) або введіть ключ вручну, а потім введіть код.
totp-secret-label = Ключ для ручного введення:
totp-enable-button = Увімкнути
totp-enabled = Двофакторну автентифікацію увімкнено.
totp-already = Двофакторну автентифікацію вже увімкнено.
totp-wrong = Код неправильний або вже використаний. Введіть новий код із застосунку.
totp-not-started = Спершу відкрийте сторінку налаштування двофакторної автентифікації.

tokens-title = Ключі API
tokens-none = Ключів ще немає.
token-name = Назва ключа
token-create = Створити ключ
token-created = Ключ створено. Скопіюйте його зараз: більше його не буде показано.
token-prefix = Початок
token-revoke = Відкликати
token-revoked = Ключ відкликано.
token-revoked-status = відкликано
token-name-required = Дайте ключу назву (до 100 символів).

users-title = Користувачі
users-total = { $count ->
    [one] { $count } обліковий запис
    [few] { $count } облікові записи
    [many] { $count } облікових записів
   *[other] { $count } облікового запису
}
invite-title = Запросити користувача
invite-lead = Новий користувач отримає лист із посиланням, щоб задати пароль. Посилання діє 7 днів.
invite-button = Запросити
user-invited = Запрошення для { $email } поставлено в чергу пошти.
email-invalid = Це не схоже на адресу пошти.
email-taken = Обліковий запис із цією поштою вже існує.
name-required = Вкажіть ім’я (до 200 символів).
scope-required = Для цієї ролі потрібна сфера дії.
scope-not-allowed = Ця роль діє по всій країні: сферу не вказують.
role-invalid = Невідома роль.
lang-invalid = Мова має бути uk або en.

audit-title = Журнал змін
audit-total = { $count ->
    [one] { $count } запис
    [few] { $count } записи
    [many] { $count } записів
   *[other] { $count } запису
}
audit-when = Коли
audit-actor = Хто
audit-action = Дія
audit-entity = Об’єкт
audit-entity-id = Ідентифікатор об’єкта
audit-changes = Зміни

outbox-title = Вихідна пошта
outbox-total = { $count ->
    [one] { $count } лист
    [few] { $count } листи
    [many] { $count } листів
   *[other] { $count } листа
}
outbox-no-smtp = Сервер пошти (HROMADA_SMTP_URL) не налаштовано: листи чекають тут, їх можна прочитати.
outbox-to = Кому
outbox-subject = Тема
outbox-attempts = Спроби
outbox-sent = Надіслано
outbox-error = Помилка
outbox-body = Текст листа
outbox-requeue = Надіслати ще раз
outbox-not-failed = Повторно надіслати можна лише лист, що не дійшов.
outbox-status-queued = у черзі
outbox-status-sending = надсилається
outbox-status-sent = надіслано
outbox-status-failed = не доставлено

mail-greeting = Вітаємо, { $name }!
mail-footer = hromada — платформа асоціації органів місцевого самоврядування. Якщо ви не очікували цього листа, просто проігноруйте його.
mail-verify-subject = Підтвердьте адресу пошти
mail-verify-body = Підтвердьте, будь ласка, що ця адреса належить вам. Посилання діє { $hours } год.
mail-verify-action = Підтвердити пошту
mail-reset-subject = Новий пароль для hromada
mail-reset-body = Хтось (можливо, ви) попросив новий пароль для вашого облікового запису. Посилання діє { $hours } год і спрацює лише один раз.
mail-reset-action = Задати новий пароль
mail-invite-subject = Запрошення до hromada
mail-invite-body = Для вас створено обліковий запис. Задайте пароль за посиланням; воно діє { $hours } год.
mail-invite-action = Задати пароль

error-title = Помилка
error-not-found-title = Сторінку не знайдено
error-code = Код відповіді:
error-not-found = Такої сторінки немає. Перевірте адресу або почніть з головної.
error-bad-request = Запит не вдалося зрозуміти.
error-invalid = Деякі поля заповнено неправильно.
error-control-characters = Текст містить недопустимі керівні символи (наприклад, нульовий байт). Приберіть їх і спробуйте ще раз.
error-invalid-body = Дані запиту неповні або мають неправильний формат.
error-field-value = Значення не того виду, що тут очікується (число, дата, слово зі списку).
error-login-required = Потрібно увійти.
error-second-factor = Спершу підтвердьте вхід другим чинником.
error-forbidden = У вас немає доступу до цієї сторінки.
error-csrf = Форма застаріла. Оновіть сторінку і спробуйте ще раз — введене нижче не збережено.
error-too-many = Забагато спроб. Спробуйте знову через { $minutes } хв.
error-invalid-token = Ключ API недійсний або відкликаний.
error-method-not-allowed = Цей метод запиту тут не підтримується.
error-payload-too-large = Запит завеликий.
error-unsupported-media-type = Непідтримуваний тип даних запиту.
error-internal = Щось пішло не так з нашого боку. Ми вже записали помилку; спробуйте пізніше.
error-date = Дату потрібно вказати як РРРР-ММ-ДД.
error-limit-range = limit має бути від 1 до 500.
error-offset-range = offset не може бути від’ємним.
error-status = Невідомий стан.

user-title = Обліковий запис
users-back = ← Усі користувачі
user-status = Стан
user-active = активний
user-disabled-since = вимкнено з
user-no-roles = Ролей немає: обліковий запис може увійти, але бачить лише публічні сторінки.
actions = Дії
role-add = Додати роль
role-remove = Прибрати
user-access = Доступ
user-disable = Вимкнути обліковий запис
user-disable-help = Вимкнений обліковий запис не може увійти; його сесії завершуються, а API-токени перестають діяти. Нічого з того, що він створив, не видаляється.
user-enable = Увімкнути обліковий запис
user-reset-totp = Скинути другий фактор
user-reset-totp-help = Якщо телефон втрачено: автентифікатор облікового запису забувається, сесії завершуються, і під час наступного входу налаштовується новий.
user-done-granted = Роль додано.
user-done-revoked = Роль прибрано; обліковий запис має увійти знову.
user-done-disabled = Обліковий запис вимкнено.
user-done-enabled = Обліковий запис знову увімкнено.
user-done-totp-reset = Другий фактор скинуто.
last-admin = Тоді не залишиться жодного активного адміністратора. Спершу надайте роль адміністратора іншому обліковому запису.
cannot-disable-self = Не можна вимкнути власний обліковий запис.
totp-not-enrolled = У цього облікового запису немає другого фактора, який можна скинути.
scope-too-long = Сфера дії задовга (не більше 100 символів).
user-disabled = вимкнено
