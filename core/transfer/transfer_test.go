package transfer_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/model"
	"github.com/openfinance-tui/openfinance/core/secrets"
	"github.com/openfinance-tui/openfinance/core/storetest"
	"github.com/openfinance-tui/openfinance/core/transfer"
)

// A mongoexport --jsonArray file of the original system, relaxed Extended
// JSON, with the per-bank narrative fields and a $numberLong date.
const originalAccounts = `[
{"_id":{"$oid":"65a1f0c2e4b0a1b2c3d4e5f1"},"AccountId":"A-1","AccountBank":"Green Bank","AccountStatus":"Active","AccountType":"Checking","AccountBalance":1000.5,"AccountCurrency":"USD","AccountDate":{"OpeningDate":{"$date":"2023-05-01T00:00:00.000Z"}},"AccountUser":{"UserName":"fridaklo","UserId":{"$oid":"65a1f0c2e4b0a1b2c3d4e500"}},"GreenAccountNarrative":"eco"},
{"_id":{"$oid":"65a1f0c2e4b0a1b2c3d4e5f2"},"AccountId":"A-2","AccountBank":"MongoDB Bank","AccountStatus":"Active","AccountType":"Savings","AccountBalance":250,"AccountCurrency":"USD","AccountDate":{"OpeningDate":{"$date":{"$numberLong":"1682899200000"}}},"AccountUser":{"UserName":"fridaklo","UserId":{"$oid":"65a1f0c2e4b0a1b2c3d4e500"}},"MDBAccountNarrative":"dev"}
]`

// The same kind of data as canonical Extended JSON, one document per line.
const canonicalProducts = `{"_id":{"$oid":"65a1f0c2e4b0a1b2c3d4e6f1"},"ProductId":"P-1","ProductBank":"Green Bank","ProductType":"Loan","ProductAmount":{"$numberDouble":"5000.0"},"ProductInterestRate":{"$numberDecimal":"4.5"},"RepaymentPeriod":{"$numberInt":"24"},"LoanCollateral":null,"ProductCustomer":{"UserName":"fridaklo","UserId":{"$oid":"65a1f0c2e4b0a1b2c3d4e500"}}}

{"_id":{"$oid":"65a1f0c2e4b0a1b2c3d4e6f2"},"ProductId":"P-2","ProductBank":"Green Bank","ProductType":"Mortgage","ProductAmount":{"$numberLong":"200000"},"ProductInterestRate":{"$numberDouble":"3.25"},"AmortizationPeriod":{"$numberInt":"30"},"PropertyDetails":{"Address":"1 Main St","PropertyValue":{"$numberInt":"300000"}},"ProductCustomer":{"UserName":"fridaklo","UserId":{"$oid":"65a1f0c2e4b0a1b2c3d4e500"}}}
`

