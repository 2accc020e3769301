//! What is said around the words that matter, made plain before a clause is read: typos in
//! the installer's own keywords ("hostnmae", "usre"), `key=value` and `key: value`, and
//! politeness or filler before and after ("please ...", "... thanks"). Values (names,
//! places) are never corrected here: only words from `KEYWORDS` are put right.

use std::sync::LazyLock;

use regex::Regex;

use super::text::edit_distance;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad built-in pattern {pattern}: {e}"))
}

/// The installer's keywords, the only words a typo is corrected towards.
const KEYWORDS: &[&str] = &[
    "hostname",
    "timezone",
    "keyboard",
    "keymap",
    "layout",
    "language",
    "locale",
    "create",
    "user",
    "username",
    "account",
    "password",
    "partition",
    "partitions",
    "disks",
    "disk",
    "drive",
    "drives",
    "install",
    "system",
    "encrypt",
    "encrypted",
    "encryption",
    "format",
    "mount",
    "list",
    "show",
    "sudo",
    "group",
    "bootloader",
    "reboot",
    "restart",
    "finish",
    "status",
    "summary",
    "help",
    "undo",
    "swap",
    "wipe",
    "erase",
    "whole",
    "entire",
    "windows",
    "computer",
    "machine",
    "administrator",
    "admin",
    "separate",
    "btrfs",
    "ext4",
];

/// Shorthand people type for a keyword: written as the keyword, not corrected as a typo
/// (they are too short for that). Only a bare word: "/usr" stays a path.
const SHORTHAND: &[(&str, &str)] = &[
    ("usr", "user"),
    ("acct", "account"),
    ("kbd", "keyboard"),
    ("kb", "keyboard"),
    ("pw", "password"),
    ("pwd", "password"),
    ("tmz", "timezone"),
    ("grp", "group"),
    ("hardisk", "hard disk"),
    ("harddisk", "hard disk"),
    ("hardrive", "hard drive"),
    ("harddrive", "hard drive"),
    ("wat", "what"),
    ("wut", "what"),
    ("u", "you"),
    ("halp", "help"),
    ("gimme", "give me"),
    ("w/", "with"),
    ("w/o", "without"),
    ("sys", "system"),
    ("loc", "locale"),
    ("enc", "encrypted"),
    ("encr", "encrypted"),
    ("crypt", "encrypted"),
    ("bootldr", "bootloader"),
    ("bootlder", "bootloader"),
    ("bl", "bootloader"),
    ("fmt", "format"),
    ("mnt", "mount"),
    ("rbt", "reboot"),
    ("swp", "swap"),
    ("spc", "space"),
    ("karg", "kernel option"),
    ("kargs", "kernel options"),
    ("kopts", "kernel options"),
    ("hn", "hostname"),
    ("cp", "copy"),
    ("passwd", "password"),
    ("r", "are"),
];

/// Words near a keyword that are words in their own right, never corrected.
const ORDINARY: &[&str] = &[
    "local",
    "locals",
    "locally",
    "location",
    "vocal",
    "locate",
    "located",
    "amount",
    "count",
    "users",
    "used",
    "uses",
    "lost",
    "last",
    "lust",
    "most",
    "must",
    "sure",
    "drove",
    "dive",
    "dusk",
    "desk",
    "disco",
    "shown",
    "snow",
    "shows",
    "shop",
    "mouth",
    "mounts",
    "swan",
    "swam",
    "wise",
    "wide",
    "wire",
    "wife",
    "wipes",
    "help",
    "held",
    "hello",
    "undone",
    "under",
    "group",
    "groups",
    "groupe",
    "formal",
    "forma",
    "former",
    "layer",
    "player",
    "later",
    "latest",
    "create",
    "crate",
    "great",
    "greet",
    "greta",
    "treat",
    "status",
    "statue",
    "statues",
    // "English (United States)".
    "states",
    "stats",
    "stature",
    "finnish",
    "finished",
    "restore",
    "restart",
    "language",
    "languages",
    "accounts",
    "sudoku",
    "sumo",
    "entry",
    "entries",
    "swaps",
    "swept",
    "machines",
    "computers",
    "keyboards",
    "hosts",
    "listen",
    "lists",
    "listed",
    "mountain",
    "mounted",
    "formats",
    "formatted",
    "installs",
    "installed",
    "windows",
    "window",
    "widows",
    "drivers",
    "driven",
    "disks",
    "partitions",
    "ensure",
    "encrypts",
    "erased",
    "erases",
    "locales",
    "layouts",
    "admins",
    "groups",
    "ursa",
    "uses",
    "while",
    "whale",
    "whose",
    "admit",
    "admits",
    "dried",
    "mound",
    "payout",
    "commuter",
    "summery",
    "entice",
    "instill",
];

