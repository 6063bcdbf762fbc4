package inbox

import (
	"fmt"
	"strings"

	"github.com/citizenspanel/panel/internal/panel"
)

// Reply kinds.
const (
	msgWelcome       = "welcome"        // before the first question
	msgThanksNext    = "thanks_next"    // before the next question
	msgDeclined      = "declined"       // after no
	msgOptedOut      = "opted_out"      // after STOP
	msgReprompt      = "reprompt"       // an unclear reply to the invitation
	msgNotUnderstood = "not_understood" // before a question asked again
	msgComplete      = "complete"       // every question answered, can attend
	msgCannotAttend  = "cannot_attend"  // cannot attend every date
	msgRegistered    = "registered"     // yes after the dialogue
)

// texts are the fixed replies. They keep to the GSM-7 alphabet (æ, ø and
// å are in it), so a segment holds 160 characters.
var texts = map[string]map[string]string{
	panel.LangNorwegian: {
		msgWelcome:       "Så fint at du vil være med!",
		msgThanksNext:    "Takk!",
		msgDeclined:      "Takk for svaret. Ha en fin dag!",
		msgOptedOut:      "Du er meldt av og får ingen flere meldinger fra oss.",
		msgReprompt:      "Vi forstod ikke svaret. Svar JA hvis du vil være med i innbyggerpanelet, NEI hvis ikke, eller STOPP for ingen flere meldinger.",
		msgNotUnderstood: "Vi forstod ikke svaret.",
		msgComplete:      "Takk! Du er nå med i trekningen av panelet. Vi sender deg en SMS når trekningen er gjort.",
		msgCannotAttend:  "Takk for svaret. Deltakerne må kunne møte på alle datoene, så du er ikke med i trekningen denne gangen.",
		msgRegistered:    "Du er allerede registrert. Takk!",
	},
	panel.LangEnglish: {
		msgWelcome:       "Great that you want to take part!",
		msgThanksNext:    "Thank you!",
		msgDeclined:      "Thank you for your answer. Have a nice day!",
		msgOptedOut:      "You are unsubscribed and will get no more messages from us.",
		msgReprompt:      "We did not understand your answer. Reply YES to join the citizens' panel, NO if not, or STOP for no more messages.",
		msgNotUnderstood: "We did not understand your answer.",
		msgComplete:      "Thank you! You are now in the draw for the panel. We will text you when the draw is done.",
		msgCannotAttend:  "Thank you for your answer. Members must be able to attend every date, so you are not in the draw this time.",
		msgRegistered:    "You are already registered. Thank you!",
	},
}

// text returns a fixed reply in lang (Norwegian for anything but English).
func text(lang, kind string) string {
	if lang != panel.LangEnglish {
		lang = panel.LangNorwegian
	}
	return texts[lang][kind]
}

// prompt returns question q in lang, with its numbered options.
func prompt(q panel.Question, lang string) string {
	t := q.Text[lang]
	if t == "" {
		t = q.Text[panel.LangNorwegian]
	}
	if q.Kind != panel.QuestionChoice {
		return t
	}
	opts := make([]string, len(q.Options))
	for i, o := range q.Options {
		l := o.Label[lang]
		if l == "" {
			l = o.Label[panel.LangNorwegian]
		}
		opts[i] = fmt.Sprintf("%d %s", o.Number, l)
	}
	return t + " " + strings.Join(opts, ", ")
}

// join puts two parts of a reply together.
func join(a, b string) string { return a + " " + b }

// Replies to panel members.
const (
	msgMemberConfirmed = "member_confirmed" // a selected member confirmed
	msgMemberDeclined  = "member_declined"  // a selected member declined
	msgMemberAgain     = "member_again"     // a confirmed member confirmed again
	msgMemberAbsent    = "member_absent"    // a confirmed member cannot come
	msgReserveYes      = "reserve_yes"      // a reserve says yes
	msgReserveNo       = "reserve_no"       // a reserve says no
)

// memberTexts are the replies to panel members, GSM-7 only.
var memberTexts = map[string]map[string]string{
	panel.LangNorwegian: {
		msgMemberConfirmed: "Takk! Plassen din i innbyggerpanelet er bekreftet. Du får påminnelse før hvert møte.",
		msgMemberDeclined:  "Takk for beskjed. Plassen går videre til en annen.",
		msgMemberAgain:     "Plassen din er allerede bekreftet. Takk!",
		msgMemberAbsent:    "Takk for beskjed. Vi har notert at du ikke kommer på neste møte.",
		msgReserveYes:      "Takk! Du står på reservelisten, og vi sender SMS hvis det blir en ledig plass.",
		msgReserveNo:       "Takk for beskjed. Du er tatt av reservelisten.",
	},
	panel.LangEnglish: {
		msgMemberConfirmed: "Thank you! Your seat on the citizens' panel is confirmed. You will get a reminder before each meeting.",
		msgMemberDeclined:  "Thank you for letting us know. The seat goes to someone else.",
		msgMemberAgain:     "Your seat is confirmed already. Thank you!",
		msgMemberAbsent:    "Thank you for letting us know. We have noted that you will miss the next meeting.",
		msgReserveYes:      "Thank you! You are on the reserve list, and we will text you if a seat becomes free.",
		msgReserveNo:       "Thank you for letting us know. You are off the reserve list.",
	},
}

// memberText returns a member reply in lang (Norwegian by default).
func memberText(lang, kind string) string {
	if t, ok := memberTexts[lang]; ok {
		return t[kind]
	}
	return memberTexts[panel.LangNorwegian][kind]
}
