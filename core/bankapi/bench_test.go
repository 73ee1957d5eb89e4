package bankapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/core/model"
)

// page is a list of n copies of a transaction, each with its own id, as
// key: [...] inside wrap (which holds one %s).
func page(tx, idKey, id, wrap string, n int) []byte {
	items := make([]string, n)
	for i := range items {
		items[i] = strings.Replace(tx, `"`+idKey+`":"`+id+`"`, fmt.Sprintf(`"%s":"%s-%d"`, idKey, id, i), 1)
	}
	return []byte(fmt.Sprintf(wrap, strings.Join(items, ",")))
}

// BenchmarkDecodeAndMapPage is the client's own work on a page of 500
// transactions in each style: the JSON decoded as GetJSON decodes it, and
// every transaction mapped to the unified model (what the sync does
// between a bank's answer and the store).
func BenchmarkDecodeAndMapPage(b *testing.B) {
	const n = 500
	cases := []struct {
		name string
		body []byte
		run  func(sc Scope, body []byte) (int, error)
	}{
		{"original", page(seedOriginalTx, "TransactionId", "T1", `{"Transactions":[%s],"Page":1,"TotalPages":1}`, n),
			func(sc Scope, body []byte) (int, error) {
				var p originalPage
				if err := json.Unmarshal(body, &p); err != nil {
					return 0, err
				}
				for _, e := range p.Transactions {
					raw, err := asObject(e)
					if err != nil {
						return 0, err
					}
					if _, err := MapOriginalTransaction(sc, "GRN-1", raw); err != nil {
						return 0, err
					}
				}
				return len(p.Transactions), nil
			}},
		{"ukob", page(seedUKTx, "TransactionId", "U1", `{"Data":{"Transaction":[%s]},"Links":{"Self":"x"},"Meta":{"TotalPages":1}}`, n),
			func(sc Scope, body []byte) (int, error) {
				var env ukobEnvelope
				if err := json.Unmarshal(body, &env); err != nil {
					return 0, err
				}
				d := &fields{m: env.Data}
				raws := d.objs("Transaction")
				for _, r := range raws {
					if _, err := MapUKOBTransaction(sc, "ALB-1", r.m); err != nil {
						return 0, err
					}
				}
				return len(raws), d.err
			}},
		{"berlin", page(seedBGTx, "transactionId", "B1", `{"account":{"iban":"DE89"},"transactions":{"booked":[%s],"_links":{}}}`, n),
			func(sc Scope, body []byte) (int, error) {
				var p berlinTxPage
				if err := json.Unmarshal(body, &p); err != nil {
					return 0, err
				}
				for _, e := range p.Transactions.Booked {
					raw, err := asObject(e)
					if err != nil {
						return 0, err
					}
					if _, err := MapBerlinTransaction(sc, "RB-1", "DE89", model.StatusBooked, raw); err != nil {
						return 0, err
					}
				}
				return len(p.Transactions.Booked), nil
			}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			sc := testScope(banks.StyleOriginal, "USD")
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				got, err := c.run(sc, c.body)
				if err != nil || got != n {
					b.Fatalf("%d transactions, %v", got, err)
				}
			}
		})
	}
}
