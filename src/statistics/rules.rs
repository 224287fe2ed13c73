//! Checks that tie values together: rules between the indicators of one unit and period (a
//! part is at most its whole), and the warning when a value moves further from the last
//! period's than its indicator allows without a word of explanation. The entry form and the
//! import run the same checks. No SQL and no HTTP here.

use std::collections::HashMap;

use super::valid_code;

/// How the left-hand indicator compares with the sum of the right-hand ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    /// At most (≤).
    Le,
    /// At least (≥).
    Ge,
    /// Equal, to the kopiyka (within 0.005).
    Eq,
}

impl Operator {
    pub fn code(self) -> &'static str {
        match self {
            Operator::Le => "le",
            Operator::Ge => "ge",
            Operator::Eq => "eq",
        }
    }

    pub fn parse(code: &str) -> Option<Operator> {
        [Operator::Le, Operator::Ge, Operator::Eq]
            .into_iter()
            .find(|o| o.code() == code)
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Operator::Le => "≤",
            Operator::Ge => "≥",
            Operator::Eq => "=",
        }
    }
}

/// Sums are compared to the kopiyka: values are written with two decimals at most, and
/// floating-point sums of them drift in the last digits.
const TOLERANCE: f64 = 0.005;

/// `left operator sum(right)` for the values of one unit and period.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Rule {
    pub code: String,
    pub left: String,
    pub operator: Operator,
    pub right: Vec<String>,
    pub message_uk: String,
    pub message_en: String,
}

impl Rule {
    /// Whether the rule is well formed: valid codes, at least one on the right, the left one
    /// not among them, messages in both languages.
    pub fn check(&self) -> Result<(), &'static str> {
        if !valid_code(&self.code)
            || !valid_code(&self.left)
            || self.right.is_empty()
            || !self.right.iter().all(|c| valid_code(c))
        {
            return Err("a code is not valid");
        }
        if self.right.contains(&self.left) {
            return Err("the left indicator is also on the right");
        }
        if self.message_uk.trim().is_empty() || self.message_en.trim().is_empty() {
            return Err("a message is missing");
        }
        Ok(())
    }

    /// Whether the values break the rule; a rule with any of its values missing holds (there is
    /// nothing to compare yet).
    pub fn broken_by(&self, values: &HashMap<&str, f64>) -> bool {
        let Some(left) = values.get(self.left.as_str()) else {
            return false;
        };
        let mut sum = 0.0;
        for code in &self.right {
            match values.get(code.as_str()) {
                Some(v) => sum += v,
                None => return false,
            }
        }
        match self.operator {
            Operator::Le => *left > sum + TOLERANCE,
            Operator::Ge => *left < sum - TOLERANCE,
            Operator::Eq => (*left - sum).abs() > TOLERANCE,
        }
    }

    pub fn message(&self, lang: crate::i18n::Lang) -> &str {
        match lang {
            crate::i18n::Lang::Uk => &self.message_uk,
            crate::i18n::Lang::En => &self.message_en,
        }
    }

    /// Every indicator the rule names.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.left.as_str()).chain(self.right.iter().map(String::as_str))
    }
}

/// The rules the values of one unit and period break.
pub fn broken<'r>(rules: &'r [Rule], values: &HashMap<&str, f64>) -> Vec<&'r Rule> {
    rules.iter().filter(|r| r.broken_by(values)).collect()
}

/// The change from the last period in percent, when it exceeds `threshold` (so the reporter
/// must explain it). A last value of zero makes any other value a change to explain.
pub fn change_to_explain(value: f64, last: Option<f64>, threshold: Option<f64>) -> Option<f64> {
    let (last, threshold) = (last?, threshold?);
    if last == 0.0 {
        return (value != 0.0).then_some(f64::INFINITY);
    }
    let pct = (value - last) / last.abs() * 100.0;
    (pct.abs() > threshold).then_some(pct)
}

/// The change from the last period in percent, for showing next to a field.
pub fn change_pct(value: f64, last: f64) -> Option<f64> {
    (last != 0.0).then(|| (value - last) / last.abs() * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(left: &str, operator: Operator, right: &[&str]) -> Rule {
        Rule {
            code: "r".repeat(2),
            left: left.into(),
            operator,
            right: right.iter().map(|s| s.to_string()).collect(),
            message_uk: "м".into(),
            message_en: "m".into(),
        }
    }

    #[test]
    fn parts_within_their_whole() {
        let r = rule("total", Operator::Ge, &["own", "transfers"]);
        let mut v = HashMap::from([("total", 100.0), ("own", 60.0), ("transfers", 40.0)]);
        assert!(!r.broken_by(&v), "equal is fine");
        v.insert("transfers", 40.01);
        assert!(r.broken_by(&v));
        v.insert("transfers", 40.004);
        assert!(!r.broken_by(&v), "within a kopiyka");
        v.remove("own");
        assert!(!r.broken_by(&v), "a missing part: nothing to compare yet");

        let urban = rule("urban", Operator::Le, &["total"]);
        let v = HashMap::from([("urban", 10.0), ("total", 9.0)]);
        assert!(urban.broken_by(&v));
        assert_eq!(broken(std::slice::from_ref(&urban), &v).len(), 1);
        let eq = rule("a_b", Operator::Eq, &["c_d"]);
        assert!(eq.broken_by(&HashMap::from([("a_b", 1.0), ("c_d", 2.0)])));
        assert!(!eq.broken_by(&HashMap::from([("a_b", 2.0), ("c_d", 2.0)])));
    }

    #[test]
    fn malformed_rules_are_refused() {
        assert!(rule("aa", Operator::Le, &["bb"]).check().is_ok());
        assert!(rule("aa", Operator::Le, &[]).check().is_err());
        assert!(rule("aa", Operator::Le, &["aa"]).check().is_err());
        assert!(rule("A", Operator::Le, &["bb"]).check().is_err());
        let mut r = rule("aa", Operator::Le, &["bb"]);
        r.message_en = " ".into();
        assert!(r.check().is_err());
        assert_eq!(Operator::parse("ge"), Some(Operator::Ge));
        assert_eq!(Operator::parse("lt"), None);
    }

    #[test]
    fn big_changes_ask_for_a_word() {
        assert_eq!(
            change_to_explain(130.0, Some(100.0), Some(25.0)),
            Some(30.0)
        );
        assert_eq!(
            change_to_explain(70.0, Some(100.0), Some(25.0)),
            Some(-30.0)
        );
        assert_eq!(change_to_explain(120.0, Some(100.0), Some(25.0)), None);
        assert_eq!(change_to_explain(120.0, None, Some(25.0)), None);
        assert_eq!(change_to_explain(500.0, Some(100.0), None), None);
        assert_eq!(
            change_to_explain(5.0, Some(0.0), Some(25.0)),
            Some(f64::INFINITY)
        );
        assert_eq!(change_to_explain(0.0, Some(0.0), Some(25.0)), None);
        assert_eq!(
            change_to_explain(-150.0, Some(-100.0), Some(25.0)),
            Some(-50.0)
        );
        assert_eq!(change_pct(110.0, 100.0), Some(10.0));
        assert_eq!(change_pct(1.0, 0.0), None);
    }
}