/// Whether `word` is one of the installer's keywords.
pub(super) fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// Whether `a` is `b` with two neighbouring letters swapped.
fn transposed(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() != b.len() {
        return false;
    }
    let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    matches!(diff.as_slice(), [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i])
}

/// The keyword a typed word was meant to be, if exactly one is close enough: a swap of two
/// letters, or one edit (two for long words); never for short words or ordinary words.
pub(super) fn keyword_for(word: &str) -> Option<&'static str> {
    let n = word.chars().count();
    if n < 4 || !word.chars().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    if KEYWORDS.contains(&word) || ORDINARY.contains(&word) {
        return None;
    }
    // A keyword inside a longer word is another word ("unencrypted", "users"), not a typo:
    // correcting it could turn a negation around.
    if KEYWORDS.iter().any(|k| word.contains(k)) {
        return None;
    }
    // "sudu", "swop", "usar": a short keyword with one vowel heard or typed wrong (only
    // these: "show" would take "shaw", a name).
    if n == 4 {
        let vowel = |c: char| "aeiou".contains(c);
        if let Some(k) = ["sudo", "user", "swap", "wipe", "disk", "undo"]
            .iter()
            .find(|k| {
                let diff: Vec<(char, char)> = word
                    .chars()
                    .zip(k.chars())
                    .filter(|(a, b)| a != b)
                    .collect();
                matches!(diff.as_slice(), [(a, b)] if vowel(*a) && vowel(*b))
            })
        {
            return Some(k);
        }
    }
    // "tiem zone", "hsot name": the first word of a two-word keyword, two letters swapped
    // (only that: "times" or "hose" stay as they are).
    if let Some(k) = ["time", "host"].iter().find(|k| transposed(word, k)) {
        return Some(k);
    }
    let distance = |k: &str| {
        if transposed(word, k) {
            return 1;
        }
        if n < 5 {
            return usize::MAX;
        }
        match edit_distance(word, k) {
            1 => 1,
            2 if n >= 8 && k.len() >= 8 => 2,
            _ => usize::MAX,
        }
    };
    let best = KEYWORDS.iter().map(|k| distance(k)).min()?;
    if best == usize::MAX {
        return None;
    }
    let found: Vec<&'static str> = KEYWORDS
        .iter()
        .copied()
        .filter(|k| distance(k) == best)
        .collect();
    match found.as_slice() {
        [one] => Some(*one),
        // "dissk" is as near "disk" as "disks": one word, singular or plural.
        [a, b] if a.trim_end_matches('s') == b.trim_end_matches('s') => {
            Some(if a.len() < b.len() { *a } else { *b })
        }
        _ => None,
    }
}

/// Keywords that take a value next: the word after them is not corrected.
const TAKES_VALUE: &[&str] = &[
    "hostname", "user", "username", "called", "named", "name", "account", "timezone", "keyboard",
    "keymap", "layout", "language", "locale", "group",
];

static KEY_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(host ?name|computer name|machine name|tz|time ?zone|keyboard|keymap|key ?map|layout|locale|lang|language|user ?name|user|login|account|group|groups|disk|drive|fs|filesystem|keys|sudo|admin|host|kb|kbd|bootloader|boot ?loader|grub)\s*(?:=|:)\s*",
    )
});

static ARROW_TO_PATH: LazyLock<Regex> = LazyLock::new(|| re(r"\s*(?:->|=>|→)\s*/"));

static HOST_KEY: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bhost\s*(?:=|:)\s*"));

