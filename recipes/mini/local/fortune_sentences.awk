# Sentences for the synthetic corpus, from fortune(6) files (fortunes
# separated by lines holding only "%").
#
#   awk -f local/fortune_sentences.awk FILE...  >  sentences.tsv
#
# Prints one line per usable sentence: "<spoken><TAB><transcript>".
#   spoken      what espeak-ng is given: the sentence with numbers, "&" and
#               a few abbreviations written out as words, punctuation kept
#               for prosody (. , ; : ! ? and in-word hyphens/apostrophes).
#   transcript  the LibriSpeech-style text of exactly those words: upper case,
#               A-Z and in-word apostrophes, single spaces.
# Because espeak-ng reads the spoken form, which holds nothing but plain
# words, what it says matches the transcript (it reads digits its own way,
# e.g. "$5" as "dollar five", so digits are never left to it).
# A sentence is dropped whole when any token is something espeak-ng would
# spell out or read unpredictably: acronyms (IBM), words without vowels
# (hmm), symbols (/ @ # * + =), digits in other shapes (10:30, 555-1234),
# non-ASCII text; and when it has fewer than MIN_WORDS or more than
# MAX_WORDS words (set with -v; defaults 3 and 20).
# Plain POSIX awk (mawk has no regex intervals, so none are used).

BEGIN {
  if (MIN_WORDS == "") MIN_WORDS = 3
  if (MAX_WORDS == "") MAX_WORDS = 20
  split("zero one two three four five six seven eight nine ten eleven twelve thirteen " \
        "fourteen fifteen sixteen seventeen eighteen nineteen", w, " ")
  for (i = 0; i < 20; i++) SMALL[i] = w[i + 1]
  split("twenty thirty forty fifty sixty seventy eighty ninety", w, " ")
  for (i = 2; i < 10; i++) TENS[i] = w[i - 1]
  # Abbreviations written out (lower case key without the final period).
  ABBR["mr"] = "Mister"; ABBR["mrs"] = "Missus"; ABBR["dr"] = "Doctor"
  ABBR["jr"] = "Junior"; ABBR["sr"] = "Senior"; ABBR["prof"] = "Professor"
  ABBR["mt"] = "Mount"; ABBR["capt"] = "Captain"; ABBR["lt"] = "Lieutenant"
  ABBR["sgt"] = "Sergeant"; ABBR["gov"] = "Governor"; ABBR["vs"] = "versus"
  ABBR["etc"] = "et cetera"; ABBR["e.g"] = "for example"; ABBR["i.e"] = "that is"
  # Parts of speech of the definitions ("brain, n.: ..."), dropped.
  split("n v vt vi adj adv pl prep conj interj pron", w, " ")
  for (i in w) POS[w[i]] = 1
  # Abbreviations that never end a sentence (a period after them is no stop).
  split("mr mrs dr jr sr prof mt capt lt sgt gov vs e.g i.e st ms", w, " ")
  for (i in w) NOSTOP[w[i]] = 1
  for (i in POS) NOSTOP[i] = 1
  text = ""; skipping = 0
}

# --- numbers -------------------------------------------------------------

