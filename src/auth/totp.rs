//! Time-based one-time passwords (RFC 6238, SHA-1, 6 digits, 30 s) for staff accounts.

use totp_rs::{Builder, Secret, Totp};

pub const ISSUER: &str = "hromada";

pub fn new_secret_base32() -> String {
    Secret::generate().to_base32()
}

fn build(secret_base32: &str, account: &str) -> anyhow::Result<Totp> {
    let secret = Secret::try_from_base32(secret_base32)
        .map_err(|e| anyhow::anyhow!("bad TOTP secret: {e:?}"))?;
    let mut builder = Builder::new().with_secret(secret).with_skew(1);
    if !account.is_empty() {
        builder = builder
            .with_account_name(account.replace(':', "_"))
            .with_issuer(Some(ISSUER));
    }
    builder
        .build()
        .map_err(|e| anyhow::anyhow!("bad TOTP settings: {e:?}"))
}

/// The `otpauth://` URL an authenticator app reads from the QR code.
pub fn otpauth_url(secret_base32: &str, account: &str) -> anyhow::Result<String> {
    build(secret_base32, account)?
        .to_url()
        .map_err(|e| anyhow::anyhow!("{e:?}"))
}

/// Checks a code typed by the user at `unix_time`. Returns the time step it matched, which the
/// caller stores: a code whose step is not newer than the last accepted one is a replay.
pub fn check(
    secret_base32: &str,
    code: &str,
    unix_time: u64,
    last_step: Option<i64>,
) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let totp = build(secret_base32, "").ok()?;
    let step = i64::try_from(totp.check(&code, unix_time)?).ok()?;
    match last_step {
        Some(last) if step <= last => None,
        _ => Some(step),
    }
}

/// The code for `unix_time`; used by tests and the demo.
pub fn code_at(secret_base32: &str, unix_time: u64) -> anyhow::Result<String> {
    Ok(build(secret_base32, "")?.generate(unix_time).to_string())
}

/// The QR code of `text` as an SVG image, drawn as one path (no image libraries).
pub fn qr_svg(text: &str) -> anyhow::Result<String> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let border = 4;
    let size = qr.size() + 2 * border;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"200\" height=\"200\" \
         role=\"img\" aria-labelledby=\"qr-title\" shape-rendering=\"crispEdges\"><title id=\"qr-title\">QR</title>\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_check_once() {
        let secret = new_secret_base32();
        let t = 1_800_000_000;
        let code = code_at(&secret, t).expect("code");
        let step = check(&secret, &code, t, None).expect("valid code");
        assert_eq!(
            check(&secret, &code, t, Some(step)),
            None,
            "replay accepted"
        );
        assert_eq!(check(&secret, "12345", t, None), None);
        assert_eq!(check(&secret, "abcdef", t, None), None);
        let later = code_at(&secret, t + 30).expect("code");
        assert!(check(&secret, &later, t + 30, Some(step)).is_some());
    }

    #[test]
    fn url_and_qr() {
        let secret = new_secret_base32();
        let url = otpauth_url(&secret, "olena@example.ua").expect("url");
        assert!(url.starts_with("otpauth://totp/"), "{url}");
        assert!(url.contains(&secret));
        let svg = qr_svg(&url).expect("svg");
        assert!(svg.starts_with("<svg") && svg.contains("<path"));
    }
}
