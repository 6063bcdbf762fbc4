package inbox

import (
	"strconv"
	"strings"

	"github.com/citizenspanel/panel/internal/panel"
	"github.com/citizenspanel/panel/internal/reply"
)

// match is one question answered by a message.
type match struct {
	question panel.Question
	value    string // the option's value, or panel.AnswerYes / panel.AnswerNo
}

// matchAnswers reads the answers a message gives to qs, in order, starting
// with the first: it stops at the first question the message does not
// answer, and after a "no" to a question that must be yes. Words used for
// one answer are not read again for the next.
func matchAnswers(qs []panel.Question, words []string) []match {
	used := make([]bool, len(words))
	var out []match
	for _, q := range qs {
		var value string
		var ok bool
		switch q.Kind {
		case panel.QuestionChoice:
			value, ok = matchChoice(q, words, used)
		case panel.QuestionYesNo:
			value, ok = matchYesNo(words, used)
		}
		if !ok {
			break
		}
		out = append(out, match{question: q, value: value})
		if q.MustBeYes && value == panel.AnswerNo {
			break
		}
	}
	return out
}

// matchChoice finds the first unused word or phrase that names an option
// of q, by its number or one of its keywords (the longest phrase wins at a
// position), and marks its words used.
func matchChoice(q panel.Question, words []string, used []bool) (string, bool) {
	phrases := map[string]string{} // phrase -> option value
	longest := 1
	for _, o := range q.Options {
		phrases[strconv.Itoa(o.Number)] = o.Value
		for _, k := range append(append([]string{o.Value}, o.Keywords...), labels(o)...) {
			kw := tokenize(k)
			if len(kw) == 0 {
				continue
			}
			p := strings.Join(kw, " ")
			if _, taken := phrases[p]; !taken {
				phrases[p] = o.Value
			}
			longest = max(longest, len(kw))
		}
	}
	for i := range words {
		for n := min(longest, len(words)-i); n > 0; n-- {
			if anyUsed(used[i : i+n]) {
				continue
			}
			if v, ok := phrases[strings.Join(words[i:i+n], " ")]; ok {
				for j := i; j < i+n; j++ {
					used[j] = true
				}
				return v, true
			}
		}
	}
	return "", false
}

// labels returns an option's labels: "grunnskole" answers the option
// labelled so, in any language.
func labels(o panel.Option) []string {
	out := make([]string, 0, len(o.Label))
	for _, l := range o.Label {
		out = append(out, l)
	}
	return out
}

func anyUsed(b []bool) bool {
	for _, u := range b {
		if u {
			return true
		}
	}
	return false
}

// matchYesNo reads the unused words as a yes or a no the way the reply
// parser does ("kan ikke" is no, "bekrefter" is yes), and marks them used.
func matchYesNo(words []string, used []bool) (string, bool) {
	var rest []string
	for i, w := range words {
		if !used[i] {
			rest = append(rest, w)
		}
	}
	var value string
	switch reply.Parse(strings.Join(rest, " ")).Intent {
	case reply.Yes, reply.Confirm:
		value = panel.AnswerYes
	case reply.No, reply.CantAttend:
		value = panel.AnswerNo
	default:
		return "", false
	}
	for i := range used {
		used[i] = true
	}
	return value, true
}
