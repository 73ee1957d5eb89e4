package bankapi

import (
	"fmt"
	"strings"

	"github.com/openfinance-tui/openfinance/core/model"
)

// ukobBalance picks the booked balance (else the available one) and signs it.
func ukobBalance(bal []*fields) (amount float64, currency string, extra map[string]float64, ok bool) {
	var pick *fields
	extra = map[string]float64{}
	for _, b := range bal {
		typ, _ := b.m["Type"].(string)
		if pick == nil || typ == "InterimBooked" || typ == "ClosingBooked" {
			pick = b
		}
		if typ == "InterimAvailable" {
			cp := &fields{m: map[string]any{"Amount": b.m["Amount"], "CreditDebitIndicator": b.m["CreditDebitIndicator"]}}
			if v, _, okA := cp.money("Amount"); okA {
				extra["AvailableBalance"] = signed(v, cp.str("CreditDebitIndicator"))
			}
		}
	}
	if pick == nil {
		return 0, "", extra, false
	}
	v, cur, okA := pick.money("Amount")
	if !okA || pick.err != nil {
		return 0, "", extra, false
	}
	return signed(v, pick.str("CreditDebitIndicator")), cur, extra, true
}

func signed(v float64, indicator string) float64 {
	if strings.EqualFold(indicator, "Debit") {
		return -v
	}
	return v
}

// MapUKOBAccount maps a current or savings account with its balances.
func MapUKOBAccount(sc Scope, raw map[string]any, bal []*fields) (model.ExternalAccount, error) {
	f := &fields{m: raw}
	id := f.str("AccountId")
	if id == "" {
		return model.ExternalAccount{}, fmt.Errorf("an account has no AccountId")
	}
	a := sc.newAccount(id)
	a.AccountStatus = f.str("Status")
	a.AccountCurrency = f.str("Currency")
	if a.AccountCurrency == "" {
		a.AccountCurrency = sc.Bank.Currency
	}
	ukType := f.str("AccountType")
	sub := f.str("AccountSubType")
	a.AccountType = ukAccountType(sub)
	if d := f.date("OpeningDate"); !d.IsZero() {
		a.AccountDate = &model.OpeningDate{OpeningDate: d}
	}
	if f.err != nil {
		return model.ExternalAccount{}, fmt.Errorf("account %s: %w", id, f.err)
	}
	v, _, extra, ok := ukobBalance(bal)
	if ok {
		a.AccountBalance = v
	}
	a.Extra = f.rest(accountFields)
	putExtra(&a.Extra, "AccountSubType", sub)
	putExtra(&a.Extra, "UKAccountType", ukType)
	if av, ok := extra["AvailableBalance"]; ok {
		putExtra(&a.Extra, "AvailableBalance", av)
	}
	return a, nil
}

func ukAccountType(sub string) string {
	switch sub {
	case "CurrentAccount":
		return "Checking"
	case "Savings":
		return "Savings"
	}
	return sub
}

