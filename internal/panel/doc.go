// Package panel holds the domain of the citizens' panel service: the types
// every part shares (campaigns, recipients, messages, volunteers, draws,
// meetings, audit events, API tokens), the one error type, and the
// interfaces the service depends on. Adapters (the GORM store, the Twilio
// gateway, the Gin API, the cron scheduler) live in their own packages and
// implement these interfaces; nothing here imports them.
package panel
