//! Parsers for the function-call formats language models emit. Total: any input gives a
//! result or `None`, never a panic; the output is untrusted JSON that `Action` parsing and
//! the interpreter's validators check next.
//!
//! - FunctionGemma: `<start_function_call>call:NAME{key:<escape>text<escape>,n:3,b:true,
//!   list:[...],obj:{...}}<end_function_call>`
//! - Hermes/SmolLM: `<tool_call>{"name": NAME, "arguments": {...}}</tool_call>`
//! - OpenAI: a message with `tool_calls: [{"function": {"name", "arguments": "<json>"}}]`

use serde_json::{Map, Value};

/// One call: the function name and its arguments object.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub arguments: Map<String, Value>,
}

/// Most calls read from one answer.
const MAX_CALLS: usize = 16;
/// Deepest nesting accepted in FunctionGemma values.
const MAX_DEPTH: usize = 8;

/// Every call in `text`, in any of the text formats.
pub fn parse_text(text: &str) -> Vec<Call> {
    let mut calls = parse_tool_calls(text);
    calls.extend(parse_function_gemma(text));
    calls.truncate(MAX_CALLS);
    calls
}

/// `<tool_call>{json}</tool_call>`, repeated.
pub fn parse_tool_calls(text: &str) -> Vec<Call> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("<tool_call>") {
        let after = &rest[start + "<tool_call>".len()..];
        let (inner, next) = match after.find("</tool_call>") {
            Some(end) => (&after[..end], &after[end + "</tool_call>".len()..]),
            None => (after, ""),
        };
        if let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(inner.trim()) {
            if let Some(call) = call_from_object(&obj) {
                out.push(call);
            }
        }
        rest = next;
        if out.len() >= MAX_CALLS {
            break;
        }
    }
    out
}

fn call_from_object(obj: &Map<String, Value>) -> Option<Call> {
    let name = obj.get("name")?.as_str()?.to_owned();
    let arguments = match obj.get("arguments").or_else(|| obj.get("parameters")) {
        Some(Value::Object(a)) => a.clone(),
        // OpenAI sends arguments as a JSON string.
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(a)) => a,
            _ => return None,
        },
        None => Map::new(),
        Some(_) => return None,
    };
    Some(Call { name, arguments })
}

/// The `tool_calls` of an OpenAI chat message.
pub fn parse_openai_message(message: &Value) -> Vec<Call> {
    message
        .get("tool_calls")
        .and_then(Value::as_array)
        .map(|calls| {
            calls
                .iter()
                .filter_map(|c| c.get("function").and_then(Value::as_object))
                .filter_map(call_from_object)
                .take(MAX_CALLS)
                .collect()
        })
        .unwrap_or_default()
}

/// FunctionGemma's `<start_function_call>call:NAME{...}<end_function_call>`, repeated.
pub fn parse_function_gemma(text: &str) -> Vec<Call> {
    const START: &str = "<start_function_call>";
    const END: &str = "<end_function_call>";
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(START) {
        let after = &rest[start + START.len()..];
        let (inner, next) = match after.find(END) {
            Some(end) => (&after[..end], &after[end + END.len()..]),
            None => (after, ""),
        };
        if let Some(call) = gemma_call(inner.trim()) {
            out.push(call);
        }
        rest = next;
        if out.len() >= MAX_CALLS {
            break;
        }
    }
    out
}

fn gemma_call(inner: &str) -> Option<Call> {
    let body = inner.strip_prefix("call:")?;
    let brace = body.find('{')?;
    let name = body[..brace].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let mut p = GemmaParser {
        s: &body[brace..],
        depth: 0,
    };
    let Value::Object(arguments) = p.value()? else {
        return None;
    };
    Some(Call {
        name: name.to_owned(),
        arguments,
    })
}

struct GemmaParser<'a> {
    s: &'a str,
    depth: usize,
}

