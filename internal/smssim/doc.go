// Package smssim is the simulated SMS gateway, the service's default
// (PANEL_SMS=simulated): a panel.SMSGateway that sends nothing anywhere. It
// gives each message an id "SIM" + 32 hex digits, keeps the most recent
// messages in memory (bounded) for inspection and for FindSent, and reports
// each message's delivery statuses (queued, sent, then delivered, or a
// chosen failure) through an injected callback, so the service applies
// them exactly as it applies Twilio's status callbacks.
//
// Reports are made synchronously inside Send, before it returns: the
// service therefore sees every status before it stores the message's id,
// which is the "callback arrives early" case its outbox must handle anyway.
// Kept messages live only as long as the process; nothing is logged but
// ids and statuses.
package smssim