static POLITE_END: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:[\s,!]*\b(?:please|pls|plz|thanks|thank you|thank u|thx|ty|ta|cheers|lol|haha|hehe|lmao|xx|kindly|if you can|if possible|if that'?s (?:ok|okay|allowed|fine|possible|alright)|(?:if|in case)\s+(?:that|it|this|any of (?:that|this|it))\s*(?:'s|is)?\s*(?:matters|helps|relevant|important|counts|makes a difference|needed|necessary)(?:\s+(?:for|to)\s+(?:the\s+|my\s+|your\s+)?\w+(?:\s+\w+)?)?|if (?:you )?need(?:ed)?(?: to know| it| that)?|if relevant|if applicable|if (?:you (?:have|support|know|offer)|you'?ve got|there'?s|there is|(?:it|that)'?s available|(?:it|that) (?:is available|exists))(?:\s+(?:it|that|one|them|those|this|such a thing))?|i guess|i suppose|i think|probably|perhaps|ideally|for me|ok|okay|mate|buddy|now|these days|at the moment|currently|por favor|bitte|danke|merci|s'il vous pla[iî]t|per favore|grazie|gracias|obrigad[oa]|prosz[eę]|dzi[eę]kuj[eę]|пожалуйста|спасибо|будь ласка|дякую)\b[\s!.]*|[\s!]+|\s*:\)|\s*:-\)|\s*[\p{Extended_Pictographic}\x{FE0F}\x{200D}]+)+$",
    )
});

static POLITE_START: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:(?:please|pls|plz|kindly|hey|hi|hello|ok|okay|so|now|alright|also|plus|oh and|and|oops|whoops|oh no|ugh|hmm|um|uh|(?:it\s+)?turns out(?:\s+that)?|as it turns out|apparently|it seems(?:\s+that)?|by the way|btw|fyi|oh)\b[\s,]*)+",
    )
});

/// Commands people know from a shell, said as requests: the installer reads what they ask
/// for (nothing is ever run from them).
static COMMANDS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (
            r"(?i)^(?:sudo\s+)?mkfs\.(\w+)\s+(?:-\S+\s+)*(?:on\s+)?(\S+)$",
            "format $2 as $1",
        ),
        (
            r"(?i)^(?:sudo\s+)?hostnamectl\s+(?:set-hostname|hostname)\s+(\S+)$",
            "hostname $1",
        ),
        (
            r"(?i)^(?:sudo\s+)?timedatectl\s+set-timezone\s+(\S+)$",
            "timezone $1",
        ),
        (
            r"(?i)^(?:sudo\s+)?localectl\s+set-keymap\s+(\S+)$",
            "keyboard $1",
        ),
        (
            r"(?i)^(?:sudo\s+)?localectl\s+set-x11-keymap\s+(\S+).*$",
            "keyboard $1",
        ),
        (
            r"(?i)^(?:sudo\s+)?localectl\s+set-locale\s+(?:LANG=)?(\S+)$",
            "locale $1",
        ),
        (
            r"(?i)^(?:sudo\s+)?usermod\s+-a?G\s+(\S+)\s+(\S+)$",
            "add $2 to group $1",
        ),
        (
            r"(?i)^(?:sudo\s+)?useradd\s+(?:-m\s+)?-G\s+(?:wheel|sudo)\s+(?:-m\s+)?(\S+)$",
            "create user $1 with sudo",
        ),
        (
            r"(?i)^(?:sudo\s+)?useradd\s+(?:-\S+\s+)*(\S+)$",
            "create user $1",
        ),
        (r"(?i)^(?:sudo\s+)?passwd\s+(\S+)$", "set password for $1"),
        (
            r"(?i)^(?:sudo\s+)?mount\s+(?:-t\s+\S+\s+)?(?:-o\s+\S+\s+)?(/dev/\S+|(?:sd|vd|hd|xvd)[a-z]+\d+|nvme\d+n\d+p\d+|mmcblk\d+p\d+)\s+(/\S*)$",
            "mount $1 at $2",
        ),
        (
            r"(?i)^(?:sudo\s+)?(?:grub-install|grub2-install|bootctl install)(?:\s+(\S+))?$",
            "install the bootloader $1",
        ),
        (r"(?i)^(?:sudo\s+)?(?:systemctl\s+)?reboot$", "reboot"),
    ]
    .into_iter()
    .map(|(p, to)| (re(p), to))
    .collect()
});

