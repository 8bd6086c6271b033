//! Turning the bytes of a text file into text: UTF-8 (with or without BOM), UTF-16 LE/BE
//! with BOM, and Windows-1252 for everything that is not valid UTF-8 (what German and
//! Dutch Excel writes when saving "CSV (semicolon separated)").

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The character encoding a text file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    Utf8,
    /// UTF-8 that starts with a byte order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

/// Decodes `bytes`, detecting the encoding unless `forced` names one. Valid UTF-8 without a
/// BOM is borrowed, not copied. Decoding never fails: bytes that do not fit the encoding
/// become U+FFFD.
#[must_use]
pub fn decode(bytes: &[u8], forced: Option<TextEncoding>) -> (Cow<'_, str>, TextEncoding) {
    let detected = match forced.or_else(|| by_bom(bytes)) {
        Some(encoding) => encoding,
        // checked for UTF-8 once, not once to detect and once to decode
        None => match std::str::from_utf8(bytes) {
            Ok(text) => return (Cow::Borrowed(text), TextEncoding::Utf8),
            Err(_) => TextEncoding::Windows1252,
        },
    };
    let text = match detected {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            match std::str::from_utf8(body) {
                Ok(text) => Cow::Borrowed(text),
                Err(_) => UTF_8.decode_without_bom_handling(body).0,
            }
        }
        TextEncoding::Utf16Le => with_bom_removed(UTF_16LE, bytes),
        TextEncoding::Utf16Be => with_bom_removed(UTF_16BE, bytes),
        TextEncoding::Windows1252 => WINDOWS_1252.decode_without_bom_handling(bytes).0,
    };
    (text, detected)
}

fn with_bom_removed<'a>(encoding: &'static Encoding, bytes: &'a [u8]) -> Cow<'a, str> {
    let body = match Encoding::for_bom(bytes) {
        Some((found, len)) if found == encoding => &bytes[len..],
        _ => bytes,
    };
    encoding.decode_without_bom_handling(body).0
}

/// The encoding of `bytes`: a BOM decides; else valid UTF-8 is UTF-8 and anything else is
/// Windows-1252.
#[must_use]
pub fn detect(bytes: &[u8]) -> TextEncoding {
    by_bom(bytes).unwrap_or_else(|| {
        if std::str::from_utf8(bytes).is_ok() {
            TextEncoding::Utf8
        } else {
            TextEncoding::Windows1252
        }
    })
}

/// The encoding a byte order mark at the start names.
fn by_bom(bytes: &[u8]) -> Option<TextEncoding> {
    match Encoding::for_bom(bytes) {
        Some((enc, _)) if enc == UTF_8 => Some(TextEncoding::Utf8Bom),
        Some((enc, _)) if enc == UTF_16LE => Some(TextEncoding::Utf16Le),
        Some((enc, _)) if enc == UTF_16BE => Some(TextEncoding::Utf16Be),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_umlauts_and_euro_sign_decode_to_their_characters() {
        // 0xE4 = ä, 0xFC = ü, 0x80 = € in Windows-1252
        let (text, enc) = decode(b"Verk\xE4ufer;M\xFCller;\x80", None);
        assert_eq!(enc, TextEncoding::Windows1252);
        assert_eq!(text, "Verkäufer;Müller;€");
    }

    #[test]
    fn utf8_without_bom_is_borrowed() {
        let (text, enc) = decode("Bron;Verkäufer".as_bytes(), None);
        assert_eq!(enc, TextEncoding::Utf8);
        assert!(matches!(text, Cow::Borrowed(_)));
    }

    #[test]
    fn a_utf8_bom_is_removed() {
        let (text, enc) = decode(b"\xEF\xBB\xBFid", None);
        assert_eq!((text.as_ref(), enc), ("id", TextEncoding::Utf8Bom));
    }

    #[test]
    fn utf16_in_both_byte_orders_is_decoded_without_its_bom() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a;ä".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("a;ä".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(
            decode(&le, None),
            (Cow::Borrowed("a;ä"), TextEncoding::Utf16Le)
        );
        assert_eq!(
            decode(&be, None),
            (Cow::Borrowed("a;ä"), TextEncoding::Utf16Be)
        );
    }
}
