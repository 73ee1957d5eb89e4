package restapi

import (
	"net/http"
	"slices"
	"strings"
)

// cleanOrigins trims the configured origins and drops empty ones and
// trailing slashes (a browser never sends one).
func cleanOrigins(in []string) []string {
	var out []string
	for _, o := range in {
		o = strings.TrimRight(strings.TrimSpace(o), "/")
		if o != "" && !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}

// cors applies the CORS policy: only the configured origins (the original
// allowed every origin, with credentials). It reports whether it answered
// the request itself (a preflight).
func (s *Server) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	allowed := slices.Contains(s.cfg.Origins, origin)
	preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
	h := w.Header()
	h.Add("Vary", "Origin")
	if allowed {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	if !preflight {
		return false
	}
	if !allowed {
		writeError(w, fail(http.StatusBadRequest, "Disallowed CORS origin"))
		return true
	}
	h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
	return true
}