func box(t *testing.T) *secrets.Box {
	b, err := secrets.New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestImportOriginalExportsAndReimportChangesNothing(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	srcs := []transfer.Source{
		{Name: "open_finance.external_accounts.json", Data: []byte(originalAccounts)},
		{Name: "dump/open_finance.external_products.json", Data: []byte(canonicalProducts)},
		{Name: "open_finance.tokens.json", Data: []byte(`[{"_id":{"$oid":"65a1f0c2e4b0a1b2c3d4e7f1"},"UserName":"fridaklo","BearerToken":"canary-plain-token","TokenDates":{"CreationDate":{"$date":"2024-01-01T00:00:00Z"},"LastUseDate":{"$date":"2024-01-02T00:00:00Z"}}}]`)},
	}
	res, err := transfer.Import(ctx, s, srcs, transfer.Options{Sealer: box(t)})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Inserted != 2 || res[1].Inserted != 2 || res[1].Decimals != 1 || res[2].Inserted != 1 {
		t.Fatalf("first import: %+v", res)
	}
	res, err = transfer.Import(ctx, s, srcs, transfer.Options{Sealer: box(t)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Unchanged != r.Documents || r.Inserted+r.Replaced != 0 {
			t.Fatalf("re-import changed something: %+v", r)
		}
	}
	u := model.UserRef{UserName: "fridaklo"}
	accs, err := s.Accounts(ctx, u, "")
	if err != nil || len(accs) != 2 || accs[0].Extra["GreenAccountNarrative"] != "eco" {
		t.Fatalf("accounts: %+v %v", accs, err)
	}
	if !accs[1].AccountDate.OpeningDate.Equal(accs[0].AccountDate.OpeningDate) {
		t.Fatalf("$numberLong date: %v vs %v", accs[1].AccountDate, accs[0].AccountDate)
	}
	ps, err := s.Products(ctx, u, "", "")
	if err != nil || len(ps) != 2 || ps[0].ProductInterestRate != 4.5 || ps[1].ProductAmount != 200000 || ps[1].PropertyDetails.PropertyValue != 300000 {
		t.Fatalf("products: %+v %v", ps, err)
	}
	var tok bson.M
	if err := s.C(model.CollTokens).FindOne(ctx, bson.D{}).Decode(&tok); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(tok["BearerToken"].(string), "canary") {
		t.Fatal("a token was stored in plain text")
	}
}

func TestExportThenImportIsLossless(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	src := []transfer.Source{{Name: "open_finance.external_accounts.json", Data: []byte(originalAccounts)}}
	if _, err := transfer.Import(ctx, s, src, transfer.Options{}); err != nil {
		t.Fatal(err)
	}
	var first bytes.Buffer
	if _, err := transfer.Export(ctx, s, model.CollAccounts, &first); err != nil {
		t.Fatal(err)
	}
	s2 := storetest.Open(t)
	if _, err := transfer.Import(ctx, s2, []transfer.Source{{Name: "x.external_accounts.json", Data: first.Bytes()}}, transfer.Options{}); err != nil {
		t.Fatal(err)
	}
	var second bytes.Buffer
	if _, err := transfer.Export(ctx, s2, model.CollAccounts, &second); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Fatalf("export → import → export differs:\n%s\n---\n%s", first.String(), second.String())
	}
}

func TestMalformedFilesAreRefusedWholeAndChangeNothing(t *testing.T) {
	s := storetest.Open(t)
	ctx := storetest.Ctx(t)
	good := transfer.Source{Name: "open_finance.external_accounts.json", Data: []byte(originalAccounts)}
	if _, err := transfer.Import(ctx, s, []transfer.Source{good}, transfer.Options{}); err != nil {
		t.Fatal(err)
	}
	var before bytes.Buffer
	_, _ = transfer.Export(ctx, s, model.CollAccounts, &before)

	changed := strings.Replace(originalAccounts, `"AccountBalance":1000.5`, `"AccountBalance":9999`, 1)
	cases := []struct {
		name, data, want string
	}{
		{"truncated", originalAccounts[:300], "the file ends in the middle of a document"},
		{"bad oid", strings.Replace(changed, "65a1f0c2e4b0a1b2c3d4e5f2", "not-an-object-id", 1), "document 2 (line 3): invalid Extended JSON"},
		{"string for number", strings.Replace(changed, `"AccountBalance":250`, `"AccountBalance":"250"`, 1), `document 2 (line 3): AccountBalance is the string "250", want a number`},
		{"missing owner", strings.Replace(changed, `,"AccountUser":{"UserName":"fridaklo","UserId":{"$oid":"65a1f0c2e4b0a1b2c3d4e500"}},"MDB`, `,"MDB`, 1), "document 2 (line 3): missing field AccountUser"},
		{"not json", "hello", "document 1 (line 1): invalid JSON"},
		{"empty", "  \n", "the file is empty"},
		{"array of non-objects", "[1,2]", "document 1 (line 1): not a JSON object"},
		{"duplicate ids", "[" + strings.Split(originalAccounts, "\n")[1] + strings.TrimSuffix(strings.Split(originalAccounts, "\n")[1], ",") + "]", "document 2 (line 1): repeats the _id of document 1"},
		{"trailing garbage", originalAccounts + "xx", "unexpected text after the closing ]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The good-but-changed file comes first: nothing of it may be
			// written when the second file is refused.
			srcs := []transfer.Source{{Name: "a.external_accounts.json", Data: []byte(changed)}, {Name: "bad.external_accounts.json", Data: []byte(c.data)}}
			_, err := transfer.Import(ctx, s, srcs, transfer.Options{})
			var fe *transfer.FileError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "bad.external_accounts.json") {
				t.Fatalf("error %v, want a file error containing %q", err, c.want)
			}
			var after bytes.Buffer
			_, _ = transfer.Export(ctx, s, model.CollAccounts, &after)
			if after.String() != before.String() {
				t.Fatal("a refused import changed the store")
			}
		})
	}
}

func TestCollectionFromFileName(t *testing.T) {
	for in, want := range map[string]string{
		"open_finance.external_accounts.json": "external_accounts",
		"/tmp/x/db.tokens.json":               "tokens",
		"tokens.json":                         "",
	} {
		if got := transfer.CollectionFromFileName(in); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
	s := storetest.Open(t)
	_, err := transfer.Import(storetest.Ctx(t), s, []transfer.Source{{Name: "tokens.json", Data: []byte("[]")}}, transfer.Options{})
	if err == nil || !strings.Contains(err.Error(), "--collection") {
		t.Fatalf("no collection: %v", err)
	}
}
