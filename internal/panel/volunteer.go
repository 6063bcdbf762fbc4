package panel

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Volunteer dialogue states.
const (
	DialogueAsking    = "asking"    // questions remain
	DialogueFinished  = "complete"  // every question answered (Complete says whether they can take part)
	DialogueWithdrawn = "withdrawn" // opted out
)

// Volunteer sources.
const (
	SourceSMS    = "sms"    // said yes by SMS
	SourceImport = "import" // recruited another way and imported
)

// Languages of the dialogue.
const (
	LangNorwegian = "nb"
	LangEnglish   = "en"
)

// Volunteer is a person in a campaign's pool. ExternalID is pseudonymous:
// for SMS volunteers it is the recipient's random pseudonym, for imported
// ones the organiser's id. Values holds the category values the draw uses
// (register attributes mapped into quota categories, plus dialogue answers).
type Volunteer struct {
	ID            int64             `json:"-"`
	CampaignID    int64             `json:"campaign_id"`
	RecipientID   int64             `json:"-"` // 0 for imported volunteers without a phone
	ExternalID    string            `json:"id"`
	Values        map[string]string `json:"values"`
	HouseholdKey  string            `json:"-"`
	Step          int               `json:"-"` // index of the next question to ask
	DialogueState string            `json:"dialogue_state"`
	Complete      bool              `json:"complete"` // every question answered and able to attend
	Source        string            `json:"source"`
	Language      string            `json:"-"` // LangNorwegian or LangEnglish
	Reprompts     int               `json:"-"` // re-asks of the current question
	CreatedAt     time.Time         `json:"created_at"`
	UpdatedAt     time.Time         `json:"updated_at"`
}

// Answer is a volunteer's answer to one dialogue question: the option's
// value ("yes"/"no" for yes-no questions).
type Answer struct {
	Question         string    `json:"question"`
	Answer           string    `json:"answer"`
	InboundMessageID int64     `json:"-"`
	CreatedAt        time.Time `json:"created_at"`
}

// VolunteerService reads the pool and the per-campaign dialogue settings.
type VolunteerService interface {
	// ListPool returns the campaign's complete volunteers in id order.
	ListPool(ctx context.Context, campaignID int64) ([]*Volunteer, error)
	// FindVolunteerByRecipient returns the recipient's volunteer row, or ENOTFOUND.
	FindVolunteerByRecipient(ctx context.Context, recipientID int64) (*Volunteer, error)
	// ListAnswers returns a volunteer's answers in question order of arrival.
	ListAnswers(ctx context.Context, volunteerID int64) ([]Answer, error)
	// CampaignDialogue returns the campaign's dialogue, the default when
	// none is set. ENOTFOUND for an unknown campaign.
	CampaignDialogue(ctx context.Context, campaignID int64) (DialogueConfig, error)
	// SetCampaignDialogue validates and stores the campaign's dialogue.
	// EINVALID naming the bad field, ENOTFOUND for an unknown campaign.
	SetCampaignDialogue(ctx context.Context, campaignID int64, cfg DialogueConfig) error
}

// Question kinds.
const (
	QuestionChoice = "choice" // pick one option, by number or keyword
	QuestionYesNo  = "yesno"  // yes or no, read as the reply parser reads them
)

// Yes-no answers.
const (
	AnswerYes = "yes"
	AnswerNo  = "no"
)

// DialogueConfig is a campaign's SMS dialogue after a recipient says yes:
// the questions in order, and how register attributes map into quota
// categories. The zero value means "use DefaultDialogue".
type DialogueConfig struct {
	Questions  []Question      `json:"questions"`
	Attributes []AttributeRule `json:"attributes"`
}

// Question is one question of the dialogue.
type Question struct {
	Key      string            `json:"key"`      // stored with the answer, e.g. "education"
	Category string            `json:"category"` // quota category the answer fills; "" for none
	Kind     string            `json:"kind"`     // QuestionChoice or QuestionYesNo
	Text     map[string]string `json:"text"`     // by language: "nb" (required) and "en"
	Options  []Option          `json:"options"`  // for choice questions
	// MustBeYes makes a volunteer whose answer is "no" incomplete: it ends
	// the dialogue (e.g. "can you attend every meeting date?").
	MustBeYes bool `json:"must_be_yes"`
}

// Option is one allowed answer to a choice question.
type Option struct {
	Value    string            `json:"value"`    // the category value, e.g. "lang høyere"
	Number   int               `json:"number"`   // the number a person may answer with (1-9)
	Label    map[string]string `json:"label"`    // by language, shown in the question
	Keywords []string          `json:"keywords"` // words or phrases that choose it, any language
}

// IsZero reports whether c holds no questions and no attribute rules.
func (c DialogueConfig) IsZero() bool { return len(c.Questions) == 0 && len(c.Attributes) == 0 }

