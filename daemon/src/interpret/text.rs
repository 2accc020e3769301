//! Text normalisation shared by the clause matchers and the value lookups.

/// Lowercase, accents removed, `_`/`-` as spaces, spaces collapsed: for looking names up.
pub fn fold(text: &str) -> String {
    fold_text(text)
        .replace(['_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lowercase, accents removed, spaces collapsed: the form clauses are matched in, which
/// keeps `my-laptop` one word.
pub(super) fn fold_text(text: &str) -> String {
    fold_mapped(text).0
}

/// [`fold_text`] without double quotes, and for each byte of the result the offset of the
/// character of `text` it came from: a value is cut from what the person typed, never from
/// its folded form ("café" stays "café" and is refused, not turned into "cafe").
pub(super) fn fold_mapped(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len());
    let mut space = false;
    for (at, orig) in text.char_indices() {
        if orig == '"' {
            continue;
        }
        if orig.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            map.push(at);
            space = false;
        }
        for c in orig.to_lowercase() {
            let before = out.len();
            fold_char(c, &mut out);
            map.extend(std::iter::repeat_n(at, out.len() - before));
        }
    }
    (out, map)
}

fn fold_char(c: char, out: &mut String) {
    {
        let mapped = match c {
            // (Baltic, Icelandic and Vietnamese letters, and Greek accents: "tiếng việt",
            // "íslenska", "ελληνικά" are read like the rest, without their marks.)
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' | 'ă' | 'ạ' | 'ả' | 'ấ' | 'ầ' | 'ẩ' | 'ẫ'
            | 'ậ' | 'ắ' | 'ằ' | 'ẳ' | 'ẵ' | 'ặ' => "a",
            'ç' | 'č' | 'ć' => "c",
            'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'ė' | 'ẹ' | 'ẻ' | 'ẽ' | 'ế' | 'ề' | 'ể'
            | 'ễ' | 'ệ' => "e",
            'í' | 'ì' | 'î' | 'ï' | 'ı' | 'ī' | 'į' | 'ỉ' | 'ị' => "i",
            'ñ' | 'ń' | 'ņ' => "n",
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ő' | 'ō' | 'ơ' | 'ọ' | 'ỏ' | 'ố' | 'ồ' | 'ổ'
            | 'ỗ' | 'ộ' | 'ớ' | 'ờ' | 'ở' | 'ỡ' | 'ợ' => "o",
            'ú' | 'ù' | 'û' | 'ü' | 'ů' | 'ű' | 'ū' | 'ų' | 'ư' | 'ụ' | 'ủ' | 'ứ' | 'ừ' | 'ử'
            | 'ữ' | 'ự' => "u",
            'ý' | 'ÿ' | 'ỳ' | 'ỵ' | 'ỷ' | 'ỹ' => "y",
            'ß' => "ss",
            'ł' | 'ļ' => "l",
            'ś' | 'š' | 'ş' | 'ș' => "s",
            'ź' | 'ż' | 'ž' => "z",
            'ř' => "r",
            'ğ' | 'ģ' => "g",
            'ț' => "t",
            'æ' => "ae",
            'ð' | 'đ' => "d",
            'ķ' => "k",
            'œ' => "oe",
            'þ' => "th",
            'ά' => "α",
            'έ' => "ε",
            'ή' => "η",
            'ΐ' | 'ί' | 'ϊ' => "ι",
            'ό' => "ο",
            'ΰ' | 'ϋ' | 'ύ' => "υ",
            'ώ' => "ω",
            // (The dot "İ" keeps when lowered: "i̇stanbul".)
            '\u{307}' => "",
            _ => {
                out.push(c);
                return;
            }
        };
        out.push_str(mapped);
    }
}

/// Levenshtein distance, for typo tolerance on short names.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

pub(super) fn strip_articles(v: &str) -> &str {
    let v = v.trim().trim_end_matches(['.', '!', '?']).trim();
    ["the ", "a ", "an ", "to ", "in "]
        .iter()
        .fold(v, |acc, p| acc.strip_prefix(p).unwrap_or(acc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_distance() {
        assert_eq!(fold("São_Paulo"), "sao paulo");
        assert_eq!(fold_text("My-Laptop"), "my-laptop");
        assert_eq!(edit_distance("berlin", "berln"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
