//! Ukrainian → Latin by the official system (Resolution of the Cabinet of Ministers of Ukraine
//! No. 55 of 27 January 2010), used for every English unit name.
//!
//! The rules that make it more than a table: є, ї, й, ю, я are written `ye, yi, y, yu, ya` at the
//! start of a word and `ie, i, i, iu, ia` elsewhere; `зг` is `zgh` (so it never reads as `ж`);
//! the soft sign and the apostrophe are dropped. A word starts after anything that is not a
//! letter or an apostrophe (a space, a hyphen, a bracket), so each part of `Івано-Франківськ`
//! starts a word and the `я` of `Знам'янка` does not.

/// Apostrophe-like characters the codifier and people write inside words.
pub const APOSTROPHES: [char; 4] = ['\'', '\u{2019}', '\u{02BC}', '`'];

fn is_apostrophe(c: char) -> bool {
    APOSTROPHES.contains(&c)
}

/// The Latin letters for one lower-case Ukrainian letter; `None` for anything else.
fn letter(c: char, word_start: bool) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "h",
        'ґ' => "g",
        'д' => "d",
        'е' => "e",
        'є' if word_start => "ye",
        'є' => "ie",
        'ж' => "zh",
        'з' => "z",
        'и' => "y",
        'і' => "i",
        'ї' if word_start => "yi",
        'ї' => "i",
        'й' if word_start => "y",
        'й' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ь' => "",
        'ю' if word_start => "yu",
        'ю' => "iu",
        'я' if word_start => "ya",
        'я' => "ia",
        _ => return None,
    })
}

/// Transliterates `text`. Characters that are not Ukrainian letters (Latin letters, digits,
/// spaces, hyphens, brackets) are kept; apostrophes are dropped.
pub fn transliterate(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut word_start = true;
    for (i, &c) in chars.iter().enumerate() {
        if is_apostrophe(c) {
            // Inside a word the apostrophe only separates sounds; the word goes on.
            continue;
        }
        let lower = c.to_lowercase().next().unwrap_or(c);
        let upper = c != lower;
        let latin = if lower == 'г' && i > 0 && chars[i - 1].to_lowercase().eq(['з']) {
            Some("gh")
        } else {
            letter(lower, word_start)
        };
        match latin {
            Some(l) => {
                if upper {
                    // Only the first Latin letter is capital: Щ → Shch, Є → Ye.
                    let mut it = l.chars();
                    if let Some(first) = it.next() {
                        out.extend(first.to_uppercase());
                        out.push_str(it.as_str());
                    }
                } else {
                    out.push_str(l);
                }
                word_start = false;
            }
            None => {
                out.push(c);
                word_start = !c.is_alphabetic();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::transliterate as t;

    #[test]
    fn plain_letters() {
        assert_eq!(t("Алушта"), "Alushta");
        assert_eq!(t("Борщагівка"), "Borshchahivka");
        assert_eq!(t("Вінниця"), "Vinnytsia");
        assert_eq!(t("Гадяч"), "Hadiach");
        assert_eq!(t("Ґорґани"), "Gorgany");
        assert_eq!(t("Дон"), "Don");
        assert_eq!(t("Рівне"), "Rivne");
        assert_eq!(t("Житомир"), "Zhytomyr");
        assert_eq!(t("Закарпаття"), "Zakarpattia");
        assert_eq!(t("Медвин"), "Medvyn");
        assert_eq!(t("Іршава"), "Irshava");
        assert_eq!(t("Кицмань"), "Kytsman");
        assert_eq!(t("Лебедин"), "Lebedyn");
        assert_eq!(t("Миколаїв"), "Mykolaiv");
        assert_eq!(t("Ніжин"), "Nizhyn");
        assert_eq!(t("Одеса"), "Odesa");
        assert_eq!(t("Полтава"), "Poltava");
        assert_eq!(t("Ромни"), "Romny");
        assert_eq!(t("Суми"), "Sumy");
        assert_eq!(t("Тетерів"), "Teteriv");
        assert_eq!(t("Ужгород"), "Uzhhorod");
        assert_eq!(t("Фастів"), "Fastiv");
        assert_eq!(t("Харків"), "Kharkiv");
        assert_eq!(t("Біла Церква"), "Bila Tserkva");
        assert_eq!(t("Чернівці"), "Chernivtsi");
        assert_eq!(t("Шостка"), "Shostka");
        assert_eq!(t("Гоща"), "Hoshcha");
    }

    #[test]
    fn letters_that_depend_on_their_place() {
        // є
        assert_eq!(t("Єнакієве"), "Yenakiieve");
        assert_eq!(t("Наєнко"), "Naienko");
        // ї
        assert_eq!(t("Їжакевич"), "Yizhakevych");
        assert_eq!(t("Кадиївка"), "Kadyivka");
        // й
        assert_eq!(t("Йосипівка"), "Yosypivka");
        assert_eq!(t("Стрий"), "Stryi");
        assert_eq!(t("Олексій"), "Oleksii");
        // ю
        assert_eq!(t("Юрій"), "Yurii");
        assert_eq!(t("Корюківка"), "Koriukivka");
        // я
        assert_eq!(t("Яготин"), "Yahotyn");
        assert_eq!(t("Костянтин"), "Kostiantyn");
    }

    #[test]
    fn zgh_soft_sign_and_apostrophe() {
        assert_eq!(t("Згорани"), "Zghorany");
        assert_eq!(t("Розгон"), "Rozghon");
        assert_eq!(t("Львів"), "Lviv");
        assert_eq!(t("Тараща"), "Tarashcha");
        assert_eq!(t("Знам'янка"), "Znamianka");
        assert_eq!(t("Знам’янка"), "Znamianka");
        assert_eq!(t("Знамʼянка"), "Znamianka");
        assert_eq!(t("Під'ярків"), "Pidiarkiv");
    }

    #[test]
    fn hyphens_spaces_and_capitals() {
        assert_eq!(t("Івано-Франківськ"), "Ivano-Frankivsk");
        assert_eq!(t("Кам'янець-Подільський"), "Kamianets-Podilskyi");
        assert_eq!(t("Кривий Ріг"), "Kryvyi Rih");
        assert_eq!(t("Гола Пристань"), "Hola Prystan");
        assert_eq!(t("Нова Ярославка"), "Nova Yaroslavka");
        assert_eq!(t("Щастя"), "Shchastia");
        assert_eq!(t("Жовква"), "Zhovkva");
        assert_eq!(
            t("Кропивницький (Кіровоград)"),
            "Kropyvnytskyi (Kirovohrad)"
        );
    }
}
