stat-error-period = Період — це рік (2022), квартал (2022-Q3) або місяць (2022-07).
stat-error-empty = Значення порожнє.
stat-error-number = Це не число: пишіть цифри, десяткову частину — після коми або крапки.
stat-error-integer = Цей показник приймає лише цілі числа.
stat-error-yes-no = Відповідь — так чи ні (1 або 0).
stat-error-below = Значення менше за допустимий діапазон показника.
stat-error-above = Значення більше за допустимий діапазон показника.
stat-yes = так
stat-no = ні
stat-unit-title = Статистика
stat-indicator = Показник
stat-values = Значення за періодами
stat-partial-note = * Лише частина року.
stat-error-indicator = Показника з таким кодом немає.
stat-error-unit = Одиниці з таким кодом у реєстрі немає.
stat-error-periodicity = Цей період не відповідає періодичності показника.
import-error-encoding = Файл — не текст у UTF-8: збережіть його як CSV у кодуванні UTF-8.
import-error-header = Перший рядок має називати стовпці unit, indicator, period і value (comment — за бажанням).
import-error-row = Рядок не читається як CSV (не закрито лапки?).
import-error-unit = Одиниці з таким кодом у реєстрі немає.
import-error-indicator = Показника з таким кодом немає.
import-error-comment = Коментар довший за 2000 символів.
import-error-duplicate = Та сама одиниця, показник і період уже є в попередньому рядку (його номер показано).
import-error-xlsx = Файл — не книга XLSX, або її перший аркуш не читається.
stat-owe-title = Звітність
stat-owe-nav = Звітність
stat-owe-lead = Звіти, яких асоціація чекає від вашої громади: строки, чого бракує і що повернуто з коментарем.
stat-owe-none = Зараз ви нічого не винні. Дякуємо!
stat-owe-missing = { $n ->
    [one] Бракує { $n } значення.
    [few] Бракує { $n } значень.
   *[many] Бракує { $n } значень.
}
stat-owe-returned = Повернуто на виправлення:
stat-owe-open = Заповнити звіт
stat-owe-done = Подані звіти
stat-campaigns-title = Збір даних
stat-campaigns-none = Кампаній збору ще немає.
stat-campaign-title = Кампанія збору
stat-campaign-new = Нова кампанія
stat-campaign-start = Почати збір
stat-campaign-note = Примітка для громад
stat-campaign-close = Закрити кампанію
stat-closed = закрита
stat-deadline = Строк
stat-due-today = строк сьогодні
stat-days-left = { $n ->
    [one] лишився { $n } день
    [few] лишилося { $n } дні
   *[many] лишилося { $n } днів
}
stat-days-late = { $n ->
    [one] прострочено на { $n } день
    [few] прострочено на { $n } дні
   *[many] прострочено на { $n } днів
}
stat-report-title = Звіт громади
stat-report-open = не подано
stat-report-submitted = подано, чекає перевірки
stat-report-returned = повернуто на виправлення
stat-report-approved = затверджено
stat-report-status = Стан звіту
stat-timeliness-on_time = вчасно
stat-timeliness-late = із запізненням
stat-timeliness-missing = ще не подано
stat-community = Громада
stat-dataset = Набір даних
stat-period = Період
stat-period-hint = Рік (2025), квартал (2025-Q3) або місяць (2025-07).
stat-locked-note = Період закрито: значення за нього більше не змінюються.
stat-problems = { $n ->
    [one] Звіт не подано: { $n } поле потребує уваги. Чернетку збережено.
    [few] Звіт не подано: { $n } поля потребують уваги. Чернетку збережено.
   *[many] Звіт не подано: { $n } полів потребують уваги. Чернетку збережено.
}
stat-form-lead = Числа можна писати з пробілами між тисячами й комою перед дробовою частиною. Чернетка зберігається, поки ви пишете; без зв’язку її збереже ваш браузер.
stat-returned-note = Коментар координатора:
stat-last-period = Минулий період
stat-change = зміна
stat-comment = Коментар
stat-restored = Повернуто введене на цьому пристрої, поки не було зв’язку. Перевірте й подайте звіт.
stat-save-draft = Зберегти чернетку
stat-submit = Подати звіт
stat-values-title = Значення та їхня історія
stat-value = Значення
stat-state = Стан
stat-history = Історія змін
stat-history-system = система
stat-state-draft = чернетка
stat-state-submitted = подано
stat-state-approved = затверджено
stat-state-returned = повернуто
stat-warn-change = Зміна { $pct } % від минулого періоду — більше, ніж зазвичай. Поясніть її в коментарі, і звіт буде подано.
stat-warn-change-from-zero = Минулого періоду тут був нуль. Поясніть зміну в коментарі, і звіт буде подано.
stat-review-title = Перевірка
stat-review-lead = Позначте значення, які треба виправити, і напишіть чому. Якщо нічого не позначено, звіт буде затверджено.
stat-own-entry = Ви вносили або подавали значення цього звіту, тому затвердити його може лише інша людина. Повернути значення на виправлення ви можете.
stat-own-entry-admin = Ви вносили або подавали значення цього звіту. Затвердити його як адміністратор можна, лише написавши причину: вона залишиться в журналі дій.
stat-override-reason = Причина затвердження власного звіту
stat-send-back = Повернути на виправлення
stat-review-note = Що не так
stat-review-submit = Затвердити або повернути позначене
stat-done-saved = Чернетку збережено.
stat-done-submitted = Звіт подано. Координатор відділення його перевірить.
stat-done-approved = Звіт затверджено: значення тепер бачать усі.
stat-done-returned = Звіт повернуто громаді з вашими коментарями.
stat-done-created = Кампанію почато: громади бачать її у своїй звітності.
stat-done-reminded = Нагадування поставлено в чергу.
stat-done-closed = Кампанію закрито.
stat-done-locked = Період закрито.
stat-done-unlocked = Період відкрито.
stat-scope = Кого питаємо
stat-scope-members = Усі громади — члени асоціації
stat-scope-office = Громади — члени одного регіонального відділення
stat-scope-list = Громади зі списку
stat-office = Регіональне відділення
stat-units = Коди громад за кодифікатором
stat-units-hint = Через пробіл, кому або з нового рядка, наприклад UA05020030000031457.
stat-completeness = Повнота
stat-asked = Запитано
stat-reported = Подали
stat-on-time = Вчасно
stat-late = Із запізненням
stat-missing = Не подали
stat-approved = Затверджено
stat-returned = Повернуто
stat-by-oblast = За областями
stat-by-office = За регіональними відділеннями
stat-by-community = За громадами
stat-oblast = Область
stat-submitted-at = Подано
stat-reminders = Нагадування
stat-remind-now = Нагадати боржникам зараз
stat-no-office = без відділення
stat-locks-title = Закриті періоди
stat-locks-lead = Коли дані за період остаточні, закрийте його: форми, перевірка та імпорт більше не змінюватимуть значень за нього.
stat-locks-none = Закритих періодів немає.
stat-lock = Закрити період
stat-unlock = Відкрити
stat-error-dataset = Оберіть набір даних зі списку.
stat-error-deadline = Строк — це дата у форматі РРРР-ММ-ДД.
stat-error-deadline-past = Строк не може бути в минулому.
stat-error-note-long = Примітка довша за 2000 символів.
stat-error-office = Такого регіонального відділення немає.
stat-error-units = Деяких кодів немає серед громад реєстру.
stat-error-no-units = Кампанія нікого не питає: у вибраному колі немає громад.
stat-error-scope = Коло громад — members, office або list.
stat-error-locked = Період закрито: його значення більше не змінюються.
stat-error-closed = Кампанію закрито.
stat-error-not-open = Звіт уже подано: змінити його можна, лише коли координатор поверне його.
stat-error-not-submitted = Перевіряти можна лише поданий звіт.
stat-error-note = Напишіть, що треба виправити.
stat-error-four-eyes = Ви вносили або подавали значення цього звіту, тож затвердити його має інша людина: інший координатор відділення або адміністратор. Повернути значення на виправлення ви можете.
stat-error-override-reason = Ви самі вносили або подавали значення цього звіту. Щоб затвердити його, напишіть причину — вона залишиться в журналі дій.
mail-stat-reminder-before-subject = Нагадування: строк подання звіту спливає
mail-stat-reminder-before-body = Асоціація чекає від вашої громади звіт «{ $dataset }» за { $period }. Строк — { $deadline }. Звіт можна заповнювати частинами: чернетка зберігається.
mail-stat-reminder-after-subject = Строк подання звіту минув
mail-stat-reminder-after-body = Строк подання звіту «{ $dataset }» за { $period } минув { $deadline }, а звіту від вашої громади ще немає. Подайте його, будь ласка, щойно зможете.
mail-stat-reminder-now-subject = Нагадування про звіт для асоціації
mail-stat-reminder-now-body = Нагадуємо про звіт «{ $dataset }» за { $period } зі строком { $deadline }.
mail-stat-reminder-returned = Координатор повернув частину значень на виправлення; його коментарі — у звіті.
mail-stat-reminder-action = Відкрити звіт
stat-import-title = Імпорт статистики
stat-import-lead = Файл CSV або XLSX зі стовпцями unit (код за кодифікатором), indicator (код показника), period, value і, за бажанням, comment. Імпортовані значення одразу затверджені. Повторний імпорт того самого файлу нічого не змінює.
stat-import-file = Файл
stat-import-file-hint = CSV у UTF-8 (кома або крапка з комою) чи книга XLSX (перший аркуш), до { $n } МБ.
stat-import-mode = Що робити з поганими рядками
stat-import-mode-all = Усе або нічого: з поганим рядком не завантажується жоден
stat-import-mode-good = Завантажити добрі рядки, погані показати
stat-import-source = Джерело
stat-import-source-hint = Звідки ці дані; без нього джерелом стане назва файлу.
stat-import-submit = Імпортувати
stat-import-recent = Останні імпорти
stat-import-status-queued = у черзі
stat-import-status-running = триває
stat-import-status-done = завершено
stat-import-status-failed = не вдався
stat-import-progress = { $n ->
    [one] записано { $n } рядок
    [few] записано { $n } рядки
   *[many] записано { $n } рядків
}
stat-import-wait = Сторінка оновлюється сама, доки імпорт триває.
stat-import-failed = Імпорт не вдався з нашого боку; нічого з файлу не збережено. Спробуйте ще раз пізніше.
stat-import-summary = Прочитано рядків: { $rows }; записано значень: { $written }; поганих рядків: { $bad }.
stat-import-summary-refused = Файл не імпортовано: поганих рядків — { $bad } з { $rows }. Нічого не збережено. Виправте їх або оберіть «завантажити добрі рядки».
stat-import-download = Завантажити звіт про погані рядки (CSV)
stat-import-bad-rows = Погані рядки
stat-import-col-line = Рядок
stat-import-col-reason = Причина
stat-import-col-found = Знайдено
stat-import-more = { $n ->
    [one] …і ще { $n } рядок у звіті.
    [few] …і ще { $n } рядки у звіті.
   *[many] …і ще { $n } рядків у звіті.
}
stat-import-again = Імпортувати інший файл
stat-import-too-large = Файл більший за 100 МБ. Розділіть його на частини.
import-error-locked = Період закрито: його значення більше не змінюються.
import-error-rule = Значення порушує правило між показниками (назва правила показана).
stat-index-title = Статистика
stat-index-lead = Показники громад: населення, територія, доходи бюджетів, а також те, що громади подають асоціації. Тут лише затверджені значення, кожне з джерелом.
stat-index-datasets = Що збирає асоціація
stat-export-title = Завантажити дані
stat-export-indicators = Показники
stat-export-indicators-hint = Без позначок — усі показники.
stat-export-periods = Періоди
stat-export-periods-hint = Через кому, наприклад 2022, 2023. Порожнє поле — усі періоди.
stat-export-parent = Територія (код за кодифікатором)
stat-export-parent-hint = Область чи район: значення всіх громад у їхніх межах. Порожнє поле — уся країна.
stat-export-format = Формат
stat-export-submit = Завантажити
stat-export-api = Ті самі дані — через API:
stat-error-export-too-big = Вибірка більша за 500 000 значень: звузьте її за показниками, періодами чи територією.
stat-error-export-format = Формат — csv, xlsx або json.
stat-to-review = Чекають вашої перевірки
stat-to-review-count = { $n ->
    [one] { $n } звіт
    [few] { $n } звіти
   *[many] { $n } звітів
}
stat-community-title = { $name }: статистика
stat-community-values = Показники громади: останнє значення, місце серед усіх громад і серед подібних
stat-community-none = Затверджених даних для цієї одиниці ще немає.
stat-area-values = Показники, зведені з громад за правилом кожного показника
stat-latest = Останнє значення
stat-trend = Динаміка
stat-rank-all = Місце серед усіх громад
stat-rank-peers = Місце серед подібних
stat-per-capita = На одного мешканця, грн
stat-rank-note = Місце 1 — найбільше значення; рівні значення мають однакове місце. На одного мешканця — за наявним населенням того самого року або останнього року перед ним.
stat-place = { $n } з { $count }
stat-band = { $old }–{ $new } тис. осіб
stat-band-over = { $old } тис. осіб і більше
stat-peers-title = Подібні громади
stat-peers-urban = Міські громади з населенням { $share }: { $count ->
    [one] { $count } громада
    [few] { $count } громади
   *[many] { $count } громад
}
stat-peers-settlement = Селищні громади з населенням { $share }: { $count ->
    [one] { $count } громада
    [few] { $count } громади
   *[many] { $count } громад
}
stat-peers-rural = Сільські громади з населенням { $share }: { $count ->
    [one] { $count } громада
    [few] { $count } громади
   *[many] { $count } громад
}
stat-peers-in = ; { $name }
stat-peers-status = ; стан «{ $name }»
stat-peers-same-oblast = Лише в тій самій області
stat-peers-same-status = Лише з тим самим станом (тил, бойові дії, деокупована)
stat-peers-apply = Показати
stat-aggregate = Зведене значення
stat-rule = Як зводиться
stat-coverage = Охоплення: громад / частка населення
stat-download = Завантажити цю таблицю
stat-rule-sum = сума
stat-rule-mean = середнє
stat-rule-min = найменше
stat-rule-max = найбільше
stat-rule-none = не зводиться
stat-rule-weighted_mean = середнє, зважене за показником «{ $name }»
stat-unit-more = Місця серед громад, подібні громади, на одного мешканця, динаміка →
stat-error-indicator-missing = Вкажіть показник.
stat-error-level = Рівень: hromada, raion або oblast.
stat-error-aggregate-level = Рівень агрегатів: oblast або raion.
stat-error-parent = Вкажіть код області чи району з Кодифікатора.
stat-error-kind = Тип громади: urban, settlement або rural.
stat-error-band = Розмір громади: 0-5k, 5k-10k, 10k-20k, 20k-50k, 50k-100k, 100k-250k або 250k+.
stat-error-status = Стан: rear, frontline, occupied або deoccupied.
stat-error-measure = Міра: value або per_capita (лише для показників, які рахують на одного мешканця).
stat-error-order = Порядок: desc або asc.
stat-error-limit = Сторінка рейтингу — від 1 до 2000 рядків.
stat-error-period-none = Для цього періоду затверджених значень показника немає.
stat-error-units-missing = Вкажіть одиниці (коди з Кодифікатора через кому).
stat-error-units-many = Забагато одиниць в одному запиті.
stat-indicator-title = Показник
stat-definition = Що це
stat-measure = Одиниця виміру
stat-filters = Вибір
stat-all = усі
stat-kind = Тип громади
stat-kind-urban = міські
stat-kind-settlement = селищні
stat-kind-rural = сільські
stat-band-label = Населення
stat-status = Стан
stat-order = Порядок
stat-order-desc = від найбільшого
stat-order-asc = від найменшого
stat-agg-level = Зведення
stat-by-raion = За районами
stat-raion = Район
stat-map-alt = Громади України за показником «{ $name }», { $period }
stat-map-legend = Що темніше, то більше значення; кожен клас охоплює приблизно п’яту частину громад, що мають значення. Числа — у рейтингу нижче.
stat-map-download = Карта у форматі SVG
stat-no-value = немає значення
stat-histogram-title = Розподіл громад за показником «{ $name }»
stat-histogram-note = Кількість громад у кожному інтервалі значень; останній стовпчик — 5 % громад з найбільшими значеннями.
stat-ranking = Рейтинг громад
stat-place-col = Місце
stat-index-indicators = Показники: рейтинги, карти, зведення за областями
stat-compare-title = Порівняння громад
stat-compare-choose = Що порівняти
stat-compare-units = Громади
stat-compare-units-hint = До 10 назв або кодів Кодифікатора через кому, наприклад: Вінницька, Жмеринська, UA05020010000053508
stat-compare-per-capita = На одного мешканця, де показник це має
stat-compare-submit = Порівняти
stat-compare-found = Порівнюємо
stat-error-compare-many = Порівняння вміщує до 10 громад і до 10 показників.
stat-error-compare-unit = Серед громад немає такої назви чи коду.
stat-billion = млрд
stat-million = млн
stat-thousand = тис.
stat-compare-link = Порівняти з іншими громадами →
stat-releases-title = Випуски даних
stat-releases-lead = Випуск — незмінна датована копія затверджених значень набору даних за період з власною адресою. Після виправлень період публікують знову: з’являється нова версія з описом змін, попередні лишаються як були. Усі випуски описано в каталозі відкритих даних (DCAT-AP):
stat-release-publish = Опублікувати період
stat-release-note = Що змінилося (обов’язково для другої й наступних версій)
stat-release-published = Випуск опубліковано.
stat-release-version = Версія
stat-release-date = Опубліковано
stat-release-values = Значень
stat-release-files = Файли
stat-releases-none = Випусків ще немає.
stat-error-release-note = Опишіть, що змінилося з попередньої версії.
stat-error-release-note-long = Опис змін — до 2000 символів.
stat-error-release-same = Значення не змінилися з останньої версії: нову версію не створено.
stat-error-release-empty = За цей період у наборі немає затверджених значень.
stat-compare-table = таблиця за періодами
stat-error-release-moved = Поки готувався випуск, значення змінилися: опублікуйте ще раз.
