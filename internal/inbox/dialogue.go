package inbox

import (
	"maps"
	"time"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/reply"
)

// decide is the dialogue: what one message means, given the sender's state
// read in snap. It is pure (now is the time the message is handled) and
// never fails on any body.
func decide(now time.Time, in panel.InboundSMS, snap *panel.DialogueSnapshot) *panel.DialogueOutcome {
	out := &panel.DialogueOutcome{MessageState: panel.InboundHandled, Reprompts: snap.Reprompts}
	rec := snap.Recipient
	if rec == nil || rec.State == panel.RecipientOptedOut {
		out.MessageState = panel.InboundIgnored // unknown number, or nothing ever again
		return out
	}
	parsed := reply.Parse(in.Body)
	words := tokenize(in.Body)
	lang := detectLanguage(words)
	if parsed.Intent == reply.Stop || reply.OptOutType(in.OptOutType) {
		out.OptOut, out.RecipientState = true, panel.RecipientOptedOut
		if lang == "" && snap.Volunteer != nil {
			lang = snap.Volunteer.Language
		}
		out.Reply = text(lang, msgOptedOut)
		memberStop(snap, out)
		return out
	}
	// A question always reaches a person, whatever else the message says
	// ("Ja, gjerne! Når er møtene?" is a yes and a question).
	defer func() {
		if asksQuestion(in.Body, words) {
			out.ToInbox = true
		}
	}()
	if memberReply(parsed.Intent, lang, snap, out) {
		return out
	}
	if snap.CampaignState == panel.CampaignClosed {
		out.ToInbox = true // recruitment is over: a person reads it
		return out
	}
	v := snap.Volunteer
	switch {
	case v == nil:
		invitationReply(now, parsed.Intent, lang, snap, out)
	case v.DialogueState == panel.DialogueAsking:
		v = cloneVolunteer(v)
		if lang != "" {
			v.Language = lang
		}
		continueDialogue(v, words, snap.Dialogue, snap.Message.ID, out)
	default:
		if lang == "" {
			lang = v.Language
		}
		if (parsed.Intent == reply.Yes || parsed.Intent == reply.Confirm) && v.Complete {
			out.Reply = text(lang, msgRegistered)
			return out
		}
		out.ToInbox = true
	}
	return out
}

// invitationReply handles a message from a recipient who has not said yes.
func invitationReply(now time.Time, intent reply.Intent, lang string, snap *panel.DialogueSnapshot, out *panel.DialogueOutcome) {
	rec := snap.Recipient
	switch intent {
	case reply.Yes, reply.Confirm:
		if lang == "" {
			lang = panel.LangNorwegian
		}
		v := &panel.Volunteer{
			CampaignID: rec.CampaignID, RecipientID: rec.ID, ExternalID: rec.PseudoID,
			Values:        panel.MapAttributes(snap.Dialogue.Attributes, rec.Attributes, now.Year()),
			DialogueState: panel.DialogueAsking, Source: panel.SourceSMS, Language: lang,
		}
		out.RecipientState, out.Volunteer, out.Reprompts = panel.RecipientVolunteered, v, 0
		out.Reply = text(lang, msgWelcome)
		next(v, snap.Dialogue.Questions, out)
	case reply.No, reply.CantAttend:
		if rec.State == panel.RecipientDeclined {
			return // thanked already
		}
		out.RecipientState, out.Reply = panel.RecipientDeclined, text(lang, msgDeclined)
	default:
		// Every unclear message waits for a person; the first is also
		// answered with the re-prompt.
		out.ToInbox = true
		if rec.State == panel.RecipientDeclined || snap.Reprompts > 0 {
			return
		}
		out.Reprompts, out.Reply = snap.Reprompts+1, text(lang, msgReprompt)
	}
}

// continueDialogue reads answers to the questions from v.Step on.
func continueDialogue(v *panel.Volunteer, words []string, cfg panel.DialogueConfig, messageID int64, out *panel.DialogueOutcome) {
	out.Volunteer = v
	qs := cfg.Questions
	if v.Step >= len(qs) {
		out.Reply = text(v.Language, msgThanksNext)
		next(v, qs, out)
		return
	}
	found := matchAnswers(qs[v.Step:], words)
	if len(found) == 0 {
		if v.Reprompts > 0 {
			out.ToInbox, out.Volunteer = true, nil // nothing changes; a person reads it
			return
		}
		v.Reprompts++
		out.Reply = join(text(v.Language, msgNotUnderstood), prompt(qs[v.Step], v.Language))
		return
	}
	for _, m := range found {
		out.Answers = append(out.Answers, panel.Answer{Question: m.question.Key, Answer: m.value, InboundMessageID: messageID})
		if m.question.Category != "" {
			v.Values[m.question.Category] = m.value
		}
		v.Step++
		if m.question.MustBeYes && m.value == panel.AnswerNo {
			v.DialogueState, v.Complete, v.Reprompts = panel.DialogueFinished, false, 0
			out.Reply = text(v.Language, msgCannotAttend)
			return
		}
	}
	v.Reprompts = 0
	out.Reply = text(v.Language, msgThanksNext)
	next(v, qs, out)
}

// next appends the next question to out.Reply, or finishes the dialogue
// when none is left.
func next(v *panel.Volunteer, qs []panel.Question, out *panel.DialogueOutcome) {
	if v.Step < len(qs) {
		out.Reply = join(out.Reply, prompt(qs[v.Step], v.Language))
		return
	}
	v.DialogueState, v.Complete = panel.DialogueFinished, true
	out.Reply = text(v.Language, msgComplete)
}

// cloneVolunteer copies v so the outcome never aliases the snapshot.
func cloneVolunteer(v *panel.Volunteer) *panel.Volunteer {
	c := *v
	c.Values = maps.Clone(v.Values)
	if c.Values == nil {
		c.Values = map[string]string{}
	}
	return &c
}
