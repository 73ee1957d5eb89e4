package hub

// This file holds the signatures the front ends build against while their
// implementations land (issue 4). Each moves to its own file when done.

import (
	"context"
	"errors"
	"time"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/core/insights"
	"github.com/openfinance-tui/openfinance/core/model"
)

var errPending = errors.New("not available in this build yet")

// Bank is a bank the user can link (the directory entry).
type Bank = banks.Bank

// Credentials are what the user types on the bank's login screen.
type Credentials = banks.Credentials

// Insights returns the user's materialized insights, computing them first
// when there are none yet.
func (h *Hub) Insights(ctx context.Context, u model.UserRef) (insights.Insights, error) {
	return insights.Insights{}, errPending
}

// RecomputeInsights recomputes and stores the user's insights.
func (h *Hub) RecomputeInsights(ctx context.Context, u model.UserRef) (insights.Insights, error) {
	return insights.Insights{}, errPending
}

// LinkRequest is what the user agrees to share with a bank.
type LinkRequest struct {
	BankID      string
	Permissions []string      // nil = every permission the bank offers
	ValidFor    time.Duration // how long the consent lasts; 0 = 90 days
	HistoryFrom time.Time     // oldest transactions to share; zero = 12 months back
}

// LinkSession is a consent created at the bank and waiting for the user to
// log in and approve it.
type LinkSession struct {
	User        model.UserRef
	Bank        Bank
	ConsentID   string
	Permissions []string
	ExpiresAt   time.Time
	HistoryFrom time.Time
}

// StartLink creates the consent at the bank.
func (h *Hub) StartLink(ctx context.Context, u model.UserRef, req LinkRequest) (*LinkSession, error) {
	return nil, errPending
}

// CompleteLink logs in at the bank, approves (or rejects) the consent,
// exchanges the code for tokens and stores the consent and tokens.
func (h *Hub) CompleteLink(ctx context.Context, ls *LinkSession, c Credentials, approve bool) (model.Consent, error) {
	return model.Consent{}, errPending
}

// SyncProgress reports one step of a sync, for live progress.
type SyncProgress struct {
	BankID   string
	Resource string // accounts | balances | products | transactions | insights
	Done     int    // units finished (accounts walked, pages read)
	Total    int    // units expected, 0 if unknown
	Count    int    // documents fetched so far for this resource
	Finished bool   // this resource is complete
}

// SyncReport is the outcome of syncing one bank.
type SyncReport struct {
	BankID       string
	Bank         string
	Accounts     int
	Products     int
	Transactions int // fetched
	New          int // transactions not stored before
	Duration     time.Duration
	Err          error
}

// Sync pulls everything the consent at bankID permits ("" = every bank the
// user linked) and recomputes the user's insights.
func (h *Hub) Sync(ctx context.Context, u model.UserRef, bankID string, progress func(SyncProgress)) ([]SyncReport, error) {
	return nil, errPending
}

// Revoke revokes the user's consent at a bank: DELETE at the bank, tokens
// removed and that bank's data for the user erased, in one action. It
// returns the number of documents erased per collection.
func (h *Hub) Revoke(ctx context.Context, u model.UserRef, bankID string) (map[string]int, error) {
	return nil, errPending
}

// EraseUser removes every document of the user in every collection.
func (h *Hub) EraseUser(ctx context.Context, u model.UserRef) (map[string]int, error) {
	return nil, errPending
}
