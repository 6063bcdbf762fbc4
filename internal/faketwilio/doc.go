// Package faketwilio is a fake of Twilio's Programmable Messaging REST API
// on loopback, for tests and for `panel simulate`. The real twilio-go client
// talks to it as to Twilio (point it there with a transport that rewrites
// scheme and host, as internal/twiliosms does with Config.BaseURL).
//
// It serves the Messages resource at Twilio's paths (create, fetch, delete, list with
// Twilio's filters and paging) behind HTTP Basic auth, answers errors in
// Twilio's JSON shape, posts signed status callbacks (queued, sent, then
// delivered, undelivered or failed) and posts signed inbound SMS to a webhook
// exactly as Twilio does. Faults can be injected at any time from any
// goroutine: per-number permanent errors, rate limiting (429 with
// Retry-After), server errors, slow answers, and "accept then fail", where a
// message is created but the client gets no usable answer.
//
// Randomness (SIDs, outcome rates, callback order) comes from a PCG source
// seeded by Options.Seed, so runs are reproducible for a given request order.
// No phone number or message body is logged.
package faketwilio
