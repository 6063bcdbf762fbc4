// Command verifywasm is the draw verifier the public draw page runs in the
// browser: the sortition package's Verify, compiled to WebAssembly
// (GOOS=js GOARCH=wasm; see the go:generate line in package publicpage).
// In the browser it defines the global function panelVerify(recordJSON),
// which returns the outcome as JSON (see Outcome). Built for another
// platform it only says how to build it.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/citizenspanel/panel/sortition"
)

// Outcome is what panelVerify returns, as JSON.
type Outcome struct {
	// Verified is true when every check passed.
	Verified bool `json:"verified"`
	// Text starts with "verified" when Verified, else says what differs.
	Text string `json:"text"`
	// Checks lists every check with its outcome.
	Checks []Check `json:"checks"`
}

// Check is one verification step.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// verifyRecord decodes a draw record strictly and verifies it, re-solving
// the optimum for leximin and maximin.
func verifyRecord(record []byte) Outcome {
	dec := json.NewDecoder(bytes.NewReader(record))
	dec.DisallowUnknownFields()
	rec := &sortition.Record{}
	if err := dec.Decode(rec); err != nil {
		return Outcome{Text: "not a draw record: " + err.Error()}
	}
	rep, err := sortition.Verify(context.Background(), rec, sortition.VerifyOptions{Resolve: true})
	if err != nil {
		return Outcome{Text: "cannot be verified: " + err.Error()}
	}
	out := Outcome{Verified: rep.Err() == nil}
	for _, c := range rep.Checks {
		out.Checks = append(out.Checks, Check{Name: c.Name, OK: c.OK || c.Informational, Detail: c.Detail})
	}
	if out.Verified {
		out.Text = fmt.Sprintf("verified: %s, %d checks passed, the optimum re-solved in this browser", rep.Kind(), len(rep.Checks))
	} else {
		out.Text = strings.TrimPrefix(rep.Err().Error(), "the record does not verify: ")
		out.Text = "does not verify: " + out.Text
	}
	return out
}