// Validate returns EINVALID naming the first bad field.
func (c DialogueConfig) Validate() error {
	keys := map[string]bool{}
	for i, q := range c.Questions {
		at := fmt.Sprintf("questions[%d]", i)
		switch {
		case strings.TrimSpace(q.Key) == "":
			return Errorf(EINVALID, "%s.key is required", at)
		case keys[q.Key]:
			return Errorf(EINVALID, "%s.key %q repeats an earlier question", at, q.Key)
		case strings.TrimSpace(q.Text[LangNorwegian]) == "":
			return Errorf(EINVALID, "%s.text.nb is required", at)
		}
		keys[q.Key] = true
		switch q.Kind {
		case QuestionYesNo:
			if len(q.Options) > 0 {
				return Errorf(EINVALID, "%s.options must be empty for a yesno question", at)
			}
		case QuestionChoice:
			if q.MustBeYes {
				return Errorf(EINVALID, "%s.must_be_yes is only for yesno questions", at)
			}
			if err := validateOptions(at, q.Options); err != nil {
				return err
			}
		default:
			return Errorf(EINVALID, "%s.kind must be %q or %q, got %q", at, QuestionChoice, QuestionYesNo, q.Kind)
		}
	}
	for i, r := range c.Attributes {
		if err := r.validate(fmt.Sprintf("attributes[%d]", i)); err != nil {
			return err
		}
	}
	return nil
}

func validateOptions(at string, opts []Option) error {
	if len(opts) < 2 {
		return Errorf(EINVALID, "%s.options needs at least two options", at)
	}
	numbers, values := map[int]bool{}, map[string]bool{}
	for j, o := range opts {
		oat := fmt.Sprintf("%s.options[%d]", at, j)
		switch {
		case strings.TrimSpace(o.Value) == "":
			return Errorf(EINVALID, "%s.value is required", oat)
		case values[o.Value]:
			return Errorf(EINVALID, "%s.value %q repeats an earlier option", oat, o.Value)
		case o.Number < 1 || o.Number > 9:
			return Errorf(EINVALID, "%s.number must be 1 to 9, got %d", oat, o.Number)
		case numbers[o.Number]:
			return Errorf(EINVALID, "%s.number %d repeats an earlier option", oat, o.Number)
		case strings.TrimSpace(o.Label[LangNorwegian]) == "":
			return Errorf(EINVALID, "%s.label.nb is required", oat)
		}
		numbers[o.Number], values[o.Value] = true, true
	}
	return nil
}

// Default dialogue keys and categories.
const (
	QuestionEducation = "education"
	QuestionAttend    = "attend_all"
	CategoryEducation = "education"
	CategoryAge       = "age"
	CategoryGender    = "gender"
	CategoryDistrict  = "district"
)

// Education values of the default dialogue: the four levels of Statistics
// Norway's education statistics (vocational college counts with short
// higher education).
const (
	EducationCompulsory = "grunnskole"
	EducationUpperSec   = "videregående"
	EducationShortHigh  = "kort høyere"
	EducationLongHigh   = "lang høyere"
)

// DefaultDialogue returns the dialogue used when a campaign sets none: the
// highest completed education (four levels, by number or keyword) and
// whether the person can attend every meeting date; register columns age
// or birth_year, gender and district map into quota categories by
// DefaultAttributeRules.
func DefaultDialogue() DialogueConfig {
	return DialogueConfig{
		Questions: []Question{
			{
				Key: QuestionEducation, Category: CategoryEducation, Kind: QuestionChoice,
				Text: map[string]string{
					LangNorwegian: "Hva er din høyeste fullførte utdanning? Svar med et tall:",
					LangEnglish:   "What is your highest completed education? Reply with a number:",
				},
				Options: []Option{
					{Value: EducationCompulsory, Number: 1,
						Label: map[string]string{LangNorwegian: "grunnskole", LangEnglish: "compulsory school"},
						Keywords: []string{"grunnskole", "grunnskolen", "grunnskule", "ungdomsskole", "ungdomsskolen",
							"ungdomsskule", "barneskole", "folkeskole", "primary school", "compulsory school",
							"lower secondary", "middle school", "elementary school"}},
					{Value: EducationUpperSec, Number: 2,
						Label: map[string]string{LangNorwegian: "videregående", LangEnglish: "upper secondary"},
						Keywords: []string{"videregående", "videregaende", "vidaregåande", "vgs", "gymnas",
							"gymnaset", "fagbrev", "svennebrev", "yrkesfag", "upper secondary", "high school",
							"secondary school", "apprenticeship"}},
					{Value: EducationShortHigh, Number: 3,
						Label: map[string]string{LangNorwegian: "fagskole eller inntil 4 år høyere", LangEnglish: "vocational college or up to 4 years of higher education"},
						Keywords: []string{"fagskole", "fagskolen", "fagskule", "kort høyere", "kort høgare",
							"kort høgere", "bachelor", "bachelorgrad", "høgskole", "høyskole", "høgskule",
							"cand mag", "short higher", "vocational college", "college", "undergraduate"}},
					{Value: EducationLongHigh, Number: 4,
						Label: map[string]string{LangNorwegian: "mer enn 4 år høyere", LangEnglish: "more than 4 years of higher education"},
						Keywords: []string{"lang høyere", "lang høgare", "lang høgere", "master", "mastergrad",
							"masters", "hovedfag", "hovudfag", "doktorgrad", "phd", "ph d", "embetseksamen",
							"long higher", "postgraduate", "doctorate"}},
				},
			},
			{
				Key: QuestionAttend, Kind: QuestionYesNo, MustBeYes: true,
				Text: map[string]string{
					LangNorwegian: "Kan du delta på alle de fire møtedatoene? Svar JA eller NEI.",
					LangEnglish:   "Can you attend all four meeting dates? Reply YES or NO.",
				},
			},
		},
		Attributes: DefaultAttributeRules(),
	}
}
