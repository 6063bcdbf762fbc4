package simulate

import (
	"context"
	"fmt"
	"strconv"
)

// educationNumber is the option number of each education value in the
// default dialogue, and educationWords a way to say it in words.
var (
	educationNumber = map[string]int{"grunnskole": 1, "videregående": 2, "kort høyere": 3, "lang høyere": 4}
	educationWords  = map[string]string{"grunnskole": "ungdomsskolen", "videregående": "vgs", "kort høyere": "bachelor", "lang høyere": "master"}
)

// replies lets every reached resident answer the invitation as their
// behaviour says, several at once, each conversation in order.
func (r *round) replies(ctx context.Context) error {
	var talkers []*Person
	for i := range r.people {
		p := &r.people[i]
		switch {
		case p.unreachable:
			r.report.Silent++
			continue
		case p.Behaviour == Silent:
			r.report.Silent++
			continue
		}
		talkers = append(talkers, p)
		switch p.Behaviour {
		case Declines:
			r.report.Declined++
		case Stops:
			r.report.OptedOut++
		case Unclear:
			r.report.Unclear++
		}
		if p.Behaviour.SaysYes() {
			r.report.SaidYes++
		}
	}
	if err := r.each(ctx, talkers, r.converse); err != nil {
		return err
	}
	s, err := r.stats(ctx)
	if err != nil {
		return err
	}
	if s.OptedOut != r.report.OptedOut || s.Declined != r.report.Declined || s.Volunteers != r.report.SaidYes {
		return fmt.Errorf("the service counts %d opted out, %d declined and %d volunteered; the residents %d, %d and %d",
			s.OptedOut, s.Declined, s.Volunteers, r.report.OptedOut, r.report.Declined, r.report.SaidYes)
	}
	return nil
}

// converse plays one resident's side of the SMS dialogue.
func (r *round) converse(ctx context.Context, p *Person) error {
	seed := r.cfg.Seed
	say := func(body string) error {
		_, err := r.text(ctx, p, body)
		return err
	}
	yes := func() error {
		return say(phrasing(seed, p, "yes", "JA", "Ja takk!", "ja", "Ja, gjerne 🙂", "Yes", "JA\n\nHilsen Kari", "jepp ja"))
	}
	answerDialogue := func(canAttend bool) error {
		edu := strconv.Itoa(educationNumber[p.Education])
		if phrasing(seed, p, "edu style", "number", "number", "words") == "words" {
			edu = educationWords[p.Education]
		}
		if err := say(edu); err != nil {
			return err
		}
		if canAttend {
			return say(phrasing(seed, p, "attend", "JA", "ja", "Ja, det går fint"))
		}
		return say(phrasing(seed, p, "cannot attend", "NEI", "nei, dessverre", "Nei"))
	}
	switch p.Behaviour {
	case Volunteer:
		if err := yes(); err != nil {
			return err
		}
		return answerDialogue(true)
	case CannotAttend:
		if err := yes(); err != nil {
			return err
		}
		return answerDialogue(false)
	case Abandons:
		return yes()
	case UnclearThenYes:
		if err := say(phrasing(seed, p, "unclear", "Hva gjelder dette?", "Hvem er dette?", "?")); err != nil {
			return err
		}
		if err := yes(); err != nil {
			return err
		}
		return answerDialogue(true)
	case Unclear:
		return say(phrasing(seed, p, "unclear", "Hva gjelder dette?", "Hvem er dette?", "?"))
	case Declines:
		return say(phrasing(seed, p, "no", "NEI", "Nei takk", "nei", "No thanks"))
	case Stops:
		return say(phrasing(seed, p, "stop", "STOPP", "Stopp", "STOP", "avslutt"))
	}
	return nil
}
