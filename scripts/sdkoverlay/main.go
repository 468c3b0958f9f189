// Command sdkoverlay writes the Lambda artifacts' alternate go.mod
// (internal/sdkoverlay): go run ./scripts/sdkoverlay -out DIR, then
// go build -modfile DIR/go.mod. The Makefile does both.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/poolside-io/poolside/internal/sdkoverlay"
)

func main() {
	out := flag.String("out", "dist/sdk", "folder for the module copies, go.mod and go.sum")
	tags := flag.String("tags", "lambda.norpc,poolside.lambda", "build tags whose dependencies to cover (the default links every function)")
	flag.Parse()
	if err := run(*out, *tags); err != nil {
		fmt.Fprintln(os.Stderr, "sdkoverlay:", err)
		os.Exit(1)
	}
}

func run(out, tags string) error {
	pkgs, err := sdkoverlay.List(".", tags)
	if err != nil {
		return err
	}
	gomod, err := os.ReadFile("go.mod")
	if err != nil {
		return err
	}
	gosum, err := os.ReadFile("go.sum")
	if err != nil {
		return err
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	n, err := sdkoverlay.Write(out, gomod, gosum, pkgs)
	if err != nil {
		return err
	}
	fmt.Printf("sdkoverlay: %d modules rewritten for go build -modfile %s/go.mod\n", n, out)
	return nil
}