/// The installer's keywords in the languages people mix into English ("Zeitzone Wien",
/// "teclado en español por favor"): written as the English keyword, values untouched.
static FOREIGN: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        // Elided articles and whole phrases first, before their words are read alone.
        (r"l'utente|l'utilisateur|l'usuario|l'usuari", "user"),
        (r"i permessi di sudo|permessi di amministratore|droits d'administrat\w+|derechos de administrador|direitos de administrador|admin-?rechte(?:n)?", "sudo rights"),
        (r"soll(?:te)? bleiben|muss bleiben|bleibt|bleiben|doit rester|debe quedarse|se queda|deve ficar|deve restare", "stays"),
        (r"con|avec|mit", "with"),
        (r"(?:surtout\s+)?ne pas effacer|sans effacer|n'efface pas|no borres|sin borrar|n[aã]o apague|senza cancellare|nicht l[oö]schen", "don't wipe"),
        (r"n[aã]o mex[ae](?:r)?(?:\s+n[oa])?|no toques(?:\s+el|\s+la)?|ne touche pas(?:\s+[aà]\s+la|\s+au)?|non toccare(?:\s+il|\s+la)?|nicht anfassen", "don't touch the"),
        (r"interne[nrs]? speicher|stockage interne|almacenamiento interno|armazenamento interno|memoria interna", "internal storage"),
        (r"freien platz|freie platz|freier platz|freiem platz", "free space"),
        (r"neben", "alongside"),
        // Word for word from other languages ("zone of time", "the hour of Paris").
        (r"zone of time|zone of hour", "timezone"),
        (r"the hour of|hour of", "time in"),
        (r"inteiro|entero|entier|intero", "whole"),
        (
            r"zeitzone|zona waktu|zona hor[aà]ria|zona horaria|часов(?:ой|ий) пояс|ζ[ωώ]νη [ωώ]ρας|aikavy[oö]hyke|id[oő]z[oó]n[aá]|[cč]asov[eé] p[aá]smo|fus orar|tidssone|tidszone|m[uú]i gi[oờ]|huso horario|fuso orario|fuseau horaire|strefa czasowa|fuso hor[aá]rio|tijdzone|tidszon|tid",
            "timezone",
        ),
        (
            r"sprache|idioma|langue|lingua|j[eę]zyk|taal|spr[aå]k|l[ií]ngua|язык(?:\s+системы)?|言語|dil|мова|γλ[ωώ]σσα|kieli|jezik|limba|nyelv",
            "language",
        ),
        (
            r"tastatur(?:layout|belegung)?|teclado|clavier|tastiera|klawiatura|toetsenbord|tangentbord",
            "keyboard",
        ),
        (
            r"benutzer(?:name)?|usuario|utilisateur|utente|u[zż]ytkownik|gebruiker|anv[aä]ndare",
            "user",
        ),
        (
            r"passwort|kennwort|contrase[nñ]a|mot de passe|senha|has[lł]o|wachtwoord|l[oö]senord",
            "password",
        ),
        (
            r"rechnername|computername|nombre del equipo|nom d'h[oô]te|nome host",
            "hostname",
        ),
        (r"gruppe|grupo|groupe|gruppo|grupa|groep", "group"),
        // Disks and what is done with them, in the languages people mix in.
        (
            r"todo el disco|todo o disco|tout le disque|tutto il disco|(?:die\s+)?ganze (?:platte|festplatte|ssd)|de hele schijf|hele schijf|ca[lł]y dysk",
            "the whole disk",
        ),
        (r"espacio libre|espace libre|espa[cç]o livre|spazio libero|freien speicher|vrije ruimte|wolne miejsce", "free space"),
        (r"al lado|[aà] c[oô]t[eé]|ao lado|accanto|daneben|naast|obok", "alongside"),
        (r"disco|disque|platte|festplatte|schijf|dysk", "disk"),
        (
            r"instala(?:r|lo|la)?|installa(?:re)?|installer|installe|installiere|installier|installeer|zainstaluj|kur",
            "install",
        ),
        (
            r"b[oó]rra(?:r|lo|la)?|efface[rz]?|cancella|l[oö]sche[n]?|apaga(?:r)?|wis|usu[nń]",
            "wipe",
        ),
        (r"usa (?:el|la|los|las|o|a)", "use the"),
        (r"usa todo|usa toda", "use all"),
        (r"usar|utilise[rz]?|benutze|verwende|gebruik|u[zż]yj", "use"),
        (r"non cifrat[ao]|no cifrad[ao]|sin cifrar|sem criptografia|ohne verschl[uü]sselung|sans chiffrement|niezaszyfrowan\w*|non chiffr[eé]e?|unverschl[uü]sselt", "unencrypted"),
        (
            r"cifra(?:r|do|da|dos|das)?|cifrat[ao]|chiffre[rz]?|chiffr[eé]e?s?|verschl[uü]ssel\w*|criptograf\w*|encripta\w*|szyfruj\w*|zaszyfruj\w*|versleutel\w*|[sş]ifrele\w*",
            "encrypt",
        ),
        (r"separad[ao]s?|s[eé]par[eé]e?s?|separat[ao]|getrennte?[nrs]?|osobn\w*|aparte", "separate"),
        (r"formatea(?:r)?|formate[rz]?|formattare|formatta|formatiere[n]?|formatteer|sformatuj", "format"),
        (r"mant[eé]n|mantener|mantenha|manter|garde[rz]?|tieni|behalte[n]?|behoud|zostaw", "keep"),
        (r"termina(?:r)?|terminer|termine|beende[n]?|finaliza(?:r)?|zako[nń]cz", "finish"),
        (
            r"reinicia(?:r)?|red[eé]marre[rz]?|riavvia(?:re)?|neu ?starten|neustart|herstart(?:en)?|uruchom ponownie",
            "reboot",
        ),
        (r"desh[aá]z|deshacer|desfa[zç]a?|desfazer|annule[rz]?|annulla|r[uü]ckg[aä]ngig|ongedaan", "undo"),
        (r"ayuda|aide|ajuda|aiuto|hilfe|pomoc", "help"),
        (r"sin|sans|sem|senza|ohne|zonder", "without"),
        (r"crea(?:r)?|cr[eé]e[rz]?|crie|criar|erstelle[n]?|maak|stw[oó]rz|utw[oó]rz|olu[sş]tur", "create"),
        (
            r"a[jñ]oute[rz]?|a[nñ]ade|a[nñ]adir|agrega(?:r)?|adiciona(?:r)?|aggiungi|f[uü]ge|hinzuf[uü]gen|voeg|dodaj|ekle",
            "add",
        ),
        (r"nomm[eé]e?|llamad[oa]|chamad[oa]|chiamat[oa]|namens|genaamd|nazwan\w*", "named"),
        (r"u[zż]ytkownik\w*|kullan[iı]c[iı](?: ad[iı])?|usu[aá]rio", "user"),
        (r"quais|qu[eé]|quels|quelles|welche|quali|jakie", "which"),
        (r"discos|disques|platten|festplatten|dyski", "disks"),
        // Time in a city, and the clock's other names.
        (r"heure de|heure d'|hora de|horario de|hor[aá]rio de|ora di|uhrzeit in|zeit in", "time in"),
        (r"fuseau|saat dilimi|zona", "timezone"),
        (
            r"klavye|klawiatur\w*|n[aä]pp[aä]imist[oö]|teclat|billenty[uű]zet|kl[aá]vesnice|клавиатур\w*|раскладк\w*|розкладк\w*|πληκτρολ[οό]γιο|tipkovnic\w*|tastatur[aă]|kl[aá]vesnic\w*|tastatuur|klaviat[uū]r\w*|lyklabor[dð]",
            "keyboard",
        ),
        // Hindi and Turkish verbs at the end that only say "set" or "do" ("timezone
        // Kolkata kar do", "hostname mera-pc rakhna", "ahmet olsun").
        (r"kar do|kar dena|karo|rakh do|rakhna|rakho|banao|bana do|olsun|ver", ""),
        (r"aur", "and"),
        (r"ke saath|ke sath", "with"),
        // Keys shortened before their value ("hn=box", "loc: de_DE", "usr=ana").
        (r"hn\s*=\s*", "hostname="),
        (r"loc\s*=\s*", "locale="),
        (r"usr\s*=\s*", "user="),
        (r"kbd?\s*=\s*", "keyboard="),
        (r"tz\s*=\s*", "timezone="),
        (r"fuso", "timezone"),
        (r"und", "and"),
        // "y", "e", "et" (and) before a keyword of their language, already in English.
        (
            r"(?:y|e|et|i)\s+(?:el\s+|la\s+|le\s+|il\s+|o\s+|a\s+)?(?P<k>keyboard|language|timezone|user|password|hostname|group)",
            "and $k",
        ),
        (r"para", "for"),
        (r"als", "as"),
        // Verbs at the end that only say "set" ("Passwort für klaus setzen").
        (
            r"setzen|einstellen|festlegen|[aä]ndern|poner|configurar|mettre|impostare|ustaw",
            "",
        ),
        (
            r"fertig|listo|termin[eé]|terminado|fini|finito|fatto|gotowe|klaar|klart",
            "done",
        ),
        (r"f[uü]r (?:den|die|das)|f[uü]r|para el|para la|pour le|pour la|per il", "for"),
        // Politeness, dropped.
        (
            r"bitte|danke|por favor|porfa|l[uü]tfen|gracias|s'il vous pla[iî]t|svp|merci|per favore|grazie|prosz[eę]|dzi[eę]kuj[eę]|obrigad[oa]|alsjeblieft|tack",
            "",
        ),
    ]
    .into_iter()
    .map(|(p, to)| (re(&format!(r"(?i)\b(?:{p})\b")), to))
    .collect()
});

