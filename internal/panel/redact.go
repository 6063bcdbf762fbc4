package panel

import "log/slog"

// Phone is a phone number in E.164 form (e.g. "+4791234567"). It redacts
// itself when logged through log/slog, so a number never reaches the logs.
type Phone string

// LogValue implements slog.LogValuer: a phone number never reaches a log.
func (p Phone) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// Secret is a credential (API token, auth token, password). It logs as
// "[redacted]" and prints through %s or %v the same way; call Reveal to get
// the value itself.
type Secret string

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// String implements fmt.Stringer so that a Secret printed by accident is
// still hidden.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// Reveal returns the secret's value, for the one place that needs it.
func (s Secret) Reveal() string { return string(s) }
