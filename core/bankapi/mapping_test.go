package bankapi

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/openfinance-tui/openfinance/core/banks"
	"github.com/openfinance-tui/openfinance/core/fx"
	"github.com/openfinance-tui/openfinance/core/model"
)

func testScope(style banks.Style, cur string) Scope {
	return Scope{
		User: model.UserRef{UserName: "alice", UserId: model.DemoUserID("alice")},
		Bank: banks.Bank{ID: "x-bank", Name: "X Bank", Style: style, Currency: cur}, ConsentID: "C1",
		Permissions: banks.DefaultPermissions(), FetchedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Rates: fx.Rates{"USD": 1, "GBP": 1.25, "EUR": 1.1},
	}
}

func obj(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

const (
	seedOriginalAccount = `{"AccountId":"GRN-1","AccountBank":"Green Bank","AccountStatus":"Active","AccountType":"Checking","AccountBalance":4210.55,"AccountCurrency":"USD","AccountDate":{"OpeningDate":"2019-03-14T00:00:00Z"},"GreenAccountNarrative":"carbon tracking"}`
	seedOriginalProduct = `{"ProductId":"MDB-MG-1","ProductBank":"MongoDB Bank","ProductStatus":"Active","ProductType":"Mortgage","ProductAmount":286000,"ProductCurrency":"USD","ProductInterestRate":5.25,"ProductDate":{"OpeningDate":"2021-08-01T00:00:00Z"},"MDBProductNarrative":"Fixed","AmortizationPeriod":30,"PropertyDetails":{"Address":"18 Elm Street","PropertyValue":410000}}`
	seedOriginalTx      = `{"TransactionId":"T1","BookingDate":"2026-02-03T10:00:00Z","ValueDate":"2026-02-03T00:00:00Z","Amount":-42.5,"Currency":"USD","Merchant":"Corner Grocer","Category":"groceries","Description":"card","Status":"Booked","GreenCarbonKg":3.2,"MDBTags":["food","weekly"]}`
	seedUKAccount       = `{"AccountId":"ALB-1","Status":"Enabled","Currency":"GBP","AccountType":"Personal","AccountSubType":"CurrentAccount","Nickname":"Bills","OpeningDate":"2020-01-02T00:00:00+00:00","Account":[{"SchemeName":"UK.OBIE.SortCodeAccountNumber","Identification":"40400412345678","Name":"A Martin"}]}`
	seedUKBalance       = `{"AccountId":"ALB-1","Amount":{"Amount":"1200.50","Currency":"GBP"},"CreditDebitIndicator":"Credit","Type":"InterimBooked","DateTime":"2026-03-01T00:00:00+00:00"}`
	seedUKLoanAccount   = `{"AccountId":"ALB-L1","Status":"Enabled","Currency":"GBP","AccountType":"Personal","AccountSubType":"Loan","Nickname":"Car"}`
	seedUKLoanBalance   = `{"AccountId":"ALB-L1","Amount":{"Amount":"9000.00","Currency":"GBP"},"CreditDebitIndicator":"Debit","Type":"InterimBooked"}`
	seedUKProduct       = `{"AccountId":"ALB-L1","ProductId":"ALB-CAR","ProductName":"Car Loan","ProductType":"Other","OtherProductType":{"Name":"Loan","Description":"Fixed","LoanInterest":{"LoanInterestTierBandSet":[{"TierBandMethod":"Whole","TierBand":[{"TierValueMinimum":"0","LoanProviderInterestRateType":"INFX","LoanProviderInterestRate":"4.25"}]}]}},"LoanTerms":{"StartDate":"2024-01-01","TermMonths":48,"OriginalAmount":{"Amount":"15000.00","Currency":"GBP"},"Collateral":"Vehicle"}}`
	seedUKTx            = `{"AccountId":"ALB-1","TransactionId":"U1","TransactionReference":"REF9","Amount":{"Amount":"12.30","Currency":"GBP"},"CreditDebitIndicator":"Debit","Status":"Pending","BookingDateTime":"2026-02-28T09:00:00+00:00","ValueDateTime":"2026-02-28T09:00:00+00:00","TransactionInformation":"Coffee","MerchantDetails":{"MerchantName":"Bean There","MerchantCategoryCode":"5814"},"ProprietaryBankTransactionCode":{"Code":"Dining","Issuer":"Albion"}}`
	seedBGAccount       = `{"resourceId":"RB-1","iban":"DE89370400440532013000","currency":"EUR","name":"Giro","product":"Girokonto","cashAccountType":"CACC","status":"enabled","balances":[{"balanceAmount":{"currency":"EUR","amount":"800.00"},"balanceType":"interimAvailable"},{"balanceAmount":{"currency":"EUR","amount":"750.00"},"balanceType":"closingBooked"}],"_links":{"balances":{"href":"/x"}}}`
	seedBGLoan          = `{"resourceId":"RB-M1","currency":"EUR","product":"Baufinanzierung","loanType":"mortgage","outstandingAmount":{"currency":"EUR","amount":"210000.00"},"interestRate":"3.10","startDate":"2020-05-01","termMonths":300,"originalAmount":{"currency":"EUR","amount":"250000.00"},"propertyAddress":"Rheinweg 1, Köln","propertyValue":{"currency":"EUR","amount":"400000.00"}}`
	seedBGTx            = `{"transactionId":"B1","bookingDate":"2026-02-10","valueDate":"2026-02-10","transactionAmount":{"currency":"EUR","amount":"-55.00"},"creditorName":"Stadtwerke","remittanceInformationUnstructured":"Strom Februar","proprietaryBankTransactionCode":"Utilities","merchantCategoryCode":"4900"}`
)

func TestOriginalMappingKeepsBankFields(t *testing.T) {
	sc := testScope(banks.StyleOriginal, "USD")
	a, err := MapOriginalAccount(sc, obj(t, seedOriginalAccount))
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != model.AccountID(sc.User.UserId, "x-bank", "GRN-1") || a.AccountBalance != 4210.55 || a.AccountBank != "X Bank" ||
		a.Extra["GreenAccountNarrative"] != "carbon tracking" || a.Lineage.SourceId != "GRN-1" || a.Lineage.ConsentId != "C1" {
		t.Fatalf("account %+v", a)
	}
	p, err := MapOriginalProduct(sc, obj(t, seedOriginalProduct))
	if err != nil {
		t.Fatal(err)
	}
	if p.ProductType != model.ProductMortgage || p.AmortizationPeriod != 30 || p.PropertyDetails.PropertyValue != 410000 || p.Extra["MDBProductNarrative"] != "Fixed" {
		t.Fatalf("product %+v", p)
	}
	tx, err := MapOriginalTransaction(sc, "GRN-1", obj(t, seedOriginalTx))
	if err != nil {
		t.Fatal(err)
	}
	if tx.Amount != -42.5 || tx.Direction != model.DirectionOut || tx.MonthKey != "2026-02" || tx.Category != "Groceries" ||
		tx.Extra["GreenCarbonKg"] != 3.2 || tx.Extra["BankCategory"] != "groceries" || tx.AccountRef != a.ID {
		t.Fatalf("transaction %+v", tx)
	}
}

func TestUKOBMapping(t *testing.T) {
	sc := testScope(banks.StyleUKOB, "GBP")
	bal := []*fields{{m: obj(t, seedUKBalance)}}
	a, err := MapUKOBAccount(sc, obj(t, seedUKAccount), bal)
	if err != nil {
		t.Fatal(err)
	}
	if a.AccountType != "Checking" || a.AccountBalance != 1200.5 || a.AccountCurrency != "GBP" || a.Extra["Nickname"] != "Bills" || a.Extra["AccountSubType"] != "CurrentAccount" {
		t.Fatalf("account %+v", a)
	}
	p, err := MapUKOBLoan(sc, obj(t, seedUKLoanAccount), []*fields{{m: obj(t, seedUKLoanBalance)}}, []*fields{{m: obj(t, seedUKProduct)}})
	if err != nil {
		t.Fatal(err)
	}
	if p.ProductType != model.ProductLoan || p.ProductAmount != 9000 || p.ProductInterestRate != 4.25 || p.RepaymentPeriod != 48 ||
		p.LoanCollateral != "Vehicle" || p.ProductDate == nil || p.ProductId != "ALB-L1" {
		t.Fatalf("loan %+v", p)
	}
	tx, err := MapUKOBTransaction(sc, "ALB-1", obj(t, seedUKTx))
	if err != nil {
		t.Fatal(err)
	}
	if tx.Amount != -12.3 || tx.AmountBase != -12.3*1.25 || tx.Status != model.StatusPending || tx.Merchant != "Bean There" ||
		tx.Category != "Dining" || tx.Extra["TransactionReference"] != "REF9" || tx.Extra["MerchantCategoryCode"] != "5814" {
		t.Fatalf("transaction %+v", tx)
	}
}

func TestBerlinGroupMapping(t *testing.T) {
	sc := testScope(banks.StyleBerlinGroup, "EUR")
	a, err := MapBerlinAccount(sc, obj(t, seedBGAccount))
	if err != nil {
		t.Fatal(err)
	}
	if a.AccountBalance != 750 || a.AccountType != "Checking" || a.Extra["iban"] != "DE89370400440532013000" || a.Extra["AvailableBalance"] != 800.0 {
		t.Fatalf("account %+v", a)
	}
	p, err := MapBerlinLoan(sc, obj(t, seedBGLoan))
	if err != nil {
		t.Fatal(err)
	}
	if p.ProductType != model.ProductMortgage || p.ProductAmount != 210000 || p.ProductInterestRate != 3.1 || p.AmortizationPeriod != 25 ||
		p.PropertyDetails == nil || p.PropertyDetails.PropertyValue != 400000 {
		t.Fatalf("loan %+v", p)
	}
	tx, err := MapBerlinTransaction(sc, "RB-1", "DE89", model.StatusBooked, obj(t, seedBGTx))
	if err != nil {
		t.Fatal(err)
	}
	if tx.Amount != -55 || tx.Merchant != "Stadtwerke" || tx.Description != "Strom Februar" || tx.Category != "Utilities" ||
		tx.Extra["remittanceInformationUnstructured"] != "Strom Februar" || tx.Extra["iban"] != "DE89" {
		t.Fatalf("transaction %+v", tx)
	}
}

func TestMalformedFieldsNameTheField(t *testing.T) {
	sc := testScope(banks.StyleOriginal, "USD")
	_, err := MapOriginalAccount(sc, obj(t, `{"AccountId":"A","AccountBalance":"lots"}`))
	if err == nil || err.Error() != "account A: field AccountBalance is not a number" {
		t.Fatalf("err %v", err)
	}
	_, err = MapBerlinTransaction(sc, "A", "", model.StatusBooked, obj(t, `{"transactionId":"T","bookingDate":"2026-01-01","transactionAmount":{"amount":"NaN"}}`))
	if err == nil {
		t.Fatal("NaN amount accepted")
	}
	// Fields that would clash with the document's own are not copied to Extra.
	a, err := MapOriginalAccount(sc, obj(t, `{"AccountId":"A","Lineage":"x","AccountUser":{"UserName":"mallory"},"$set":1,"a.b":2}`))
	if err != nil || a.AccountUser.UserName != "alice" || len(a.Extra) != 0 {
		t.Fatalf("account %+v %v", a, err)
	}
	if _, err := bson.Marshal(a); err != nil {
		t.Fatal(err)
	}
}

func TestNormalizeCategory(t *testing.T) {
	for in, want := range map[string]string{"Groceries": "Groceries", "eating out": "Dining", "SALARY": "Income", "Bills & Utilities": "Utilities", "zzz": "Other", "": "Other"} {
		if got := NormalizeCategory(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// FuzzBankJSON feeds arbitrary JSON objects to every adapter's mapping: no
// panic, and whatever maps is storable (marshals to BSON).
func FuzzBankJSON(f *testing.F) {
	for i, s := range []string{seedOriginalAccount, seedOriginalProduct, seedOriginalTx, seedUKAccount, seedUKLoanAccount,
		seedUKProduct, seedUKTx, seedBGAccount, seedBGLoan, seedBGTx, `{}`, `{"AccountId":1}`, `{"Amount":{"Amount":[]}}`} {
		f.Add(uint8(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		var m map[string]any
		if json.Unmarshal(data, &m) != nil || m == nil {
			return
		}
		sc := testScope(banks.StyleOriginal, "USD")
		var doc any
		var err error
		switch which % 8 {
		case 0:
			doc, err = MapOriginalAccount(sc, m)
		case 1:
			doc, err = MapOriginalProduct(sc, m)
		case 2:
			doc, err = MapOriginalTransaction(sc, "A", m)
		case 3:
			doc, err = MapUKOBAccount(sc, m, []*fields{{m: m}})
		case 4:
			doc, err = MapUKOBLoan(sc, m, []*fields{{m: m}}, []*fields{{m: m}})
		case 5:
			doc, err = MapUKOBTransaction(sc, "A", m)
		case 6:
			doc, err = MapBerlinAccount(sc, m)
		case 7:
			doc, err = MapBerlinTransaction(sc, "A", "", model.StatusBooked, m)
		}
		if err != nil {
			return
		}
		if _, err := bson.Marshal(doc); err != nil {
			t.Fatalf("mapped document cannot be stored: %v", err)
		}
	})
}

// FuzzConsentResponse: consent answers of every style never panic.
func FuzzConsentResponse(f *testing.F) {
	f.Add([]byte(`{"ConsentId":"C","Status":"AwaitingAuthorisation","ExpirationDateTime":"2026-06-01T00:00:00Z"}`))
	f.Add([]byte(`{"Data":{"ConsentId":"C","Status":"AwaitingAuthorisation"}}`))
	f.Add([]byte(`{"consentStatus":"received","consentId":"C"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = parseOriginalConsent("X", data)
		_, _ = parseUKOBConsent("X", data)
		_, _ = parseBerlinConsent("X", data)
		_, _ = ParseMetadata(data)
	})
}

// A page's lists decode as lists of any (see objects): an object is an
// object, null an empty one, and anything else is refused by name.
func TestListsOfObjects(t *testing.T) {
	var p originalPage
	if err := json.Unmarshal([]byte(`{"Transactions":[{"TransactionId":"T1"},null,3]}`), &p); err != nil {
		t.Fatal(err)
	}
	if m, err := asObject(p.Transactions[0]); err != nil || m["TransactionId"] != "T1" {
		t.Errorf("object: %v, %v", m, err)
	}
	if m, err := asObject(p.Transactions[1]); err != nil || len(m) != 0 {
		t.Errorf("null: %v, %v", m, err)
	}
	if _, err := asObject(p.Transactions[2]); err == nil || !strings.Contains(err.Error(), "holds a float64") {
		t.Errorf("number: %v", err)
	}
}
