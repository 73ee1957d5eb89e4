package cli

// bankName turns a --bank value (a bank id such as green-bank, or its name)
// into the name stored in AccountBank/ProductBank.
func bankName(s string) string {
	return s
}
