// Package smstext measures SMS texts and fills in their templates.
//
// Analyze tells how a text would travel: in the GSM 03.38 7-bit alphabet
// (160 characters in one SMS, 153 per part when split; Norwegian æ, ø and
// å are in it) or, as soon as one character is outside it (curly quotes,
// en and em dashes, emoji, most accented capitals), in UCS-2 (70, or 67 per
// part). Only the default alphabet and its extension table are used: the
// national shift tables are not, as Norwegian operators and Twilio send
// Norwegian text in the default alphabet.
//
// Templates are texts with placeholders such as {keyword} or
// {meeting_date}. Parse checks a template against the placeholders a kind
// of message allows, Render fills it in, and CheckFits renders it with
// long sample values and says, in words an organiser understands, when the
// result would need more SMS segments than allowed. Errors are
// *panel.Error values with code EINVALID.
package smstext
