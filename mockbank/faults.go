package mockbank

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Faults are misbehaviours switched on per bank (API.md, "Throttling and faults").
type Faults struct {
	Latency       time.Duration // added to every request of the bank
	ErrorRate     float64       // share of resource calls answered 500/503
	MalformedRate float64       // share of resource calls answered with a truncated body
	TokenTTL      time.Duration // access token lifetime instead of 600 s
	RateLimit     int           // resource requests per second per token; 0 = unlimited
	RetryAfter    int           // seconds announced with a 429; 0 = 1
	FailPage      int           // this transaction page of every account answers 500; 0 = none
}

// IsZero reports whether no fault is set.
func (f Faults) IsZero() bool { return f == Faults{} }

// String renders the faults in the syntax ParseFaults reads.
func (f Faults) String() string {
	var parts []string
	add := func(k, v string) { parts = append(parts, k+"="+v) }
	if f.Latency > 0 {
		add("latency", f.Latency.String())
	}
	if f.ErrorRate > 0 {
		add("error_rate", strconv.FormatFloat(f.ErrorRate, 'g', -1, 64))
	}
	if f.MalformedRate > 0 {
		add("malformed_rate", strconv.FormatFloat(f.MalformedRate, 'g', -1, 64))
	}
	if f.TokenTTL > 0 {
		add("token_ttl", f.TokenTTL.String())
	}
	if f.RateLimit > 0 {
		add("rate_limit", strconv.Itoa(f.RateLimit))
	}
	if f.RetryAfter > 0 {
		add("retry_after", strconv.Itoa(f.RetryAfter))
	}
	if f.FailPage > 0 {
		add("fail_page", strconv.Itoa(f.FailPage))
	}
	return strings.Join(parts, ",")
}

// ParseFaults reads fault settings: "bank:key=value,key=value;bank2:..."
// (API.md, "Throttling and faults"). A bank is named by id or name. An
// empty string means no faults. Settings for the same bank merge.
func ParseFaults(s string) (map[string]Faults, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	out := map[string]Faults{}
	for spec := range strings.SplitSeq(s, ";") {
		spec = strings.TrimSpace(spec)
		if spec == "" {
			continue
		}
		name, kvs, ok := strings.Cut(spec, ":")
		if !ok {
			return nil, fmt.Errorf("fault setting %q names no bank: write BANK:key=value,...", spec)
		}
		id, ok := bankID(name)
		if !ok {
			return nil, fmt.Errorf("fault setting %q: there is no bank %q (banks: %s)", spec, strings.TrimSpace(name), strings.Join(bankIDs(), ", "))
		}
		f := out[id]
		for kv := range strings.SplitSeq(kvs, ",") {
			kv = strings.TrimSpace(kv)
			if kv == "" {
				continue
			}
			if err := f.set(kv); err != nil {
				return nil, fmt.Errorf("fault setting for %s: %w", id, err)
			}
		}
		out[id] = f
	}
	return out, nil
}

func (f *Faults) set(kv string) error {
	k, v, ok := strings.Cut(kv, "=")
	if !ok {
		return fmt.Errorf("%q is not key=value", kv)
	}
	k, v = strings.TrimSpace(k), strings.TrimSpace(v)
	dur := func() (time.Duration, error) {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > time.Hour {
			return 0, fmt.Errorf("%s=%q is not a duration between 0 and 1h (e.g. 200ms, 5s)", k, v)
		}
		return d, nil
	}
	rate := func() (float64, error) {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || r < 0 || r > 1 || r != r {
			return 0, fmt.Errorf("%s=%q is not a share between 0 and 1 (e.g. 0.2)", k, v)
		}
		return r, nil
	}
	count := func() (int, error) {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1_000_000 {
			return 0, fmt.Errorf("%s=%q is not a whole number of at least 0", k, v)
		}
		return n, nil
	}
	var err error
	switch k {
	case "latency":
		f.Latency, err = dur()
	case "error_rate":
		f.ErrorRate, err = rate()
	case "malformed_rate":
		f.MalformedRate, err = rate()
	case "token_ttl":
		f.TokenTTL, err = dur()
	case "rate_limit":
		f.RateLimit, err = count()
	case "retry_after":
		f.RetryAfter, err = count()
	case "fail_page":
		f.FailPage, err = count()
	default:
		return fmt.Errorf("unknown fault %q (known: latency, error_rate, malformed_rate, token_ttl, rate_limit, retry_after, fail_page)", k)
	}
	return err
}

// bankID resolves a bank id or name (any case) to its id.
func bankID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, i := range Catalog() {
		if strings.EqualFold(s, i.ID) || strings.EqualFold(s, i.Name) {
			return i.ID, true
		}
	}
	return "", false
}

func bankIDs() []string {
	var ids []string
	for _, i := range Catalog() {
		ids = append(ids, i.ID)
	}
	return ids
}