# Cardinal, British style as espeak-ng's English voices also say it:
# 105 -> "one hundred and five", 2005 -> "two thousand and five".
function below1000(n,   s) {
  s = ""
  if (n >= 100) {
    s = SMALL[int(n / 100)] " hundred"
    n = n % 100
    if (n == 0) return s
    s = s " and "
  }
  if (n < 20) return s SMALL[n]
  return s TENS[int(n / 10)] (n % 10 ? "-" SMALL[n % 10] : "")
}
function cardinal(n,   s, scale, names, i, part) {
  if (n < 1000) return below1000(n)
  split("thousand million billion", names, " ")
  s = ""
  scale = 1e9
  for (i = 3; i >= 1; i--) {
    part = int(n / scale)
    if (part > 0) {
      s = s (s == "" ? "" : " ") below1000(part) " " names[i]
      n = n - part * scale
    }
    scale = scale / 1000
  }
  if (n == 0) return s
  return s (n < 100 ? " and " : " ") below1000(n)
}
# Years as read aloud: 1984 -> "nineteen eighty-four", 1900 -> "nineteen
# hundred", 1905 -> "nineteen oh five"; other numbers as cardinals.
function year_or_cardinal(n,   hi, lo) {
  if (n < 1100 || n > 1999) return cardinal(n)
  hi = below1000(int(n / 100)); lo = n % 100
  if (lo == 0) return hi " hundred"
  if (lo < 10) return hi " oh " SMALL[lo]
  return hi " " below1000(lo)
}
function ordinal(words,   n, last, head, parts) {
  n = split(words, parts, " ")
  last = parts[n]
  head = substr(words, 1, length(words) - length(last))
  if (last ~ /-/) {  # twenty-one -> twenty-first
    head = head substr(last, 1, index(last, "-"))
    last = substr(last, index(last, "-") + 1)
  }
  if (last == "one") last = "first"
  else if (last == "two") last = "second"
  else if (last == "three") last = "third"
  else if (last == "five") last = "fifth"
  else if (last == "eight") last = "eighth"
  else if (last == "nine") last = "ninth"
  else if (last == "twelve") last = "twelfth"
  else if (last ~ /y$/) last = substr(last, 1, length(last) - 1) "ieth"
  else last = last "th"
  return head last
}
function plural(words) {  # 1960s -> nineteen sixties
  if (words ~ /y$/) return substr(words, 1, length(words) - 1) "ies"
  return words "s"
}
function digits_ok(d) {  # no leading zero (007 is read digit by digit), < 10^12
  return d ~ /^[0-9]+$/ && (d == "0" || d !~ /^0/) && length(d) <= 12
}
# Words for a token holding digits, or "" when the token is not understood.
function number_words(t,   d, i, out) {
  if (t ~ /^[0-9][0-9]?[0-9]?(,[0-9][0-9][0-9])+$/) {
    d = t; gsub(/,/, "", d)
    return digits_ok(d) ? cardinal(d + 0) : ""
  }
  if (digits_ok(t)) return year_or_cardinal(t + 0)
  if (t ~ /^[0-9]+(st|nd|rd|th)$/) {
    d = t; sub(/[a-z]+$/, "", d)
    return digits_ok(d) ? ordinal(cardinal(d + 0)) : ""
  }
  if (t ~ /^[0-9]+'?s$/) {
    d = t; sub(/'?s$/, "", d)
    return digits_ok(d) ? plural(year_or_cardinal(d + 0)) : ""
  }
  if (t ~ /^[0-9]+\.[0-9]+$/) {
    d = substr(t, 1, index(t, ".") - 1)
    if (!digits_ok(d)) return ""
    out = cardinal(d + 0) " point"
    for (i = index(t, ".") + 1; i <= length(t); i++) out = out " " SMALL[substr(t, i, 1) + 0]
    return out
  }
  if (t ~ /^\$[0-9]/) {
    d = substr(t, 2)
    if (!digits_ok(d)) return ""
    return cardinal(d + 0) (d == "1" ? " dollar" : " dollars")
  }
  if (t ~ /^[0-9]+%$/) {
    d = substr(t, 1, length(t) - 1)
    return digits_ok(d) ? cardinal(d + 0) " percent" : ""
  }
  return ""
}

# --- tokens --------------------------------------------------------------

# A plain word espeak-ng reads as a word: letters with in-word apostrophes or
# hyphens, some vowel in every hyphen-separated part, not an acronym.
function plain_word(t,   n, i, parts) {
  if (t !~ /^[A-Za-z]+(['-][A-Za-z]+)*$/) return 0
  if (t == "a" || t == "A" || t == "I") return 1
  if (length(t) == 1) return 1  # a letter, said as its name
  if (t !~ /[a-z]/) return 0  # IBM, USA, NASA: spelled or guessed
  n = split(t, parts, "-")
  for (i = 1; i <= n; i++)
    if (parts[i] !~ /[AEIOUYaeiouy]/) return 0
  return 1
}

# Spoken form of one whitespace-separated token: "," for a pause (a dash, an
# ellipsis), "" for a token left out (a part of speech such as "n."), or
# "\001" when the sentence must be dropped.
function spoken_token(tok,   core, post, key, words) {
  # Dashes and ellipses between words ("--", "...") are pauses.
  if (tok ~ /^["'`(\[{]*(-+|\.\.+)[.,;:!?"')\]}]*$/) return ","
  core = tok
  sub(/^["'`(\[{]+/, "", core)
  post = core
  if (match(core, /[".,;:!?')\]}]+$/)) {
    post = substr(core, RSTART); core = substr(core, 1, RSTART - 1)
  } else post = ""
  # An abbreviation keeps its own period: "Mr." or "e.g.,".
  key = tolower(core)
  if ((core in POS) && post ~ /^[.:]/) {
    return ""
  } else if (substr(post, 1, 1) == "." && (key in ABBR)) {
    words = ABBR[key]; post = substr(post, 2)
  } else if (core == "&") {
    words = "and"
  } else if (core ~ /[0-9]/) {
    words = number_words(core)
    if (words == "") return "\001"
  } else if (plain_word(core)) {
    words = core
  } else {
    return "\001"
  }
  gsub(/[^.,;:!?]/, "", post)
  return words post
}

# Upper case A-Z and in-word apostrophes, single spaces.
function transcript(s) {
  s = toupper(s)
  gsub(/[^A-Z']+/, " ", s)
  gsub(/' | '/, " ", s); gsub(/^'|'$/, "", s)
  gsub(/  +/, " ", s); sub(/^ /, "", s); sub(/ $/, "", s)
  return s
}

function emit_sentence(tokens, n,   i, start, out, sp, tr, nw, w) {
  start = 1
  # A list marker such as "(1)" or "2." or a speaker tag such as "Q:" opens
  # some fortunes.
  if (n > 0 && tokens[1] ~ /^(\([0-9A-Za-z]+\)|[0-9]+[.)]|[A-Z]:)$/) start = 2
  out = ""
  for (i = start; i <= n; i++) {
    sp = spoken_token(tokens[i])
    if (sp == "\001") return
    if (sp == ",") {  # a pause joins the word before it, once
      if (out != "" && out !~ /[.,;:!?]$/) out = out ","
    } else if (sp != "") out = out (out == "" ? "" : " ") sp
  }
  sub(/^[,;: ]+/, "", out); sub(/,$/, "", out)
  tr = transcript(out)
  nw = split(tr, w, " ")
  if (nw < MIN_WORDS || nw > MAX_WORDS) return
  print out "\t" tr
}

# Splits one fortune's text into sentences at . ! ? (closing quotes and
# brackets may follow) before a capital letter or the end, except after an
# abbreviation or a single-letter initial such as "R. A. Heinlein".
function flush_fortune(   n, tok, i, cur, core, key) {
  if (text ~ /[^ -~]/) { text = ""; return }  # non-ASCII, backspaces
  # An attribution on the last line: "... rain. -- Milo Bloom".
  if (match(text, /[.!?"'] +--+ *[A-Z][^.!?-]*$/)) text = substr(text, 1, RSTART)
  n = split(text, tok, " ")
  cur = 0
  for (i = 1; i <= n; i++) {
    cur++; sent[cur] = tok[i]
    if (tok[i] !~ /[.!?]["')\]]*$/) continue
    core = tok[i]; sub(/^["'`(\[]+/, "", core); sub(/[.!?"')\]]+$/, "", core)
    key = tolower(core)
    if (tok[i] ~ /\.["')\]]*$/ && ((key in NOSTOP) || core ~ /^[A-Za-z]$/)) continue
    if (i < n && tok[i + 1] !~ /^["'`(\[]*[A-Z0-9]/) continue
    emit_sentence(sent, cur)
    cur = 0
  }
  if (cur > 0) emit_sentence(sent, cur)
  text = ""
}

FNR == 1 && NR > 1 { flush_fortune(); skipping = 0 }
/^%$/ { flush_fortune(); skipping = 0; next }
# An attribution ("-- Mark Twain") closes a fortune: skip it to the next %.
/^[ \t]*--/ { skipping = 1; next }
skipping { next }
{ gsub(/\t/, " "); text = text " " $0 }
END { flush_fortune() }
