// Package sender drains the durable outbox (panel.Outbox) through an SMS
// gateway (panel.SMSGateway) so that every queued message reaches the
// provider exactly once, also across crashes and with several replicas.
//
// A Sender claims a batch of due messages under a lease, sends each at the
// campaign's rate (a token bucket per campaign) outside its quiet hours, and
// records the outcome: the provider's id (in one transaction per batch), a
// retry with exponential backoff and full jitter for rate limits and server
// errors, or a permanent failure.
//
// Exactly once rests on three rules. A message is sent only while its lease
// has at least Config.SendTimeout left, so no other sender can take it over
// while a send may still be in flight. A message whose earlier attempt may
// have reached the provider (its lease expired, or the provider gave no
// answer or a 5xx) is first looked up with Gateway.FindSent, and a message
// with the same body adopts the provider's id instead of being sent again.
// Every write that finishes a claim checks the lease owner, so a sender that
// lost its lease changes nothing. Leases are stamped with the claiming
// replica's clock and judged by the others', so replicas' clocks must agree
// to well within Config.Lease minus twice Config.SendTimeout (NTP does).
//
// A Poller reconciles delivery statuses. The provider posts each status
// once; callbacks posted while the service is down are lost, and their
// messages would stay sent for ever. The Poller claims messages that are
// still sent some time after sending (PollerConfig.Schedule: 10 min, 30 min,
// 2 h, ... by age, giving up after 48 h), fetches their status with
// Gateway.Status at a modest rate, and applies final ones with the
// outbox's forward-only ApplyStatus.
//
// Time, sleeping and randomness are injected (Config.Clock, Config.Sleep,
// Config.Rand), so rate limits, quiet hours and backoff run on a fake clock
// in tests. Logs carry message and campaign ids and error codes, never a
// phone number or a message body.
package sender
