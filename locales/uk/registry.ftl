## Registry of territorial units

nav-units = Громади й території
units-title = Адміністративно-територіальні одиниці
units-lead = Усі одиниці Кодифікатора адміністративно-територіальних одиниць (КАТОТТГ): області, райони, територіальні громади, населені пункти та райони в містах. Оберіть область, щоб побачити її райони й громади.
units-search-title = Пошук: «{ $query }»
units-search-label = Пошук громади чи населеного пункту
search-button = Знайти
units-found = { $count ->
    [one] Знайдено { $count } одиницю
    [few] Знайдено { $count } одиниці
    [many] Знайдено { $count } одиниць
   *[other] Знайдено { $count } одиниці
}
map-caption-country = Області України. Натисніть на область, щоб відкрити її сторінку.
map-caption = Межі за даними OCHA COD-AB (2024).
download-list = Завантажити список:
breadcrumbs-label = Ви тут
unit-level-oblast = Області
unit-level-raion = Райони
unit-level-hromada = Громади
unit-level-settlement = Населені пункти
unit-level-district = Райони в містах
unit-category-O = область
unit-category-K = місто зі спеціальним статусом
unit-category-P = район
unit-category-H = територіальна громада
unit-category-M = місто
unit-category-X = селище
unit-category-C = село
unit-category-B = район у місті
unit-status-rear = тил
unit-status-frontline = бойові дії
unit-status-occupied = тимчасово окупована
unit-status-deoccupied = деокупована
unit-col-name = Назва
unit-col-kind = Тип
unit-col-parent = Входить до
unit-col-hromadas = Громад
unit-col-settlements = Населених пунктів
unit-col-population = Населення, 2022
unit-col-status = Стан
units-children-file = список
unit-missing-title = Одиницю не знайдено
unit-missing-text = У кодифікаторі немає одиниці з кодом { $code }. Спробуйте знайти її за назвою.
unit-removed-1 = Одиницю
unit-removed-2 = вилучено з кодифікатора редакцією від { $date }.
unit-status-saved = Стан збережено.
unit-status-deleted = Запис про стан видалено.
unit-attr-type = Тип громади
unit-attr-centre = Адміністративний центр
unit-attr-area_km2 = Площа, км²
unit-attr-formed_on = Утворена (перше рішення про об’єднання)
unit-attr-voluntary = Добровільне об’єднання
unit-attr-population_total = Населення на 1 січня 2022 року
unit-attr-population_urban = Міське населення на 1 січня 2022 року
unit-voluntary-yes = так
unit-voluntary-no = ні, за перспективним планом уряду
unit-source-codifier = Кодифікатор (КАТОТТГ)
unit-count-raions = Районів
unit-count-hromadas = Територіальних громад
unit-count-settlements = Населених пунктів
unit-count-districts = Районів у містах
unit-population-sum = Населення громад на 1 січня 2022 року
unit-source-population-sum = Держстат; сума за громадами
unit-children-oblast = Області
unit-children-raion = Райони
unit-children-hromada = Територіальні громади
unit-children-settlement = Населені пункти
unit-children-district = Райони в місті
unit-change-renamed = перейменовано з «{ $old }» на «{ $new }»
unit-change-moved = перенесено з { $old } до { $new }
unit-change-added = додано до кодифікатора
unit-change-removed = вилучено з кодифікатора
unit-name-uk = Назва українською
unit-name-en = Назва англійською
unit-code = Код КАТОТТГ
unit-status-since = з { $date }
unit-status-inherited = як і вся одиниця
unit-status-none = не позначено
unit-facts = Відомості
unit-fact = Показник
unit-value = Значення
unit-as-of = Станом на
unit-source = Джерело
unit-status-history = Історія стану
unit-status-history-none = Для цієї одиниці стан окремо не позначали.
unit-status-delete = видалити
unit-status-add = Позначити стан
unit-status-from = Діє з
unit-status-note = Примітка (необов’язково)
save = Зберегти
unit-history = Зміни в кодифікаторі
unit-old-code = Попередній код:
error-unit-code = Код КАТОТТГ має вигляд «UA» і 17 цифр, наприклад UA05020030000031457.
error-unit-level = Рівень має бути одним із: oblast, raion, hromada, settlement, district.
error-unit-status = Оберіть стан зі списку.
error-note-too-long = Примітка задовга (не більше 500 символів).
error-status-date-range = Дата має бути не раніше 1 січня 2014 року й не пізніше сьогодні.
error-format = Формат завантаження має бути csv, xlsx або json.
about-data-title = Про дані
about-data-lead = { $count ->
    [one] Реєстр містить { $count } одиницю.
    [few] Реєстр містить { $count } одиниці.
    [many] Реєстр містить { $count } одиниць.
   *[other] Реєстр містить { $count } одиниці.
} Кожен показник на сторінці одиниці має своє джерело й дату.
about-data-editions = Редакції кодифікатора
about-data-edition = Редакція від { $date }
about-data-loaded = завантажено { $date }
about-data-sources = Джерела
about-data-publisher = Видавець
about-data-licence = Ліцензія
about-data-retrieved = Копію отримано
about-data-link = Посилання
about-data-method = Як ми обробляємо дані
about-data-method-translit = Англійські назви утворено за офіційною транслітерацією (постанова Кабінету Міністрів України № 55 від 27 січня 2010 року); назви типів перекладено.
about-data-method-centre = Адміністративним центром громади вважається перший населений пункт, який кодифікатор подає після громади; для всіх 1469 громад поза Кримом це збігається з даними KSE.
about-data-method-population = Населення області чи району — сума населення його громад на 1 січня 2022 року; для Криму й Севастополя даних немає.
about-data-method-maps = Межі спрощено для карт; карти не потребують JavaScript і сторонніх серверів.
about-data-method-status = Стан (тил, бойові дії, окупація, деокупація) позначають адміністратори асоціації; він діє й для всіх одиниць усередині, доки для них не позначено інший.
unit-full-name = Повна офіційна назва
statuses-title = Імпорт стану громад
statuses-lead = Завантажте файл CSV у кодуванні UTF-8 з рядком заголовка code,status,since і, за бажання, note (роздільник — кома або крапка з комою). Кожен рядок позначає стан одиниці з указаної дати; стан діє й для всіх одиниць усередині неї. Файл застосовується цілком або не застосовується зовсім.
statuses-values = Стан: rear (тил), frontline (бойові дії), occupied (тимчасово окупована), deoccupied (деокупована). Дата — РРРР-ММ-ДД, від 2014-01-01 до сьогодні.
statuses-file = Файл CSV
statuses-submit = Імпортувати
statuses-refused = Файл не імпортовано, нічого не змінено. Виправте ці рядки:
statuses-imported = { $count ->
    [one] Імпортовано { $count } запис про стан.
    [few] Імпортовано { $count } записи про стан.
    [many] Імпортовано { $count } записів про стан.
   *[other] Імпортовано { $count } запису про стан.
}
upload-error-failed = Файл не вдалося отримати; спробуйте ще раз.
upload-error-no-file = Оберіть файл для імпорту.
upload-error-encoding = Файл має бути в кодуванні UTF-8.
statuses-error-empty = У файлі немає жодного рядка даних.
statuses-error-line = Рядок { $line }: { $message }
statuses-error-unknown = Рядок { $line }: у реєстрі немає одиниці з кодом { $code }.
statuses-error-date = Рядок { $line } ({ $code }): дата має бути від 2014-01-01 до сьогодні.
map-legend = Умовні позначення
map-legend-other = інші
unit-source-dated = джерело станом на { $date }
