package restapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/openfinance-tui/openfinance/core/fx"
	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/pipelines"
	"github.com/openfinance-tui/openfinance/core/store"
)

// docKind is what a route serves: accounts or products. Both collections
// have the same shape of owner, bank, amount and currency fields.
type docKind struct {
	coll      string
	listKey   string // "accounts" | "products"
	owner     string // AccountUser | ProductCustomer
	bank      string // AccountBank | ProductBank
	bankID    string // AccountId | ProductId
	amount    string // AccountBalance | ProductAmount
	currency  string // AccountCurrency | ProductCurrency
	totalKey  string // total_balance | total_debt
	idsField  string // connected_external_accounts | connected_external_products
	bankField string // account_bank | product_bank
	idKey     string // account_id | product_id
	noun      string // account | financial product
	// only narrows the total (Loan and Mortgage for debt).
	only bson.D
}

var (
	accountsKind = docKind{
		coll: model.CollAccounts, listKey: "accounts", owner: "AccountUser", bank: "AccountBank", bankID: "AccountId",
		amount: "AccountBalance", currency: "AccountCurrency", totalKey: "total_balance",
		idsField: "connected_external_accounts", bankField: "account_bank", idKey: "account_id", noun: "account",
	}
	productsKind = docKind{
		coll: model.CollProducts, listKey: "products", owner: "ProductCustomer", bank: "ProductBank", bankID: "ProductId",
		amount: "ProductAmount", currency: "ProductCurrency", totalKey: "total_debt",
		idsField: "connected_external_products", bankField: "product_bank", idKey: "product_id", noun: "financial product",
		only: bson.D{{Key: "ProductType", Value: bson.D{{Key: "$in", Value: model.DebtTypes()}}}},
	}
)

func (s *Server) handleValidateToken(w http.ResponseWriter, r *http.Request) error {
	p, err := s.authenticate(r.Context(), r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": "Bearer Token is valid for user: " + p.user.UserName})
	return nil
}

// owns reports whether a user_identifier (UserName or _id hex) names the
// token's user.
func (p *principal) owns(ident string) bool {
	return ident == p.user.UserName || (!p.user.UserId.IsZero() && strings.EqualFold(ident, p.user.UserId.Hex()))
}

// handleFetch lists the user's accounts or products, optionally at one
// institution (a bank name as stored, or a bank id of the directory).
func (s *Server) handleFetch(k docKind, byInstitution bool) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		names := []string{"user_identifier"}
		if byInstitution {
			names = append(names, "institution_name")
		}
		q, err := query(r, names...)
		if err != nil {
			return err
		}
		ctx := r.Context()
		p, err := s.authenticate(ctx, r)
		if err != nil {
			return err
		}
		if !p.owns(q[0]) {
			return fail(http.StatusForbidden, msgNotYourIdentifier)
		}
		bank := ""
		if byInstitution {
			bank = s.hub.BankName(q[1])
		}
		docs, err := s.listDocs(ctx, k, p.user, bank)
		if err != nil {
			return err
		}
		js, err := DocsJSON(docs)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, json.RawMessage(`{"`+k.listKey+`":`+string(js)+`}`))
		return nil
	}
}

// listDocs returns the user's documents as stored, by bank then the bank's
// own id.
func (s *Server) listDocs(ctx context.Context, k docKind, u model.UserRef, bank string) ([]bson.D, error) {
	and := bson.A{store.OwnerFilter(k.owner, u)}
	if bank != "" {
		and = append(and, bson.D{{Key: k.bank, Value: bank}})
	}
	return s.store.RawDocs(ctx, k.coll, bson.D{{Key: "$and", Value: and}},
		bson.D{{Key: k.bank, Value: 1}, {Key: k.bankID, Value: 1}, {Key: "_id", Value: 1}})
}

// handleTotal sums the balances (or the Loan and Mortgage amounts) of the
// documents the client lists as connected, as the original did: an empty or
// null list is 0, and ids that are not the user's are ignored.
func (s *Server) handleTotal(k docKind) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		b, err := readBody(r, field{"user_id", kindString}, field{k.idsField, kindOptStringList})
		if err != nil {
			return err
		}
		ctx := r.Context()
		p, err := s.authenticate(ctx, r)
		if err != nil {
			return err
		}
		uid, err := objectID("user_id", b.strs["user_id"])
		if err != nil {
			return err
		}
		if p.user.UserId.IsZero() || uid != p.user.UserId {
			return fail(http.StatusForbidden, msgNotYourUserID)
		}
		ids, err := objectIDs(k.idsField, b.lists[k.idsField])
		if err != nil {
			return err
		}
		total, err := s.total(ctx, k, p.user, ids)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]float64{k.totalKey: total})
		return nil
	}
}

// total runs the selected-sum pipeline of core once per currency among the
// selected documents and converts each sum to US dollars with the stored
// rates, so the API's totals agree with `openfinance position` even when
// banks in other currencies are linked (the original only knew USD). In the
// usual case of one currency that is one small read and one pipeline.
func (s *Server) total(ctx context.Context, k docKind, u model.UserRef, ids []bson.ObjectID) (float64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	owner := store.OwnerFilter(k.owner, u)
	and := bson.A{owner, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}}
	if len(k.only) > 0 {
		and = append(and, k.only)
	}
	raws, err := store.FindAll[bson.Raw](ctx, s.store, k.coll, bson.D{{Key: "$and", Value: and}},
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}, {Key: k.currency, Value: 1}}))
	if err != nil {
		return 0, err
	}
	byCur := map[string][]bson.ObjectID{}
	var order []string
	for _, raw := range raws {
		id, _ := raw.Lookup("_id").ObjectIDOK()
		c, _ := raw.Lookup(k.currency).StringValueOK()
		c = strings.ToUpper(c)
		if c == "" {
			c = "USD" // the original system only knew dollars
		}
		if _, seen := byCur[c]; !seen {
			order = append(order, c)
		}
		byCur[c] = append(byCur[c], id)
	}
	var rates fx.Rates
	sum := 0.0
	for _, c := range order {
		rows, err := store.Aggregate[pipelines.GroupRow[any]](ctx, s.store, k.coll,
			pipelines.SelectedSum(owner, byCur[c], k.only, k.amount))
		if err != nil {
			return 0, err
		}
		v := 0.0
		for _, row := range rows {
			v += row.V
		}
		if c != "USD" {
			if rates == nil {
				if rates, err = fx.Load(ctx, s.store); err != nil {
					return 0, err
				}
			}
			if v, err = rates.Convert(v, c, "USD"); err != nil {
				return 0, &apiError{Status: http.StatusConflict, Detail: err.Error(), cause: err}
			}
		}
		sum += v
	}
	return fx.Round2(sum), nil
}
