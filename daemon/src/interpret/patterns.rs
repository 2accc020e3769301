//! The clause patterns, matched against folded text (see `text::fold_text`).

use std::sync::LazyLock;

use regex::Regex;

pub(super) fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad built-in pattern {pattern}: {e}"))
}

macro_rules! pattern {
    ($name:ident, $re:expr) => {
        pub(super) static $name: LazyLock<Regex> = LazyLock::new(|| re($re));
    };
}

/// A partition's device name without "/dev/" ("sdb2", "nvme0n1p3"), for `concat!`.
macro_rules! partition_name {
    () => {
        r"(?:[svh]d[a-z]\d+|xvd[a-z]\d+|nvme\d+n\d+p\d+|mmcblk\d+p\d+)"
    };
}

/// A disk's device name, with or without "/dev/" ("sdb", "/dev/nvme0n1"), for `concat!`.
macro_rules! disk_path {
    () => {
        r"(?:/dev/)?(?:[svh]d[a-z]|nvme\d+n\d+|mmcblk\d+)"
    };
}

pattern!(
    SPLIT,
    r"(?i)\s*(?:[;,.!]+\s+\d{1,2}[).]\s|;|,|[.!]+\s|\band then\b|\bthen\b|\band also\b|\band\b|\bsince\b|\bbecause\b|\s[&+|]\s|(?:^|\s)\d{1,2}[).]\s)\s*"
);
pattern!(QUESTION_END, r"\?+\s+");
// An account for the person asking.
pattern!(
    FOR_ME,
    r"\bfor me\b|\b(?:make|give|get|set)\s+me\s+(?:up\s+)?(?:an?\s+)?(?:account|user|login)?|\b(?:i|we)\s+(?:need|want|would like|'?d like)\s+(?:an?\s+)?(?:account|user|login)\b|\bmy\s+(?:own\s+)?(?:account|user|login)\b"
);
// The person asking, named (case matters: a name is capitalised in prose).
pattern!(
    SELF_NAMED,
    r"\b(?:I'?m|I am|[Mm]y name is|[Mm]y name'?s|[Cc]all me|[Tt]his is)\s+(?P<n>[A-Z][a-z]{1,31})(?:\s*[,.;!?]|\s+and\b|\s*$)|\bI\s+\((?P<p>[A-Z][a-z]{1,31})\)|\bme,\s+(?P<m>[A-Z][a-z]{1,31})(?:\s*[,.;!?]|\s+and\b|\s*$)|\b(?:for|with)\s+me(?:,\s+|\s+\()(?P<q>[a-z][a-z0-9_-]{1,31})(?:\s*[,.;!?)]|\s+(?:and|as|with)\b|\s*$)"
);
// Someone named after a relation: "my mum, Rosa", "my wife Ana", "my 9-year-old, Mia".
pattern!(
    OTHER_NAMED,
    r"(?i:\b(?:my|our)\s+(?:[\w-]+\s+){0,2}?(?:wife|husband|son|daughter|mum|mom|mother|father|dad|partner|kid|child|grandson|granddaughter|grandma|grandmother|grandpa|grandfather|granny|brother|sister|friend|colleague|roommate|flatmate|boss|nephew|niece|aunt|uncle|cousin|student|\d+[- ]year[- ]old|teenager|tenant|guest|assistant))\s*,?\s+(?P<n>[A-Z][a-z]{1,31})(?:\s*[,.;!?]|\s+(?:and|needs|wants|will|should|is|has|uses)\b|\s*$)|\b(?i:she|he|they)\s*(?i:'s|is|are)\s+(?i:named|called)\s+(?P<m>[a-z][a-z0-9_-]{1,31})(?:\s*[,.;!?]|\s+(?i:and|but)\b|\s*$)"
);
// Someone who says they look after the machine: its administrator.
pattern!(
    LOOKS_AFTER,
    r"\b(?:i'?m|i am|i'?ll be|i will be)\s+(?:the one|in charge|responsible)\b.*\b(?:updates?|fix\w*|maintain\w*|maintenance|admin\w*|look\w* after|manag\w*)\b|\bi\s+(?:look after|maintain|manage|administer|run)\s+(?:it|this|the (?:computer|machine|system|box))\b|\b(?:i'?m|i am)\s+(?:the\s+|an?\s+)?(?:admin|administrator|sysadmin|root)\b"
);
pattern!(
    WITH_KEY,
    r"\s+with\s+(?:the\s+|a\s+|an\s+)?[\w£€$@]+(?:\s+\w+)?\s+(?:key|keys|sign|symbol)$"
);
// "I don't care about the layout": says nothing to do.
pattern!(
    DONT_CARE,
    r"^(?:i|we)\s+(?:really\s+)?(?:don'?t|do not|couldn'?t|could not)\s+(?:really\s+)?care\b"
);
pattern!(
    DISK_ONLY,
    r"^(?:the\s+)?(?:/dev/)?[a-z0-9]+(?:\s+(?:disk|drive|one|ssd|hdd))?\s+only$|^only\s+(?:the\s+)?(?:/dev/)?[a-z0-9]+(?:\s+(?:disk|drive|one|ssd|hdd))?$"
);
pattern!(WORD_SLASH_WORD, r"(?P<a>\pL)\s+/\s+(?P<b>\pL)");
// A checklist's boxes: ticked ("[x]", "\u{2611}", "\u{2705}") and open ("[ ]", "\u{2610}").
pattern!(
    TICKED,
    r"^(?:\[[xX\u{2713}\u{2714}]\]|[\u{2611}\u{2705}\u{2713}\u{2714}])"
);
pattern!(CHECKBOX, r"^(?:\[\s?\]|\u{2610})\s*");
// "disk: the 500GB Seagate", "install drive = sdb": the disk to use, as a setting (the
// colon may be gone by the time a clause is read: "disk the 500gb seagate").
pattern!(
    DISK_KEY,
    r"^[^a-z0-9/]*(?:(?:install(?:ation)?|target|os|system|root|boot)\s+)?(?:disk|drive|device)\s*(?:[:=]|\s(?:is\s+)?(?:the\s|/dev/|sd[a-z]\b|nvme|vd[a-z]\b|mmcblk))"
);
pattern!(
    GROUP_RUN,
    r"(?i)\b(?P<verb>add|put)\s+(?P<u>[a-z_][a-z0-9_-]*)\s+(?:to|in|into)\s+(?:the\s+)?(?:groups?\s+)?(?P<gs>[a-z_][a-z0-9_-]*(?:\s+[a-z_][a-z0-9_-]*){1,6})(?:\s+groups?)?\s*$"
);
// Commands a sysadmin types out of habit: the same requests in words.
pattern!(
    GPASSWD,
    r"(?i)\bgpasswd\s+-a\s+(?P<u>[a-z_][a-z0-9_-]*)\s+(?P<g>[a-z_][a-z0-9_-]*)\b"
);
pattern!(
    USERMOD,
    r"(?i)\busermod\s+(?:-a\s+)?-a?G\s+(?P<g>[a-z0-9_,-]+)\s+(?:-a\s+)?(?P<u>[a-z_][a-z0-9_-]*)\b"
);
// "... the live system and a USB stick I'm using for swap": one more thing a statement
// lists, even with a verb in it.
pattern!(LISTED, r"^(?:a|an|one|another|some)\s");
pattern!(
    DISK_LAYOUT,
    r"\b(?:default|standard|normal|basic|plain|partition(?:ing)?|disk|drive|storage|recommended|suggested|usual|simple|guided|automatic|auto|ext4|btrfs|xfs|encrypted|luks|filesystem)\s+layout\b"
);
// "lock the linux part so a thief couldn't read it", "if someone grabs it I don't want them
// reading anything": encryption, said as the worry it answers.
pattern!(
    PROTECT,
    r"\b(?:lock|protect|secure)\s+(?:up\s+)?(?:the\s+)?(?:linux\s+(?:part|side|partition|install\w*)|my\s+(?:files|data|stuff|documents)|the\s+(?:disk|drive|data|files))\b|\b(?:thie(?:f|ves)|stolen|steal\w*|grabs?|snatch\w*)\b.*\b(?:read|see|get at|access)\w*|\b(?:don'?t|do not)\s+want\s+(?:them|anyone|anybody|people|someone|strangers|a thief)\s+(?:to\s+)?(?:read|see|access|get at|snoop)\w*"
);
// "my personal files kept apart from the system": a separate /home.
pattern!(
    FILES_APART,
    r"\b(?:personal files|my files|my data|my stuff|my documents|home (?:folder|directory|dir)s?|user data)\b.*\b(?:apart from (?:the )?(?:system|os|rest)|(?:its|their) own partition|a (?:separate|partition) of (?:its|their) own|separate partition)\b"
);
pattern!(
    BARE_SIZE,
    r"^(?:(?:maybe|about|around|roughly|say|like|approx\w*|at least|at most|only|just|of)\s+)*\d+(?:\.\d+)?\s*(?:[kmgt]i?b?|gigs?|megs?|tera\w*|giga\w*|%|percent)(?:\s+(?:ext4|btrfs|xfs|vfat))?(?:\s+(?:or so|maybe|should do|is enough|is fine|will do|each))?$"
);
pattern!(
    GROUP_NAMED,
    r#"(?i)\bthe\s+['"‘’“”]?(?P<g>[a-z_][a-z0-9_-]*)['"‘’“”]?\s+group\b"#
);
pattern!(
    INTO_IT,
    r"(?i)\b(?P<verb>put|add)\s+(?P<u>[a-z_][a-z0-9_-]*)\s+(?P<to>in|into|to)\s+(?:it|that one|that|there)\b"
);
// "my old home files are on the ubuntu partition": where they are, which "it" may name next.
pattern!(
    FILES_ON,
    r"^(?:my|our|all my|the)\s+(?:\w+\s+){0,3}?(?:files|data|stuff|photos|pictures|documents|music|games|work|thesis|backups?|projects?)\s+(?:is|are|live|lives|sits?)\s+(?:still\s+|all\s+)?(?:on|in)\s+(?P<where>.+)$"
);
// "the 4tb seagate holds my media library": where files are, said the other way round.
pattern!(
    HOLDS_FILES,
    r"^(?P<where>.+?)\s+(?:holds|has|contains|keeps|stores|is)\s+(?:all\s+|full\s+of\s+|where\s+)?(?:my|our|the|all my)\s+(?:\w+\s+){0,3}?(?:files|data|stuff|photos|pictures|documents|music|media|games|work|thesis|backups?|projects?|library|movies|videos)\b"
);
// "it's just a throwaway VM: whole disk, ...": a statement before a colon ends there.
pattern!(
    STATEMENT_COLON,
    r"(?i)\b((?:it'?s|it is|this is|that'?s|that is)\s+[^:,.;]{1,60}):\s+"
);
pattern!(FOR_ME_COLON, r"(?i)\bfor me\s*:\s*");
// "only mount, not format": the mount just asked for, said again.
pattern!(
    ONLY_MOUNT,
    r"^(?:only|just)\s+mount(?:\s+it)?$|^mount\s+only$"
);
// "put student in dialout so the kids can program arduinos": the reason, a clause of its own.
pattern!(
    SO_REASON,
    r"(?i)\s+(so\s+(?:that\s+)?(?:the|i|we|he|she|they|my|our|his|her|it|kids|everyone|nobody|no one)\b)"
);
// "create an ansible user with sudo": the name said before the noun.
pattern!(
    NAME_BEFORE_NOUN,
    r"^(?:please\s+)?(?:create|add|make|set up|setup|i need|i want)\s+(?:me\s+)?(?:an?\s+|one\s+)?(?P<v>[a-z_][a-z0-9_-]*)\s+(?:user|account|login)\b"
);
pattern!(WITHOUT_SHORT, r"(?i)\bw/o\b");
pattern!(WITH_SHORT, r"(?i)\bw/\s*");
// "the other one", "the other disk": the disk a request did not name otherwise.
pattern!(
    OTHER_DISK,
    r"\b(?:the|that|an?)\s+other\s+(?:\w+\s+)?(?:one|disk|drive|ssd|hdd|hard ?drive|hard ?disk)\b|\bthe\s+(?:remaining|leftover|last)\s+(?:one|disk|drive)\b"
);
// "falcon as the computer name", "Lisbon for the time zone", "en_US locale": the value
// before its setting, turned around.
pattern!(
    VALUE_FIRST,
    r"(?i)^(?:(?:use|set|make it|with|and|but|also|plus|then)\s+)?(?P<v>[\w/.:+-]+(?:\s+[\w/.:+-]+){0,2}?)\s+(?:(?:for|as)\s+(?:the\s+|my\s+|our\s+|this\s+)?(?:new\s+)?)?(?P<k>host ?name|computer(?:'s)? name|machine(?:'s)? name|time ?zone|tz|locale|kbd|keymap)$"
);
// "undo that, I didn't mean to pick the WD": why the last step was wrong, not a new one.
pattern!(
    EXPLAINS_MISTAKE,
    r"^(?:i|we)\s+(?:didn'?t|did not|never)\s+(?:mean|want|intend)\b|^(?:i|we)\s+(?:typed|picked|chose|said|entered|put|got|gave)\s+(?:in\s+)?(?:the\s+)?wrong\b|^(?:that|it|this)\s+(?:was|is)\s+(?:wrong|a mistake|a typo|not what i)"
);
pattern!(
    CORRECTION,
    r"^(?:(?:no|nope|oops|sorry|wait|actually|or rather|rather)\s+)*(?:make it|make that|change it to|change that to|call it|name it|let'?s call it|go with|let'?s go with|i meant|i mean|it should be|better|rather)\s+(?P<v>[\w./+-]+(?:\s+[\w./+-]+)?)$"
);
// "spaces won't work", "the umlaut will break things", "underscores aren't allowed
// right?": why the value before is taken back, no request.
pattern!(
    WONT_WORK,
    r"\b(?:won'?t|will not|doesn'?t|does not|don'?t|do not|can'?t|cannot)\s+(?:work|fly|do)\b|\b(?:will|would|might|could)\s+(?:break|mess up|confuse)\b|\b(?:isn'?t|aren'?t|is not|are not|not)\s+(?:allowed|valid|permitted|ok|okay)\b|\bbreaks?\s+(?:things|stuff|it|everything)\b"
);
// "actually madrid", "or rather uk": a value alone, said instead of the one before.
pattern!(
    ACTUALLY_VALUE,
    r"^(?:actually|or rather|rather|sorry|i mean|i meant|make that|er|erm|uh|um)[,]?\s+(?P<v>[\w./+-]+(?:\s+[\w./+-]+){0,2})$"
);
pattern!(
    CORRECTING,
    r"^(?:(?:ah|oh|eh|ugh|hmm+|ok|okay)\s+)*(?:no|nope|oops|sorry|wait|actually|or rather|rather|i mean|i meant|sorry i meant|er|erm|uh|um|hmm)(?:\s+(?:no|wait|sorry|actually))*$|^(?:(?:no|actually|sorry|oops|wait)\s+)*(?:scratch|strike|cancel) that$"
);
pattern!(
    STATEMENT,
    r"^(?:the\s+)?(?:disks?|drives?|partitions?|partitioning|storage|disk setup|disk part)\s+(?:(?:is|are|'s)\s+)?(?:already\s+|all\s+)?(?:sorted|done|ready|prepared|set up|partitioned|formatted|finished|taken care of|handled|fine|good)\b|^(?:the\s+|my\s+|an?\s+)?(?:old\s+|current\s+|existing\s+)?(?:windows|ubuntu|fedora|debian|mint|arch|macos|manjaro|opensuse|kubuntu|xubuntu|gentoo|centos)(?:\s+\d+)?(?:\s+install(?:ation)?)?\s+(?:is|lives|sits|runs)\s+(?:still\s+|currently\s+|already\s+|now\s+)?(?:on|in|off)\s|^the\s+(?:[\w-]+\s+){0,3}?(?:disk|drive|ssd|hdd|nvme|card|stick)\s+(?:already\s+|still\s+)?(?:has|holds|contains|carries)\s+(?:its|an?|the|some)\s|^(?:(?:right now|currently|at the moment|at present|today|for now|so|well|ok|okay)[,]?\s+)?(?:the|a|an|one|my|our)\s+(?:[\w-]+\s+){0,3}?(?:disk|drive|one|ssd|hdd|nvme|volume|card|stick|hynix|samsung|seagate|wd|crucial|kingston|toshiba|hgst|sandisk|intel|nvme0n1|sda|sdb|sdc|vda|vdb)\s+(?:that\s+|which\s+)?(?:already\s+|still\s+)?(?:(?:has|holds|contains|carries|has got)\s+|with\s+(?:an?|the|my|our|some|its|all|old)\s+)(?:[\w-]+\s+){0,3}?(?:on it|installed|in it|on there)(?:\s*:.*)?$|^(?:i'?m|i am|we'?re|we are)\s+(?:\w+\s+)?(?:done|finished|through)\s+with\b|^(?:the\s+|my\s+)?(?:current|live|running|existing|old|present)\s+(?:system|os|install\w*)\b|^(?:the\s+|my\s+)?(?:system|os)\s+(?:i'?m|we'?re|i am|we are|you'?re|you are)\s+(?:running|booted|using)\b|^(?:there'?s|there is|there are|it'?s|it is|this is|that'?s|that is|the machine is|this machine is|it has|this one has)\s+(?:also\s+|still\s+)?(?:no|not|only|just|an?|the|my|two|three|several)\b|^(?:i'?m|i am|we'?re|we are|it'?s|this is)\s+(?:currently\s+|now\s+|just\s+)?(?:booted|running|started|booting|working)\s+(?:in|into|from|off|on)\b|^(?:it|the \w+(?: \w+)?|that one|this one|(?:that|this) (?:disk|drive|ssd|hdd|nvme|card|stick))\s+(?:is|was)\s+(?:way\s+|far\s+|much\s+|really\s+|very\s+|quite\s+|too\s+)*(?:slow|fast|old|new|full|noisy|broken|dying|faulty|loud|tiny|huge|empty|blank|unused|free)\b|^(?:it|that|this|that one|this one|the \w+)\s+(?:has|holds|contains|has got)\s+(?:my|our|all)\b|^(?:my|our|all my|all our)\s+(?:\w+\s+){1,2}?(?:are|is|live|lives|sit|sits|stay|stays)\s+(?:on|in)\s+(?:there|it|that|this|that one|this one)\b|^the\s+(?:[\w-]+\s+){1,3}?(?:has|holds|contains|carries|stores|keeps)\s+(?:my|our|all|his|her|their)\b|^(?:it'?s|that'?s|it has|that has|this one'?s)\s+got\s+(?:my|our|all)\b|^(?:i'?ve|i have|we'?ve|we have)\s+(?:still\s+|already\s+|just\s+)?(?:got|backed|copied|saved|moved|cloned|stored|archived)\b|^(?:i|we)\s+(?:still\s+|already\s+)?have\s+\w+(?:\s+\w+)?\s+(?:on|installed)\b|^(?:this|the|my)\s+(?:computer|machine|pc|laptop|system|live system)\s+(?:is\s+)?(?:running|runs|booted|boots)\b|^(?:my|our|this|the)\s+(?:[\w-]+\s+){0,2}?(?:pc|computer|machine|laptop|desktop|box|server|rig|tower|workstation)\s+(?:has|had|comes with|came with|only has)\s+(?:a|an|two|three|one|only|just)\b|^the\s+other\s+(?:ones?|disks?|drives?)\s+(?:is|are)\b|^(?:(?:it'?s|this is)\s+)?(?:my\s+)?(?:very\s+)?first time\b|^(?:i'?ve|i have|we'?ve|we have)\s+never\b|^(?:my|our|all my|the)\s+(?:\w+\s+){0,3}?(?:files|data|stuff|photos|pictures|documents|music|games|work|thesis|backups?|projects?)\s+(?:is|are|live|lives|sits?)\s+(?:still\s+|all\s+)?(?:on|in)\b|^(?:it|that one|this one|the\s+(?:\w+\s+){0,3}?(?:one|disk|drive|ssd|hdd))\s+(?:is|was|'s)\s+(?:just\s+|only\s+)?(?:for|where)\s+(?:my|our|the|all|his|her|their)\b|^(?:the\s+)?(?:[\w-]+\s+){0,3}?[\w-]+\s+(?:is|was|'s)\s+(?:just\s+|only\s+|going to be\s+)?where\s+(?:i|we)\s+(?:usually\s+|still\s+|also\s+)?(?:keep|store|put|save|stash|dump|have|back up|backup)\b|^(?:the\s+)?(?:[\w-]+\s+){0,3}?[\w-]+\s+(?:is|was|'s)\s+(?:just\s+|only\s+|going to be\s+)?(?:for|where)\s+(?:my|our|his|her|their|all my|backups?|photos|pictures|data|storage|media|games|music|videos|documents|files)\b|^(?:the|my)\s+(?:[\w-]+\s+){0,4}?(?:is|'s)\s+(?:just\s+)?(?:my|our|all\s+my|where\s+my)\s+(?:\w+\s+){0,2}?(?:files|data|stuff|photos|pictures|documents|music|media|games|work|backups?|projects?|library|movies|videos|archive|storage)\b|^(?:the\s+|my\s+)?(?:windows|linux|ubuntu|fedora|debian|mint|arch|macos|[\w-]+\s+(?:on|in)\s+the\s+[\w-]+)(?:\s+(?:on|in)\s+the\s+[\w-]+)?\s+(?:is|are)\s+(?:just\s+|only\s+|mainly\s+|mostly\s+|still\s+)?(?:for|used for|needed for)\s+(?:gaming|games|work|school|class|classes|uni|university|office|music|photos|streaming|coding|programming|media|steam|my\s+\w+|the\s+kids|the\s+family)\b|^(?:the\s+|my\s+|an?\s+)?(?:old\s+)?[\w/-]+(?:\s+[\w-]+){0,2}?\s+(?:died|failed|broke|crashed|got\s+corrupted|was\s+dead|went\s+bad)\b|^(?:the|my|our|this)\s+(?:[\w-]+\s+){0,4}?(?:disk|drive|ssd|hdd|nvme|card|stick|seagate|samsung|toshiba|hynix|crucial|kingston|hgst|wd|sandisk|intel|barracuda|one)\s+(?:already\s+|still\s+|currently\s+|now\s+)?(?:has|holds|contains|carries|has got)\s+(?:only\s+|just\s+)?(?:one|a|an|two|three|four|five|a single|several|some)\s+(?:[\w'-]+\s+){0,4}?partitions?\b|^(?:on|in|at the (?:end|start|front|back|beginning) of|after|before|next to)\s+(?:the|my|our|that)\s+(?:[\w-]+\s+){0,4}?there(?:'s|s| is| are)\s+(?:also\s+|still\s+)?(?:one|a|an|two|three|four|a single|several|some|the)\s+(?:[\w'-]+\s+){0,4}?partitions?\b|^(?:[^:]{0,60}:\s+)?(?:the|my|our|this|that)\s+(?:[\w-]+\s+){0,4}?(?:disk|drive|ssd|hdd|nvme|card|stick|one)\s+(?:is|are|'s)\s+(?:being\s+|currently\s+|now\s+|already\s+|just\s+|only\s+|still\s+)*(?:used (?:as|for|by)|in use|mounted|busy|swap\b|the live|where the live|running the live)|^(?:[^:]{0,60}:\s+)?(?:the|my|our|this|that)\s+(?:[\w-]+\s+){0,4}?(?:disk|drive|ssd|hdd|nvme|card|stick|one)\s+(?:holds|has|runs|carries|contains)\s+the\s+live\b"
);
// What is reported as already done: "disk done", "my user's there", "everything's set".
pattern!(
    ALREADY_DONE,
    r"^(?:(?:i think|i guess|i believe|looks like|it looks like|ok|okay|so|and)[,]?\s+)*(?:the\s+|my\s+)?(?:everything|all|disks?|drives?|partitions?|partitioning|storage|users?|accounts?|hostname|host name|time ?zone|locale|language|keyboard|bootloader|grub|passwords?)(?:'s|\s+is|\s+are|\s+has been|\s+have been)?\s+(?:all\s+|already\s+)?(?:done|set|ready|sorted|configured|there|in place|taken care of|finished|good)$"
);
// "all done", "ok all finished": the speaker is, which finishes (FINISH), unlike "the
// disks are all done".
pattern!(
    ALL_DONE,
    r"^(?:(?:ok|okay|so|and|right|cheers|great|cool)[,]?\s+)*all\s+(?:done|finished)$"
);
// "everything's configured now: disk, bootloader, users": what is done, listed; the list
// asks for none of it; so does "I've set up everything: the users exist, ...".
pattern!(
    DONE_LIST,
    r"(?i)\b(?P<s>(?:everything|it all|all)(?:'s|\s+is|\s+has\s+been|\s+was)\s+(?:all\s+|already\s+)?(?:configured|set\s+up|set|done|ready|sorted|in\s+place|taken\s+care\s+of|finished)|(?:i'?ve|i\s+have|we'?ve|we\s+have)\s+(?:already\s+)?(?:set\s+up|configured|done|sorted(?:\s+out)?|finished)\s+(?:everything|it\s+all|all\s+of\s+it))(?:\s+now|\s+already)?\s*:\s*[^.;!?]*"
);
// A time zone said only by reference to a place named elsewhere in the request: "set the
// time zone to hers", "use her time zone", "the clock should be on their time", "which
// should also be the time zone".
pattern!(
    ZONE_REF,
    r"\b(?:time ?zone|tz|clock|time)\b.*\b(?:accordingly|to match|match)$|\b(?:time ?zone|tz|clock|time)\b.*\b(?:to|on|for|match(?:es)?|follow(?:s)?|use|be)\s+(?:hers|his|theirs|ours|that|there|the local one|local|(?:the\s+)?(?:same|that|this)\s+(?:city|place|town|one)|that city)$|\b(?:time|clock)\b.*\b(?:here|where (?:i|we) (?:am|are|live))$|\b(?:time|clock)\b.*\b(?:gets?|is|are|shows?)\s+(?:(?:that|it|this|the time)\s+)?(?:right|correct)$|\b(?:her|his|their|our|its|the local|that|local)\s+(?:time ?zone|time|clock|zone)$|\b(?:which|that)\s+(?:should|will|must|can|is to)\s+(?:also\s+)?be\s+the\s+(?:time ?zone|clock)$|^(?:and\s+)?(?:also\s+)?(?:the\s+)?(?:clock|time ?zone)(?:\s+(?:too|as well|also|both))?$"
);
// A setting named without its value beside one that gives it: "Swedish locale and
// keyboard", "make everything Spanish, the language and the keyboard both".
pattern!(
    KIND_ONLY,
    r"^(?:and\s+)?(?:also\s+)?(?:(?:use|set|pick|choose|with|switch to|make)\s+)?(?:for\s+)?(?:the\s+|my\s+|his\s+|her\s+|their\s+)?(?P<k>language|locale|lang|keyboard|keymap|layout|keys)(?:\s+layout)?(?:\s+(?:both|too|as well|also|the same|accordingly))?(?:\s+(?:to\s+)?what\s+(?:i|we)\s+(?:actually\s+|really\s+)?(?:have|use|own|type on))?$"
);
pattern!(
    OF_COURSE,
    r"\b(?:of course|obviously|naturally|please|variant|version|style|flavou?r|one|the)\b"
);
pattern!(NOT_YET, r"\b(yet|first|until|before|for now|right now)\b");
pattern!(
    NO_DEAD_KEYS,
    r"^(?:but\s+|and\s+)?(?:without|no|with no|minus)\s+(?:the\s+|any\s+)?dead\s*keys$"
);
// "they drive me mad": a verb, not a disk.
pattern!(
    DRIVE_VERB,
    r"\b(?:they|it|that|this|which|you|he|she)\s+(?:drives?|drove)\s+(?:me|us|him|her|them|everyone)\b"
);
// "install on sdc but leave sdb alone": what is kept is a clause of its own. (A disk kept
// by its make, "but keep the Samsung", is known only with the machine: `BUT_KEEP_THE`.)
pattern!(
    BUT_KEEP,
    r"(?i)\bbut\s+((?:please\s+)?(?:leave|spare|preserve|keep\s+(?:the|my|our|both)\s+(?:[\w-]+\s+){0,2}?(?:disks?|drives?|ssds?|hdds?|nvme|stick|card)|(?:don'?t|dont|do not|never)\s+(?:touch|wipe|erase|delete|remove|overwrite|destroy|kill|nuke|mess|go\s+near|install|copy))\b)"
);
// "wipe the Samsung, but keep the WD untouched": what is kept, for the machine's disks.
pattern!(
    BUT_KEEP_THE,
    r"(?i)\bbut\s+(?P<k>(?:please\s+)?keep\s+(?P<o>(?:the|my|our|both)\s+[^,.;!?]*))"
);
pattern!(
    SIZE,
    r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>tera\w*|tb|tib|t|giga\w*|gb|gib|gigs?|g|mega\w*|mb|mib|megs?|m)\b"
);
pattern!(
    DESKTOP,
    r"\b(kde|plasma|gnome|xfce|cinnamon|mate desktop|lxqt|lxde|budgie|i3|sway|hyprland|desktop environment|window manager|desktop|gui|graphical (?:desktop|interface|environment|session|login))\b"
);
// "this desktop never leaves the house", "my desktop pc": the computer, not a desktop
// environment.
pattern!(
    DESKTOP_COMPUTER,
    r"\b(?:this|my|our|his|her|their|the|a|your)\s+(?:old\s+|new\s+|gaming\s+|work\s+|home\s+|family\s+)?desktop(?:\s+(?:pc|computer|machine|tower|box|rig))?\s+(?:is|was|has|had|never|that|which|i|we|in|at|with|from|of|always|only|sits|stays|runs|lives|doesn'?t|does not|won'?t|isn'?t)\b|\bdesktop\s+(?:pc|computer|machine|tower|box|rig)\b|^(?:(?:well|i mean|or rather|rather|actually|ok|er|erm|um|uh)\s+)*(?:a\s+|my\s+|the\s+)?(?:old|new|gaming|work|home|family|office|school|shared)\s+desktop$"
);
// "I just put this desktop together", "my desktop upstairs": a desktop someone has is the
// computer, unless what follows makes it the environment ("my desktop environment").
pattern!(
    OWN_DESKTOP,
    r"\b(?:this|my|our|his|her|their)\s+(?:(?:old|new|gaming|work|home|family|office|little|main|spare)\s+)?desktop\b(?:\s+(?P<next>[\w-]+))?"
);
// Drivers: "the nvidia drivers", "make my graphics card work", "my scanner needs drivers".
pattern!(
    DRIVERS,
    r"\bdrivers?\b|\bthird[- ]party\s+(?:software|stuff|packages)\s+for\s+(?:graphics|wi-?fi|hardware|my)\b|\bmake (?:my |the )?(?:nvidia|amd|radeon|graphics|video) (?:card|gpu) work\b|\bnvidia\b(?:\s+(?:card|gpu|graphics|support))?$"
);
// "admin user hr-admin", "a sudo account ops": a login after the kind of account, at the
// start of a clause.
pattern!(
    KIND_THEN_LOGIN,
    r"(?i)(?P<pre>^|[,;.:]\s*|\band\s+)(?:an?\s+|the\s+)?(?P<k>admin|administrator|sudo|regular|normal|standard)\s+(?:user|account|login)\s+(?:called\s+|named\s+)?(?P<n>[a-z_][a-z0-9_-]*)(?P<post>\s*(?:$|[,;.]|\band\b))"
);
// "keep the two disks as a mirror": storage asked for, not spoken of as kept.
pattern!(
    KEPT_AS_STORAGE,
    r"\b(?:keep|have|run|use)\s+(?:\w+\s+){0,4}?as\s+(?:an?\s+|one\s+)?(?:mirror\w*|raid\s*\d*|array|pool|stripe|(?:big\s+|single\s+)?(?:volume|disk|drive))\b"
);
// "erase the MX500 (old encrypted arch install)": what a disk holds, said alone; it asks
// nothing (never an install beside it).
pattern!(
    OLD_INSTALL_ALONE,
    r"^(?:(?:the|my|an?|its|has|holds|had|with)\s+)*(?:old|existing|previous|former|dead|broken|unused)\s+(?:encrypted\s+)?(?:[\w-]+\s+){0,2}?(?:install|installation|system|setup)$"
);
// "format sda1 as ext4 - no, not sda1, that's my media! I meant nvme0n1p3": the step on a
// partition, and the partition meant instead.
pattern!(
    PART_STEP,
    concat!(
        r"(?i)\b(?P<v>format|reformat|mount|wipe|erase)\s+(?P<p>(?:/dev/)?",
        partition_name!(),
        r")\b(?P<rest>[^-\u{2013}.!?;]*)"
    )
);
pattern!(
    MEANT_PART,
    concat!(
        r"(?i)\b(?:i\s+meant|i\s+mean|meant)\s+(?P<q>(?:/dev/)?",
        partition_name!(),
        r")\b"
    )
);
// "don't touch windows or the WDs": each of them spared, said as two.
pattern!(
    SPARED_OR,
    r"(?i)\b(?P<n>don'?t|do not|never)\s+(?P<v>touch|wipe|erase|format|use|overwrite)\s+(?P<a>(?:the\s+|my\s+)?[\w-]+(?:\s+[\w-]+)?)\s+(?:or|nor|and)\s+(?P<b>(?:the\s+|my\s+)?[\w-]+(?:\s+[\w-]+)?)(?P<e>\s*(?:[.,;!]|$))"
);
// "I'm saving the Samsung for games": a disk set aside, kept.
pattern!(
    SAVED_FOR,
    r"(?i)\b(?:saving|reserving|save|reserve|setting\s+aside|set\s+aside)\s+(?P<d>(?:the|my|that|this)\s+[\w-]+(?:\s+[\w-]+)?)\s+for\b"
);
// "change host name in office-pc": "in" for "to", as several languages say it.
pattern!(
    CHANGE_NAME_IN,
    r"(?i)\b(?P<v>change|rename|set)\s+(?:the\s+)?(?P<k>host\s*name|computer\s+name|pc\s+name)\s+in(?:to)?\s+(?P<n>[a-z0-9][a-z0-9-]*)(?P<e>\s*(?:[.,;!]|$))"
);
// "keep the partitions as they are", "without repartitioning": no new layout; what is
// done to the partitions is said apart.
pattern!(
    PARTITIONS_KEPT,
    r"\b(?:keep|leave)\s+(?:the\s+|all\s+(?:the\s+)?|my\s+|its\s+)?(?:existing\s+|current\s+)?(?:partitions|partition layout|partitioning|layout)\s+(?:as\s+(?:they\s+are|it\s+is|is)|alone|intact|unchanged|untouched)\b|\bwithout\s+(?:re-?partitioning|changing\s+the\s+partitions)\b|\b(?:reuse|recycle)\s+(?:the\s+|all\s+(?:the\s+)?|my\s+|its\s+|[a-z]+'s\s+)?(?:existing\s+|current\s+|old\s+)?partitions\b|\b(?:don'?t|do not|dont|not|never|no)\s+(?:want\s+to\s+|need\s+to\s+|going\s+to\s+|to\s+)?re-?partition(?:ing)?\b|\brather\s+(?:not\s+|than\s+)re-?partition\w*\b"
);
// "I'd like to replace Ubuntu but keep the partitions as they are: format ...": what is
// wanted, then the steps.
pattern!(
    HEADING_THEN_STEP,
    r"(?i)^(?P<h>(?:[^:\s]+\s+){2,30}?[^:\s]+)\s*:\s+(?P<v>format|mount|wipe|erase|install|create|set|use|put|add|make|reuse|encrypt|give|delete|keep|leave)\b"
);
// "For my sister: ...", "Setting up for our au pair from Brazil: ...": a heading.
pattern!(
    HEADING_FOR,
    r"(?i)^(?P<h>(?:[\w'-]+\s+){0,5}?for\s+(?:[\w'-]+\s+){0,4}?[\w'-]+)\s*:\s+"
);
pattern!(
    ACCOUNT_OR_GROUP_WORD,
    r"(?i)\b(?:users?|accounts?|logins?|usernames?|profiles?|groups?|passwords?)\b"
);
// Accounts looked at, not asked for ("check the accounts", "review the users").
pattern!(
    ACCOUNTS_LOOKED_AT,
    r"\b(?:check|checking|review|reviewing|see|look\s+(?:at|over)|looking\s+(?:at|over)|verify|double[ -]check|go\s+over|show\s+me)\s+(?:the\s+|my\s+|all\s+(?:the\s+)?)?(?:users?|accounts?|logins?)\b"
);
// "my nephew wants to learn linux on this vm", "to try out linux": why the machine gets
// Linux, said beside the requests; no disk is asked for by it.
pattern!(
    LEARN_LINUX,
    r"\b(?:learn\w*|try(?:ing)?(?:\s+out)?|tries|test(?:ing)?(?:\s+out)?|practi[cs](?:e|ing)|play(?:ing)?\s+(?:with|around\s+with)|get(?:ting)?\s+to\s+know|explor(?:e|ing)|experiment(?:ing)?\s+with|stud(?:y|ying)|get(?:ting)?\s+into)\s+(?:a\s+bit\s+(?:of\s+)?|some\s+|more\s+)?linux\b"
);
// An explicit disk request beside it ("try linux, wipe the ssd").
pattern!(
    DISK_VERB,
    r"\b(?:install\w*|put|wipe\w*|eras\w*|format\w*|partition\w*|nuke|use|using|replace|overwrite|dual[ -]?boot|alongside|beside|next to)\b|/dev/"
);
// "for testing our web app", "for developing apps": what a machine is for.
pattern!(
    PURPOSE_APP,
    r"\bfor\s+(?:testing|developing|building|running|writing|coding|debugging|trying|demoing|hosting)\s+(?:(?:our|my|the|a|an|some|new)\s+)?(?:[\w-]+\s+)?(?:apps?|applications?|software|programs?|code)\b"
);
// A clause that starts with its subject, a thing or someone ("his saved games ...", "a few
// of my games ...", "this VM ...", "my exam software ..."), not with a verb.
pattern!(
    THING_SUBJECT,
    r"^(?:(?:so|but|and|then|now|also|because|since|while|though)[,]?\s+)*(?:the|my|our|his|her|their|this|that|these|those|its|a|an|some|most|many|one|it|he|she|they|we|i|[a-z]+'s)\b"
);
// What asks for software when it comes before the software's name ("can you add steam",
// "my son wants steam", "the VM needs docker"); after it, the software is the subject
// ("my exam software needs it").
pattern!(
    ASKS_BEFORE,
    r"\b(?:please|pls|can you|could you|would you|will you|let'?s|like|love|want|wants|wanted|need|needs|needed|must|should|install\w*|add|set up|setup|get|include|enable|give|put|configure|make sure|with|and|plus|also)\b"
);
// "... an account called ci": the name the account is given, right after it.
pattern!(
    CALLED_AFTER,
    r#"^\s+(?:called|named)\s+['"]?(?P<n>[a-z_][a-z0-9_-]*)['"]?(?:\s|$|[,.;])"#
);
// "... with the password ...", "..., password ...": a password given with what was asked.
pattern!(
    WITH_PASSWORD_SAID,
    r"\b(?:with|and)\s+(?:the\s+|a\s+)?(?:password|passwd|pw|pwd)\b|,\s*(?:password|passwd|pw|pwd)\b"
);
// "power off at the end instead of rebooting": the end, without a reboot.
pattern!(
    POWER_OFF,
    r"\b(?:power|shut|switch|turn)\s+(?:it\s+|the\s+(?:machine|computer|pc|system|vm|box|laptop)\s+)?(?:off|down)\s+(?:at the end|afterwards|after(?:wards)?|when (?:it'?s |you'?re |we'?re )?(?:done|finished)|once (?:it'?s |you'?re )?(?:done|finished)|instead)\b|\binstead of (?:a\s+)?(?:reboot|restart)\w*\b"
);
// "All I want right now: São Paulo time zone, ...": a heading over the requests.
pattern!(
    WANTS_HEADING,
    r"(?i)(^|[.;!?]\s+)(?:all|what|the (?:only )?things?)\s+(?:that\s+)?(?:i|we)\s+(?:really\s+|actually\s+)?(?:want|need|ask for|would like)(?:\s+(?:right now|for now|now|today|from you))?(?:\s+(?:is|are))?\s*:\s*"
);
// "default layout minus the swap": without it.
pattern!(
    MINUS_PART,
    r"(?i)\bminus\s+(?:the\s+|a\s+)?(?P<p>swap|/home|home|/boot|boot|encryption)\b"
);
// "the partition on that disk": the disk spoken of just before.
pattern!(
    ON_THAT_DISK,
    r"(?i)\b(?P<p>on|of|from)\s+(?:that|this|the same)\s+(?:disk|drive|one|hdd|ssd|hard drive)\b"
);
// "both the root and home partitions must be encrypted": each of them.
pattern!(
    BOTH_PARTS_ENCRYPTED,
    r"(?i)\b(?:both\s+)?(?:the\s+)?(?P<a>root|/|home|/home|swap)\s+and\s+(?:the\s+)?(?P<b>root|/|home|/home|swap)(?:\s+(?:partitions|filesystems|volumes))?\s+(?:(?:must|should|need to|needs to|have to|has to|will)\s+)?(?:be\s+|are\s+|get\s+)?(?:both\s+)?(?P<e>encrypted|unencrypted)\b"
);
// "I travel a lot between Nairobi and Kampala": places visited, no time zone asked (the
// rest of the sentence, a reason, goes with it up to "so").
pattern!(
    TRAVEL_BETWEEN,
    r"(?i)\b(?:i|we|he|she|they)\s+(?:\w+\s+)?(?:travel|travels|travelling|traveling|commute|commutes|fly|flies|shuttle|shuttles)\s+(?:a lot\s+|often\s+|regularly\s+|constantly\s+)?(?:between|around|across)\s+[^.;!?]*?(?P<end>,\s*|\s+so\s+|[.;!?]|$)"
);
// "add exactly this to the kernel parameters: console=ttyS0,38400n8": what "this" is
// follows the colon.
pattern!(
    KERNEL_THIS,
    r"(?i)\b(?P<verb>add|put|append|set|use)\s+(?:exactly\s+)?(?:this|these|the following)\s+(?P<to>(?:to|on|in|as)\s+the\s+kernel[\w ]*?)\s*:\s*(?P<v>[^\s;][^;]*)"
);
// "Italian everything, except the keyboard, that stays US": the exception's own value.
pattern!(
    EXCEPT_STAYS,
    r"(?i)\b(?:except|but not|apart from|other than|besides)\s+(?:for\s+)?(?:the\s+|my\s+)?(?P<k>keyboard|keymap|layout|time ?zone|language|locale)\s*,?\s+(?:that|which|it|this)\s*(?:'s|\s+(?:stays|remains|is|should be|will be|can stay|should stay|has to be|must be))\s+(?:as\s+|on\s+|in\s+)?(?P<v>[^,.;!?]+)"
);
// "the solid-state one": as "solid state".
pattern!(SOLID_STATE, r"(?i)\bsolid-state\b");
// "swap sixteen,": a size in words, alone after the swap, in gigabytes.
pattern!(
    SWAP_IN_WORDS,
    r"(?i)\bswap\s+(?P<n>one|two|three|four|five|six|eight|ten|twelve|sixteen|twenty|twenty[- ]four|thirty[- ]two|forty[- ]eight|sixty[- ]four)(?P<e>\s*(?:$|[,.;])|\s+(?:on|and|plus|with|for)\b)"
);
// "keybord german must be", "timezone for me Vienna": a second language's order, the
// value before "must be", "for me" between the key and its value.
pattern!(
    VALUE_MUST_BE,
    r"(?i)\b(?P<k>key\w*|lay\w*|time\s?zone|tz|lang\w*|locale|host\s?name)\s+(?:for\s+(?:me|us)\s+)?(?P<v>[\w/-]+(?:\s+[\w/-]+)?)\s+(?:must|should|has to|have to|shall)\s+be\s*(?P<e>$|[,.;!])"
);
pattern!(
    KEY_FOR_ME,
    r"(?i)\b(?P<k>time\s?zone|tz|keyboard|language|locale)\s+for\s+(?:me|us)\s+(?:is\s+|be\s+)?"
);
// "the server needs an account called deploy", "it should get a user named ci".
pattern!(
    NEEDS_ACCOUNT_CALLED,
    r#"\b(?:needs|need|wants|want|gets|get|should get|should have|will need|must have|has to have)\s+(?:an?|one|its own|a new|a separate)\s+(?:new\s+|own\s+|separate\s+)?(?:(?:user|admin|service)\s+)?(?:account|user|login)\s+(?:called|named)\s+['"]?(?P<n>[a-z_][a-z0-9_-]*)"#
);
// "the new graphics card", "my sound card": no card to install on.
pattern!(
    NOT_A_STORAGE_CARD,
    r"(?i)\b(?P<k>graphics|video|gpu|sound|audio|network|wifi|wi-fi|wireless|ethernet|capture|tv|nvidia|amd|radeon|geforce)\s+card(?P<s>s?)\b"
);
// A statement's start: its subject (after a place or time said first: "at school he
// connects ...", "on the Toshiba there's ...").
pattern!(
    STATEMENT_START,
    r"^(?:(?:so|but|and|then|now|also|because|since|while|though)[,]?\s+)*(?:(?:at|on|in|from|with|during)\s+(?:[\w'-]+\s+){1,3}?)?(?:(?:he|she|they|we|it|there)(?:'s|\s+(?:is|are|has|have|connects|connect|uses|use|works|work|logs|log|goes|go))|(?:the|my|our|his|her|their|this|that)\s+(?:[\w'-]+\s+){0,3}?(?:is|are|has|have|holds|uses|connects|runs|sits|lives)\b)"
);
// What asks for the network before it is named ("please connect me to the wifi").
pattern!(
    ASKS_NETWORK,
    r"\b(?:please|pls|can you|could you|would you|will you|let'?s|like|want|wants|need|needs|must|should|install\w*|add|set up|setup|configure|enable|make sure|join|connect (?:me|us|it|him|her|them|this|the (?:machine|pc|laptop|computer|box))|get)\b"
);
// "the BitLocker partition", "its LVM volume": a partition or volume named by what it is.
pattern!(
    STORAGE_NOUN_NAMED,
    r"\b(?:the|a|an|its|my|our|their|his|her|windows'?s?)\s+(?:old\s+|existing\s+)?(?:bitlocker|luks|lvm2?|zfs|raid|mdadm|encrypted)\s+(?:partition|volume|drive|disk|container|array|pool|pv)s?\b"
);
// "I'm running the live system off the 256 GB drive": where it runs from, told.
pattern!(
    RUNNING_LIVE_OFF,
    r"(?i)\b(?:i'?m|i am|we'?re|we are)\s+(?:currently\s+|now\s+)?(?:running|booting|booted|using)\s+(?:the\s+|this\s+)?live\s+(?:system|session|environment|usb|iso|image)\s+(?:off|from|on)\s+"
);
// "the one that has the small ext2 boot partition on it": a disk by a partition it holds.
pattern!(
    DISK_WITH_PART,
    r"(?i)\b(?:the|that)\s+(?:one|disk|drive|ssd|hdd)\s+(?:that|which)\s+(?:has|holds|contains|carries)\s+(?P<p>(?:the|a|an|its)\s+(?:[\w'./-]+\s+){0,4}?partition)(?:\s+on\s+it)?\b"
);
// "vdb should become one big XFS partition mounted at /srv": that whole disk, laid out so.
pattern!(
    DISK_BECOMES,
    r"(?i)\b(?P<d>(?:/dev/)?(?:sd[a-z]|vd[a-z]|nvme\d+n\d+)|the\s+[\w-]+(?:\s+[\w-]+)?)\s+(?:should|will|can|must)?\s*(?:become|becomes|turn into|turns into|be turned into|gets turned into)\s+(?:one|a|a single)\s+(?:big\s+|single\s+|large\s+)?(?P<fs>ext4|xfs|btrfs)?\s*(?:partition|filesystem|volume)\s+(?:mounted\s+)?(?:at|on|as)\s+(?P<m>/[\w/.-]*)"
);
// "I type on a Turkish Q keyboard": the keyboard typed on.
pattern!(
    TYPE_ON,
    r"\b(?:type|typing|types|write|writing)\s+(?:on|with)\s+(?:an?\s+|the\s+|my\s+)?(?P<u>[a-z0-9: '-]+?)\s+(?:keyboards?|keymap|layout)\b"
);
// "The keyboard, though, is an American one": an aside between a subject and its verb.
pattern!(
    ASIDE_WORD,
    r"(?i)\s*,\s*(?:though|however|by the way|btw|anyway|mind you|of course)\s*,\s*"
);
// "don't give me the Portuguese layout": a value refused, not asked for.
pattern!(
    VALUE_REFUSED,
    r"^(?:(?:and|but|so|just|please)\s+)*(?:don'?t|do not|dont|never|no need to)\s+(?:give|use|set|pick|choose|put|select|switch)\b"
);
pattern!(
    OTHER_UNSUPPORTED,
    r"\b(printer|bluetooth|flatpak|snap|steam|docker|ssh server|ssh|sshd|openssh|firewall|firefox|chrome|chromium|browser|vlc|gimp|libreoffice|office suite|vs ?code|vscode|spotify|discord|thunderbird|emacs|neovim|vim|git|python|java|nodejs|wine|obs|krita|blender|zoom|slack|telegram|codecs|games|virtualbox|apps?|applications|programs|packages?|software|fonts?|font packs?|ms office|microsoft office|office 365|nginx|apache|mysql|postgres\w*|kubernetes|k3s|podman|libvirt|qemu|virt-manager|vmware|anaconda|matlab|photoshop)\b"
);
pattern!(
    HELP,
    r"\b(?:list|show|tell|give)\b.*\b(?:commands|requests|phrases)\b.*\b(?:understand|know|accept|support|take)\b|^(?:also\s+|and\s+)?what else (?:can|could|do|does) (?:you|it|this|(?:the|this) (?:installer|install|thing|tool|program)) (?:actually |really |even )?(?:do|offer|handle|help with|configure|set up|set|change|manage|take care of)\b|^(help|\?|h|what can you do|what you can do|what can i (say|do|ask|tell you|type)|how does (this|it) work|commands|options|what are my options|usage|i'?m (lost|confused|stuck)|lost|confused|stuck|how do i (use|start)|what (do|should) i (do|type|say)|instructions|guide me|(any |some )?examples?|what (commands|things) can)\b|\b(examples? of what|what can i (say|type|tell)|how does (this|it|that) work|(give me|show me|some|any|an) examples?)\b|^what (can|does|do) (you|this|it|the installer|this installer|this thing|this program|this tool) (do|offer|handle|support)\b|^what (can|does|do|will) (this|the) ([\w-]+ ){1,2}(do|offer|handle|support) ?(for me|exactly)?\??$|\bwhat (are you|is this|is it|is this thing) (\w+ )?(able|capable) (to do|of)\b|\bwhat (sorts?|kinds?|types?) of (things|stuff|requests|commands)\b|\bwhat (commands|things|requests|words) (does|do|can|will) (this|it|you|the installer)\b|\b(what|which) (commands|options) (are there|exist|do i have|do you have|are available)\b|\bwhat (you'?re|you are) (actually |really )?(able|capable) (to do|of)\b|\bwhat (am i|are we) (\w+ )?(allowed|supposed|able) to (type|say|write|ask)\b|\bwhat (can|could) you (\w+ )?do( for me)?$|^how (do|can|should|would) (i|we) (set|change|choose|pick|create|add|make|use|configure|pick|select|give|name)\b|\bwhat (?:can|could|may) i (?:even |actually |really |possibly )?(?:do|say|type|write|ask)\b|\bwhat i (?:can|could) (?:do|say|type|write|ask)\b|^how (?:this|it) works\b|\b(?:which|what) (?:filesystems?|file systems?|fs|formats?) (?:can|could|may|do|are|am|is|should)\b|\b(?:tell|show|explain to)\s+(?:me|us)\s+(?:first\s+)?what\s+(?:you|it|this|(?:this|the)\s+[\w-]+)\s+(?:can|could|is able to)\s+do\b|\bwhat are (?:the |all the |some )?things (?:that )?you (?:can|could) (?:\w+ )?do\b|\b(?:know|hear|learn|understand|see|find out)\s+what\s+you\s+(?:can|could)\s+(?:actually\s+|really\s+)?do(?:\s+for\s+(?:me|us))?$"
);
// "can this thing also set up accounts, or only the disk?": what the installer can do,
// asked about.
pattern!(
    CAN_IT_ALSO,
    r"(?i)^(?:so\s+)?(?:can|could|does|will)\s+(?:you|this\s+(?:thing|installer|program|tool|app)|the\s+installer|it)\s+(?:also\s+|even\s+|actually\s+)?(?:set\s*up|do|handle|make|create|configure|manage|take care of|deal with)\s+(?:\w+\s+){0,4}?(?:users|accounts|groups|passwords|the\s+(?:language|keyboard|time\s*zone|clock|host\s*name|bootloader|disks?))\b[^.!;]*?,?\s+or\s+(?:just|only)\s+(?:do\s+)?(?:the\s+)?[\w ]{1,20}\?*$"
);
pattern!(
    STATUS,
    r"\b(?:everything|all|what) (?:i'?ve|i have|we'?ve|we have) (?:set|set up|configured|chosen|picked|entered|told you|asked for) so far\b|^(?:(?:then|now|and|ok|okay|please)\s+)*(?:show|list|tell)(?: me)? (?:everything|all|what) (?:i'?ve|i have|we'?ve|we have) (?:set|set up|configured|chosen|picked|entered|told you|asked for)$|\b(summary|overview|recap|review|(my|current|the) (settings|choices|configuration|plan)|list of (the |my |all (the )?)?(settings|choices|changes)|what'?s configured|status|what (have|did) (i|we) (?:already |just |actually |even )?(set|chosen|choose|done|do|picked|pick|configured|configure|entered|enter|changed|change|asked for|told you|decided|decide|selected|select)|what did i (set|choose|pick)|show (me )?(the )?(summary|settings|plan so far|current plan|plan)|where are we|where (we'?re|we are|things are) at|where (do|are) (things|we) stand|what'?s (the )?(status|progress)|so far|what'?s (left|remaining|missing|next|still (left|to do|missing))|what (still )?(needs|remains|is left|is missing)|what else|how far( along)?|progress|what is left|left to do|to do list|todo|anything (left|remaining|missing|else to do)|until now|up to now|till now|what (i|we) (have )?(set|chose|chosen|choosed|picked|configured|decided)|what (you'?ve|you have|we'?ve|we have|have you|have we) (got|set|done|planned)|(are we|am i|is (it|everything|all)) (ready|set|good to go)|(show me |tell me )?(everything |what )(you'?re|you are|you will|you'?ll|it'?s|it is|it will) (going to )?(do|change|happen)|what will (happen|you do|change)|(is|are) there (still )?(anything|things|steps|settings) (left|remaining|missing|to (do|set))|what(?:'?s| is| has been| are)\s+(?:been\s+|currently\s+|already\s+)?(?:set|configured|chosen|planned|decided|queued)(?:\s+(?:now|so far|up|already|until|till|up to|yet))?$|(?:everything|all)\s+(?:that'?s|that is|that has|that have|you'?ve|you have|i'?ve|i have)\s+(?:been\s+)?(?:set|configured|chosen|planned|decided)\b)\b"
);
pattern!(
    UNDO,
    r"^(?:(?:actually|oops|sorry|ok|okay|hmm|uh|um|ah|no|wait|maybe|perhaps|just|then|so)[,!]?\s+)*(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?)?(?:(?:make|do|please)\s+(?:an?\s+)?)?(undo|revert|go back|back out|roll ?back|take (that|it|this)( \w+)? back|take (?:that|this|the|my) (?:very )?(?:last|previous|latest) (?:step|change|action|thing|one|setting|request|bit) back|take back|never ?mind|scratch that|(forget|scratch|scrap|drop|cancel|reverse) (that|it|this|the (last|previous))|(remove|drop|delete|reverse|undo|wipe|erase|clear|kill|cancel|scrap|scratch|forget|get rid of) (the |that |this |my )?(very )?(last|previous|latest) (step|change|action|thing|one|setting|request|bit|edit|entry|command)|(remove|drop|delete|reverse|undo|wipe|erase|clear|cancel|scrap|scratch|forget) (whatever|what) (i|you|we) (just )?(set|said|did|added|asked for|changed|chose|picked|entered)( last| just now| before| a moment ago)?|(i )?changed my mind|(i )?change my mind|that was (wrong|a mistake)|my mistake)\b"
);
pattern!(
    LIST_DISKS,
    r"^(?:(?:so|ok|okay|first|just|then|now|please)\s+)*(?:list|show|tell)(?:\s+(?:me|us))?\s+(?:what|everything)\s+(?:you|u)\s+(?:can\s+)?(?:see|found|find|detect|detected|have found)\b|\b(list|show|what|which|display|see|view|available)\b.*\b(disks?|drives?|storage|devices|ssds?|hdds?)\b|\b(list|show|display|see|view)\b(?:\s+(?:me|us))?\s+(?:all\s+)?(?:the\s+|my\s+)?(?:existing\s+|current\s+)?partitions\b|^(disks|drives|lsblk)$|\b(fdisk -l|lsblk|parted -l|blkid)\b|\b(?:list|show|display|see|view|tell)\b(?:\s+(?:me|us))?\s+(?:what'?s|what is|what are|which are|which is|everything|anything)\s+(?:currently\s+|already\s+|still\s+)?(?:mounted|in use|plugged in|attached|connected)\b|^(?:what'?s|what is|which are|which is|what are)\s+(?:currently\s+|already\s+|still\s+)?(?:mounted|plugged in|attached|connected)\b|\b(?:list|show|display|see|view|tell)\b(?:\s+(?:me|us))?\s+(?:what'?s|whats|what is|everything|what)\s+(?:is\s+)?(?:already\s+|currently\s+)?(?:on|in)\s+(?:this|the|my|our)\s+(?:computer|machine|pc|laptop|system|box)\b|^(?:so\s+|ok\s+|okay\s+|first\s+)?(?:what'?s|whats|what is|what all is)\s+(?:currently\s+|already\s+|actually\s+|still\s+)?(?:on|in)\s+(?:this|the|my|our)\s+(?:computer|machine|pc|laptop|box)\b|^(?:is|are)\s+(?:the|my|this|that|these|those)\s+[^?.;,]{1,40}?\s+the\s+(?:one|ones|disk|drive|ssd|stick|card)\s+(?:i|we|you|it|that|which)\b"
);
pattern!(
    FINISH,
    r"^(?:(?:just|ok|okay|alright|now|so|then)\s+)?(i'?m |we'?re )?(done|finish(ed)?|that'?s (all|it|everything)|all (done|set|finished)|complete(?:\s+(?:the\s+)?(?:install\w*|setup|it))?\s*[.!]*$|exit|quit|close|wrap (it )?up)\b"
);
// "Just finished building this PC": something else finished, before the install.
pattern!(
    FINISHED_DOING,
    r"^(?:(?:just|only|i|we|i'?ve|we'?ve|i have|we have)\s+)*(?:finished|done|completed)\s+(?P<v>\w+ing)\b"
);
pattern!(REBOOT, r"\b(reboot|restart)\b");
// "that's all I really use": a description, not the end; "that's it for now": nothing
// more yet, not finishing (a trailing "now" is cut as filler first, leaving "for").
pattern!(
    NOT_FINISH,
    r"^(?:that'?s|that is) (?:all|it|everything) (?:i|we|you|he|she|they|my|our|his|her|their|the|of|on|in|from)\b|^(?:(?:ok|okay|so|alright)\s+)?(?:i'?m |we'?re )?(?:done|that'?s (?:all|it|everything)|that is (?:all|it|everything))\s+(?:for now|for the moment|for today|so far|at the moment|until later|till later|for$)"
);
pattern!(
    DONE_WITH_SETUP,
    r"\b(?:done|finished|through) with (?:the |my |all the |all )?(?:settings|setup|set ?up|configuration|config|questions|everything|it all|all that|this)\b"
);
// "reboot when done", "restart once it's finished": finishing, then a reboot.
pattern!(
    REBOOT_AFTER,
    r"\b(reboot|restart)\w*\s+(?:\w+\s+)?(?:when|once|after|as soon as)\s+(?:it'?s\s+|it is\s+|everything is\s+|we'?re\s+|i'?m\s+)?(?:done|finished|complete|over|installed)\b|\b(reboot|restart)\w*\s+(?:\w+\s+)?(?:at the end|afterwards|after that|in the end|after all that|to finish|when all is done)\b"
);
// " / " between requests ("hostname x / tz utc"), told from a mount point ("to / as
// btrfs") by the keyword after it.
pattern!(
    SLASH_SEPARATOR,
    r"(?i)\s/\s+((?:and\s+|plus\s+)?(?:can|could|please|also|then)|tz|kb|lang|hostname|host|user|sudo|keyboard|keymap|locale|language|timezone|time|password|pw|group|disk|install|wipe|erase|format|mount|create|add|set|finish|reboot|bootloader|grub|copy)\b"
);
// A disk excluded by name ("not the samsung", "rather than the wd").
pattern!(
    NOT_THIS_DISK,
    r"\b(?:(?:is\s+|but\s+)?not|isn'?t|aren'?t|except(?:\s+for)?|other than|rather than|instead of)\s+the\s+one\s+(?:that\s+|which\s+)?(?:the\s+)?(?:live\s+)?(?:system\s+)?(?:i'?m\s+|i am\s+|is\s+|we'?re\s+|we are\s+|it'?s\s+|it is\s+|you'?re\s+|you are\s+)?(?:currently\s+)?(?:running|booted|booting)\s+(?:from|off|on)\b|\b(?:not|but not|rather than|other than|except|instead of|isn'?t|is not|aren'?t)\s+(?:on\s+)?(?:the\s+|my\s+)?(?:(?:two|both|three)\s+)?(?:(?:big|bigger|biggest|large|larger|huge|small|smaller|little|tiny|old|older|new|newer|slow|slower|fast|faster|spinning)\s+)?[a-z0-9]+(?:\s+(?:disks?|drives?|ssds?|hdds?|one|ones|sticks?|cards?|nvme|usb|sata))*\b|^(?:and\s+|but\s+)?never\s+(?:on\s+)?(?:the\s+|my\s+)[a-z0-9]+(?:\s+(?:disk|drive|ssd|hdd|one|stick|card))?$|\b(?:anything|anywhere|any\s+(?:other\s+)?(?:disk|drive|one)|whatever|everything|whichever(?:\s+(?:disk|drive|one))?|every\s+(?:other\s+)?(?:disk|drive|ssd|one)|all\s+(?:of\s+)?(?:the\s+|my\s+)?(?:other\s+)?(?:disks|drives))\s+(?:but|except|besides|apart from|excluding)\s+(?:for\s+)?(?:on\s+)?(?:the\s+|my\s+)?[a-z0-9]+(?:\s+(?:disk|drive|ssd|hdd|one|stick|card))?\b"
);
// Rights, not the root partition ("root access", "root password").
pattern!(
    ROOT_RIGHTS,
    r"\broot\s+(?:access|rights|privileges|powers|permissions|password|user|account|login)\b|\b(?:besides|except|other than|apart from|but|as|user|account)\s+root\b"
);
// Asking for the keyboard to follow the language ("same for the keyboard").
pattern!(
    SAME_KEYBOARD,
    r"^(?:and\s+)?(?:the\s+)?same\s+(?:for|with|on)\s+(?:the\s+)?(?:keyboard|keymap|layout|kb|keys)$|^(?:keyboard|keymap|layout|kb|keys)\s+(?:the\s+)?same(?:\s+as\s+(?:the\s+)?(?:language|locale|lang))?(?:\s+too)?$"
);
// A request that starts as a condition ("if I ...", "what if ...", "suppose ...").
pattern!(
    HYPOTHETICAL,
    r"^\W*(?:if|what if|hypothetically|suppose|supposing|assuming|in case|say i|let'?s say)\b"
);
// A step refused: "don't install grub yet", "skip copying".
pattern!(
    NEGATED_STEP,
    r"\b(?:don'?t|dont|do not|never|not|skip|without|no need to)\s+(?:\w+\s+){0,2}?(?:install\w*|copy\w*|put|set up|setup|add)\b|^no\s+(?:boot ?loader|grub|efi stub|systemd-boot)\b"
);
// "mount it at /home" after a format: the partition just named.
pattern!(
    MOUNT_IT,
    r"^(?:then\s+|just\s+|and\s+|but\s+|now\s+|simply\s+|please\s+)*(?:(?:the\s+new\s+(?:system|install\w*|os)|you|we|i)\s+(?:should|can|must|will|could|needs?\s+to|has\s+to)\s+)?(?:(?:have|get|want|need|keep)\s+(?:it|that|them|this)\s+mounted\s+(?:at|on|as|under)|(?:it|that|this)\s+(?:should|must|can|will|needs?\s+to|has\s+to)\s+(?:be\s+)?mounted\s+(?:at|on|as|under)|mount\s+(?:(?:it|that|that one|this|this one|the partition)\s+)?(?:at|on|to|as|under|for)|use\s+(?:it|that|that one|this one|the partition)\s+(?:at|on|to|as|under|for)|mount ?point:?|mounted\s+(?:at|on|as))\s+(?:(?P<m>/\S*)(?:\s+(?:in|on|of|for)\s+(?:the\s+)?(?:new\s+)?(?:system|install\w*|os))?(?:,?\s+(?:but\s+|and\s+)?(?:don'?t|do not|without|never)\s+(?:re)?format\w*(?:\s+it)?)?|(?:the\s+)?(?P<r>root)(?:\s+(?:filesystem|file system|partition|fs))?(?:\s+.*)?)$"
);
// "the audio group" after "put kim in the video": the same user, one more group.
// "add hugo to wheel and chloe to video": after a group given, another person's, with
// the verb left out.
pattern!(
    ANOTHER_MEMBER,
    r"^(?:(?:and|then|also|plus)\s+)*(?P<u>[a-z_][a-z0-9_-]*)\s+(?:to|in|into)\s+(?:the\s+)?(?P<g>[a-z_][a-z0-9_-]*)(?P<noun>\s+groups?)?(?:\s+(?:too|as well|also))?$"
);
pattern!(
    MORE_GROUP,
    r"^(?:(?:and|then|also|plus)\s+)*(?:(?:to|in|into|of)\s+)?(?:the\s+)?(?P<g>[a-z_][a-z0-9_-]*)(?P<noun>\s+groups?)?(?:\s+(?:too|as well|also))?$"
);
pattern!(
    NO_REBOOT,
    r"\b(without|no|don'?t|do not|dont|never|not|skip|avoid|hold off( on)?)\s+(\w+\s+){0,2}?(a\s+|the\s+)?(reboot\w*|restart\w*)\b|\b(stay|keep|leave)\s+(it|this|the (computer|machine|pc|system|laptop))\s+(on|running|powered on|up)\b|^(?:(?:and|then|just|please)\s+)*(?:let\s+it\s+)?stay\s+(on|running|powered on|up)\b|\b(i'?ll|i will|il|ill|let me)\s+(\w+\s+)?(reboot|restart)\w*\b|\b(?:i'?ll|i will|let me|we'?ll)\s+(?:decide|think|see)\s+(?:about|on|whether|if)\s+(?:to\s+|i\s+)?(?:reboot|restart)\w*\b|\b(?:power|shut|switch|turn)\s+(?:it\s+|the\s+(?:machine|computer|pc|system|vm|box|laptop)\s+)?(?:off|down)\s+(?:at the end|afterwards|after(?:wards)?|when (?:it'?s |you'?re |we'?re )?(?:done|finished)|once (?:it'?s |you'?re )?(?:done|finished)|instead)\b|\binstead of (?:a\s+)?(?:reboot|restart)\w*\b|\b(reboot|restart)\w*\s+(\w+\s+){0,2}?(later|myself|manually|by hand)\b"
);
pattern!(
    CREATE_USER,
    r"(?:\b(?:create|add|make|new|set up|setup|register|open|need|want|get|give (?:me|her|him|them|us)|i'?d like|(?:can|could|may) (?:i|we|she|he|they) have|another)\b.*?|^(?:an?|one|another)\s+(?:[a-z-]+\s+){0,2}?)\b(?:users?|accounts?|login|admin|administrator)\b(?:\s+(?:account|user))?(?P<rest>.*)$"
);
// "an account for my daughter emma": who it is for, then their name.
pattern!(
    FOR_RELATIVE,
    r"^\s*for\s+(?:my|our|the)\s+(?:(?:little|young|younger|older|eldest|oldest|youngest|new|baby|teenage|two|three)\s+)?(?P<rel>[a-z]+)\s*,?\s+(?P<v>[a-z_][a-z0-9_-]*)\b"
);
pattern!(
    USER_NAME,
    r"\b(?:called|named|username|user name|login name|name(?:d)?(?: it| him| her| them)?(?: is| will be| should be| to| as)?)\s+(?P<v>[^\s,;]+)"
);
// "I'll be the admin", "I'm going to be the administrator": the speaker's account, with
// rights, named elsewhere in the request.
pattern!(
    SPEAKER_WILL_ADMIN,
    r"^(?:and\s+|but\s+)?(?:i'?ll|i will|i'?m going to|i am going to|i'?m gonna|let me|i should|i'?m|i am)\s+(?:be\s+)?(?:the\s+|an?\s+)?(?:admin|administrator|sysadmin|superuser|one with (?:sudo|admin rights|the admin rights|root rights))$"
);
// "username leo": a login said as one; another "username X" after it is another user.
pattern!(
    LOGIN_SAID,
    r"\b(?:user ?name|login(?:\s+name)?)\s*(?:is\s+|will be\s+|should be\s+|:\s*|=\s*)?(?P<v>[a-z_][a-z0-9_-]*)"
);
pattern!(
    NAME_CONTINUES,
    r"^(?:(?:his|her|their|the|its|my)\s+)?(?:(?:user\s*)?name(?:\s+of\s+(?:him|her|them|the user|the account))?|login(?:\s+name)?|account name)\s+(?:it\s+|him\s+|her\s+|them\s+)?(?:is\s+|will be\s+|should be\s+|:\s*)?(?P<v>[^\s,;]+)$|^call\s+(?:it|him|her|them)\s+(?P<w>[^\s,;]+)$|^(?:called|named|username|user name|user|login)\s+(?P<x>[^\s,;]+)$"
);
pattern!(
    CREATE_USER_SHORT,
    r"^(?:(?:new|a|another|the)\s+)?(?:user|username|user name|login|login name)\s+(?P<v>[^\s,;]+)(?:\s+(?:with|as)\s+.*|\s+without(?:\s+\w+)?|\s+(?:no\s+)?(?:sudo|admin|wheel)(?:\s+\w+)*|\s+no\s+\w+.*)?$|^(?P<verb>[a-z]+)\s+(?:a\s+|new\s+)*user\s+(?P<w>[^\s,;]+)$|^(?:create|add)\s+(?P<x>[a-z_][a-z0-9_-]*)(?:\s+(?:with|as)\s+.*|\s+without(?:\s+\w+)?|\s+(?:first|too|as well|now|also))?$"
);
// "set me up as chloe", "my username is dan": the person's own account.
pattern!(
    SELF_ACCOUNT,
    r"^(?:set me up as|sign me up as|register me as|call me|(?:i'?d like |i would like |i want |i'?d love )?my (?:user ?name|login)(?: name)? (?:is|will be|should be|to be|=|:)|i go by|i want to be|make me)\s+(?P<v>[a-z_][a-z0-9_-]*)$|^(?:(?:i'?d like |i would like |i want )?my (?:user ?name|login)(?: name)? (?:is|will be|should be|to be|=|:))\s+(?P<w>[^\s,;]+)$"
);
// "user gus needs a password", "gus needs a password".
pattern!(
    PASSWORD_SUBJECT,
    r"^(?:user\s+)?(?P<v>[a-z_][a-z0-9_-]*)\s+(?:needs|wants|should get|should have|gets|must have|will need)\s+(?:an?\s+|new\s+|its own\s+|(?:his|her|their) own\s+)*password\b|^(?:please\s+)?give\s+(?:the\s+)?(?:user\s+)?(?P<w>[a-z_][a-z0-9_-]*)\s+(?:an?\s+|new\s+|the\s+)*password\b"
);
// "oscar needs an account", "rita gets a login with sudo": the name comes first.
pattern!(
    NAME_NEEDS_ACCOUNT,
    r"^(?:user\s+)?(?P<v>[a-z_][a-z0-9_-]*)\s+(?:needs|wants|gets|should get|should have|will need|must have|has to have|deserves)\s+(?:an?\s+|(?:its|their|his|her) own\s+)?(?:new\s+)?(?:(?:user|admin|administrator|sudo)\s+)?(?:account|user|login)\b|^(?P<w>[a-z_][a-z0-9_-]*)\s+(?:is|will be|is gonna be|is going to be|'ll be)\s+(?:the\s+|a\s+|an\s+)?(?:main\s+|only\s+|primary\s+|new\s+)?(?:user|account holder|admin|administrator)\b"
);
// A question about a setting ("what timezone am I in", "what's my hostname"): the
// status answers it.
pattern!(
    SETTING_QUESTION,
    r"^(?:what|which)\b.*\b(?:time ?zone|host ?name|language|locale|keyboard|keymap|layout)\b.*\b(?:am i|is it|are we|is set|is configured|did i|have i|do i have|currently|right now|now|set to)\b|^(?:what|which)(?:'s|s| is| are)\s+(?:the\s+|my\s+)?(?:current\s+)?(?:time ?zone|host ?name|language|locale|keyboard|keymap|layout|users?)(?:\s+(?:layout|name|zone|settings?))?\s*(?:set to|set|now|right now|at the moment)?(?:\s+(?:right now|now|at the moment|currently))?\s*$"
);
// "would you", "will you", "can you": a request, however it is put.
pattern!(
    REQUEST_QUESTION,
    r"^(?:would|will|can|could)\s+(?:you|u)\b|^(?:is it possible|would it be possible|is there a way)\s+(?:for you\s+)?to\b|^(?:can|could)\s+(?:we|linux|it|the \w+)\s+(?:\w+\s+)?(?:go|be put|fit|live|sit)\b"
);
// A question for information ("is there free space next to windows?"), not a request
// put as a question ("could you wipe the samsung?"): it never partitions.
pattern!(
    INFO_QUESTION,
    r"^(?:is|are|does|do|did|what|which|how|whats|what's|where|why|when|would|will|can i|could i|should i|is it|is there|are there|what if|hypothetically|suppose|supposing|assuming|say i|(?:please\s+|can you\s+|could you\s+)?(?:tell|show|let) me(?: know)?\s+(?:how|what|which|whether|if|where))\b"
);
pattern!(
    SUDO,
    r"\b(sudo(ers?)?|admin\w*|wheel|root (access|rights|privileges|powers|permissions)|super ?user|privileged|elevated (rights|privileges|access)|full (rights|access|control)|(manage|run|control) the (system|machine|computer))\b"
);
// Rights refused: "without sudo", "not an admin", "a non-admin user".
pattern!(
    NO_SUDO,
    r"\b(?:without|no|not|never|minus|don'?t|do not|shouldn'?t|should not|isn'?t|is not|won'?t|will not|can'?t|cannot|can not|mustn'?t|must not|may not)\s+(?:\w+\s+){0,3}?(?:sudo(?:ers?)?|admin\w*|root|superuser|super user|privileges|rights|wheel)\b|\bnon[- ]?admin\w*|\bunprivileged\b|\b(?:sudo|admin)\s*[:=]?\s*(?:no|off|false|none|never)\b"
);

