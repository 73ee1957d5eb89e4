package gen

// merchant is a counterparty with a typical amount range; for recurring
// payments day is the day of the month it is charged.
type merchant struct {
	name   string
	lo, hi float64
	mcc    string
	day    int
}

// words are the transaction descriptions of one country's banks.
type words struct {
	card, debit, salary, rent, transferOut, transferIn, toSavings, fromChecking,
	interest, cash, mortgage, loan string
}

// country is everything local about a bank's customers: names, money,
// merchants and how statements read.
type country struct {
	code, currency         string
	first, last            []string
	streets, cities        []string
	employers, landlords   []string
	spend                  map[string][]merchant // discretionary, by category
	subs, bills            []merchant            // monthly, fixed day
	w                      words
	salary, rent, property [2]float64
	mortgageRate, loanRate [2]float64
	mortgageYears          []int
}

// weighted is a category and its share of the discretionary mix.
type weighted struct {
	cat string
	w   int
}

// spendMix is the discretionary mix of a checking account.
func spendMix() []weighted {
	return []weighted{
		{CatGroceries, 28}, {CatDining, 20}, {CatTransport, 14}, {CatShopping, 12}, {CatEntertainment, 5},
		{CatHealth, 5}, {CatTravel, 2}, {CatCash, 4}, {CatTransfers, 5},
	}
}

// mccOf is the merchant category code of a category.
func mccOf(cat string) string {
	switch cat {
	case CatGroceries:
		return "5411"
	case CatDining:
		return "5812"
	case CatTransport:
		return "4121"
	case CatShopping:
		return "5311"
	case CatEntertainment:
		return "7832"
	case CatHealth:
		return "5912"
	case CatTravel:
		return "4511"
	case CatCash:
		return "6011"
	case CatUtilities:
		return "4900"
	case CatSubscriptions:
		return "5968"
	}
	return ""
}

func countryOf(currency string) country {
	switch currency {
	case "GBP":
		return uk()
	case "EUR":
		return de()
	}
	return us()
}

func us() country {
	return country{
		code: "US", currency: "USD",
		first:     []string{"Avery", "Jordan", "Taylor", "Morgan", "Riley", "Casey", "Jamie", "Quinn", "Harper", "Logan", "Emma", "Noah", "Olivia", "Liam", "Mia", "Ethan"},
		last:      []string{"Smith", "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Lopez", "Wilson", "Anderson", "Thomas", "Moore", "Jackson", "Lee"},
		streets:   []string{"Maple Avenue", "Oak Street", "Pine Road", "Cedar Lane", "Washington Boulevard", "Lakeview Drive", "Sunset Terrace"},
		cities:    []string{"Austin, TX", "Denver, CO", "Seattle, WA", "Columbus, OH", "Raleigh, NC", "Madison, WI", "Boston, MA"},
		employers: []string{"Acme Corp", "Globex Inc", "Initech LLC", "Umbrella Health", "Stark Logistics", "Wayne Analytics"},
		landlords: []string{"Oakwood Property Management", "Greystar Residential", "Parkside Apartments LLC"},
		spend: map[string][]merchant{
			CatGroceries:     {{"Whole Foods Market", 25, 160, "", 0}, {"Trader Joe's", 18, 95, "", 0}, {"Safeway", 20, 140, "", 0}, {"Kroger", 15, 120, "", 0}, {"Costco Wholesale", 60, 260, "", 0}},
			CatDining:        {{"Starbucks", 4, 11, "", 0}, {"Chipotle Mexican Grill", 10, 19, "", 0}, {"Sweetgreen", 12, 18, "", 0}, {"Shake Shack", 11, 28, "", 0}, {"Olive Garden", 35, 95, "", 0}, {"Blue Bottle Coffee", 5, 12, "", 0}},
			CatTransport:     {{"Uber", 9, 38, "", 0}, {"Lyft", 8, 32, "", 0}, {"Shell", 30, 75, "5541", 0}, {"Chevron", 28, 70, "5541", 0}, {"Clipper Card", 10, 40, "4111", 0}},
			CatShopping:      {{"Amazon.com", 12, 140, "", 0}, {"Target", 15, 120, "", 0}, {"Best Buy", 30, 420, "5732", 0}, {"IKEA", 25, 300, "5712", 0}, {"The Home Depot", 20, 220, "5200", 0}},
			CatEntertainment: {{"AMC Theatres", 14, 42, "", 0}, {"Ticketmaster", 45, 220, "7922", 0}, {"Steam Games", 5, 60, "5816", 0}},
			CatHealth:        {{"CVS Pharmacy", 6, 60, "", 0}, {"Walgreens", 6, 55, "", 0}, {"One Medical", 25, 120, "8011", 0}},
			CatTravel:        {{"Delta Air Lines", 180, 650, "", 0}, {"United Airlines", 160, 620, "", 0}, {"Marriott Hotels", 140, 420, "7011", 0}, {"Airbnb", 120, 540, "7011", 0}},
			CatCash:          {{"ATM Withdrawal", 40, 200, "", 0}},
			CatTransfers:     {{"Venmo", 10, 120, "", 0}, {"Zelle", 20, 250, "", 0}},
		},
		subs: []merchant{{"Netflix", 15.49, 15.49, "", 7}, {"Spotify", 11.99, 11.99, "", 12}, {"Planet Fitness", 24.99, 24.99, "7997", 3},
			{"iCloud+", 2.99, 2.99, "", 18}, {"The New York Times", 17.00, 17.00, "5994", 21}, {"Disney+", 13.99, 13.99, "", 9}},
		bills: []merchant{{"Con Edison", 60, 180, "", 15}, {"Comcast Xfinity", 79.99, 79.99, "4899", 10}, {"Verizon Wireless", 65, 65, "4814", 20}},
		w: words{card: "Card payment at %s", debit: "Direct debit to %s", salary: "Salary from %s", rent: "Rent to %s",
			transferOut: "Transfer to %s", transferIn: "Transfer from %s", toSavings: "Transfer to savings", fromChecking: "Transfer from checking",
			interest: "Interest paid", cash: "Cash withdrawal", mortgage: "Mortgage payment", loan: "Loan repayment"},
		salary: [2]float64{3800, 7800}, rent: [2]float64{1400, 2700}, property: [2]float64{260000, 900000},
		mortgageRate: [2]float64{5.2, 7.1}, loanRate: [2]float64{5.9, 12.9}, mortgageYears: []int{15, 30, 30},
	}
}

