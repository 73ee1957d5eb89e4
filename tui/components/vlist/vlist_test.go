package vlist

import "testing"

func TestWindowKeepsCursorVisible(t *testing.T) {
	var w Window
	w.SetHeight(10)
	w.SetLen(100_000)
	if f, to := w.Visible(); f != 0 || to != 10 {
		t.Fatalf("visible = %d..%d, want 0..10", f, to)
	}
	w.Move(15)
	if w.Cursor != 15 || w.Offset != 6 {
		t.Fatalf("after moving 15: cursor %d offset %d, want 15 and 6", w.Cursor, w.Offset)
	}
	w.Bottom()
	if f, to := w.Visible(); w.Cursor != 99_999 || f != 99_990 || to != 100_000 {
		t.Fatalf("bottom: cursor %d visible %d..%d", w.Cursor, f, to)
	}
	w.Move(-100)
	if w.Cursor != 99_899 || w.Offset != 99_899 {
		t.Fatalf("page up from bottom: cursor %d offset %d", w.Cursor, w.Offset)
	}
	w.Move(-1_000_000)
	if w.Cursor != 0 || w.Offset != 0 {
		t.Fatalf("top: cursor %d offset %d", w.Cursor, w.Offset)
	}
}

func TestWindowShrinks(t *testing.T) {
	var w Window
	w.SetHeight(5)
	w.SetLen(50)
	w.Bottom()
	w.SetLen(3) // a filter left three rows
	if f, to := w.Visible(); w.Cursor != 2 || f != 0 || to != 3 {
		t.Fatalf("after shrinking: cursor %d visible %d..%d", w.Cursor, f, to)
	}
	w.SetLen(0)
	if f, to := w.Visible(); w.Cursor != 0 || f != 0 || to != 0 || w.Selected(0) {
		t.Fatalf("empty: cursor %d visible %d..%d", w.Cursor, f, to)
	}
	w.SetLen(20)
	w.SetHeight(0) // a tiny terminal
	w.Move(7)
	if f, to := w.Visible(); f != 7 || to != 8 {
		t.Fatalf("height 0 is treated as 1: visible %d..%d", f, to)
	}
}