/// Whether the words ask for administrator rights, and do not refuse them.
pub(super) fn asks_for_rights(lc: &str) -> bool {
    SUDO.is_match(lc) && !NO_SUDO.is_match(lc)
}

pattern!(
    SUDO_MODIFIER,
    r"^(?:(?:i|we) (?:should|must|need to|want to|will|would like to) (?:be able to )?(?:use|have|get|run) (?:sudo|admin\w*|root)(?: rights| access| privileges)?$)|^(?:(?:i|we) (?:do |also |really )?(?:need|want|get) (?:sudo|admin\w*|root)(?: rights| access| privileges)?(?: too| as well)?$)|^(with |as |give (him|her|them) |make (him|her|them|it) |and make (him|her|them) |(he|she|they) (is|'s|are|will be|should be|needs?|gets?|should get|should have) |needs |wants |gets |should get |should have |must have )?(an? )?(sudo|admin|administrator|superuser|root (access|rights|privileges))( rights| access| privileges| user| powers)?( yes| on| true| too| please)?$"
);
// "set password for root and for fedora-admin": two accounts' passwords.
pattern!(
    PASSWORDS_FOR_TWO,
    r"\bpasswords?\s+(?:for|of)\s+(?:user\s+)?(?P<a>[a-z_][a-z0-9_-]*)\s*,?\s+(?:and|&)\s+(?:for\s+|of\s+)?(?:user\s+)?(?P<b>[a-z_][a-z0-9_-]*)\b"
);
// "groups: wheel libvirt kvm": the key, then group names with spaces between.
pattern!(
    GROUPS_SPACED,
    r"(?i)(?P<k>\bgroups?\s*[:=]\s*)(?P<gs>[a-z_][a-z0-9_-]*(?:\s+[a-z_][a-z0-9_-]*)+)(?P<e>\s*(?:$|[.;,]))"
);
// "rob needs wheel", "ana should be in docker".
pattern!(
    NEEDS_GROUP,
    r"(?i)(?P<s>^|(?:[.;,!?]|\band\b)\s*)\b(?P<u>[a-z_][a-z0-9_-]*)\s+(?:needs|wants|should have|should get|gets)\s+(?:to be in\s+|access to\s+)?(?:the\s+)?(?P<g>[a-z_][a-z0-9_-]*)(?:\s+group)?(?P<e>\s*(?:$|[.;,!]))"
);
// "... and for fedora-admin, both ...": after a password, another account's.
pattern!(
    PASSWORD_ALSO_FOR,
    r"^(?:and\s+)?(?:also\s+)?(?:for|of)\s+(?:user\s+)?(?P<u>[a-z_][a-z0-9_-]*)(?:\s*,?\s*(?:both|too|as well|the same|same)\b.*)?$"
);
// "user ines with passphrase ...", "and pw ...": a secret said with the account.
pattern!(
    WITH_PASSPHRASE,
    r"\b(?:with|and)\s+(?:a\s+|the\s+)?(?:passphrase|pass|pw|pwd)\b"
);
pattern!(
    PASSWORD,
    r"\b(password|passwd|passphrase for user|pass word)\b"
);
pattern!(
    PASSWORD_FOR,
    r"\b(?:password|passwd)\s+(?:for|of)\s+(?:the\s+)?(?:user\s+)?(?P<v>[^\s,;:]+)|\bfor\s+(?:user\s+)?(?P<w>[a-z_][a-z0-9_-]*)\s*,?\s+(?:the\s+|a\s+|her\s+|his\s+|their\s+)?(?:password|passwd)\b"
);
pattern!(
    PASSWORD_POSSESSIVE,
    r"\b(?P<v>[a-z_][a-z0-9_-]*)'s password\b"
);
// "password (root)": whose, in parentheses.
pattern!(
    PASSWORD_PAREN,
    r"\b(?:password|passwd|passphrase)\s*\(\s*(?:for\s+)?(?:user\s+)?(?P<v>[a-z_][a-z0-9_-]*)\s*\)"
);
// "my BIOS password is ...", "the wifi password": a secret of something the installer
// does not set.
pattern!(
    OTHER_THINGS_PASSWORD,
    r"\b(?:bios|uefi|firmware|wifi|wi-fi|wireless|router|windows|email|e-mail|gmail|outlook|apple|icloud|microsoft|network|phone|bitlocker|steam|bank|vpn|github|google)\s+(?:account\s+)?(?:password|passphrase|pin|passcode)\b"
);
pattern!(
    PASSWORD_TRAILING,
    r"\b(?:password|passwd)\s+(?P<v>[a-z_][a-z0-9_-]*)\s*[:=]?$"
);
pattern!(
    PASSWORD_BEFORE,
    r"\b(?P<v>[a-z_][a-z0-9_-]*)\s+(?:user\s+)?password\b"
);
pattern!(
    GROUP,
    r"\b(?:add|put|include|place|make|join|enrol|enroll|assign|attach)\s+(?:the\s+)?(?:user\s+)?(?P<u>[^\s]+)\s+(?:to|in|into|a member of|member of|part of)\s+(?:the\s+)?(?:(?:group|groups)\s+(?:of\s+)?(?P<g1>[^\s]+)|(?P<g2>[^\s]+)(?:\s+group)?(?:\s+(?:too|as well|instead))?$)|^(?:(?:that|the|this|his|her|their)\s+(?:new\s+)?(?P<u3>account|user|login)|(?:user\s+)?(?P<u2>[a-z_][a-z0-9_-]*))\s+(?:(?:belongs|should be|is|goes|needs to be|must be|has to be|have to be|will be|joins?|can join|should join)\s+(?:in|to|into|a member of|member of|part of)|joins?|can join|should join)\s+(?:the\s+)?(?:group\s+)?(?P<g3>[a-z_][a-z0-9_-]*)(?:\s+group)?(?:\s+(?:too|as well|also))?$|^(?:(?:and|also|plus)\s+)?(?:a\s+)?member\s+of\s+(?:the\s+)?(?P<g4>[a-z_][a-z0-9_-]*)\s+group$"
);
pattern!(
    GRANT_ADMIN,
    r"\b(?:let|allow)\s+(?P<u>[a-z_][a-z0-9_-]*)\s+(?:to\s+)?(?:use|run|have|get)\s+(?:sudo|root|admin\w*)|\b(?:grant|give)\s+(?P<u2>[a-z_][a-z0-9_-]*)\s+(?:sudo|admin\w*|root|superuser)\b|\bmake\s+(?P<u3>[a-z_][a-z0-9_-]*)\s+(?:an?\s+)?(?:admin|administrator|sudoer|superuser)$|\b(?:change|switch|turn|upgrade|promote|convert)\s+(?P<u5>[a-z_][a-z0-9_-]*)\s+(?:to|into)\s+(?:an?\s+)?(?:sudo(?:er)?|admin\w*|superuser)(?:\s+(?:user|account|rights|access))?$|^(?:user\s+)?(?P<u4>[a-z_][a-z0-9_-]*)\s+(?:gets|should get|needs|has|should have|can have|may have|will have|is allowed|is allowed to use|can use|may use|should be able to use|is able to use|is an?|is the|should be an?|should be the|will be an?|will be the)\s+(?:sudo|sudoer|admin\w*|root|superuser)(?:\s+(?:rights|access|privileges|powers|permissions))?$"
);
pattern!(
    HOSTNAME,
    r"\b(?:host ?name|hn|(?:computer|machine|pc|system|laptop|device|box)(?:'?s)? name|network name)(?:\s+(?:for|of)\s+(?:this|the|my|our)\s+(?:box|machine|computer|pc|laptop|system|server|workstation|host|device))?\s*(?:is|to|=|:|should be|will be|shall be|must be|can be|could be|would be|may be|might be|has to be|needs to be|should read|reads|put|set to|set|make it|make|as)?\s+(?P<v>\S+)|\b(?:call|calling|name|naming|rename|renaming)\s+(?:this|the|my|our|it)?\s*(?:new\s+(?:install(?:ation)?|system|os|machine|box|computer|server|one)|computer|machine|pc|box|laptop|system|host|device|workstation|server|one|netbook|notebook|desktop|tower|rig|nuc|vm|thinkpad|macbook|chromebook|mini pc)?\s*(?:to|as)?\s+(?P<w>\S+)|\b(?:computer|machine|pc|box|laptop|system|host|device|workstation|server)\b.*?\b(?:go by|goes by|answer to|answers to|call itself|calls itself|name itself|be called|be named|is called|is named|called|named|known as|be known as|show up as|shows up as|appear as|appears as|come up as|be listed as)\s+(?:the name\s+)?(?P<x>\S+)|^(?:this one|this machine|this pc|this computer|this box)\s+(?:should|will|shall|must|can)\s+be\s+(?:called|named)\s+(?P<t>\S+)$|\bgive\s+(?:the|this|my|our)\s+(?:computer|machine|pc|box|laptop|system|host|device|workstation|server)\s+the\s+(?:host\s*)?name\s+(?P<y>\S+)|\bname\s+of\s+(?:the\s+|this\s+|my\s+)?(?:computer|machine|pc|host|system|laptop|box|server)\s*(?:is|:|=|should be|will be)?\s+(?P<o>\S+)|\b(?:show|shows|showing|turn|turns|pop|pops)\s+up\s+(?:(?:on|in)\s+(?:the|my|our)\s+(?:local\s+|home\s+)?(?:network|lan)\s+)?as\s+(?P<z>\S+)|\b(?:appear|appears|be seen|be visible|be known|be listed|be found|identify|identifies|announce|announces)\s+(?:itself\s+)?(?:on|in|to)\s+(?:the|my|our)\s+(?:local\s+|home\s+)?(?:network|lan)\s+as\s+(?P<q>\S+)"
);
pattern!(
    TIMEZONE,
    r"\bclock\s*[:=]\s*(?P<c>.+)$|\b(?:time ?zone|tz|(?:my\s+)?(?:location|region)|(?:^|(?:the|set|my|our)\s+)zone)\s*(?:is|to|=|:|should be|needs to be|must be|will be)?\s+(?:to\s+)?(?:be\s+(?:set\s+to\s+)?)?(?P<v>.+)$|\b(?:i'?m|i am|we are|we're|located|living|live|lives|based|sitting|staying|reside|resides|work|works)\s+(?:(?:currently|now|right now|presently|mostly|usually|actually)\s+)?(?:in|near|close to|around|outside(?: of)?|out of)\s+(?P<w>.+)$|\b(?:clock|local time|the time|time)\b\s+(?:(?:should|must|will|needs to|has to|can)\s+)?(?:be\s+set\s+|be\s+)?(?:to|follow|follows|match|matches|like|of|in|from|as|use|uses|be|is|for|show|shows|display|displays|read|reads|say|says|on|run on|runs on|go by|goes by|at|stay at|stays at|stay on|stays on)\s+(?:that of\s+|the one (?:of|in)\s+)?(?P<x>[a-z][a-z /_'.-]*?)(?:\s+time)?$"
);
// "GMT+5:30", "utc-3", "+0200": an offset from UTC.
pattern!(
    UTC_OFFSET,
    r"^(?:(?:gmt|utc)\s*)?[+-]\s*\d{1,2}(?::?\d{2})?(?:\s*h(?:ours?)?)?$"
);
// "create user 'Bob Smith'", "accounts: 'mary jane' and ...": a quoted name with a space.
pattern!(
    QUOTED_FULL_NAME,
    r#"(?i)\b(?:user ?names?|users?|accounts?|logins?|login names?|called|named|for)\s*:?\s*['"\x{2018}\x{201c}](?P<n>[a-z][a-z.-]*(?:\s+[a-z][a-z.'-]*)+)['"\x{2019}\x{201d}]"#
);
// "set passwords for both", "a password for each of them".
pattern!(
    PASSWORDS_FOR_ALL,
    r"\bpasswords?\s+(?:for|to)\s+(?P<who>both(?: of them)?|them(?: all)?|all(?: of them)?|everyone|everybody|each of them)\b"
);
// "the 128 GB one" after "my spare disk": the same disk described again.
pattern!(
    DISK_APPOSITION,
    r"^(?:the|that|this|i\.e\.?|namely|aka)\s+(?:[\w.-]+\s+){1,4}?(?:one|disk|drive|ssd|hdd)$"
);
// "I already made the account bob earlier", "bob already exists": an account there
// before this request, named so that "give him admin rights" can point at it.
pattern!(
    ACCOUNT_EXISTS,
    r"\b(?:(?:i|we)(?:'ve|\s+have)?\s+(?:already\s+|just\s+)?(?:made|created|added|set up)\s+(?:the\s+|an?\s+)?(?:account|user|login)\s+(?:called\s+|named\s+)?(?P<a>[a-z_][a-z0-9_-]{0,31})|(?:i|we)(?:'ve|\s+have)?\s+(?:already\s+)?(?:created|added)\s+(?P<e>[a-z_][a-z0-9_-]{1,31})\s+(?:without|earlier|already|before|yesterday|last)\b|(?:the\s+)?(?:account|user|login)\s+(?P<b>[a-z_][a-z0-9_-]{0,31})\s+(?:already\s+exists|exists already|is already there|was already made|is already made)|^(?P<c>[a-z_][a-z0-9_-]{0,31})\s+(?:already\s+exists|exists already)|there'?s\s+already\s+(?:an?\s+)?(?:account|user)\s+(?:called\s+|named\s+)?(?P<d>[a-z_][a-z0-9_-]{0,31})|^(?P<f>[a-z_][a-z0-9_-]{0,31})(?:'s)?\s+(?:account|user|login)\s+(?:is\s+|was\s+|has been\s+)?(?:already\s+)?(?:there|exists|made|created|set up)|^(?P<g>[a-z_][a-z0-9_-]{0,31})\s+(?:already\s+has|has\s+already(?:\s+got)?)\s+(?:an?\s+|her\s+|his\s+|their\s+)?(?:account|user|login)|^(?P<h>[a-z_][a-z0-9_-]{0,31})\s+is\s+already\s+(?:there|set up|made|created))\b"
);
// "time to replace my old ubuntu": what precedes the value when "time to" is the idiom
// (nothing sets, changes or puts the time).
pattern!(
    TIME_TO_IDIOM,
    r"\btime\s+to\s+$|\b(?:last|next|first|every|each|some|any|one|other|this|that)\s+time\s+\w+\s+$"
);
pattern!(
    TIME_SETTER,
    r"\b(?:set|sets|setting|change|changing|adjust|switch|put|make|want|like|need|should|must)\b"
);
// "put me on berlin time", "use sydney time", "tokyo time": taken only when the last words
// before "time" name a zone exactly.
pattern!(
    ZONE_TIME,
    r"^(?P<z>[a-z][a-z '.-]*?)\s+(?:time(?:\s+zone)?|timezone)$|^(?:set\s+(?:the\s+)?)?(?:time|clock|hour|hours)\s+(?:of\s+|in\s+|to\s+|at\s+|on\s+)?(?P<y>[a-z][a-z '.-]*?|(?:utc|gmt)\s?[+-]\s?\d{1,2}(?::?\d{2})?)$"
);
// "I speak german", "everything in french", "I'm swedish": taken only when they name a
// language.
pattern!(
    LOCALE_LOOSE,
    r"^(?:use|switch to|change to)\s+(?P<u>[a-z ()-]+)$|^(?:i'?m|i am|we'?re|we are)\s+(?:an?\s+)?(?P<n>[a-z]+)$|\b(?P<s>[a-z]+)\s+(?:spelling|date formats?|dates|number formats?|formatting|conventions)\b|^(?P<r>(?:uk|us|british|american|canadian|australian|brazilian|european|swiss|austrian|mexican|latin american|belgian)\s+(?:english|portuguese|spanish|french|german|italian|dutch))$|\b(?:make|set|put|have)\s+everything\s+(?:in\s+)?(?P<f>[a-z]+)$|^(?P<e>[a-z]+)\s+everything(?:\s*:.*)?$|\b(?:using|use|run|running|read|reading|work|working with)\s+(?:it|this|the \w+)\s+in\s+(?P<g>[a-z ()-]+)$|\b(?:i speak|we speak|speaks?|only\s+(?:reads?|writes?|understands?)|(?:reads?|writes?)\s+in|(?:want|need|would like|'d like|like|prefer|have|set|make|put|get)\s+it\s+in|(?:(?:my|the|this|our)\s+)?(?:everything|all|it all|system|computer|pc|machine|laptop|os|desktop|all the text|text|texts|menus?|interface|ui)\s+(?:itself\s+)?(?:(?:should be|to be|be|is)\s+)?in)\s+(?P<v>[a-z ()-]+)$"
);
// "add frank as an admin user": the name stands before "as".
pattern!(
    ADD_AS,
    r"^(?:add|create|make|register|set up|setup|enrol|enroll|include)\s+(?P<v>[a-z_][a-z0-9_-]*)\s+(?:as\s+(?:an?\s+|the\s+|one\s+)?|an?\s+)(?:new\s+)?(?P<k>(?:(?:regular|normal|standard|plain|sudo|admin|administrator)\s+)?(?:user|account|login)|admin|administrator|sudoer|superuser|super user)\b"
);
// "let hank use docker", "allow ivy into audio": a group the person may use.
pattern!(
    LET_USE,
    r"\b(?:(?:let|allow)\s+(?P<u>[a-z_][a-z0-9_-]*)\s+(?:to\s+)?(?:use|access|into|join|in)|give\s+(?P<u2>[a-z_][a-z0-9_-]*)\s+access\s+to)\s+(?:the\s+)?(?P<g>[a-z_][a-z0-9_-]*)(?:\s+group)?$|^(?:user\s+)?(?P<u3>[a-z_][a-z0-9_-]*)\s+(?:should be able to|must be able to|needs? to be able to|can|may|needs? to|wants? to|will)\s+(?:use|access)\s+(?:the\s+)?(?P<g2>[a-z_][a-z0-9_-]*)(?:\s+(?:devices?|hardware|group|stuff|things))?$"
);
pattern!(
    LOCALE,
    r"\b(?:(?:system|display|ui|interface|desktop)\s+language|language|locale|lang|user interface|interface|ui|menus?|system messages|messages|(?:words|writing|text)(?:\s+on\s+(?:the\s+)?screen)?\s+in)\s*(?:is|to|=|:|should be|in|into|be)?\s+(?:to\s+|in\s+)?(?P<v>.+)$|^(?P<x>[a-z ()_.'-]+?)\s+(?:for|as)\s+(?:the\s+|my\s+)?(?:system\s+)?(?:language|locale)$|^(?:(?:i\s+(?:want|need|would like|'d like)|i'd like|we\s+(?:want|need)|please|use|set|give me|make it|with)\s+)*(?:the\s+|an?\s+|my\s+)?(?:in\s+)?(?P<w>[a-z_ ()]+?)\s+(?:language|locale)$|^(?:the\s+)?(?:software|system|computer|machine|pc|laptop|everything|os|menus)\s+(?:should|must|will|needs to|has to)\s+(?:be\s+in|speak)\s+(?P<s>[a-z ()-]+)$"
);
pattern!(
    KEYBOARD,
    r"\b(?:type|typing|types|write|writing)\s+(?:on|with)\s+(?:an?\s+|the\s+|my\s+)?(?P<u>[a-z0-9: '-]+?)\s+(?:keyboard|keymap|layout)\b|\b(?:keyboards?|keymap|key map|kbd|kb|layout)(?:\s+layout)?\s*(?:is|to|=|:|should be)?\s+(?:to\s+)?(?P<v>[\p{L}'][\p{L}0-9:()' -]*?)(?:\s+layout)?$|\b(?:use|type (?:on|with|in)|prefer|want|on)\s+(?:an?\s+|the\s+)?(?P<x>dvorak|colemak|bepo|qwertz|azerty|workman)\b|^(?P<z>[\p{L}: ()-]+?)\s+(?:for|as)\s+(?:the\s+|my\s+)?(?:keyboard|keymap|layout)(?:\s+layout)?$|^(?:(?:use|set|a|an|the)\s+)*(?P<w>\p{L}[\p{L}0-9: ']*?)\s+(?:keyboards?|keymap|layout)(?:\s+layout)?$|\bkeys?\s+(?:(?:are|is)\s+(?:(?:laid out|arranged|mapped|set out)\s+)?|(?:laid out|arranged|mapped|set out)\s+|to\s+)(?:as\s+|like\s+|in\s+|for\s+)?(?:an?\s+|the\s+)?(?P<y>[a-z: ]+?)(?:\s+(?:style|way|layout|ones?))?$"
);
pattern!(
    BOOTLOADER,
    r"\b(grub|boot ?loader|systemd boot|bootctl|efi stub)\b|\b(?:add|put|get|list)\s+(?:linux|it|the (?:new )?system|levitate\w*)\s+(?:to|in|into|on)\s+(?:the\s+)?(?:boot|startup|grub)\s+(?:menu|list|entries|screen)\b|\bmake\s+(?:it|the (?:disk|drive|system|install\w*))\s+(?:able to boot|bootable|boot(?:\s+on its own)?)$|\b(?:it|the (?:disk|drive|system|computer|machine|laptop|install\w*))\s+(?:can|could|will|should|is able to)\s+(?:start|boot)(?:\s+up)?\s+(?:by itself|on its own|without the\s+(?:usb|stick|installer|live\s+\w+|cd|dvd))"
);
pattern!(
    COPY_SYSTEM,
    r"\b(install|copy|put)\s+(the\s+)?(live\s+|whole\s+|new\s+|base\s+)?(system|os|operating system|levitate(os)?|linux|files)\b|\bcopy\b.*\b(to|onto)\s+(the\s+)?(disk|drive|target|new system)\b|\bcopy\s+(everything|it all|all( of it)?)(\s+(over|across))?$|^(?:go ahead and\s+)?install\s+(?:everything|it all|all of it|the lot)(?:\s+now)?$|\b(start|begin|go ahead with|run|do)\s+(the\s+)?(install|installation|installing|copy|copying)\b|^install( it| now)?$|^copy(?: it| over| now| the files)?$|^copy\s+(?:it\s+|everything\s+|the system\s+)?from\s+/\S+|\bwrite\s+(?:the\s+)?(?:files|system|everything)\s+(?:to|onto)\s+(?:the\s+)?(?:disk|drive)\b|^(?:unsquashfs|rsync|extract|unpack|copy)\s+/\S+.*\b(?:to|onto|into)\s+(?:the\s+)?(?:new\s+)?(?:root|target|system|disk)\b"
);
pattern!(FORMAT, r"\b(?:re)?format(?:ting)?\b");
// "my thesis is on the ubuntu install": an installation there now, not a request.
pattern!(
    INSTALL_NOUN,
    r"\b(?:my|our|existing|old|current|previous|other|ubuntu|windows|linux|debian|fedora|mint|arch)\s+(?:install|installation|installs)\b"
);
// "format it as ext4" after a partition was named.
pattern!(
    FORMAT_IT,
    r"^(?:then\s+)?(?:re)?format\s+(?:it|that|that one|this one|the partition)\b|^(?:then\s+|and\s+)?(?:wipe|erase|reformat|format|clear)\s+(?:that|this|the)\s+(?:one\s+)?partition(?:\s+only)?$|^(?:and\s+)?use\s+(?:it\s+)?as\s+(?:an?\s+)?(?:ext4|btrfs|xfs|vfat|fat32|fat|swap)\b|^(?:then\s+)?(?:make|turn)\s+(?:it|that|that one|this one)\s+(?:into\s+)?(?:an?\s+)?(?:ext4|btrfs|xfs|vfat|fat32|swap)\b"
);
// "wipe the old ubuntu partition", "erase sda3": a partition wiped is a partition
// formatted, never its whole disk.
pattern!(
    WIPE_PART,
    r"\b(?:wipe|erase|clear|blank|nuke|overwrite)\b.*\bpartition\b|\b(?:wipe|erase|clear|blank|nuke|overwrite)\s+(?:/dev/)?(?:sd[a-z]+\d+|vd[a-z]+\d+|nvme\d+n\d+p\d+|mmcblk\d+p\d+)\b"
);
// "doesn't need that": what was just said is taken back.
pattern!(
    RETRACT,
    r"\b(?:doesn'?t|don'?t|does not|do not|won'?t|will not)\s+need\s+(?:that|it|this|those|them)\b|^(?:forget|drop|skip|cancel)\s+(?:that|it)\b|^not that\b|^(?:don'?t|do not)\s+do\s+(?:that|it)\b"
);
pattern!(
    SOMEONE_NEEDS_ACCOUNT,
    r"^(?:my|our|the|his|her|their)\s+(?P<rel>[a-z]+)(?:[ -](?P<name>[a-z_][a-z0-9_-]*))?\s+(?:also\s+)?(?:needs|wants|should get|should have|gets|will need|will get|must have)\s+(?:an?\s+|their own\s+|his own\s+|her own\s+)?(?:own\s+)?(?:account|user|login|user account)(?:\s+(?:too|as well|also))?$"
);
// "she also needs to run updates with sudo": rights for the user just named.
pattern!(
    PRONOUN_RIGHTS,
    r"^(?:and\s+)?(?:he|she|they)(?:'s|'re|\s+(?:also\s+)?(?:needs?|should|must|will need|wants?|has to|have to|can|may|gets?|is|are|will be)\b).*\b(?:sudo|admin\w*|root access|root rights|superuser)\b"
);
pattern!(
    UNIT_SAID_ONCE,
    r"(?i)\b(?P<a>\d+(?:\.\d+)?)\s*(?P<u>gigs?|gb|gib|g|megs?|mb|mib|tb|tib)\s+(?P<b>for|of|to|as)\s+(?P<c>(?:the\s+)?/?\w+)\s*(?P<d>,|and|&|plus|,\s*and)\s*(?P<e>\d+(?:\.\d+)?)\s+(?P<f>for|of|to|as)\b"
);
// "British English with a UK keyboard": the keyboard is a request of its own.
pattern!(
    WITH_KEYBOARD,
    r"(?i)\s+with\s+(an?\s+|the\s+)?([\w-]+(?:\s+[\w-]+)?\s+(?:keyboard|keymap)(?:\s+layout)?)\b"
);
// "create user olivia, no wait, call her liv": the user just named, renamed.
pattern!(
    RENAME_USER,
    r"^(?:(?:no|actually|wait|sorry)\s+)*(?:call|name|make|rename)\s+(?:her|him|them|it|that|the user|the account|the login)\s+(?:to\s+)?(?P<v>[a-z_][a-z0-9_-]*)(?:\s+(?P<r>with|without)\s+(?:sudo|admin rights|admin|rights))?$|^(?:(?:er|erm|uh|um|no|sorry|actually)[,]?\s+)*(?:make it|make that|i meant|i mean|rather|or rather|spell it|spell that|spelled|spelt|it'?s spelled|it'?s spelt)\s+(?P<w>[a-z_][a-z0-9_-]*)(?:\s+(?P<s>with|without)\s+(?:sudo|admin rights|admin|rights))?$|^(?:so\s+)?(?:her|his|their|the)?\s*(?:user ?name|login)\s*(?:is|:|=|should be|will be|would be)?\s+(?P<u>[a-z_][a-z0-9_-]*)$"
);
// "add my partner, dev, to the sudo group": the person is the name between the commas.
pattern!(
    RELATION_APPOSITIVE,
    r"(?i)\b(?:my|our|his|her|their)\s+(?:[\w-]+\s+)?(?:wife|husband|spouse|partner|son|daughter|kid|child|brother|sister|mum|mom|mother|dad|father|friend|roommate|flatmate|colleague|coworker|boss|intern|assistant|grandma|grandpa|grandson|granddaughter|cousin|nephew|niece|uncle|aunt)\s*,\s*([a-z][\w-]*)\s*,\s*(to|in|into)\b"
);
pattern!(
    RUNNING_FROM,
    r"\b(?:i'?m|we'?re|i am|we are|it'?s|it is|you'?re|you are|currently|now)\s+(?:running|booted|booting|working)\s+(?:from|off|on)\b|\b(?:running|booted|live|host|current)\s+(?:system'?s?\s+)?(?:disk|drive)\b|\b(?:running|booted|booting)\s+(?:from|off)\b"
);
// "Would it fit next to Windows? If it does, go ahead": the install, if so.
pattern!(
    GO_AHEAD_IF,
    r"(?i)\bif (?:it does|it fits|it can|so|yes|there is|there'?s (?:room|space|enough space))\s*,?\s*(?:then\s+)?(?:go ahead|do it|proceed|please do|go for it|just do it)\b"
);
// "if ubuntu is on there, keep it", "install alongside ubuntu keep it": the system named.
pattern!(
    KEEP_IT_SYSTEM,
    r"(?i)\b(windows|ubuntu|debian|fedora|mint|manjaro|opensuse)\b((?:\s+(?:install|installation|is|was|are|on|there|in|here|already|still|the|this|that|if|does|exists|present|found)\b)*)[,\s]+(keep|leave|don'?t touch|do not touch|spare|preserve)\s+it\b"
);
pattern!(
    USER_THEN_PASSWORD,
    r"^(?:user|username|login)\s*[:=]?\s+(?P<v>[a-z_][a-z0-9_-]*)\s+(?:(?:and|with|plus)\s+)?(?:a\s+)?(?:password|passwd)\b"
);
pattern!(
    I_AM,
    r"^(?:i'?m|i am|my name is|my name's|my login is|my username is|call me)\s+['\x22\x{2018}\x{201c}]?(?P<v>[a-z_][a-z0-9_-]*)['\x22\x{2019}\x{201d}]?$"
);
// "leave the recovery partition and the EFI one as they are": both are kept.
pattern!(
    KEEP_BOTH,
    r"(?i)\b(leave|keep|don'?t touch|do not touch|preserve|spare|stay away from|keep away from|don'?t use|do not use|avoid)\s+((?:the|my|its|that|this)\s+(?:[\w-]+\s+)??[\w-]+(?:\s+(?:one|partition|disk|drive|ssd|stick))?|(?:/dev/)?(?:sd[a-z]|vd[a-z]|nvme\d+n\d+)(?:p?\d+)?|windows|ubuntu|fedora|debian|mint|arch|macos|linux)\s+and\s+((?:the|my|its|that|this)\s+(?:[\w-]+\s+)??[\w-]+(?:\s+(?:one|partition|disk|drive|ssd|stick))?|(?:/dev/)?(?:sd[a-z]|vd[a-z]|nvme\d+n\d+)(?:p?\d+)?|windows|ubuntu|fedora|debian|mint|arch|macos|linux)(\s+(?:exactly\s+)?(?:as (?:they|it) (?:are|is|were|was)|alone|untouched|intact))?"
);
// "so I can choose between it and Windows at startup": the boot menu's choice, no disk
// (alone, "choose between Windows and Linux every time it starts" asks for a dual boot).
pattern!(
    CHOOSE_AT_BOOT,
    r"(?i)\b(?:choose|pick|select)\s+(?:between|which)\b[^,.;]*?\b(?:(?:at|on|when)\s+(?:boot|startup|start-up|start up|power on|booting|boot time)|(?:every|each)\s+time\s+(?:the\s+\w+\s+|it\s+|i\s+)?(?:boots?|starts?|start it|turn it on|turns on|powers? on)(?:\s+up)?)\b"
);
// "set up my user, chen, with sudo": the account is the name between the commas.
pattern!(
    ACCOUNT_APPOSITIVE,
    r"(?i)\b((?:my|one|a|the|an|his|her|their)\s+(?:own\s+)?(?:user|account|login))\s*,\s*([a-z][\w-]*)\s*,"
);
// "in the wheel and video groups": each group named with its noun.
pattern!(
    TWO_GROUPS,
    r"(?i)\b(to|in|into)\s+(?:the\s+)?([a-z_][\w-]*)\s+(?:and|&)\s+([a-z_][\w-]*)\s+groups\b"
);
// "I don't need any user besides root": no account asked for.
pattern!(
    NO_ACCOUNT,
    r"\b(?:don'?t|do not|doesn'?t|won'?t|no need for|not)\s+(?:need|want|create|make|add|require)?\s*(?:any\s+|an?\s+|other\s+|more\s+|extra\s+|another\s+)+(?:users?|accounts?|logins?)\b|^no (?:other |more |extra )?(?:users?|accounts?)\b"
);
pattern!(
    OTHER_MACHINE_NAME,
    r"\b(?:last|old|previous|former|other|old)\s+(?:pc|machine|computer|laptop|box|server|one|host ?name)\b|\b(?:was|were|used to be)\s+(?:called|named)\b|\bused to be called\b"
);
pattern!(
    REUSE_ESP,
    r"\b(?:re-?us(?:e|es|ing)|keep(?:s|ing)?|shar(?:e|es|ing)|existing|current|windows'?s?|the same)\b[^,.;]*\b(?:efi|esp)\b"
);
pattern!(
    STILL_DECIDING,
    r"^(?:i'?m|i am|we'?re|we are)\s+(?:still\s+)?(?:deciding|thinking about|not sure|undecided|unsure|figuring out)\b|\b(?:just|only)\s+want\s+(?:the|my)\s+settings\s+(?:done|set|sorted|first)\b"
);
/// Configuration files and commands typed as requests ("ln -sf /usr/share/zoneinfo/X
/// /etc/localtime", "echo KEYMAP=pl > /etc/vconsole.conf", "passwd root", "Ctrl+Z").
pub(super) static CONFIG_COMMANDS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (
            r"(?i)\bln\s+(?:-\w+\s+)*/usr/share/zoneinfo/(\S+)\s+/etc/localtime\b",
            "timezone $1",
        ),
        (
            r"(?i)\b(?:(?:sudo\s+)?localectl\s+set-locale\s+|echo\s+)?['\x22]?LANG=([\w.@-]+)['\x22]?(?:\s*>+\s*/etc/locale\.conf)?",
            "locale $1",
        ),
        (
            r"(?i)\b(?:echo\s+)?['\x22]?KEYMAP=([\w:-]+)['\x22]?(?:\s*>+\s*/etc/vconsole\.conf)?",
            "keyboard $1",
        ),
        (
            r"(?i)\becho\s+['\x22]?([a-z0-9][a-z0-9-]*)['\x22]?\s*>+\s*/etc/hostname\b",
            "hostname $1",
        ),
        (r"(?i)\bGRUB_CMDLINE_LINUX(?:_DEFAULT)?\b", "the kernel command line"),
        (
            r"(?i)\bunsquashfs\s+(?:-\S+\s+(?:/\S+\s+)?)*(/\S+\.(?:img|squashfs|sfs))\b",
            "copy the system from $1",
        ),
        (r"(?i)^\s*(?:sudo\s+)?passwd\s+([a-z_][a-z0-9_-]*)\s*$", "set password for $1"),
        (r"(?i)\bctrl\s*[+-]?\s*z\b", "undo"),
        // "the first serial port at 115200 baud": ttyS0.
        (r"(?i)\b(?:the\s+)?first\s+serial\s+port\b", "ttyS0"),
        (r"(?i)\b(?:the\s+)?second\s+serial\s+port\b", "ttyS1"),
        // Other installers' screens and words.
        (
            r"(?i)\(UTC\s*[+-\x{2212}]?\s*\d{1,2}(?::\d{2})?\)\s*([^,.;(]+?)\s*(?:,[^.;]*)?(?:\([^)]*\))?\s*(?:[.;]|$)",
            "$1. ",
        ),
        (r"(?i)\bwhere are you\s*\??\s*:?\s*", "timezone "),
        (r"(?i)\b(?:pick|choose)\s+a\s+username\s*:?", "username"),
        (r"(?i)\byour name\s*:\s*[^.;,]*[.;,]?", ""),
        (r"(?i)\byour computer'?s name\s*:?", "hostname"),
        (
            r"(?i)\bchange\s+(?:the\s+)?account\s+type\s+(?:of|for)\s+([a-z_][\w-]*)\s+to\s+(?:an?\s+)?(?:administrator|admin)\b",
            "make $1 an admin",
        ),
        (r"(?i)\ball files in one partition\b", "no separate home"),
        (r"(?i)\(recommended[^)]*\)", ""),
        (
            r"(?i)\bthird[- ]party\s+(?:software|drivers|stuff)\s+for\s+[^.;,]*",
            "third-party drivers",
        ),
        (
            r"(?i)\b(?:something\s+)?(?:like|similar to|the equivalent of|an equivalent of)\s+bitlocker\b(?:\s+for\s+linux)?",
            "encrypted",
        ),
        (
            r"(?i)\bbitlocker\s+is\s+(?:turned\s+)?(?:on|enabled|active)\b[^.;]*",
            "",
        ),
        // ("my windows drive is locked with bitlocker, don't touch it": how a disk is.)
        (
            r"(?i)\b(?:is|was|are|'s)\s+(?:\w+\s+)?(?:locked|encrypted|protected|secured)\s+(?:with|by|using|via)\s+bitlocker\b|\b(?:has|uses)\s+bitlocker(?:\s+(?:on|enabled|encryption))?(?:\s+on\s+it)?\b",
            "",
        ),
        (
            r"(?i)\buncomment\s+([a-z]{2}_[A-Z]{2}(?:\.UTF-8)?)(?:\s+UTF-8)?(?:\s+in\s+/etc/locale\.gen)?",
            "locale $1",
        ),
        (r"(?i),?\s*(?:and\s+)?(?:then\s+)?run\s+locale-gen\b", ""),
        (
            r"(?i),?\s*(?:and\s+)?(?:then\s+)?make\s+it\s+(?:the\s+)?(?:system\s+|default\s+)?(?:language|locale)\b",
            "",
        ),
    ]
    .into_iter()
    .map(|(p, to)| (re(p), to))
    .collect()
});
pattern!(
    EJECT,
    r"\b(?:pull|pulling|take|taking|unplug\w*|remove|removing|eject\w*|yank\w*)\s+(?:out\s+)?(?:the\s+|my\s+|that\s+)?(?:usb|stick|thumb ?drive|flash drive|pen ?drive|installer|install(?:ation)? (?:stick|media|medium)|live (?:usb|stick|medium))\b"
);
// ", /var and /tmp": a mount point alone, in a list of them.
pattern!(
    MOUNT_PATH_CLAUSE,
    r"^(?:and\s+|a\s+|an\s+|separate\s+|plus\s+|also\s+)*/[a-z][\w/-]*(?:\s+(?:partitions?|volumes?|too|as well))?$"
);
// "I gave up trying to shrink it": a resize spoken of, not asked for.
pattern!(
    RESIZE_SPOKEN_OF,
    r"\b(?:gave up|give up|giving up|tried|trying|didn'?t|couldn'?t|no need|don'?t need|without)\b[^,.;]*\b(?:shrink\w*|resiz\w*)"
);
// What a colon may introduce as a request of its own.
pattern!(
    REQUEST_AFTER_COLON,
    r"(?i)^(?:(?:one|a|an|two|three|just|only|my|the)\s+)*(?:users?|accounts?|logins?)\b|^(?:create|add|make|set|host ?name|time ?zone|keyboard|keymap|locale|language)\b|^(?:an?\s+)?[a-z]+\s+(?:keyboard|keymap|layout|locale|language|time ?zone)\b|^(?:i'?ve|i have|i'?m|i am|we'?ve|we'?re|we have|we are|it'?s|there'?s|my)\b|^(?:is|are|does|do|can|could|would|will|should|what|which|how|where|why|when)\s+\w+[^:]*\?"
);
// "no efi partition" (a BIOS machine): the layout has no ESP.
pattern!(
    NO_ESP,
    r"\b(?:no|without|skip|don'?t need|(?:don'?t|do not|no need to)\s+(?:waste\s+(?:space|room|\w+)\s+on|bother\s+with|make|create|add|need|want))\s+(?:an?\s+|the\s+|any\s+)?(?:efi|esp|uefi)(?:\s+(?:system\s+)?partition)?\b"
);
// "in groups docker and kvm": each group named with its noun.
pattern!(
    GROUPS_FIRST,
    r"(?i)\b(to|in|into)\s+(?:the\s+)?groups\s+([a-z_][\w-]*)\s+(?:and|&)\s+([a-z_][\w-]*)"
);
// "'camille'", "\"juergen\"": a word in quotes is that word.
pattern!(
    REPLACE_A_PARTITION,
    r"^(?:(?:i want to|i'?d like to|let'?s|please|just)\s+)?replace\s+(?:an?\s+|the\s+|one\s+|existing\s+|an existing\s+)*partition(?:\s+with\s+(?:it|linux|the new system|the system|levitate\w*))?$"
);
// "Replace a partition: sda2": the partition named is the one meant.
pattern!(
    REPLACE_NAMED_PARTITION,
    r"(?i)\breplace\s+(?:an?\s+|the\s+|one\s+|existing\s+)*partition\s*:?\s+(?P<p>(?:/dev/)?(?:sd[a-z]\d+|vd[a-z]\d+|nvme\d+n\d+p\d+|mmcblk\d+p\d+))\b"
);
pattern!(
    QUOTED_ADMIN_NAME,
    r"\b(user|login|username|account)\s+['\x22\x{2018}\x{201c}](admin|administrator)['\x22\x{2019}\x{201d}]"
);
pattern!(
    QUOTED_WORD,
    r"(^|[\s(,:=])['\x22\x{2018}\x{201c}]([\w.-]+)['\x22\x{2019}\x{201d}]([\s,.;:!?)]|$)"
);
// "user camille is admin": a new user, with rights.
pattern!(
    USER_IS_ADMIN,
    r"^(?:the\s+)?(?:new\s+)?user\s+(?P<v>[a-z_][a-z0-9_-]*)\s+(?:is|will be|should be|must be|as)\s+(?:an?\s+)?(?:admin\w*|sudoer|superuser)$"
);
// "user ci without sudo in the docker group": a new user, described.
pattern!(
    USER_WITH,
    r"^(?:a\s+|new\s+|another\s+)?user\s+(?P<v>[a-z_][a-z0-9_-]*)\s*,?\s+(?:with|without|no|in|who|as|and)\b"
);
pattern!(
    IN_GROUP,
    r"\bin\s+(?:the\s+)?(?P<g>[a-z_][a-z0-9_-]*)\s+group\b|\bin\s+(?:the\s+)?groups?\s+(?P<h>[a-z_][a-z0-9_-]*)|\bin\s+(?P<i>docker|audio|video|libvirt|kvm|lp|lpadmin|plugdev|dialout|wireshark|games|vboxusers|scanner|cdrom|render|bluetooth|adm|uucp|netdev)\b"
);
// "my user on Ubuntu was called priya": about an account, not a disk.
pattern!(
    ACCOUNT_TALK,
    r"\b(?:my|his|her|their|our)\s+(?:old\s+)?(?:user|account|login|username)\b.*\b(?:was|is|were)\s+(?:called|named)\b"
);
pattern!(
    DISK_NOUN,
    r"\b(?:disks?|drives?|ssds?|hdds?|nvme\w*|whole|entire|everything|all of it|the lot)\b"
);
pattern!(
    FORMAT_REFUSED,
    r"\b(?:don'?t|dont|do not|not|never|no|without|nor)\s+(?:\w+\s+)?(?:re)?format\w*"
);
// "leave root unencrypted", "keep home as xfs": a setting of the new layout, no keep;
// "keep the default layout", "keep it simple": a way of doing it, nothing on a disk kept.
pattern!(
    KEEP_A_SETTING,
    r"\b(?:leave|keep)\s+(?:the\s+)?(?:[\w/]+\s+)?(?:unencrypted|encrypted|plain|in plain text)\b|\b(?:leave|keep)\s+(?:\w+\s+){0,2}?as\s+(?:ext4|xfs|btrfs)\b|\b(?:leave|keep|stick with|stick to|go with)\s+(?:the\s+|your\s+|its\s+|all\s+the\s+)?(?:default|standard|usual|suggested|recommended|proposed|normal|automatic)s?\b|\b(?:keep|leave)\s+(?:it|things|everything|this|that)\s+(?:simple|basic|standard|default|minimal)\b"
);
pattern!(
    ON_THE_NETWORK,
    r"^(?:on|in)\s+(?:the|my|our)\s+(?:home\s+|local\s+)?(?:network|wifi|wi-fi|lan)$"
);
pattern!(SAID_DASH, r"(?i)\s+dash\s+");
pattern!(PASS_APART, r"(?i)\bpass\s+(phrase|word|code)");
pattern!(SAID_UNDERSCORE, r"(?i)\s+underscore\s+");
pattern!(SAID_DOT, r"(?i)([a-z0-9])\s+dot\s+([a-z0-9])");
// "dev s d b", "slash dev slash v d a", "v d b": a device name spelled letter by letter.
pattern!(
    SPELLED_DEVICE,
    r"(?i)(?:/dev/|\bdev\s+)?\b([svh])\s+d\s+([a-z])\b"
);
// "dev sdb": the device's directory, said without its slashes.
pattern!(
    DEV_SAID,
    r"(?i)(^|[^/\w])dev\s+((?:sd|vd|hd)[a-z]\d*|nvme\d\w*|mmcblk\d\w*)\b"
);
// "envy me", "n v m e": NVMe, said.
pattern!(
    NVME_SAID,
    r"(?i)\b(?:envy\s+me|n\s+v\s+m\s+e|en\s+vee\s+em\s+ee)\b"
);
// "tty s zero": a serial console, dictated.
pattern!(TTY_SAID, r"(?i)\btty\s*s\s*(?P<n>zero|one|two|three|\d+)\b");
// "zero one", "one one five two zero zero": digits said one by one.
pattern!(
    DIGITS_SAID,
    r"(?i)\b(?:zero|one|two|three|four|five|six|seven|eight|nine)(?:\s+(?:zero|one|two|three|four|five|six|seven|eight|nine))+\b"
);
// "sixty percent": a share said in words.
pattern!(
    PERCENT_SAID,
    r"(?i)\b(?P<n>(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine|(?:a|one)\s+hundred|hundred))\s*(?:percent|per\s+cent)\b"
);
// "not sure the hostname went through", "did the time zone get set?": whether a setting
// took, asked; never a value ("set", "went through").
pattern!(
    SETTING_TOOK,
    r"(?i)(?:\b(?:i'?m\s+)?(?:not\s+sure|unsure|wondering|don'?t\s+know|can\s+you\s+check|check)\s+(?:if\s+|whether\s+)?|\b(?:did|has|have|was|is)\s+)?\bthe\s+(?:host\s?name|time\s?zone|keyboard(?:\s+layout)?|locale|language|password|user(?:\s+account)?)\s+(?:(?:is|was|got|has\s+been|been|get|gotten)\s+(?:set|saved|applied|changed|stored|taken|accepted)|went\s+through|go(?:es)?\s+through|gone\s+through|worked|work|took|take|stuck|stick|applied|saved)\b"
);
// "hostname is set to web01", "the time zone should be changed to Berlin": the value.
pattern!(
    KEY_SET_TO,
    r"(?i)\b(?P<k>host\s?name|time\s?zone|keyboard(?:\s+layout)?|keymap|locale|language)\s+(?:is\s+|should\s+be\s+|must\s+be\s+|will\s+be\s+|to\s+be\s+|needs\s+to\s+be\s+|has\s+to\s+be\s+)?(?:set|changed|switched)\s+(?:to|as)\s+"
);
// "don't use the whole disk", "not the entire drive": beside what is there, never all of it.
pattern!(
    NOT_WHOLE,
    r"\b(?:don'?t|do not|not|never|no need to|without)\s+(?:(?:use|using|take|taking|need|want|wipe|wiping|erase|erasing)\s+)?(?:up\s+)?(?:the\s+)?(?:whole|entire|full)\s+(?:disk|drive|ssd|hdd|thing|space|nvme|samsung|wd)\b|\bnot\s+(?:the\s+)?(?:whole|entire)\s+(?:thing|disk|drive)\b"
);
// "I need Windows for class", "I still use windows for games": Windows stays.
pattern!(
    NEEDS_WINDOWS,
    r"\b(?:i|we|my \w+)\s+(?:still\s+|really\s+|also\s+)?(?:need|needs|use|uses|rely on|depend on)\s+windows\b"
);
pattern!(
    NEEDS_WINDOWS_NOT,
    r"\b(?:don'?t|do not|doesn'?t|does not|no longer|never|won'?t|hardly|barely)\s+(?:really\s+)?(?:need|use|rely on|depend on)\s+windows\b|\bwindows\s+(?:any\s?more|anymore)\b"
);
// "nothing encrypted, except home", "no encryption but for /home": only that one.
pattern!(
    ENCRYPT_ONLY_EXCEPT,
    r"(?i)\b(?:no\s+encryption|nothing\s+(?:should\s+be\s+|is\s+|gets\s+)?encrypted|don'?t\s+encrypt\s+anything|encrypt\s+nothing|no\s+luks)(?:\s+this\s+time)?\s*,?\s*(?:except|but|apart\s+from|other\s+than|besides|save)\s+(?:for\s+)?(?:the\s+)?(?P<p>/?[a-z]+)(?:\s+partition)?"
);
// "create user deploy, member of wheel, docker and systemd-journal", "in groups
// wheel,video,libvirt": a list of groups, whatever software they are named after.
pattern!(
    MEMBER_OF_LIST,
    r"(?i)\b(?:(?:and\s+)?(?:a\s+)?member\s+of|in\s+(?:the\s+)?groups|with\s+(?:the\s+)?groups)\s+(?:the\s+)?(?P<gs>[a-z_][\w-]*(?:\s*,\s*(?:and\s+)?[a-z_][\w-]*|\s+and\s+[a-z_][\w-]*)+)(?:\s+groups?)?"
);
// "make it british english", "use X instead": the value alone.
pattern!(
    MAKE_IT,
    r"(?i)^(?:actually\s+|just\s+|rather\s+)*(?:make\s+(?:it|that)|change\s+(?:it|that)\s+to|use|set\s+(?:it|that)\s+to|go\s+with)\s+"
);
// "the encrypted partition", "my btrfs volume": a partition there, by what it holds.
pattern!(
    DESCRIBED_PART,
    r"\b(?:the|my|that|this|its|our)\s+(?:old\s+|existing\s+|current\s+)?(?:encrypted|luks|btrfs|ext4|xfs|ntfs|vfat|fat32)\s+(?:partition|volume|disk|drive|one|container)s?\b"
);
pattern!(
    FS_OR_CRYPT_WORD,
    r"\b(?:encrypt\w*|luks|btrfs|ext4|xfs|ntfs|vfat)\b"
);
// "with both swap and / inside LUKS2", "root in luks": encrypted.
pattern!(
    IN_LUKS,
    r"(?i)\b(?:inside|in|within|under|into)\s+(?:a\s+|an\s+)?(?:luks2?|dm-crypt)(?:\s+(?:containers?|volumes?))?\b"
);
// "mount /dev/sda1 (the 4T ext4 media volume) at ...": what a device is, said beside it.
pattern!(
    DEVICE_DESCRIBED,
    r"(?i)(?P<d>/dev/[\w/-]+|\b(?:sd[a-z]|vd[a-z]|nvme\d+n\d+|mmcblk\d+)(?:p?\d+)?)\s*\((?:the|my|a|an|which|that|it'?s|its|our)\b[^)]*\)"
);
// "leave the nvme (fedora) alone": the system a disk holds, said beside it, describes that
// disk; it asks for nothing (not "install beside fedora").
pattern!(
    DISK_HOLDING_SAID,
    r"(?i)\b(?P<d>nvme|ssd|hdd|disk|drive|stick|card|samsung|seagate|crucial|kingston|hynix|wd|toshiba|sandisk|intel)\s*\((?:it'?s\s+|the\s+|with\s+|has\s+|holds\s+)?(?:windows|fedora|ubuntu|debian|mint|arch|linux|macos|mac\s?os|os x|manjaro|opensuse|suse)(?:\s+(?:one|install|disk|drive|is on it|on it))?\)"
);
// "the old disk can go, time machine and all": what goes with it, spoken of.
pattern!(
    AND_ALL,
    r"(?i),\s*(?:the\s+|my\s+)?[\w' -]{1,30}?\s+and\s+all(?P<e>\s*[.,;!?]|\s*$)"
);
// "... thats all my media just wipe the sk hynix", "encrypt just /home dont encrypt the
// root": "just" or a negation and a verb start a request.
pattern!(
    JUST_VERB,
    r"(?i)(?P<w>[a-z0-9'/]+)\s+(?P<j>(?:just|don'?t|do\s+not|never)\s+(?:wipe|erase|use|put|install|format|encrypt|mount|create|make|set|go\s+ahead|touch|add))\b(?P<o>\s+[a-z]+)?"
);
// "ext four", "x f s", "b t r f s", "butter f s": a filesystem, dictated.
pattern!(
    FS_SAID,
    r"(?i)\b(?:ext\s+(?P<e>four|three|two|4|3|2)|(?P<x>x\s+f\s+s)|(?P<b>b\s+t\s+r\s+f\s+s|butter\s*f\s*s|better\s+f\s+s)|(?P<v>v\s*fat|f\s+a\s+t\s+(?:32|thirty\s+two)))\b"
);
pattern!(SAID_EQUALS, r"(?i)\s+equals\s+");
pattern!(SAID_COMMA, r"(?i)\s+comma\b(?:\s+(?P<d>\d))?");
pattern!(SAID_PERIOD, r"(?i)\s+(?:period|full stop)\s*$");
pattern!(N_FOR_AND, r"(?i)(\s)n(\s)");
pattern!(
    CORRECTION_INLINE,
    r"(?i)\s*,?\s+(?:(no wait|no,\s*wait|wait,?\s*no|scratch that|or rather)\b[,.]?\s*|(actually,?\s*no)(?:[,.!]\s*|\s*$))"
);
// A disk described, not named: "the fast one", "the big slow one", "the terabyte one".
pattern!(
    DESCRIBED_DISK,
    r"\b(?:the|that|this|my)\s+(?:\w+\s+)?(?:fast|faster|fastest|quick|quicker|speedy|slow|slower|slowest|spinning|mechanical|big|bigger|biggest|large|larger|largest|small|smaller|smallest|little|tiny|terabyte|tera|half-tera|empty|blank)\s+(?:\w+\s+)?(?:one|disk|drive)\b"
);
// "the terabyte one", "a half-tera drive": a size in words, before the disk's noun.
pattern!(
    SPOKEN_DISK_SIZE,
    r"(?:^|\b(?:the|a|that|this|my)\s+)(?P<half>half[- ]?(?:a[- ])?)?(?:tera|terabyte|tb|tib)\s+(?:disk|drive|one|ssd|hdd|nvme|hard)"
);
pattern!(
    EMPTY_DISK,
    r"\b(?:empty|blank|unused|unpartitioned)\s+(?:\w+\s+)?(?:disk|drive|one|ssd|hdd|nvme|hard drive)\b|\b(?:disk|drive|one)\b[^,.;]{0,30}?\b(?:has|holds|with)\s+nothing(?:\s+at\s+all)?\s+on\s+it\b|\b(?:disk|drive|one)\s+(?:that'?s|that is|which is)\s+(?:still\s+)?empty\b"
);
pattern!(
    NATIONALITY_SAID,
    r"^(?:i'?m|i am|we'?re|we are)\s+(?:an?\s+)?[a-z]+$"
);
pattern!(
    RESIDENCE,
    r"^(?:i|we)\s+(?:live|reside|am living|are living|'m living|'re living|am based|are based|am located|are located|work)\b|^(?:i'?m|we'?re|i am|we are)\s+(?:in|from|near|based|located|living)\b"
);
pattern!(
    PART_END,
    r"(?i)^(?:efi|esp|root|home|swap|boot|/[a-z][\w/]*|ext4|btrfs|xfs|vfat|fat32|encrypted|luks)$"
);
pattern!(
    PART_START,
    r"(?i)^(?:\d+(?:\.\d+)?\s*[kmgt]i?b?|\d+%|rest|remainder|efi|esp|root|home|swap|boot|/[a-z][\w/]*|the)$"
);
pattern!(
    PAREN_SAYS_NOTHING,
    r"(?i)\s*\((?:already exists|exists already|existing|already there|it exists|he exists|she exists|optional|if possible)\)"
);
pattern!(
    UNDO_LAST,
    r"(?i)\b(?:scratch|cancel|forget|drop|undo|take back)\s+(?:that|the)\s+(?:very\s+)?(?:last|previous)(?:\s+(?:one|thing|step|change|bit))?\b"
);
// "(sudo)" after a word that already says it ("an admin (sudo)"): nothing more.
pattern!(
    PAREN_RIGHTS_REPEATED,
    r"(?i)\b(admin|administrator|sudoer|superuser)\s*\((?:admin|administrator|sudo|with sudo|sudoer|root rights|admin rights)\)"
);
pattern!(
    PAREN_RIGHTS,
    r"(?i)\s*\((?:admin|administrator|sudo|with sudo|sudoer|root rights|admin rights)\)"
);
pattern!(
    PAREN_NO_RIGHTS,
    r"(?i)\s*\((?:no sudo|no admin|not admin|without sudo|normal user|standard user|regular user|no rights)\)"
);
pattern!(PAREN_CLAUSE, r"\s*\(([^()]*\s[^()]*)\)");
pattern!(
    USERS_COLON,
    r"(?i)\b((?:create|add|make|new)\s+(?:\w+\s+)?(?:users|accounts|logins))\s*:\s*"
);
pattern!(TIME_ABBREVIATED, r"(?i)\btime\s*\(\s*[a-z]{2,5}\s*\)");
pattern!(
    KEEP_TABLE,
    r"(?i)\b(?:keep|keeping|stick with|stay with)\s+(?:an?|the)\s+((?:msdos|mbr|dos|gpt)\s+(?:partition\s+)?table)"
);
pattern!(
    FLAG_ADDED,
    r"(?i)\b(?:add|append|pass|use)\s+(?:nomodeset|noapic|nolapic|nosplash|noacpi|acpi=off|nouveau\.modeset=0)\b"
);
// "english (south africa)": a word, then words in parentheses.
pattern!(
    WORD_PAREN,
    r"(?P<w>[\p{L}]+)\s*\((?P<c>[\p{L} ._'-]{2,40})\)"
);
// "Spanish please, I'm from Mexico": the language, and where the speaker is from.
pattern!(
    LANGUAGE_THEN_ORIGIN,
    r"(?i)\b(?P<w>\p{L}+)(?:\s+(?:please|pls|thanks))?\s*[,.;]?\s*(?:i'?m|i am|we'?re|we are)\s+from\s+(?P<c>\p{L}+(?:\s+\p{L}+)?)\b"
);
pattern!(PLUS_SUDO, r"(?i)(\w)\+(?:sudo|admin)\b");
// "add to group adm", "groups: wheel": for the user just named.
// "ops in wheel", "sam in groups: audio", "groups for sam: audio": a list's member line.
pattern!(
    MEMBER_LINE,
    r"^(?:user\s+)?(?P<u>[a-z_][a-z0-9_-]*)\s+(?:in|into)\s+(?:the\s+)?(?P<said>groups?\s*:?\s*)?(?P<g>[a-z_][a-z0-9_-]*)(?P<after>\s+groups?)?$|^groups?\s+(?:for|of)\s+(?:user\s+)?(?P<u2>[a-z_][a-z0-9_-]*)\s*:?\s+(?P<g2>[a-z_][a-z0-9_-]*)$"
);
pattern!(
    GROUP_NO_USER,
    r"^(?:(?:add|put)\s+(?:him|her|them|it\s+)?(?:to|in|into)\s+(?:the\s+)?(?:groups?\s+)?(?P<g>[a-z_][a-z0-9_-]*)(?:\s+group)?|(?:and\s+|also\s+)?(?:to|in|into)\s+(?:the\s+)?(?P<j>[a-z_][a-z0-9_-]*)\s+groups?|(?:and\s+|also\s+)?(?:to|in|into)\s+(?:the\s+)?groups?\s+(?P<k>[a-z_][a-z0-9_-]*)|groups?\s*:?\s+(?P<h>[a-z_][a-z0-9_-]*)|(?:the\s+)?(?P<i>[a-z_][a-z0-9_-]*)\s+groups?)$"
);
// "create users alice and bob": the next name is another user.
pattern!(
    MORE_USER,
    r"^(?:user\s+)?(?P<v>[a-z_][a-z0-9_-]*)(?:\s+(?P<m>with sudo|with admin|as admin|without sudo|no sudo|too))?$"
);
// "default layout": the planner's own, nothing to add.
pattern!(
    DEFAULTS,
    r"^(?:with\s+|use\s+|using\s+)?(?:the\s+)?defaults?(?:\s+(?:layout|partitioning|partitions|scheme|settings|options))?$"
);
pattern!(USERS_PLURAL, r"\b(?:users|accounts)\b");
// "create users deploy and admin": after the plural, "admin" is the second login.
pattern!(
    USERS_AND_ADMIN,
    r"(?i)\b(?P<l>(?:create|add|make|set up)\s+(?:the\s+)?(?:two\s+)?(?:users|accounts|logins)\s*:?\s+[a-z_][a-z0-9_-]*(?:\s*,\s*[a-z_][a-z0-9_-]*)*,?\s+(?:and|&)\s+)(?P<n>admin|administrator)\b"
);
// "admin with sudo", "admin gets sudo": rights for the account named admin.
pattern!(
    ADMIN_NAMED_RIGHTS,
    r"^(?P<n>admin|administrator)\s+(?:with|gets|should get|needs|has|should have|can have)\s+(?:sudo|admin\w*|root|superuser)(?:\s+(?:rights|access|privileges))?$"
);
// "german language but keep the us keyboard": a second setting after "but".
pattern!(
    BUT_SETTING,
    r"(?i)\bbut\s+((?:keep|leave|use|set|make|put)\s+(?:the\s+|my\s+|a\s+|an\s+)?(?:[\w-]+\s+)?(?:keyboard|layout|keymap|language|locale|time ?zone|clock|hostname))\b"
);
// "I live in New York so set the time accordingly": "so" before a request ends what came
// before ("so far", "so windows still works" stay).
pattern!(
    SO_THEN,
    r"(?i)\s+so\s+((?:please\s+)?(?:set|make|use|give|put|change|switch|install|add|create|configure)\b)"
);
pattern!(
    KEY_IS,
    r"(?i)\b(?:hostname|host|tz|timezone|time ?zone|kbd|keyboard|keymap|locale|lang|language|user|username|sudo|disk)\s*="
);
pattern!(
    COLON_VERB,
    r"(?i)\b((?:files|data|stuff|things|this|that|it|here|simple|please|so|ok|okay|now|first|plan|idea|want|like|need|setup|set-up|machine|computer|pc|laptop|box|server|vm|desktop|plan|time|step|steps|job|task|request|todo|config|situation))\s*:\s+(mount|install|use|format|create|add|set|make|put|wipe|erase|give|copy|show|list)\b"
);
pattern!(
    INLINE_DEAD_KEYS,
    r"(?i)\s+(?:but\s+)?(?:without|with no|no)\s+(?:the\s+|any\s+)?dead\s*keys\b"
);
pattern!(
    ENCRYPT_BOTH,
    r"(?i)\b(encrypt\w*|luks)\s+(?:on\s+|for\s+)?(?:both\s+|everything\s*,?\s*|all\s*,?\s*|all of it\s*,?\s*)?(?:the\s+)?(root|home|swap|/[\w/]*)\s+(?:and|&)\s+(?:the\s+)?(root|home|swap|/[\w/]*)\b"
);
// "root and home both encrypted": the same, said after.
pattern!(
    BOTH_ENCRYPTED,
    r"(?i)\b(?:the\s+)?(root|home|swap|/[\w/]*)\s+(?:and|&)\s+(?:the\s+)?(root|home|swap|/[\w/]*)\s+(?:both\s+)?(?:(?:should|must|will)\s+(?:both\s+)?be\s+|are\s+(?:both\s+)?)?(encrypted|luks)\b"
);
pattern!(
    REUSE,
    r"\b(?:reuse|re-use|existing|current|already there)\b"
);
pattern!(
    THE_USER_IS,
    r"^(?:the\s+|my\s+|his\s+|her\s+|their\s+)?(?:[a-z]+'s\s+)?(?:own\s+)?(?:user|username|user name|login|account)\s+(?:is|=|:|should be|will be|shall be|must be|is going to be|is gonna be|'ll be|would be|should be called|will be called|is called|should be named|can be called)\s+(?P<v>[a-z0-9_][a-z0-9_-]*)$|^(?:and\s+)?(?:put|add|set|sign|register|enter)\s+(?:me|myself)\s+(?:in\s+|up\s+|down\s+)?as\s+(?:the\s+)?(?:user|username|user name|login|account)\s+(?P<w>[a-z0-9_][a-z0-9_-]*)(?:\s+(?:with|without)\s+(?:sudo|admin rights|admin|rights|administrator rights))?$"
);
pattern!(
    ONTO_DISK_WORDS,
    r"^(?:the\s+|my\s+|that\s+|this\s+)?(?:\w+\s+){1,3}?(?:disk|drive|ssd|hdd|nvme|hard drive|hard disk|stick|card|emmc)\b|^(?:the\s+)?(?:ssd|hdd|nvme|usb|emmc|sd card)\b|^(?:the\s+|my\s+|this\s+)?(?:internal|built-?in|onboard|on-?board|main)\s+(?:storage|memory|flash)\b|^(?:the\s+)?(?:first|second|third|last|1st|2nd|3rd|bigger|smaller|larger|biggest|smallest|empty)\s+one\b"
);
// Kernel parameters ("console=ttyS0,115200", "quiet"): a `key=value` token, or a bare flag
// after words about the kernel's command line.
pattern!(
    KERNEL_PARAM,
    r"(?i)(?:^|\s)(?P<p>[a-z_][a-z0-9_.-]*=[^\s;]+)"
);
// "add quiet splash to the kernel options", "put nomodeset in the boot line", "I'd like
// quiet on the kernel command line", "bootloader with 'quiet splash' on the kernel
// command line": what is added.
pattern!(
    KERNEL_ADD,
    r"(?i)\b(?:add|adding|append|appending|put|putting|pass|passing|include|including|use|using|like|want|with)\s+(?P<flags>.+?)\s+(?:to|in|into|on)\s+(?:the\s+)?(?:kernel(?:'s)?(?:\s+(?:args|arguments|parameters|params|options|command\s*line|cmdline|line))?|boot\s+(?:parameters|params|options|line|command\s*line)|cmdline|command\s*line|grub(?:'s)?\s+(?:command\s*line|options|line))\b"
);
// "the bootloader to the EFI partition": the target is the ESP.
pattern!(
    TO_ESP,
    r"\b(?:to|on|onto|into|in)\s+(?:the\s+)?(?:efi|esp|uefi|efi system partition|efi partition|esp partition)\b|^(?:install\s+)?(?:the\s+)?(?:bootloader|boot loader|grub)\s+(?:efi|esp|uefi)$"
);
pattern!(PARAM_COMMA, r"(=[^\s,;]*),(\d)");
pattern!(AND_AND, r"&&");
// "unless I add nomodeset when booting": a well-known kernel flag named beside booting.
pattern!(
    BOOT_FLAG,
    r"(?i)\b(?P<f>nomodeset|noapic|nolapic|nosplash|acpi=off|noacpi|nouveau\.modeset=0|iommu=pt|intel_iommu=on|amd_iommu=on|mitigations=off)\b.*\b(?:boot\w*|kernel|grub|permanent\w*|command ?line|cmdline|start\w*)\b|\b(?:boot\w*|kernel|grub|command ?line|cmdline)\b.*\b(?P<g>nomodeset|noapic|nolapic|nosplash|acpi=off|noacpi|nouveau\.modeset=0|iommu=pt|intel_iommu=on|amd_iommu=on|mitigations=off)\b"
);
// "its console to ttyS0 at 115200 baud": the kernel's serial console.
pattern!(
    SERIAL_CONSOLE,
    r"(?i)(?:\bconsole\b.*?)?\b(?P<tty>ttyS\d{1,2})\b(?:.*?\b(?P<baud>9600|19200|38400|57600|115200)\b)?"
);
pattern!(
    KERNEL_FLAGS,
    r"(?i)\b(?:kernel (?:args?|arguments?|parameters?|params?|options?|command line|cmdline)|cmdline|boot (?:parameters?|options?)|to (?:the )?kernel(?: command line| cmdline)?)\b"
);
pattern!(
    FS_TARGET,
    r"\b(?:as|to|with|into|using|in)\s+(?:an?\s+)?(?P<f>[a-z0-9]+)\b(?:\s+(?:filesystem|fs))?\s*$"
);
pattern!(
    MOUNT_AND_ANOTHER,
    r"(?i)\b(mount\s+[^.;,:]*?\s(?:at|on|to)\s+/[\w/.-]*)\s*(?:,\s*and|,|and|\+|&)\s+((?:the|my|our|its|that)\s+[^.;,:]*?\s(?:at|on|to)\s+/)"
);
pattern!(
    FORMAT_MAKE_IT,
    r"(?i)\b((?:re)?format\w*\s[^.;:]*?)(?:,\s*and|,|;|\s+and)\s+(?:then\s+)?(?:make|use)\s+it\s+(?:as\s+)?(?:the\s+|my\s+)?(root|home|/[\w/.-]*)(?:\s+partition|\s+filesystem|\s+fs)?\b"
);
// What was asked or planned before, told ("earlier I told you to split the Samsung", "my
// first idea was to put it all on the WD"): a story, nothing asked now.
pattern!(
    ASKED_BEFORE,
    r"^(?:(?:so|and|but|well|ok|okay)[,]?\s+)*(?:(?:earlier|before|previously|yesterday|last time|a (?:minute|moment|while) ago|just now|at first|first)(?:\s+(?:in|on|during)\s+(?:this|the)\s+\w+)?[,]?\s+)?(?:i|we)\s+(?:already\s+|first\s+|originally\s+)?(?:told|asked)\s+you\s+to\b|^(?:(?:so|and|but|well)[,]?\s+)*(?:my|our|the)\s+(?:original|first|initial|old|earlier)\s+(?:idea|plan|thought)\s+(?:was|had been)\b"
);
// "keep the ubuntu partition but the rest of that disk can be overwritten".
pattern!(
    KEEP_ONE_WIPE_REST,
    r"\b(?:keep|leave|spare|preserve)\b.*\bpartition\b.*\b(?:rest|remainder|everything else|all else|other partitions)\b.*\b(?:wipe|wiped|erase|erased|overwrite|overwritten|delete|deleted|remove|removed|format|formatted|go|goes)\b|\b(?:keep|leave|spare|preserve)\b.*\bpartition\b.*\b(?:wipe|erase|overwrite|delete|remove|format)\s+(?:the\s+)?(?:rest|remainder|everything else|other partitions)\b"
);
// "The empty 128 GB disk is the target": that disk is to be used.
pattern!(
    DISK_IS_TARGET,
    r"(?i)(^|[.;!?]\s+|,\s+|:\s+)(?:the|my|our)\s+([^.;,:]+?)\s+(?:is|will be|should be)\s+(?:the|my|our)\s+(?:install(?:ation)?\s+|new\s+)?(?:target|destination)\b"
);
// "I'm replacing that with this system": what replaces is the system installed, no disk.
pattern!(
    REPLACED_WITH_THIS,
    r"(?i)\b(replac\w*\s+[^.;,:]*?)\s+with\s+(?:this|the new|your|levitate\w*)(?:\s+(?:system|distro|os|linux|one|install\w*))?\b"
);
// Progress reported as a list ("the disks, boot loader, users and host name are all done
// for this VM", "all the settings are in: disk, user, host name"): everything is done.
pattern!(
    PROGRESS_LIST,
    r"(?i)(^|[.;!?]\s+)(?:(?:the\s+)?(?:disks?|partitions?|partitioning|boot ?loader|grub|users?|accounts?|host ?name|time ?zone|locale|language|keyboard|passwords?|layout|copy)(?:\s*,\s*(?:the\s+)?[\w ]{2,20}?)*\s*,?\s+(?:and|&)\s+(?:the\s+)?[\w ]{2,20}?\s+(?:are|have been)\s+(?:all\s+)?(?:done|set|sorted|configured|ready|finished|in place|taken care of)(?:\s+(?:for|on)\s+(?:this|the|my|our)\s+[\w ]+)?|(?:all\s+)?(?:the|my)\s+settings(?:\s+for\s+(?:this|the|my)\s+[\w ]+?)?\s+are\s+(?:all\s+)?(?:in|done|set)\b(?::[^.;!?]*)?)"
);
// "the Ubuntu on this machine was put there by a friend years ago": what someone did, told.
pattern!(
    DONE_BY_SOMEONE,
    r"\b(?:was|were|got|had been)\s+(?:put|installed|set up|placed|made|created|added|done|partitioned|formatted)\s+(?:there\s+|on (?:it|there|here)\s+|here\s+)?(?:by\s+(?:a|an|my|our|the|his|her|their|some)\b|(?:\w+\s+)?(?:years|months|weeks|ages|a while|long) ago\b)"
);
// "my nephew put the Samsung drive in this machine", "I fitted the SSD myself": hardware
// put into the machine, told; no request to install onto it.
pattern!(
    HARDWARE_FITTED,
    r"\b(?:put|installed|fitted|plugged|added|stuck|popped|slotted|swapped)\s+(?:(?:the|a|an|this|that|my|our|his|her|these|those|two|both|another|a\s+new|a\s+second)\s+)(?:[\w-]+\s+){0,3}?(?:drives?|disks?|ssds?|hdds?|nvmes?|m\.2|cards?|sticks?|ram|memory)\s+(?:in|into|inside)(?:\s+(?:(?:this|the|my|our|his|her|that|your)\s+(?:machine|pc|computer|laptop|box|case|server|tower|desktop|slot|bay|mac|mini)|(?:my|him|her|them|our)sel(?:f|ves)|for\s+(?:me|us|him|her|them)))*\s*(?:(?:last|this|yesterday|earlier|recently|a\s+(?:week|month|year)\s+ago)\b.*)?$|\b(?:put|installed|fitted|plugged|added|swapped)\s+(?:it|them|the\s+\w+)\s+in\s+(?:my|him|her|them|our)sel(?:f|ves)\b"
);
// "I partitioned the Samsung earlier in this session", "we already set up the disks": a step
// told as done, no request to do it again (nor is what goes on with it after "and").
pattern!(
    DONE_EARLIER,
    r"^(?:(?:earlier|before|yesterday|last\s+time|previously|a\s+(?:minute|moment|while)\s+ago)[,]?\s+(?:i|we)\s+(?:asked|told|wanted)\s+(?:you\s+)?to|(?:i|we)\s+(?:asked|told)\s+you\s+(?:earlier|before|already)\s+to)\b|^(?:(?:so|and|but|well|ok|okay|now)[,]?\s+)*(?:i|we)\s+(?:(?:have|'ve|had|'d)\s+)?(?:(?:already|just)\s+(?:partitioned|formatted|encrypted|wiped|erased|set\s+up|installed|configured|created|made|mounted|laid\s+out|did|done)\b|(?:partitioned|formatted|encrypted|wiped|erased|set\s+up|installed|configured|created|made|mounted|laid\s+out|did|done)\b[^.;!?]*?\b(?:earlier|already|before|yesterday|previously|beforehand|a\s+(?:minute|moment|while|bit)\s+ago|in\s+this\s+session|last\s+time)\b)"
);
// "with quiet splash on the kernel command line": parameters added there.
pattern!(
    WITH_ON_KERNEL_LINE,
    r"(?i)\bwith\s+([\w=.,:/+-]+(?:\s+[\w=.,:/+-]+){0,5}?)\s+(?:on|in)\s+the\s+kernel(?:'s)?(?:\s+command)?[\s-]*line\b"
);
// "add me to the libvirt group for virtual machines": what the group is for says nothing.
pattern!(
    GROUP_PURPOSE,
    r"(?i)\b((?:add|put|include)\s+\S+\s+(?:to|in|into)\s+(?:the\s+)?[\w-]+\s+group)\s+(?:for|so|because|since|as)\b[^.;,]*"
);
// "an account named mira that's allowed to install software": an administrator.
pattern!(
    MAY_INSTALL_SOFTWARE,
    r"(?i)\b((?:account|user|login)(?:\s+(?:named|called))?\s+[a-z_][\w-]*)\s+(?:that|who|which)(?:'s|\s+is|\s+can|\s+may)?\s+(?:(?:allowed|able|permitted)\s+to\s+)?install\s+(?:software|programs|apps|applications|packages|things|stuff)\b"
);
// "this VM is listed as ci-runner-03, so use that as its host name": the name said.
pattern!(
    LISTED_AS_NAME,
    r"(?i)\b(?:listed|known|registered|recorded|tagged|labelled|labeled|named)\s+as\s+([a-z0-9][\w.-]*[a-z0-9])\b[^.;]*?\b(?:use|take|make|set|keep)\s+(?:that|it|this|the same)\s+(?:as|for)\s+(?:its|the|my|our|his|her|their)\s+(?:host ?name|machine name|computer name)\b"
);
// "French as used in Canada": the language where it is spoken.
pattern!(
    LANGUAGE_AS_IN,
    r"(?i)\b([a-zà-ÿ]+)\s+(?:as|the\s+way|like|how)\s+(?:it\s+is\s+|it's\s+|it\s+gets\s+|they\s+)?(?:used|spoken|written|speak\s+it|write\s+it|use\s+it|they speak it)\s+in\s+([a-zà-ÿ]+(?:\s+[a-zà-ÿ]+)?)\b"
);
// "Montréal's time zone": the zone of that place.
pattern!(
    PLACES_ZONE,
    r"\b([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?)(?:'s|’s)\s+(?:local\s+)?(?:time ?zone|timezone|Time ?Zone)\b"
);
// "my whole family uses this computer": a whole that is no disk.
pattern!(
    WHOLE_PEOPLE,
    r"(?i)\b(the|my|our|his|her|their|a)\s+whole\s+(family|household|house|team|office|class|classroom|company|school|department|group|world|life|day|week|month|year|time|weekend|evening|night|lab|staff)\b"
);
// "with all of our movies and series on it": one list of what is there, one clause.
pattern!(
    HOLDS_A_AND_B,
    r"(?i)\b(with\s+(?:all\s+)?(?:of\s+)?(?:my|our|his|her|their|the)\s+[\w-]+)\s+and\s+([\w-]+(?:\s+[\w-]+)?\s+(?:on|in)\s+(?:it|there))\b"
);
// "on the other hand": a turn of phrase, no other disk.
pattern!(OTHER_HAND, r"(?i),?\s*\bon the other hand\b,?");
// "I'd rather not mess with it": it is left alone.
pattern!(
    RATHER_NOT,
    r"(?i)\b(?:i'?d|i would|we'?d|we would)\s+rather\s+(?:not|never)\s+(?:mess with|touch|wipe|erase|lose|change|risk|break|overwrite|format|fiddle with|mess up)\b"
);
// "I'd like to keep Windows on the eMMC": keeping, not asking for a disk.
pattern!(
    LIKE_TO_KEEP,
    r"(?i)\b(?:i'?d like to|i would like to|i want to|i wanna|we'?d like to|we want to|i'?d rather|i need to)\s+(keep|leave|preserve|spare)\b"
);
// "there's around 23 GB of unallocated space": how much is free says which disk only by
// being free, never as a disk's size.
pattern!(
    FREE_SPACE_SIZE,
    r"(?i)\b(?:(?:around|about|roughly|approximately|approx\.?|some|~)\s*)?\d+(?:[.,]\d+)?\s*(?:gb|gib|g|gigs?|gigabytes?|tb|tib|t|terabytes?|mb|mib|m)\s+(?:of\s+)?((?:unallocated|free|unused|empty|spare|unpartitioned)(?:\s+disk)?\s+space)\b"
);
// "make the card with the photos appear at /home/ana/Pictures": mounted there.
pattern!(
    APPEAR_AT,
    r"(?i)\b(?:make|have|let|get)\s+((?:the|my|our|her|his|their)\s+[^.;:,]+?)\s+(?:appear|show up|be available|be accessible|be visible|available|accessible|visible)\s+(?:at|in|under|on|as)\s+(/[\w/.-]*)"
);
// "format the 1G one as ext4 for /boot": formatted, then mounted there.
pattern!(
    FORMAT_FOR_PATH,
    r"(?i)\b((?:re)?format\w*\s[^.;:,]*?\s(?:as|to|with)\s+(?:plain\s+)?(?:ext4|btrfs|xfs|vfat|fat32))\s+(?:for|at|on)\s+(/[\w/.-]*)"
);
// ("attach the media partition at /srv/media": attached where it is mounted.)
// ("put the existing ESP at /boot/efi": a partition there, put at its place.)
pattern!(
    MOUNT,
    r"\bmount\b|\battach\b.*\s(?:at|on|under)\s+/|\b(?:put|reuse)\s+(?:(?:the|my|its)\s+(?:existing|old|current)\s+[\w-]+(?:\s+partition)?|(?:the\s+|my\s+|its\s+)?(?:existing\s+)?(?:efi|esp)(?:\s+partition)?)\s+(?:at|under)\s+/"
);
pattern!(
    MOUNT_TARGET,
    r"\b(?:at|on|to|as|for|under|in|mount ?point:?|mounted)\s+(?:the\s+)?(?P<m>/[a-z0-9/._-]*)"
);
pattern!(USE_AS, r"\b(use|using|reuse|keep|take)\b");
// "use as Ext4 journaling file system", "use it as swap area": the filesystem after "as".
pattern!(
    FS_AFTER_AS,
    r"\bas\s+(?:an?\s+)?(?P<f>ext4|btrfs|xfs|vfat|fat32|fat|swap)\b"
);
// "can you install ms office?": a program asked for as a question.
pattern!(
    ASKED_TO_INSTALL,
    r"^(?:(?:can|could|would|will)\s+you\s+(?:also\s+)?(?:please\s+)?|can\s+i\s+(?:also\s+)?(?:get|have)\s+you\s+)install\s+\S"
);
pattern!(
    WITH_THE_BOOTLOADER,
    r"(?i)(?P<i>\binstall(?:\s+(?:it|linux|the\s+system))?\s+(?:on|onto|to)\s+(?:the\s+)?(?:[\w./-]+\s+){0,2}?[\w./-]+)\s+with\s+(?P<b>the\s+|a\s+)?(?:boot\s?loader|grub)\b"
);
// "Install plan:", "installation notes", "setup checklist": a heading over a list.
pattern!(
    INSTALL_HEADING,
    r"^(?:my\s+|the\s+|our\s+)?(?:install(?:ation|er)?|setup|set\s?up|re-?install)\s+(?:plan|plans|notes|steps|checklist|list|settings|options|config|configuration|details|summary|instructions|todo|to-do|preferences|specs?|requirements|info|overview|procedure|guide|choices)\b"
);
pattern!(
    INSTALL_PACKAGE,
    r"^(?:please\s+)?(?:install|add|i want|i need|give me|get)\s+(?P<v>.+)$"
);
pattern!(
    DISK_WORDS,
    r"\b(replac\w*\s+(?:it|them|(?:that|this)(?:\s+(?:install\w*|system|os|one|linux))?|(?:the|my)\s+(?:(?:old|existing|previous|current)\s+)?(?:install|installation|system|os))(?:\s+with\b|$|\s+(?:that'?s|that is|which is|on)\b)|disks?|drives?|ssds?|hdds?|nvme\w*|e?mmc|(?:micro ?)?sd ?cards?|memory cards?|usb sticks?|memory sticks?|thumb ?drives?|pen ?drives?|flash drives?|partitions?|partitioning|encrypt\w*|unencrypted|luks|fde|swap|home|root|ext4|btrfs|xfs|whole|entire|wipe|erase|nuke|dual[ -]?boot|alongside|windows|mbr|gpt|msdos|install (?:(?:it|this|that|linux|levitate\w*|the (?:system|os|new system))\s+)?(on|onto|to|into|over)|use the|sd[a-z]|vd[a-z]|hd[a-z]|mmcblk\d+|hard ?drive|hard ?disk|storage|rest|remainder|remaining|leftover|efi|esp|boot partition|linux|ubuntu|debian|fedora|mint|manjaro|opensuse|arch linux|pop os|(default|guided|automatic|recommended|suggested) (layout|partitioning))\b|/dev/|(^|\s)/(boot|home|efi|boot/efi)?(\s|$)|\b(faster|slower|bigger|smaller|larger|quicker)\s+(of|one of)\s+(the|my|our|both)\b|(^|\s)/[a-z][\w/-]*\s+(\d+(\.\d+)?\s*([kmgt]i?b?|gigs?|gigabytes?|megs?|megabytes?|terabytes?)\b|\d+\s*%|rest\b|remainder\b|the rest\b|ext4\b|xfs\b|btrfs\b|on\s+(ext4|xfs|btrfs)\b)|(\b\d+(\.\d+)?\s*([kmgt]i?b?|gigs?|gigabytes?|megs?|megabytes?|terabytes?)\b|\d+\s*%)\s+(for\s+|as\s+|of\s+|to\s+)?(the\s+)?/[a-z]|(\b\d+(\.\d+)?\s*([kmgt]i?b?|gigs?|gigabytes?|megs?|megabytes?|terabytes?)\b|\d+\s*%)\s+(for|to)\s+(the\s+)?(system|os)\b"
);
pattern!(
    DEVICE,
    r"/dev/(?P<p>[a-z0-9]+)|\b(?P<d>(?:sd|vd|xvd)[a-z]{1,2}\d*|nvme\d+n\d+(?:p\d+)?|mmcblk\d+(?:p\d+)?)\b"
);
pattern!(ENCRYPT, r"\b(encrypt\w*|luks\d?|fde|crypt)\b");
// Words that erase the disk. "everything" only as what is used or goes ("use everything",
// "everything on it can go", a layout's "everything else for root"): "encrypt everything",
// "ext4 for everything" and "everything on one disk" erase nothing.
pattern!(
    WIPE_TRUE,
    r"\b(whole|entire|entirely|complete|all of|get rid of (?:\w+ )?entirely|take over|erase|wipe|nuke|(?:use|take(?:\s+over)?)\s+everything|everything\s+else|everything\s+(?:except|but|apart from|besides|other than)\s+(?:\S+\s+){1,3}?(?:can|may|should|will|could)\s+go\b|everything\s+(?:(?:on|in)\s+(?:it|there|the\s+\w+)\s+)?(?:goes|can go|must go|has to go|may go|gets?\s+(?:wiped|erased|deleted|nuked|replaced))|clean|overwrite|replace|instead of|full (?:disk|drive)|(?:delete|remove|format)\s+(?:all|everything)|blow (?:away|it away|(?:it|them|the \w+|\w+) away)|zap|trash|obliterate|get rid of|replacing|clear(?:\s+(?:out|off))?\s+(?:the|it|my|that|this|everything|all)|from scratch|clean slate|start (?:over|fresh|afresh)|fresh start)\b"
);
// "the efi partition next to it goes at /boot/efi": an existing partition, mounted.
pattern!(
    PARTITION_GOES_AT,
    r"(?i)\b(?P<p>the\s+(?:[\w-]+\s+){0,3}partition(?:\s+(?:next to it|beside it|on\s+(?:that\s+|the\s+)?(?:same\s+)?[\w-]+))?)\s+(?:goes|go|should go|will go|can go|gets mounted|is mounted|should be mounted)\s+(?:at|on|to|under|in)\s+(?P<m>/[\w/.-]*)"
);
// "next to it", "on that same drive", "on the same disk": the disk of the partition named
// before.
pattern!(
    SAME_DISK,
    r"\s+(?:next to it|beside it|alongside it|(?:on|of|from)\s+(?:that|the|this)\s+same\s+(?:disk|drive|ssd|one)|(?:on|of|from)\s+the\s+same\s+(?:disk|drive|ssd|one)|on\s+that\s+(?:disk|drive|ssd))\b\s*"
);
// "I think the usb one is already in use as swap": a hedge before what is said, which
// says the same without it.
pattern!(
    I_THINK,
    r"(?i)(?P<s>^|[.!?;,:]\s*|\b(?:and|but|so)\s+)(?:i\s+(?:think|believe|guess|suppose|reckon)|i'?m\s+(?:pretty\s+|fairly\s+|quite\s+)?sure|pretty\s+sure)(?:\s+that)?\s+(?P<w>the|it|it's|its|that|this|my|our|there)\b"
);
// "stripe them together": RAID 0 over the disks just named ("merge both drives into one
// volume" is LVM's words, read as such elsewhere).
pattern!(
    STRIPED,
    r"(?i)\bstrip(?:e|ed|ing)\s+(?:them|those|these|both)\b"
);
// "put /home on it next to root": a part of the layout beside another, not the install
// beside what the disk holds.
pattern!(
    BESIDE_A_PART,
    r"(?i)\b(?:next to|beside|alongside)\s+(?P<p>(?:the\s+)?(?:root|/)(?:\s+(?:partition|filesystem|fs|volume))?)(?P<e>\s|$|[,.;)])"
);
pattern!(
    WIPE_FALSE,
    r"\b(alongside|dual[ -]?boot|next to|beside|(?:install\w*|put|go|goes|linux|it)\s+besides|keep (windows|my|the existing|existing|everything|linux|ubuntu|debian|fedora|mint|arch)|free space|empty space|unallocated|without (erasing|wiping|deleting|losing|touching))\b"
);
// "don't put it on the sd card", "I don't want it on the samsung", "make sure it doesn't go
// on sdb", "don't use the wd", "nothing goes on the hdd": the disk named is the one to leave, never the one to use.
macro_rules! negated_place {
    () => {
        r"(don'?t|dont|do not|never|not|without|won'?t|will not|wouldn'?t|would not|doesn'?t|does not|shouldn'?t|should not|mustn'?t|must not|hate to|avoid)\s+(want\s+(to\s+)?|accidentally\s+|ever\s+)?(put\w*|install\w*|plac\w*|go\w*|end\w* up|land\w*|write\w*|wind up)\s+((it|linux|levitate\w*|anything|this|that|the\s+(new\s+)?(system|os|install\w*))\s+)?(on|onto|to|into|near)\s+(the|my|this|that|/dev/|(sd|vd|hd)[a-z]\b|nvme|mmcblk)|(don'?t|dont|do not|never)\s+want\s+(it|linux|levitate\w*|the\s+(new\s+)?(system|os|install\w*))\s+(on|near|anywhere near)\s|(don'?t|dont|do not|never|won'?t|shouldn'?t)\s+use\s+(the|my|that|this)\s+((\w+\s+)?(samsung|wd|crucial|seagate|kingston|sandisk|toshiba|intel|hynix|micron|hitachi|hgst|transcend)|(other\s+|second\s+|first\s+|small\w*\s+|big\w*\s+|old\w*\s+|new\w*\s+|external\s+|internal\s+|usb\s+|sd\s+|sata\s+|spinning\s+)?(disk|drive|ssd|hdd|nvme|card|stick))\b|(don'?t|dont|do not|never)\s+use\s+(/dev/)?((sd|vd|hd)[a-z]|nvme\d\w*|mmcblk\d\w*)\b|(stay|keep)\s+away\s+from|nothing\s+(should\s+|will\s+|is\s+to\s+|must\s+|can\s+|may\s+)?(go|goes|gets?\s+(put|installed|written)|lands?|be\s+(put|installed|written))\s+(on|onto|to|into)\s+(the|my|this|that|/dev/|(sd|vd|hd)[a-z]\b|nvme|mmcblk)"
    };
}
// A destructive verb under a negation: "don't touch windows", "do not wipe the samsung",
// "never erase my data". Formatting is left to NO_FORMAT ("no need to format"). One text,
// used alone and inside KEEP.
macro_rules! negated_erase {
    () => {
        concat!(
            r#"(don'?t|dont|do not|never|not|no|avoid|without|won'?t|will not|wouldn'?t|would not|doesn'?t|does not|shouldn'?t|should not|mustn'?t|must not)\s+(\w+\s+){0,2}?(touch\w*|eras\w*|wip(e|es|ed|ing)|delet\w*|remov\w*|overwrit\w*|destroy\w*|los(e|ing)|replac\w*|repartition\w*|kill\w*|nuk\w*|mess(ing)? with|damag\w*|go (any ?where )?near)|(don'?t|dont|do not|never|won'?t|will not|wouldn'?t|would not|shouldn'?t|should not)\s+partition(ing)?\s+(it|them|that|this|the|my|any|anything|everything|(sd|vd|hd)[a-z]|nvme\w*)|"#,
            negated_place!()
        )
    };
}
// "don't format the ubuntu partition", "do not format it": a thing kept, where a bare
// "don't format" asks for partitions left unformatted.
macro_rules! format_kept {
    () => {
        r"(don'?t|dont|do not|never|not)\s+(re)?format\w*\s+(anything|that|this|(the|my|any|our)\s+\w+|(/dev/)?((sd|vd|hd|xvd)[a-z]|nvme\d+n\d+|mmcblk\d+)(p?\d+)?)|^(don'?t|dont|do not|never)\s+(re)?format\w*\s+(it|them)$|(don'?t|dont|do not|never|not)\s+want\s+(\w+\s+){0,4}?(re)?(formatted|erased|wiped|touched|deleted|overwritten|changed|lost)"
    };
}
// "wipe nothing", "erase nothing yet": the object negates.
macro_rules! erase_nothing {
    () => {
        r"(touch\w*|eras\w*|wip(e|es|ed|ing)|delet\w*|remov\w*|overwrit\w*|format\w*)\s+nothing"
    };
}
// "show me the disks before you erase anything": a condition, not a request.
macro_rules! before_erase {
    () => {
        r"before\s+(?:you|we|i|it)\s+(?:\w+\s+){0,2}?(?:eras\w*|wip(?:e|es|ed|ing)|delet\w*|format\w*|repartition\w*|overwrit\w*|touch\w*)(?:\s+(?:anything|everything|it|them|something))?"
    };
}
pattern!(
    NEGATED_ERASE,
    concat!(
        r"\b(",
        negated_erase!(),
        "|",
        erase_nothing!(),
        "|",
        before_erase!(),
        "|",
        format_kept!(),
        r")\b"
    )
);
// Words that keep what is on a disk: a negated erase, or keep/leave/preserve.
// "die 1-TB-Platte", "the 500-GB-SSD": a size joined to its noun.
pattern!(
    SIZE_COMPOUND,
    r"(?i)\b(?P<n>\d+(?:[.,]\d+)?)-(?P<u>tb|gb|tib|gib|t|g)-(?P<w>[a-z]+)\b"
);
// "(grub) in the MBR": the boot sector, not a partition table.
pattern!(
    IN_THE_MBR,
    r"^(?:and\s+)?(?:in|into|on|to|onto)\s+(?:the\s+)?mbr$|\b(?:grub|bootloader|boot loader)\b.*\b(?:in|into|on|to)\s+(?:the\s+)?mbr\b"
);
// "there's already swap on the Toshiba": what a disk holds now, said.
pattern!(
    ALREADY_HOLDS,
    r"\bthere(?:'s|s| is| are)\s+already\b|\balready\s+(?:has|have|holds|contains|got)\b"
);
// Verbs that ask for something done to a disk.
pattern!(
    ACT_VERB,
    r"\b(?:wipe|erase|format|use|put|install|make|create|add|give|partition|encrypt|take)\b"
);
// "put Levitate there with an encrypted btrfs root": the layout it goes into.
pattern!(
    WITH_LAYOUT,
    r"\bwith\s+(?:an?\s+)?(?:\w+\s+)?(?:encrypted|btrfs|ext4|xfs|separate|swap|luks)\b"
);
// "format sdc6 as ext4. no, leave it": what was just asked of a partition, taken back.
pattern!(
    LEAVE_IT,
    r"^(?:(?:hmm+|no|nope|wait|actually|ok|okay|oh|eh|ah|sorry)[,!.]*\s+)*(?:just\s+)?(?:leave|keep)\s+(?:it|that|that one|this one|the partition|it\s+alone)(?:\s+(?:alone|as is|as it is|be|intact|untouched|then))?$"
);
// "Time Machine backups and my photos live there": what a disk holds, said.
pattern!(
    LIVES_THERE,
    r"\b(?:live|lives|living|sit|sits|are|is|stay|stays|kept|stored)\s+(?:there|on (?:it|that|there|them))\b"
);
pattern!(
    KEEP,
    concat!(
        r"\b(",
        // ("the Samsung SSD stays an unencrypted scratch disk": what it is, kept.)
        r"stays?\s+(?:an?|the|my|our)\s+(?:[\w-]+\s+){0,3}?(?:disk|drive|ssd|hdd|one)|",
        // ("please don't put anything on it": nothing goes there.)
        r"(?:don'?t|do not|dont|never)\s+(?:put|install|write|store|place)\s+(?:anything|linux|the system|it|the new system)\s+(?:on|onto|to|in)\b|",
        negated_erase!(),
        r"|leave\s+(\w+\s+){0,4}?(alone|intact|as it is|as they are|untouched|be)|keep\s+(\w+\s+){1,4}?(as is|as it is|as they are|intact|alone|untouched|unchanged)|keep\s+(it|them)$|keep\s+(?:it|them|that|this|windows|ubuntu|debian|fedora|mint|arch|linux|macos)\s+(?:around|for now|for a while|for a few|for the time being|as a backup|as a fallback|just in case|until)\b|keep\s+(?:all\s+)?(?:the|my|its)\s+(?:\w+\s+){0,2}?partitions\b|keeping\s+(windows|ubuntu|debian|fedora|mint|arch|linux|my|the|it|that|this|everything)|keep\s+(?:on\s+)?(?:booting|using|running|starting)\s+(?:windows|ubuntu|debian|fedora|mint|arch|linux|macos|my|the|it|that|this)\b|nothing\s+(?:\w+\s+){0,4}?(?:may|must|should|can|is to|will)\s+be\s+(?:lost|erased|deleted|wiped|touched|overwritten)|(?:must|may|should|can)\s*(?:not|n'?t)\s+(?:be\s+)?(?:lost|erased|deleted|wiped|touched)|preserv\w*|spare\s+(?:it|them|the|my|our|that|this|those|these|windows|ubuntu|\w+'s|/dev/)|off[- ]limits|keep\s+(?:whatever|everything|anything|all|what)(?:'?s|\s+is)?\s+(?:already\s+)?(?:on|in)\s+(?:it|there|the \w+)|out of bounds|hands off|untouchable|not to be touched|(kept|left)\s+(exactly\s+|just\s+)?(as is|as it is|as it was|alone|intact|untouched|unchanged)|(stays?|remains?)(\s+(exactly\s+)?(as is|as it is|untouched|intact|alone|where it is))?$|(stays?|remains?|(is\s+)?(left|kept))\s+(empty|unused|blank)\b|(stays?|remains?)\s+(?:on|in)\s+(?:the\s+|my\s+|its\s+)?[\w/-]+(?:\s+(?:drive|disk|ssd|hdd))?(\s+(exactly\s+)?(as is|as it is|untouched|intact|alone|where it is))?$|",
        erase_nothing!(),
        "|",
        format_kept!(),
        r")\b"
    )
);
// A clause whose only intent word is "keep" ("keep windows"): it asks to keep, not to
// install.
// "... and both WD RAID disks alone": the tail of a clause that keeps, split from its
// "leave".
pattern!(
    KEPT_TAIL,
    r"\b(?:alone|untouched|intact|as (?:it|they) (?:is|are))\s*[.!]*$"
);
pattern!(
    KEEP_ONLY,
    r"^\W*(please\s+)?(keep|leave|preserve|spare)\b|\b(keep|leave)\s+(it|them|this|that)(\s+(as is|alone|please|too|also))?$|^(?:i'?ll|i will|i want to|i'?d like to|we'?ll|i need to|i have to)\s+keep\s+(?:on\s+)?(?:booting|using|running|starting)\b"
);
pattern!(
    NO_FORMAT,
    r"\b(partitions? only|only (create |make |write )?(the )?partitions?|without (re)?formatting|(don'?t|do not|no need to) (re)?format|no formatting|leave (them|it|the partitions) unformatted|(?:must|should|may|can|will)\s*(?:not|never|n'?t)\s+be\s+(?:re)?formatted|(?:is|are)\s+not\s+to\s+be\s+(?:re)?formatted|never\s+(?:re)?format)\b"
);
pattern!(
    NO_SWAP,
    r"\b(no|without|skip|don'?t (want|need)( a)?|do not (want|need))( a)? swap\b|\b(?:no|without|skip)\s+(?:a\s+|any\s+)swap\b|\b(?:don'?t|do not|won'?t|doesn'?t)\s+(?:want|need|use)\s+(?:a\s+|any\s+|the\s+)?swap\b|\bswap\s*[:=]?\s*(?:no|none|off)\b|\b(?:skip|scrap|drop|ditch|remove|omit|nix|cancel|lose)\s+(?:the\s+|a\s+|any\s+|that\s+)?swap\b|\b(?:don'?t|do not|no need to|never)\s+(?:create|make|add|set up|give (?:me|it)|put)\s+(?:a\s+|any\s+|the\s+)?(?:separate\s+|dedicated\s+)?swap\b"
);
pattern!(
    ORDINAL,
    r"\b(first|second|third|1st|2nd|3rd|last|other)\b\s*(disk|drive|one|ssd|hdd)?"
);
pattern!(
    EVERY_DISK,
    r"\b(every|each)\s+(the\s+)?(disks?|drives?)\b|\b(all|both)\s+(the\s+|my\s+)?(?:(?:\d+(?:\.\d+)?\s*(?:[gt]b?|gigs?|tera|gigabytes?|terabytes?)|\w+)\s+)?(disks|drives|ssds|hdds)\b|\b(?:erase|wipe|format|nuke|clear)\s+(?:the|my)\s+two\s+(?:\w+\s+){0,2}(?:disks|drives|ssds|hdds)\b"
);

