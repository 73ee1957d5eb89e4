package gen

import (
	"fmt"
	"math/big"
	"strings"
)

// profile is what the generator knows of a bank: its currency, how its
// account ids and numbers look, and how it names its products.
type profile struct {
	id, name, currency, prefix string
	idStyle                    int // idOriginal, idUKOB, idBerlin
	checking, savings          string
	checkingNarr, savingsNarr  string
	loanNarr, mortgageNarr     string
	loanName, mortgageName     string
	bankCode                   string // GB sort code, DE Bankleitzahl
}

const (
	idOriginal = iota
	idUKOB
	idBerlin
)

func profileOf(bankID string) profile {
	switch bankID {
	case "green-bank":
		return profile{id: bankID, name: "Green Bank", currency: "USD", prefix: "GRN", idStyle: idOriginal,
			checking: "Everyday Checking", savings: "Green Savings",
			checkingNarr: "Everyday account with carbon-footprint tracking on every card payment.",
			savingsNarr:  "Green Savings: deposits fund certified renewable-energy projects.",
			loanNarr:     "Green Auto Loan: lower rate for electric vehicles.",
			mortgageNarr: "Green Mortgage: rate discount for A-rated energy homes.",
			loanName:     "Green Auto Loan", mortgageName: "Green Mortgage"}
	case "mongodb-bank":
		return profile{id: bankID, name: "MongoDB Bank", currency: "USD", prefix: "MDB", idStyle: idOriginal,
			checking: "Developer Checking", savings: "Atlas Savings",
			checkingNarr: "Developer Checking: no fees on international transfers.",
			savingsNarr:  "Atlas Savings: interest compounds daily, withdraw any time.",
			loanNarr:     "Personal loan for home office equipment.",
			mortgageNarr: "Fixed-rate home mortgage.",
			loanName:     "Personal Loan", mortgageName: "Fixed-Rate Mortgage"}
	case "albion-bank":
		return profile{id: bankID, name: "Albion Bank", currency: "GBP", prefix: "ALB", idStyle: idUKOB,
			checking: "Classic Current Account", savings: "Instant Saver",
			checkingNarr: "A current account with no monthly fee.", savingsNarr: "Easy-access savings, variable rate.",
			loanNarr: "Fixed-rate personal loan.", mortgageNarr: "Five-year fixed, then tracker.",
			loanName: "Albion Personal Loan", mortgageName: "Albion Home Mortgage", bankCode: "401276"}
	case "rhein-bank":
		return profile{id: bankID, name: "Rheinbank", currency: "EUR", prefix: "RHN", idStyle: idBerlin,
			checking: "Girokonto", savings: "Tagesgeld",
			checkingNarr: "Girokonto mit kostenloser Kontoführung.", savingsNarr: "Tagesgeld, täglich verfügbar.",
			loanNarr: "Ratenkredit mit festem Zins.", mortgageNarr: "Baufinanzierung mit Zinsbindung.",
			loanName: "Ratenkredit", mortgageName: "Baufinanzierung", bankCode: "37050198"}
	}
	p := strings.ToUpper(strings.ReplaceAll(bankID, "-", ""))
	if len(p) > 3 {
		p = p[:3]
	}
	return profile{id: bankID, name: bankID, currency: "USD", prefix: p, idStyle: idOriginal,
		checking: "Checking", savings: "Savings", loanName: "Loan", mortgageName: "Mortgage"}
}

// accountID is the bank's id of a customer's j-th account (0-based).
func (p profile) accountID(idx, j int) string {
	switch p.idStyle {
	case idUKOB, idBerlin:
		return fmt.Sprintf("%s%05d%02d", p.prefix, idx, j+1)
	}
	return fmt.Sprintf("%s-%05d-%02d", p.prefix, idx, j+1)
}

// productID is the bank's id of a customer's k-th loan or mortgage. At the
// UK bank loans are accounts too, so their ids look like account ids.
func (p profile) productID(idx, k int, typ string) string {
	if p.idStyle == idUKOB {
		return p.accountID(idx, 50+k)
	}
	code := "LN"
	if typ == Mortgage {
		code = "MG"
	}
	return fmt.Sprintf("%s-%s-%05d-%d", p.prefix, code, idx, k+1)
}

// number is the account's number in the bank's country's scheme.
func (p profile) number(idx, j int) string {
	acct := idx*100 + j + 1
	switch p.currency {
	case "GBP":
		return fmt.Sprintf("%s%08d", p.bankCode, acct)
	case "EUR":
		return IBAN("DE", p.bankCode+fmt.Sprintf("%010d", acct))
	}
	return fmt.Sprintf("%010d", 4000000000+acct)
}

// IBAN builds an IBAN with valid check digits from a country code and the
// basic bank account number (digits only).
func IBAN(cc, bban string) string {
	var digits strings.Builder
	for _, r := range bban + cc + "00" {
		if r >= 'A' && r <= 'Z' {
			fmt.Fprintf(&digits, "%d", r-'A'+10)
		} else {
			digits.WriteRune(r)
		}
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	mod := new(big.Int).Mod(n, big.NewInt(97)).Int64()
	return fmt.Sprintf("%s%02d%s", cc, 98-mod, bban)
}
