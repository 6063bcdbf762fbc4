package faketwilio

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// apiError is Twilio's JSON error body.
type apiError struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

// writeError answers status with Twilio's error JSON; header adds headers.
func writeError(w http.ResponseWriter, status, code int, message string, header http.Header) {
	for k, vs := range header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	writeJSON(w, status, apiError{
		Code:     code,
		Message:  message,
		MoreInfo: "https://www.twilio.com/docs/errors/" + strconv.Itoa(code),
		Status:   status,
	})
}

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encode answer: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// numberErrorMessage is Twilio's wording for the permanent per-number errors
// (some of Twilio's own messages name the number, as here).
func numberErrorMessage(code int, to string) string {
	switch code {
	case 21211:
		return "Invalid 'To' Phone Number: " + to
	case 21610:
		return "Attempt to send to unsubscribed recipient"
	case 21614:
		return "'To' number " + to + " is not a valid mobile number"
	case 21408:
		return "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: " + to
	default:
		return "The message could not be sent to " + to
	}
}
