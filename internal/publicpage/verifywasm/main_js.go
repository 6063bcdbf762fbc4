//go:build js && wasm

package main

import (
	"encoding/json"
	"syscall/js"
)

func main() {
	js.Global().Set("panelVerify", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) != 1 || args[0].Type() != js.TypeString {
			return `{"verified":false,"text":"panelVerify takes the record's JSON text"}`
		}
		b, _ := json.Marshal(verifyRecord([]byte(args[0].String())))
		return string(b)
	}))
	select {}
}
