package model

import (
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Transaction is one booked or pending movement on an external account
// (collection transactions). Amount is signed (negative = money out) in the
// account's currency; AmountBase, MonthKey and Direction are computed when
// the document is written (the Computed Pattern), so the insight pipelines
// can group and sum without computed expressions.
type Transaction struct {
	ID                   bson.ObjectID `bson:"_id"`
	TransactionId        string        `bson:"TransactionId"` //nolint:revive // the bank's own id
	TransactionBank      string        `bson:"TransactionBank"`
	BankId               string        `bson:"BankId"`               //nolint:revive
	TransactionAccountId string        `bson:"TransactionAccountId"` //nolint:revive // the bank's account id
	AccountRef           bson.ObjectID `bson:"AccountRef"`           // external_accounts _id
	TransactionUser      UserRef       `bson:"TransactionUser"`
	BookingDate          time.Time     `bson:"BookingDate"`
	ValueDate            *time.Time    `bson:"ValueDate,omitempty"`
	Amount               float64       `bson:"Amount"`
	Currency             string        `bson:"Currency"`
	AmountBase           float64       `bson:"AmountBase"`   // signed, in BaseCurrency
	BaseCurrency         string        `bson:"BaseCurrency"` // USD
	MonthKey             string        `bson:"MonthKey"`     // YYYY-MM of BookingDate
	Direction            string        `bson:"Direction"`    // in | out
	Merchant             string        `bson:"Merchant,omitempty"`
	Category             string        `bson:"Category"`
	Description          string        `bson:"Description,omitempty"`
	Status               string        `bson:"Status"` // Booked | Pending
	Lineage              *Lineage      `bson:"Lineage,omitempty"`
	Extra                bson.M        `bson:",inline"`
}

// Transaction directions and statuses.
const (
	DirectionIn   = "in"
	DirectionOut  = "out"
	StatusBooked  = "Booked"
	StatusPending = "Pending"
)

// MonthKey formats the month a time falls in, as stored in MonthKey.
func MonthKey(t time.Time) string { return t.UTC().Format("2006-01") }

// Consent statuses, following UK Open Banking; Berlin Group statuses are
// mapped onto them.
const (
	ConsentAwaiting       = "AwaitingAuthorisation"
	ConsentAuthorised     = "Authorised"
	ConsentRejected       = "Rejected"
	ConsentRevoked        = "Revoked"
	ConsentExpired        = "Expired"
	ConsentReauthRequired = "ReauthRequired" // tokens no longer refresh: the user must consent again
)

// Consent records one consent a user gave a bank (collection consents).
type Consent struct {
	ID              bson.ObjectID `bson:"_id"`
	ConsentId       string        `bson:"ConsentId"` //nolint:revive // the bank's consent id
	BankId          string        `bson:"BankId"`    //nolint:revive
	Bank            string        `bson:"Bank"`
	ConsentUser     UserRef       `bson:"ConsentUser"`
	BankUser        string        `bson:"BankUser,omitempty"` // the login used at the bank
	Permissions     []string      `bson:"Permissions"`
	Status          string        `bson:"Status"`
	TransactionFrom *time.Time    `bson:"TransactionFromDate,omitempty"`
	TransactionTo   *time.Time    `bson:"TransactionToDate,omitempty"`
	CreatedAt       time.Time     `bson:"CreatedAt"`
	GrantedAt       *time.Time    `bson:"GrantedAt,omitempty"`
	ExpiresAt       time.Time     `bson:"ExpiresAt"`
	RevokedAt       *time.Time    `bson:"RevokedAt,omitempty"`
	LastSync        *SyncState    `bson:"LastSync,omitempty"`
	// FrequencyPerDay caps the syncs run without the user present (a
	// schedule, not a person asking) in any 24 hours, as PSD2 caps a
	// provider's unattended access (RTS Article 36(5)(b)); 0 means
	// DefaultFrequencyPerDay.
	FrequencyPerDay int `bson:"FrequencyPerDay,omitempty"`
	// Unattended are the times of the unattended syncs of the last 24
	// hours, what the cap is checked against.
	Unattended []time.Time `bson:"UnattendedAccess,omitempty"`
}

// DefaultFrequencyPerDay is PSD2's cap on unattended accesses per consent
// and day.
const DefaultFrequencyPerDay = 4

// UnattendedBudget reports whether one more unattended sync may run under
// the consent at now and, when it may not, the earliest time one may.
func (c Consent) UnattendedBudget(now time.Time) (ok bool, next time.Time) {
	limit := c.FrequencyPerDay
	if limit <= 0 {
		limit = DefaultFrequencyPerDay
	}
	recent := c.RecentUnattended(now)
	if len(recent) < limit {
		return true, now
	}
	// The window frees up when the oldest access that keeps it full leaves.
	return false, recent[len(recent)-limit].Add(24 * time.Hour)
}

// RecentUnattended are the unattended accesses within 24 hours before now
// (and any after it), oldest first.
func (c Consent) RecentUnattended(now time.Time) []time.Time {
	var out []time.Time
	for _, t := range c.Unattended {
		if now.Sub(t) < 24*time.Hour { // one from a clock ahead counts too

			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// Active reports whether data may be fetched under the consent at now.
func (c Consent) Active(now time.Time) bool {
	return c.Status == ConsentAuthorised && now.Before(c.ExpiresAt)
}

// SyncState is the outcome of a consent's last sync.
type SyncState struct {
	At       time.Time      `bson:"At"`
	State    string         `bson:"State"` // running | ok | failed
	Error    string         `bson:"Error,omitempty"`
	Counts   map[string]int `bson:"Counts,omitempty"`
	Duration time.Duration  `bson:"Duration,omitempty"`
}

// Audit actions.
const (
	AuditConsentGranted  = "consent.granted"
	AuditConsentRejected = "consent.rejected"
	AuditConsentRevoked  = "consent.revoked"
	AuditConsentExpired  = "consent.expired"
	AuditSyncStarted     = "sync.started"
	AuditSyncFinished    = "sync.finished"
	AuditSyncFailed      = "sync.failed"
	AuditDataErased      = "data.erased"
)

// AuditEvent is one append-only record of the audit trail (collection
// audit). It never holds secrets or raw tokens.
type AuditEvent struct {
	ID       bson.ObjectID  `bson:"_id"`
	Time     time.Time      `bson:"Time"`
	UserId   bson.ObjectID  `bson:"UserId"` //nolint:revive
	UserName string         `bson:"UserName,omitempty"`
	Action   string         `bson:"Action"`
	BankId   string         `bson:"BankId,omitempty"` //nolint:revive
	Outcome  string         `bson:"Outcome"`          // ok | failed
	Detail   string         `bson:"Detail,omitempty"`
	Counts   map[string]int `bson:"Counts,omitempty"`
	// Subject replaces UserId and UserName on records that must carry no
	// personal data (data.erased): a keyed hash of the user id.
	Subject string `bson:"Subject,omitempty"`
}

// Audit outcomes.
const (
	OutcomeOK     = "ok"
	OutcomeFailed = "failed"
)

// Sync states recorded in SyncState.State.
const (
	SyncRunning = "running"
	SyncOK      = "ok"
	SyncFailed  = "failed"
)

// Token is a stored bearer token (collection tokens) in the original shape
// plus what a bank grant needs. Token values are sealed (core/secrets).
type Token struct {
	ID          bson.ObjectID `bson:"_id"`
	UserName    string        `bson:"UserName"`
	UserId      bson.ObjectID `bson:"UserId,omitempty"` //nolint:revive
	BearerToken string        `bson:"BearerToken"`      // sealed
	TokenHash   string        `bson:"TokenHash,omitempty"`
	TokenDates  TokenDates    `bson:"TokenDates"`
	TokenType   string        `bson:"TokenType,omitempty"` // api | bank
	BankId      string        `bson:"BankId,omitempty"`    //nolint:revive
	ConsentId   string        `bson:"ConsentId,omitempty"` //nolint:revive
	Scopes      []string      `bson:"Scopes,omitempty"`
	// RefreshToken is sealed; absent for API tokens.
	RefreshToken string `bson:"RefreshToken,omitempty"`
	Extra        bson.M `bson:",inline"`
}

// TokenDates are the original system's token timestamps plus expiry.
type TokenDates struct {
	CreationDate time.Time  `bson:"CreationDate"`
	LastUseDate  time.Time  `bson:"LastUseDate"`
	ExpiryDate   *time.Time `bson:"ExpiryDate,omitempty"`
}

// Token types.
const (
	TokenAPI  = "api"
	TokenBank = "bank"
)
