// Package reply reads what a recipient meant by an SMS answer: yes, no,
// stop, "I can't attend", a confirmation, a bare option number, or nothing
// clear. It is pure: no I/O, no state, the same body always gives the same
// Reply.
//
// It understands Norwegian (bokmål and nynorsk) and English, ignoring case,
// accents (é is e; æ, ø and å stay themselves, ä and ö count as æ and ø),
// punctuation, emoji, letters repeated for emphasis ("jaaa"), polite filler
// ("takk", "hei", "dessverre", "sorry"), lines quoted with ">", long
// quotations of our own message inside quote marks, and a trailing
// signature ("Hilsen Kari", "Sendt fra min iPhone").
//
// Decisions worth knowing:
//
//   - Stop wins over everything. The words stopp, stop, stopall, avslutt,
//     avmeld, unsubscribe, "meld (meg) av", "opt out" anywhere in the
//     message make it Stop, even after other words ("Ja. Nei forresten,
//     STOPP"). Words that are also everyday English (end, quit, cancel,
//     revoke, slutt) only count when they are the whole message, as
//     Twilio's own keyword handling does.
//   - "ok", "okay", "greit" and a thumbs-up emoji are Yes: in every
//     dialogue step the service asks a yes/no question, and agreeing is what
//     they mean. The caller decides what Yes means at its step.
//   - Single letters (y, j, n) count only when they are the whole answer;
//     "no" counts as No only at the start, because in nynorsk "no" also
//     means "now" ("eg kjem no").
//   - When the message holds two families, the more specific one wins
//     where they agree (yes + confirm is Confirm, no + can't attend is
//     CantAttend); any other mix ("ja, men nei") is Unclear, and so is any
//     hesitation or question ("kanskje", "vet ikke", "not sure", "hva").
//   - A bare option number (1 to 9, optionally with filler such as "nr")
//     is Number; digits next to a recognised word are ignored.
//   - Empty means the message has no words, digits or recognised emoji at
//     all (blank, punctuation, a smiley); text the parser does not
//     recognise is Unclear, and Reply.Text keeps it for the dialogue (for
//     example an answer to "what is your education?").
package reply
