package panel

import "context"

// ReminderPolicyService changes a campaign's reminder policy; the policy
// in force is read with ReminderStore.ReminderSettings.
type ReminderPolicyService interface {
	// SetReminderPolicy stores the policy written as ParseReminderPolicy
	// reads it ("" restores DefaultReminderPolicy, "none" turns reminders
	// off) and appends an audit event, in one transaction. EINVALID naming
	// reminder_policy; ENOTFOUND when there is no such campaign.
	SetReminderPolicy(ctx context.Context, campaignID int64, policy string) error
}
