package sortition_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

// dataDir holds the test instances (see testdata/SOURCES.md).
const dataDir = "testdata"

// instance is one public data set with the seats its source uses.
type instance struct {
	name       string
	quotas     string
	people     string
	seats      int
	households []string
}

// instances are the test instances equivalent to published ones.
var instances = []instance{
	{name: "example_small_20", quotas: "example_small_20/categories.csv", people: "example_small_20/respondents.csv", seats: 20},
	{name: "example_large_200", quotas: "example_large_200/categories.csv", people: "example_large_200/respondents.csv", seats: 200},
	{name: "fixture_150", quotas: "fixture_150/features.csv", people: "fixture_150/candidates.csv", seats: 22},
	{name: "fixture_150_households", quotas: "fixture_150/features.csv", people: "fixture_150/candidates.csv", seats: 22, households: []string{"primary_address1", "primary_zip"}},
	{name: "newdemocracy_20", quotas: "newdemocracy_300/categories.csv", people: "newdemocracy_300/people.csv", seats: 20},
}

// load parses an instance; a missing file fails the test.
func load(t testing.TB, in instance) (*sortition.Pool, []sortition.Quota) {
	t.Helper()
	qf, err := os.Open(filepath.Join(dataDir, in.quotas))
	if err != nil {
		t.Fatal(err)
	}
	defer qf.Close()
	quotas, err := sortition.ParseQuotas(qf, in.quotas)
	if err != nil {
		t.Fatalf("ParseQuotas(%s): %v", in.quotas, err)
	}
	pf, err := os.Open(filepath.Join(dataDir, in.people))
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	pool, err := sortition.ParsePeople(pf, in.people, sortition.PeopleOptions{Quotas: quotas, HouseholdColumns: in.households})
	if err != nil {
		t.Fatalf("ParsePeople(%s): %v", in.people, err)
	}
	return pool, quotas
}
