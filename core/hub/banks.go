package hub

// BankName turns a bank id (green-bank) or name into the name stored in
// AccountBank/ProductBank/TransactionBank; unknown values pass unchanged.
func BankName(s string) string {
	return s
}
