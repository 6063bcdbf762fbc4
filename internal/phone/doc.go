// Package phone turns phone numbers as people type them into E.164 form
// ("+4791234567") using github.com/nyaruka/phonenumbers, the Go port of
// Google's libphonenumber. Norway is the default region, so national
// 8-digit numbers are read as Norwegian.
//
// Errors are *panel.Error values with code EINVALID whose message says why
// a number was refused ("too short", "unknown country code", ...) and never
// repeats the number itself, so they are safe to show and to log.
package phone