func uk() country {
	return country{
		code: "GB", currency: "GBP",
		first:     []string{"Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Freya", "Charlie", "Poppy", "Alfie", "Evie", "Arthur", "Grace"},
		last:      []string{"Smith", "Jones", "Taylor", "Brown", "Evans", "Wilson", "Davies", "Hughes", "Wright", "Walker", "Roberts", "Patel", "Khan"},
		streets:   []string{"High Street", "Church Lane", "Victoria Road", "Station Road", "Park Avenue", "Mill Lane", "Queen's Road"},
		cities:    []string{"Manchester M14", "Bristol BS6", "Leeds LS6", "York YO10", "Brighton BN2", "London SE22", "Edinburgh EH9"},
		employers: []string{"Albion Logistics Ltd", "Thames Software Ltd", "Pennine Health NHS Trust", "Northgate Retail plc", "Severn Engineering Ltd"},
		landlords: []string{"Foxtons Lettings", "Countrywide Residential", "Grainger plc"},
		spend: map[string][]merchant{
			CatGroceries:     {{"Tesco", 12, 95, "", 0}, {"Sainsbury's", 14, 110, "", 0}, {"Waitrose", 18, 120, "", 0}, {"Aldi", 10, 70, "", 0}, {"Co-op Food", 4, 30, "", 0}},
			CatDining:        {{"Pret A Manger", 4, 12, "", 0}, {"Costa Coffee", 3, 8, "", 0}, {"Greggs", 2, 9, "", 0}, {"Nando's", 14, 45, "", 0}, {"Wagamama", 15, 55, "", 0}, {"The Red Lion", 8, 40, "5813", 0}},
			CatTransport:     {{"TfL Travel", 3, 12, "4111", 0}, {"Trainline", 18, 120, "4112", 0}, {"Uber", 7, 28, "", 0}, {"Shell", 35, 80, "5541", 0}},
			CatShopping:      {{"Amazon UK", 8, 110, "", 0}, {"John Lewis", 20, 250, "", 0}, {"Marks & Spencer", 12, 90, "", 0}, {"Argos", 10, 160, "", 0}, {"Primark", 8, 60, "5651", 0}},
			CatEntertainment: {{"Odeon Cinemas", 9, 32, "", 0}, {"Vue Cinemas", 8, 28, "", 0}, {"Ticketmaster UK", 35, 160, "7922", 0}},
			CatHealth:        {{"Boots", 4, 45, "", 0}, {"Superdrug", 3, 30, "", 0}, {"Specsavers", 25, 180, "8043", 0}},
			CatTravel:        {{"British Airways", 90, 520, "", 0}, {"easyJet", 40, 220, "", 0}, {"Premier Inn", 60, 180, "7011", 0}},
			CatCash:          {{"Cash Machine Withdrawal", 20, 150, "", 0}},
			CatTransfers:     {{"Faster Payment", 10, 200, "", 0}},
		},
		subs: []merchant{{"Netflix", 10.99, 10.99, "", 6}, {"Spotify", 11.99, 11.99, "", 14}, {"PureGym", 24.99, 24.99, "7997", 2},
			{"Disney+", 7.99, 7.99, "", 19}, {"Amazon Prime", 8.99, 8.99, "", 23}},
		bills: []merchant{{"Octopus Energy", 55, 160, "", 8}, {"BT Broadband", 34.99, 34.99, "4899", 16}, {"Vodafone", 22, 22, "4814", 21}, {"Thames Water", 38, 38, "", 11}},
		w: words{card: "Card payment to %s", debit: "Direct debit to %s", salary: "Salary %s", rent: "Standing order: rent to %s",
			transferOut: "Faster payment to %s", transferIn: "Faster payment from %s", toSavings: "Transfer to savings", fromChecking: "Transfer from current account",
			interest: "Interest paid", cash: "Cash machine withdrawal", mortgage: "Mortgage payment", loan: "Loan repayment"},
		salary: [2]float64{2300, 4900}, rent: [2]float64{850, 1900}, property: [2]float64{180000, 650000},
		mortgageRate: [2]float64{3.9, 5.6}, loanRate: [2]float64{5.5, 11.9}, mortgageYears: []int{20, 25, 25, 30},
	}
}

