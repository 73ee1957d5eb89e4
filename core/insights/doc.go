// Package insights computes a user's financial picture from the stored
// documents with the aggregation pipelines of core/pipelines, finishing in Go
// what the pipeline subset cannot (currency conversion, weighted averages,
// schedules), and materializes it per user (collection insights, _id = the
// user's id) so that a view reads one small document.
//
// The transaction cube (sums and counts per month, category, direction,
// merchant and status), from which every insight over transactions
// follows, is read from the transaction buckets the sync keeps (package
// buckets), not from the transactions: recomputing costs the user's months
// and cells, not their transactions, nor anyone else's. It is the same cube
// as one folded from the transactions (the tests hold them to each other):
// each cell's sum is rounded to a millionth and the cells are sorted, so
// the order the source added them in never tips a cent.
//
// Definitions. Money is in the insights currency (Options.Currency, USD by
// default), converted with fx_rates, and rounded to cents when stored; a
// total is rounded from the unrounded parts, a difference (net, net worth)
// from the rounded parts so that the figures shown add up. "Now's month" is
// the month of Options.Now (UTC); the 12-month window is the 11 months
// before it and it.
//
//   - Position: total balance = Σ AccountBalance; total debt = Σ
//     ProductAmount of Loan and Mortgage products; net worth = balance −
//     debt; by bank, by account type, by currency (in that currency), debt
//     by bank and product type; average interest rate = Σ rate × debt / Σ
//     debt.
//   - Loans: r = yearly% / 12 / 100; term = RepaymentPeriod (months) or
//     AmortizationPeriod × 12; elapsed = whole months since the opening date
//     (0 without one); remaining n = max(term − elapsed, 1); monthly payment
//     M = P·r / (1 − (1+r)^−n), or P/n when r = 0, with P = ProductAmount
//     today. The schedule is the principal left after each payment, one per
//     month from the month after now's, down to 0 (at most 600 rows); total
//     interest is the interest over those n payments. A product without a
//     term has no payment and no schedule. The total monthly repayment sums
//     the payments converted to the insights currency.
//   - Cash flow (12-month window, months without transactions as zeros):
//     income = Σ AmountBase of Direction "in", spending = −Σ of "out", net =
//     income − spending. Booked and pending transactions both count.
//   - Spending by category: −Σ AmountBase of "out" per month and category,
//     for every month with data.
//   - Top merchants: the 10 merchants with the most money out in the
//     12-month window (amount and number of payments).
//   - Net worth over time, at the end of each month of the window (the last
//     point is today): balance = today's total balance − Σ AmountBase of
//     Booked transactions in later months; debt = each loan's principal run
//     back along its annuity, P₋ₖ = (P₀ + M·((1+r)^k − 1)/r) / (1+r)^k (P₀ +
//     M·k when r = 0), k months back but at most the months elapsed since
//     its opening, and 0 before its opening month; net worth = balance − debt.
//   - Recurring payments: see detectRecurring (same merchant, money out, in
//     at least 3 of the last 6 complete months or in all of them when the
//     user's history is shorter, never fewer than 2; each month's total
//     within ±10% of the median; more than half of those months with one
//     payment). Amount is the average payment.
//   - Transactions and months: the number of the user's transactions and
//     the months that have any.
package insights