impl GemmaParser<'_> {
    fn ws(&mut self) {
        self.s = self.s.trim_start();
    }

    fn eat(&mut self, prefix: &str) -> bool {
        self.ws();
        match self.s.strip_prefix(prefix) {
            Some(r) => {
                self.s = r;
                true
            }
            None => false,
        }
    }

    fn value(&mut self) -> Option<Value> {
        self.ws();
        if self.depth >= MAX_DEPTH {
            return None;
        }
        if self.eat("<escape>") {
            let end = self.s.find("<escape>")?;
            let v = Value::String(self.s[..end].to_owned());
            self.s = &self.s[end + "<escape>".len()..];
            return Some(v);
        }
        if self.eat("{") {
            self.depth += 1;
            let mut map = Map::new();
            if !self.eat("}") {
                loop {
                    self.ws();
                    let key_end = self.s.find(':')?;
                    let key = self.s[..key_end].trim().trim_matches('"').to_owned();
                    if key.is_empty() || key.contains(['{', '}', ',', '[', ']']) {
                        return None;
                    }
                    self.s = &self.s[key_end + 1..];
                    let v = self.value()?;
                    map.insert(key, v);
                    if self.eat(",") {
                        continue;
                    }
                    if self.eat("}") {
                        break;
                    }
                    return None;
                }
            }
            self.depth -= 1;
            return Some(Value::Object(map));
        }
        if self.eat("[") {
            self.depth += 1;
            let mut items = Vec::new();
            if !self.eat("]") {
                loop {
                    items.push(self.value()?);
                    if self.eat(",") {
                        continue;
                    }
                    if self.eat("]") {
                        break;
                    }
                    return None;
                }
            }
            self.depth -= 1;
            return Some(Value::Array(items));
        }
        // A bare scalar: number, boolean, null, or an unquoted word.
        let end = self.s.find([',', '}', ']']).unwrap_or(self.s.len());
        let raw = self.s[..end].trim();
        if raw.is_empty() {
            return None;
        }
        self.s = &self.s[end..];
        Some(match raw {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => Value::Null,
            _ => raw
                .parse::<i64>()
                .map(Value::from)
                .or_else(|_| raw.parse::<f64>().map(Value::from))
                .unwrap_or_else(|_| Value::String(raw.trim_matches('"').to_owned())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_gemma_with_escapes_numbers_booleans_lists_and_objects() {
        let text = "sure <start_function_call>call:partition{disk:<escape>/dev/sda<escape>,wipe:true,n:3,\
                    scheme:[{mount:<escape>/<escape>,encrypt:true},{mount:<escape>swap<escape>,size:<escape>8G<escape>}]}<end_function_call>";
        let calls = parse_function_gemma(text);
        assert_eq!(calls.len(), 1);
        let a = &calls[0].arguments;
        assert_eq!(calls[0].name, "partition");
        assert_eq!(a["disk"], "/dev/sda");
        assert_eq!(a["wipe"], true);
        assert_eq!(a["n"], 3);
        assert_eq!(a["scheme"][1]["size"], "8G");
        // Escaped text may hold the format's own punctuation.
        let c = parse_function_gemma("<start_function_call>call:clarify{question:<escape>which one, {a} or [b]?<escape>}<end_function_call>");
        assert_eq!(c[0].arguments["question"], "which one, {a} or [b]?");
    }

    #[test]
    fn tool_call_and_openai_forms() {
        let t = r#"<tool_call>{"name": "set_timezone", "arguments": {"zone": "Europe/Berlin"}}</tool_call><tool_call>{"name":"help"}</tool_call>"#;
        let calls = parse_tool_calls(t);
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].arguments["zone"], "Europe/Berlin");
        let msg: Value = serde_json::json!({"role": "assistant", "tool_calls": [
            {"type": "function", "function": {"name": "set_hostname", "arguments": "{\"name\":\"box\"}"}}]});
        assert_eq!(parse_openai_message(&msg)[0].arguments["name"], "box");
        assert!(parse_openai_message(&serde_json::json!({"tool_calls": "x"})).is_empty());
    }

    #[test]
    fn malformed_input_gives_nothing_not_a_panic() {
        for bad in [
            "",
            "<tool_call>",
            "<tool_call>{</tool_call>",
            "<tool_call>[1]</tool_call>",
            "<start_function_call>",
            "<start_function_call>call:{}<end_function_call>",
            "<start_function_call>call:x{a:<escape>unterminated}<end_function_call>",
            "<start_function_call>call:x{a:[1,2}<end_function_call>",
            "<start_function_call>call:x{:1}",
            "<start_function_call>call:bad name{}<end_function_call>",
        ] {
            let _ = parse_text(bad);
        }
        let deep = format!(
            "<start_function_call>call:x{{a:{}1{}}}<end_function_call>",
            "[".repeat(100),
            "]".repeat(100)
        );
        assert!(parse_function_gemma(&deep).is_empty());
    }

    /// A small deterministic fuzzer: random splices of valid calls and format tokens must
    /// never panic, and every call found must have a plain name.
    #[test]
    fn fuzzed_inputs_never_panic() {
        const PIECES: &[&str] = &[
            "<start_function_call>",
            "<end_function_call>",
            "call:",
            "partition",
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "<escape>",
            "true",
            "3.5",
            "-1",
            "\"",
            "<tool_call>",
            "</tool_call>",
            r#"{"name":"help","arguments":{}}"#,
            "\u{e9}",
            "\u{1F600}",
            " ",
            "\n",
            "disk",
            "/dev/sda",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            let mut s = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 24) as usize;
            for k in 0..len {
                let r = seed.rotate_left(u32::try_from(k * 5 % 64).unwrap_or(0));
                let idx = usize::try_from(r % PIECES.len() as u64).unwrap_or(0);
                s.push_str(PIECES[idx]);
            }
            for c in parse_text(&s) {
                assert!(!c.name.is_empty());
            }
        }
    }
}
