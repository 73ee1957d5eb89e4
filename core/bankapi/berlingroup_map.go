package bankapi

import (
	"fmt"

	"github.com/openfinance-tui/openfinance/core/model"
)

func berlinType(cash string) string {
	switch cash {
	case "CACC":
		return "Checking"
	case "SVGS":
		return "Savings"
	}
	return cash
}

// MapBerlinAccount maps an account with its balances (booked preferred).
func MapBerlinAccount(sc Scope, raw map[string]any) (model.ExternalAccount, error) {
	f := &fields{m: raw}
	id := f.str("resourceId")
	if id == "" {
		return model.ExternalAccount{}, fmt.Errorf("an account has no resourceId")
	}
	a := sc.newAccount(id)
	a.AccountCurrency = f.str("currency")
	if a.AccountCurrency == "" {
		a.AccountCurrency = sc.Bank.Currency
	}
	cash := f.str("cashAccountType")
	a.AccountType = berlinType(cash)
	a.AccountStatus = f.str("status")
	delete(f.m, "_links")
	picked := false
	for _, b := range f.objs("balances") {
		typ := b.str("balanceType")
		v, _, ok := b.money("balanceAmount")
		if !ok {
			continue
		}
		switch {
		case typ == "closingBooked" || typ == "interimBooked":
			a.AccountBalance, picked = v, true
		case !picked:
			a.AccountBalance = v
		}
		if typ == "interimAvailable" {
			putExtra(&a.Extra, "AvailableBalance", v)
		}
	}
	if f.err != nil {
		return model.ExternalAccount{}, fmt.Errorf("account %s: %w", id, f.err)
	}
	extra := f.rest(accountFields)
	for k, v := range a.Extra {
		putExtra(&extra, k, v)
	}
	putExtra(&extra, "cashAccountType", cash)
	a.Extra = extra
	return a, nil
}

// MapBerlinLoan maps a Rheinbank loan (consumer → Loan, mortgage → Mortgage).
func MapBerlinLoan(sc Scope, raw map[string]any) (model.ExternalProduct, error) {
	f := &fields{m: raw}
	id := f.str("resourceId")
	if id == "" {
		return model.ExternalProduct{}, fmt.Errorf("a loan has no resourceId")
	}
	p := sc.newProduct(id)
	p.ProductCurrency = f.str("currency")
	loanType := f.str("loanType")
	switch loanType {
	case "mortgage":
		p.ProductType = model.ProductMortgage
	default:
		p.ProductType = model.ProductLoan
	}
	p.ProductStatus = "Active"
	out, cur, _ := f.money("outstandingAmount")
	if out < 0 {
		out = -out
	}
	p.ProductAmount = out
	if p.ProductCurrency == "" {
		p.ProductCurrency = cur
	}
	if p.ProductCurrency == "" {
		p.ProductCurrency = sc.Bank.Currency
	}
	p.ProductInterestRate, _, _ = f.money("interestRate")
	if d := f.date("startDate"); !d.IsZero() {
		p.ProductDate = &model.OpeningDate{OpeningDate: d}
	}
	months := f.count("termMonths")
	orig, _, hasOrig := f.money("originalAmount")
	p.LoanCollateral = f.str("collateral")
	addr := f.str("propertyAddress")
	pv, _, hasPV := f.money("propertyValue")
	if p.ProductType == model.ProductMortgage {
		p.AmortizationPeriod = months / 12
		if addr != "" || hasPV {
			p.PropertyDetails = &model.PropertyDetails{Address: addr, PropertyValue: pv}
		}
	} else {
		p.RepaymentPeriod = months
	}
	if f.err != nil {
		return model.ExternalProduct{}, fmt.Errorf("loan %s: %w", id, f.err)
	}
	p.Extra = f.rest(productFields)
	putExtra(&p.Extra, "loanType", loanType)
	putExtra(&p.Extra, "termMonths", months)
	if hasOrig {
		putExtra(&p.Extra, "OriginalAmount", orig)
	}
	return p, nil
}

// MapBerlinTransaction maps a booked or pending transaction; the account's
// iban and the remittance information are kept in Extra.
func MapBerlinTransaction(sc Scope, accountID, iban, status string, raw map[string]any) (model.Transaction, error) {
	f := &fields{m: raw}
	id := f.str("transactionId")
	booked := f.date("bookingDate")
	value := f.date("valueDate")
	amt, cur, _ := f.money("transactionAmount")
	creditor := f.str("creditorName")
	debtor := f.str("debtorName")
	remit := f.str("remittanceInformationUnstructured")
	category := f.str("proprietaryBankTransactionCode")
	mcc := f.str("merchantCategoryCode")
	if f.err != nil {
		return model.Transaction{}, fmt.Errorf("transaction %s: %w", id, f.err)
	}
	if booked.IsZero() {
		booked = value
	}
	t, err := sc.newTx(accountID, id, booked, amt, cur, category, "transactions", f.rest(txFields))
	if err != nil {
		return model.Transaction{}, err
	}
	if !value.IsZero() {
		t.ValueDate = &value
	}
	t.Merchant = creditor
	if t.Merchant == "" {
		t.Merchant = debtor
	}
	t.Description, t.Status = remit, status
	putExtra(&t.Extra, "remittanceInformationUnstructured", remit)
	putExtra(&t.Extra, "merchantCategoryCode", mcc)
	putExtra(&t.Extra, "creditorName", creditor)
	putExtra(&t.Extra, "debtorName", debtor)
	putExtra(&t.Extra, "iban", iban)
	return t, nil
}
