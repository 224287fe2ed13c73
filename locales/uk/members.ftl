## The association: members, regional offices, sections

nav-members = Члени асоціації
members-title = Громади — члени асоціації
members-figures = { $count ->
    [one] { $count } громада-член
    [few] { $count } громади-члени
    [many] { $count } громад-членів
   *[other] { $count } громади-члена
}: у них живе { $population } людей, { $share } % населення України (за даними на 1 січня 2022 року, без Криму й Севастополя), станом на { $date }.
members-filters = Фільтри
members-col-oblast = Область
members-col-office = Регіональне відділення
members-col-since = Член з
members-col-until = До
members-col-end = Чим завершилося
members-col-decision = Рішення ради
members-sort = Упорядкувати
members-sort-name = за назвою
members-sort-population = за населенням
members-sort-since = за датою вступу
members-on = Станом на
members-band-0-5k = до 5 тис.
members-band-5k-10k = 5–10 тис.
members-band-10k-50k = 10–50 тис.
members-band-50k-100k = 50–100 тис.
members-band-over-100k = понад 100 тис.
members-found = { $count ->
    [one] { $count } громада за цими умовами
    [few] { $count } громади за цими умовами
    [many] { $count } громад за цими умовами
   *[other] { $count } громади за цими умовами
}
members-map-caption = Зеленим позначено громади-члени. Межі за даними OCHA COD-AB (2024).
members-add = Додати члена
members-open = Відкрити
members-unit-page = Сторінка в реєстрі
members-is-member = Громада є членом асоціації.
members-not-member = Громада зараз не є членом асоціації.
members-history = Історія членства
members-history-none = Громада ніколи не була членом асоціації.
members-decision = рішення № { $number } від { $date }
members-decision-number = Номер рішення ради
members-decision-on = Дата рішення ради
members-end-suspended = членство призупинено
members-end-left = вийшла з асоціації
members-end-title = Призупинення або вихід
members-join-title = Вступ до асоціації
members-done-joined = Членство записано.
members-done-ended = Завершення членства записано.
members-error-not-community = Членом може бути лише територіальна громада або місто з реєстру.
members-error-already = Громада вже є членом асоціації.
members-error-overlaps = Нове членство не може починатися раніше, ніж завершилося попереднє.
members-error-date = Дата має бути не раніше 1992 року й не пізніше сьогодні.
members-error-ends-before = Членство не може завершитися раніше, ніж почалося.
members-error-not-member = Громада зараз не є членом асоціації.
members-error-office = Оберіть регіональне відділення, яким ви можете керувати.
members-error-office-elsewhere = Це регіональне відділення не охоплює область, у якій лежить громада. Оберіть відділення її області.
members-error-reason = Оберіть, чим завершилося членство.
members-error-decision = Номер рішення задовгий (не більше 100 символів).
error-filter = Такого значення фільтра немає.
offices-title = Регіональні відділення
offices-none = Регіональних відділень ще не додано.
offices-oblasts = Області
offices-members = Громад-членів
offices-head = Керівник
offices-email = Електронна пошта
offices-phone = Телефон
offices-address = Адреса
sections-title = Професійні секції
sections-lead = Секції об’єднують фахівців органів місцевого самоврядування одного напряму: вони обмінюються досвідом, готують позиції щодо законопроєктів і діляться матеріалами.
demo-tag = демо
demo-banner = Це демонстраційні дані, вигадані, щоб показати роботу сайту; вони не описують справжнього відділення чи особи.
members-demo-banner = Демонстраційні дані: список членів і регіональні відділення нижче вигадані для показу й не є справжніми.
members-import-title = Імпорт членів асоціації
members-import-lead = Завантажте файл CSV у кодуванні UTF-8 з рядком заголовка code,since,regional_office і, за бажання, decision_number,decision_on. Кожен рядок — громада (код КАТОТТГ), дата вступу й регіональне відділення. Файл застосовується цілком або не застосовується зовсім; кожен рядок перевіряється за реєстром.
members-import-offices = Відділення, до яких ви можете додавати членів:
members-imported = { $count ->
    [one] Імпортовано { $count } громаду.
    [few] Імпортовано { $count } громади.
    [many] Імпортовано { $count } громад.
   *[other] Імпортовано { $count } громади.
}
members-import-problem = Рядок { $line } ({ $code }): { $message }
offices-error-slug = Коротка назва — від 2 до 40 малих латинських літер, цифр і дефісів.
offices-error-name = Назву потрібно вказати (не більше 200 символів).
offices-error-long = Задовге значення (не більше 300 символів).
offices-error-taken = Відділення з такою короткою назвою вже є.
offices-add = Додати відділення
offices-edit = Змінити відомості
offices-slug = Коротка назва (латиницею, для адрес і файлів)
offices-name-uk = Назва українською
offices-name-en = Назва англійською
people-title = Особи
people-not-public = не публічно
people-contacts = Контакти
people-email-public = показувати електронну пошту всім
people-phone-public = показувати телефон усім
posts-title = Посади
posts-none = Посад не записано.
posts-kind = Посада
posts-community = Громада
posts-person = Особа
posts-head-now = Голова громади
posts-no-head = Голову громади не записано.
posts-history = Посадові особи
posts-add = Записати посаду
posts-name = Ім’я та прізвище нової особи
posts-person-id = Або номер уже записаної особи
posts-until-optional = До (якщо посаду вже залишено)
posts-previous-end = Для нового голови: чим завершилися повноваження попереднього
posts-end-action = Завершити
posts-kind-head = голова громади
posts-kind-starosta = староста
posts-kind-secretary = секретар ради
posts-kind-deputy = депутат
posts-kind-executive = посадова особа виконавчого органу
posts-end-term_ended = завершився строк повноважень
posts-end-resigned = склав повноваження
posts-end-dismissed = звільнено
posts-end-captured = захоплено окупантами
posts-end-killed = загинув
posts-end-died = помер
posts-error-date = Дата має бути не раніше 24 серпня 1991 року й не пізніше сьогодні.
posts-error-ends-before = Посада не може завершитися раніше, ніж почалася.
posts-error-before-head = Новий голова не може вступити на посаду раніше за чинного.
posts-error-ended = Цю посаду вже завершено.
posts-error-kind = Оберіть посаду зі списку.
posts-error-end = Оберіть, чим завершилася посада.
posts-error-person = Вкажіть ім’я нової особи (до 200 символів) або номер уже записаної.
members-done-post = Посаду записано.
error-out-of-scope = Ваша роль дозволяє цю дію лише у вашому регіональному відділенні, громаді чи секції, а це поза ними.
privacy-export = Завантажити всі мої дані (JSON)
privacy-erase-title = Стерти мої дані
privacy-erase-lead = На ваш запит hromada стирає персональні дані, які про вас зберігає. Якщо потрібно, спершу завантажте їхню копію.
privacy-removed = Що буде стерто
privacy-removed-contacts = ваші електронну пошту й телефон;
privacy-removed-page = вашу сторінку мера (усі тексти обома мовами) і фото;
privacy-removed-club = контакти й тексти ваших заяв до клубу, членство в клубі та призначених вами представників;
privacy-removed-name = ваше ім’я (ви не обіймали посад у місцевому самоврядуванні).
privacy-kept = Що залишиться, як вимагає закон
privacy-kept-posts = ваше ім’я з посадами в місцевому самоврядуванні, які ви обіймали (хто обіймав посаду в раді — відкрита інформація), з позначкою дати стирання;
privacy-kept-decisions = рішення комітету клубу щодо ваших заяв, без ваших даних;
privacy-kept-audit = журнал змін асоціації.
privacy-confirm = Я розумію, що стирання не можна скасувати.
privacy-erase = Стерти
privacy-error-confirm = Позначте поле, щоб підтвердити стирання.
privacy-erased-on = Персональні дані стерто на запит { $date }; збережено те, чого вимагає закон.
