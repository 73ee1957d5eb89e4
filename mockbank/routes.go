package mockbank

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
)

// routes builds the whole handler: an index at the root, one prefix per
// bank, and the limits every request lives under.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.index)
	for _, b := range s.banks {
		mux.Handle("/"+b.info.ID+"/", http.StripPrefix("/"+b.info.ID, b.mux))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not_found",
			"error_description": "no bank lives here; GET / lists them"})
	})
	var h http.Handler = mux
	h = limitBody(h)
	h = http.TimeoutHandler(h, RequestTimeout, `{"error":"timeout","error_description":"the bank took too long to answer"}`)
	return s.recoverer(h)
}

// index lists the banks and their base URLs.
func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	type entry struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Style    string `json:"api_style"`
		BaseURL  string `json:"base_url"`
		Metadata string `json:"metadata"`
	}
	var out []entry
	for _, b := range s.banks {
		base := b.base(r)
		out = append(out, entry{ID: b.info.ID, Name: b.info.Name, Style: string(b.info.Style), BaseURL: base,
			Metadata: base + "/.well-known/oauth-authorization-server"})
	}
	writeJSON(w, http.StatusOK, map[string]any{"service": "openfinance emulated banks", "banks": out})
}

// limitBody caps request bodies (API.md: 64 KiB, 413 beyond).
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > MaxRequestBody {
			writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": "invalid_request",
				"error_description": fmt.Sprintf("the request body is larger than %d bytes", MaxRequestBody)})
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, MaxRequestBody)
		}
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a 500 and a log line instead of a dropped
// connection. No handler should panic; the fuzz tests look for 500s.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.opts.Logger.Error("handler panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error"})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// writeJSON answers v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":"server_error"}`)
	}
	writeBody(w, status, data)
}

func writeBody(w http.ResponseWriter, status int, data []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// tooLarge reports whether err is the body cap being hit.
func tooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}