pattern!(SIZE_TOKEN, r"^\d+(?:\.\d+)?(?:[TGM]|%)$");
// "20 percent", "25 %", "30pct": a share of the disk.
pattern!(
    PERCENT,
    r"\b(?P<n>\d{1,3})\s*(?:%|percent|per cent|pct)(?:\s+of\s+(?:the\s+)?(?:disk|drive|space))?"
);
pattern!(
    NO_ENCRYPT,
    r"\b(?:(?:should|must|would|could|is|are|was|were|wo|need|does|do)n'?t\s+(?:be\s+|need\s+|get\s+|have\s+|require\s+)?(?:\w+\s+)?(?:encrypt\w*|luks|fde))\b|\b(without|no|not|don'?t|do not|never|skip|disable|disabled|nor|nobody|no one|nothing|none)\b[^,;]*\b(encrypt\w*|luks|fde)\b|\bunencrypted\b|\b(encrypt\w*|luks)\s*[:=]?\s*(off|no|none|false|disabled|not needed)\b"
);
pattern!(ONLY, r"\b(only|just|solely)\b");
// "on second thought", "thinking about it more": a change of mind, said as one. ("second"
// would otherwise be a disk's position.)
pattern!(
    SECOND_THOUGHT,
    r"(?i)\b(?:on (?:second|further) thoughts?|(?:having |after )?thinking (?:about it|it over)(?: more| again)?|come to think of it|now that i think about it)\b"
);
// "never mind the user", "forget wifi", "scratch the timezone", "drop the sudo part": one
// kind of thing asked before in the request, taken back.
// "the separate /var", "own home partition": a partition of the layout, by its mount.
pattern!(
    MOUNT_TAKEN_BACK,
    r"^(?:(?:separate|own|extra|dedicated|additional|split)\s+)*(?P<m>/[a-z0-9_/-]+|home|var|tmp|opt|srv|swap)(?:\s+(?:partition|file|space|mount|volume|filesystem|fs|one|directory|dir))?$"
);
pattern!(
    RETRACT_KIND,
    r"^(?:(?:no|nope|actually|ok|okay|hmm+|ugh|uh|um|ah|wait|oh|so|or|and|but|then)[,!]?\s+)*(?P<verb>never ?mind|forget(?:\s+about)?|scratch|scrap|drop|skip|cancel|ditch|lose|leave out|ignore|no|not)\s+(?:(?:the|that|about|creating|making|adding|setting(?:\s+up)?|installing|any|an?)\s+)*(?P<k>[a-z0-9/][a-z0-9 /_-]*?)(?:\s+(?:part|bit|thing|idea|stuff|after all|then|for now|too|either|altogether|entirely|completely|at all|for (?:him|her|them)))*$"
);
// "don't give him sudo", "she's just a regular user": no rights for the user just named.
pattern!(
    NO_RIGHTS_AFTER_ALL,
    r"^(?:(?:no|nope|actually|ok|okay|hmm+|ugh|ah|wait)[,!]?\s+)*(?:(?:don'?t|do not)\s+(?:give|make|grant)\s+(?:him|her|them|\w+)\s+(?:sudo|admin|an admin|root|administrator|admin rights|sudo rights)|(?:he|she|they)\s*(?:'s|is|are|'re)\s+(?:just\s+|only\s+)?(?:a\s+)?(?:regular|normal|standard|ordinary|plain)\s+(?:user|account)s?)\b"
);
// A clause that tells what happened ("it deleted my printer drivers", "I tried this layout
// on my brother's laptop", "he said the same about Firefox in 2006"): a story, asking for
// nothing. A subject, then a verb in the past (or "I've had"); a decision ("we agreed on",
// "I decided to") is not a story, and see REQUEST_WORDS.
pattern!(
    NARRATIVE,
    r"^(?:(?:so|and|but|well|honestly|anyway|also|plus|okay|ok|oh|yeah|then|because|since|like)[,]?\s+)*(?:(?:the\s+)?(?:last|other|first)\s+time(?:\s+(?:on|in|with|around)\s+[\w.-]+)?[,]?\s+|(?:back then|once|previously|yesterday|last (?:week|month|year))[,]?\s+)?(?:(?:i|we|he|she|they|it|you)(?:\s+(?:\w+ly|never|once|just|also|even|still|always|finally|both|all|then|too|already|recently|previously|accidentally|once))?\s+(?:(?:was|were|had|did|took|got|gave|went|came|said|told|thought|knew|made|bought|built|broke|lost|ran|saw|found|sent|spent|paid|tried|wrote|drove|fell|grew|won|forgot|began|sat)\b|(?P<v>[a-z]{2,}ed)\b|(?:'ve|have|'d)\s+(?:never\s+|always\s+|just\s+|already\s+)?(?:had|been|lived|used|owned|seen|done|tried|lost|worked|spent)\b)|(?:my|our|his|her|their|the|this|that|a|an)\s+(?:[\w-]+\s+){0,3}?(?:(?:was|were|had|took|got|gave|sold|sent|bought|handed|went|came|said|told|broke|died|lost|crashed|failed|worked|survived|deleted|showed|ended|drove|stopped|started|happened|lasted|cost)\b)|(?:my|our|his|her|their|a|an)\s+(?:[\w-]+\s+){1,3}?(?:installed|reinstalled|wiped|erased|partitioned|formatted)\b|(?:i|we|they|you)(?:'ve|\s+have)\s+(?:never\s+|always\s+|just\s+|already\s+|not\s+)?(?:had|been|lived|used|owned|seen|done|tried|lost|worked|spent|wiped|installed|erased|run|played|copied|moved|backed|saved|taken|pulled|got|gotten)\b)"
);
// A clause that describes what is there or what someone does ("the HGST carries our ZFS
// pool", "which lives BitLocker-encrypted on the NVMe", "ansible does everything over SSH",
// "a pair of drives that form my mirror"): a subject, then a verb that tells. What it
// names is spoken of, not asked for (see REQUEST_WORDS for what makes it a request).
pattern!(
    DESCRIBES,
    r"^(?:(?:so|and|but|also|plus|because|since|as|while|though|although|well|now|right now|currently|today|anyway)[,]?\s+)*(?:(?:it|that|this|which)|(?:which|that|who|where)\s+(?:[\w'./&-]+\s+){0,3}?|(?:the|my|our|his|her|their|this|these|those|its|a|an|one|two|both|each|every|all|some)\s+(?:[\w'./&-]+\s+){0,8}?|(?:he|she|they|it|nobody|somebody|someone|everyone|everything|nothing|[a-z][\w-]*'s(?:\s+[\w-]+)?|[a-z][\w-]+)\s+(?:(?:also|still|already|only|now|just|ever|once|never)\s+){0,2})(?P<verb>(?:'s\s+(?:got\s+)?(?:my|our|his|her|their|the|an?|where)|is|are|was|were|has|had|holds|held|carries|carried|contains|contained|hosted|stored|lives|runs|sits|forms|form|writes|does|plays|moves|stores|serves|hosts|works|logs|belongs|boots|mirrors|syncs|backs up|reads|connects|talks|used to)\b)(?P<next>\s+(?:to|got to|gotta)\b)?"
);
// "the firmware settings are password-locked": something guarded by a password there.
pattern!(
    PASSWORD_GUARDED,
    r"\b(?:password|passphrase)[- ](?:locked|guarded)\b|\b(?:locked|protected|guarded)\s+(?:by|with)\s+(?:a|an|the|some)\s+(?:\w+\s+)?(?:password|passphrase)\b"
);
// "show me where things stand", "remind me what commands you understand": a question
// asked inside a request to tell, asked as a question ("where do things stand").
pattern!(
    TELL_ME_WH,
    r"(?i)\b(?:show|tell|remind|give)\s+(?:me|us)\s+(?:again\s+|quickly\s+|please\s+)?(?P<w>(?:what|which)(?:\s+[a-z]+)?|where|how)\s+(?P<s>you|i|we|things|everything|it|they)\s+(?P<m>can\s+|could\s+)?(?P<v>stand|understand|know|support|do|handle|accept|have)\b"
);
// "the one that has nothing on it", "the disk with nothing on it": a disk pointed at by
// what it holds.
pattern!(
    ONE_THAT,
    r"^(?:(?:no|actually|rather|instead)[,]?\s+)*(?:the|that)\s+(?:other\s+|empty\s+|blank\s+|\w+\s+)?(?:one|disk|drive|ssd|hdd|stick|card)\s+(?:that|which|with|where)\b"
);
// "the one that has nothing on it", "the drive with nothing on it", "the disk that is
// empty": the empty one.
pattern!(
    ONE_WITH_NOTHING,
    r"(?i)\b(?:the|that)\s+(one|disk|drive|ssd|hdd|stick|card)\s+(?:(?:that|which)\s+(?:has|holds|contains|has got|'s got)\s+nothing\s+(?:on|in)\s+it|with\s+nothing\s+(?:on|in)\s+it|(?:that|which)\s+(?:is|'s)\s+(?:still\s+)?(?:empty|blank|unused))\b"
);
// "on the phone he told me to put Linux on the 1TB drive", "a coworker told me to keep
// Windows": what someone else told the speaker to do, reported.
pattern!(
    TOLD_ME_TO,
    r"\b(?:he|she|they|someone|somebody|everyone|people|(?:my|our|his|her|their|a|an|the|some)\s+(?:[\w-]+\s+){0,2}?[\w-]+)(?:'s|\s+has|\s+had)?\s+(?:\w+\s+)?(?:told|asked|advised|urged|wanted|suggested to|recommended to)\s+(?:me|us|him|her|them)\s+(?:to|that)\b"
);
// A clause that starts with its own subject ("I", "the WD", "it"), not with a verb.
pattern!(
    SUBJECT_START,
    r"^(?:(?:so|but|then|now|also)\s+)?(?:i|i'm|i've|i'd|we|you|he|she|they|it|it's|this|that|there|the|my|our|his|her|their)\b"
);
// "don't touch Fedora": a clause that spares what it names, as it starts.
pattern!(
    DONT_TOUCH,
    r"^(?:(?:and|but|please|just|so)\s+)?(?:don'?t|do not|never|dont)\s+(?:touch|wipe|erase|format|overwrite|delete|remove|mess with|go near|change)\b"
);
// The "or the" that joins two things named in a list ("the encrypted partition or the
// media drive").
pattern!(OR_THE, r"(?i)\s+(?:,\s*)?(?:or|nor|and)\s+the\s+");
// Words that make a clause a request, whatever else it tells.
pattern!(
    REQUEST_WORDS,
    r"\b(?:please|pls|can you|could you|would you|will you|let'?s|i'?d like|i would like|i want|i need|we want|we need|should be|should have|should get|must|go ahead|make sure|needs? to be)\b"
);
// "changed my mind", "never mind": said before what is wanted instead.
// "forget that", "scratch that", "never mind that", "take it back": what was just said,
// taken back.
pattern!(
    THAT_TAKEN_BACK,
    r"^(?:(?:no|nope|actually|sorry|oops|wait|ok|okay|hmm+|oh|ah|uh|um|so|well)[,!]?\s+)*(?:(?:forget|scratch|scrap|drop|cancel|ignore|strike|skip)(?:\s+about)?\s+(?:that|it|this)|never ?mind\s+(?:that|this|it)|take\s+(?:that|it|this)\s+back)(?:\s+(?:part|one|bit|idea|request|too|then|for now))*$"
);
// "vlc can wait", "the printer is for later": a thing asked for, put off.
pattern!(
    PUT_OFF,
    r"^(?:(?:no|nope|actually|ok|okay|hmm+|oh|so|and|but)[,!]?\s+)*(?:the\s+)?(?P<k>[a-z0-9][a-z0-9 ]*?)\s+(?:can wait|is for later|can come later|another time|some other time|isn'?t needed|is not needed|not needed|not now)$"
);
// "don't undo", "no, don't undo anything": an undo said before in the message, taken back.
pattern!(
    NO_UNDO,
    r"^(?:(?:no|nope|actually|wait|sorry)[,!]?\s+)*(?:don'?t|do not|never mind the)\s+undo(?:\s+(?:it|that|anything|after all))*$"
);
pattern!(
    MIND_CHANGED,
    r"^(?:(?:ok|okay|so|hmm+|actually|wait|no|oh|well|ah)[,!]?\s+)*(?:i(?:'ve|\s+have)?\s+)?(?:changed|change)\s+my\s+mind$|^(?:(?:ok|okay|so|hmm+|actually|wait|no|oh|well|ah)[,!]?\s+)*never ?mind$"
);
// "the user account exactly 2fast4u", "literally called bo": the adverb is no value.
pattern!(
    VALUE_ADVERB,
    r"(?i)\b(?:exactly|literally|precisely|verbatim)\s+|\s+(?:specifically|in particular)\b|\b((?:language|locale|keyboard|layout|keymap|time\s*zone|timezone)\s+(?:is\s+|to\s+)?[a-z]+)\s+(?:too|as well|also)\b"
);
// "timezone not sydney but melbourne", "not the ssd but the hard drive": what is wanted.
pattern!(
    NOT_X_BUT,
    r"(?i)\bnot\s+(?:the\s+|a\s+|an\s+)?[\w/.-]+\s+but\s+(?:rather\s+)?"
);
// "btrfs for root, not ext4": the filesystem said not to be is only said.
pattern!(
    FS_NOT_FS,
    r"(?i)\b(?P<y>ext4|btrfs|xfs|vfat|fat32)\b(?P<mid>[^,.;]*?),?\s+(?:and\s+)?(?:not|instead of|rather than)\s+(?:ext4|btrfs|xfs|vfat|fat32)\b"
);
// "root 30G... wait, 50G": a size or filesystem said again after a change of mind.
pattern!(
    VALUE_CORRECTED,
    r"(?i)(?:\.\.\.|…|[.,;!]|\s[-–—])\s*(?:(?:no|nope)[,.!]+\s*|(?:(?:no|nope)\s+)?(?:(?:wait|hmm+|ugh|eh|er|erm|oh|ah|actually|sorry|oops|make (?:it|that)|i mean|i meant|or rather|rather|change (?:it|that) to)[\s,.!]+)+)+(?P<v>\d+(?:\.\d+)?\s*(?:[kmgt]i?b?|gigs?|megs?|gigabytes?|terabytes?)|ext4|btrfs|xfs|vfat|fat32)\b"
);
// A size in a request.
pattern!(
    SIZE_WORD,
    r"(?i)\b\d+(?:\.\d+)?\s*(?:[kmgt]i?b?|gigs?|megs?|gigabytes?|terabytes?)\b"
);
pattern!(FS_WORD, r"(?i)\b(?:ext4|btrfs|xfs|vfat|fat32)\b");
// A disk by its noun or device name ("the disk", "sdb", "the nvme").
pattern!(
    DISK_NAMED,
    r"\b(?:disks?|drives?|ssds?|hdds?|nvme\w*|sd[a-z]|vd[a-z]|hard ?drive|hard ?disk)\b"
);
// "[    2.114] sd 0:0:0:0: [sda] ...": a line of a pasted kernel log.
pattern!(LOG_LINE, r"^\s*\[\s*\d+\.\d+\]");
// "don't bother setting up wifi": a thing the installer does not do, not asked for.
pattern!(
    DONT_BOTHER,
    r"^(?:(?:no|ok|okay|so)[,]?\s+)?(?:don'?t|do not|no need to|never mind)\s+(?:bother\s+(?:with\s+)?|worry about\s+)?(?:setting up|set up|configuring|configure|installing|install|enabling|enable)?\b"
);
// "no wifi", "no lvm, no raid", "I'm not interested in a desktop", "no need for network
// config": a thing not wanted, so not refused either.
pattern!(
    NOT_WANTED,
    r"^(?:(?:and|also|but|so|ok|okay|oh|just|and also)[,]?\s+)*(?:no\s|not\s|without\s|skip\s|(?:i|we)\s+(?:really\s+|also\s+)?(?:don'?t|do not|won'?t|will not)\s+(?:need|want|use|care about|require)\s|(?:i'?m|i am|we'?re|we are)\s+not\s+(?:interested in|bothered (?:about|with)|using|going to use|after)\s|(?:there'?s\s+)?no\s+need\s+(?:for|to\s+\w+)\s|(?:doesn'?t|does not|don'?t|do not)\s+need\s)"
);
// "Administrator account: maria", "user account with sudo: dev", "standard user: tim": an
// account's kind, then its name, as installers' forms write them.
pattern!(
    ACCOUNT_FORM_ADMIN,
    r"(?i)\b(?:(?:administrator|admin|sudo|privileged|superuser)\s+(?:user\s+)?(?:account|user|login)|(?:user\s+)?(?:account|user|login)\s+with\s+(?:sudo|admin\w*|administrator\s+rights))(?:\s+name)?\s*[:=]\s*(?P<n>[a-z_][\w-]*)"
);
pattern!(
    ACCOUNT_FORM_PLAIN,
    r"(?i)\b(?:standard|regular|normal|limited|unprivileged|ordinary)\s+(?:user\s+)?(?:account|user|login)(?:\s+name)?\s*[:=]\s*(?P<n>[a-z_][\w-]*)"
);
// "account name priya": the login.
pattern!(ACCOUNT_NAME, r"(?i)\baccount\s+name\b\s*(?:[:=]\s*)?");
// "Full name Priya Raman": the person's name, which the installer does not ask; the login
// is said apart.
pattern!(
    FULL_NAME_FIELD,
    r"(?:^|[,.;]\s*)(?i:full\s+name|real\s+name|display\s+name)\s*[:=]?\s*(?:[A-Z][\w'-]*\s*){1,4}(?:,|$)"
);
pattern!(
    BARE_SOFTWARE_NOUN,
    r"^(?:my\s+|the\s+|all\s+(?:my\s+|the\s+)?|other\s+)?(?:programs|apps|applications|software|games|stuff)$"
);
// "BitLocker-style encryption": encryption, as this installer does it.
pattern!(
    LIKE_OTHER_ENCRYPTION,
    r"(?i)\b(?:bitlocker|filevault|veracrypt)[- ]?(?:style|like|type|ish|esque|similar)\b"
);
// "install Linux on my D: drive", "format C:": Windows' drive letters, which name no
// disk or partition here.
pattern!(
    DRIVE_LETTER,
    r"(?:^|\s)(?:my\s+|the\s+|on\s+|onto\s+|to\s+)?(?P<l>[c-k]):\\?(?:\s+(?:drive|partition|disk|volume)\b|\s*\(|\s*$|\s*,)"
);
// "Region: Asia, City: Kolkata": a zone as installers' forms ask it.
pattern!(
    REGION_CITY,
    r"(?i)\bregion\s*[:=]\s*(?P<r>africa|america|asia|europe|australia|pacific|atlantic|indian|antarctica)\s*[,;]?\s*(?:city|zone|location)\s*[:=]\s*(?P<c>[a-z][a-z_-]*(?:\s+[a-z][a-z_-]*){0,2})"
);
// "install everything on it": the whole system, no software of its own.
// "put everything else in one ext4 root": the rest of the disk, not the copy.
pattern!(
    PUT_EVERYTHING_ELSE,
    r"(?i)\b(?:install|put|copy)\s+everything\s+else\b"
);
pattern!(
    INSTALL_EVERYTHING,
    r"(?i)\b(install|put|copy)\s+(?:absolutely\s+)?everything\b"
);
// "make this user administrator": the user just spoken of.
pattern!(
    THIS_USER,
    r"(?i)\b(make|give|add|put|grant|set|let)\s+(?:this|that|the same|said|the new)\s+(?:user|account|person|login)\b"
);
// "show me the summary before I hit Begin Installation": what is done later, said as
// the time of what is asked now.
pattern!(
    BEFORE_I_DO,
    r"(?i)\s+(?:right\s+)?before\s+(?:i|we)\s+(?:actually\s+)?(?:hit|click|press|start|begin|confirm|say|type|commit|go|proceed|run|do|install|pull the trigger)\b[^,.;:!?]*"
);
// "also an LVM thin pool", "zfs if you can", "can you do raid 1? if not, ...": a storage
// setup asked for beside a layout, not as it.
pattern!(
    STORAGE_EXTRA,
    r"^(?:and|also|plus|oh|oh and|and also)\b|\b(?:if you can|if possible|if that'?s possible|if not|too|as well)\b|^(?:can|could|would|will)\s+you\b|^is\s+it\s+possible\b"
);
// "set the hostname to 'vm01 && reboot'": a quoted value holding a shell's operators.
pattern!(
    QUOTED_HOST_VALUE,
    r#"(?i)\b(?P<k>host\s*name|computer\s+name|machine\s+name|(?:call|name)\s+(?:it|the\s+\w+|this\s+\w+))\s*(?:to|is|=|:|as|should\s+be|will\s+be)?\s*(?P<q>['"“‘])(?P<v>[^'"”’]{0,64}?[&|;`$<>(){}][^'"”’]{0,64}?)['"”’]"#
);
// "set the hostname to \"my home box\"": what is quoted next is the host name's value.
pattern!(
    HOST_VALUE_NEXT,
    r"(?i)\b(?:host\s*name|computer\s+name|machine\s+name|call\s+(?:it|the\s+\w+|this\s+\w+)|name\s+(?:it|the\s+\w+|this\s+\w+))\s*(?:to|is|=|:|as|be|should\s+be|will\s+be)?\s*$"
);
// "start fresh with a user called sam": the account, made.
pattern!(
    START_WITH_ACCOUNT,
    r"(?i)\b(?:let'?s\s+)?(?:start|begin|kick\s+off)(?:\s+(?:fresh|off|out|over|again))?\s+(?:with|by\s+(?:adding|making|creating))\s+(?P<n>(?:an?\s+|one\s+|the\s+)?(?:new\s+)?(?:user|account|login|admin)\b)"
);
// "leave the backup volume as it is, but mount its partition at /backup", "the 4TB disk has
// my media, mount that partition at /srv/media": "it".
pattern!(
    ITS_PARTITION,
    r"(?i)\b(?P<v>mount|format|reformat|reuse)\s+(?:its|that|this)\s+(?:only\s+|one\s+|single\s+)?partition\b"
);
// "I want everything encrypted: root, a separate /home, and swap as well": the list, each
// encrypted.
pattern!(
    ENCRYPTED_LIST,
    r"(?i)\b(?:(?:i\s+)?(?:want|need|would\s+like|'d\s+like)\s+)?(?:everything|all(?:\s+of\s+it)?)\s+(?:to\s+be\s+)?(?:encrypted|luks)\s*:\s*(?P<l>[^.;!?]+)"
);
// "root and home", "root, home and swap": the home partition, in a list of the layout's
// ("home and root both encrypted" is read as it stands).
pattern!(
    HOME_LISTED_AFTER,
    r"(?i)\b(?P<a>root|swap|efi|boot)(?P<s>\s*,\s*|\s+and\s+|\s+plus\s+|\s*\+\s*)(?P<d>an?\s+|the\s+)?home\b"
);
// "a swap file instead of a swap partition", "we'll practise adding a swap file later": a
// file the installed system makes, never a swap partition.
pattern!(
    SWAP_FILE_INSTEAD,
    r"(?i)\b(?:an?\s+)?swap\s*file\s+instead\s+of\s+(?:an?\s+)?(?:swap\s+)?partition\b|\b(?:an?\s+)?(?:swap\s+)?partition\s+(?:replaced\s+)?by\s+(?:an?\s+)?swap\s*file\b"
);
pattern!(SWAP_FILE, r"(?i)\bswap\s+file(?P<s>s?)\b");
// "I just need it available at /backup", "the new system should see it under /mnt/media":
// what is there, mounted.
pattern!(
    AVAILABLE_AT,
    r"(?i)\b(?:(?:i|we)\s+(?:just\s+|only\s+|really\s+|also\s+|still\s+)*(?:'d\s+|would\s+)?)?(?:(?:need|want|make|get|have|like)\s+(?P<o>it|that|this|them|the\s+[\w-]+(?:\s+(?:partition|volume|drive|disk))?)\s+(?:to\s+be\s+)?(?:available|accessible|visible|reachable|usable|show(?:ing)?\s+up|to\s+show\s+up|appear(?:ing)?)|(?:(?:want|need|like)\s+(?:the\s+(?:new\s+)?(?:system|install\w*|os)|linux)\s+to\s+)?see\s+(?P<s>it|that|this|them|the\s+[\w-]+(?:\s+(?:partition|volume|drive|disk))?))\s+(?:at|under|in|as)\s+(?P<p>/[\w/.-]*)"
);
// "the 3 tb disk", then ", the one with the xfs partition", then ", holds the nightly
// dumps": a subject, what it is, and what it does, said apart.
pattern!(
    SUBJECT_ONLY,
    r"^(?:the|my|our|this|that|his|her|their)\s+(?:[\w.-]+\s+){0,4}?(?:disk|drive|ssd|hdd|nvme|one|stick|card|volume|partition)$"
);
pattern!(
    APPOSITIVE,
    r"^(?:the|that|this)\s+one\b|^(?:which|that)\s+(?:is|was|has|had|holds)\b|^(?:an?|the)\s+(?:[\w.-]+\s+){0,3}?(?:disk|drive|ssd|hdd|one)\s+(?:with|from|for|of)\b"
);
pattern!(
    PREDICATE_START,
    r"^(?:holds|has|contains|carries|stores|keeps|runs|serves|hosts|is|was|belongs)\b"
);
// "under no circumstances should it be formatted": "it must not be formatted".
pattern!(
    NO_CIRCUMSTANCES,
    r"(?i)\b(?:under\s+no\s+circumstances?|in\s+no\s+case|on\s+no\s+account|by\s+no\s+means|at\s+no\s+point)\s*,?\s+(?:should|must|may|can|will|shall)\s+(?P<x>it|this|that|they|anything|(?:the|my|our)\s+[\w-]+(?:\s+[\w-]+)?)\s+(?:be\s+)?"
);
// "mount it at /backup in the installed system": the path is the new system's anyway.
pattern!(
    PATH_IN_NEW_SYSTEM,
    r"(?i)(?P<p>\s/[\w/.-]*)\s+(?:in|on|for|inside|of)\s+(?:the\s+)?(?:new|installed|target)\s+(?:system|install\w*|os|machine|linux)\b"
);
// "Frankfurt datacenter time", "our London office's time": the city's time.
pattern!(
    PLACE_OF_WORK_TIME,
    r"(?i)\b(?P<c>[\w-]+)\s+(?:datacenter|data\s+center|data\s+centre|datacentre|dc|office|headquarters|hq|branch|site|plant|factory|campus|colo)(?:'s)?\s+(?P<t>time|clock|time\s*zone)\b"
);
// "Create me, kenji, and then add me to video": the speaker's account, named.
pattern!(
    CREATE_ME_NAMED,
    r"(?i)\b(?:create|make|set\s+up)\s+me\s*(?:,\s*|\s+\()(?P<n>[a-z][a-z0-9_-]{1,31})\)?(?P<e>\s*(?:[,.;!?]|$|\s+and\b))"
);
// "UTC-8... well, Pacific time really": a second thought after an ellipsis corrects.
pattern!(
    ELLIPSIS_WELL,
    r"(?i)\s*(?:\.{2,}|…)\s*(?:well|or\s+rather)\s*,?\s+(?P<v>[^,.;!?]+?)(?:\s+really)?(?P<e>\s*(?:[,.;!?]|$))"
);
// "I'd love to format the Time Machine partition eventually, but not today": put off.
pattern!(
    NOT_TODAY,
    r"(?i)[^.;!?]*?\b(?:eventually|some\s?day|at\s+some\s+point|one\s+day|later\s+on|down\s+the\s+road)\b[^.;!?]*?\bnot\s+(?:today|now|yet|right\s+now|this\s+time|tonight)\b[^.;!?]*"
);
// "I thought about nuking Ubuntu and taking the whole NVMe, but ...": an idea had, told.
pattern!(
    IDEA_HAD,
    r"^(?:(?:so|and|but|well|ok|okay|at first|first|originally|initially)[,]?\s+)*(?:i|we)\s+(?:first\s+|originally\s+|initially\s+|briefly\s+|once\s+)?(?:thought\s+(?:about|of)|considered|was\s+considering|were\s+considering|was\s+going\s+to|were\s+going\s+to|had\s+planned\s+to|toyed\s+with|was\s+tempted\s+to|were\s+tempted\s+to|played\s+with\s+the\s+idea\s+of)\b|^(?:(?:so|and|but|well|ok|okay)[,]?\s+)*(?:i|we)\s+(?:\w+\s+){0,3}?(?:reading|read|heard|watched|saw|researched|looked\s+into)\s+(?:[\w'-]+\s+){0,4}?(?:about|on)\s+(?:putting|using|having|making|installing|splitting|keeping|doing)\b"
);
// "the big Seagate is reserved for my Steam library": that disk is not for this install.
pattern!(
    RESERVED_FOR,
    r"(?i)\b(?P<d>(?:the|my|our)\s+(?:[\w-]+\s+){0,3}?(?:disk|drive|ssd|hdd|nvme|one|seagate|samsung|wd|crucial|toshiba|hgst|hynix|kingston|sandisk))\s+(?:is|stays|remains|will\s+be)\s+(?:reserved|set\s+aside|earmarked|kept)\s+for\b[^,.;!?()]*"
);
// "Linux in whatever is free", "share the disk with windows": the free space, beside what
// is there.
pattern!(
    WHATEVER_FREE,
    r"(?i)\b(?:whatever|what(?:ever)?'?s|what\s+is)\s+(?:space\s+|room\s+)?(?:is\s+|remains\s+|'s\s+)?(?:still\s+)?(?:free|unused|available)\b"
);
pattern!(
    SHARE_WITH,
    r"(?i)\bshar(?:e|ing)\s+(?:it|the\s+(?:\w+\s+)?(?:disk|drive|ssd|emmc|storage|space|machine|computer|laptop)|this\s+\w+)?\s*with\s+(?P<o>windows|macos|ubuntu|fedora|debian|mint|arch)\b"
);
// "and if you can, mirror it onto sdb": something more, asked beside the rest.
pattern!(
    AND_IF_YOU_CAN,
    r"(?i)\b(?:and|also)\s+if\s+(?:you\s+can|possible|that'?s\s+possible|you\s+could)\s*,\s*"
);
// "i'm on ethernet", "it's wired": how the machine is connected, said, not asked for.
pattern!(
    CONNECTED_SAID,
    r"^(?:(?:and|but|since|as)\s+)?(?:i'?m|i am|we'?re|we are|it'?s|it is|this is|the (?:pc|machine|computer|box|laptop|server) is)\s+(?:already\s+)?(?:on|using|connected (?:to|via|by|through|over)|plugged (?:in|into)|wired)\b"
);
// "the console is the only way in when the network breaks": the network spoken of.
pattern!(
    NETWORK_CONDITION,
    r"\b(?:when|if|whenever|in case)\s+(?:the\s+|our\s+|my\s+)?(?:network|internet|wifi|connection|lan)\s+(?:breaks|is down|fails|goes down|dies|drops|is out)\b"
);
// "my friend says I should wipe everything": what someone else says, reported.
pattern!(
    REPORTED,
    r"^(?:(?:so|and|but|well|ok|okay)[,]?\s+)*(?:(?:my|a|the|some|our|his|her)\s+(?:[\w-]+\s+){0,2}?|someone\s+(?:[\w-]+\s+){0,3}?|somebody\s+(?:[\w-]+\s+){0,3}?|people\s+(?:[\w-]+\s+){0,3}?)(?:says|said|say|told me|tells me|recommends|recommended|suggested|suggests|thinks|thought|reckons|swears|wrote|posted|(?:keeps\s+|kept\s+)?(?:insisting|insists|insisted))\b|^(?:(?:so|and|but)\s+)*(?:he|she|they)\s+(?:keeps\s+|kept\s+|always\s+)?(?:insisting|insists|insisted)\b"
);
// A locale typed as its code ("en_US.UTF-8", "de_AT").
pattern!(LOCALE_CODE, r"(?i)^[a-z]{2,3}_[a-z]{2}(?:\.utf-?8)?$");
// "just curious, if I told you to wipe it, what would happen? not asking you to do it":
// the whole request only asks.
// "I think I want to wipe it, but I'm not sure yet", "... but not sure, I might still have
// files on it", "what happens if I skip it?": a doubt about what is spoken of, not a
// request for it.
pattern!(
    UNSURE,
    r"(?i)\bnot\s+(?:\d+\s*%\s+|totally\s+|entirely\s+|completely\s+|quite\s+|really\s+|so\s+)?sure\s+(?:yet\b|about\s+(?:this|that|it|wiping|erasing|formatting)\b|(?:if\s+|whether\s+)?i\s+(?:really\s+)?(?:want|should|need|backed|saved|copied)\b)|\b(?:i'?m|i am)\s+not\s+(?:\d+\s*%\s+|totally\s+|entirely\s+|completely\s+|quite\s+|really\s+|so\s+)?sure\s*(?:[.!?]|$)|\bbut\s+(?:i'?m\s+|i am\s+)?not\s+(?:\d+\s*%\s+|totally\s+|entirely\s+|completely\s+|quite\s+|really\s+|so\s+)?sure\s*(?:[.,;!?]|$)|\b(?:i|we)\s+(?:might|may)\s+still\s+(?:have|need)\b|\bwhat\s+(?:would|will)\s+happen\b|\bwhat\s+happens\s+(?:if|when)\b|\bhaven'?t\s+decided\b|\bstill\s+deciding\b"
);
// "the one with the zfs thing called tank": a disk described by the storage it holds.
pattern!(
    DISK_WITH_STORAGE,
    r"\b(?P<d>one|disk|drive|ssd|hdd|nvme)\s+(?:with|that has|holding|containing|that holds)\s+(?:the|my|that|its|old)\s+(?:old\s+)?(?:zfs|raid|lvm|md|mdadm|apfs|bitlocker)\b"
);
// "the zfs stuff can be wiped", "the raid is dead anyway": storage that goes away.
pattern!(
    GOES_AWAY,
    r"\b(?:can go|can be (?:wiped|erased|deleted|removed|overwritten|nuked|lost)|(?:is|are) dead|dead anyway|(?:it'?s|its|it is|that'?s|thats|all|is|are)\s+(?:just\s+|all\s+|now\s+|long\s+)?(?:junk|rubbish|garbage|trash|useless|worthless|obsolete|outdated|out of date|not needed|unneeded|stale|redundant)|erase|wipe|get rid of|remove|overwrite|overwritten|nuke|don'?t need|no longer need|(?:is|are) gone|won'?t need|(?:it'?s|it is|that'?s|that is|this is|was)\s+(?:just\s+)?(?:the|an?|my|our)\s+(?:old|former|previous|dead|broken|leftover|unused)\b|used to be|(?:done|finished|through) with|(?:given|gave|giving) up on)\b|^(?:an?\s+|the\s+|my\s+|our\s+)?(?:old|former|previous|leftover|dead|broken|unused)\s+(?:[\w-]+\s+){0,2}?(?:lvm2?|raid\w*|zfs|md|mdadm|pv|vg)\b[^,;]*$"
);
// "is my time machine backup safe if ...", "will installing linux break bitlocker on my
// windows drive?": a question about what is there, never a request for it.
pattern!(
    SAFETY_QUESTION,
    r"^(?:so\s+|but\s+|and\s+)?(?:is|are|will|would|does|do)\s+(?:\w+\s+){0,6}?(?:safe|ok|okay|fine|intact|survive|break|affect|damage|harm|hurt|touch|kill|mess\s+(?:up|with)|corrupt|lose|be\s+lost)\b"
);
// "rebuild the mirror", "set up raid", "import the pool": storage asked for.
pattern!(
    SET_UP_STORAGE,
    r"\b(?:set ?up|create|make|build|rebuild|import|mount|configure|want|need|keep|use)\b"
);
// "the disk encryption passphrase", "my luks password": a secret of the encryption, named.
pattern!(
    ENCRYPTION_SECRET,
    r"\b(?:(?:the|my|a|an|your)\s+)?(?:(?:disk|drive|ssd|nvme|hdd|full[- ]disk)\s+)?(?:encryption|luks|crypto|disk|drive|unlock)\s+(?:passphrase|password|pass|key|pin|secret)\b"
);
// "use the whole nvme unless there's already an OS on it", "wipe it if it's empty": a
// condition on what a disk holds, which the person has not looked at yet.
pattern!(
    IF_THE_DISK_HOLDS,
    r"(?i)\b(?:unless|only if|if|in case|provided)\s+(?:there'?s|there is|there are|it'?s|it is|it has|it holds|it contains|its|the (?:disk|drive|ssd|nvme|hdd|samsung|wd|hard drive)\s+(?:is|has|holds|contains)|you (?:find|see)|windows|an? (?:os|operating system))\b[^.;]{0,60}?\b(?:os|operating system|windows|linux|ubuntu|data|files|anything|something|empty|blank|partitions?)\b"
);
// "timezone is probably amsterdam", "hostname... maybe studio-pc": a hedge between a
// setting and its value.
// "hostname... studio-pc": a pause after the setting's name, no end of a sentence.
pattern!(
    KEY_ELLIPSIS,
    r"(?i)\b(host ?name|time ?zone|keyboard(?: layout)?|language|locale|layout|user ?name)\s*(?:\.{2,}|\u{2026})\s*"
);
// "home 1,5 TB": a decimal comma in a size.
pattern!(
    DECIMAL_COMMA_SIZE,
    r"(?i)\b(\d+),(\d{1,2})\s*(tb|tib|t|gb|gib|g|mb|mib|m|tera\w*|giga\w*|mega\w*|gigs?)\b"
);
// "swap size 0", "swap: none": no swap.
pattern!(
    ZERO_SWAP,
    r"(?i)\bswap\s*(?:size\s*)?(?:of\s+|[:=]\s*|to\s+)?(?:0|zero|none|nothing)\s*(?:g|gb|gib|m|mb|mib)?\b"
);
pattern!(
    HEDGED_VALUE,
    r"(?i)\b(?P<k>host ?name|time ?zone|keyboard(?: layout)?|language|locale|layout|user ?name)(?P<sep>\s*(?:\.{2,}|\u{2026}|:|=)?\s*(?:is|to|should be|will be|would be)?\s+)(?:probably|perhaps|maybe|possibly|ideally|i guess|i think|i suppose)\s*,?\s+"
);
pattern!(
    NOT_ASKING,
    r"(?i)\b(?:(?:i'?m\s+|i am\s+)?not (?:actually\s+)?asking you to|just curious|out of curiosity|hypothetically|if i (?:told|asked) you to|what would happen if)\b"
);
// Words someone is reported to have said or typed: quoted after a verb of saying.
pattern!(
    SAYING,
    r"(?i)\b(?:said|says|say|told|tells|typed|type|wrote|writes|posted|recommended|suggested|run|enter)\b"
);
// Words in double quotes (three or more: see `interpret_detailed`): someone else's words, reported ("a guy told me
// to type \"wipe nvme0n1 and install\""), never a request.
pattern!(QUOTED, r#""[^"]*""#);
// "a sticky note saying 'wipe the Seagate and put /home there'": words in single quotes
// after a word of saying, reported too.
pattern!(
    SINGLE_QUOTED_SAID,
    r"(?i)\b(?P<s>saying|said|says|say|told me|tells me|wrote|writes|reads|read|reading)\s*:?\s+['\x{2018}][^'\x{2019}]{3,200}?['\x{2019}](?P<e>\s|[.,;:!?]|$)"
);
// "actually not wheel": the words that only hedge, before what is said.
pattern!(
    HEDGE_START,
    r"^(?:(?:actually|no|nope|wait|sorry|oh|ah|hmm+|well|ok|okay|er|um)[,!]?\s+)+"
);
// "GRUB goes on the disk itself, not into some EFI partition": where something does not go.
pattern!(NOT_PLACE, r"^not\s+(?:on|in|into|onto|inside|to)\s");
// "Okay, here's the plan I worked out": what follows is the plan, no request to see one.
pattern!(
    HERES_THE_PLAN,
    r"^(?:\w+\s+)?(?:here'?s|here is|this is)\s+(?:the|my|our)\s+plan\b|\b(?:that|this|it)\s*(?:'s|was|is|had been|used to be)\s+(?:the|my|our|his|her)\s+(?:original\s+|first\s+|old\s+)?(?:plan|idea)\b"
);
// A clause that starts a request of its own ("and then set up ...", "install on ...").
pattern!(
    OWN_VERB,
    r"^(?:(?:and|then|also|plus|but|so|oh)\s+)*(?:put|install|use|wipe|erase|format|make|set|give|create|add|keep|leave|mount|encrypt|partition|copy|go|take|i|we|please)\b"
);
// "16G swap is plenty", "8 gigs of swap should be fine": the size, said as enough.
pattern!(
    SIZE_IS_PLENTY,
    r"(?i)\b(?P<s>\d+(?:[.,]\d+)?\s*(?:[kmgt]i?b?|gigs?|megs?)\s+(?:of\s+)?(?:swap|root|/[a-z][\w/]*|home|boot))\s+(?:is|should be|would be|will be|'s)\s+(?:plenty|enough|fine|sufficient|more than enough|ok|okay|good|loads)\b"
);
// "a separate /var of 100G": the mount point and its size.
pattern!(
    MOUNT_OF_SIZE,
    r"(?i)(?P<m>\s/[a-z][\w/]*)\s+of\s+(?P<s>\d+(?:[.,]\d+)?\s*(?:[kmgt]i?b?|gigs?|megs?))\b"
);
// "My sysadmin said servers should use UTC, so go with that": what was reported, adopted.
pattern!(
    ADOPT_THAT,
    r"^(?:(?:so|then|ok|okay|and)\s+)*(?:let'?s\s+|please\s+|just\s+)?(?:go with|do|use|take|apply|follow|set|pick|choose)\s+(?:that|it|this|what (?:he|she|they) said|(?:their|his|her) advice)(?:\s+(?:then|please|too))?$"
);
// "servers should use UTC", "it has to run on Berlin time": what it should use, asked.
pattern!(
    SHOULD_USE,
    r"(?i)(?P<s>^|[.;,!?]\s*|\bsaid\s+(?:that\s+)?|\bso\s+)(?:the\s+)?(?:it|they|servers?|machines?|systems?|computers?|we|everything)\s+(?:should|must|will|shall|needs? to|has to|have to|ought to)\s+(?P<v>use|run on)\b"
);
// "create a user called backup": the login, whatever word it is.
pattern!(
    LOGIN_NAMED,
    r"\b(?:user|account|login)\s+(?:called|named)\s+[a-z_][a-z0-9_-]*$|\b(?:username|user name|login)\s*(?:is|:|=)\s*[a-z_][a-z0-9_-]*$"
);
// "GPT instead of MBR", "not msdos": a partition table not wanted.
pattern!(
    TABLE_NOT_WANTED,
    r"\b(?:instead of|rather than|not|no|but not|other than)\s+(?:an?\s+|the\s+)?(?:mbr|msdos|dos|gpt|guid)\b"
);
// "the raid disks", "my two raid drives": storage that is there, only named.
pattern!(
    STORAGE_NAMED,
    r"^(?:and\s+)?(?:the|my|our|both|those|these)\s+(?:two\s+|old\s+|existing\s+)?(?:mdadm\s+|software\s+)?(?:raid\s*\d*|lvm|zfs)\s+(?:disks?|drives?|array|members?|set|volumes?|pool)$"
);
// "the two WDs are an mdadm mirror", "the HGST is a ZFS pool called tank", "Windows lives
// on the Samsung with BitLocker": storage described as it is now.
pattern!(
    STORAGE_THERE,
    r"\b(?:is|are|was|were|has|have|had|holds|hold|carries|carry|contains|lives on|live on|sits on|sit on|runs on|is in|are in)\b.*\b(?:raid\s*\d*|mdadm|mirror|lvm|volume group|zfs|pool|bitlocker|luks)\b|\b(?:raid\s*\d*|mdadm|mirror|lvm|volume group|zfs|pool|bitlocker)\b.*\b(?:is|are|was|were|has|had|lives|sits)\b|\bbitlocker'?d\b"
);
// "I just set the timezone to Berlin by mistake", "I accidentally picked the WD": what was
// done wrong, told.
pattern!(
    MISTAKE_TOLD,
    r"^(?:(?:so|and|but|oops|ugh|sorry)[,]?\s+)*(?:i|we)\s+(?:just\s+|already\s+)?(?:set|picked|chose|typed|entered|selected|made|put|gave|created|added)\b.*\b(?:by mistake|by accident|accidentally|in error|wrongly|mistakenly)$|^(?:(?:so|and|but|oops|ugh|sorry)[,]?\s+)*(?:i|we)\s+(?:just\s+)?(?:accidentally|mistakenly|wrongly)\s+\w+"
);
// A clause about someone or something else ("my company needs ...", "she uses ..."),
// not an order ("sign the kernel for secure boot").
pattern!(
    SOMEONE_ELSE_FIRST,
    r"^(?:(?:and|but|so|because)\s+)?(?:my|our|his|her|their|the|this|that|he|she|they|it|[a-z]+'s)\s"
);
// Words that ask for something to be set up, said by the one asking.
pattern!(
    SETUP_ASKED,
    r"\b(?:install\w*|set ?up|setup|configure|connect|enable|add|(?:i|we)\s+(?:really\s+)?(?:need|want|would like|'?d like)|can you|could you|please|pls)\b"
);
// "layout: efi 1G, swap 8G": a list of partitions after "layout".
pattern!(
    LAYOUT_OF_PARTITIONS,
    r"\blayout\s*[:=]?\s+(?:(?:an?|one)\s+)?(?:\d+\s*[kmgt]i?b?\s+)?(?:efi|esp|/boot(?:/efi)?|boot|swap|root|/|/home|home|/var|gpt|mbr)\b"
);
// "copy the system n install the bootloader": "n" between words.
pattern!(CHAT_AND, r"(?i)(\p{L}\s+)n\s+(\p{L})");
// "install into that", "put the system on it": into what was just described.
pattern!(
    INTO_THAT,
    r"\b(?:install\w*|put\s+(?:it|linux|the (?:new\s+)?(?:system|os)|everything))\s+(?:it\s+)?(?:into|onto|in|on|inside|on top of)\s+(?:that|it|this|them|those|there)\b"
);
// "import the tank pool", "assemble the array again": storage described, set up again.
pattern!(
    STORAGE_AGAIN,
    r"\b(?:import|mount|reuse|activate|assemble|reassemble|re-?create|keep using|bring up)\s+(?:\w+\s+){0,3}?(?:pool|array|volume group|vg|raid|mirror|lvm|zfs)\b"
);
// Words that ask for a storage setup, whatever is said of what is there.
pattern!(
    STORAGE_ASKED,
    r"\b(?:make|set ?up|set (?:\w+ )?up|setup|create|build|configure|use|using|want|need|like|please|pls|can you|could you|would you|turn|enable|put|install|import|mirror (?:them|the|both|it)|should|must|will|would|to be|i'?d|i'?ll|we'?d|we'?ll|let'?s|add|keep it|support|supported|supports|available|works?|do you|can i|is it possible|possible)\b|\?"
);
// "it's going to be my Steam library later": what a disk will be used for.
pattern!(
    FUTURE_USE,
    r"^(?:it|that|this|which|that one|that disk|that drive)(?:'s|\s+is|'ll|\s+will)\s+(?:going to\s+|gonna\s+)?(?:be|become|hold|store|serve as|keep)\b"
);
// "a password for her user astrid": the user named.
pattern!(
    POSSESSIVE_USER,
    r"(?i)\b(?:his|her|their|my|our)\s+(user|account|login)\s+(?P<n>[a-z_][a-z0-9_-]*)\b"
);
// "help me set the time to Beijing": the request, asked for help with.
pattern!(
    HELP_ME_DO,
    r"(?i)\bhelp\s+(?:me|us)\s+(?:to\s+)?(?P<v>set|install|create|make|add|choose|pick|configure|change|use|put|get|format|wipe|partition|encrypt|erase)\b"
);
// "should I encrypt?", "is 20 gigs enough for root?", "what happens if I use the whole
// disk?": advice asked for, which the installer cannot weigh; nothing is planned for it.
pattern!(
    ADVICE,
    r"^(?:(?:so|and|but|ok|okay|hmm+|also|well|honestly)[,]?\s+)*(?:should\s+(?:i|we)|do\s+(?:i|we)\s+(?:really\s+)?need|is\s+(?:\w+\s+){0,3}?(?:enough|too (?:big|small|much|little)|big enough|worth it|necessary|a good idea|better|safe|recommended)|is it\s+(?:worth|better|safe|ok|okay|necessary|a good idea|recommended)|what\s+(?:happens|would happen|will happen|if)|what would\s+(?:the|it|my|that)|will\s+(?:it|my|windows|ubuntu|i|the|that|this)\b|would\s+(?:it|my|windows|ubuntu|i|the|that|this)\b(?:\s+\w+){0,2}?\s+(?:be|get|lose|break|work|still|stay|survive)|do you\s+(?:think|recommend|suggest)|which\s+(?:is|would be|one is)\s+better|if\s+(?:i|we)\b[^?]*?,\s*(?:will|would|does|do|is|can)\b)"
);
// "is there enough room next to windows?", "how much free space is on the ssd?": what the
// disks hold, which the list of disks shows (never advice, never a plan).
pattern!(
    ROOM_ASKED,
    r"^(?:(?:so|and|but|ok|okay|hmm+|also|well|first)[,]?\s+)*(?:(?:is|are)\s+there\s+(?:still\s+)?(?:enough|any|some)\s+(?:free\s+|unused\s+|empty\s+|disk\s+)?(?:room|space)\b|how\s+much\s+(?:free\s+|unused\s+|empty\s+|disk\s+)?(?:room|space)\b)"
);
// After a question, a request after all ("should I use the ssd? yes, use it").
pattern!(
    THEN_ASKS,
    r"(?:^|[.!?;]\s*)(?:(?:yes|yeah|ok|okay|so|then|right|fine|good)[,.!]?\s+)*(?:please\s+)?(?:use|install|wipe|erase|set|create|make|add|put|go ahead|do it|format|encrypt|keep|give|change|mount)\b"
);
// "give user anna the sudo rights", "the user joao must be in wheel": the user named.
pattern!(
    USER_NOUN,
    r"(?i)(?:\b(?P<v>give|grant|let)\s+(?:the\s+)?(?:user|account)\s+|\bthe\s+(?P<r>sudo|admin|root|administrator)\s+(?P<k>rights|access|privileges|permissions))"
);
pattern!(
    THE_USER_MUST,
    r"(?i)^the\s+(?:user|account)\s+(?P<n>[a-z_][a-z0-9_-]*)\s+(?:also\s+|still\s+|too\s+)?(?P<x>must|should|needs?|has to|is to|goes|belongs)\b"
);
// "the admin user should be called admin", "my account will be named rosa": the account
// asked for, named.
pattern!(
    USER_SHOULD_BE_CALLED,
    r"(?i)\b(?:the|my|our|your)\s+(?P<r>(?:(?:main|first|primary|only|new|own|personal|normal|regular|daily|everyday|admin|administrator|sudo)\s+){0,2})(?:user|account|login|username|user\s+account)\s+(?:should|will|shall|must|can|could|is\s+going\s+to|has\s+to)\s+be\s+(?:called|named)\s+"
);
// "the intern memory (the 64gb)", "the built-in storage": internal, as several languages
// and plain words say it.
pattern!(
    INTERN_STORAGE,
    r"(?i)\b(?:intern|interne|interno|interna|built[- ]?in|inbuilt|on[- ]?board|soldered(?:[- ]on)?)\s+(?P<n>memory|storage|disk|drive|ssd|flash|emmc|card)\b"
);
// "create student01, student02 and student03": a list of accounts after one verb.
pattern!(
    CREATE_LIST,
    r"(?i)\b(?:create|add|make)\s+(?:users?\s+|accounts?\s+)?[a-z_][a-z0-9_-]*\s*,\s*[a-z_][a-z0-9_-]*\s*(?:,|\band\b)"
);
// "make sure kim is in plugdev": added to it.
pattern!(
    MAKE_SURE_IN,
    r"(?i)\b(?:make sure|ensure|check that)\s+(?P<u>[a-z_][a-z0-9_-]*)\s+(?:is|gets|ends up|goes)\s+(?:put\s+)?in(?:to)?\s+"
);
// "create user kiosk without any password": none is set.
pattern!(
    NO_PASSWORD,
    r"(?i),?\s*\b(?:without|with no|no)\s+(?:any\s+|a\s+)?(?:password|passwd)(?:\s+at all)?\b"
);
// "skip the password stuff for now", "don't set a password yet", "passwords later": no
// password is asked now (each account's is asked when the plan runs, if at all).
pattern!(
    PASSWORD_NOT_NOW,
    r"(?i)(?:^|[,;.]\s*|\b(?:and|but|so)\s+)(?:(?:just|please|for now|let'?s|we can|you can|i'?d like to|i want to)\s+)*(?:skip|forget(?:\s+about)?|ignore|(?:don'?t|do not|no need to)\s+(?:bother\s+(?:with\s+)?|worry\s+about\s+)?(?:set(?:ting)?|ask(?:ing)?\s+(?:for|about)|add(?:ing)?)?|leave\s+out|hold\s+off\s+on)\s+(?:the\s+|a\s+|any\s+|all\s+the\s+)?(?:password|passwd|passphrase-free\s+)s?(?:\s+(?:stuff|part|bit|step|thing|setup|business))?(?:\s+for\s+(?:him|her|them|[a-z][a-z0-9_-]*))?(?:\s+(?:yet|for now|now|for the moment|till later|until later|this time))?(?P<e>\s*(?:$|[,;.!]))|(?:^|[,;.]\s*)(?:the\s+)?passwords?\s+(?:later|can wait|come later|another time)(?P<f>\s*(?:$|[,;.!]))"
);
// "forget encryption on home", "scrap the swap", "forget about LVM": the thing is not
// wanted, as "no encryption on home".
pattern!(
    FORGET_THING,
    r"(?i)\b(?:forget|scrap|ditch)\s+(?:about\s+)?(?:the\s+|any\s+)?(?P<t>encryption|encrypting|luks|swap|lvm|raid|zfs|btrfs|separate\s+/home|swap\s+partition)\b"
);
// "everything goes in root", "put it all under /": one root partition, a layout, never a
// wipe ("everything" alone asks to erase).
pattern!(
    ALL_IN_ROOT,
    r"(?i)\b(?:put\s+|just\s+)?(?:everything|it all|all of it)\s+(?:goes\s+|go\s+|lives\s+|sits\s+|stays\s+|should\s+go\s+|can\s+go\s+)?(?:in|on|under|into)\s+(?:the\s+)?(?:root|/)(?:\s+(?:partition|filesystem|file system|fs))?(?P<e>\s*(?:$|[,;.!]))"
);
// "Tokyo time (UTC+9)", "India time (+05:30)": the offset in parentheses only repeats the
// zone the place names.
pattern!(
    OFFSET_REPEATED,
    r"(?i)(?P<t>\btime)\s*\(\s*(?:utc|gmt)?\s*[+\-\x{2212}]\s*\d{1,2}(?::?\d{2})?\s*\)"
);
// "UTC clock", "GMT time": the zone.
pattern!(
    UTC_CLOCK,
    r"(?i)^(?P<p>(?:[^.;,!?]*[.;,!?]\s*)*?)(?P<z>utc|gmt)\s+(?:clock|time)\b"
);
// "two admin users, hans and greta": both named, both with the rights said first.
pattern!(
    TWO_ADMINS_NAMED,
    r"(?i)\b(?:two|2|both)\s+(?:admin|administrator|sudo|sudoer|superuser|privileged)s?\s+(?:users|accounts|logins)(?:\s+(?:please|pls|too|as well))?\s*[,:]?\s*(?:called\s+|named\s+)?(?P<a>[a-z][a-z0-9_-]*)\s+and\s+(?P<b>[a-z][a-z0-9_-]*)\b"
);
// "make it build-agent-03 to match the others": the value, without why.
pattern!(
    VALUE_THEN_WHY,
    r"(?i)\b(?P<v>(?:make|call|name|change)\s+(?:it|that|this|him|her)\s+(?:to\s+)?[a-z0-9][a-z0-9._-]*)\s+(?:to|so\s+(?:that\s+)?it|so\s+(?:that\s+)?they)\s+(?:match|matches|fit|fits|be\s+consistent|stays?\s+consistent|lines?\s+up|align|aligns|keep)\b[^,.;!?]*"
);
// "my dad's login is papa ... Then mine: lukas", "mine should be tom": the speaker's own
// account, after another's.
pattern!(
    MINE_NAMED,
    r"(?i)(?P<pre>(?:^|[.;,]\s*|\b(?:then|and)\s+))(?:then\s+|and\s+)?mine(?:\s+(?:should\s+be|will\s+be|can\s+be|would\s+be)|\s*:|\s*,)\s+(?:just\s+)?(?P<n>[a-z][a-z0-9_-]*)\b"
);
// "don't you dare reformat windows": "don't reformat windows".
pattern!(
    DONT_YOU_DARE,
    r"(?i)\b(?P<n>don'?t|do\s+not)\s+you\s+(?:dare|ever)\s+"
);
// "Can I get Secure Boot? If not, never mind": the answer either way, no undo.
pattern!(
    IF_NOT_NEVER_MIND,
    r"(?i)[,;.]?\s*\b(?:and\s+|but\s+)?if\s+not\s*,?\s*(?:then\s+)?(?:never\s*mind|no\s+worries|no\s+problem|no\s+biggie|forget\s+it|that'?s\s+(?:fine|ok|okay|alright)|skip\s+it|don'?t\s+worry(?:\s+about\s+it)?)\b"
);
// "make me an account, tomas", "I need a user, tomas.": the name said after the account.
pattern!(
    ACCOUNT_THEN_NAME,
    r"(?i)\b(?P<pre>(?:an?|my|one)\s+(?:new\s+)?(?:user\s+)?(?:account|user|login))\s*,\s+(?P<n>[a-z][a-z0-9_-]*)(?P<e>\s*(?:[.!;,]|$))"
);
// "half a gig for EFI": the size in numbers.
pattern!(
    HALF_A_UNIT,
    r"(?i)\bhalf\s+(?:a|an|one)\s+(?P<u>gig|gigabyte|gb|gib|tera|terabyte|tb|tib)s?\b"
);
// "my luks password is ...", "the disk encryption passphrase": the disk's secret, no user's.
pattern!(
    DISK_SECRET,
    r"\b(?:luks|encryption|encrypted|disk|drive|cryptsetup|unlock|decryption|root partition)\s+(?:password|passphrase|pass ?word|key|pw|pin)\b"
);
// "swap the size of my RAM", "twice the RAM as swap": a size said by the memory.
pattern!(
    RAM_SIZE,
    r"(?i)\b(?:(?P<twice>twice|double|2x|two times)\s+(?:the\s+)?(?:size\s+of\s+)?(?:my\s+|the\s+)?|(?P<half>half)\s+(?:of\s+)?(?:the\s+)?(?:size\s+of\s+)?(?:my\s+|the\s+)?|(?:the\s+)?same\s+(?:size\s+)?as\s+(?:my\s+|the\s+)?|(?:=|equal to|matching|to match)\s*(?:my\s+|the\s+)?|(?:the\s+)?size\s+of\s+(?:my\s+|the\s+)?|(?:my\s+|the\s+)?)(?:ram|memory)(?:[- ]siz(?:e|ed))?\b"
);
// "root in the clear", "home in plain text": not encrypted.
pattern!(
    IN_THE_CLEAR,
    r"(?i)\b(?:in the clear|in plain ?text|plaintext|unlocked|without luks|no luks)\b"
);
pattern!(
    ENCRYPT_PAIR,
    r"\b(?:encrypt\w*|luks)\s+(?P<a>root|home|swap|/[\w/]*)\s+plus\s+(?P<b>root|home|swap|/[\w/]*)\b"
);
// "I want to check windows still boots": looking, not a request.
pattern!(
    CHECK_ONLY,
    r"\b(?:check|verify|confirm|test|make sure|see)\s+(?:that\s+|if\s+|whether\s+)?(?:\w+\s+){0,2}?(?:still\s+)?(?:boots?|works?|runs?|starts?|is there|is ok|is fine|exists?)\b"
);
pattern!(
    NO_HOME,
    r"\b(?:no|without|skip|not bothering with|don'?t bother with|no need for|don'?t need|do not need|not using)\s+(?:[\w-]+\s+(?:or|and|nor)\s+)?(?:a\s+|any\s+)?(?:separate\s+|extra\s+|own\s+|dedicated\s+)?/?home(?:\s+partition)?\b"
);
// "no separate /boot": the layout has no /boot of its own.
pattern!(
    NO_BOOT,
    r"\b(?:no|without|skip|not bothering with|don'?t bother with|no need for|don'?t need|do not need|not using)\s+(?:a\s+|any\s+)?(?:separate\s+|extra\s+|own\s+|dedicated\s+)?/?boot(?:\s+partition)?\b"
);
pattern!(
    NOT_HOLDING,
    r"\b(?:disk|drive|ssd|one)\s+(?:that|which)\s+(?:doesn'?t|does not|don'?t|hasn'?t got|has not got)\s+(?:have\s+|hold\s+|contain\s+|got\s+)?(?:any\s+)?(?P<x>windows|ubuntu|fedora|debian|arch|mint|linux|anything|data|files)\b|\b(?:disk|drive|ssd|one)\s+(?:that has no|with no|without)\s+(?P<y>windows|ubuntu|fedora|debian|arch|mint|linux|data|files)\b"
);
pattern!(
    IF_EMPTY,
    r"\bif\s+(?:it|that|that one|the \w+(?: \w+)?)\s*(?:'s|is)\s+(?:really\s+|still\s+)?(?:empty|blank|unused|free|clean)\b|\bif\s+(?:it|that|the \w+(?: \w+)?)\s+has\s+nothing\s+on\s+it\b|\bunless\s+(?:there'?s|there is|it has|it holds|it'?s got)\s+(?:an?\s+|some\s+|any\s+)?(?:\w+\s+)?(?:os|operating system|system|windows|linux|ubuntu|data|files|partitions?|something|anything)\b|\bunless\s+(?:it'?s|it is)\s+(?:not\s+empty|in use|being used)\b"
);
pattern!(
    ENCRYPT_EXCEPT,
    r"\b(?:(?:encrypt\w*|luks\d?)\s+(?:on\s+)?(?:everything|all|it all|the whole (?:thing|disk|drive)|every partition|all partitions)|(?:everything|all|all of it)\s+(?:is\s+|should be\s+)?encrypted)\s+(?:except(?: for)?|but(?: not)?|apart from|other than|besides|excluding|save)\s+(?:the\s+)?(?P<x>[/\w]+(?:\s+partition)?)|\b(?:everything|all)\s+(?:except(?: for)?|but(?: not)?|apart from|other than|besides|excluding|save)\s+(?:the\s+)?(?P<y>[/\w]+)(?:\s+partition)?\s+(?:is\s+|should be\s+|gets?\s+)?(?:encrypted|luks)"
);
// "vdb will be docker storage later", "sdb is the USB swap thing", "vdc is the backup
// volume": what a disk is or will be for, said of a disk that is not the install's. (What
// the predicate names for the install, or a disk found empty, is not this.)
pattern!(
    DISK_ROLE,
    r"^(?:the\s+)?(?:[\w/.-]+\s+){0,3}?(?:is|'s|are|will be|is going to be|will become|becomes)\s+(?:just\s+|only\s+|still\s+)?(?:the\s+|my\s+|our\s+|an?\s+|for\s+|reserved for\s+)?.+$"
);
// "the USB thing is being used as swap right now": what a disk is in use for now.
pattern!(
    IN_USE_NOW,
    r"\b(?:is|are)\s+(?:being|currently|already|now)\s+used\b|\b(?:is|are)\s+(?:currently\s+|already\s+)?in use\b"
);
pattern!(
    ROLE_OF_THE_INSTALL,
    r"\b(?:use|using|used|install\w*|target|system|os|linux|levitate\w*|root|/|boot\w*|efi|esp|wipe\w*|eras\w*|format\w*|new|empty|blank|free|unused|spare|clean|fine|ok|okay|good|best|faster|fastest|bigger|biggest|one\s+(?:i|we|you)|where|home|swap\s+(?:partition|space|file)|ext[234]|btrfs|xfs|vfat|fat32|too|enough|small|smaller|big|large|tiny|huge|slow|full)\b|/"
);
pattern!(
    INTENT,
    r"\b(install\w*|reinstall|put|use|using|wipe\w*|eras\w*|format\w*|partition(ing)?\s+(the|my|it|this|that|/dev|sd[a-z]|vd[a-z]|nvme\w*)|repartition\w*|whole|entire|encrypt\w*|luks|fde|dual[ -]?boot|alongside|beside|next to|keep|replace|overwrite|take|go (with|on|for)|choose|pick|select|target|get rid|clean|destroy|delete|remove|nuke|from scratch|onto|into|defaults?|add (?:linux|it|the (?:new )?system|levitate\w*)|(?:go|goes|fit|fits|live|lives|sit|sits) (?:in|into|on|next to|beside|alongside)|(?:hold|holds|carry|carries|get|gets|take|takes) the (?:system|os|install\w*|linux|new system)|(?:system|os|linux)\s+(?:\w+\s+)?(?:on|onto)\s+(?:the|my|that|this|/dev/|sd[a-z]|vd[a-z]|nvme)|(?:disk|drive|ssd|hdd|nvme|one)\s+for\s+(?:the\s+)?(?:new\s+)?(?:system|os|linux|levitate\w*)|rather|prefer|set\s*up\s+(?:/dev/|sd[a-z]\b|vd[a-z]\b|nvme\w*|mmcblk\w*|the\s+(?:\w+\s+)?(?:disk|drive|ssd|hdd|nvme|one\b))|run\s+(?:linux|it|the (?:new )?system|levitate\w*)\s+(?:off|from|on)\s+(?:the|my|that|this|/dev/|sd[a-z]|vd[a-z]|nvme|mmcblk))\b"
);
// "my /data drive", "nothing on it for the OS", "one big xfs partition mounted at /data":
// a disk for data, without the system.
pattern!(
    DATA_ONLY,
    r"\bnothing\s+(?:on\s+it\s+|there\s+)?for\s+the\s+(?:os|system)\b|\b(?:data|storage|backup|media|archive)\s+(?:drive|disk)\b|\b(?:one|a|single)\s+(?:big\s+|single\s+|large\s+)?(?:ext4\s+|xfs\s+|btrfs\s+)?partition\s+(?:for|mounted at|at|as|on)\s+/[a-z]|\bno\s+(?:os|system|root)\s+(?:on\s+it|there)\b"
);
// "filesystems ext4 except efi & swap", "all filesystems xfs": one filesystem for the
// layout (the ESP is FAT and swap is swap whatever is said).
pattern!(
    FILESYSTEMS_ALL,
    r"(?i)\b(?:all\s+(?:the\s+)?)?(?:file\s?systems?|fs)\s*(?:are\s+|is\s+|:\s*|=\s*)?(?:all\s+)?(?P<f>ext4|xfs|btrfs)\b(?:\s+(?:except|but not|but|apart from|other than|besides|excluding)\s+(?:the\s+)?[\w/]+(?:\s*(?:and|&|,)\s*(?:the\s+)?[\w/]+)?)?"
);
pattern!(
    WHATS_ON_DISKS,
    r"^(?:what'?s|whats|what is)\s+on\s+(?:my|the|these|this|both|all)\s+(?:\w+\s+)?(?:disks?|drives?|ssds?|hdds?|machine|computer)\b"
);
pattern!(
    READ_ONLY,
    r"^(what|which|how|is|are|does|do|did|can i see|could i see|tell me|show|list|display|describe|check|look|view|see|any|whats|what's)\b|\b(tell me about|show me|what'?s on|how (big|much|large)|info(rmation)? (about|on)|details|already|ready|prepared|existing|currently)\b"
);

/// The unsupported topics of `tables::UNSUPPORTED`, compiled.
pub(super) static UNSUPPORTED: LazyLock<Vec<(Regex, &'static str, &'static str)>> =
    LazyLock::new(|| {
        super::tables::UNSUPPORTED
            .iter()
            .map(|(topic, words, reason)| (re(&format!(r"\b(?:{words})\b")), *topic, *reason))
            .collect()
    });

/// The first named group that matched, cut from the original text.
pub(super) fn captured(
    c: &regex::Captures<'_>,
    names: &[&str],
    original: &str,
    lower: &str,
) -> Option<String> {
    let m = names.iter().find_map(|n| c.name(n))?;
    let (folded, map) = super::text::fold_mapped(original);
    if folded == lower {
        let start = map.get(m.start()).copied()?;
        let end = map.get(m.end()).copied().unwrap_or(original.len());
        if let Some(v) = original.get(start..end) {
            return Some(v.trim().to_owned());
        }
    }
    Some(m.as_str().trim().to_owned())
}
// JSON typed into the chat ("us\"}, {\"action\": \"reboot\"}"), or a quote closed and a
// command chained after it ("quiet\" ; reboot"): an attempt to write actions, never read.
pattern!(INJECTED_JSON, r#"\{\s*"|"\s*\}|"action"\s*:"#);
// A quote followed by a separator ("quiet\" ; reboot"): with the quotes unbalanced, a
// value closed early and something chained after it.
pattern!(QUOTE_CHAINED, r#""\s*(?:;|&&|\|\|?)"#);
// Shell commands beyond the ones that say a setting ("ln -s .../zoneinfo/X"): erasing,
// downloading, powering off, substitutions. The installer runs no command it is given.
// ("grub -> /dev/vda", "=> /dev/sda": an arrow says where, no redirection.)
pattern!(
    SHELL_COMMAND,
    r"\brm\s+-[a-z-]*\s|\brm\s+-[a-z]+$|\bdd\s+(?:if|of)=|\bshutdown\s+(?:-\w+|now)\b|\b(?:curl|wget)\s+\S|\b(?:chmod|chown)\s+\S|\bkill(?:all)?\s+(?:-\w|\d)|\$\(|`[^`]*`|:\(\)\s*\{|(?:^|[^-=>])>\s*/dev/\w|\|\s*(?:ba|z)?sh\b|\bmkfs(?:\.\w+)?\s+/dev/(?:zero|null|mem)\b|\b(?:wipefs|sgdisk|sfdisk|gdisk|blkdiscard|shred|mkswap|cryptsetup)\s+(?:-{1,2}\w|/dev/)|\bmkfs(?:\.\w+)?\s+(?:-\S+\s+)*/dev/(?:[sv]d[a-z]|nvme\d+n\d+|mmcblk\d+)(?:\s|$)|\b(?:fdisk|parted)\s+/dev/|\bchpasswd\b|&&\s*(?:rm|echo|sudo|dd|mkfs\S*|wipefs|curl|wget|sh|bash|shutdown|poweroff|halt|chmod|chown|cat|mv|cp)\b"
);
// "put it on the disk", "on vda": where the thing just asked for goes.
pattern!(
    BOOT_TARGET_AFTER,
    r"^(?:and\s+)?(?:(?:put|install|place|write)\s+(?:it|that|grub|the bootloader)\s+)?(?:on|onto|to)\s+(?P<on>.+)$"
);
// "later on I'll probably wipe the 1TB", "I might erase the WD someday": a plan for
// another day (when, and a modal), told; nothing is asked now.
pattern!(
    FUTURE_WHEN,
    r"\b(?:later(?: on)?|some ?day|eventually|at some point|one day|in the future|next (?:week|month|year|time)|down the (?:road|line)|another day|in a (?:few )?(?:days?|weeks?|months?))\b"
);
pattern!(
    FUTURE_MODAL,
    r"\b(?:i'?ll|i will|i might|i may|i could|probably|maybe|perhaps|might|i want to|i'?d like to|i plan|i'?m planning|i'?m going to|gonna|we'?ll|we might)\b"
);
// "kenji +wheel +video": a run of groups, each with a plus, after a word.
pattern!(
    PLUS_RUN,
    r"(?P<before>[a-z0-9_])(?P<run>(?:\s+\+[a-z_][a-z0-9_-]*)+)\b"
);
// "grp: ivan -> docker", "group ivan => audio".
pattern!(
    GROUP_ARROW,
    r"(?i)\b(?:groups?|grps?):?\s+(?P<u>[a-z_][a-z0-9_-]*)\s*(?:->|=>|→)\s*(?P<g>[a-z_][a-z0-9_-]*)"
);
// "french keyboard (azerty)": the keyword first, so the value and its variant stay together.
pattern!(
    KEYBOARD_PAREN_AFTER,
    r"(?i)\b(?P<v>[a-z]+)\s+(?P<k>keyboard|layout|keymap)\s*\((?P<x>[a-z-]+)\)"
);
// "user = admin (sudo)", "username admin": the name is "admin".
pattern!(
    ADMIN_NAMED,
    r"(?i)\b(?:user(?:name)?\s*[:=]\s*|username\s+|login\s*[:=]\s*)(?P<n>admin|administrator)\b(?P<r>\s*\((?:sudo|admin|with sudo|administrator)\))?"
);
// "user admin, give it sudo", "new user admin with sudo": at the start of a clause, the
// word after "user" is its name even when it is "admin" ("an admin user" asks for rights).
pattern!(
    USER_THEN_ADMIN,
    r"(?i)(?P<pre>^|[,;.]\s*)(?:(?:make|create|add|set\s*up)\s+)?(?:(?:a|new|a new)\s+)?user\s+(?P<n>admin|administrator)(?P<post>\s*(?:[,;.]|$)|\s+(?:with|and)\b)"
);
// "I'm done with the data partition: mkfs.ext4 on sdb3", "my photos are safe: wipe it":
// a sentence about the machine, then after the colon what to do, a sentence of its own.
pattern!(
    SAID_THEN_COLON,
    r"(?i)(?P<pre>^|[.;!?]\s+)(?P<s>(?:i'?m|i am|we'?re|we are|i'?ve|i have|i|we|my|our|the|it|this|that)\s[^:.;!?=]{5,}):\s+(?P<v>(?:mkfs\S*|format|mount|wipe|erase|use|install|create|set|add|put|encrypt|make|give|copy|reformat|delete|remove|keep|leave|partition)\b)"
);
// "root shouldn't be encrypted, but /home should be", "... a separate /home that is":
// the word left out after the contrast is "encrypted", and the contrast two clauses (each
// part's own encryption is read per clause).
pattern!(
    ENCRYPTED_LEFT_OUT_YES,
    r"(?i)(?P<a>(?:\bnot|n't|\b(?:should|must|is|are|wo|would|does|do)nt|\bnever)\s+(?:be\s+)?encrypted\b[^.;]*?)[\s,]*\bbut\b(?P<b>[^.;]*?\b(?:should|must|will|would|can|is|are|needs to)(?:\s+be)?)(?P<end>\s*[.,;!]|\s*$)"
);
// "/home should be encrypted but root shouldn't": the same, denied.
pattern!(
    ENCRYPTED_LEFT_OUT_NO,
    r"(?i)(?P<a>\bencrypted\b[^.;]*?)[\s,]*\bbut\b(?P<b>[^.;]*?\b(?:shouldn'?t|should not|mustn'?t|must not|won'?t|will not|isn'?t|is not|aren'?t|are not|not)(?:\s+be)?)(?P<end>\s*[.,;!]|\s*$)"
);
// "the system on the SSD but /home on the WD": two placements, the second no exception.
pattern!(
    BUT_PLACED,
    r"(?i)(?P<a>\b(?:on|onto)\s+[^,.;!?]{1,40}?)\s+but\s+(?P<b>(?:the\s+|my\s+)?(?:/[\w/-]*|home|root|swap|boot|system)\b[^,.;!?]{0,40}?\b(?:on|onto)\s)"
);
// "she'll pick her own password", "my own account called leo": "own" is no name.
pattern!(
    OWN_THING,
    r"(?i)\b(?P<p>his|her|their|my|your|our)\s+own\s+"
);
// "the old encrypted linux on it can go", "wipe the encrypted install on the crucial": an
// install already there, described; the new system is not asked to be encrypted.
pattern!(
    OLD_ENCRYPTED_INSTALL,
    r"(?i)\b(?P<d>(?:the|my|that|this|his|her|our|an?)\s+(?:(?:old|existing|previous|current)\s+)?|(?:old|existing|previous|current)\s+)encrypted\s+(?P<n>install|installation|linux|system|fedora|ubuntu|debian|arch|mint|setup|os)\b"
);
// "the crucial, the one that is encrypted from my old linux": the encryption of what is
// there, describing the disk.
pattern!(
    ENCRYPTED_BY_OLD,
    r"(?i)\b(?P<w>that|which)\s+(?:is|was)\s+(?:already\s+|still\s+)?encrypted\s+(?:from|with|by|for|of|in)\s+(?P<o>(?:my|the|an?|our)\s+(?:old|existing|previous|former)\b)"
);
// "My home is Lisbon these days": where the speaker lives. (A capital: "my home is on
// the ssd" is no place.)
pattern!(
    HOME_IS_PLACE,
    r"\b(?i:my|our)\s+home\s+(?i:is|'s)\s+(?:in\s+)?(?P<p>[A-Z]\p{Ll}[\p{L}.'-]*)"
);
// "I'm in Tokyo but want the interface in British English": the place ends before "but".
pattern!(
    PLACE_BUT,
    r"\b(?P<a>(?i:i'?m|i am|we'?re|we are|i live|we live|based|located)\s+in\s+[A-Z][\p{L}.'-]*(?:\s+[A-Z][\p{L}.'-]*)*)\s+(?P<b>(?i:but))\b"
);
// "lock it with a passphrase", "lock it so it asks for a password when it starts up": a
// secret asked for at boot is the disk's encryption, not an account's password.
pattern!(
    LOCK_WITH_SECRET,
    r"(?i)\b(?:lock|protect|secure)\s+(?:it|them|everything|(?:the|my)\s+(?:[\w-]+\s+)?(?:system|install\w*|disk|drive|ssd|nvme|hdd|linux))(?:\s+(?:up|down))?\s+(?:with|using|behind|by)\s+(?:a\s+|an\s+)?(?:passphrase|password|pass phrase|key|pin)\b"
);
pattern!(
    SECRET_AT_BOOT,
    r"(?i)\b(?:(?:lock|protect|secure)\s+(?:it|them|everything|(?:the|my)\s+(?:[\w-]+\s+)?(?:system|disk|drive|ssd|nvme|hdd|linux))\s+)?(?:so\s+(?:that\s+)?)?(?:it|the\s+(?:computer|machine|laptop|pc|system|disk|drive))\s+(?:should\s+|will\s+|must\s+|has to\s+|needs to\s+)?asks?\s+(?:me\s+)?for\s+(?:a|the|my|some)\s+(?:password|passphrase|pass phrase|pin)\s+(?:right\s+)?(?:when|before|as soon as|every time|whenever|at|on)\s+(?:it\s+|the\s+\w+\s+)?(?:starts?|boots?|turns? on|powers? on|start-?up|boot|power-?on|switch(?:es)? on|is switched on|is turned on)(?:\s+up)?"
);
// "make it so ingrid can do the admin things", "let lyra do admin stuff": rights.
pattern!(
    DOES_ADMIN_THINGS,
    r"(?i)\b(?:(?:can you\s+)?make it so(?: that)?\s+|let\s+|allow\s+)?(?P<n>[a-z_][a-z0-9_-]*)\s+(?:can\s+|could\s+|may\s+|to\s+|is able to\s+|gets to\s+|(?:[a-z]+\s+)?be able to\s+)?(?:do|does|handle|handles|run|runs)\s+(?:the\s+|all\s+the\s+)?(?:admin|administrator|administrative|root|sudo)\s+(?:things|stuff|tasks|jobs|work|duties)\b"
);
// "4G swap and all the rest for everything else": the rest for the system.
pattern!(
    REST_FOR_EVERYTHING_ELSE,
    r"(?i)\b(?P<r>(?:all\s+)?the\s+rest|the\s+remainder|what'?s\s+left|everything\s+left)\s+(?:for|to|on)\s+everything\s+else\b"
);
// "the old encrypted linux on it can go", "macOS can go", "the install there can be
// wiped": leave to erase what a disk holds, said as a request to erase it. (A partition
// that can go is read where partitions are.)
pattern!(
    CAN_GO,
    r"(?i)(?P<pre>^|[,.;:!?]\s*|\b(?:and|but|so)\s+)(?P<x>(?:(?:the|my|that|this|its|their|all|everything)\s+)?(?:[\w/-]+\s+){0,5}?[\w/-]+)\s+(?:can|may|could)\s+(?:go|be\s+(?:wiped|erased|deleted|removed|overwritten|nuked|replaced|lost))(?P<e>\s*[.,;!]|\s*$|\s+(?:now|too|as well|away)\b)"
);
// "delete ubuntu", "remove the old windows", "make windows go away", "I don't need macOS
// anymore": erasing the system a disk holds, said with another verb. (Generic words need "old": "remove the current
// system" may mean the live one.)
pattern!(
    SYSTEM_REMOVED,
    r"(?i)\b(?:(?:delete|remove|uninstall|ditch)\s+(?P<x>(?:the\s+|my\s+|that\s+|this\s+)?(?:(?:old|existing|previous|former)\s+(?:\w+\s+)?(?:linux|install|installation|system|os)|(?:old\s+|existing\s+|previous\s+|former\s+)?(?:windows|macos|mac\s?os|ubuntu|fedora|debian|mint|manjaro|arch\s+linux))(?:\s+\d+)?)|make\s+(?P<y>(?:the\s+|my\s+|that\s+)?(?:old\s+)?(?:windows|macos|mac\s?os|ubuntu|fedora|debian|mint|manjaro|linux)(?:\s+\d+)?)\s+(?:go\s+away|disappear|vanish)|(?:i|we)\s+(?:(?:do\s*n[o'’]?t|dont)\s+(?:need|use)\s+(?P<z>(?:the\s+|my\s+|that\s+)?(?:old\s+)?(?:windows|macos|mac\s?os|ubuntu|fedora|debian|mint|manjaro)(?:\s+\d+)?)\s+(?:any\s*more|no\s+more)|no\s+longer\s+(?:need|use)\s+(?P<w>(?:the\s+|my\s+|that\s+)?(?:old\s+)?(?:windows|macos|mac\s?os|ubuntu|fedora|debian|mint|manjaro)(?:\s+\d+)?)))(?P<after>[^,.;:!?]*)"
);
// "sdb2", "/dev/nvme0n1p3": a partition's device name.
pattern!(PARTITION_PATH, concat!(r"(?i)\b", partition_name!(), r"\b"));
// "french (from belgium)", "azerty (as in belgium)": the place in the parentheses.
pattern!(
    FROM_PLACE_PAREN,
    r"(?i)\(\s*(?:from|in|of|for|as in|like in|as spoken in|as used in)\s+(?:the\s+)?(?P<c>[^(),;]{2,30}?)\s*\)"
);
// "the zfs stuff on it is old and can go": the reason given before the leave, one clause.
pattern!(
    OLD_AND_CAN_GO,
    r"(?i)\b(?:is|are)\s+(?:\w+\s+)?(?:old|obsolete|outdated|useless|junk|not needed|dead|unused)\s+(?:and|so)\s+(?:it\s+|they\s+)?(?P<v>(?:can|may|could)\s+(?:go|be\s+(?:wiped|erased|deleted|removed|overwritten|nuked)))\b"
);
// "a separate place for my documents", "my files kept apart from the system": a /home of its
// own.
pattern!(
    PLACE_FOR_FILES,
    r"(?i)\b(?:an?\s+)?(?:separate|seperate|seprate|own|dedicated|different)\s+(?:place|space|area|spot|section|part|bit)\s+(?:for|to\s+keep|to\s+store|where\s+i\s+keep)\s+(?:all\s+)?(?:my|our|the|personal)\s+(?:own\s+)?(?:documents|files|personal\s+files|stuff|data|things|photos|music)(?:\s+and\s+(?:stuff|things|photos|music|documents|files))?"
);
// "sda (860 EVO) gets wiped", "the old disk should be erased": an erase said of the disk.
pattern!(
    GETS_WIPED,
    r"(?i)(?P<pre>^|[,.;:!]\s*)(?P<x>(?:[\w/-]+\s+){0,4}?[\w/-]+)\s+(?:gets?|will\s+be|is\s+to\s+be|should\s+be|must\s+be|has\s+to\s+be|needs\s+to\s+be)\s+(?:completely\s+|fully\s+|entirely\s+)?(?:wiped|erased|nuked|overwritten|formatted)(?P<e>\s*[.,;:!]|\s*$)"
);
// "turn the 1G recovery partition into swap", "convert sdb2 to ext4": formatting it.
pattern!(
    TURN_INTO_FS,
    r"(?i)\b(?:turn|convert|change|make)\s+(?P<p>(?:the|my|that|this)\s+(?:[\w.-]+\s+){0,3}?partition|(?:/dev/)?(?:[svh]d[a-z]\d+|nvme\d+n\d+p\d+|mmcblk\d+p\d+))\s+(?:in)?to\s+(?:an?\s+)?(?P<f>swap|ext4|xfs|btrfs|vfat|fat32)\b(?:\s+partition)?"
);
// "my name is Priya Sharma, ...": one person, whose first name is the login asked for.
pattern!(
    MY_FULL_NAME,
    r"\b(?P<v>(?i:my\s+name\s+is|my\s+name's|i\s+am|i'm|im|call\s+me))\s+(?P<f>[A-Z][a-z]+)\s+[A-Z][a-z]+(?P<e>\s*(?:[,.;!]|$|\s+and\b))"
);
// "use priya as the login", "just call the account user": the account, named.
pattern!(
    USE_AS_LOGIN,
    r"(?i)\b(?:(?:use|take|pick|choose)\s+(?P<n>[a-z_][a-z0-9_-]*)\s+(?:as|for)\s+(?:the|my|a|our)\s+(?:login(?:\s+name)?|username|user\s*name|account\s+name|user\s+id)|(?:call|name)\s+(?:the|my|this|that)\s+(?:new\s+)?(?:account|login|user\s+account)\s+(?P<m>[a-z_][a-z0-9_-]*))\b"
);
// "p1 -> /boot/efi", "mount sdc2 / + sdc1 /boot/efi": an existing partition mounted, in
// shorthand.
pattern!(
    PART_ARROW_MOUNT,
    concat!(
        r"(?i)(?P<p>(?:/dev/)?",
        partition_name!(),
        r")\s*(?:->|=>|\x{2192})\s*(?P<m>/[\w/.-]*)"
    )
);
pattern!(
    MOUNT_PART_PATH,
    concat!(
        r"(?i)\bmount\s+(?P<p>(?:/dev/)?",
        partition_name!(),
        r")\s+(?P<m>/[\w/.-]*)(?P<more>(?:\s*[+&]\s*(?:/dev/)?",
        partition_name!(),
        r"\s+/[\w/.-]*)*)"
    )
);
// "the crucial, the one with my old linux. i don't need that anymore, can be erased":
// leave to erase what was just named, said of it with a pronoun or no word at all.
pattern!(
    THAT_CAN_GO,
    r"(?i)(?P<pre>[,.;:!]\s*|\b(?:and|but|so)\s+)(?P<x>(?:i|we)\s+(?:do\s*n[o'’]?t|dont)\s+(?:need|use|want)\s+(?:it|that|this|them|those|that\s+one)\s*(?:any\s*more|no\s+more)|(?:i|we)\s+no\s+longer\s+(?:need|use|want)\s+(?:it|that|this|them|those|that\s+one)|(?:(?:it|that|this|they|all\s+that|all\s+of\s+it|that\s+one|everything\s+(?:on\s+it|there))\s+)?(?:can|may|could)\s+(?:be\s+(?:wiped|erased|deleted|removed|overwritten|nuked|lost)|go))(?P<e>\s*[.,;!]|\s*$)"
);
// "the media partition should appear under /srv/media": mounted there.
pattern!(
    APPEARS_UNDER,
    r"(?i)\b(?:should|will|must|shall|needs to|has to|to|can)\s+(?:appear|show up|turn up|be available|be accessible|be visible|live|sit|end up)\s+(?:under|at|in|as)\s+(?P<p>/[\w/.-]*)"
);
// "add me, Petra, as the main person who can change all the settings": an account for
// the speaker, named, and the rights of whoever changes the settings.
pattern!(
    ADD_ME_NAMED,
    r"\b(?i:add|create|register|set up)\s+(?i:me)\s*,\s*(?P<n>[A-Z][a-z]{1,31})\b"
);
pattern!(
    SETTINGS_CHANGER,
    r"(?i)\b(?:as\s+)?(?:the|a)\s+(?:main\s+)?(?:person|one|user)\s+(?:who|that)\s+(?:can|may|is allowed to|gets to)\s+(?:change|manage|control)\s+(?:all\s+)?(?:the\s+)?(?:settings|things|everything)\b"
);
// "she should be allowed to install software (admin)": the rights to run the machine.
pattern!(
    ALLOWED_TO_INSTALL,
    r"(?i)\b(?:should|must|needs? to|has to|have to|want to|wants to|would like to)\s+be\s+(?:allowed|able|permitted)\s+to\s+install\s+(?:stuff|things|software|programs|apps|applications|updates|packages)(?:\s+(?:and|or)\s+(?:stuff|things|updates|change\s+settings))?(?:\s*\((?:admin|administrator|sudo|root)\))?"
);
// "The source image is /run/.../squashfs.img, copy the system from that one": the image
// said before, pointed back at.
pattern!(
    IMAGE_PATH,
    r"(?P<p>/[\w./-]+\.(?:img|squashfs|sfs|erofs|iso))\b"
);
pattern!(
    FROM_THAT,
    r"(?i)\b(?P<v>copy|install|extract|unpack)\b(?P<mid>[^,.;]*?)\bfrom\s+(?:that one|this one|that image|this image|that file|that|this|it|there)\b"
);
// "make it juergen", "call it jurgen", "use juergen": the login, said after a name that
// cannot be one.
pattern!(
    LOGIN_INSTEAD,
    r"^(?:-+\s*)?(?:(?:no|sorry|ok|okay|so|then|actually|fine|right)[,!]?\s+)*(?:(?P<verb>make it|call it|call him|call her|the login (?:is|will be|can be|should be)|login|username|user name)\s+)?(?P<n>[a-z_][a-z0-9_-]{0,31})(?:\s+(?:then|instead|please))*(?:\s+(?P<r>with|without)\s+(?:sudo|admin rights|admin|rights))?$"
);
// "the two seagates are my old lvm setup": storage that was, describing disks (nothing
// of it asked for).
pattern!(
    OLD_STORAGE_SAID,
    r"(?i)\b(?P<v>is|are|was|were)\s+(?:my|our|the|an?)\s+(?:old|former|previous)\s+(?:lvm|raid|zfs|md|mdadm|lvm2)(?:\s+(?:setup|set up|array|pool|volume group|volumes?|thing|stuff|mirror))?\b"
);
// "it only has 2 gigs of ram": the machine's memory, no disk's size.
pattern!(
    RAM_SAID,
    r"(?i)\b(?P<v>has|have|had|with|got)\s+(?:only\s+|just\s+)?\d+(?:[.,]\d+)?\s*(?:gigs?|gigabytes?|gb|gib|g|megs?|mb|mib)\s+(?:of\s+)?(?:ram|memory)\b"
);
// "make me (sam) an admin": the speaker's name, in parentheses.
pattern!(
    ME_PAREN,
    r"(?i)\b(?P<v>make|add|create|set up)\s+me\s*\((?P<n>[a-z][a-z0-9_-]{1,31})\)"
);
// "install on the crucial, replacing the old install": the erase said in passing, a
// request of its own.
pattern!(
    ERASING_SAID,
    r"(?i)(?P<pre>,\s*|\(\s*)(?P<g>wiping|erasing|replacing|overwriting|removing|deleting|nuking)\b"
);
// "encrypt the linux root, give it 60G", "i need swap? give it 8 gb": the size of the part
// just named.
pattern!(
    GIVE_IT_SIZE,
    r"(?i)(?P<part>(?:^|\s)(?:root|/home|home|swap|/boot|/var|/srv|/))(?P<mid>(?:\s[^.;,?!]{0,30}?)?)\s*[,.?!]\s*(?:and\s+|also\s+|then\s+)?(?:give|make|set)\s+it\s+(?:to\s+)?(?P<size>\d+(?:\.\d+)?\s*(?:[kmgt]i?b?|gigs?|gigabytes?|terabytes?))\b"
);
// "erase the hgst and install there, bootloader on that disk too", "have GRUB go into its
// MBR": on BIOS, the bootloader on the disk being laid out.
pattern!(
    BOOT_ON_THAT_DISK,
    r"\b(?:boot ?loader|grub)\b[^.;]*?\b(?:on|to|onto|in|into)\s+(?:(?:that|this|the|the new)\s+(?:same\s+)?(?:disk|drive|one|ssd|hdd)\b|(?:it|there)\b|(?:its|that disk'?s|the disk'?s)\s+mbr\b)|\b(?:boot ?loader|grub)\s+there\b"
);
// "install", "install linux on it", "put the new system there": where the system goes.
pattern!(
    INSTALL_THERE,
    r"^(?:just\s+)?(?:install|put|stick)(?:\s+(?:it|this|linux|levitate\w*|the (?:new )?(?:system|os)))?(?:\s+(?:on|onto|to|in|into)\s+(?:it|that(?: one| disk| drive)?|the same (?:disk|drive))|\s+there)?(?:\s+(?:now|instead|then))?$"
);
// "my files are on the ubuntu install, so leave that drive alone": the drive that system
// is on.
pattern!(
    LEAVE_THAT_SYSTEM,
    r"(?i)\b(?P<sys>ubuntu|fedora|debian|mint|arch|manjaro|windows|macos)\s+(?:install\w*|drive|disk|partition|one|ssd|hdd|system)\b(?P<mid>[^.;]*?)\b(?P<v>leave|keep|don'?t touch|do not touch|spare)\s+(?P<it>that drive|that disk|that one|it|that)\s+(?P<end>alone|as it is|untouched|intact)\b"
);
// "user called bob", at the start of a clause.
pattern!(
    BARE_USER_NAMED,
    r"(?i)(^|[,;.]\s*)(user|account|login)\s+(called|named)\b"
);
// "so I get a menu", "so that the kids can play": a clause saying why.
pattern!(
    PURPOSE,
    r"^(?:so|so that|in order that|that way)\s+(?:the\s+\w+|i|we|he|she|they|my\s+\w+|our\s+\w+|it|everyone|nobody|no one|you)\s+(?:can|could|get|gets|will|'ll|would|won'?t|don'?t|doesn'?t|have|has|may|might|am|is|are|be|works?|runs?|plays?|loads?|starts?)\b"
);
// "use it as /home", "mount it at /data": what was just named, put to use.
pattern!(
    USE_IT,
    r"^(?:and\s+|then\s+)?(?:use|mount|reuse|keep|copy|put)\s+(?:it|them|that|those)\b|^(?:and\s+|then\s+)?(?:put|install|place)\s+(?:the\s+(?:new\s+)?system|linux|the\s+os|everything)\s+(?:on|onto|in|into)\s+(?:it|them|that)$"
);
// "install it please", "and set that up": a thing named before, nothing of its own.
pattern!(
    INSTALL_IT,
    r"^(?:and\s+|then\s+)?(?:please\s+|can you\s+|could you\s+)?(?:install|add|set up|setup|get|enable|configure|do)\s+(?:it|them|that|those|this)(?:\s+(?:too|also|as well|for me|please|now))*$"
);
// "mount sda2 as root", "mount it as the home partition": a mount point in a word.
pattern!(
    MOUNT_WORD,
    r"\b(?:as|at|for|on)\s+(?:the\s+|my\s+)?(?P<w>root|home|boot|efi|esp)\b(?:\s+(?:filesystem|file system|partition|fs|directory|folder))?"
);
// A keyboard word earlier in the same clause: what follows may be a layout's description.
pattern!(
    KEYBOARD_BEFORE,
    r"(?i)\b(?:keyboards?|layout|keymap|variant|kbd|kb|keys)\b[^,;!?]*$"
);
// "layout: us, variant: us:intl" (from the descriptions): the variant says both.
pattern!(
    LAYOUT_THEN_VARIANT,
    r"(?i)\b(?:keyboard\s+)?layout:?\s+[a-z]+\s*[,;]?\s+variant:?\s+(?P<v>[a-z]+:[a-z0-9_-]+)"
);
pattern!(
    VARIANT_ALONE,
    r"(?i)\bvariant:?\s+(?P<v>[a-z]+:[a-z0-9_-]+)"
);
// The key of a setting other than the language, in a clause.
pattern!(
    OTHER_SETTING_KEY,
    r"\b(?:keyboards?|keymap|layout|kbd|kb|timezone|time ?zone|tz|clock|hostname|host|computer name|user|username|password)\b"
);
// "fr:afnor", "us(intl)", "de-nodeadkeys": a layout code and a variant code.
pattern!(
    LAYOUT_CODE,
    r"^(?P<l>[a-z]{2,8})\s*[:(-]\s*(?P<v>[a-z0-9_-]+)\)?$"
);
// "swap of -4G": a size below zero.
pattern!(
    NEGATIVE_SIZE,
    r"(?:^|[\s(=:])-\s?\d+(?:\.\d+)?\s?(?:[kmgt]i?b?|gigs?|gigabytes?|megs?|terabytes?)\b"
);
// "/ takes what's left", "home gets whatever is left", "what remains for /home": the
// rest of a disk, not the status question "what's left?".
pattern!(
    WHATS_LEFT,
    r"(?i)\b(?P<v>takes?|gets?|has|have|with|for|on|into|in|fills?|uses?|and|is|are)\s+(?:all\s+(?:of\s+)?)?(?:whatever|what)(?:'?s|\s+is)?\s+(?:left(?:\s+over)?|remaining|remains)\b"
);
pattern!(
    WHATS_LEFT_FOR,
    r"(?i)\b(?:whatever|what)(?:'?s|\s+is)?\s+(?:left(?:\s+over)?|remaining|remains)\s+(?P<t>(?:goes\s+)?(?:for|to|as|on)\s+(?:the\s+)?(?:/|root\b|home\b|swap\b|/\w))"
);
// "everything linux in a single partition": all of the new system, no erase of anything.
pattern!(
    EVERYTHING_OF_LINUX,
    r"(?i)\beverything\s+(linux|of linux|for linux|in\s+(?:one|a\s+single|a)\s+(?:single\s+)?partition)\b"
);
// "no dual boot", "I don't want to dual boot": the whole disk is meant.
pattern!(
    NO_DUAL_BOOT,
    r"\b(?:no|not|without|never|don'?t (?:want|need)(?: to| a)?|do not (?:want|need)(?: to| a)?)\s+(?:a\s+)?dual[ -]?boot"
);
// "everything btrfs", "everything encrypted": every partition so, not everything erased.
pattern!(
    EVERYTHING_SO,
    r"(?i)\beverything\s+(?:on\s+|in\s+|as\s+)?(ext4|btrfs|xfs|encrypted|luks)\b"
);
// "..., while you're at it", "if that's possible": how it is asked, said after a value.
pattern!(
    ASIDE_TAIL,
    r"(?i)[,]?\s+(?:while you'?re at it|while you are at it|if (?:that'?s|it'?s|that is|it is) (?:possible|ok|okay|alright)|if possible|if you can|if you could|when you get (?:a|the) chance|if you don'?t mind)\b"
);
// "English but with a German keyboard": "but" between two settings ends the first.
pattern!(
    BUT_ANOTHER_SETTING,
    r"(?i)\s+but\s+(?:with\s+|using\s+|on\s+)?(?:a\s+|an\s+|the\s+|my\s+)?(?P<k>(?:[\w-]+\s+)?(?:keyboard|keymap|language|locale|time ?zone|clock|hostname)\b|(?:i|we)\s+(?:want|need|would like|'d like|prefer)\s+(?:the\s+|my\s+)?(?:system|language|locale|keyboard|layout|menus|interface|everything|it)\b|(?:the\s+)?(?:system|menus|interface)\s+(?:in|to be in|should be in)\b)"
);
// "Berlin instead", "swiss german actually": a correction's word after its value.
pattern!(
    TRAILING_CORRECTION,
    r"(?i)\s+(?:instead|actually|rather)(?P<e>\s*(?:[,.;!?]|$)|\s+(?:and|then)\b)"
);
// "half for root", "three quarters of the drive for /": a share of the disk, in words.
pattern!(
    FRACTION,
    r"(?i)\b(?P<f>three quarters|three-quarters|two thirds|two-thirds|a quarter|one quarter|a third|one third|a half|one half|half)(?P<after>\s+(?:of\s+(?:it|the\s+(?:\w+\s+)?(?:disk|drive|space|ssd)|the\s+rest|what'?s\s+left)\s+)?(?:for|to|goes\s+to|as)\s|\s*$|\s*[,.;])"
);
// "leave the remainder for home": the rest goes there, nothing is kept.
pattern!(
    LEAVE_REST_FOR,
    r"(?i)\bleave\s+(?:the\s+)?(rest|remainder|remaining space)\s+(for|to|as)\b"
);
// "twenty gigs for root, ten for /var": a number in words before a part, its unit said
// with the size before.
pattern!(
    NUMBER_WORD_FOR_PART,
    r"(?i)\b(?P<n>(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|sixteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|and)[\s-]+)+)(?P<rest>(?:for|of|to|as)\s+(?:the\s+)?(?:/|root\b|home\b|swap\b))"
);
// "make that bot and put it in docker": the new name ends its clause.
pattern!(
    RENAMED_THEN,
    r"(?i)\b(make (?:that|it) [a-z_][a-z0-9_-]*)\s+and\s+"
);
// "an ext4 /boot": a filesystem, then where it is mounted.
pattern!(
    FS_THEN_PATH,
    r"\b(?:ext4|btrfs|xfs|vfat|fat32)\s+(?:partition\s+)?(?:for\s+|at\s+|as\s+)?(?P<m>/[a-z0-9/._-]*)"
);
// "do whatever makes sense with the disk", "up to you": the installer's default, asked for.
pattern!(
    YOUR_CHOICE,
    r"\b(?:whatever|what)\s+(?:makes (?:the most )?sense|(?:you think )?is best|works best|you think is best|you think makes sense|you recommend)\b|\bup to you\b|\byour call\b|\byou decide\b|\byou choose\b|\bsurprise me\b"
);
// "The EFI and recovery partitions stay": both kept, one sentence (not "the EFI", a
// partition asked for, and then a keep).
pattern!(
    BOTH_STAY,
    r"(?i)\b(?:the\s+)?(?P<a>[\w/-]+)\s+and\s+(?:the\s+)?(?P<b>[\w/-]+)\s+(?P<n>partitions?|ones?|disks?|drives?)\s+(?:both\s+)?(?:stay|remain|are kept|stay put|are to stay|stay as they are|are left alone)\b"
);
// One disk's device name in a list of them.
pattern!(DISK_PATH, concat!(r"(?i)", disk_path!()));
// "leave sdb, sdc and sdd alone", "sdb/sdc/sdd stay untouched", "nvme0n1 is off-limits":
// disks named by device, each kept.
pattern!(
    KEPT_DISK_LIST,
    concat!(
        r"(?i)\b(?:(?:leave|keep|don'?t\s+touch|do\s+not\s+touch|spare|hands\s+off(?:\s+of)?)\s+(?:the\s+)?(?P<a>",
        disk_path!(),
        r"(?:\s*(?:,|/|&|\+|\band\b|\bor\b|,\s*and\b)\s*",
        disk_path!(),
        r")*)(?:\s+(?:alone|untouched|intact|as\s+is|as\s+they\s+are|as\s+it\s+is))?|(?P<b>",
        disk_path!(),
        r"(?:\s*(?:,|/|&|\+|\band\b|,\s*and\b)\s*",
        disk_path!(),
        r")*)\s+(?:\w+\s+){0,2}?(?:stays?|remains?|is|are|must\s+stay|should\s+stay|must\s+remain|should\s+remain)\s+(?:(?:completely|totally|entirely|strictly)\s+)?(?:untouched|intact|alone|off[- ]limits|hands[- ]off|as\s+is|as\s+they\s+are|as\s+it\s+is|not\s+to\s+be\s+touched))\b"
    )
);
// "the other disk has my photos, don't erase those": the disk that holds them, kept.
pattern!(
    HOLDS_THEN_KEEP,
    r"(?i)\b(?P<d>the\s+other\s+(?:\w+\s+)?(?:disk|drive|one|hdd|ssd)|(?:the|my)\s+(?:[\w-]+\s+){0,2}?(?:disk|drive|hdd|ssd|card|stick))\s+(?:has|holds|contains|is\s+where|is\s+full\s+of)\b(?P<x>[^.;!?]*?),\s*(?P<so>(?:so\s+|and\s+|please\s+)*)(?P<v>don'?t|do\s+not|never)\s+(?P<w>erase|wipe|touch|delete|format|lose|overwrite)\s+(?:those|them|it|that|these|this|any\s+of\s+(?:it|that|them|those))\b"
);
// "the sd card and the kingston stay as they are": each one kept.
pattern!(
    TWO_STAY,
    r"(?i)\b(?P<a>(?:the|my)\s+(?:[\w/-]+\s+)?[\w/-]+|(?:/dev/)?(?:sd[a-z]|vd[a-z]|nvme\d+n\d+|mmcblk\d+))\s+and\s+(?P<b>(?:the|my)\s+(?:[\w/-]+\s+)?[\w/-]+|(?:/dev/)?(?:sd[a-z]|vd[a-z]|nvme\d+n\d+|mmcblk\d+))\s+(?:both\s+)?(?:stay|remain|are\s+kept|stay\s+put|are\s+to\s+stay|are\s+left\s+alone|are\s+off[- ]limits|must\s+stay|should\s+stay|(?:must|should|may|can)\s*(?:not|n'?t)\s+be\s+(?:touched|wiped|erased|formatted|changed)|(?:must|should)\s+never\s+be\s+(?:touched|wiped|erased|formatted))(?P<how>\s+(?:as\s+they\s+are|untouched|intact|alone))?\b"
);
// "clean up the hostname, I want it to be studio", "erase the timezone I typed, make it
// Tokyo": a setting's value replaced, in words that sound like erasing.
pattern!(
    SETTING_REPLACED,
    r"(?i)\b(?:clean up|erase|wipe|nuke|scrap|delete|remove|kill|drop|forget|terminate|scratch|get rid of|throw out)\s+(?:the\s+|my\s+)?(?:old\s+|default\s+|current\s+|previous\s+)?(?P<k>hostname|host name|computer name|time ?zone|locale|language|keyboard(?: layout)?)\b[^,;.:]*[,;.:]?\s*(?:i want (?:it|that|mine) to be|i want|make it|set it to|change it to|use|it should be|should be)\s+(?:just\s+|simply\s+)?"
);
// "the matching keyboard", "a keyboard to match", "the local language there": the kind
// of setting that follows from what else was said.
pattern!(
    MATCHING_KIND,
    r"(?i)\b(?:the\s+|a\s+)?(?:matching|corresponding|same|local|native)\s+(?P<k>keyboard|keymap|layout|language|locale)(?:\s+(?:there|too|also|as well|of (?:that|the) (?:place|city|country)))*\b|\b(?:the\s+|a\s+)?(?P<j>keyboard|keymap|layout|language|locale)\s+(?:to match|that matches|that goes with it|to go with it)\b"
);
// "Swedish for both the language and the keyboard".
pattern!(
    FOR_BOTH,
    r"(?i)\b(?P<v>[a-z][\w-]*)\s+(?:for|as)\s+both\s+(?:the\s+)?(?P<a>language|locale|keyboard|keymap|layout)\s+and\s+(?:the\s+)?(?P<b>language|locale|keyboard|keymap|layout)\b"
);
// A dash between words ("orion - wait, no", "Arizona - we don't do daylight saving")
// ends a clause, as a comma would.
pattern!(SPACED_DASH, r"\s+[-\u{2013}\u{2014}]+\s+(?P<next>\S+)");
// "I'm Danish, switch the language to mine": the speaker's own language.
pattern!(
    LANGUAGE_MINE,
    r"(?i)\b(?:language|locale)\s+(?:to\s+|in\s+)?(?:mine|my own|my language|my own language)\b"
);
// "that one", "use it": a disk named before, pointed at.
pattern!(
    POINTS_BACK,
    r"\b(?:that one|that disk|that drive|this one|it)\b"
);
// "the disk that isn't in use", "the unused one": no partition of it mounted or swapping.
pattern!(
    NOT_IN_USE,
    r"(?i)\b(?:that\s+|which\s+)?(?:isn'?t|is not|aren'?t|that'?s not|not)\s+(?:being\s+|currently\s+)?(?:in use|used|mounted|busy)\b|\bunused\b"
);
// "it should run on UTC", "the box lives in Tokyo time".
pattern!(
    RUNS_ON_ZONE,
    r"^(?:it|the (?:clock|system|machine|box|server|pc|computer)|(?:servers|machines|clocks))\s+(?:should\s+|will\s+|must\s+|can\s+|always\s+)?(?:run|be|stay|live|keep time)s?\s+(?:on|in)\s+(?P<z>[a-z0-9][a-z0-9 /_+:-]*?)(?:\s+time)?$"
);
// "danish keyboard + danish language": a plus between words joins two requests.
pattern!(SPACED_PLUS, r"\s+\+\s+");
// "student1 through student4", "pc01 to pc05": a numbered run of names.
pattern!(
    NAME_RANGE,
    r"(?i)\b(?P<a>[a-z][a-z_-]*?)(?P<m>\d{1,3})\s+(?:through|thru|to|till|until|-)\s+(?P<b>[a-z][a-z_-]*?)(?P<n>\d{1,3})\b"
);
