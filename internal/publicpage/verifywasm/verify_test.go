package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/citizenspanel/panel/sortition"
)

func TestVerifyRecord(t *testing.T) {
	t.Parallel()
	quotas, _ := sortition.ParseQuotas(strings.NewReader("category,name,min,max\ng,f,1,2\ng,m,1,2\n"), "q.csv")
	pool, _ := sortition.ParsePeople(strings.NewReader("id,g\na,f\nb,f\nc,m\nd,m\ne,m\n"), "r.csv", sortition.PeopleOptions{Quotas: quotas})
	rec, err := sortition.Prepare(context.Background(), pool, quotas, sortition.Params{Seats: 3, Reserves: 1, Panels: 30})
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Draw("s"); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := sortition.WriteRecord(&b, rec); err != nil {
		t.Fatal(err)
	}
	if got := verifyRecord(b.Bytes()); !got.Verified || !strings.HasPrefix(got.Text, "verified: drawn record") {
		t.Errorf("genuine: got %+v", got)
	}
	tampered := bytes.Replace(b.Bytes(), []byte(`"seed": "s"`), []byte(`"seed": "t"`), 1)
	if got := verifyRecord(tampered); got.Verified || !strings.HasPrefix(got.Text, "does not verify") {
		t.Errorf("tampered: got %+v", got)
	}
	if got := verifyRecord([]byte(`{"nope": 1}`)); got.Verified || !strings.Contains(got.Text, "not a draw record") {
		t.Errorf("not a record: got %+v", got)
	}
}
