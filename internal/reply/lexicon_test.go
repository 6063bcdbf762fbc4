package reply

import (
	"strings"
	"testing"
)

// TestLexiconIsConsistent guards against phrases that can never match or
// that silently override each other.
func TestLexiconIsConsistent(t *testing.T) {
	t.Parallel()
	fillers := make(map[string]bool)
	for _, g := range phraseGroups() {
		if g.entry.fam == famFiller {
			for _, p := range g.phrases {
				fillers[canon(p)] = true
			}
		}
	}
	seen := make(map[string]entry)
	for _, g := range phraseGroups() {
		for _, p := range g.phrases {
			c := canon(p)
			words := strings.Fields(c)
			if len(words) == 0 || len(words) > maxPhraseWords {
				t.Errorf("phrase %q: got %d words, want 1 to %d", p, len(words), maxPhraseWords)
			}
			if prev, ok := seen[c]; ok && prev != g.entry {
				t.Errorf("phrase %q (canonical %q): got two different entries %+v and %+v, want one", p, c, prev, g.entry)
			}
			seen[c] = g.entry
			if g.entry.fam == famFiller {
				continue
			}
			for _, w := range words {
				if fillers[w] {
					t.Errorf("phrase %q holds the filler word %q, so it can never match", p, w)
				}
			}
		}
	}
}
