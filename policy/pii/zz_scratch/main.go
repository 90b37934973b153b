package main

import (
	"fmt"
	"os"
	"bufio"
	"github.com/reportbot/reportbot/policy/pii"
)

func main() {
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		t := sc.Text()
		f := pii.Detect(t)
		r := []rune(t)
		fmt.Printf("%q\n", t)
		for _, x := range f {
			fmt.Printf("   %s %q\n", x.Kind, string(r[x.Start:x.End]))
		}
	}
}
