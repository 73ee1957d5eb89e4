package restapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// apiError is an error answer in FastAPI's shape: {"detail": ...}, where
// detail is a sentence, or the list of validation errors for a 422.
type apiError struct {
	Status int
	Detail any
	// Header is set on the answer (Retry-After, WWW-Authenticate).
	Header http.Header
	// cause is logged, never sent.
	cause error
}

func (e *apiError) Error() string {
	if s, ok := e.Detail.(string); ok {
		return fmt.Sprintf("%d: %s", e.Status, s)
	}
	return fmt.Sprintf("%d: %v", e.Status, e.Detail)
}

func (e *apiError) Unwrap() error { return e.cause }

func fail(status int, format string, a ...any) *apiError {
	return &apiError{Status: status, Detail: fmt.Sprintf(format, a...)}
}

// Messages of the original service, kept word for word so that clients
// matching on them keep working.
const (
	msgUserNotFound      = "User not found."
	msgTokenMissing      = "Bearer token is missing."
	msgTokenInvalid      = "Invalid bearer token."
	msgNotYourIdentifier = "Unauthorized: The Bearer Token does not belong to the user_identifier."
	msgNotYourUserID     = "Unauthorized: User ID does not match the authenticated user."
	msgNotYourUser       = "Unauthorized: The Bearer Token does not belong to the provided user_name or user_id."
	msgRateLimited       = "Rate limit exceeded. Please try again later."
	msgInternal          = "Internal Server Error"
	msgNotFound          = "Not Found"
	msgMethodNotAllowed  = "Method Not Allowed"
)

// valErr is one entry of FastAPI's (pydantic v2) validation error list.
type valErr struct {
	Type  string         `json:"type"`
	Loc   []any          `json:"loc"`
	Msg   string         `json:"msg"`
	Input any            `json:"input"`
	Ctx   map[string]any `json:"ctx,omitempty"`
}

func validation(errs []valErr) *apiError {
	return &apiError{Status: http.StatusUnprocessableEntity, Detail: errs}
}

func missing(loc ...any) valErr {
	return valErr{Type: "missing", Loc: loc, Msg: "Field required", Input: nil}
}

// writeJSON answers with a JSON body. raw bodies (json.RawMessage) are sent
// as they are.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var body []byte
	switch x := v.(type) {
	case json.RawMessage:
		body = x
	default:
		var err error
		body, err = json.Marshal(v)
		if err != nil {
			status = http.StatusInternalServerError
			body = []byte(`{"detail":"` + msgInternal + `"}`)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// errorAnswer turns any error of a handler into an answer: an apiError as
// it says, a deadline as 504, anything else (a database failure) as 500
// without its text, which may name internals.
func errorAnswer(err error) *apiError {
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.Is(err, context.DeadlineExceeded):
		return &apiError{Status: http.StatusGatewayTimeout, Detail: "The request took too long to complete; please try again.", cause: err}
	case errors.Is(err, context.Canceled):
		// The client went away; the status is for the log only.
		return &apiError{Status: 499, Detail: "The request was cancelled.", cause: err}
	}
	return &apiError{Status: http.StatusInternalServerError, Detail: msgInternal, cause: err}
}

func writeError(w http.ResponseWriter, ae *apiError) {
	for k, vs := range ae.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	writeJSON(w, ae.Status, map[string]any{"detail": ae.Detail})
}