func de() country {
	return country{
		code: "DE", currency: "EUR",
		first:     []string{"Lukas", "Anna", "Leon", "Mia", "Finn", "Emma", "Jonas", "Hannah", "Paul", "Lena", "Felix", "Sophie", "Max", "Marie"},
		last:      []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter"},
		streets:   []string{"Hauptstraße", "Rheinallee", "Gartenweg", "Schillerstraße", "Bahnhofstraße", "Lindenweg", "Goethestraße"},
		cities:    []string{"50667 Köln", "40213 Düsseldorf", "53111 Bonn", "55116 Mainz", "60311 Frankfurt am Main", "68159 Mannheim"},
		employers: []string{"Rheinwerk Maschinenbau GmbH", "Kölner Versicherung AG", "Mainzer Software GmbH", "Stadtwerke Rheinland", "Deutzer Logistik KG"},
		landlords: []string{"Vonovia SE", "Hausverwaltung Becker", "GAG Immobilien AG"},
		spend: map[string][]merchant{
			CatGroceries:     {{"REWE", 12, 95, "", 0}, {"EDEKA", 10, 90, "", 0}, {"Aldi Süd", 8, 65, "", 0}, {"Lidl", 8, 70, "", 0}, {"Kaufland", 15, 110, "", 0}},
			CatDining:        {{"Bäckerei Kamps", 2, 9, "5462", 0}, {"Einstein Kaffee", 3, 9, "", 0}, {"Vapiano", 12, 38, "", 0}, {"Block House", 25, 80, "", 0}, {"Früh am Dom", 18, 60, "", 0}},
			CatTransport:     {{"Deutsche Bahn", 9, 140, "4112", 0}, {"KVB Köln", 3, 9, "4111", 0}, {"Aral", 35, 85, "5541", 0}, {"FREENOW", 9, 35, "", 0}},
			CatShopping:      {{"Zalando", 20, 160, "5651", 0}, {"MediaMarkt", 25, 450, "5732", 0}, {"Amazon.de", 8, 120, "", 0}, {"IKEA", 25, 300, "5712", 0}, {"Galeria", 15, 140, "", 0}},
			CatEntertainment: {{"CineStar", 9, 30, "", 0}, {"Eventim", 35, 180, "7922", 0}, {"Phantasialand", 50, 160, "7996", 0}},
			CatHealth:        {{"dm-drogerie markt", 4, 45, "", 0}, {"Rossmann", 3, 35, "", 0}, {"Apotheke am Markt", 5, 60, "", 0}},
			CatTravel:        {{"Lufthansa", 120, 620, "", 0}, {"Eurowings", 50, 260, "", 0}, {"Booking.com", 80, 420, "7011", 0}},
			CatCash:          {{"Geldautomat Sparkasse", 20, 200, "", 0}},
			CatTransfers:     {{"PayPal", 10, 150, "", 0}},
		},
		subs: []merchant{{"Netflix", 13.99, 13.99, "", 5}, {"Spotify", 10.99, 10.99, "", 15}, {"McFit", 24.90, 24.90, "7997", 1},
			{"Deutschlandticket", 58.00, 58.00, "4111", 2}, {"DAZN", 34.99, 34.99, "", 17}},
		bills: []merchant{{"RheinEnergie", 70, 150, "", 12}, {"Telekom", 44.95, 44.95, "4814", 22}, {"Vodafone Kabel", 39.99, 39.99, "4899", 9}},
		w: words{card: "Kartenzahlung %s", debit: "Lastschrift %s", salary: "Gehalt %s", rent: "Dauerauftrag Miete %s",
			transferOut: "Überweisung an %s", transferIn: "Überweisung von %s", toSavings: "Übertrag auf Tagesgeld", fromChecking: "Übertrag vom Girokonto",
			interest: "Zinsgutschrift", cash: "Bargeldauszahlung", mortgage: "Rate Baufinanzierung", loan: "Rate Ratenkredit"},
		salary: [2]float64{2500, 4800}, rent: [2]float64{750, 1600}, property: [2]float64{250000, 780000},
		mortgageRate: [2]float64{3.1, 4.4}, loanRate: [2]float64{4.9, 9.9}, mortgageYears: []int{20, 25, 30},
	}
}