/// A number said in words before a size unit ("swap of eight giga", "one terabyte"), or
/// "a terabyte".
static SIZE_IN_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?P<n>(?:(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|and)[\s-]+)+)(?P<u>tera\w*|tb|giga\w*|gigs?|gb|mega\w*|megs?|mb)\b",
    )
});

pub(super) fn number_in_words(words: &str) -> Option<u64> {
    let (mut total, mut any) = (0u64, false);
    let ws: Vec<String> = words
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    for (i, w) in ws.iter().enumerate() {
        let v = match w.as_str() {
            // "a sixteen gig swap": the article, not a one; "a hundred gigs": one.
            "a" if ws.get(i + 1).is_some_and(|n| n != "hundred") => continue,
            "a" | "one" => 1,
            "two" => 2,
            "three" => 3,
            "four" => 4,
            "five" => 5,
            "six" => 6,
            "seven" => 7,
            "eight" => 8,
            "nine" => 9,
            "ten" => 10,
            "eleven" => 11,
            "twelve" => 12,
            "thirteen" => 13,
            "fourteen" => 14,
            "fifteen" => 15,
            "sixteen" => 16,
            "seventeen" => 17,
            "eighteen" => 18,
            "nineteen" => 19,
            "twenty" => 20,
            "thirty" => 30,
            "forty" => 40,
            "fifty" => 50,
            "sixty" => 60,
            "seventy" => 70,
            "eighty" => 80,
            "ninety" => 90,
            "and" => continue,
            "hundred" => {
                total = total.max(1) * 100;
                any = true;
                continue;
            }
            _ => return None,
        };
        // "two hundred fifty six": units add to what came before.
        total += v;
        any = true;
    }
    any.then_some(total)
}