// MapUKOBLoan maps a Loan or Mortgage account, its balance (the
// outstanding principal) and its product (rate, terms) to a product.
func MapUKOBLoan(sc Scope, raw map[string]any, bal []*fields, prods []*fields) (model.ExternalProduct, error) {
	f := &fields{m: raw}
	id := f.str("AccountId")
	if id == "" {
		return model.ExternalProduct{}, fmt.Errorf("an account has no AccountId")
	}
	p := sc.newProduct(id)
	p.ProductStatus = f.str("Status")
	p.ProductCurrency = f.str("Currency")
	if p.ProductCurrency == "" {
		p.ProductCurrency = sc.Bank.Currency
	}
	p.ProductType = f.str("AccountSubType")
	ukType := f.str("AccountType")
	opened := f.date("OpeningDate")
	if v, _, _, ok := ukobBalance(bal); ok {
		p.ProductAmount = -v // a Debit balance is money owed
		if p.ProductAmount < 0 {
			p.ProductAmount = -p.ProductAmount
		}
	}
	p.Extra = f.rest(productFields)
	putExtra(&p.Extra, "UKAccountType", ukType)
	if len(prods) > 0 {
		x := prods[0]
		delete(x.m, "AccountId")
		putExtra(&p.Extra, "UKProductId", x.str("ProductId"))
		putExtra(&p.Extra, "ProductName", x.str("ProductName"))
		putExtra(&p.Extra, "UKProductType", x.str("ProductType"))
		other := x.obj("OtherProductType")
		if name := other.str("Name"); name != "" {
			p.ProductType = name
		}
		putExtra(&p.Extra, "ProductDescription", other.str("Description"))
		li := other.obj("LoanInterest")
		for _, set := range li.objs("LoanInterestTierBandSet") {
			for _, band := range set.objs("TierBand") {
				if r, _, ok := band.money("LoanProviderInterestRate"); ok && p.ProductInterestRate == 0 {
					p.ProductInterestRate = r
				}
			}
		}
		terms := x.obj("LoanTerms")
		if d := terms.date("StartDate"); !d.IsZero() {
			opened = d
		}
		months := terms.count("TermMonths")
		if orig, cur, ok := terms.money("OriginalAmount"); ok {
			putExtra(&p.Extra, "OriginalAmount", orig)
			if p.ProductCurrency == "" {
				p.ProductCurrency = cur
			}
		}
		p.LoanCollateral = terms.str("Collateral")
		addr := terms.str("PropertyAddress")
		pv, _, hasPV := terms.money("PropertyValue")
		if p.ProductType == model.ProductMortgage {
			p.AmortizationPeriod = months / 12
			if addr != "" || hasPV {
				p.PropertyDetails = &model.PropertyDetails{Address: addr, PropertyValue: pv}
			}
		} else {
			p.RepaymentPeriod = months
		}
		putExtra(&p.Extra, "TermMonths", months)
		if x.err != nil {
			return model.ExternalProduct{}, fmt.Errorf("product of account %s: %w", id, x.err)
		}
	}
	if f.err != nil {
		return model.ExternalProduct{}, fmt.Errorf("account %s: %w", id, f.err)
	}
	if !opened.IsZero() {
		p.ProductDate = &model.OpeningDate{OpeningDate: opened}
	}
	return p, nil
}

// MapUKOBTransaction maps a UK transaction: positive amount plus indicator
// becomes a signed amount; reference and merchant code kept in Extra.
func MapUKOBTransaction(sc Scope, accountID string, raw map[string]any) (model.Transaction, error) {
	f := &fields{m: raw}
	delete(f.m, "AccountId")
	id := f.str("TransactionId")
	amt, cur, _ := f.money("Amount")
	amt = signed(amt, f.str("CreditDebitIndicator"))
	status := f.str("Status")
	booked := f.date("BookingDateTime")
	value := f.date("ValueDateTime")
	info := f.str("TransactionInformation")
	md := f.obj("MerchantDetails")
	merchant := md.str("MerchantName")
	mcc := md.str("MerchantCategoryCode")
	code := f.obj("ProprietaryBankTransactionCode")
	category := code.str("Code")
	issuer := code.str("Issuer")
	ref := f.str("TransactionReference")
	if f.err != nil {
		return model.Transaction{}, fmt.Errorf("transaction %s: %w", id, f.err)
	}
	if booked.IsZero() && strings.EqualFold(status, model.StatusPending) {
		booked = value
	}
	t, err := sc.newTx(accountID, id, booked, amt, cur, category, "transactions", f.rest(txFields))
	if err != nil {
		return model.Transaction{}, err
	}
	if !value.IsZero() {
		t.ValueDate = &value
	}
	t.Merchant, t.Description, t.Status = merchant, info, txStatus(status)
	putExtra(&t.Extra, "TransactionReference", ref)
	putExtra(&t.Extra, "MerchantCategoryCode", mcc)
	putExtra(&t.Extra, "TransactionCodeIssuer", issuer)
	return t, nil
}
