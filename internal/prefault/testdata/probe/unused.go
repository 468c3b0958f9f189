package main

import (
	"compress/bzip2"
	"encoding/xml"
	"go/parser"
	"go/printer"
	"go/token"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/mail"
	"os"
)

// unused links code the start-up never runs (unless the probe is given six
// arguments), so that without prefault part of the text stays unmapped.
func unused() {
	if len(os.Args) < 7 {
		return
	}
	fset := token.NewFileSet()
	f, _ := parser.ParseFile(fset, os.Args[1], nil, 0)
	_ = printer.Fprint(os.Stdout, fset, f)
	_, _ = jpeg.Decode(os.Stdin)
	_, _ = png.Decode(os.Stdin)
	_, _ = gif.DecodeAll(os.Stdin)
	_, _ = bzip2.NewReader(os.Stdin).Read(nil)
	_ = xml.NewDecoder(os.Stdin).Decode(new(any))
	_, _ = mail.ReadMessage(os.Stdin)
}