/// Sizes said in words written in digits ("eight giga" -> "8 giga").
pub(super) fn sizes_in_digits(text: &str) -> String {
    SIZE_IN_WORDS
        .replace_all(text, |c: &regex::Captures<'_>| {
            // "a gb keyboard": the country, not a gigabyte.
            let after = c.get(0).map_or("", |m| &text[m.end()..]).trim_start();
            let country = ["keyboard", "layout", "keymap", "english", "locale"]
                .iter()
                .any(|w| after.to_lowercase().starts_with(w));
            if country {
                return c[0].to_owned();
            }
            number_in_words(&c["n"]).map_or_else(|| c[0].to_owned(), |n| format!("{n} {}", &c["u"]))
        })
        .into_owned()
}

/// Foreign keywords written as the English ones.
pub(super) fn english_keywords(text: &str) -> String {
    let mut text = text.to_owned();
    for (re, to) in FOREIGN.iter() {
        if re.is_match(&text) {
            text = re.replace_all(&text, *to).into_owned();
        }
    }
    text
}

/// A clause as the classifier should read it, still in the person's own letters.
pub(super) fn plain(clause: &str) -> String {
    let command = |said: &str| {
        COMMANDS
            .iter()
            .find(|(re, _)| re.is_match(said.trim()))
            .map(|(re, to)| re.replace(said.trim(), *to).trim().to_owned())
    };
    // ("root: mkfs.ext4 /dev/sda2", "step 2: mount ..."): a command after a label.
    let clause = command(clause)
        .or_else(|| {
            let (label, said) = clause.split_once(": ")?;
            Some(format!("{label}: {}", command(said)?))
        })
        .unwrap_or_else(|| clause.to_owned());
    let clause = clause.as_str();
    let mut out: Vec<String> = Vec::new();
    let mut after_key = false;
    // Arrows are separators too ("hostname -> lyra").
    // ("mnt sda1 -> /srv/media": an arrow to a path is where.)
    let clause = ARROW_TO_PATH.replace_all(clause, " at /");
    // ("wd blue -> root 50G ext4, swap 16": what follows a spaced arrow is said of what
    // comes before it, as after a colon.)
    let clause = clause.replace(" -> ", ": ");
    let spaced = clause
        .replace("->", " = ")
        .replace("=>", " = ")
        .replace('=', " = ");
    let mut before = "";
    for token in spaced.split_whitespace() {
        let bare = token.trim_matches(|c: char| !c.is_alphanumeric());
        // ("her holiday photos from Crete": a place's name written as one, after "from" or
        // "in", is no keyword typed wrong.)
        let proper_name = matches!(
            before.to_lowercase().as_str(),
            "from" | "in" | "at" | "of" | "near" | "visiting" | "to"
        ) && bare.chars().next().is_some_and(char::is_uppercase);
        before = token;
        let lower = bare.to_lowercase();
        // "w/" and "w/o" are with and without.
        match token.to_lowercase().as_str() {
            "w/" => {
                out.push("with".into());
                after_key = false;
                continue;
            }
            "w/o" => {
                out.push("without".into());
                after_key = false;
                continue;
            }
            _ => {}
        }
        let bare_word = token.trim_end_matches([',', '.', '!', '?', ';', ':']) == bare;
        let fixed = if after_key {
            None
        } else {
            SHORTHAND
                .iter()
                .find(|(s, _)| bare_word && *s == lower)
                .map(|(_, k)| *k)
                .or_else(|| keyword_for(&lower).filter(|_| !proper_name))
        };
        after_key = TAKES_VALUE.contains(&fixed.unwrap_or(lower.as_str()));
        match fixed {
            Some(k) if !bare.is_empty() => out.push(token.replacen(bare, k, 1)),
            _ => out.push(token.to_owned()),
        }
    }
    // "also" and "as well" add nothing inside a clause ("tina should also be in audio").
    out.retain(|t| !t.eq_ignore_ascii_case("also"));
    let text = out.join(" ").replace(" as well", "");
    // "host=hive": the host name (a bare "host" is a word of its own, "the host disk").
    let text = HOST_KEY.replace_all(&text, "hostname ");
    let text = KEY_VALUE.replace_all(&text, "$1 ");
    // What is not a key of the installer keeps its "=" ("console=ttyS0").
    let text = text.replace(" = ", "=");
    let text = POLITE_END.replace(&text, "");
    let text = POLITE_START.replace(&text, "");
    text.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_corrected_and_values_are_not() {
        assert_eq!(keyword_for("hostnmae"), Some("hostname"));
        assert_eq!(keyword_for("usre"), Some("user"));
        assert_eq!(keyword_for("keybaord"), Some("keyboard"));
        assert_eq!(keyword_for("parition"), Some("partition"));
        // Ordinary words and short words stay.
        assert_eq!(keyword_for("uses"), None);
        assert_eq!(keyword_for("amount"), None);
        assert_eq!(keyword_for("unencrypted"), None);
        assert_eq!(keyword_for("reformat"), None);
        assert_eq!(keyword_for("sue"), None);
        // The value after a keyword is never corrected, even if it looks like one.
        assert_eq!(plain("creat usre uesr"), "create user uesr");
        assert_eq!(plain("hostname=Falcon"), "hostname Falcon");
        assert_eq!(plain("Time Zone: Oslo"), "Time Zone Oslo");
        assert_eq!(plain("please set keyboard de, thanks!"), "set keyboard de");
        assert_eq!(plain("timezone rome pls"), "timezone rome");
    }
}
